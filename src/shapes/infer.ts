import { type Expr, type Span, call, identity as identityNode, mul, node, ones as onesNode, product, transpose, withArgs } from "../ast.js";
import { type Context, type MemoKey, type SymbolInfo, memoOf } from "../context.js";
import { MatcalcError } from "../errors.js";
import { barsMeaning } from "../functions/bars.js";
import { divisionsRegrouped } from "./division.js";
import { functionSpec } from "../functions/index.js";
import { LETTERLIKE, conventionLetter } from "../syntax/names.js";
import { SCALAR, type Shape, isFreshDim, isScalar, showShape } from "./shape.js";

/**
 * Shapes of every node, by unification over symbolic dimensions. Undeclared symbols get
 * NOTATION.md's convention (Greek: scalar; upper-case Latin: matrix; lower-case Latin:
 * column vector) and are added to the context. Returns the expression with `|·|` resolved
 * to det or abs, `log det` to logdet, and every identity's size filled in.
 */
/** Matrix powers Xᵏ are expanded into k factors (and their derivatives into k terms). */
export const LARGEST_MATRIX_POWER = 64;

export function inferShapes(
  expr: Expr,
  ctx: Context,
  source?: string,
  /** broadcast: a scalar added to a vector is added to each entry, as typed input means it; never in the engine's own expressions, whose rules give way on a shape clash */
  options: { readonly broadcast?: boolean } = NO_OPTIONS,
): { expr: Expr; shape: Shape; notes: readonly string[] } {
  const run: Run = { ctx, shapes: shapeCache(ctx), source, broadcast: !!options.broadcast, notes: NO_NOTES };
  let out: Expr;
  try {
    out = shapeTree(expr, run);
  } catch (err) {
    // typed input only: xᵀAx/xᵀx divides by xᵀx (src/shapes/division.ts)
    const regrouped = options.broadcast && err instanceof MatcalcError && err.message.startsWith(NOT_A_SCALAR_DIVISOR) ? regroupedDivisions(expr, run) : undefined;
    if (!regrouped) throw err;
    return regrouped;
  }
  return { expr: out, shape: ctx.dims.resolveShape(run.shapes.get(out)!), notes: run.notes };
}

const NOT_A_SCALAR_DIVISOR = "can only divide by a scalar";

/** The typed tree read with each `/` by a row dividing by the product after it, and a note; undefined when that does not type either. */
function regroupedDivisions(expr: Expr, run: Run): { expr: Expr; shape: Shape; notes: readonly string[] } | undefined {
  const { ctx } = run;
  const isScalarProduct = (factors: readonly Expr[]) => {
    try {
      return isScalar(ctx.dims.resolveShape(inferShapes(product(factors), ctx, run.source).shape));
    } catch {
      return false;
    }
  };
  const regrouped = divisionsRegrouped(expr, isScalarProduct);
  if (!regrouped) return undefined;
  try {
    const typed = inferShapes(regrouped.expr, ctx, run.source, { broadcast: true });
    const written = (e: Expr) => (run.source && e.span ? run.source.slice(e.span.start, e.span.end) : undefined);
    const read = regrouped.divisions.map((d) => {
      const [whole, numerator, divisor] = [written(d), written(d.args[0]!), written(d.args[1]!)];
      return whole && numerator && divisor ? `\`${whole}\` is read as ${numerator}/(${divisor}): a row cannot divide.` : "a row cannot divide: `/` divides by the product after it.";
    });
    return { ...typed, notes: [...typed.notes, ...read] };
  } catch {
    return undefined;
  }
}

/**
 * The tree with every node's shape known, rewritten where |·| or a size is resolved. Most calls
 * shape one new node over known children (a rewrite's result, a share): what is allocated per
 * call is kept to what that needs.
 */
