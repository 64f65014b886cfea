// Shared checks: a derived gradient against central finite differences of the original function
// (src/numeric/verify.ts, which the command line also runs on every answer).
import { type DeriveResult, instanceWhereDefined, seededRng, formatMatrix } from "../src/index.js";
import { agreesAt } from "../src/numeric/verify.js";

export { differences, requireAwayFromKinks } from "../src/numeric/verify.js";

/** Throws with both matrices when the derivative and finite differences (in its layout) disagree at a random instance. */
export function checkAgainstDifferences(r: DeriveResult, seeds: readonly number[] = [1, 2, 3]): void {
  for (const seed of seeds) {
    const inst = instanceWhereDefined(r.ctx, [r.expression, r.gradient], seededRng(seed));
    const verdict = agreesAt(r, inst);
    if (!verdict.ok)
      throw new Error(`seed ${seed}: gradient\n${formatMatrix(verdict.got)}\nfinite differences\n${formatMatrix(verdict.expected)}`);
  }
}
