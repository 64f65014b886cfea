import { type Expr, add, anyNode, call, inv, isZero, mul, num, ones, postorder, product, transpose, withArgs } from "../ast.js";
import type { Context } from "../context.js";
import { MatcalcError, unsupported } from "../errors.js";
import { DERIVATIVE_RULES } from "../../rules/derivatives.js";
import { inferShapes, shapeOf } from "../shapes/infer.js";
import { isScalar, type Shape, showShape } from "../shapes/shape.js";
import { simplifyLocally } from "../simplify/simplify.js";
import { isNonNegative } from "../simplify/normal.js";
import { formatExpr } from "../print/expression.js";
import { functionSpec } from "../functions/index.js";
import { type Bindings, instantiate, match } from "../pattern/pattern.js";
import { type AdjointRule, EXPONENT_LESS_ONE } from "../pattern/rule.js";
import { withinMemory } from "../memory.js";

/** One application of a rule, for a worked solution: before is the node, after its operand's share. */
export interface Step {
  readonly rule: string;
  readonly source: string;
  readonly node: Expr;
  readonly operand: Expr;
  readonly adjoint: Expr;
  readonly share: Expr;
}

export interface Gradient {
  /** ∂L/∂X, unsimplified sum of every path's share (simplify it for display). */
  readonly gradient: Expr;
  readonly shape: Shape;
  readonly steps: readonly Step[];
}

/**
 * ∂L/∂X of a scalar L by reverse accumulation: the adjoint G = ∂L/∂F flows from the root down
 * through rules/derivatives.ts; the shares a symbol receives along every path are summed (the
 * seed's "law of total derivatives"). Definitions (K := …) are kept as symbols: K collects its
 * adjoint first, then passes it into its definition. A defined name as X means the adjoint with
 * that name held free (NOTATION.md).
 */
export function gradient(expr: Expr, wrt: string, ctx: Context): Gradient {
  const rootShape = shapeOf(expr, ctx);
  if (!isScalar(rootShape))
    throw new MatcalcError(
      `not supported: the expression is ${showShape(rootShape)}, not a scalar; a gradient needs a scalar`,
      expr.span,
      undefined,
      "unsupported",
    );
  return adjoint(expr, wrt, ctx, num(1));
}

/**
 * The adjoint of X for the seed G = ∂L/∂F at the root F (any shape; G has F's shape): the
 * expression, linear in G, that X receives — Jᵀ applied to G, where J is ∂vec(F)/∂vec(X).
 * The gradient is the adjoint for the seed 1; src/derive/jacobian.ts reads J off a symbolic G.
 */
export function adjoint(expr: Expr, wrt: string, ctx: Context, seed: Expr): Gradient {
  const wrtInfo = ctx.symbols.get(wrt);
  if (!wrtInfo) throw new MatcalcError(`\`${wrt}\` does not occur in the expression`, undefined, undefined, "name");
  if (wrtInfo.dimension) throw new MatcalcError(`\`${wrt}\` is a dimension, not a variable`, undefined, undefined, "name");

  const depends = dependence(wrt, ctx);
  const shares = new Map<string, Expr[]>();
  const steps: Step[] = [];

  // From a stack, not by recursion: the nodes are visited as a depth-first walk would visit them
  // (each share's step, then all below its operand, then the next share), to a depth the
  // expression's nesting sets. Every entry has one shape (V8 reads them all at one site): a node
  // and its adjoint to visit, with the step that gave them (recorded first) or none; or, with
  // `child` ≥ 0, that child of the node to give its shares.
  interface Work {
    readonly node: Expr;
    readonly adjoint: Expr;
    readonly child: number;
    readonly step: Step | undefined;
  }
  const visit = (node: Expr, adjoint: Expr, step?: Step): Work => ({ node, adjoint, child: -1, step });
  const backprop = (root: Expr, seed: Expr): void => {
    const stack: Work[] = [visit(root, seed)];
    while (stack.length) {
      const work = stack.pop()!;
      withinMemory();
      const { node: e, adjoint } = work;
      if (work.child >= 0) {
        if (!depends(e.args[work.child]!)) continue;
        // A rule may reach below the child (‖A‖² gives A its share directly; tr(A ⊗ B) gives A
        // and B theirs).
        const given = sharesOf(e, work.child, adjoint, ctx);
        for (let i = given.length - 1; i >= 0; i--) {
          const { rule, operand, share } = given[i]!;
          stack.push(visit(operand, share, { rule: rule.statement, source: rule.source, node: e, operand, adjoint, share }));
        }
        continue;
      }
      if (work.step) steps.push(work.step);
      if (!depends(e) || isZero(adjoint)) continue;
      if (e.op === "sym") {
        const received = shares.get(e.name!);
        if (received) received.push(adjoint);
        else shares.set(e.name!, [adjoint]);
        continue;
      }
      if (e.op === "pow" && !isScalar(shapeOf(e.args[0]!, ctx))) {
        stack.push(visit(expandMatrixPower(e, ctx), adjoint));
        continue;
      }
      // d(α^β)/dβ = α^β log α is real only for α > 0; for α < 0, α^β is not even defined off the integers
      if (e.op === "pow" && depends(e.args[1]!) && !isNonNegative(e.args[0]!, ctx))
        throw unsupported(`the derivative of \`${formatExpr(e, "unicode", ctx)}\` by its exponent is real only where the base \`${formatExpr(e.args[0]!, "unicode", ctx)}\` > 0: declare its symbols \`positive\` (σ: scalar positive)`, e.span);
      for (let i = e.args.length - 1; i >= 0; i--) stack.push({ node: e, adjoint, child: i, step: undefined });
    }
  };

  backprop(expr, seed);
  for (const name of [...ctx.definitionOrder].reverse()) {
    const received = shares.get(name);
    if (name === wrt || !received) continue;
    const definition = ctx.symbols.get(name)!.definition!;
    backprop(definition, simplifyLocally(add(received), ctx));
  }
  const received = shares.get(wrt);
  const shape = ctx.dims.resolveShape(wrtInfo.shape);
  return { gradient: received ? add(received) : num(0), shape, steps };
}