function shapeTree(expr: Expr, run: Run): Expr {
  const { shapes } = run;
  if (shapes.has(expr)) return expr;
  if (childrenKnown(expr, shapes)) {
    const shaped = shapeNode(expr, expr.args, run);
    shapes.set(shaped.e, shaped.shape);
    return shaped.e;
  }
  // Only nodes that change are entered in `rewritten` (every map entry of a new node costs).
  let rewritten: Map<Expr, Expr> | undefined;
  for (const original of postorderUnknown(expr, shapes)) {
    // Met again (shared, or shaped meanwhile): done.
    if (shapes.has(original) || rewritten?.has(original)) continue;
    const args = rewritten ? original.args.map((a) => rewritten!.get(a) ?? a) : original.args;
    const e = args !== original.args && args.some((a, i) => a !== original.args[i]) ? withArgs(original, args) : original;
    const shaped = shapeNode(e, args, run);
    shapes.set(shaped.e, shaped.shape);
    if (shaped.e !== original) (rewritten ??= new Map()).set(original, shaped.e);
  }
  return rewritten?.get(expr) ?? expr;
}

function childrenKnown(e: Expr, shapes: ReadonlyMap<Expr, Shape>): boolean {
  for (let i = 0; i < e.args.length; i++) if (!shapes.has(e.args[i]!)) return false;
  return true;
}

const NO_OPTIONS = {};
const NO_SHAPES: Shape[] = [];
const NO_NOTES: readonly string[] = [];

/** One inferShapes call: its context, the shapes known, and what errors and notes need. */
interface Run {
  readonly ctx: Context;
  readonly shapes: Map<Expr, Shape>;
  readonly source: string | undefined;
  readonly broadcast: boolean;
  notes: readonly string[];
}

/** The shape of e, whose children's shapes are known (e itself rewritten where |·| or a size is resolved). */
function shapeNode(original: Expr, args: readonly Expr[], run: Run): { e: Expr; shape: Shape } {
  const { ctx, shapes } = run;
  let e = original;
  const argShapes = args.length ? args.map((a) => shapes.get(a)!) : NO_SHAPES;
  let shape: Shape;
  switch (e.op) {
    case "num":
      shape = SCALAR;
      break;
    case "sym":
      shape = symbolInfo(e, ctx, (message, span) => fail(run, message, span)).shape;
      break;
    case "identity": {
      const d = e.dim ?? ctx.dims.freshDim();
      if (e.dim === undefined) e = identityNode(d, e.span);
      shape = [d, d];
      break;
    }
    case "neg":
      shape = argShapes[0]!;
      break;
    case "add": {
      const broadcast = run.broadcast ? broadcastScalars(e, argShapes, run) : undefined;
      if (broadcast) {
        e = broadcast;
        argShapes.splice(0, argShapes.length, ...broadcast.args.map((a) => shapes.get(a)!));
      }
      shape = argShapes[0]!;
      for (let i = 0; i < args.length; i++) {
        const s = argShapes[i]!;
        if (!ctx.dims.unify(shape[0], s[0]) || !ctx.dims.unify(shape[1], s[1]))
          fail(run, `cannot add ${text(args[0]!, run)} (${show(shape, ctx)}) and ${text(args[i]!, run)} (${show(s, ctx)})`, args[i]!.span ?? e.span);
      }
      break;
    }
    case "mul":
      shape =
        productShape(argShapes[0]!, argShapes[1]!, ctx) ??
        fail(run, `cannot multiply ${text(args[0]!, run)} (${show(argShapes[0]!, ctx)}) by ${text(args[1]!, run)} (${show(argShapes[1]!, ctx)})`, e.span);
      break;
    case "div":
      if (args[1]!.op === "num" && args[1]!.value!.n === 0) throw new MatcalcError("division by zero", args[1]!.span ?? e.span, run.source, "domain");
      if (!isScalar(ctx.dims.resolveShape(argShapes[1]!)))
        fail(run, `${NOT_A_SCALAR_DIVISOR}, but ${text(args[1]!, run)} is ${show(argShapes[1]!, ctx)}`, args[1]!.span ?? e.span);
      shape = argShapes[0]!;
      break;
    case "transpose":
      shape = [argShapes[0]![1], argShapes[0]![0]];
      break;
    case "inv":
      if (args[0]!.op === "num" && args[0]!.value!.n === 0) throw new MatcalcError("the inverse of zero", args[0]!.span ?? e.span, run.source, "domain");
      requireSquare(args[0]!, argShapes[0]!, "an inverse", e.span, run);
      shape = argShapes[0]!;
      break;
    case "pow": {
      const k = args[1]!.value;
      if (args[1]!.op !== "num" || !k) {
        // a^b with b an expression (σ^{2(d−q)}, α^n): scalars only
        if (!isScalar(ctx.dims.resolveShape(argShapes[1]!)))
          fail(run, `an exponent must be a scalar, but \`${text(args[1]!, run).replace(/^`|`$/g, "")}\` is ${show(ctx.dims.resolveShape(argShapes[1]!), ctx)}`, args[1]!.span ?? e.span);
        if (!isScalar(ctx.dims.resolveShape(argShapes[0]!)))
          fail(run, `not supported: a matrix to a power that is not a number (${text(args[0]!, run)}); write the product, or an entrywise power with a number`, e.span);
        shape = argShapes[0]!;
        break;
      }
      if (!isScalar(ctx.dims.resolveShape(argShapes[0]!))) {
        if (k!.d !== 1) fail(run, `a fractional power of a matrix (${text(args[0]!, run)}) is not supported`, e.span);
        const base = ctx.dims.resolveShape(argShapes[0]!);
        if (base[1] === 1 && k!.n === 2) {
          const v = text(args[0]!, run).replace(/^`|`$/g, "");
          const b = /^\p{L}$/u.test(v) ? v : `(${v})`;
          fail(run, `a matrix power needs a square matrix, but \`${v}\` is ${show(base, ctx)}: write \`${b}ᵀ${b}\` for its squared norm, or \`${b} ⊙ ${b}\` for the entrywise square`, e.span, "ambiguous");
        }
        requireSquare(args[0]!, argShapes[0]!, "a matrix power", e.span, run);
        if (Math.abs(k!.n) > LARGEST_MATRIX_POWER)
          fail(run, `not supported: a matrix power beyond ±${LARGEST_MATRIX_POWER} (its derivative has a term per factor)`, args[1]!.span ?? e.span);
      }
      shape = argShapes[0]!;
      break;
    }
    case "call":
      return callShape(e, argShapes, run);
  }
  return { e, shape };
}

