// The Steps tab: the worked solution `matcalc derive --steps` prints (src/steps/), a derivation
// document that `check` accepts claim by claim.
import { type DeriveResult, printSolution, workedSolution } from "../../src/index.js";

export function stepsText(r: DeriveResult): string {
  return printSolution(workedSolution(r), "unicode");
}
