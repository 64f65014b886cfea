// Derivatives by finite differences: the independent truth symbolic derivatives are checked against.
//
// Each entry of the variable is perturbed on its own (entries of a symmetric, spd or diagonal
// symbol are taken as independent, as NOTATION.md says the derivative does), by a step relative
// to its magnitude. The default is the fourth-order central stencil
//   f'(x) ≈ [f(x−2h) − 8f(x−h) + 8f(x+h) − f(x+2h)] / 12h,   h = 1e-3·max(1, |x|),
// whose truncation error (h⁴) and rounding error (ε|f|/h ≈ 3e-13|f|) are both far below the
// tolerance of `closeEnough`; `order: 2` gives the classic [f(x+h) − f(x−h)] / 2h, h = 1e-5·max(1,|x|).

import { Matrix } from "ml-matrix";
import { sym } from "../ast.js";
import { evaluate } from "./evaluate.js";
import { withValue, type Instance } from "./random.js";

export interface DifferenceOptions {
  /** 2 or 4 (default). */
  order?: 2 | 4;
}

const DEFAULT_STEP = { 2: 1e-5, 4: 1e-3 } as const;

/** The value of `wrt` at the instance: given, or computed from its definition. */
function valueOf(inst: Instance, wrt: string): Matrix {
  const info = inst.ctx.symbols.get(wrt);
  if (info?.dimension) throw new Error(`cannot differentiate by the dimension ${wrt}`);
  if (!inst.values.has(wrt) && !info?.definition) throw new Error(`no symbol ${wrt} to differentiate by`);
  return evaluate(sym(wrt), inst);
}

/**
 * ∂f/∂x_k for every entry x_k of `wrt` (column-major order), f any shape:
 * one vec(∂f/∂x_k) per entry. When `wrt` is a defined symbol, its value is held fixed
 * at the perturbed value (the adjoint: f with `wrt` as a free variable).
 */
function partials(
  f: (inst: Instance) => Matrix,
  inst: Instance,
  wrt: string,
  h: number | undefined,
  order: 2 | 4,
): { x: Matrix; columns: number[][] } {
  const x = valueOf(inst, wrt);
  const step = h ?? DEFAULT_STEP[order];
  const at = (i: number, j: number, delta: number): number[] => {
    const moved = x.clone();
    moved.set(i, j, x.get(i, j) + delta);
    return vec(f(withValue(inst, wrt, moved)));
  };
  const columns: number[][] = [];
  for (let j = 0; j < x.columns; j++)
    for (let i = 0; i < x.rows; i++) {
      const xi = x.get(i, j);
      // A step exactly representable relative to x, so that (x+h) − (x−h) is exactly 2h.
      const h0 = step * Math.max(1, Math.abs(xi));
      const hk = xi + h0 - xi;
      if (order === 2) {
        const [p, m] = [at(i, j, hk), at(i, j, -hk)];
        columns.push(p.map((pv, k) => (pv - m[k]!) / (2 * hk)));
      } else {
        const [p1, m1, p2, m2] = [at(i, j, hk), at(i, j, -hk), at(i, j, 2 * hk), at(i, j, -2 * hk)];
        columns.push(p1.map((_, k) => (m2[k]! - 8 * m1[k]! + 8 * p1[k]! - p2[k]!) / (12 * hk)));
      }
    }
  return { x, columns };
}

/** Column-major entries (vec). */
function vec(m: Matrix): number[] {
  const out: number[] = [];
  for (let j = 0; j < m.columns; j++) for (let i = 0; i < m.rows; i++) out.push(m.get(i, j));
  return out;
}

/**
 * The gradient of a scalar (1×1) function by the symbol `wrt`, same shape as `wrt`.
 * `h` is the relative step (default 1e-3 for order 4, 1e-5 for order 2).
 * Propagates DomainError if a perturbed instance leaves f's domain.
 */
export function centralDifference(
  f: (inst: Instance) => Matrix,
  inst: Instance,
  wrt: string,
  h?: number,
  options: DifferenceOptions = {},
): Matrix {
  const { x, columns } = partials(f, inst, wrt, h, options.order ?? 4);
  const g = new Matrix(x.rows, x.columns);
  columns.forEach((col, k) => {
    if (col.length !== 1) throw new Error(`centralDifference needs a scalar function, got ${col.length} entries`);
    g.set(k % x.rows, Math.floor(k / x.rows), col[0]!);
  });
  return g;
}

/**
 * The Jacobian ∂vec(y)/∂vec(x) by differences: J_ij = ∂y_i/∂x_j, vec column-major.
 * For a vector y ∈ ℝᵐ and x ∈ ℝⁿ this is the m×n Jacobian of NOTATION.md.
 */
export function jacobianByDifferences(
  f: (inst: Instance) => Matrix,
  inst: Instance,
  wrt: string,
  h?: number,
  options: DifferenceOptions = {},
): Matrix {
  const { columns } = partials(f, inst, wrt, h, options.order ?? 4);
  const rows = columns[0]?.length ?? 0;
  const J = new Matrix(rows, columns.length);
  columns.forEach((col, j) => col.forEach((v, i) => J.set(i, j, v)));
  return J;
}
