// An evaluator and sampler of matcalc's expression trees written for the tests and the fuzz
// harness alone: plain arrays, its own linear algebra, its own instances. It imports nothing from
// src/numeric, so a blind spot of the engine's own checker (one sign of scalars, instances where
// both sides vanish) is not shared by the tests that judge it.
import type { Dim, Expr } from "../../src/ast.js";
import type { Context } from "../../src/context.js";
import { factorsOf } from "../../src/shapes/shape.js";

/** A dense matrix, row-major; a scalar is 1×1. */
export interface Value {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;
}

/** The instance is outside the expression's domain (a pole, a log of a negative, an ill-conditioned inverse). */
export class OutsideDomain extends Error {}

export interface Sample {
  readonly ctx: Context;
  /** Sizes of dimension roots. */
  readonly sizes: Map<string, number>;
  /** Values of the free symbols. */
  readonly values: Map<string, Value>;
}

// ---------- values ----------

export const zeros = (rows: number, cols: number): Value => ({ rows, cols, data: new Float64Array(rows * cols) });
export const scalarValue = (x: number): Value => ({ rows: 1, cols: 1, data: Float64Array.of(x) });
const at = (v: Value, i: number, j: number): number => v.data[i * v.cols + j]!;
const isScalar = (v: Value): boolean => v.rows === 1 && v.cols === 1;
const map = (v: Value, f: (x: number) => number): Value => ({ rows: v.rows, cols: v.cols, data: v.data.map(f) });

function eye(n: number): Value {
  const m = zeros(n, n);
  for (let i = 0; i < n; i++) m.data[i * n + i] = 1;
  return m;
}

function zip(a: Value, b: Value, f: (x: number, y: number) => number, what: string): Value {
  if (a.rows !== b.rows || a.cols !== b.cols) throw new Error(`${what} of ${a.rows}×${a.cols} and ${b.rows}×${b.cols}`);
  return { rows: a.rows, cols: a.cols, data: a.data.map((x, k) => f(x, b.data[k]!)) };
}

function matmul(a: Value, b: Value): Value {
  if (isScalar(a)) return map(b, (x) => a.data[0]! * x);
  if (isScalar(b)) return map(a, (x) => x * b.data[0]!);
  if (a.cols !== b.rows) throw new Error(`product of ${a.rows}×${a.cols} and ${b.rows}×${b.cols}`);
  const out = zeros(a.rows, b.cols);
  for (let i = 0; i < a.rows; i++)
    for (let k = 0; k < a.cols; k++) {
      const x = at(a, i, k);
      if (x === 0) continue;
      for (let j = 0; j < b.cols; j++) out.data[i * b.cols + j] += x * at(b, k, j);
    }
  return out;
}

export function transposed(a: Value): Value {
  const out = zeros(a.cols, a.rows);
  for (let i = 0; i < a.rows; i++) for (let j = 0; j < a.cols; j++) out.data[j * a.rows + i] = at(a, i, j);
  return out;
}

/** Gauss–Jordan with partial pivoting: the inverse and the determinant. */
function gaussJordan(a: Value): { inverse: Value | undefined; det: number } {
  const n = a.rows;
  if (n !== a.cols) throw new Error(`inverse of ${a.rows}×${a.cols}`);
  const m = Array.from({ length: n }, (_, i) => [...Array.from({ length: n }, (_, j) => at(a, i, j)), ...Array.from({ length: n }, (_, j) => (i === j ? 1 : 0))]);
  let det = 1;
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[p]![c]!)) p = r;
    if (m[p]![c] === 0) return { inverse: undefined, det: 0 };
    if (p !== c) {
      [m[p], m[c]] = [m[c]!, m[p]!];
      det = -det;
    }
    const pivot = m[c]![c]!;
    det *= pivot;
    for (let j = 0; j < 2 * n; j++) m[c]![j]! /= pivot;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r]![c]!;
      if (f !== 0) for (let j = 0; j < 2 * n; j++) m[r]![j]! -= f * m[c]![j]!;
    }
  }
  const inverse = zeros(n, n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) inverse.data[i * n + j] = m[i]![n + j]!;
  return { inverse, det };
}

const frobenius = (v: Value): number => Math.sqrt(v.data.reduce((s, x) => s + x * x, 0));

/** Inverses worse conditioned than this put the instance outside the domain: differences near them say nothing. */
export const CONDITION_LIMIT = 1e3;

