// A worked solution as data: the graph's definitions, then one adjoint claim per node from the
// loss down, each followed by its named simplifications, the answer last (src/steps/print.ts
// writes it as a derivation document that `matcalc check` reads).
//
// Each claim is computed by the engine itself (src/derive/gradient.ts's adjoint), one parent
// definition and one occurrence at a time: the node is held free, the parent's adjoint is a
// placeholder symbol, and the rules the engine applies on that path are the claim's citations.
// A node written k times in its parents gets k shares: "W appears twice: add both paths".
import { type Expr, type Property, add, call, key, mapBottomUp, mul, num, postorder, sym, symbols, transpose, withArgs } from "../ast.js";
import { type Context, type SymbolInfo, extendedContext } from "../context.js";
import { define } from "../declarations.js";
import { adjoint, gradient } from "../derive/gradient.js";
import { foldDefinitions } from "../derive/fold.js";
import type { Layout } from "../derive/jacobian.js";
import type { AdjointRule } from "../pattern/rule.js";
import { DERIVATIVE_RULES } from "../../rules/derivatives.js";
import { formatExpr } from "../print/expression.js";
import { inferShapes, shapeOf } from "../shapes/infer.js";
import { type Shape, isScalar, isVector } from "../shapes/shape.js";
import { cost } from "../simplify/cost.js";
import { simplify, simplifyLocally } from "../simplify/simplify.js";
import { substitute } from "../check/derivatives.js";
import { isSymmetric } from "../simplify/symmetry.js";
import { type Graph, buildGraph } from "./graph.js";

/** Prose, an expression, or a rule, printed in the document's format. */
export type Segment = string | { readonly expr: Expr } | { readonly rule: AdjointRule } | { readonly adjoint: string };
export type Note = readonly Segment[];

export interface Definition {
  readonly name: string;
  readonly body: Expr;
  readonly shape: Shape;
  readonly properties: ReadonlySet<Property>;
  /** Named by the worked solution (not the input's own definition, nor the loss). */
  readonly introduced: boolean;
}

export interface Step {
  /** The right side: `∂L/∂v = expr` for a claim's first step, `= expr` for the others. */
  readonly expr: Expr;
  /** Why it holds: the paths and rules (first step), the simplification's name (the others). */
  readonly note: Note;
  /** The rules the step applies (first step of a claim). */
  readonly rules: readonly AdjointRule[];
}

export interface Claim {
  /** The node: ∂L/∂node. */
  readonly of: string;
  /** ∂numerator/∂node · seed, the chain rule of a Jacobian (default: ∂L/∂node, the loss's adjoint). */
  readonly numerator?: string;
  readonly seed?: string;
  /** ∂vec(numerator)/∂vec(node), the vec–Kronecker form. */
  readonly vec?: boolean;
  readonly shape: Shape;
  readonly steps: readonly Step[];
}

export interface WorkedSolution {
  readonly ctx: Context;
  /** ctx with the adjoint placeholders declared, for printing claims. */
  readonly printing: Context;
  readonly loss: string;
  readonly wrt: string;
  /** Declared symbols the document needs (every non-dimension symbol without a definition). */
  readonly declared: readonly SymbolInfo[];
  readonly definitions: readonly Definition[];
  readonly claims: readonly Claim[];
  /** Placeholder symbol → the node whose adjoint ∂L/∂node it stands for in a claim. */
  readonly adjoints: ReadonlyMap<string, string>;
  /** Comment lines before the definitions. */
  readonly remarks: readonly Note[];
  /** A second part (a Hessian: first the gradient, then its derivative), a section of its own. */
  readonly next?: WorkedSolution;
}

/** A parent's adjoint this short (printed) is written out in the chain rule; a longer one as ∂L/∂p. */
const SHORT = 8;

/**
 * The worked solution of ∂expression/∂wrt for a scalar expression; `answer` is the engine's
 * simplified gradient, the document's last claim.
 */
