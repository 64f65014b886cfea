// A derived answer against central finite differences of the ORIGINAL function, at random
// instances: the command line checks every answer this way before printing it, and the tests
// check the corpus with the same differences.
import { Matrix } from "ml-matrix";
import type { DeriveResult } from "../api.js";
import { type Expr, postorder } from "../ast.js";
import type { Context } from "../context.js";
import { closeEnough, shapedLike } from "./compare.js";
import { vecOf } from "../functions/vec.js";
import { DomainError, evaluate } from "./evaluate.js";
import { centralDifference, jacobianByDifferences } from "./finiteDifference.js";
import { type Instance, instanceWhereDefined, seededRng } from "./random.js";

export type Verification =
  | { readonly verdict: "agrees"; readonly instances: number }
  /** At every instance that could be tried: the answer is wrong (or nothing numeric can tell). */
  | { readonly verdict: "disagrees"; readonly instances: number; readonly maxError: number }
  | { readonly verdict: "unchecked"; readonly reason: string };

/** Instances tried, until two agree. */
const SEEDS = [1, 2, 3, 4, 5];

/**
 * Whether the derivative agrees with finite differences at instances where the function is
 * defined and away from its kinks and poles (where differences say nothing).
 */
export function verifyDerivative(r: DeriveResult): Verification {
  return atRandomInstances(
    (seed) => {
      const inst = instanceWhereDefined(r.ctx, [r.expression, r.gradient], seededRng(seed));
      try {
        requireAwayFromKinks([r.expression], inst);
      } catch (err) {
        if (err instanceof DomainError) throw new DomainError(`no random instance away from its kinks and poles was found (${err.message})`);
        throw err;
      }
      return inst;
    },
    (inst) => agreesAt(r, inst),
  );
}

/** Whether two expressions (an input and its simplified form) have one value at random instances. */
export function verifySameValue(a: Expr, b: Expr, ctx: Context): Verification {
  return atRandomInstances(
    (seed) => instanceWhereDefined(ctx, [a, b], seededRng(seed)),
    (inst) => {
      const va = evaluate(a, inst);
      return closeEnough(shapedLike(evaluate(b, inst), va), va);
    },
  );
}

/**
 * It agrees when it does at one instance (differences can still miss at another, near a pole),
 * disagrees when it does at every instance that could be drawn, and is unchecked when none
 * could be (`draw` throws DomainError, saying why).
 */
function atRandomInstances(draw: (seed: number) => Instance, compare: (inst: Instance) => { ok: boolean; maxError: number }): Verification {
  let agreed = 0;
  let disagreed = 0;
  let maxError = 0;
  let reason = "";
  for (const seed of SEEDS) {
    let inst: Instance;
    try {
      inst = draw(seed);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      reason = err.message.startsWith("no random instance") ? err.message : `no random instance where it is defined was found (${err.message})`;
      continue;
    }
    const verdict = compare(inst);
    if (verdict.ok) agreed++;
    else {
      disagreed++;
      maxError = Math.max(maxError, verdict.maxError);
    }
    if (agreed >= 2) break;
  }
  if (agreed > 0) return { verdict: "agrees", instances: agreed };
  if (disagreed > 0) return { verdict: "disagrees", instances: disagreed, maxError };
  return { verdict: "unchecked", reason };
}

/** The derivative's value and finite differences (in its layout) at one instance. */
export function agreesAt(r: DeriveResult, inst: Instance): { ok: boolean; maxError: number; got: Matrix; expected: Matrix } {
  const expected = differences(r, inst);
  const got = evaluate(r.gradient, inst);
  return { ...closeEnough(shapedLike(got, expected), expected), got, expected };
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
      else if (["log", "sqrt"].includes(e.fn!)) {
        const v = evaluate(e.args[0]!, inst);
        if (v.rows !== 1 || v.columns !== 1) check(v, e.fn!, poleMargin);
      } else if (e.fn === "hdiv") check(evaluate(e.args[1]!, inst), "a divisor of ⊘", poleMargin);
    }
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
