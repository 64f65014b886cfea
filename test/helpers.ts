// Shared checks: a derived gradient against central finite differences of the original function.
import { Matrix } from "ml-matrix";
import { type DeriveResult, type Expr, type Instance, DomainError, evaluate, instanceWhereDefined, seededRng, centralDifference, closeEnough, formatMatrix, jacobianByDifferences } from "../src/index.js";
import { postorder } from "../src/ast.js";

/** Throws with both matrices when the derivative and finite differences (in its layout) disagree at a random instance. */
export function checkAgainstDifferences(r: DeriveResult, seeds: readonly number[] = [1, 2, 3]): void {
  for (const seed of seeds) {
    const inst = instanceWhereDefined(r.ctx, [r.expression, r.gradient], seededRng(seed));
    const expected = differences(r, inst);
    const got = evaluate(r.gradient, inst);
    const shaped = got.rows === 1 && got.columns === 1 && (expected.rows > 1 || expected.columns > 1) ? expected.clone().fill(got.get(0, 0)) : got;
    const verdict = closeEnough(shaped, expected);
    if (!verdict.ok)
      throw new Error(`seed ${seed}: gradient\n${formatMatrix(got)}\nfinite differences\n${formatMatrix(expected)}`);
  }
}

/**
 * Throws DomainError when an entry is within `margin` of a point where the function has no
 * derivative (the kinks of |·|, relu, step, sign, ‖·‖₁), or within `poleMargin` of a pole (⊘)
 * or the edge of a domain (log, √ of arrays): finite differences of `exprs` there say nothing
 * about their derivative. Pass the differentiated function, not its derivative.
 */
export function requireAwayFromKinks(exprs: readonly Expr[], inst: Instance, margin = 1e-2, poleMargin = 0.05): void {
  const check = (m: Matrix, what: string, at: number) => {
    for (let i = 0; i < m.rows; i++)
      for (let j = 0; j < m.columns; j++)
        if (!(Math.abs(m.get(i, j)) >= at)) throw new DomainError(`an entry under ${what} is ${m.get(i, j)}, within ${at} of its kink`);
  };
  for (const root of exprs)
    for (const e of postorder(root)) {
      if (e.op !== "call" || e.args.length === 0) continue;
      // A kink only needs the difference stencil not to cross it; a pole (1/x, log x, √x) makes
      // the higher derivatives, and so the stencil's error, blow up as it nears.
      if (["abs", "sign", "step", "relu"].includes(e.fn!) || (e.fn === "norm" && e.sub === "1")) check(evaluate(e.args[0]!, inst), e.fn!, margin);
      else if (["log", "sqrt"].includes(e.fn!) && !isScalarValue(e, inst)) check(evaluate(e.args[0]!, inst), e.fn!, poleMargin);
      else if (e.fn === "hdiv") check(evaluate(e.args[1]!, inst), "a divisor of ⊘", poleMargin);
    }
}

const isScalarValue = (e: Expr, inst: Instance) => {
  const v = evaluate(e.args[0]!, inst);
  return v.rows === 1 && v.columns === 1;
};

/** Column-major entries as one column. */
function vecOf(m: Matrix): Matrix {
  const out = new Matrix(m.rows * m.columns, 1);
  for (let j = 0; j < m.columns; j++) for (let i = 0; i < m.rows; i++) out.set(j * m.rows + i, 0, m.get(i, j));
  return out;
}

/**
 * The derivative by finite differences of the ORIGINAL function, in the result's layout: the
 * gradient (the variable's shape); the Jacobian ∂vec(F)/∂vec(X) (J_ij = ∂y_i/∂x_j for vectors),
 * reshaped to F's shape by a scalar; the Hessian as the Jacobian of the gradient by differences.
 */
export function differences(r: DeriveResult, inst: Instance): Matrix {
  const f = (i: Instance) => evaluate(r.expression, i);
  if (r.order === 2) return jacobianByDifferences((i) => vecOf(centralDifference(f, i, r.wrt)), inst, r.wrt);
  if (r.layout === "gradient") return centralDifference(f, inst, r.wrt);
  const J = jacobianByDifferences(f, inst, r.wrt);
  if (r.layout !== "by-scalar") return J;
  const F = f(inst);
  const out = new Matrix(F.rows, F.columns);
  for (let j = 0; j < F.columns; j++) for (let i = 0; i < F.rows; i++) out.set(i, j, J.get(j * F.rows + i, 0));
  return out;
}