const fail = (run: Run, message: string, span?: Span, category: "shape" | "ambiguous" = "shape"): never => {
  throw new MatcalcError(message, span, run.source, category);
};

const text = (e: Expr, run: Run): string => describe(e, run.source, run.ctx);

/**
 * A scalar added to a vector or a non-square matrix is added to each entry (NOTATION.md):
 * log(1 + exp(Xw)) is log(1·𝟙 + exp(Xw)); the sum with each scalar term times 𝟙 (or 𝟙𝟙ᵀ), or
 * undefined when no term is a scalar or all are. Added to a square matrix (or one whose shape
 * is not known) it is refused: X + 1 could be X + I or X + 𝟙𝟙ᵀ.
 */
function broadcastScalars(sum: Expr, termShapes: readonly Shape[], run: Run): Expr | undefined {
  const { ctx, shapes } = run;
  const resolved = termShapes.map((s) => ctx.dims.resolveShape(s));
  const wide = resolved.find((s) => !isScalar(s));
  if (!wide || !resolved.some(isScalar)) return undefined;
  const [rows, cols] = wide;
  const known = (d: Shape[number]) => typeof d === "number" || !isFreshDim(d);
  const vector = cols === 1;
  const terms = sum.args.map((t, i) => (isScalar(resolved[i]!) ? t : undefined)).filter((t) => t !== undefined);
  if (!vector && !(known(rows) && known(cols) && rows !== cols)) {
    const t = terms[0]!;
    fail(run, `ambiguous: ${text(t, run)} is a scalar added to a ${showShape(wide) === "a square matrix" || rows === cols ? "square " : ""}matrix: write ${text(t, run).replace(/`/g, "")}·I for the identity, or ${text(t, run).replace(/`/g, "")}·𝟙𝟙ᵀ for every entry`, t.span ?? sum.span);
  }
  const typed = (node: Expr, s: Shape): Expr => {
    shapes.set(node, s);
    return node;
  };
  const ones = (d: Shape[number]): Expr => typed(onesNode(d, sum.span), [d, 1]);
  const args = sum.args.map((t, i) => {
    if (!isScalar(resolved[i]!)) return t;
    if (vector) return typed(mul(t, ones(rows)), [rows, 1]);
    return typed(mul(typed(mul(t, ones(rows)), [rows, 1]), typed(transpose(ones(cols)), [1, cols])), [rows, cols]);
  });
  const notes = [...run.notes];
  for (const t of terms) {
    const [shown, verb] = t.op === "neg" ? [text(t.args[0]!, run), "subtracted from"] : [text(t, run), "added to"];
    notes.push(`${shown} is ${verb} every entry of a ${vector ? "vector" : "matrix"} (read as ${shown.replace(/`/g, "")}·${vector ? "𝟙" : "𝟙𝟙ᵀ"}).`);
  }
  run.notes = notes;
  return withArgs(sum, args);
}

function requireSquare(arg: Expr, s: Shape, what: string, span: Span | undefined, run: Run) {
  if (!run.ctx.dims.unify(s[0], s[1])) fail(run, `${what} needs a square matrix, but ${text(arg, run)} is ${show(s, run.ctx)}`, span);
}

function callShape(e: Expr, argShapes: Shape[], run: Run): { e: Expr; shape: Shape } {
  const { ctx, shapes } = run;
  const fn = e.fn!;
  if (fn === "bars") {
    const resolved = call(barsMeaning(isScalar(ctx.dims.resolveShape(argShapes[0]!))), e.args, e.span);
    return callShape(resolved, argShapes, run);
  }
  if (fn === "log" && e.args[0]!.op === "call" && e.args[0]!.fn === "det") {
    return callShape(call("logdet", e.args[0]!.args, e.span), [shapes.get(e.args[0]!.args[0]!)!], run);
  }
  if (fn === "log" && e.args[0]!.op === "call" && e.args[0]!.fn === "bars") {
    const inner = ctx.dims.resolveShape(shapes.get(e.args[0]!.args[0]!)!);
    if (!isScalar(inner)) return callShape(call("logdet", e.args[0]!.args, e.span), [inner], run);
  }
  if (fn === "ones" && e.dim === undefined) return callShape(node(e.op, e.args, e.name, e.value, e.fn, e.sub, ctx.dims.freshDim(), e.span), argShapes, run);
  const spec = functionSpec(fn);
  if (!spec) throw new MatcalcError(`not supported: \`${fn}\` cannot be used here`, e.span, run.source, "unsupported");
  if (argShapes.length !== spec.arity) fail(run, `${fn} takes ${spec.arity} argument${spec.arity === 1 ? "" : "s"}, not ${argShapes.length}`, e.span);
  try {
    return { e, shape: spec.shape(argShapes, ctx.dims, e) };
  } catch (err) {
    if (err instanceof MatcalcError && err.source === undefined) throw new MatcalcError(err.message, err.span ?? e.span, run.source, err.category);
    throw err;
  }
}

