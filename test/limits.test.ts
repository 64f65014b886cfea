// A simplification that reaches one of its limits (src/simplify/limits.ts) says so in a note, and
// its answer is still right: checked against central finite differences of the original function.
import { describe, expect, it } from "vitest";
import { derive } from "../src/index.js";
import { checkAgainstDifferences, matcalc } from "./helpers.js";

const STOPPED = /^simplification stopped at its limit of .*: the answer is right but may not be the shortest\.$/;

describe("a limit reached is a note, and the answer is still right", () => {
  it("the passes of the rewrites, lowered to 1 (‖(WX)ᵀ − Y‖² needs 2)", () => {
    const problem = ["‖(W X)ᵀ − Y‖²", { wrt: "W", where: "W: m×n, X: n×p, Y: p×m" }] as const;
    const stopped = derive(problem[0], { ...problem[1], limits: { passes: 1 } });
    expect(stopped.notes.filter((n) => STOPPED.test(n))).toEqual([
      "simplification stopped at its limit of 1 pass of the rewrites: the answer is right but may not be the shortest.",
    ]);
    checkAgainstDifferences(stopped);
    expect(derive(...problem).notes.some((n) => STOPPED.test(n))).toBe(false);
  });

  // nine binomials multiplied out are 2⁹ = 512 terms, past the 400 of an expansion
  const binomials = "tr((A + B)(C + D)(E + F)(G + H)(J + K)(A + C)(B + D)(E + G)(F + H) X)";
  const where = "A: n×n, B: n×n, C: n×n, D: n×n, E: n×n, F: n×n, G: n×n, H: n×n, J: n×n, K: n×n, X: n×n";

  it("the terms of an expanded product, at the default limits", () => {
    const r = derive(binomials, { wrt: "X", where });
    expect(r.notes.filter((n) => STOPPED.test(n))).toEqual([
      "simplification stopped at its limit of 400 terms in expanding a product: the answer is right but may not be the shortest.",
    ]);
    checkAgainstDifferences(r);
    // four binomials, 16 terms, expand
    expect(derive("tr((A + B)(C + D)(E + F)(G + H) X)", { wrt: "X", where }).notes.some((n) => STOPPED.test(n))).toBe(false);
  });

  it("is printed by the command line, with the answer", () => {
    const r = matcalc(["derive", binomials, "--wrt", "X", "--where", where]);
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).not.toBe("");
    expect(r.stdout + r.stderr).toContain("note: simplification stopped at its limit of 400 terms in expanding a product");
  });
});