export function inverse(a: Value): Value {
  if (isScalar(a)) {
    if (Math.abs(a.data[0]!) < 1e-3) throw new OutsideDomain("inverse of a scalar near 0");
    return scalarValue(1 / a.data[0]!);
  }
  const { inverse } = gaussJordan(a);
  const condition = inverse ? frobenius(a) * frobenius(inverse) : Infinity;
  // singular to working precision: the value does not exist (det(uuᵀ)'s (uuᵀ)⁻¹), not merely near a pole
  if (!(condition <= 1e12)) throw new OutsideDomain("singular inverse");
  if (!(condition <= CONDITION_LIMIT)) throw new OutsideDomain("ill-conditioned inverse");
  return inverse!;
}

export function determinant(a: Value): number {
  if (a.rows !== a.cols) throw new Error(`determinant of ${a.rows}×${a.cols}`);
  return gaussJordan(a).det;
}

function kron(a: Value, b: Value): Value {
  const out = zeros(a.rows * b.rows, a.cols * b.cols);
  for (let i = 0; i < a.rows; i++)
    for (let j = 0; j < a.cols; j++)
      for (let k = 0; k < b.rows; k++) for (let l = 0; l < b.cols; l++) out.data[(i * b.rows + k) * out.cols + j * b.cols + l] = at(a, i, j) * at(b, k, l);
  return out;
}

/** Column-major stacking. */
export function vecOf(a: Value): Value {
  const out = zeros(a.rows * a.cols, 1);
  for (let j = 0; j < a.cols; j++) for (let i = 0; i < a.rows; i++) out.data[j * a.rows + i] = at(a, i, j);
  return out;
}

function rowsApplied(a: Value, f: (row: number[]) => number[]): Value {
  if (a.cols === 1) return { rows: a.rows, cols: 1, data: Float64Array.from(f([...a.data])) };
  const out = zeros(a.rows, a.cols);
  for (let i = 0; i < a.rows; i++) f([...a.data.subarray(i * a.cols, (i + 1) * a.cols)]).forEach((x, j) => (out.data[i * a.cols + j] = x));
  return out;
}

const softmaxRow = (x: number[]): number[] => {
  const top = Math.max(...x);
  const e = x.map((v) => Math.exp(v - top));
  const z = e.reduce((s, v) => s + v, 0);
  return e.map((v) => v / z);
};
const logsumexpRow = (x: number[]): number => {
  const top = Math.max(...x);
  return top + Math.log(x.reduce((s, v) => s + Math.exp(v - top), 0));
};

/** x^(n/d) on the reals: odd roots of negatives are real. */
function realPower(x: number, n: number, d: number): number {
  if (x < 0 && d % 2 === 1) return (n % 2 === 0 ? 1 : -1) * Math.pow(-x, n / d);
  return Math.pow(x, n / d);
}

const ELEMENTWISE: Record<string, (x: number) => number> = {
  log: Math.log,
  exp: Math.exp,
  sqrt: Math.sqrt,
  abs: Math.abs,
  sin: Math.sin,
  cos: Math.cos,
  tanh: Math.tanh,
  sigmoid: (x) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x))),
  softplus: (x) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x))),
  relu: (x) => Math.max(x, 0),
  step: (x) => (x > 0 ? 1 : 0),
  sign: (x) => Math.sign(x) + 0,
};

// ---------- evaluation ----------

/** The size a sample gives a dimension (a product of dimensions multiplies). */
export function sizeOf(d: Dim, s: Sample): number {
  return factorsOf(s.ctx.dims.resolve(d)).reduce<number>((n, f) => {
    if (typeof f === "number") return n * f;
    // A size nothing fixes (the I of c·I beside no matrix): any will do.
    if (!s.sizes.has(f)) s.sizes.set(f, 3);
    return n * s.sizes.get(f)!;
  }, 1);
}

const fail = (message: string): never => {
  throw new Error(message);
};

