// The numeric check the command line runs on every answer: agreement with finite differences
// of the original function, a wrong answer caught, an expression defined nowhere left unchecked.
import { describe, expect, it } from "vitest";
import { contextOf, derive, readExpression, simplify } from "../../src/index.js";
import { verifyDerivative, verifySameValue } from "../../src/numeric/verify.js";
import { PROBLEMS, deriveOptions } from "../corpus/problems.js";

describe("verifyDerivative", () => {
  it("agrees with a right answer", () => {
    const r = derive("½‖WᵀWx − x‖²", { wrt: "W", where: "W: m×n, x: n" });
    expect(verifyDerivative(r)).toMatchObject({ verdict: "agrees" });
  });

  it.each([
    ["xᵀAx", "A: n×n, x: n", "x", "2Ax"],
    ["½‖WᵀWx − x‖²", "W: m×n, x: n", "W", "W(WᵀWx − x)xᵀ"],
    ["−D/2 log|K|", "X: m×n, Y: m×D, α, β: scalar, K := αXXᵀ + β⁻¹I", "X", "αDK⁻¹X"],
  ])("catches a wrong answer to %s: %s", (text, where, wrt, wrong) => {
    const r = derive(text, { wrt, where });
    const v = verifyDerivative({ ...r, gradient: readExpression(wrong, r.ctx).expr });
    expect(v.verdict).toBe("disagrees");
  });

  it("leaves unchecked, with the reason, what is defined nowhere", () => {
    const r = derive("log(−xᵀx)", { wrt: "x", where: "x: n" });
    const v = verifyDerivative(r);
    expect(v.verdict).toBe("unchecked");
    expect(v.verdict === "unchecked" && v.reason).toMatch(/defined/);
  });

  it("derive with verify attaches the verdict, and notes what it could not check", () => {
    expect(derive("xᵀAx", { wrt: "x", verify: true }).verification).toMatchObject({ verdict: "agrees" });
    expect(derive("log(−xᵀx)", { wrt: "x", verify: true }).notes.join(" ")).toMatch(/^not checked numerically: /);
  });

  it("checks a simplified form's value the same way", () => {
    const ctx = contextOf("A, B: n×n");
    const read = (t: string) => readExpression(t, ctx).expr;
    expect(verifySameValue(read("(A + B)ᵀ"), read("Aᵀ + Bᵀ"), ctx).verdict).toBe("agrees");
    expect(verifySameValue(read("(AB)ᵀ"), read("AᵀBᵀ"), ctx).verdict).toBe("disagrees");
    expect(simplify("IA + AI − 0·A", "A: n×n", { verify: true }).notes).toEqual([]);
  });

  // The corpus's answers are right (test/corpus.test.ts): the check must not refuse any of them.
  it.each(PROBLEMS.map((p) => [p.id, p] as const))("passes the corpus answer %s", (_id, p) => {
    const r = derive(p.spellings.unicode, deriveOptions(p));
    expect(verifyDerivative(r).verdict).toBe("agrees");
  });
});
