import { type Expr, type Property, type Statement, symbols } from "./ast.js";
import { MatcalcError } from "./errors.js";
import { inferShapes } from "./shapes/infer.js";
import { Dims, SCALAR, type Shape, showShape } from "./shapes/shape.js";
import { isSymmetric } from "./simplify/symmetry.js";

/** What is known of one name: declared or inferred shape, properties, definition. */
export interface SymbolInfo {
  readonly name: string;
  /** Unresolved: always read it through `context.dims.resolveShape`. */
  shape: Shape;
  readonly properties: Set<Property>;
  /** `K := αXXᵀ + β⁻¹I`: results keep K; evaluation computes it from this. */
  readonly definition?: Expr;
  /** A dimension name used as a scalar (the D of Y: m×D): its value is that size. */
  readonly dimension?: boolean;
  /** Declared by the user (true) or inferred from NOTATION.md's convention (false). */
  readonly declared: boolean;
}

export interface Context {
  readonly symbols: Map<string, SymbolInfo>;
  readonly dims: Dims;
  /** Defined names, each after every definition it uses. */
  readonly definitionOrder: string[];
}

/** The context of a list of declarations and definitions, in order. */
export function buildContext(statements: readonly Statement[], source?: string): Context {
  const ctx: Context = { symbols: new Map(), dims: new Dims(), definitionOrder: [] };
  for (const s of statements) {
    if (s.kind === "declare") {
      const shape = declaredShape(s, source);
      for (const { name, span } of s.names) {
        const known = ctx.symbols.get(name);
        if (known?.declared) throw new MatcalcError(`\`${name}\` is declared twice`, span, source, "name");
        ctx.symbols.set(name, { name, shape, properties: new Set(s.properties), declared: true });
      }
      for (const d of shape) if (typeof d === "string") declareDimension(ctx, d);
    } else {
      if (ctx.symbols.get(s.name)?.declared || ctx.symbols.get(s.name)?.definition)
        throw new MatcalcError(`\`${s.name}\` is already declared or defined`, s.span, source, "name");
      if (symbols(s.expr).has(s.name))
        throw new MatcalcError(`\`${s.name}\` is defined in terms of itself`, s.span, source, "name");
      define(ctx, s.name, s.expr, source);
    }
  }
  return ctx;
}

/** The shape a declaration gives its names; symmetric, spd and diagonal need a square one. */
export function declaredShape(s: Extract<Statement, { kind: "declare" }>, source?: string): Shape {
  const shape: Shape = s.shape.kind === "scalar" ? SCALAR : s.shape.kind === "vector" ? [s.shape.rows, 1] : [s.shape.rows, s.shape.cols];
  if (s.properties.includes("positive") && !(shape[0] === 1 && shape[1] === 1))
    throw new MatcalcError(`positive is a property of scalars, not of a ${showShape(shape)} symbol`, s.span, source, "shape");
  if (s.properties.length && shape[0] !== shape[1])
    throw new MatcalcError(`${s.properties.join(", ")} needs a square shape, not ${showShape(shape)}`, s.span, source, "shape");
  return shape;
}

/** name := expr, its shape checked and its symmetry inferred (αXXᵀ + β⁻¹I is symmetric). */
export function define(ctx: Context, name: string, expr: Expr, source?: string): void {
  const { expr: typed, shape } = inferShapes(expr, ctx, source);
  const info: SymbolInfo = { name, shape, properties: new Set(), definition: typed, declared: true };
  ctx.symbols.set(name, info);
  ctx.definitionOrder.push(name);
  if (shape[0] === shape[1] && isSymmetric(typed, ctx)) info.properties.add("symmetric");
}

/** A dimension name (the D of Y: m×D) is also a scalar, unless declared as something else. */
export function declareDimension(ctx: Context, d: string): void {
  if (!ctx.symbols.has(d)) ctx.symbols.set(d, { name: d, shape: SCALAR, properties: new Set(), dimension: true, declared: false });
}