/** The value of e at the sample (definitions computed from their right-hand sides). Throws OutsideDomain. */
export function evaluateAt(e: Expr, s: Sample): Value {
  const memo = new Map<Expr, Value>();
  const definitions = new Map<string, Value>();
  const visit = (n: Expr): Value => {
    const known = memo.get(n);
    if (known) return known;
    const v = node(n);
    for (const x of v.data) if (!Number.isFinite(x)) throw new OutsideDomain(`${n.op} ${n.fn ?? n.name ?? ""} is not finite`);
    memo.set(n, v);
    return v;
  };
  const node = (n: Expr): Value => {
    switch (n.op) {
      case "sym": {
        const given = s.values.get(n.name!);
        if (given) return given;
        const info = s.ctx.symbols.get(n.name!);
        if (info?.definition) {
          let d = definitions.get(n.name!);
          if (!d) definitions.set(n.name!, (d = visit(info.definition)));
          return d;
        }
        if (info?.dimension || s.sizes.has(n.name!)) return scalarValue(sizeOf(n.name!, s));
        return fail(`no value for ${n.name}`);
      }
      case "num":
        return scalarValue(n.value!.n / n.value!.d);
      case "identity":
        return eye(sizeOf(n.dim ?? fail("identity without a size"), s));
      case "add":
        return n.args.map(visit).reduce((a, b) => zip(a, b, (x, y) => x + y, "sum"));
      case "neg":
        return map(visit(n.args[0]!), (x) => -x);
      case "mul":
        return matmul(visit(n.args[0]!), visit(n.args[1]!));
      case "div": {
        const d = visit(n.args[1]!);
        if (!isScalar(d)) fail("division by a matrix");
        if (Math.abs(d.data[0]!) < 1e-3) throw new OutsideDomain("division by a scalar near 0");
        return map(visit(n.args[0]!), (x) => x / d.data[0]!);
      }
      case "transpose":
        return transposed(visit(n.args[0]!));
      case "inv":
        return inverse(visit(n.args[0]!));
      case "pow": {
        const base = visit(n.args[0]!);
        if (n.args[1]!.op !== "num") {
          // a^b, b any scalar: real for a > 0, and for a < 0 only at integer b
          const b = visit(n.args[1]!);
          if (!isScalar(base) || !isScalar(b)) fail("a power of a matrix, or by a matrix, that is not a number");
          const [x, y] = [base.data[0]!, b.data[0]!];
          if (x < 0 && !Number.isInteger(y)) throw new OutsideDomain("a negative number to a non-integer power");
          if (x === 0 && y <= 0) throw new OutsideDomain("zero to a power ≤ 0");
          return scalarValue(Math.pow(x, y));
        }
        const k = n.args[1]!.value!;
        if (isScalar(base)) {
          if (k.n < 0 && Math.abs(base.data[0]!) < 1e-3) throw new OutsideDomain("a negative power near 0");
          return scalarValue(realPower(base.data[0]!, k.n, k.d));
        }
        if (k.d !== 1) fail("a fractional matrix power");
        let out = eye(base.rows);
        const b = k.n < 0 ? inverse(base) : base;
        for (let i = 0; i < Math.abs(k.n); i++) out = matmul(out, b);
        return out;
      }
      case "call":
        return call(n, n.args.map(visit), s);
    }
  };
  return visit(e);
}

