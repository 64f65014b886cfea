// Numeric evaluation of an expression tree at one instance (sizes and values of its symbols).
// Every value is an ml-matrix Matrix; a scalar is 1×1. Used to check derivatives and identities
// by random instances: a DomainError says "this instance is outside the expression's domain,
// draw another", never "the claim is wrong".

import { Matrix, inverse } from "ml-matrix";
import type { Dim, Expr, Rational } from "../ast.js";
import { MatcalcError } from "../errors.js";
import { barsMeaning } from "../functions/bars.js";
import { functionSpec } from "../functions/index.js";
import type { Instance } from "./instance.js";
import { factorsOf, isProductDim } from "../shapes/shape.js";
import { withinMemory } from "../memory.js";

/** Above this ‖A‖_F·‖A⁻¹‖_F an inverse is too inaccurate to check anything with. */
export const MAX_CONDITION = 1e8;

/**
 * The instance is outside the expression's domain: a NaN or infinite value (log of a negative,
 * division by zero, overflow) or the inverse of a singular or ill-conditioned matrix.
 * Callers redraw the instance (see `withDomain` in random.ts).
 */
export class DomainError extends MatcalcError {
  constructor(
    message: string,
    /** The node whose value was out of domain, when known. */
    readonly node?: Expr,
  ) {
    super(message, node?.span, undefined, "domain");
    this.name = "DomainError";
  }
}

/** Definitions computed for an instance, by name. Instances are treated as immutable. */
const definitionMemo = new WeakMap<Instance, Map<string, Matrix | typeof IN_PROGRESS>>();
const IN_PROGRESS = Symbol("in progress");

/**
 * The value of `expr` at `instance`. Iterative (trees may be 10,000 deep) and linear in the
 * size of a DAG (a node shared by several parents is evaluated once).
 * Throws DomainError when a value is not finite or an inverse is (nearly) singular,
 * MatcalcError("unsupported") for a function without a numeric value.
 */
export function evaluate(expr: Expr, instance: Instance): Matrix {
  const done = new Map<Expr, Matrix>();
  const stack: [Expr, boolean][] = [[expr, false]];
  while (stack.length) {
    const [e, ready] = stack.pop()!;
    if (done.has(e)) continue;
    withinMemory();
    if (ready) {
      const value = evaluateNode(e, e.args.map((a) => done.get(a)!), instance);
      requireFinite(value, e);
      done.set(e, value);
      continue;
    }
    stack.push([e, true]);
    for (let i = e.args.length - 1; i >= 0; i--) if (!done.has(e.args[i]!)) stack.push([e.args[i]!, false]);
  }
  const result = done.get(expr)!;
  // Never hand out a matrix the instance owns: the caller may modify the result.
  return expr.op === "sym" ? result.clone() : result;
}

/** The size an instance gives a dimension (a literal size is itself). */
export function dimSize(dim: Dim, instance: Instance): number {
  if (typeof dim === "number") return dim;
  const root = instance.ctx.dims.resolve(dim);
  if (typeof root === "number") return root;
  if (isProductDim(root)) return factorsOf(root).reduce<number>((n, f) => n * dimSize(f, instance), 1);
  const size = instance.sizes.get(root) ?? instance.sizes.get(dim);
  if (size === undefined) throw new Error(`internal: the instance has no size for dimension ${dim}`);
  return size;
}

/** ‖A‖_F·‖A⁻¹‖_F (≥ n for an n×n matrix), Infinity for a singular matrix. */
export function frobeniusCondition(a: Matrix): number {
  try {
    const ai = a.rows === 1 && a.columns === 1 ? new Matrix([[1 / a.get(0, 0)]]) : inverse(a);
    const c = a.norm("frobenius") * ai.norm("frobenius");
    return Number.isFinite(c) ? c : Infinity;
  } catch {
    return Infinity;
  }
}

// ---------- one node ----------

const scalar = (x: number): Matrix => new Matrix([[x]]);
const isOneByOne = (m: Matrix): boolean => m.rows === 1 && m.columns === 1;
const shapeOf = (m: Matrix): string => `${m.rows}×${m.columns}`;

function evaluateNode(e: Expr, args: Matrix[], inst: Instance): Matrix {
  switch (e.op) {
    case "sym":
      return symbolValue(e, inst);
    case "num":
      return scalar(e.value!.n / e.value!.d);
    case "identity":
      if (e.dim === undefined) throw new Error("internal: identity without a size (shapes not inferred?)");
      return Matrix.eye(dimSize(e.dim, inst));
    case "add": {
      const out = args[0]!.clone();
      for (const a of args.slice(1)) {
        if (a.rows !== out.rows || a.columns !== out.columns)
          throw new Error(`internal: adding ${shapeOf(out)} and ${shapeOf(a)}`);
        out.add(a);
      }
      return out;
    }
    case "neg":
      return args[0]!.clone().neg();
    case "mul": {
      const [a, b] = args as [Matrix, Matrix];
      if (isOneByOne(a)) return b.clone().mul(a.get(0, 0));
      if (isOneByOne(b)) return a.clone().mul(b.get(0, 0));
      if (a.columns !== b.rows) throw new Error(`internal: product of ${shapeOf(a)} and ${shapeOf(b)}`);
      return a.mmul(b);
    }
    case "div": {
      const [a, s] = args as [Matrix, Matrix];
      if (!isOneByOne(s)) throw new Error(`internal: division by a ${shapeOf(s)} matrix`);
      if (s.get(0, 0) === 0) throw new DomainError("division by zero", e);
      return a.clone().div(s.get(0, 0));
    }
    case "transpose":
      return args[0]!.transpose();
    case "inv":
      return invert(args[0]!, e);
    case "pow":
      return power(args[0]!, e.args[1]!, args[1]!, e);
    case "call":
      return callValue(e, args, inst);
  }
}