export function gradientSolution(expression: Expr, wrt: string, input: Context, answer: Expr): WorkedSolution {
  const graph = buildGraph(expression, wrt, input);
  const { ctx, nodes, loss } = graph;
  const adjoints = new Map<string, string>();
  const placeholderOf = new Map<string, string>();
  nodes.slice(1, -1).forEach((n, i) => {
    const p = String.fromCharCode(0xe000 + i);
    adjoints.set(p, n);
    placeholderOf.set(n, p);
  });
  const plain = freeContext(graph, placeholderOf, false);
  const full = freeContext(graph, placeholderOf, true);
  const bodyOf = (n: string) => ctx.symbols.get(n)!.definition!;
  // the graph's names where their bodies occur (sigmoid(b) is a): definitions with the placeholders declared
  // (not the loss: ∂L/∂a = L for L := exp(a) is true, and puzzling)
  const folding: Context = { symbols: new Map([...full.symbols].map(([n, info]) => [n, ctx.symbols.get(n) ?? info])), dims: ctx.dims, definitionOrder: ctx.definitionOrder.filter((n) => n !== loss), memo: new Map() };
  const folded = (e: Expr, within: Context) => inferShapes(foldDefinitions(e, folding), within).expr;
  const shapeOfName = (n: string) => ctx.dims.resolveShape(ctx.symbols.get(n)!.shape);

  const values = new Map<string, Expr>();
  const claims: Claim[] = [];
  for (const v of nodes.slice(1)) {
    const shares: Expr[] = [];
    const rules: AdjointRule[] = [];
    const parents: string[] = [];
    let paths = 0;
    for (const p of nodes) {
      if (p === v || !ctx.symbols.get(p)?.definition || p === graph.wrt) continue;
      const body = bodyOf(p);
      const occurrences = postorder(body).filter((n) => n.op === "sym" && n.name === v).length;
      if (occurrences === 0) continue;
      parents.push(p);
      paths += occurrences;
      const value = values.get(p);
      const seed = p === loss ? num(1) : value && short(value, full) ? value : sym(placeholderOf.get(p)!);
      for (let i = 0; i < occurrences; i++) {
        const share = shareThrough(body, v, i, seed, plain);
        shares.push(share.expr);
        for (const r of share.rules) if (!rules.includes(r)) rules.push(r);
      }
    }
    const steps: Step[] = [];
    let e = folded(simplifyLocally(inferShapes(add(shares), plain).expr, plain), plain);
    steps.push({ expr: e, note: pathNote(v, paths, parents), rules: cited(rules) });
    const symmetric = symmetricTransposes(e, full);
    if (symmetric.length) {
      e = inferShapes(mapBottomUp(e, (n) => (n.op === "transpose" && symmetric.some((s) => key(s) === key(stripInverse(n.args[0]!))) ? n.args[0]! : n)), full).expr;
      steps.push({ expr: e, note: symmetryNote(symmetric, full), rules: [] });
    }
    const waiting = [...symbols(e)].filter((n) => adjoints.has(n));
    if (waiting.length) {
      const substituted = simplifyLocally(inferShapes(waiting.reduce((x, p) => substitute(x, p, values.get(adjoints.get(p)!)!), e), full).expr, full);
      const simplest = simplify(substituted, full);
      const better = key(simplest) !== key(substituted) && cost(simplest) < cost(substituted);
      const named = [...listed(waiting.map((p) => ({ adjoint: adjoints.get(p)! }))), " substituted"];
      steps.push({ expr: (e = folded(better ? simplest : substituted, full)), note: better ? [...named, ", ", changeName(substituted, simplest)] : named, rules: [] });
    }
    const simplest = folded(simplify(e, full), full);
    if (key(simplest) !== key(e) && cost(simplest) < cost(e)) {
      steps.push({ expr: simplest, note: [changeName(e, simplest)], rules: [] });
      e = simplest;
    }
    // a symmetric adjoint is a symmetric placeholder: (∂L/∂K)ᵀ = ∂L/∂K is a step of its own
    const p = placeholderOf.get(v);
    if (p && isSymmetric(e, full)) full.symbols.get(p)!.properties.add("symmetric");
    values.set(v, e);
    if (v === graph.wrt && formatExpr(answer, "unicode", ctx) !== formatExpr(e, "unicode", ctx)) {
      const written = graph.introduced.filter((n) => [...symbols(e)].some((s) => s === n));
      steps.push({ expr: answer, note: written.length ? [...listed(written.map((n) => ({ expr: sym(n) }))), " written out: the answer"] : ["the answer"], rules: [] });
    }
    claims.push({ of: v, shape: shapeOfName(v), steps });
  }

  const introduced = new Set(graph.introduced);
  const definitions = ctx.definitionOrder.map((name) => {
    const info = ctx.symbols.get(name)!;
    return { name, body: info.definition!, shape: ctx.dims.resolveShape(info.shape), properties: info.properties, introduced: introduced.has(name) };
  });
  // the input's declarations, and the symbols the document uses that follow the convention
  const used = new Set(ctx.definitionOrder.flatMap((n) => [...symbols(ctx.symbols.get(n)!.definition!)]));
  const declared = [...ctx.symbols.values()]
    .filter((s) => !s.definition && !s.dimension && (s.declared || used.has(s.name) || s.name === wrt))
    .map((s) => ({ ...s, shape: ctx.dims.resolveShape(s.shape) }));
  const sized = new Set(declared.flatMap((s) => s.shape));
  for (const s of ctx.symbols.values()) if (s.dimension && used.has(s.name) && !sized.has(s.name)) declared.push({ ...s, dimension: false });
  return { ctx, printing: full, loss, wrt, declared, definitions, claims, adjoints, remarks: [] };
}