function call(n: Expr, args: Value[], s: Sample): Value {
  const [a, b] = args;
  const fn = n.fn!;
  if (ELEMENTWISE[fn]) return map(a!, ELEMENTWISE[fn]!);
  switch (fn) {
    case "tr": {
      if (a!.rows !== a!.cols) fail("trace of a non-square matrix");
      let t = 0;
      for (let i = 0; i < a!.rows; i++) t += at(a!, i, i);
      return scalarValue(t);
    }
    case "det":
      return scalarValue(determinant(a!));
    case "bars":
      return isScalar(a!) ? scalarValue(Math.abs(a!.data[0]!)) : scalarValue(determinant(a!));
    case "logdet": {
      const d = determinant(a!);
      if (Math.abs(d) < 1e-6) throw new OutsideDomain("log of a determinant near 0");
      return scalarValue(Math.log(Math.abs(d)));
    }
    case "norm":
      return scalarValue(n.sub === "1" ? a!.data.reduce((t, x) => t + Math.abs(x), 0) : frobenius(a!));
    case "sum":
      return scalarValue(a!.data.reduce((t, x) => t + x, 0));
    case "mean":
      return scalarValue(a!.data.reduce((t, x) => t + x, 0) / a!.data.length);
    case "softmax":
      return rowsApplied(a!, softmaxRow);
    case "logsumexp":
      if (a!.cols === 1) return scalarValue(logsumexpRow([...a!.data]));
      return { rows: a!.rows, cols: 1, data: Float64Array.from({ length: a!.rows }, (_, i) => logsumexpRow([...a!.data.subarray(i * a!.cols, (i + 1) * a!.cols)])) };
    case "diag": {
      if (isScalar(a!)) return a!;
      if (a!.cols === 1) {
        const out = zeros(a!.rows, a!.rows);
        for (let i = 0; i < a!.rows; i++) out.data[i * a!.rows + i] = a!.data[i]!;
        return out;
      }
      return { rows: a!.rows, cols: 1, data: Float64Array.from({ length: a!.rows }, (_, i) => at(a!, i, i)) };
    }
    case "hadamard":
      if (isScalar(a!) || isScalar(b!)) return matmul(a!, b!);
      return zip(a!, b!, (x, y) => x * y, "⊙");
    case "hdiv": {
      if (isScalar(b!)) return matmul(a!, inverse(b!));
      for (const y of b!.data) if (Math.abs(y) < 1e-3) throw new OutsideDomain("⊘ by an entry near 0");
      if (isScalar(a!)) return map(b!, (y) => a!.data[0]! / y);
      return zip(a!, b!, (x, y) => x / y, "⊘");
    }
    case "kron":
      return kron(a!, b!);
    case "dot":
      return scalarValue(zip(a!, b!, (x, y) => x * y, "⟨,⟩").data.reduce((t, x) => t + x, 0));
    case "vec":
      return vecOf(a!);
    case "ones": {
      const size = sizeOf(n.dim ?? fail("𝟙 without a size"), s);
      return { rows: size, cols: 1, data: new Float64Array(size).fill(1) };
    }
    default:
      return fail(`no value for the function ${fn}`);
  }
}

// ---------- samples ----------

/** mulberry32, written again here: the tests share no code with the sampler under test. */
export function rngOf(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Random sizes 2–4 for the dimensions and values for the free symbols: scalars of either sign
 * (magnitude 0.3–2, positive only where declared), entries uniform in [−1, 1], spd matrices
 * AᵀA + I, symmetric (A + Aᵀ)/2, diagonal ones with entries of either sign away from 0, a
 * vector exp(u)/Σexp(u) where `sum(y) = 1` is declared.
 */
export interface SampleOptions {
  readonly positiveScalars?: boolean;
  /** Square matrices (without a property) near a rank-one matrix: uvᵀ + 0.05·noise. */
  readonly nearSingular?: boolean;
}

export function sample(ctx: Context, rng: () => number, options: SampleOptions = {}): Sample {
  const sizes = new Map<string, number>();
  const size = (d: Dim): number => {
    let n = 1;
    for (const f of factorsOf(ctx.dims.resolve(d))) {
      if (typeof f === "number") n *= f;
      else {
        if (!sizes.has(f)) sizes.set(f, 2 + Math.floor(rng() * 3));
        n *= sizes.get(f)!;
      }
    }
    return n;
  };
  const values = new Map<string, Value>();
  for (const info of ctx.symbols.values()) {
    if (info.dimension) {
      size(info.name);
      continue;
    }
    if (info.definition) continue;
    const [r, c] = ctx.dims.resolveShape(info.shape);
    const rows = size(r);
    const cols = size(c);
    values.set(info.name, drawn(rows, cols, info.properties, rng, options));
  }
  return { ctx, sizes, values };
}

function drawn(rows: number, cols: number, properties: ReadonlySet<string>, rng: () => number, options: SampleOptions): Value {
  const uniform = () => 2 * rng() - 1;
  if (rows === 1 && cols === 1) {
    const magnitude = 0.3 + 1.7 * rng();
    return scalarValue(properties.has("positive") || options.positiveScalars || rng() < 0.5 ? magnitude : -magnitude);
  }
  const m = zeros(rows, cols);
  if (options.nearSingular && rows === cols && properties.size === 0) {
    const u = Array.from({ length: rows }, uniform);
    const v = Array.from({ length: cols }, uniform);
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) m.data[i * cols + j] = u[i]! * v[j]! + 0.05 * uniform();
    return m;
  }
  if (properties.has("diagonal")) {
    for (let i = 0; i < rows; i++) m.data[i * cols + i] = (properties.has("spd") || rng() < 0.5 ? 1 : -1) * (0.5 + rng());
    return m;
  }
  if (properties.has("sums to one")) {
    // entries exp(u)/Σexp(u): positive (log(y) is defined) and summing to 1, as declared
    for (let k = 0; k < m.data.length; k++) m.data[k] = Math.exp(uniform());
    const total = m.data.reduce((a, b) => a + b, 0);
    return { rows, cols, data: m.data.map((x) => x / total) };
  }
  for (let k = 0; k < m.data.length; k++) m.data[k] = uniform();
  if (properties.has("spd")) {
    const g = matmul(transposed(m), m);
    return zip(g, eye(rows), (x, y) => x / rows + y, "spd");
  }
  if (properties.has("symmetric")) return zip(m, transposed(m), (x, y) => (x + y) / 2, "symmetric");
  return m;
}