// A strong map in the context: a weak table as large as a derivation's nodes is slow to fill and
// to collect, and the nodes live as long as the context anyway (its derivation's result).
const SHAPES: MemoKey<Map<Expr, Shape>> = { name: "shapes", empty: () => new Map() };

/** Shapes already inferred in this context, by node (nodes are immutable). */
function shapeCache(ctx: Context): Map<Expr, Shape> {
  return memoOf(ctx, SHAPES);
}

/** The shape of an expression already checked in this context (or checked now). */
export function shapeOf(e: Expr, ctx: Context): Shape {
  const shapes = shapeCache(ctx);
  const known = shapes.get(e);
  if (known) return ctx.dims.resolveShape(known);
  const out = shapeTree(e, { ctx, shapes, source: undefined, broadcast: false, notes: NO_NOTES });
  return ctx.dims.resolveShape(shapes.get(out)!);
}

/**
 * The nodes whose shape is not known yet, in postorder (a node already known stands for
 * itself): rewrites and shares ask the shape of one new node over known children.
 */
function postorderUnknown(root: Expr, known: ReadonlyMap<Expr, Shape>): Expr[] {
  const out: Expr[] = [];
  if (known.has(root)) return out;
  // two parallel stacks, not a stack of pairs: this runs for every share and every rewrite
  const stack: Expr[] = [root];
  const seen: boolean[] = [false];
  // past a few hundred nodes, each is entered once: a DAG (σ(u) ⊙ (𝟙 − σ(u)), 100 deep) shares its
  // unknown nodes, and walked as a tree it has 2¹⁰⁰ of them
  let entered: Set<Expr> | undefined;
  let steps = 0;
  while (stack.length) {
    const e = stack.pop()!;
    if (seen.pop()) out.push(e);
    else {
      if (++steps > SMALL_WALK) {
        entered ??= new Set();
        if (entered.has(e)) continue;
        entered.add(e);
      }
      stack.push(e), seen.push(true);
      for (let i = e.args.length - 1; i >= 0; i--) if (!known.has(e.args[i]!)) stack.push(e.args[i]!), seen.push(false);
    }
  }
  return out;
}

