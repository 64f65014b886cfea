// Comparing two numeric values: equal up to rounding and finite-difference error, and
// printing a counterexample a person can read.

import type { Matrix } from "ml-matrix";

export interface Tolerance {
  /** Allowed error relative to the larger side's largest entry (default 1e-5). */
  rel?: number;
  /** Allowed absolute error on top (default 1e-9). */
  abs?: number;
}

export const DEFAULT_TOLERANCE: Required<Tolerance> = { rel: 1e-5, abs: 1e-9 };

/** Below this the scale of a comparison does not shrink (both sides ~0 compare absolutely). */
const SCALE_FLOOR = 1e-8;

/**
 * Whether max|a − b| ≤ rel·max(1e-8, ‖a‖_max, ‖b‖_max) + abs, with ‖·‖_max the largest
 * entry in absolute value. Different shapes or a non-finite entry are never close
 * (maxError is then Infinity). The defaults absorb the error of `centralDifference`
 * (≈1e-10 relative) by five orders of magnitude, while a sign flip (error 2·scale), a
 * factor 2 (½·scale) or a dropped transpose of a non-symmetric matrix are far above it.
 */
/** The largest |entry| (NaN when an entry is: NaN propagates through Math.max). */
export function maxAbs(m: Matrix): number {
  let s = 0;
  for (let i = 0; i < m.rows; i++) for (let j = 0; j < m.columns; j++) s = Math.max(s, Math.abs(m.get(i, j)));
  return s;
}

export function closeEnough(a: Matrix, b: Matrix, tol: Tolerance = {}): { ok: boolean; maxError: number; scale: number } {
  const rel = tol.rel ?? DEFAULT_TOLERANCE.rel;
  const abs = tol.abs ?? DEFAULT_TOLERANCE.abs;
  const scale = Math.max(SCALE_FLOOR, maxAbs(a), maxAbs(b));
  if (a.rows !== b.rows || a.columns !== b.columns || !Number.isFinite(scale))
    return { ok: false, maxError: Infinity, scale };
  let maxError = 0;
  for (let i = 0; i < a.rows; i++)
    for (let j = 0; j < a.columns; j++) maxError = Math.max(maxError, Math.abs(a.get(i, j) - b.get(i, j)));
  return { ok: maxError <= rel * scale + abs, maxError, scale };
}

/** A number with `digits` significant digits, without exponent noise for ordinary sizes. */
export function formatNumber(x: number, digits = 4): string {
  if (Number.isNaN(x)) return "NaN";
  if (!Number.isFinite(x)) return x > 0 ? "Infinity" : "-Infinity";
  if (x === 0) return "0";
  const ax = Math.abs(x);
  return ax >= 1e-4 && ax < 1e6 ? String(Number(x.toPrecision(digits))) : x.toExponential(digits - 1);
}

/**
 * Readable rendering: a scalar as a number, a matrix as bracketed rows with aligned
 * columns (a column vector is printed as a column).
 */
export function formatMatrix(m: Matrix, digits = 4): string {
  if (m.rows === 1 && m.columns === 1) return formatNumber(m.get(0, 0), digits);
  const cells = m.to2DArray().map((row) => row.map((x) => formatNumber(x, digits)));
  const widths = Array.from({ length: m.columns }, (_, j) => Math.max(...cells.map((r) => [...r[j]!].length)));
  return cells
    .map((row) => "[" + row.map((c, j) => " ".repeat(widths[j]! - [...c].length) + c).join("  ") + "]")
    .join("\n");
}

/** A 1×1 value standing for a matrix of equal entries (a 0 for a zero matrix, 2sum(X)𝟙𝟙ᵀ read back as a number) in the other's shape. */
export function shapedLike(value: Matrix, other: Matrix): Matrix {
  return value.rows === 1 && value.columns === 1 && (other.rows > 1 || other.columns > 1) ? other.clone().fill(value.get(0, 0)) : value;
}
