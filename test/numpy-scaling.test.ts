// Every generated module imports and runs at the largest size each scaling family of the
// benchmark reaches (n = 1000): long chains and deep nestings are statements, not nested
// parentheses (Python refuses 200 nested brackets and its compiler recurses once per term of a
// flat sum). Each derivative is compared in Python with
// central differences of the module's value().
import { describe, expect, it } from "vitest";
import { derive } from "../src/index.js";
import { FAMILIES, SIZES } from "../bench/families.js";
import { type ArgSpec, hasNumpy, moduleFile, py, runJobs } from "./numpy-harness.js";

const M = 3;

/** Arguments at m = 3 that keep products of 1000 factors finite: orthogonal factors, well-conditioned inverses. */
function argsOf(family: string, params: readonly string[]): Record<string, ArgSpec> {
  const args: Record<string, ArgSpec> = {};
  for (const p of params) {
    if (/^(x|y)$/.test(p)) args[p] = { shape: [M] };
    else if (family.startsWith("nested")) args[p] = { shape: [M, M], shift: 3, scale: 0.3 };
    else if (family === "logdet-sum" && p !== "X") args[p] = { shape: [M, M], spd: true, scale: 0.3 };
    else if (family === "sum-quadratic") args[p] = { shape: [M, M], scale: 0.1 };
    else if (family === "logdet-sum") args[p] = { shape: [M, M], shift: 2 };
    else args[p] = { shape: [M, M], orthogonal: true };
  }
  return args;
}

describe.skipIf(!hasNumpy)("NumPy modules of the scaling families at their largest size", () => {
  const cases = FAMILIES.map((f) => {
    const n = (f.sizes ?? SIZES).at(-1)!;
    const problem = f.make(n);
    const r = derive(problem.text, { wrt: problem.wrt, where: problem.where, verify: false });
    const { file, text } = moduleFile(r, `${f.id} at n = ${n}`);
    const params = /def value\((.*)\):/.exec(text)![1]!.split(", ").filter((p) => !p.endsWith("=None"));
    return { id: f.id, n, file, text, wrt: py(r.wrt), params };
  });
  const outcomes = runJobs(cases.map((c) => ({ module: c.file, args: argsOf(c.id, c.params), wrt: c.wrt })));

  it.each(cases.map((c, i) => [c.id, c.n, c, outcomes[i]!] as const))("%s at n = %i", (_id, _n, c, o) => {
    expect(o.error).toBeUndefined();
    expect(Number.isFinite(o.value)).toBe(true);
    expect(o.fdError!).toBeLessThan(1e-6);
    // No line nests brackets anywhere near Python's limit.
    const deepest = Math.max(
      ...c.text.split("\n").map((line) => {
        let depth = 0;
        let most = 0;
        for (const ch of line) {
          if (ch === "(" || ch === "[") most = Math.max(most, ++depth);
          else if (ch === ")" || ch === "]") depth--;
        }
        return most;
      }),
    );
    expect(deepest).toBeLessThan(50);
  });
});
