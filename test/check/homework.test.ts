// Homework typed the way students type it (test/check/homework: Overleaf .tex files and pasted
// fragments, Jupyter-style .md, plain files), each claim transcribed by hand in
// test/check/homework/truth.ts and evaluated with test/check/transcribe.ts — plain ml-matrix code
// and central finite differences of the transcribed loss, nothing of src/. From those numbers
// alone the test decides what each claim's verdict must be (a step equal to the line before it
// is ok, or carried after an error that is still there; a step that differs is wrong), and
// the checker must give exactly those verdicts, with no line unreadable. The `%! wrong` marks in
// the files (the planted errors) must be exactly the lines the numbers find wrong.
import { describe, expect, it } from "vitest";
import { checkText } from "../../src/index.js";
import { read } from "./helpers.js";
import { type Chain, HOMEWORK } from "./homework/truth.js";
import { Draw, type M, type Values, close, differ, grad, hess, jac, rng } from "./transcribe.js";

const INSTANCES = 3;

function rootValue(c: Chain, v: Values): M {
  const r = c.root;
  if ("value" in r) return r.value(v);
  if ("grad" in r) return grad(r.grad, v, r.wrt);
  if ("jac" in r) return jac(r.jac, v, r.wrt);
  return hess(r.hess, v, r.wrt);
}

/** Each claim's verdict as the transcription's numbers decide it, by line (in the order of the claims on a line). */
function expectedVerdicts(file: string): Map<number, string[]> {
  const hw = HOMEWORK[file]!;
  const out = new Map<number, string[]>();
  for (const [ci, c] of hw.chains.entries()) {
    const draws = Array.from({ length: INSTANCES }, (_, k) => (c.draw ?? hw.draw)(new Draw(rng(1000 * ci + 17 * k + file.length))));
    // a step whose transcription does not conform (a product of the wrong shapes) has no value: it differs
    const valueOf = (f: (v: Values) => M, v: Values): M | undefined => {
      try {
        return f(v);
      } catch {
        return undefined;
      }
    };
    const values: (M | undefined)[][] = draws.map((v) => [rootValue(c, v), ...c.steps.map(([, f]) => valueOf(f, v))]);
    let wrongAt: number | undefined;
    // each step against the last one before it that has a value (as the checker reads a chain)
    let prev = 0;
    c.steps.forEach(([line], i) => {
      const at = values.map((vs) => [vs[prev]!, vs[i + 1]] as const);
      const illFormed = at.every(([, b]) => b === undefined);
      const equal = !illFormed && at.every(([a, b]) => b !== undefined && close(a, b));
      if (!equal && !illFormed && !at.some(([a, b]) => b === undefined || differ(a, b))) throw new Error(`${file}:${line}: the transcription neither agrees nor clearly differs`);
      let verdict: string;
      if (!equal) {
        verdict = "wrong";
        // an ill-formed step has no value: what follows carries what the step before it carried
        if (!illFormed) wrongAt = values.every((vs) => close(vs[0]!, vs[i + 1]!)) ? undefined : line;
      } else verdict = wrongAt === undefined ? "ok" : "carried";
      if (!illFormed) prev = i + 1;
      out.set(line, [...(out.get(line) ?? []), verdict]);
    });
  }
  return out;
}

const FILES = Object.keys(HOMEWORK).sort();

describe("the homework corpus", () => {
  it("has at least 20 files (.tex, .md and plain), 150 claims and 30 planted errors, each planted error marked", () => {
    expect(FILES.length).toBeGreaterThanOrEqual(20);
    for (const ext of [".tex", ".md", ".mc"]) expect(FILES.filter((f) => f.endsWith(ext)).length, ext).toBeGreaterThanOrEqual(2);
    const claims = FILES.reduce((n, f) => n + HOMEWORK[f]!.chains.reduce((k, c) => k + c.steps.length, 0), 0);
    const planted = FILES.reduce((n, f) => n + marked(f).size, 0);
    expect(claims).toBeGreaterThanOrEqual(150);
    expect(planted).toBeGreaterThanOrEqual(30);
  });
});

function marked(file: string): Set<number> {
  const out = new Set<number>();
  read(`test/check/homework/${file}`)
    .split("\n")
    .forEach((l, i) => {
      if (/[%#]!\s*wrong/.test(l)) out.add(i + 1);
    });
  return out;
}

describe.each(FILES.map((f) => [f]))("%s", (file) => {
  it("the numbers find wrong exactly the marked lines; the checker agrees with the numbers on every claim, and reads every line", () => {
    const expected = expectedVerdicts(file);
    const numericallyWrong = new Set([...expected].filter(([, vs]) => vs.includes("wrong")).map(([l]) => l));
    expect([...numericallyWrong].sort((a, b) => a - b), "planted errors").toEqual([...marked(file)].sort((a, b) => a - b));

    const r = checkText(read(`test/check/homework/${file}`), { file });
    expect(r.unreadable).toEqual([]);
    const got = new Map<number, string[]>();
    for (const c of r.claims) got.set(c.line, [...(got.get(c.line) ?? []), c.verdict]);
    const sorted = (m: Map<number, string[]>) => [...m].sort(([a], [b]) => a - b);
    expect(sorted(got)).toEqual(sorted(expected));
    expect(r.ok).toBe(numericallyWrong.size === 0);
  });
});