/** The same sample with one symbol's value replaced. */
export const withValue = (s: Sample, name: string, v: Value): Sample => ({ ...s, values: new Map(s.values).set(name, v) });

/**
 * ∂vec(f)/∂vec(x) by the fourth-order central stencil, entry by entry of x (column-major), with a
 * step h·max(1, |xₖ|). Throws OutsideDomain where a perturbed point leaves f's domain.
 */
export function jacobianByStencil(f: (s: Sample) => Value, s: Sample, wrt: string, h = 1e-3): Value {
  const x = s.values.get(wrt) ?? fail(`no value for ${wrt}`);
  const entries = x.rows * x.cols;
  let out: Value | undefined;
  for (let j = 0; j < x.cols; j++)
    for (let i = 0; i < x.rows; i++) {
      const k = j * x.rows + i;
      const xi = at(x, i, j);
      const step = h * Math.max(1, Math.abs(xi));
      const moved = (delta: number) => {
        const y = { ...x, data: Float64Array.from(x.data) };
        y.data[i * x.cols + j] = xi + delta;
        return vecOf(f(withValue(s, wrt, y))).data;
      };
      const [m2, m1, p1, p2] = [moved(-2 * step), moved(-step), moved(step), moved(2 * step)];
      if (!out) out = zeros(m2.length, entries);
      for (let r = 0; r < m2.length; r++) out.data[r * entries + k] = (m2[r]! - 8 * m1[r]! + 8 * p1[r]! - p2[r]!) / (12 * step);
    }
  return out!;
}

/** Whether max|a − b| ≤ rel·(the largest |entry| of either) + abs (shapes must agree). */
export function near(a: Value, b: Value, rel = 1e-5, abs = 1e-9): { ok: boolean; error: number; scale: number } {
  if (a.rows !== b.rows || a.cols !== b.cols) return { ok: false, error: Infinity, scale: 0 };
  let error = 0;
  let scale = 1e-8;
  for (let k = 0; k < a.data.length; k++) {
    error = Math.max(error, Math.abs(a.data[k]! - b.data[k]!));
    scale = Math.max(scale, Math.abs(a.data[k]!), Math.abs(b.data[k]!));
  }
  return { ok: error <= rel * scale + abs, error, scale };
}

/** A 1×1 value read as a matrix of equal entries in the other's shape (0 for a zero matrix). */
export const broadcastTo = (v: Value, like: Value): Value => (isScalar(v) && !isScalar(like) ? { rows: like.rows, cols: like.cols, data: new Float64Array(like.data.length).fill(v.data[0]!) } : v);

/** Entries under |·|, relu, step, sign, ‖·‖₁ within `margin` of 0: differences there cross a kink. */
export function nearKink(e: Expr, s: Sample, margin = 1e-2): boolean {
  const stack = [e];
  while (stack.length) {
    const n = stack.pop()!;
    stack.push(...n.args);
    if (n.op === "sym" && s.ctx.symbols.get(n.name!)?.definition) stack.push(s.ctx.symbols.get(n.name!)!.definition!);
    if (n.op !== "call" || !n.args.length) continue;
    const kinked = ["abs", "relu", "step", "sign"].includes(n.fn!) || (n.fn === "norm" && n.sub === "1") || (n.fn === "bars" && isScalar(evaluateAt(n.args[0]!, s)));
    const poled = ["log", "sqrt", "hdiv"].includes(n.fn!);
    if (!kinked && !poled) continue;
    const v = evaluateAt(n.fn === "hdiv" ? n.args[1]! : n.args[0]!, s);
    if (v.data.some((x) => Math.abs(x) < (poled ? 0.05 : margin))) return true;
  }
  return false;
}