/**
 * The graph's defined nodes as free symbols (so that a share stops at them), with the adjoint
 * placeholders declared; `properties` false drops every symmetric/spd/diagonal, so that Kᵀ = K
 * is a step of its own.
 */
function freeContext(graph: Graph, placeholderOf: ReadonlyMap<string, string>, properties: boolean): Context {
  const { ctx, nodes } = graph;
  const symbols = new Map<string, SymbolInfo>();
  for (const [name, info] of ctx.symbols) {
    const free = nodes.includes(name) && !!info.definition;
    if (!free && properties) symbols.set(name, info);
    else if (!free && info.definition) symbols.set(name, { ...info, properties: new Set() });
    else symbols.set(name, { name, shape: ctx.dims.resolveShape(info.shape), properties: properties ? info.properties : new Set(), declared: true, ...(info.dimension ? { dimension: true } : {}) });
  }
  for (const [node, p] of placeholderOf) symbols.set(p, { name: p, shape: ctx.dims.resolveShape(ctx.symbols.get(node)!.shape), properties: new Set(), declared: true });
  return { symbols, dims: ctx.dims, definitionOrder: ctx.definitionOrder.filter((n) => !nodes.includes(n)), memo: new Map() };
}

/** What the i-th occurrence of v in body receives, for the seed (the parent's adjoint), and the rules on the way. */
function shareThrough(body: Expr, v: string, i: number, seed: Expr, plain: Context): { expr: Expr; rules: AdjointRule[] } {
  const alone = `${v}⟨${i}⟩`;
  let seen = -1;
  const mark = (e: Expr): Expr => {
    if (e.op === "sym" && e.name === v) return ++seen === i ? sym(alone) : e;
    return e.args.length ? withArgs(e, e.args.map(mark)) : e;
  };
  const ctx: Context = { ...plain, symbols: new Map(plain.symbols), memo: new Map() };
  ctx.symbols.set(alone, { ...plain.symbols.get(v)!, name: alone });
  const g = adjoint(inferShapes(mark(body), ctx).expr, alone, ctx, seed);
  const expr = substitute(simplifyLocally(g.gradient, ctx), alone, sym(v));
  const rules = g.steps.map((s) => DERIVATIVE_RULES.find((r) => r.statement === s.rule)!);
  return { expr, rules };
}

const short = (e: Expr, ctx: Context) => formatExpr(e, "unicode", ctx).length <= SHORT;

/** Sums, negations and scalar factors (MC (34), (35)) are cited only where nothing else is. */
function cited(rules: readonly AdjointRule[]): AdjointRule[] {
  const trivial = (r: AdjointRule) => /^MC \(3[45]\)$/.test(r.source);
  return rules.some((r) => !trivial(r)) ? rules.filter((r) => !trivial(r)) : [...rules];
}

function pathNote(v: string, paths: number, parents: readonly string[]): Note {
  if (paths < 2) return [];
  const times = paths === 2 ? "twice" : `${paths} times`;
  const where: Segment[] = parents.length === 1 ? [" in ", { expr: sym(parents[0]!) }] : [" (in ", ...listed(parents.map((p) => ({ expr: sym(p) }))), ")"];
  return [{ expr: sym(v) }, ` appears ${times}`, ...where, `: add ${paths === 2 ? "both" : "all"} paths`];
}

/** a, b and c */
function listed(items: readonly Segment[]): Segment[] {
  return items.flatMap((x, i) => (i === 0 ? [x] : [i === items.length - 1 ? " and " : ", ", x]));
}

/** The symmetric symbols (K, or a symmetric adjoint's placeholder) written transposed, perhaps inverted, in e. */
function symmetricTransposes(e: Expr, ctx: Context): Expr[] {
  const found = new Map<string, Expr>();
  for (const n of postorder(e))
    if (n.op === "transpose") {
      const base = stripInverse(n.args[0]!);
      if (base.op === "sym" && isSymmetric(base, ctx) && !isScalar(ctx.dims.resolveShape(shapeOf(base, ctx)))) found.set(base.name!, base);
    }
  return [...found.values()];
}

const stripInverse = (e: Expr) => (e.op === "inv" ? e.args[0]! : e);

/** Kᵀ = K since K is symmetric */
function symmetryNote(symmetric: readonly Expr[], ctx: Context): Note {
  const out: Segment[] = [];
  symmetric.forEach((s, i) => out.push(...(i ? [", "] : []), { expr: inferShapes(transpose(s), ctx).expr }, " = ", { expr: s }));
  out.push(" since ", ...listed(symmetric.map((s) => ({ expr: s }))), symmetric.length === 1 ? " is symmetric" : " are symmetric");
  return out;
}

