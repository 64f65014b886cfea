import type { Expr } from "./ast.js";
import { type Context, buildContext } from "./context.js";
import type { Step } from "./derive/gradient.js";
import { type Layout, LAYOUT_NOTES, derivative, hessian } from "./derive/jacobian.js";
import { foldDefinitions } from "./derive/fold.js";
import { MatcalcError } from "./errors.js";
import { symbolName } from "./print/names.js";
import { inferShapes } from "./shapes/infer.js";
import { type Shape, isScalar, showShape } from "./shapes/shape.js";
import { simplify as simplifyExpr } from "./simplify/simplify.js";
import { parseExpression, parseStatements } from "./syntax/parse.js";
import { NESTING_LIMIT } from "./syntax/tokens.js";
import { type Verification, verifyDerivative, verifySameValue } from "./numeric/verify.js";

export interface DeriveOptions {
  /** The variable, as typed: `W`, `alpha`, `\alpha`, `x_1`. */
  readonly wrt: string;
  /** Declarations and definitions: `W: m×n, x: n, K := αXXᵀ + β⁻¹I`. */
  readonly where?: string;
  /** 1 (default): the gradient or Jacobian; 2: the Hessian of a scalar expression. */
  readonly order?: 1 | 2;
  /**
   * Check the answer against finite differences of the function at random instances (the
   * command line always does): an answer that disagrees at every instance tried is refused
   * as "not supported", one that cannot be checked gets a note saying why.
   */
  readonly verify?: boolean;
}

export interface DeriveResult {
  readonly ctx: Context;
  /** The input, parsed and shape-checked. */
  readonly expression: Expr;
  readonly wrt: string;
  /**
   * The derivative, simplified: ∂L/∂wrt of a scalar (the variable's shape), the Jacobian
   * ∂y/∂x of vectors (J_ij = ∂y_i/∂x_j), ∂F/∂α by a scalar (F's shape), ∂vec(F)/∂vec(X)
   * otherwise; with order 2, the Hessian. The name is historical: it is not always a gradient.
   */
  readonly gradient: Expr;
  /** The derivative's shape (products of dimensions, m·n, in vec–Kronecker form). */
  readonly shape: Shape;
  /** How the derivative is laid out (see LAYOUT_NOTES). */
  readonly layout: Layout;
  /** 1 or 2. */
  readonly order: 1 | 2;
  /** For a Jacobian, Hessian or ∂F/∂α: the identities of rules/linear-maps.ts it was read off with. */
  readonly identities: readonly string[];
  readonly steps: readonly Step[];
  readonly notes: readonly string[];
  /** With `verify`: how the answer compared with finite differences. */
  readonly verification?: Verification;
}

/**
 * Past this many characters an expression or a --where is refused at once: every command answers
 * within about 2 s on inputs of this size (a 10,000-term sum is 100 kB, and far slower).
 */
export const LONGEST_INPUT = 10_000;

function requireShortEnough(text: string, what: string): void {
  if (text.length > LONGEST_INPUT)
    throw new MatcalcError(`not supported: ${what} longer than ${LONGEST_INPUT.toLocaleString("en")} characters (this one has ${text.length.toLocaleString("en")})`, { start: LONGEST_INPUT, end: text.length }, text, "unsupported");
}

/** The declarations of `where` as a context (an empty one without). */
export function contextOf(where?: string): Context {
  if (where) requireShortEnough(where, "declarations");
  return buildContext(where ? parseStatements(where) : [], where);
}

/** Parse an expression in a context and check its shapes. */
export function readExpression(text: string, ctx: Context): { expr: Expr; shape: Shape } {
  requireShortEnough(text, "an expression");
  if (!text.trim()) throw new MatcalcError("empty expression", { start: 0, end: 0 }, text);
  const names = new Set([...ctx.symbols.keys()]);
  const parsed = parseExpression(text, { names });
  requireShallowEnough(parsed, text);
  return inferShapes(parsed, ctx, text);
}

/** Past this depth (brackets, or a run of 10,000 minus signs) the derivative's recursion would not fit. */
export const DEEPEST_EXPRESSION = 2 * NESTING_LIMIT;