/**
 * The expression with each f′(u) (src/functions/prime.ts) written out, typed again: what f's own
 * derivative rule gives u for the seed of ones (1, 𝟙 or 𝟙𝟙ᵀ, u's shape), so that
 * tanh′(u) = 𝟙 − tanh(u) ⊙ tanh(u) holds by the same rule as every derivative of tanh; and each
 * call of a function that abbreviates another form (`writtenAs`: mean(A) = sum(A)/(mn)) in that form.
 */
export function withDerivativesWrittenOut(e: Expr, ctx: Context, source?: string): Expr {
  if (!anyNode(e, isWrittenOut)) return e;
  const writeOut = (n: Expr): Expr => {
    const args = n.args.map(writeOut);
    const node = args.every((a, i) => a === n.args[i]) ? n : withArgs(n, args);
    const abbreviation = node.op === "call" ? functionSpec(node.fn!)?.algebra?.writtenAs : undefined;
    if (abbreviation) {
      const typed = args.map((a) => inferShapes(a, ctx, source).expr);
      return abbreviation(typed, typed.map((a) => ctx.dims.resolveShape(shapeOf(a, ctx))));
    }
    if (!isPrime(node)) return node;
    const f = node.sub!;
    if (!functionSpec(f)?.algebra?.entrywise)
      throw new MatcalcError(`not supported: ${f}′ (only a function applied entry by entry has a derivative written f′; write the Jacobian ∂${f}(u)/∂u)`, node.span, source, "unsupported");
    const u = inferShapes(args[0]!, ctx, source).expr;
    const shape = ctx.dims.resolveShape(shapeOf(u, ctx));
    const [rows, cols] = shape;
    const seed = isScalar(shape) ? num(1) : cols === 1 ? ones(rows) : rows === 1 ? transpose(ones(cols)) : mul(ones(rows), transpose(ones(cols)));
    return sharesOf(call(f, [u], node.span), 0, seed, ctx)[0]!.share;
  };
  return inferShapes(writeOut(e), ctx, source).expr;
}

const isPrime = (e: Expr): boolean => e.op === "call" && e.fn === "prime";
/** f′(u), and a call of a function that abbreviates another form (mean). */
const isWrittenOut = (e: Expr): boolean => isPrime(e) || (e.op === "call" && !!functionSpec(e.fn!)?.algebra?.writtenAs);