const SMALL_WALK = 256;

/** Shape of a·b: scalar times anything, or a conforming matrix product; undefined on a clash. */
export function productShape(a: Shape, b: Shape, ctx: Context): Shape | undefined {
  if (isScalar(ctx.dims.resolveShape(a))) return b;
  if (isScalar(ctx.dims.resolveShape(b))) return a;
  return ctx.dims.unify(a[1], b[0]) ? [a[0], b[1]] : undefined;
}

/** The symbol's entry, created by NOTATION.md's naming convention when undeclared. */
export function symbolInfo(e: Expr, ctx: Context, fail: (message: string, span?: Span) => never): SymbolInfo {
  const name = e.name!;
  const known = ctx.symbols.get(name);
  if (known) return known;
  const base = conventionLetter(name);
  let shape: Shape;
  // ℓ and ℒ name losses: scalars, as Greek letters are
  if (/^\p{Script=Greek}$/u.test(base) || LETTERLIKE.has(base)) shape = SCALAR;
  else if (/^[A-Z]$/.test(base)) shape = [ctx.dims.freshDim(), ctx.dims.freshDim()];
  else if (/^[a-z]$/.test(base)) shape = [ctx.dims.freshDim(), 1];
  else return fail(`unknown name \`${name}\`: declare it with --where`, e.span);
  const info: SymbolInfo = { name, shape, properties: new Set(), declared: false };
  ctx.symbols.set(name, info);
  return info;
}

/**
 * Whether a name's value is its own transpose: a scalar, declared symmetric, spd or diagonal, or
 * a definition found symmetric when it was added (src/declarations.ts). A name not yet in the
 * context is added by NOTATION.md's convention, as shapeOf does. The normalizer asks this, not
 * simplify/symmetry.ts, whose normal forms it computes.
 */
export function isSymmetricSymbol(e: Expr, ctx: Context): boolean {
  const info = ctx.symbols.get(e.name!);
  if (!info) return isScalar(shapeOf(e, ctx));
  return isScalar(ctx.dims.resolveShape(info.shape)) || info.properties.has("symmetric") || info.properties.has("spd") || info.properties.has("diagonal");
}

function show(s: Shape, ctx: Context): string {
  return showShape(ctx.dims.resolveShape(s));
}

/** How an operand is named in an error: its source text, else a short form. */
function describe(e: Expr, source: string | undefined, _ctx: Context): string {
  if (source !== undefined && e.span) return `\`${source.slice(e.span.start, e.span.end).trim()}\``;
  if (e.op === "sym") return `\`${e.name}\``;
  return "the operand";
}
