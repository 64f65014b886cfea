// A vector declared to sum to one (`sum(y) = 1`): answers by it and through it are simplified
// with 𝟙ᵀy = 1 and judged by finite differences of the original function at this folder's own
// samples (test/independent: a y of positive entries summing to 1), never by the engine.
import { describe, expect, it } from "vitest";
import { derive, formatExpr } from "../src/index.js";
import { judge } from "./independent/confirm.js";

const where = "W: k×n, x, u: n, y, z: k, A: k×k, sum(y) = 1";

describe("by a vector declared to sum to one, the answer agrees with differences at such a vector", () => {
  it.each([
    ["−yᵀlog(softmax(Wx))", "y"],
    ["−yᵀlog(softmax(Wx))", "W"],
    ["(𝟙ᵀy)(zᵀy)", "y"],
    ["sum(y)² + yᵀAy", "y"],
    ["−yᵀlog(y)", "y"],
    ["sum(y)‖Wu − y‖²", "u"],
  ])("%s by %s", (text, wrt) => {
    const r = derive(text, { wrt, where });
    for (const seed of [1, 2, 3]) expect(judge(r, seed).verdict, `seed ${seed}: ${formatExpr(r.gradient, "unicode", r.ctx)}`).toBe("confirmed");
    expect(formatExpr(r.gradient, "unicode", r.ctx)).not.toMatch(/sum\(y\)|𝟙ᵀy|yᵀ𝟙/);
  });

  it("by y, a note says the gradient is the ambient one, simplified with 𝟙ᵀy = 1", () => {
    expect(derive("(𝟙ᵀy)(zᵀy)", { wrt: "y", where }).notes).toContain("y sums to one, as declared: this is the gradient with its entries independent, simplified with 𝟙ᵀy = 1.");
    expect(derive("(𝟙ᵀy)(zᵀy)", { wrt: "z", where }).notes.join(" ")).not.toMatch(/sums to one/);
  });

  it("without the declaration, sum(y) stays", () => {
    const r = derive("(𝟙ᵀy)(zᵀy)", { wrt: "y", where: "y, z: k" });
    expect(formatExpr(r.gradient, "unicode", r.ctx)).toMatch(/sum\(y\)/);
  });
});