function symbolValue(e: Expr, inst: Instance): Matrix {
  const name = e.name!;
  const given = inst.values.get(name);
  if (given) return given;
  const info = inst.ctx.symbols.get(name);
  if (info?.dimension || (!info && inst.sizes.has(name))) return scalar(dimSize(name, inst));
  if (info?.definition) {
    let memo = definitionMemo.get(inst);
    if (!memo) definitionMemo.set(inst, (memo = new Map()));
    const known = memo.get(name);
    if (known === IN_PROGRESS) throw new Error(`internal: definition of ${name} depends on itself`);
    if (known) return known;
    memo.set(name, IN_PROGRESS);
    try {
      const value = evaluate(info.definition, inst);
      memo.set(name, value);
      return value;
    } catch (err) {
      memo.delete(name);
      throw err;
    }
  }
  if (!info) throw new MatcalcError(`unknown symbol ${name}`, e.span, undefined, "name");
  throw new Error(`internal: the instance has no value for ${name}`);
}

function invert(a: Matrix, e: Expr): Matrix {
  if (a.rows !== a.columns) throw new Error(`internal: inverse of a ${shapeOf(a)} matrix`);
  if (isOneByOne(a)) {
    if (a.get(0, 0) === 0) throw new DomainError("inverse of zero", e);
    return scalar(1 / a.get(0, 0));
  }
  let ai: Matrix;
  try {
    ai = inverse(a);
  } catch {
    throw new DomainError("inverse of a singular matrix", e);
  }
  const cond = a.norm("frobenius") * ai.norm("frobenius");
  if (!(cond <= MAX_CONDITION)) throw new DomainError(`inverse of an ill-conditioned matrix (condition ≈ ${cond.toExponential(1)})`, e);
  return ai;
}

/** x^(n/d) on the reals: odd roots of negatives are real (∛−8 = −2). */
function realPower(x: number, q: Rational): number {
  if (x < 0 && q.d % 2 === 1) return (q.n % 2 === 0 ? 1 : -1) * Math.pow(-x, q.n / q.d);
  return Math.pow(x, q.n / q.d);
}

function power(base: Matrix, exponentNode: Expr, exponent: Matrix, e: Expr): Matrix {
  if (!isOneByOne(exponent)) throw new Error(`internal: a ${shapeOf(exponent)} exponent`);
  const p = exponent.get(0, 0);
  const q: Rational | undefined = exponentNode.op === "num" ? exponentNode.value! : Number.isInteger(p) ? { n: p, d: 1 } : undefined;
  if (isOneByOne(base)) {
    const x = base.get(0, 0);
    if (x === 0 && p < 0) throw new DomainError("zero to a negative power", e);
    if (x < 0 && !q) throw new DomainError("a negative number to a power that is not an integer", e);
    return scalar(q ? realPower(x, q) : Math.pow(x, p));
  }
  if (base.rows !== base.columns) throw new Error(`internal: power of a ${shapeOf(base)} matrix`);
  if (!q || q.d !== 1)
    throw new MatcalcError("not supported: a non-integer power of a matrix", e.span, undefined, "unsupported");
  let k = Math.abs(q.n);
  let b = q.n < 0 ? invert(base, e) : base;
  let out = Matrix.eye(base.rows);
  // Repeated squaring.
  while (k > 0) {
    if (k & 1) out = out.mmul(b);
    k = Math.floor(k / 2);
    if (k > 0) b = b.mmul(b);
  }
  return out;
}

function callValue(e: Expr, args: Matrix[], inst: Instance): Matrix {
  if (e.fn === "bars") {
    const a = args[0]!;
    const spec = functionSpec(barsMeaning(isOneByOne(a)));
    if (a.rows === a.columns && spec) return spec.evaluate([a], e, (d) => dimSize(d, inst));
    throw new Error(`internal: |·| of a ${shapeOf(a)} matrix`);
  }
  const spec = functionSpec(e.fn!);
  if (!spec) throw new MatcalcError(`not supported: the function ${e.fn} has no numeric value`, e.span, undefined, "unsupported");
  return spec.evaluate(args, e, (d) => dimSize(d, inst));
}

function requireFinite(m: Matrix, e: Expr): void {
  for (let i = 0; i < m.rows; i++)
    for (let j = 0; j < m.columns; j++) {
      const x = m.get(i, j);
      if (!Number.isFinite(x))
        throw new DomainError(
          `${describe(e)} is ${Number.isNaN(x) ? "not a number" : "infinite"} at this instance`,
          e,
        );
    }
}

function describe(e: Expr): string {
  switch (e.op) {
    case "call":
      return `${e.fn}(…)`;
    case "sym":
      return e.name!;
    default:
      return `a ${e.op}`;
  }
}
