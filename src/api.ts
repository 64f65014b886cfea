import type { Expr } from "./ast.js";
import { type Context, buildContext } from "./context.js";
import { type Step, gradient } from "./derive/gradient.js";
import { MatcalcError } from "./errors.js";
import { formatExpr } from "./print/expression.js";
import { inferShapes } from "./shapes/infer.js";
import { type Shape, isScalar, showShape } from "./shapes/shape.js";
import { simplify as simplifyExpr } from "./simplify/simplify.js";
import { parseExpression, parseStatements } from "./syntax/parse.js";

export interface DeriveOptions {
  /** The variable, as typed: `W`, `alpha`, `\alpha`, `x_1`. */
  readonly wrt: string;
  /** Declarations and definitions: `W: m×n, x: n, K := αXXᵀ + β⁻¹I`. */
  readonly where?: string;
}

export interface DeriveResult {
  readonly ctx: Context;
  /** The input, parsed and shape-checked. */
  readonly expression: Expr;
  readonly wrt: string;
  /** ∂L/∂wrt, simplified; its shape is the variable's. */
  readonly gradient: Expr;
  readonly shape: Shape;
  readonly steps: readonly Step[];
  readonly notes: readonly string[];
}

/** The declarations of `where` as a context (an empty one without). */
export function contextOf(where?: string): Context {
  return buildContext(where ? parseStatements(where) : [], where);
}

/** Parse an expression in a context and check its shapes. */
export function readExpression(text: string, ctx: Context): { expr: Expr; shape: Shape } {
  if (!text.trim()) throw new MatcalcError("empty expression", { start: 0, end: 0 }, text);
  const names = new Set([...ctx.symbols.keys()]);
  return inferShapes(parseExpression(text, { names }), ctx, text);
}

/** ∂L/∂X of a scalar expression, simplified, with every rule applied recorded. */
export function derive(text: string, options: DeriveOptions): DeriveResult {
  const ctx = contextOf(options.where);
  const { expr, shape } = readExpression(text, ctx);
  const wrt = variableName(options.wrt, ctx);
  if (!isScalar(shape))
    throw new MatcalcError(`not supported: the expression is ${showShape(shape)}; a gradient needs a scalar (Jacobians come later)`, { start: 0, end: text.length }, text, "unsupported");
  const result = withSource(text, () => gradient(expr, wrt, ctx));
  const notes: string[] = [];
  const props = ctx.symbols.get(wrt)?.properties;
  if (props && (props.has("symmetric") || props.has("spd") || props.has("diagonal")))
    notes.push(`${formatExpr({ op: "sym", args: [], name: wrt }, "unicode")} is ${[...props].join(", ")}: its entries are taken as independent, and the result is simplified with ${wrt}ᵀ = ${wrt}.`);
  if (ctx.symbols.get(wrt)?.definition)
    notes.push(`${wrt} is a definition: this is ∂L/∂${wrt} with ${wrt} held as a free variable (the adjoint).`);
  return { ctx, expression: expr, wrt, gradient: simplifyExpr(result.gradient, ctx), shape: result.shape, steps: result.steps, notes };
}

/** Simplify an expression (or just convert its notation). */
export function simplify(text: string, where?: string): { ctx: Context; expression: Expr; simplified: Expr } {
  const ctx = contextOf(where);
  const { expr } = readExpression(text, ctx);
  return { ctx, expression: expr, simplified: simplifyExpr(expr, ctx) };
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
    if (err instanceof MatcalcError && err.source === undefined) throw new MatcalcError(err.message, err.span, text, err.category);
    throw err;
  }
}