/** Whether an expression changes with `wrt`, through definitions too (memoised). */
export function dependence(wrt: string, ctx: Context): (e: Expr) => boolean {
  const memo = new Map<Expr, boolean>();
  const byName = new Map<string, boolean>();
  const symbolDepends = (name: string): boolean => {
    if (name === wrt) return true;
    const known = byName.get(name);
    if (known !== undefined) return known;
    byName.set(name, false);
    const definition = ctx.symbols.get(name)?.definition;
    const result = definition ? depends(definition) : false;
    byName.set(name, result);
    return result;
  };
  const depends = (e: Expr): boolean => {
    const known = memo.get(e);
    if (known !== undefined) return known;
    const result = e.op === "sym" ? symbolDepends(e.name!) : e.args.some(depends);
    memo.set(e, result);
    return result;
  };
  return depends;
}

/**
 * The shares node e's rules give to what lies under its child i, for the adjoint G of e. The
 * first rule whose pattern matches, reaches under child i, and gives a share of the operand's
 * shape applies — with every other rule of the same pattern reaching under child i (tr(A ⊗ B)
 * has one for A and one for B). A rule whose share cannot be shaped here (𝟙 of length 1 for a
 * row vector) gives way to the next.
 */
function sharesOf(e: Expr, operandIndex: number, adjoint: Expr, ctx: Context): { rule: AdjointRule; operand: Expr; share: Expr }[] {
  // A sum is n-ary: the pattern A + B sees the operand as A and the other terms as B. They are
  // summed only when a rule reads B: each of n terms would make a sum of the n − 1 others.
  const target = e.op === "add" ? withArgs(e, [e.args[operandIndex]!, otherTerms(e, operandIndex)]) : e;
  const position = e.op === "add" ? 0 : operandIndex;
  // G and k − 1 join the pattern's bindings (no pattern names them); siblings read the same
  const share = (rule: AdjointRule, bindings: Bindings) => {
    const operand = bindings.get(rule.operand)!;
    bindings.set("G", adjoint);
    const k = bindings.get("k");
    if (k?.op === "num") bindings.set(EXPONENT_LESS_ONE, num(k.value!.n - k.value!.d, k.value!.d));
    const shaped = typed(instantiate(rule.receives, bindings), shapeOf(operand, ctx), ctx);
    return shaped && { rule, operand, share: simplifyLocally(shaped, ctx) };
  };
  let bindings: Bindings | undefined;
  const rules = rulesOf(e);
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i]!;
    const pattern = rule.node;
    if (operandChild(rule) !== position) continue;
    // a table made afresh after a match that bound something costs less than clearing it
    if (!bindings || bindings.size) bindings = new Map();
    if (!match(pattern, target, ctx, bindings)) continue;
    const first = share(rule, bindings);
    if (!first) continue;
    const shares = [first];
    for (const sibling of siblingsOf(rule)) {
      const other = share(sibling, bindings);
      if (!other) throw unsupported(`${sibling.text.node} here`, e.span);
      shares.push(other);
    }
    return shares;
  }
  throw unsupported(`no derivative rule for ${describeNode(e)}`, e.span);
}

/**
 * What B stands for in the pattern A + B, for the term at `index`: the sum of the others, or, where
 * no rule on a sum reads B (A + B → A: G), the first other term (a stand-in, never read).
 */
function otherTerms(e: Expr, index: number): Expr {
  if (e.args.length === 2 || rulesOf(e).some(readsOtherTerms)) return add([...e.args.slice(0, index), ...e.args.slice(index + 1)]);
  return e.args[index === 0 ? 1 : 0]!;
}

/**
 * Whether a rule on a sum reads its second child: that child is more than an upper-case
 * metavariable (which matches anything), or the metavariable occurs again in the pattern, or a
 * share of the rule or of its siblings uses it.
 */
function readsOtherTerms(rule: AdjointRule): boolean {
  let known = readsOthers.get(rule);
  if (known?.rules !== DERIVATIVE_RULES.length) {
    const other = rule.node.args[1];
    const named = (e: Expr) => e.op === "sym" && e.name === other!.name;
    const reads =
      !other ||
      other.op !== "sym" ||
      !/^[A-Z]$/.test(other.name!) ||
      postorder(rule.node).filter(named).length > 1 ||
      [rule, ...siblingsOf(rule)].some((r) => anyNode(r.receives, named));
    readsOthers.set(rule, (known = { rules: DERIVATIVE_RULES.length, reads }));
  }
  return known.reads;
}

// as siblingsOf's lists: a rule added later may be a sibling that reads B
const readsOthers = new Map<AdjointRule, { readonly rules: number; readonly reads: boolean }>();