/** Names the full simplification by what it did to the terms. */
function changeName(before: Expr, after: Expr): string {
  const terms = (e: Expr): number => (e.op === "add" ? e.args.length : e.op === "neg" ? terms(e.args[0]!) : 1);
  const factored = after.op === "mul" || (after.op === "neg" && after.args[0]!.op === "mul");
  if (terms(after) < terms(before)) return factored ? "like terms collected, common factor taken out" : "like terms collected";
  return factored ? "common factor taken out" : "simplified";
}

/**
 * The worked solution of a Jacobian ∂y/∂x (∂F/∂α, ∂vec(F)/∂vec(X)), through the chain rule a
 * document can state today: for u any adjoint of y's shape, L := ⟨u, y⟩ has the gradient
 * ∂L/∂x = ∂y/∂x · u (Jᵀu), which is derived like any gradient; the claim `∂y/∂x · u = Jᵀu`
 * ties it to J, and the last claim is J itself (∂y/∂x, ∂F/∂α or ∂vec(F)/∂vec(X)).
 */
export function jacobianSolution(expression: Expr, wrt: string, input: Context, jacobian: Expr, layout: Layout, identities: readonly string[] = []): WorkedSolution {
  const ctx = extendedContext(input);
  const shape = input.dims.resolveShape(shapeOf(expression, input));
  const matrix = !isScalar(shape) && !isVector(shape);
  const folded = foldDefinitions(expression, input);
  const used = new Set(input.symbols.keys());
  const fresh = (letters: string) => [...letters].find((l) => !used.has(l) && !!used.add(l))!;
  const y = folded.op === "sym" && input.symbols.get(folded.name!)?.definition ? folded.name! : fresh(matrix ? "FYZHP" : "yzhpq");
  if (!input.symbols.get(y)) define(ctx, y, folded);
  const u = fresh(matrix ? "UVRST" : "uvrst");
  ctx.symbols.set(u, { name: u, shape, properties: new Set(), declared: true });
  const inner = inferShapes(isVector(shape) ? mul(transpose(sym(u)), sym(y)) : isScalar(shape) ? mul(sym(u), sym(y)) : call("dot", [sym(u), sym(y)]), ctx).expr;
  const adjoint = foldDefinitions(simplify(inferShapes(gradient(inner, wrt, ctx).gradient, ctx).expr, ctx), ctx);
  const ws = gradientSolution(inner, wrt, ctx, adjoint);
  const last = ws.claims[ws.claims.length - 1]!;
  const J = foldDefinitions(jacobian, ctx);
  const shown = layout === "jacobian" ? inferShapes(mul(transpose(J), sym(u)), ws.printing).expr : adjoint;
  const chain: Claim = { of: wrt, numerator: y, seed: u, shape: last.shape, steps: [{ expr: shown, note: [`∂${ws.loss}/∂${wrt} as the Jacobian's transpose applied to ${u}`], rules: [] }] };
  const described = layout === "vec" ? "in vec–Kronecker form" : layout === "by-scalar" ? "entry by entry" : "the Jacobian, J_ij = ∂y_i/∂x_j";
  const readOff: Claim = {
    of: wrt,
    numerator: y,
    vec: layout === "vec",
    shape: ctx.dims.resolveShape(inferShapes(J, ws.printing).shape),
    steps: [{ expr: J, note: [`read off: ${described}`, ...(identities.length ? [`, with ${identities.join("; ")}`] : [])], rules: [] }],
  };
  return {
    ...ws,
    claims: [...ws.claims, chain, readOff],
    remarks: [[{ expr: sym(u) }, ` stands for any adjoint of ${y}, so that ∂${ws.loss}/∂${wrt} = ∂${y}/∂${wrt} · ${u}, the Jacobian's transpose applied to ${u}`]],
  };
}

/** The Hessian of a scalar: first the gradient g, then the Jacobian ∂g/∂x (a section of its own). */
export function hessianSolution(expression: Expr, wrt: string, input: Context, hessian: Expr, layout: Layout, identities: readonly string[] = []): WorkedSolution {
  const first = foldDefinitions(simplify(inferShapes(gradient(expression, wrt, input).gradient, input).expr, input), input);
  const ws = gradientSolution(expression, wrt, input, first);
  const ctx = extendedContext(input);
  const used = new Set([...input.symbols.keys(), ...ws.ctx.symbols.keys()]);
  const g = [..."gqpz"].find((l) => !used.has(l))!;
  define(ctx, g, first);
  return { ...ws, next: jacobianSolution(sym(g), wrt, ctx, hessian, layout === "gradient" ? "by-scalar" : layout, identities) };
}
