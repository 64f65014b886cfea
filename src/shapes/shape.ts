import type { Dim, Span } from "../ast.js";
import { MatcalcError } from "../errors.js";

/** rows × cols; a scalar is 1×1, a column vector n×1. */
export type Shape = readonly [Dim, Dim];

export const SCALAR: Shape = [1, 1];

export const isScalar = (s: Shape): boolean => s[0] === 1 && s[1] === 1;
export const isVector = (s: Shape): boolean => s[1] === 1 && s[0] !== 1;

export function showDim(d: Dim): string {
  return typeof d === "number" ? String(d) : d.startsWith("?") ? "?" : d;
}

export function showShape(s: Shape): string {
  if (isScalar(s)) return "scalar";
  if (s[1] === 1) return `vector of ${showDim(s[0])}`;
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
    let cur = d;
    const path: string[] = [];
    while (typeof cur === "string" && this.parent.has(cur)) {
      path.push(cur);
      cur = this.parent.get(cur)!;
    }
    for (const p of path) this.parent.set(p, cur);
    return cur;
  }

  resolveShape(s: Shape): Shape {
    return [this.resolve(s[0]), this.resolve(s[1])];
  }

  /** Make a and b equal; false when they cannot be. */
  unify(a: Dim, b: Dim): boolean {
    const x = this.resolve(a);
    const y = this.resolve(b);
    if (x === y) return true;
    // A named size is never 1: that would turn a vector into a scalar behind the user's back.
    if (x === 1 || y === 1) return false;
    const xFresh = typeof x === "string" && x.startsWith("?");
    const yFresh = typeof y === "string" && y.startsWith("?");
    if (xFresh) this.parent.set(x as string, y);
    else if (yFresh) this.parent.set(y as string, x);
    // Two declared names may stand for the same size (x: n used where m is wanted is a clash
    // only if the user says so); we keep them distinct to catch real mistakes.
    else return false;
    return true;
  }
}

export function shapeError(message: string, span?: Span): MatcalcError {
  return new MatcalcError(message, span, undefined, "shape");
}
