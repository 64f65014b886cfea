import type { Expr } from "./ast.js";
import type { Context } from "./context.js";
import { buildContext, define } from "./declarations.js";
import { LAYOUT_NOTES, derivative, hessian } from "./derive/jacobian.js";
import { foldDefinitions } from "./derive/fold.js";
import { MatcalcError } from "./errors.js";
import { symbolName } from "./print/names.js";
import { inferShapes } from "./shapes/infer.js";
import { withDerivativesWrittenOut } from "./derive/gradient.js";
import { groupingNotes } from "./shapes/grouping.js";
import { type Shape, isScalar, showShape } from "./shapes/shape.js";
import { simplify as simplifyExpr } from "./simplify/simplify.js";
import { Budget, type RewriteLimits } from "./simplify/limits.js";
import { parseExpression, parseStatements } from "./syntax/parse.js";
import { NESTING_LIMIT } from "./syntax/tokens.js";
import { only, splitWhere } from "./syntax/where.js";
import { verifyDerivative, verifySameValue } from "./numeric/verify.js";
import type { DeriveResult, Verification } from "./result.js";
import { type WorkedSolution, gradientSolution, hessianSolution, jacobianSolution } from "./steps/solution.js";
import { formatExpr } from "./print/expression.js";

export type { DeriveResult };

export interface DeriveOptions {
  /** The variable, as typed: `W`, `alpha`, `\alpha`, `x_1`. */
  readonly wrt: string;
  /** Declarations and definitions: `W: m×n, x: n, K := αXXᵀ + β⁻¹I`. */
  readonly where?: string;
  /** 1 (default): the gradient or Jacobian; 2: the Hessian of a scalar expression. */
  readonly order?: 1 | 2;
  /**
   * Check the answer against finite differences of the function at random instances (on by
   * default, as on the command line; `false` turns it off): an answer that disagrees at every
   * instance tried is refused as "not supported", one that cannot be checked gets a note saying why.
   */
  readonly verify?: boolean;
  /** Limits of the final simplification other than the defaults of src/simplify/limits.ts (a limit reached is a note). */
  readonly limits?: Partial<RewriteLimits>;
}

/**
 * Past this many characters an expression or a --where is refused at once: work grows about
 * linearly up to here (2 s per 10 kB at most; a 10,000-term sum is 80 kB, and far slower).
 */
export const LONGEST_INPUT = 20_000;

/** Declarations are read in linear time: a --where may declare a thousand symbols. */
export const LONGEST_DECLARATIONS = 100_000;

function requireShortEnough(text: string, what: string, longest = LONGEST_INPUT): void {
  if (text.length > longest)
    throw new MatcalcError(`not supported: ${what} longer than ${longest.toLocaleString("en")} characters (this one has ${text.length.toLocaleString("en")})`, { start: longest, end: text.length }, text, "unsupported");
}

/**
 * The declarations of `where` as a context (an empty one without); f′(u) in a definition written
 * out. Definitions are read as typed (a scalar added to a vector is added to each entry), and
 * what that reads is said in `notes`.
 */
export function contextOf(where?: string, notes?: string[]): Context {
  if (where) requireShortEnough(where, "declarations", LONGEST_DECLARATIONS);
  const ctx = buildContext(where ? parseStatements(where) : [], where, { broadcast: true, notes });
  for (const name of ctx.definitionOrder) {
    const info = ctx.symbols.get(name)!;
    const written = withDerivativesWrittenOut(info.definition!, ctx, where);
    if (written !== info.definition) ctx.symbols.set(name, { ...info, definition: written });
  }
  return ctx;
}

/**
 * Parse an expression in a context and check its shapes. An answer read back, `E, where s = F`,
 * defines s := F in ctx and reads E; `body` is the text of E.
 */
export function readExpression(text: string, ctx: Context): { expr: Expr; shape: Shape; notes: readonly string[]; body: string } {
  requireShortEnough(text, "an expression");
  if (!text.trim()) throw new MatcalcError("empty expression", { start: 0, end: 0 }, text);
  const clause = splitWhere(text);
  if (!clause) return withBody(readPiece(text, ctx), text);
  for (const { name, expr } of clause.definitions) {
    const named = inWhole(text, () => parseExpression(only(text, name), { names: new Set(ctx.symbols.keys()) }));
    if (named.op !== "sym") throw new MatcalcError("expected a name before `=` in a where clause", name, text, "syntax");
    if (ctx.symbols.get(named.name!)?.declared) throw new MatcalcError(`\`${named.name}\` is already declared or defined`, name, text, "name");
    define(ctx, named.name!, readPiece(only(text, expr), ctx, text).expr, text);
  }
  const body = only(text, clause.body);
  return withBody(readPiece(body, ctx, text), body);
}

