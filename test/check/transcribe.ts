// A small linear-algebra kit for transcribing homework claims by hand, independent of
// src/numeric: each claim's two sides are written here as plain ml-matrix computations, and
// derivatives are central finite differences of the transcribed function. Everything is a
// Matrix (a scalar is 1×1, a vector a column).
import { Matrix, inverse, determinant } from "ml-matrix";

export type M = Matrix;
export type Values = Record<string, M>;

/** A 1×1 matrix; a number back from one. */
export const S = (x: number): M => new Matrix([[x]]);
export const num = (a: M): number => {
  if (a.rows !== 1 || a.columns !== 1) throw new Error(`not a scalar: ${a.rows}×${a.columns}`);
  return a.get(0, 0);
};

/** A product of matrices and scalars (a 1×1 factor scales). */
export function mm(...fs: M[]): M {
  let out = fs[0]!;
  for (const f of fs.slice(1)) {
    if (out.rows === 1 && out.columns === 1 && !(f.rows === 1)) out = f.clone().mul(num(out));
    else if (f.rows === 1 && f.columns === 1 && out.columns !== 1) out = out.clone().mul(num(f));
    else out = out.mmul(f);
  }
  return out;
}
export const T = (a: M): M => a.transpose();
export const add = (...xs: M[]): M => xs.slice(1).reduce((acc, x) => broadcast(acc, x, (p, q) => p + q), xs[0]!);
export const sub = (a: M, b: M): M => broadcast(a, b, (p, q) => p - q);
export const neg = (a: M): M => a.clone().mul(-1);
export const sc = (k: number | M, a: M): M => a.clone().mul(typeof k === "number" ? k : num(k));
export const had = (a: M, b: M): M => broadcast(a, b, (p, q) => p * q);
export const hdiv = (a: M, b: M): M => broadcast(a, b, (p, q) => p / q);
export const map = (a: M, f: (x: number) => number): M => Matrix.from1DArray(a.rows, a.columns, a.to1DArray().map(f));
export const inv = (a: M): M => inverse(a);
export const det = (a: M): number => determinant(a);
export const logdet = (a: M): number => Math.log(Math.abs(determinant(a)));
export const I = (n: number): M => Matrix.eye(n, n);
export const ones = (n: number): M => Matrix.ones(n, 1);
export const tr = (a: M): M => S(a.trace());
export const diag = (v: M): M => (v.columns === 1 ? Matrix.diag(v.to1DArray()) : Matrix.columnVector(a2diag(v)));
const a2diag = (a: M): number[] => Array.from({ length: Math.min(a.rows, a.columns) }, (_, i) => a.get(i, i));
export const sq = (a: M): M => had(a, a);
export const exp = (a: M): M => map(a, Math.exp);
export const log = (a: M): M => map(a, Math.log);
export const tanh = (a: M): M => map(a, Math.tanh);
export const sigm = (a: M): M => map(a, (x) => 1 / (1 + Math.exp(-x)));
export const relu = (a: M): M => map(a, (x) => Math.max(0, x));
export const norm2sq = (a: M): M => S(a.to1DArray().reduce((s, x) => s + x * x, 0));
export const sum = (a: M): M => S(a.to1DArray().reduce((s, x) => s + x, 0));
/** softmax of a column vector, or of each row of a matrix. */
export function softmax(a: M): M {
  if (a.columns === 1) return T(softmax(T(a)));
  const out = a.clone();
  for (let i = 0; i < a.rows; i++) {
    const row = a.getRow(i);
    const m = Math.max(...row);
    const e = row.map((x) => Math.exp(x - m));
    const s = e.reduce((p, q) => p + q, 0);
    e.forEach((x, j) => out.set(i, j, x / s));
  }
  return out;
}
export const lse = (a: M): M => {
  const xs = a.to1DArray();
  const m = Math.max(...xs);
  return S(m + Math.log(xs.reduce((s, x) => s + Math.exp(x - m), 0)));
};
export function kron(a: M, b: M): M {
  const out = new Matrix(a.rows * b.rows, a.columns * b.columns);
  for (let i = 0; i < a.rows; i++) for (let j = 0; j < a.columns; j++) for (let k = 0; k < b.rows; k++) for (let l = 0; l < b.columns; l++) out.set(i * b.rows + k, j * b.columns + l, a.get(i, j) * b.get(k, l));
  return out;
}
/** vec stacks columns. */
export const vec = (a: M): M => Matrix.columnVector(Array.from({ length: a.rows * a.columns }, (_, k) => a.get(k % a.rows, Math.floor(k / a.rows))));

