// Shared checks: a derived gradient against central finite differences of the original function.
import type { Matrix } from "ml-matrix";
import { type DeriveResult, evaluate, instanceWhereDefined, seededRng, centralDifference, closeEnough, formatMatrix } from "../src/index.js";

/** Throws with both matrices when the gradient and finite differences disagree at a random instance. */
export function checkAgainstDifferences(r: DeriveResult, seeds: readonly number[] = [1, 2, 3]): void {
  for (const seed of seeds) {
    const inst = instanceWhereDefined(r.ctx, [r.expression, r.gradient], seededRng(seed));
    const expected: Matrix = centralDifference((i) => evaluate(r.expression, i), inst, r.wrt);
    const got = evaluate(r.gradient, inst);
    const shaped = got.rows === 1 && got.columns === 1 && (expected.rows > 1 || expected.columns > 1) ? expected.clone().fill(got.get(0, 0)) : got;
    const verdict = closeEnough(shaped, expected);
    if (!verdict.ok)
      throw new Error(`seed ${seed}: gradient\n${formatMatrix(got)}\nfinite differences\n${formatMatrix(expected)}`);
  }
}