// Made field by field: a spread of these results, once a call, was over 1% of a small derivation.
const withBody = (piece: { expr: Expr; shape: Shape; notes: readonly string[] }, body: string) => ({ expr: piece.expr, shape: piece.shape, notes: piece.notes, body });

/** Errors in a piece of the text (blanked around it) shown in the whole text. */
function inWhole<T>(whole: string, read: () => T): T {
  try {
    return read();
  } catch (err) {
    if (err instanceof MatcalcError && err.source !== undefined && err.source !== whole) throw new MatcalcError(err.message, err.span, whole, err.category, err.argument);
    throw err;
  }
}

function readPiece(piece: string, ctx: Context, whole = piece): { expr: Expr; shape: Shape; notes: readonly string[] } {
  if (!piece.trim()) throw new MatcalcError("empty expression", { start: piece.length, end: piece.length }, whole);
  const parsed = inWhole(whole, () => parseExpression(piece, { names: new Set(ctx.symbols.keys()) }));
  requireShallowEnough(parsed, whole);
  const typed = inferShapes(parsed, ctx, whole, { broadcast: true });
  return { expr: withDerivativesWrittenOut(typed.expr, ctx, whole), shape: typed.shape, notes: typed.notes };
}

/**
 * Past this many unary operations on one path (a run of 10,000 minus signs or transposes) the
 * pipeline's recursions would not fit: as many as brackets may nest, so that n nested inverses
 * in a trace are read as far as their brackets are (test/deep.test.ts tries each kind at the
 * limit). Products and sums are not counted: a product of 1,000 factors is a left-deep tree,
 * and is derived.
 */
export const DEEPEST_EXPRESSION = NESTING_LIMIT;

function requireShallowEnough(root: Expr, text: string): void {
  // two parallel stacks, not a stack of pairs (a pair per node is what this would allocate)
  const stack: Expr[] = [root];
  const depths: number[] = [0];
  while (stack.length) {
    const e = stack.pop()!;
    const here = depths.pop()! + (e.args.length === 1 || e.op === "pow" ? 1 : 0);
    if (here > DEEPEST_EXPRESSION)
      throw new MatcalcError(`not supported: more than ${DEEPEST_EXPRESSION} operations (−, ᵀ, ⁻¹, a function) applied one to another`, e.span ?? { start: 0, end: text.length }, text, "unsupported");
    for (const a of e.args) stack.push(a), depths.push(here);
  }
}

/**
 * The derivative of an expression, simplified, with every rule applied recorded: the gradient
 * of a scalar, the Jacobian of a vector, ∂F/∂α, the vec–Kronecker form of a matrix by a matrix,
 * or (order 2) the Hessian of a scalar.
 */
export function derive(text: string, options: DeriveOptions): DeriveResult {
  const whereNotes: string[] = [];
  const ctx = contextOf(options.where, whereNotes);
  const { expr, shape, notes: reading, body } = readExpression(text, ctx);
  const wrt = variableName(options.wrt, ctx);
  const order = options.order ?? 1;
  if (order === 2 && !isScalar(shape))
    throw new MatcalcError(`not supported: a second derivative of a ${showShape(shape)} expression (a third-order array); --order 2 takes a scalar expression`, { start: 0, end: text.length }, text, "unsupported");
  const result = withSource(text, () => (order === 2 ? hessian(expr, wrt, ctx) : derivative(expr, wrt, ctx)));
  const notes: string[] = [...whereNotes, ...reading, ...groupingNotes(body, () => contextOf(options.where))];
  if (result.layout !== "gradient" || order === 2)
    notes.push(`${order === 2 ? "the Hessian: " : ""}${LAYOUT_NOTES[result.layout]}.`);
  const props = ctx.symbols.get(wrt)?.properties;
  if (props && (props.has("symmetric") || props.has("spd") || props.has("diagonal")))
    notes.push(`${symbolName(wrt, "unicode")} is ${[...props].join(", ")}: its entries are taken as independent, and the result is simplified with ${wrt}ᵀ = ${wrt}.`);
  if (props?.has("sums to one"))
    notes.push(`${symbolName(wrt, "unicode")} sums to one, as declared: this is the gradient with its entries independent, simplified with 𝟙ᵀ${symbolName(wrt, "unicode")} = 1.`);
  if (ctx.symbols.get(wrt)?.definition)
    notes.push(`${wrt} is a definition: this is ∂L/∂${wrt} with ${wrt} held as a free variable (the adjoint).`);
  const budget = new Budget(options.limits);
  // folded before too where a definition is a function's value: the function's rule answers in
  // terms of the definition's body (σ(u) ⊙ (𝟙 − σ(u)) for p := σ(u)), which then meets the name
  // the rest of the adjoint uses (1 ⊘ p), so that they cancel
  const foldFirst = ctx.definitionOrder.some((name) => ctx.symbols.get(name)!.definition!.op === "call");
  const simplified = withSource(text, () => {
    const raw = inferShapes(result.derivative, ctx).expr;
    return foldDefinitions(simplifyExpr(foldFirst ? foldDefinitions(raw, ctx) : raw, ctx, budget), ctx);
  });
  notes.push(...budget.notes());
  const derived: DeriveResult = { ctx, expression: expr, wrt, gradient: simplified, shape: result.shape, layout: result.layout, order, steps: result.steps, identities: result.identities, notes };
  if (options.verify === false) return derived;
  const verification = verifyDerivative(derived);
  if (verification.verdict === "disagrees") throw refusal(text, "the derivative", verification);
  if (verification.verdict === "unchecked") notes.push(`not checked numerically: ${verification.reason}.`);
  return { ...derived, verification };
}

