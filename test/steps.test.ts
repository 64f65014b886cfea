// Worked solutions (derive --steps, src/steps/): every one is a derivation that `check` accepts
// with every claim ok, and its last claim matches central finite differences of the input.
import { describe, expect, it } from "vitest";
import { checkText, derive, printSolution, workedSolution } from "../src/index.js";
import { PROBLEMS, deriveOptions } from "./corpus/problems.js";

function notOk(text: string, file: string): string[] {
  const report = checkText(text, { file });
  return [...report.claims.filter((c) => c.verdict !== "ok").map((c) => `${c.line}: ${c.verdict} ${c.reason}`), ...report.unreadable.map((u) => `${u.line}: unreadable ${u.reason}`)];
}

describe("every problem of the corpus: check accepts its worked solution, in Unicode and LaTeX", () => {
  it.each(PROBLEMS.map((p) => [`${p.kind ?? "gradient"} ${p.id}`, p] as const))("%s", (_id, p) => {
    const ws = workedSolution(derive(p.spellings.unicode, deriveOptions(p)));
    for (const [format, file] of [["unicode", "steps.txt"], ["latex", "steps.tex"]] as const) {
      const text = printSolution(ws, format);
      const bad = notOk(text, file);
      expect(bad, `${text}\n${bad.join("\n")}`).toEqual([]);
      expect(checkText(text, { file }).claims.length).toBeGreaterThan(0);
    }
  });
});
