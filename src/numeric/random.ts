// Random instances: sizes for the dimensions and values for the symbols of a context,
// drawn so that checks are meaningful (distinct sizes catch swapped dimensions, values
// respect declared properties, square matrices are comfortably invertible).

import { Matrix } from "ml-matrix";
import { distinctPostorder, type Dim, type Expr } from "../ast.js";
import type { Context } from "../context.js";
import { DomainError, evaluate, frobeniusCondition } from "./evaluate.js";
import { factorsOf } from "../shapes/shape.js";
import type { Instance } from "./instance.js";

export type { Instance };

/** Scalars of either sign (each at random), all negative, or all positive. */
export type ScalarSigns = "mixed" | "negative" | "positive";

export interface InstanceOptions {
  /** Smallest size of a named dimension (default 2, so that vectors are not scalars). */
  minSize?: number;
  /** Largest size of a named dimension (default 4). */
  maxSize?: number;
  /** Sizes fixed by the caller, by dimension name. */
  fixedSizes?: Map<string, number>;
  /**
   * Expressions whose `identity` nodes may carry dimensions no symbol has: they get sizes too.
   * (`instanceWhereDefined` passes its expressions.)
   */
  exprs?: readonly Expr[];
  /**
   * Scalars of both signs (the default), or all positive. Scalars declared `positive` are
   * positive either way. `instanceWhereDefined` falls back to positive scalars only after half its
   * draws found no instance where the expressions are defined (log α is defined for α > 0 only).
   */
  scalarSigns?: ScalarSigns;
}

/** mulberry32: a small, fast, seeded generator of uniform numbers in [0, 1). */
export function seededRng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The same instance with one value replaced (definitions are evaluated afresh). */
export function withValue(inst: Instance, name: string, value: Matrix): Instance {
  const values = new Map(inst.values);
  values.set(name, value);
  return { sizes: inst.sizes, values, ctx: inst.ctx };
}

/** Calls `draw` (with the attempt's number) until it throws no DomainError; after `tries` failures rethrows the last one. */
export function withDomain<T>(draw: (attempt: number) => T, tries = 20): T {
  let last: unknown;
  for (let i = 0; i < Math.max(1, tries); i++) {
    try {
      return draw(i);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      last = err;
    }
  }
  throw last;
}

/** A random instance at which every one of `exprs` has a value (redrawn up to `tries` times). */
export function instanceWhereDefined(
  ctx: Context,
  exprs: readonly Expr[],
  rng: () => number,
  options: InstanceOptions & { tries?: number } = {},
): Instance {
  const tries = options.tries ?? 20;
  return withDomain((attempt) => {
    const inst = randomInstance(ctx, rng, { ...options, exprs: [...(options.exprs ?? []), ...exprs], scalarSigns: signsAt(attempt, tries, options.scalarSigns) });
    for (const e of exprs) evaluate(e, inst);
    return inst;
  }, tries);
}

/** The caller's sign policy for the first half of the attempts, positive scalars after. */
export function signsAt(attempt: number, tries: number, wanted: ScalarSigns = "mixed"): ScalarSigns {
  return attempt < Math.ceil(tries / 2) ? wanted : "positive";
}

/**
 * Literal sizes (x: 1000) are kept by every instance, and a numeric check costs a dense
 * evaluation per entry: past this size nothing is drawn (a DomainError says why).
 */
export const LARGEST_CHECKED_SIZE = 24;

/** Why the symbols of ctx (and the sizes in `expr`) are too large to draw, or undefined. */
export function tooLargeToCheck(ctx: Context, expr?: Expr): string | undefined {
  let largest = 0;
  const note = (d: Dim) => {
    for (const r of factorsOf(ctx.dims.resolve(d))) if (typeof r === "number") largest = Math.max(largest, r);
  };
  for (const info of ctx.symbols.values()) for (const d of ctx.dims.resolveShape(info.shape)) note(d);
  if (expr) for (const n of distinctPostorder(expr)) if (n.dim !== undefined) note(n.dim);
  return largest > LARGEST_CHECKED_SIZE ? `a size of ${largest} is too large to check numerically (at most ${LARGEST_CHECKED_SIZE})` : undefined;
}

/** Condition (‖A‖_F‖A⁻¹‖_F) a square n×n value may have: 5n accepts about 70% of uniform draws. */
const conditionBound = (n: number): number => 5 * n;
const DRAWS = 30;