/**
 * The rules whose pattern has e's operator and function, in their order (every node asks). Rules
 * are only ever added (addDerivativeRules), so the table stands while their number does.
 */
function rulesOf(e: Expr): readonly AdjointRule[] {
  if (rulesByNode.rules !== DERIVATIVE_RULES.length) {
    const byNode = new Map<string, Map<string | undefined, AdjointRule[]>>();
    for (const rule of DERIVATIVE_RULES) {
      let byFn = byNode.get(rule.node.op);
      if (!byFn) byNode.set(rule.node.op, (byFn = new Map()));
      const list = byFn.get(rule.node.fn);
      if (list) list.push(rule);
      else byFn.set(rule.node.fn, [rule]);
    }
    rulesByNode = { rules: DERIVATIVE_RULES.length, byNode };
  }
  return rulesByNode.byNode.get(e.op)?.get(e.fn) ?? [];
}

let rulesByNode: { readonly rules: number; readonly byNode: ReadonlyMap<string, ReadonlyMap<string | undefined, readonly AdjointRule[]>> } = { rules: -1, byNode: new Map() };

/** The child of the rule's pattern under which its operand stands (every node asks, for every rule). */
const operandChildren = new Map<AdjointRule, number | undefined>();

function operandChild(rule: AdjointRule): number | undefined {
  if (!operandChildren.has(rule)) operandChildren.set(rule, pathTo(rule.node, rule.operand)?.[0]);
  return operandChildren.get(rule);
}

/**
 * The other rules of the same pattern whose operands stand under the same child (tr(A ⊗ B): A's and
 * B's). Rules are only ever added (addDerivativeRules), so a list stands while their number does.
 */
const siblings = new Map<AdjointRule, { readonly rules: number; readonly list: readonly AdjointRule[] }>();

function siblingsOf(rule: AdjointRule): readonly AdjointRule[] {
  let known = siblings.get(rule);
  if (known?.rules !== DERIVATIVE_RULES.length)
    siblings.set(rule, (known = { rules: DERIVATIVE_RULES.length, list: DERIVATIVE_RULES.filter((r) => r !== rule && r.text.node === rule.text.node && r.operand !== rule.operand && operandChild(r) === operandChild(rule)) }));
  return known.list;
}

/** Where a metavariable stands in a pattern, as child indices from the root. */
function pathTo(pattern: Expr, name: string): number[] | undefined {
  if (pattern.op === "sym") return pattern.name === name ? [] : undefined;
  for (let i = 0; i < pattern.args.length; i++) {
    const rest = pathTo(pattern.args[i]!, name);
    if (rest) return [i, ...rest];
  }
  return undefined;
}

function describeNode(e: Expr): string {
  const named: Record<string, string> = {
    hadamard: "⊙",
    hdiv: "⊘",
    kron: "⊗ (outside a trace, A ⊗ B has no matrix-form adjoint)",
    dot: "⟨·,·⟩",
    vec: "vec of a matrix (its adjoint is a reshape)",
  };
  return e.op === "call" ? `\`${named[e.fn!] ?? e.fn}\`` : `this \`${e.op}\``;
}

/**
 * A rule's share with its shapes inferred (sizing its identities) and made the operand's; none
 * when it cannot take that shape here (𝟙 of length 1 for a row vector): the rule does not apply.
 */
function typed(share: Expr, operandShape: Shape, ctx: Context): Expr | undefined {
  let inferred;
  try {
    inferred = inferShapes(share, ctx);
  } catch (err) {
    if (err instanceof MatcalcError && (err.category === "shape" || err.category === "ambiguous")) return undefined;
    throw err;
  }
  const { expr, shape } = inferred;
  return ctx.dims.unify(shape[0], operandShape[0]) && ctx.dims.unify(shape[1], operandShape[1]) ? expr : undefined;
}

/** A² = A·A and A⁻² = (A·A)⁻¹: matrix powers differentiate as the products they are. */
function expandMatrixPower(e: Expr, ctx: Context): Expr {
  const k = e.args[1]!.value!;
  if (k.d !== 1 || k.n === 0)
    throw unsupported("this power of a matrix", e.span);
  const factors = Array.from({ length: Math.abs(k.n) }, () => e.args[0]!);
  const expanded = inferShapes(product(factors), ctx).expr;
  return k.n > 0 ? expanded : inferShapes(inv(expanded), ctx).expr;
}
