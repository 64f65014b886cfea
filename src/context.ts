// What is known of the names: plain data that every stage reads. Building it from declarations
// and definitions infers shapes and symmetry, so that is done above, in src/declarations.ts.
import type { Expr, Property, Statement } from "./ast.js";
import { MatcalcError } from "./errors.js";
import { type Dims, SCALAR, type Shape, factorsOf, isProductDim, showShape } from "./shapes/shape.js";

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
  /**
   * What the stages have worked out in this context (shapes, normal forms, symmetry, fixpoints),
   * a table per stage by the stage's key (see `memoOf`): it lives and dies with the context, and
   * two contexts never share one. A context made from another gets a new, empty `new Map()`.
   */
  readonly memo: Map<MemoKey<unknown>, unknown>;
}

/** A stage's memo table: made empty the first time a context is asked for it. */
export interface MemoKey<T> {
  readonly name: string;
  readonly empty: (ctx: Context) => T;
}

/** The stage's memo table in this context (answers depend on the context, so are kept in it). */
export function memoOf<T>(ctx: Context, key: MemoKey<T>): T {
  let table = ctx.memo.get(key) as T | undefined;
  if (table === undefined) ctx.memo.set(key, (table = key.empty(ctx)));
  return table;
}

/** A copy of ctx to add names to (a textbook's `where s = …`, an answer's named pieces), ctx unchanged. */
export function extendedContext(ctx: Context): Context {
  return { symbols: new Map(ctx.symbols), dims: ctx.dims, definitionOrder: [...ctx.definitionOrder], memo: new Map() };
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

/** `sum(y) = 1`: y, a declared column vector, sums to one (𝟙ᵀy = 1 in the normal form, and in every instance). */
export function constrain(ctx: Context, s: Extract<Statement, { kind: "constrain" }>, source?: string): void {
  const { name, span } = s.names[0]!;
  const info = ctx.symbols.get(name);
  if (!info?.declared || info.definition) throw new MatcalcError(`\`${name}\` must be declared (\`${name}: n\`) before \`sum(${name}) = 1\``, span, source, "name");
  const shape = ctx.dims.resolveShape(info.shape);
  if (shape[1] !== 1 || shape[0] === 1)
    throw new MatcalcError(`\`sum(${name}) = 1\` is for a column vector, not a ${showShape(shape)} symbol`, span, source, "shape");
  info.properties.add(s.property);
}

/** A dimension name (the D of Y: m×D) is also a scalar, unless declared as something else. */
export function declareDimension(ctx: Context, d: string): void {
  if (isProductDim(d)) {
    for (const f of factorsOf(d)) if (typeof f === "string") declareDimension(ctx, f);
    return;
  }
  if (!ctx.symbols.has(d)) ctx.symbols.set(d, { name: d, shape: SCALAR, properties: new Set(), dimension: true, declared: false });
}