export function randomInstance(ctx: Context, rng: () => number, options: InstanceOptions = {}): Instance {
  const minSize = options.minSize ?? 2;
  const maxSize = options.maxSize ?? 4;
  if (!(Number.isInteger(minSize) && Number.isInteger(maxSize) && 1 <= minSize && minSize <= maxSize))
    throw new RangeError(`randomInstance: bad size range [${minSize}, ${maxSize}]`);

  // Named dimensions in order of first appearance (deterministic for a seeded rng); literal sizes.
  const names: string[] = [];
  const literals = new Set<number>();
  const note = (d: Dim): void => {
    // A product of dimensions (rows of A ⊗ B) has its factors sized, never itself.
    for (const r of factorsOf(ctx.dims.resolve(d))) {
      if (typeof r === "number") literals.add(r);
      else if (!names.includes(r)) names.push(r);
    }
  };
  for (const info of ctx.symbols.values()) {
    const [r, c] = ctx.dims.resolveShape(info.shape);
    note(r);
    note(c);
    if (info.dimension) note(info.name);
  }
  // I and 𝟙 carry their sizes.
  for (const e of options.exprs ?? []) for (const n of distinctPostorder(e)) if (n.dim !== undefined) note(n.dim);

  const tooLarge = tooLargeToCheck(ctx);
  if (tooLarge) throw new DomainError(tooLarge);
  const sizes = assignSizes(ctx, names, literals, rng, minSize, maxSize, options.fixedSizes);
  const size = (d: Dim): number => factorsOf(ctx.dims.resolve(d)).reduce<number>((acc, r) => acc * (typeof r === "number" ? r : sizes.get(r)!), 1);

  const values = new Map<string, Matrix>();
  for (const info of ctx.symbols.values()) {
    if (info.definition || info.dimension) continue;
    const [r, c] = ctx.dims.resolveShape(info.shape);
    values.set(info.name, drawValue(size(r), size(c), info.properties, rng, options.scalarSigns ?? "mixed"));
  }
  return { sizes, values, ctx };
}

function assignSizes(
  ctx: Context,
  names: readonly string[],
  literals: ReadonlySet<number>,
  rng: () => number,
  min: number,
  max: number,
  fixed: ReadonlyMap<string, number> | undefined,
): Map<string, number> {
  const sizes = new Map<string, number>();
  const taken = new Set(literals);
  for (const [name, n] of fixed ?? []) {
    const r = ctx.dims.resolve(name);
    if (typeof r === "string") sizes.set(r, n);
    taken.add(n);
  }
  // Prefer sizes no other dimension has: first the unused ones, then the rest, each shuffled.
  const range = Array.from({ length: max - min + 1 }, (_, i) => min + i);
  const order = [...shuffle(range.filter((n) => !taken.has(n)), rng), ...shuffle(range.filter((n) => taken.has(n)), rng)];
  let k = 0;
  for (const name of names) if (!sizes.has(name)) sizes.set(name, order[k++ % order.length]!);
  return sizes;
}

function shuffle<T>(xs: T[], rng: () => number): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [xs[i], xs[j]] = [xs[j]!, xs[i]!];
  }
  return xs;
}

function uniform(rows: number, cols: number, rng: () => number, lo = -1, hi = 1): Matrix {
  const m = new Matrix(rows, cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) m.set(i, j, lo + (hi - lo) * rng());
  return m;
}

/** Best of up to DRAWS draws by `cond`, the first one under `bound`. */
function wellConditioned(draw: () => Matrix, cond: (m: Matrix) => number, bound: number): Matrix {
  let best: Matrix | undefined;
  let bestCond = Infinity;
  for (let i = 0; i < DRAWS; i++) {
    const m = draw();
    const c = cond(m);
    if (c <= bound) return m;
    if (!best || c < bestCond) [best, bestCond] = [m, c];
  }
  return best!;
}

function drawValue(rows: number, cols: number, properties: ReadonlySet<string>, rng: () => number, signs: ScalarSigns): Matrix {
  // Scalars of either sign, away from 0 (a kink of |α|, relu, step): a rewrite or an answer that
  // holds for α > 0 only (√(α²) = α) is caught at a negative one.
  if (rows === 1 && cols === 1) {
    const magnitude = 0.5 + rng();
    const negative = !properties.has("positive") && (signs === "negative" || (signs === "mixed" && rng() < 0.5));
    return new Matrix([[negative ? -magnitude : magnitude]]);
  }
  const square = rows === cols;
  if (square && properties.has("diagonal")) {
    const positive = properties.has("spd");
    const m = Matrix.zeros(rows, cols);
    for (let i = 0; i < rows; i++) m.set(i, i, (positive || rng() < 0.5 ? 1 : -1) * (0.5 + rng()));
    return m;
  }
  if (square && properties.has("spd")) {
    // AᵀA·s + I with λmax(AᵀA)·s ≤ ‖A‖²_F·s ≤ 9: condition ≤ 10.
    const a = uniform(rows, rows, rng);
    const f2 = a.norm("frobenius") ** 2;
    const s = Math.min(1 / rows, f2 > 0 ? 9 / f2 : 1);
    const m = a.transpose().mmul(a).mul(s).add(Matrix.eye(rows));
    return m.add(m.transpose()).div(2); // exactly symmetric
  }
  if (square && properties.has("symmetric"))
    return wellConditioned(
      () => {
        const a = uniform(rows, rows, rng);
        return a.add(a.transpose()).div(2);
      },
      frobeniusCondition,
      conditionBound(rows),
    );
  if (square) return wellConditioned(() => uniform(rows, rows, rng), frobeniusCondition, conditionBound(rows));
  // sum(y) = 1 declared: a probability vector, entries in (0, 1) (log(y) is defined too)
  if (cols === 1 && properties.has("sums to one")) {
    const y = uniform(rows, 1, rng, 0.2, 1);
    return y.div(y.sum());
  }
  if (rows === 1 || cols === 1) return uniform(rows, cols, rng);
  // A rectangular matrix of full rank, with a modestly conditioned Gram matrix (for (XᵀX)⁻¹).
  const k = Math.min(rows, cols);
  return wellConditioned(
    () => uniform(rows, cols, rng),
    (m) => frobeniusCondition(rows < cols ? m.mmul(m.transpose()) : m.transpose().mmul(m)),
    conditionBound(k) ** 2,
  );
}
