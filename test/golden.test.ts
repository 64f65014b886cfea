// Every corpus answer, printed in every format, byte for byte as recorded in
// test/corpus/answers.golden.txt: a refactoring must not change what users see. The file is not
// a truth (test/corpus.test.ts checks every answer against finite differences); it records
// what the engine printed, so that a change shows up as a reviewed diff. After an intended
// improvement: UPDATE_GOLDEN=1 npx vitest run test/golden.test.ts, and name it in the commit.
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { expect, it } from "vitest";
import { MatcalcError, checkText, derive, fileReport, formatAnswer, jsonResult, numpyModule, printSolution, workedSolution } from "../src/index.js";
import { PROBLEMS, deriveOptions } from "./corpus/problems.js";

const GOLDEN = new URL("./corpus/answers.golden.txt", import.meta.url);
const HOMEWORK = new URL("./check/homework/", import.meta.url);

function answers(): string {
  const out: string[] = [];
  for (const p of PROBLEMS) {
    for (const [spelling, text] of Object.entries(p.spellings)) {
      out.push(`## ${p.id} [${spelling}]`);
      try {
        const r = derive(text, { ...deriveOptions(p), verify: false });
        out.push(`unicode: ${formatAnswer(r.gradient, "unicode", r.ctx)}`);
        out.push(`latex: ${formatAnswer(r.gradient, "latex", r.ctx)}`);
        out.push(`ascii: ${formatAnswer(r.gradient, "ascii", r.ctx)}`);
        out.push(`notes: ${JSON.stringify(r.notes)}`);
        out.push(`json: ${jsonResult(r)}`);
        if (spelling === "unicode") {
          out.push(numpyModule(r.expression, r.gradient, r.wrt, r.ctx, text.trim(), { shape: r.shape, order: r.order }));
          if (r.order === 1) out.push(printSolution(workedSolution(r), "unicode"));
        }
      } catch (err) {
        if (!(err instanceof MatcalcError)) throw err;
        out.push(`refused: ${err.format()}`);
      }
    }
  }
  for (const file of readdirSync(HOMEWORK).filter((f) => !f.endsWith(".ts")).sort()) {
    out.push(`## check ${file}`);
    out.push(fileReport(checkText(readFileSync(new URL(file, HOMEWORK), "utf8"), { file })));
  }
  return out.join("\n") + "\n";
}

it("prints every corpus answer and homework report as recorded", () => {
  const now = answers();
  if (process.env.UPDATE_GOLDEN) writeFileSync(GOLDEN, now);
  const recorded = readFileSync(GOLDEN, "utf8");
  if (now === recorded) return;
  // the first differing line says more than a 2 MB diff
  const a = now.split("\n");
  const b = recorded.split("\n");
  const i = a.findIndex((line, k) => line !== b[k]);
  expect({ line: i + 1, now: a[i], recorded: b[i] }).toEqual({ line: i + 1, now: b[i], recorded: b[i] });
}, 600_000);