function broadcast(a: M, b: M, f: (p: number, q: number) => number): M {
  const scalar = (x: M) => x.rows === 1 && x.columns === 1;
  if (scalar(a) && !scalar(b)) return map(b, (q) => f(a.get(0, 0), q));
  if (scalar(b) && !scalar(a)) return map(a, (p) => f(p, b.get(0, 0)));
  if (a.rows !== b.rows || a.columns !== b.columns) throw new Error(`shapes ${a.rows}×${a.columns} and ${b.rows}×${b.columns}`);
  const out = a.clone();
  for (let i = 0; i < a.rows; i++) for (let j = 0; j < a.columns; j++) out.set(i, j, f(a.get(i, j), b.get(i, j)));
  return out;
}

// ---------------------------------------------------------------- finite differences

const H = 1e-5;

function perturbed(v: Values, name: string, k: number, h: number): Values {
  const x = v[name]!.clone();
  const i = k % x.rows;
  const j = Math.floor(k / x.rows);
  x.set(i, j, x.get(i, j) + h);
  return { ...v, [name]: x };
}

/** ∂f/∂X of a scalar f, shaped like X (central differences). */
export function grad(f: (v: Values) => M, v: Values, name: string): M {
  const x = v[name]!;
  const out = new Matrix(x.rows, x.columns);
  for (let k = 0; k < x.rows * x.columns; k++) {
    const d = (num(f(perturbed(v, name, k, H))) - num(f(perturbed(v, name, k, -H)))) / (2 * H);
    out.set(k % x.rows, Math.floor(k / x.rows), d);
  }
  return out;
}

/** ∂vec(F)/∂vec(X): entry (i, j) is ∂vec(F)_i/∂vec(X)_j; for vectors the Jacobian J_ij = ∂y_i/∂x_j. */
export function jac(f: (v: Values) => M, v: Values, name: string): M {
  const x = v[name]!;
  const n = x.rows * x.columns;
  const cols: M[] = [];
  for (let k = 0; k < n; k++) cols.push(sc(1 / (2 * H), sub(vec(f(perturbed(v, name, k, H))), vec(f(perturbed(v, name, k, -H))))));
  const out = new Matrix(cols[0]!.rows, n);
  cols.forEach((c, k) => out.setColumn(k, c.to1DArray()));
  return out;
}

/** The Hessian of a scalar f by a vector x: the Jacobian of its gradient (differences of differences). */
export function hess(f: (v: Values) => M, v: Values, name: string): M {
  const g = (w: Values) => grad(f, w, name);
  const x = v[name]!;
  const n = x.rows;
  const out = new Matrix(n, n);
  const h = 1e-4;
  for (let k = 0; k < n; k++) out.setColumn(k, sc(1 / (2 * h), sub(g(perturbed(v, name, k, h)), g(perturbed(v, name, k, -h)))).to1DArray());
  return out;
}

// ---------------------------------------------------------------- random instances

export function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
}

export class Draw {
  constructor(private readonly r: () => number) {}
  /** Entries uniform in (−1, 1). */
  mat(m: number, n: number): M {
    return Matrix.from1DArray(m, n, Array.from({ length: m * n }, () => 2 * this.r() - 1));
  }
  vec(n: number): M {
    return this.mat(n, 1);
  }
  scalar(): M {
    return S(2 * this.r() - 1);
  }
  /** In (0.5, 1.5). */
  pos(): M {
    return S(0.5 + this.r());
  }
  /** Symmetric. */
  sym(n: number): M {
    const a = this.mat(n, n);
    return sc(0.5, add(a, T(a)));
  }
  /** Symmetric positive definite, well conditioned. */
  spd(n: number): M {
    const a = this.mat(n, n);
    return add(mm(a, T(a)), I(n));
  }
  /** Invertible (well conditioned). */
  invertible(n: number): M {
    return add(this.mat(n, n), sc(3, I(n)));
  }
  /** A probability vector (one-hot labels are a special case; this keeps them generic). */
  simplex(n: number): M {
    return softmax(this.vec(n));
  }
}

/** Close in the sense of the transcription: relative 1e-5 of the larger magnitude (finite differences are behind one side). */
export function close(a: M, b: M): boolean {
  if (a.rows !== b.rows || a.columns !== b.columns) return false;
  const scale = Math.max(1, ...a.to1DArray().map(Math.abs), ...b.to1DArray().map(Math.abs));
  return a.to1DArray().every((x, k) => Math.abs(x - b.to1DArray()[k]!) <= 1e-5 * scale);
}

/** Clearly different: a gap above 1e-3 of the magnitudes (or different shapes). */
export function differ(a: M, b: M): boolean {
  if (a.rows !== b.rows || a.columns !== b.columns) return true;
  const scale = Math.max(1e-3, ...a.to1DArray().map(Math.abs), ...b.to1DArray().map(Math.abs));
  return a.to1DArray().some((x, k) => Math.abs(x - b.to1DArray()[k]!) > 1e-3 * scale);
}

