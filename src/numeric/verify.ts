// A derived answer against central finite differences of the ORIGINAL function, at random
// instances: the command line checks every answer this way before printing it, and the tests
// check the corpus with the same differences.
import { Matrix } from "ml-matrix";
import type { DeriveResult, Verification } from "../result.js";
import { type Expr, distinctPostorder } from "../ast.js";
import type { Context } from "../context.js";
import { closeEnough, maxAbs, shapedLike } from "./compare.js";
import { vecOf } from "../functions/vec.js";
import { functionSpec } from "../functions/index.js";
import { hasKinkAtZero } from "../functions/spec.js";
import { DomainError, evaluate } from "./evaluate.js";
import { centralDifference, jacobianByDifferences } from "./finiteDifference.js";
import { type Instance, instanceWhereDefined, seededRng, tooLargeToCheck } from "./random.js";

/** Instances drawn at most; instances that must agree (not both sides ≈ 0) for "agrees". */
const DRAWS = 8;
const CONFIRMATIONS = 2;
/**
 * The sign policy of each draw: all scalars negative, all positive, then mixed. A draw outside
 * the function's domain falls back to positive scalars (instanceWhereDefined), so every scalar is
 * seen at both signs wherever the function is defined at both.
 */
const SIGNS = ["negative", "positive", "mixed"] as const;
const signsOf = (draw: number) => SIGNS[Math.min(draw, SIGNS.length - 1)]!;

/** One instance's comparison: agree, differ, or say nothing (both sides ≈ 0). */
interface Comparison {
  readonly ok: boolean;
  readonly maxError: number;
  /** Both sides vanish here: an answer that is 0 where the truth is 0 proves nothing. */
  readonly degenerate: boolean;
}

/**
 * Whether the derivative agrees with finite differences at instances where the function is
 * defined and away from its kinks and poles (where differences say nothing): the answer must
 * agree at every such instance, and at two where it is not 0 (unless it is 0 at all of them).
 */
export function verifyDerivative(r: DeriveResult): Verification {
  return atRandomInstances(
    r.gradient,
    r.ctx,
    (seed) => {
      const inst = instanceWhereDefined(r.ctx, [r.expression], seededRng(seed), { scalarSigns: signsOf(seed - 1) });
      try {
        requireAwayFromKinks([r.expression], inst);
      } catch (err) {
        if (err instanceof DomainError) throw new DomainError(`no random instance away from its kinks and poles was found (${err.message})`);
        throw err;
      }
      return inst;
    },
    (inst) => {
      const first = agreesAt(r, inst);
      if (first.ok) return { ok: true, maxError: first.maxError, degenerate: vanishes(first.got) && vanishes(first.expected) };
      // A disagreement counts only where the differences are steady: two step sizes that differ
      // say the instance is too near a kink or pole for differences to tell anything.
      const again = differences(r, inst, 0.5);
      if (!closeEnough(again, first.expected).ok) throw new DomainError("finite differences are unsteady at this instance");
      return { ok: false, maxError: first.maxError, degenerate: false };
    },
  );
}

/** Whether two expressions (an input and its simplified form) have one value at random instances. */
export function verifySameValue(a: Expr, b: Expr, ctx: Context): Verification {
  return atRandomInstances(
    b,
    ctx,
    (seed) => instanceWhereDefined(ctx, [a], seededRng(seed), { scalarSigns: signsOf(seed - 1) }),
    (inst) => {
      const va = evaluate(a, inst);
      const vb = shapedLike(evaluate(b, inst), va);
      return { ...closeEnough(vb, va), degenerate: vanishes(va) && vanishes(vb) };
    },
  );
}

const vanishes = (m: Matrix): boolean => maxAbs(m) <= 1e-12;

/**
 * Instances are drawn where the first expression (the function, the input) is defined. The
 * second (the answer) must be defined there too, and agree at every instance; "agrees" needs
 * CONFIRMATIONS instances where the two are not both 0 (or every instance to be such a one). A
 * draw where nothing could be compared (`draw` or `compare` throw DomainError) is skipped.
 */