/**
 * The worked solution of a derivation (`derive --steps`): definitions, adjoint claims with their
 * rules and sources, simplifications, the answer last (src/steps/; print it with printSolution).
 */
export function workedSolution(r: DeriveResult): WorkedSolution {
  return withSource(formatExpr(r.expression, "unicode", r.ctx), () => {
    if (r.order === 2) return hessianSolution(r.expression, r.wrt, r.ctx, r.gradient, r.layout, r.identities);
    if (r.layout === "gradient") return gradientSolution(r.expression, r.wrt, r.ctx, r.gradient);
    return jacobianSolution(r.expression, r.wrt, r.ctx, r.gradient, r.layout, r.identities);
  });
}

/**
 * Simplify an expression (or just convert its notation). The simplified form is checked to have
 * the input's value at random instances, as derive's answers are, unless `verify` is `false`.
 */
export function simplify(
  text: string,
  where?: string,
  options: { readonly verify?: boolean; readonly limits?: Partial<RewriteLimits> } = {},
): { ctx: Context; expression: Expr; simplified: Expr; notes: readonly string[] } {
  const ctx = contextOf(where);
  const { expr, notes: reading, body } = readExpression(text, ctx);
  const budget = new Budget(options.limits);
  const simplified = withSource(text, () => simplifyExpr(expr, ctx, budget));
  const notes = [...reading, ...groupingNotes(body, () => contextOf(where)), ...budget.notes()];
  if (options.verify === false) return { ctx, expression: expr, simplified, notes };
  const verification = verifySameValue(expr, simplified, ctx);
  if (verification.verdict === "disagrees") throw refusal(text, "the simplified form", verification);
  return { ctx, expression: expr, simplified, notes: verification.verdict === "unchecked" ? [...notes, `not checked numerically: ${verification.reason}.`] : notes };
}

/** An answer that disagreed with the numbers at every instance tried: refused, never printed. */
function refusal(text: string, what: string, v: Verification & { verdict: "disagrees" }): MatcalcError {
  return new MatcalcError(
    `not supported: ${what} found disagrees with the expression's numbers at ${v.instances} random instances ` +
      `(largest relative error ${v.maxError.toPrecision(2)}); matcalc does not print an answer it cannot confirm — please report this input`,
    { start: 0, end: text.length },
    text,
    "unsupported",
  );
}

/** The canonical name of the variable typed after --wrt. */
function variableName(typed: string, ctx: Context): string {
  // a name the context knows, as it spells it, reads as itself (I and e too, once declared or inferred)
  if (ctx.symbols.has(typed)) return typed;
  const parsed = parseExpression(typed, { names: new Set(ctx.symbols.keys()) });
  const whole = { start: 0, end: typed.length };
  if (parsed.op !== "sym") throw new MatcalcError("the variable must be one symbol, such as W, x or alpha", whole, typed, "syntax");
  const name = parsed.name!;
  if (!ctx.symbols.has(name)) {
    // --wrt w for a W: the shell or the habit of lower-case flags
    const other = [...ctx.symbols.keys()].find((n) => n !== name && n.toLowerCase() === name.toLowerCase());
    const hint = other === undefined ? "" : `; did you mean \`${symbolName(other, "unicode")}\`? (names are case-sensitive)`;
    throw new MatcalcError(`\`${typed}\` does not occur in the expression or its declarations${hint}`, whole, typed, "name");
  }
  return name;
}

function withSource<T>(text: string, run: () => T): T {
  try {
    return run();
  } catch (err) {
    // A refusal from deep inside (no node to point at) points at the whole expression.
    if (err instanceof MatcalcError && err.source === undefined) throw new MatcalcError(err.message, err.span ?? { start: 0, end: text.length }, text, err.category);
    throw err;
  }
}
