// Judging a derived answer by this folder's own evaluator: the derivative of the ORIGINAL
// expression by its own finite differences, at its own samples (scalars of both signs), in the
// answer's layout. Instances where differences say nothing (near a kink or a pole, or where two
// step sizes disagree) are skipped; instances where both sides vanish do not count as confirming.
import type { Expr } from "../../src/ast.js";
import type { Context } from "../../src/context.js";
import { type Sample, type Value, OutsideDomain, broadcastTo, evaluateAt, jacobianByStencil, near, nearKink, rngOf, sample, vecOf, withValue, zeros } from "./evaluate.js";

export interface Derived {
  readonly ctx: Context;
  readonly expression: Expr;
  readonly gradient: Expr;
  readonly wrt: string;
  readonly layout: string;
  readonly order: 1 | 2;
}

/** The truth in the answer's layout, by differences of the expression (step h). */
export function truth(r: Derived, at: Sample, h = 1e-3): Value {
  const f = (t: Sample) => evaluateAt(r.expression, t);
  // By a definition: the adjoint, the definition held as a free variable at its value.
  const s = at.values.has(r.wrt) ? at : withValue(at, r.wrt, evaluateAt({ op: "sym", args: [], name: r.wrt }, at));
  if (r.order === 2) return jacobianByStencil((t) => vecOf(jacobianByStencil(f, t, r.wrt, h)), s, r.wrt, h);
  const J = jacobianByStencil(f, s, r.wrt, h);
  if (r.layout === "gradient") return reshaped(J, s.values.get(r.wrt)!);
  if (r.layout === "by-scalar") return reshaped(J, f(s));
  return J;
}

/** The entries of a 1×n or n×1 value laid out column-major in `like`'s shape. */
function reshaped(v: Value, like: Value): Value {
  const out = zeros(like.rows, like.cols);
  for (let j = 0; j < like.cols; j++) for (let i = 0; i < like.rows; i++) out.data[i * like.cols + j] = v.data[j * like.rows + i]!;
  return out;
}

/** Values with more entries than this (x: 5000) are not judged: differences cost an evaluation per entry. */
const LARGEST_JUDGED = 400;

export type Judgement =
  | { readonly verdict: "confirmed"; readonly instances: number }
  | { readonly verdict: "wrong"; readonly detail: string }
  | { readonly verdict: "undecided"; readonly detail: string };

/**
 * Confirmed at `needed` samples where the function is defined and the two sides are not both 0
 * (or 0 everywhere at 2·needed samples); wrong at the first steady disagreement, or where the
 * answer has no value but the function and its differences have one.
 */
export function judge(r: Derived, seed: number, needed = 2, draws = 24): Judgement {
  const rng = rngOf(seed);
  let confirmed = 0;
  let vanished = 0;
  let undefinedAnswer = 0;
  for (let k = 0; k < draws; k++) {
    let s: Sample;
    let expected: Value;
    try {
      s = sample(r.ctx, rng, { positiveScalars: k >= draws / 2 });
      if ([...s.values.values()].some((v) => v.data.length > LARGEST_JUDGED)) return { verdict: "undecided", detail: "sizes too large to judge by differences" };
      evaluateAt(r.expression, s);
      if (nearKink(r.expression, s) || nearKink(r.gradient, s)) continue;
      expected = truth(r, s);
    } catch (err) {
      if (err instanceof OutsideDomain) continue;
      throw err;
    }
    let got: Value;
    try {
      got = broadcastTo(evaluateAt(r.gradient, s), expected);
    } catch (err) {
      if (!(err instanceof OutsideDomain)) throw err;
      // Near a pole of the answer (an ill-conditioned inverse): skipped; a value that does not exist
      // (a singular inverse, a division by 0) at every sample makes the answer wrong.
      if (err.message !== "ill-conditioned inverse") undefinedAnswer++;
      continue;
    }
    // Nested differences (a Hessian) carry ~1e-9 of rounding where the truth is 0.
    const cmp = near(got, expected, 1e-5, r.order === 2 ? 1e-6 : 1e-8);
    if (!cmp.ok) {
      // Unsteady differences (two step sizes disagree): the sample says nothing. Steady ones still
      // carry the truncation error of the step (about what halving it changes): a miss within a
      // few times that is the differences' own, not the answer's.
      const halved = near(truth(r, s, 5e-4), expected);
      if (!halved.ok || cmp.error <= 1e-5 * cmp.scale + 10 * halved.error) continue;
      return { verdict: "wrong", detail: `at sizes ${[...s.sizes].map(([d, n]) => `${d}=${n}`).join(" ")}: answer ${[...got.data].slice(0, 6).map((x) => x.toPrecision(4)).join(" ")} vs differences ${[...expected.data].slice(0, 6).map((x) => x.toPrecision(4)).join(" ")} (error ${cmp.error.toExponential(2)}, scale ${cmp.scale.toExponential(2)})` };
    }
    if (cmp.scale <= 1e-8) vanished++;
    else confirmed++;
    if (confirmed >= needed) return { verdict: "confirmed", instances: confirmed + vanished };
  }
  if (confirmed === 0 && vanished >= 2 * needed) return { verdict: "confirmed", instances: vanished };
  if (undefinedAnswer >= 4 && confirmed + vanished === 0) return { verdict: "wrong", detail: `the answer has no value at ${undefinedAnswer} samples where the function's derivative has one` };
  return { verdict: "undecided", detail: `confirmed at ${confirmed}, both sides 0 at ${vanished}, the answer undefined at ${undefinedAnswer} of ${draws} samples` };
}

/** Whether two expressions have one value at this folder's samples: "wrong" at a steady difference. */
export function judgeSameValue(ctx: Context, a: Expr, b: Expr, seed: number, needed = 2, draws = 16, options: { readonly nearSingular?: boolean } = {}): Judgement {
  const rng = rngOf(seed);
  let confirmed = 0;
  let vanished = 0;
  for (let k = 0; k < draws; k++) {
    let s: Sample;
    let va: Value;
    try {
      s = sample(ctx, rng, { positiveScalars: k >= draws / 2, nearSingular: options.nearSingular });
      va = evaluateAt(a, s);
    } catch (err) {
      if (err instanceof OutsideDomain) continue;
      throw err;
    }
    let vb: Value;
    try {
      vb = broadcastTo(evaluateAt(b, s), va);
    } catch (err) {
      if (!(err instanceof OutsideDomain)) throw err;
      continue;
    }
    const cmp = near(vb, va, 1e-8);
    if (!cmp.ok) return { verdict: "wrong", detail: `values ${[...va.data].slice(0, 4).join(", ")} vs ${[...vb.data].slice(0, 4).join(", ")}` };
    if (cmp.scale <= 1e-8) vanished++;
    else confirmed++;
    if (confirmed >= needed) return { verdict: "confirmed", instances: confirmed + vanished };
  }
  if (confirmed === 0 && vanished >= 2 * needed) return { verdict: "confirmed", instances: vanished };
  return { verdict: "undecided", detail: `confirmed at ${confirmed}, both sides 0 at ${vanished}` };
}