function atRandomInstances(
  answer: Expr,
  ctx: Context,
  draw: (seed: number) => Instance,
  compare: (inst: Instance) => Comparison,
): Verification {
  const tooLarge = tooLargeToCheck(ctx, answer);
  if (tooLarge) return { verdict: "unchecked", reason: tooLarge };
  let confirmed = 0;
  let vanished = 0;
  let reason = "";
  for (let seed = 1; seed <= DRAWS; seed++) {
    let inst: Instance;
    try {
      inst = draw(seed);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      reason = err.message.startsWith("no random instance") ? err.message : `no random instance where it is defined was found (${err.message})`;
      continue;
    }
    let verdict: Comparison;
    try {
      requireAwayFromKinks([answer], inst);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      reason = `no random instance away from the kinks of the answer was found (${err.message})`;
      continue;
    }
    try {
      evaluate(answer, inst);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      return { verdict: "disagrees", instances: 1, maxError: Infinity, reason: `it has no value where the expression has one (${err.message})` };
    }
    try {
      verdict = compare(inst);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      reason = `no random instance where finite differences are steady was found (${err.message})`;
      continue;
    }
    if (!verdict.ok) return { verdict: "disagrees", instances: 1, maxError: verdict.maxError };
    if (verdict.degenerate) vanished++;
    else confirmed++;
    if (confirmed >= CONFIRMATIONS) return { verdict: "agrees", instances: confirmed + vanished };
  }
  // 0 wherever it was compared, as the truth was: an answer of 0 (the derivative of (τ − τ)²).
  if (confirmed === 0 && vanished >= CONFIRMATIONS + 1) return { verdict: "agrees", instances: vanished };
  if (confirmed + vanished > 0) return { verdict: "unchecked", reason: `it agreed at ${confirmed + vanished} random instances, ${vanished} of them where both sides are 0: too few to confirm it` };
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
    for (const e of distinctPostorder(root)) {
      if (e.op !== "call" || e.args.length === 0) continue;
      // A kink only needs the difference stencil not to cross it; a pole (1/x, log x, √x) makes
      // the higher derivatives, and so the stencil's error, blow up as it nears.
      if (hasKinkAtZero(functionSpec(e.fn!), e)) check(evaluate(e.args[0]!, inst), e.fn!, margin);
      else {
        const pole = functionSpec(e.fn!)?.algebra?.poleAtZero;
        if (pole === "the argument") {
          const v = evaluate(e.args[0]!, inst);
          if (v.rows !== 1 || v.columns !== 1) check(v, e.fn!, poleMargin);
        } else if (pole === "the divisor") check(evaluate(e.args[1]!, inst), "a divisor of ⊘", poleMargin);
      }
    }
}



/**
 * The derivative by finite differences of the ORIGINAL function, in the result's layout: the
 * gradient (the variable's shape); the Jacobian ∂vec(F)/∂vec(X) (J_ij = ∂y_i/∂x_j for vectors),
 * reshaped to F's shape by a scalar; the Hessian as the Jacobian of the gradient by differences.
 */
export function differences(r: DeriveResult, inst: Instance, stepScale = 1): Matrix {
  const f = (i: Instance) => evaluate(r.expression, i);
  const h = stepScale === 1 ? undefined : 1e-3 * stepScale;
  if (r.order === 2) return jacobianByDifferences((i) => vecOf(centralDifference(f, i, r.wrt, h)), inst, r.wrt, h);
  if (r.layout === "gradient") return centralDifference(f, inst, r.wrt, h);
  const J = jacobianByDifferences(f, inst, r.wrt, h);
  if (r.layout !== "by-scalar") return J;
  const F = f(inst);
  const out = new Matrix(F.rows, F.columns);
  for (let j = 0; j < F.columns; j++) for (let i = 0; i < F.rows; i++) out.set(i, j, J.get(j * F.rows + i, 0));
  return out;
}
