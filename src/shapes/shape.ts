import type { Dim, Span } from "../ast.js";
import { MatcalcError } from "../errors.js";

/** rows × cols; a scalar is 1×1, a column vector n×1. */
export type Shape = readonly [Dim, Dim];

export const SCALAR: Shape = [1, 1];

export const isScalar = (s: Shape): boolean => s[0] === 1 && s[1] === 1;
export const isVector = (s: Shape): boolean => s[1] === 1 && s[0] !== 1;

export function showDim(d: Dim): string {
  if (typeof d === "number") return String(d);
  if (isProductDim(d)) return factorsOf(d).map(showDim).join("·");
  return d.startsWith("?") ? "?" : d;
}

// A product of dimensions (the rows of A ⊗ B, the length of vec(X)) is the string of its
// factors joined by "·": "m·p". Products are flat, never contain 1, and literal sizes multiply
// out; named factors are sorted (m·n = n·m). They unify factor by factor (m·p with ?1·?2), which
// is sufficient, not necessary.
const TIMES = "·";

export const isProductDim = (d: Dim): boolean => typeof d === "string" && d.includes(TIMES);

/** The factors of a dimension: [d] unless it is a product. */
export function factorsOf(d: Dim): Dim[] {
  return isProductDim(d) ? (d as string).split(TIMES).map((f) => (/^\d+$/.test(f) ? Number(f) : f)) : [d];
}

/** A dimension unification made up (?1), not one the input names. */
export const isFreshDim = (d: Dim): d is string => typeof d === "string" && d.startsWith("?");

export function showShape(s: Shape): string {
  if (isScalar(s)) return "scalar";
  if (s[1] === 1) return isFreshDim(s[0]) ? "a vector" : `vector of ${showDim(s[0])}`;
  if (isFreshDim(s[0]) && isFreshDim(s[1])) return s[0] === s[1] ? "a square matrix" : "a matrix";
  return `${showDim(s[0])}×${showDim(s[1])}`;
}

/**
 * Union–find over dimensions. Named dimensions (m, n, D) and fresh ones ("?3") unify;
 * two different literal sizes, or two different declared names, clash.
 */
export class Dims {
  private parent = new Map<string, Dim>();
  private fresh = 0;

  freshDim(): Dim {
    return `?${++this.fresh}`;
  }

  resolve(d: Dim): Dim {
    if (typeof d === "number") return d;
    if (isProductDim(d)) return this.product(...factorsOf(d));
    // Most dimensions are already their own representative.
    if (!this.parent.has(d)) return d;
    let cur: Dim = d;
    const path: string[] = [];
    while (typeof cur === "string" && this.parent.has(cur)) {
      path.push(cur);
      cur = this.parent.get(cur)!;
    }
    for (const p of path) this.parent.set(p, cur);
    return isProductDim(cur) ? this.product(...factorsOf(cur)) : cur;
  }

  resolveShape(s: Shape): Shape {
    const rows = this.resolve(s[0]);
    const cols = this.resolve(s[1]);
    // shapes are read-only: one already resolved is its own answer (asked for at every match)
    return rows === s[0] && cols === s[1] ? s : [rows, cols];
  }

  /** The product of dimensions, resolved and flattened: product(m, 1) = m, product(2, 3) = 6. */
  product(...ds: Dim[]): Dim {
    let literal = 1;
    const names: string[] = [];
    for (const d of ds)
      for (const f of factorsOf(d)) {
        const r = this.resolve(f);
        for (const g of factorsOf(r)) {
          if (typeof g === "number") literal *= g;
          else names.push(g);
        }
      }
    if (names.length === 0) return literal;
    // m·n = n·m: named factors are sorted; fresh ones keep their order until they resolve.
    if (!names.some((n) => n.startsWith("?"))) names.sort();
    if (literal !== 1) names.unshift(String(literal));
    return names.length === 1 ? names[0]! : names.join(TIMES);
  }

  /** Make a and b equal; false when they cannot be. */
  unify(a: Dim, b: Dim): boolean {
    const x = this.resolve(a);
    const y = this.resolve(b);
    if (x === y) return true;
    if (isProductDim(x) || isProductDim(y)) return this.unifyProducts(x, y);
    // A named size is never 1: that would turn a vector into a scalar behind the user's back.
    if (x === 1 || y === 1) return false;
    const xFresh = isFreshDim(x);
    const yFresh = isFreshDim(y);
    if (xFresh) this.parent.set(x as string, y);
    else if (yFresh) this.parent.set(y as string, x);
    // Two declared names may stand for the same size (x: n used where m is wanted is a clash
    // only if the user says so); we keep them distinct to catch real mistakes.
    else return false;
    return true;
  }

  /** A product unifies with a fresh name (which becomes it) or, factor by factor, with a product. */
  private unifyProducts(x: Dim, y: Dim): boolean {
    // A name never stands for a product of itself and more (no dimension is 1).
    const bind = (name: string, to: Dim) => !factorsOf(to).includes(name) && (this.parent.set(name, to), true);
    if (isFreshDim(x) && !isProductDim(x)) return bind(x, y);
    if (isFreshDim(y) && !isProductDim(y)) return bind(y, x);
    // Equal factors pair up first (?1·n with n·p leaves ?1 with p), the rest in order.
    const fx = factorsOf(x);
    const fy = factorsOf(y);
    for (let i = 0; i < fx.length; i++) {
      const j = fy.indexOf(fx[i]!);
      if (j >= 0) {
        fx.splice(i--, 1);
        fy.splice(j, 1);
      }
    }
    if (fx.length !== fy.length) return false;
    return fx.every((f, i) => this.unify(f, fy[i]!));
  }
}

export function shapeError(message: string, span?: Span): MatcalcError {
  return new MatcalcError(message, span, undefined, "shape");
}