function requireShallowEnough(root: Expr, text: string): void {
  const stack: [Expr, number][] = [[root, 1]];
  while (stack.length) {
    const [e, depth] = stack.pop()!;
    if (depth > DEEPEST_EXPRESSION)
      throw new MatcalcError(`not supported: the expression is nested more than ${DEEPEST_EXPRESSION} operations deep`, e.span ?? { start: 0, end: text.length }, text, "unsupported");
    for (const a of e.args) stack.push([a, depth + 1]);
  }
}

/**
 * The derivative of an expression, simplified, with every rule applied recorded: the gradient
 * of a scalar, the Jacobian of a vector, ∂F/∂α, the vec–Kronecker form of a matrix by a matrix,
 * or (order 2) the Hessian of a scalar.
 */
export function derive(text: string, options: DeriveOptions): DeriveResult {
  const ctx = contextOf(options.where);
  const { expr, shape } = readExpression(text, ctx);
  const wrt = variableName(options.wrt, ctx);
  const order = options.order ?? 1;
  if (order === 2 && !isScalar(shape))
    throw new MatcalcError(`not supported: a second derivative of a ${showShape(shape)} expression (a third-order array); --order 2 takes a scalar expression`, { start: 0, end: text.length }, text, "unsupported");
  const result = withSource(text, () => (order === 2 ? hessian(expr, wrt, ctx) : derivative(expr, wrt, ctx)));
  const notes: string[] = [];
  if (result.layout !== "gradient" || order === 2)
    notes.push(`${order === 2 ? "the Hessian: " : ""}${LAYOUT_NOTES[result.layout]}.`);
  const props = ctx.symbols.get(wrt)?.properties;
  if (props && (props.has("symmetric") || props.has("spd") || props.has("diagonal")))
    notes.push(`${symbolName(wrt, "unicode")} is ${[...props].join(", ")}: its entries are taken as independent, and the result is simplified with ${wrt}ᵀ = ${wrt}.`);
  if (ctx.symbols.get(wrt)?.definition)
    notes.push(`${wrt} is a definition: this is ∂L/∂${wrt} with ${wrt} held as a free variable (the adjoint).`);
  const simplified = withSource(text, () => foldDefinitions(simplifyExpr(inferShapes(result.derivative, ctx).expr, ctx), ctx));
  const derived: DeriveResult = { ctx, expression: expr, wrt, gradient: simplified, shape: result.shape, layout: result.layout, order, steps: result.steps, identities: result.identities, notes };
  if (!options.verify) return derived;
  const verification = verifyDerivative(derived);
  if (verification.verdict === "disagrees") throw refusal(text, "the derivative", verification);
  if (verification.verdict === "unchecked") notes.push(`not checked numerically: ${verification.reason}.`);
  return { ...derived, verification };
}

/**
 * Simplify an expression (or just convert its notation). With `verify`, the simplified form is
 * checked to have the input's value at random instances, as derive's answers are.
 */
export function simplify(text: string, where?: string, options: { readonly verify?: boolean } = {}): { ctx: Context; expression: Expr; simplified: Expr; notes: readonly string[] } {
  const ctx = contextOf(where);
  const { expr } = readExpression(text, ctx);
  const simplified = simplifyExpr(expr, ctx);
  if (!options.verify) return { ctx, expression: expr, simplified, notes: [] };
  const verification = verifySameValue(expr, simplified, ctx);
  if (verification.verdict === "disagrees") throw refusal(text, "the simplified form", verification);
  return { ctx, expression: expr, simplified, notes: verification.verdict === "unchecked" ? [`not checked numerically: ${verification.reason}.`] : [] };
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
  const parsed = parseExpression(typed, { names: new Set(ctx.symbols.keys()) });
  if (parsed.op !== "sym") throw new MatcalcError("--wrt takes one symbol, such as W, x or alpha", { start: 0, end: typed.length }, typed, "syntax");
  const name = parsed.name!;
  if (!ctx.symbols.has(name))
    throw new MatcalcError(`\`${typed}\` does not occur in the expression or its declarations`, { start: 0, end: typed.length }, typed, "name");
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
