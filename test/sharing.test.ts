// Named pieces (src/print/sharing.ts, NOTATION.md "Asking for a derivative"): which pieces an
// answer names, with which letters, and how `E, where s = F` reads back. The printed forms are
// checked by hand; every answer here is also checked against finite differences by derive().
import { describe, expect, it } from "vitest";
import { MatcalcError, contextOf, derive, formatAnswer, readExpression } from "../src/index.js";

const answer = (text: string, wrt: string, where: string, format: "unicode" | "latex" | "ascii" = "unicode") => {
  const r = derive(text, { wrt, where });
  return formatAnswer(r.gradient, format, r.ctx);
};

describe("named pieces", () => {
  it("names an activation used more than once h, in each format", () => {
    const where = "W: m×n, x: n, b, y: m";
    expect(answer("½‖tanh(Wx + b) − y‖²", "b", where)).toBe("(h − y) ⊙ (𝟙 − h ⊙ h), where h = tanh(Wx + b)");
    expect(answer("½‖tanh(Wx + b) − y‖²", "b", where, "ascii")).toBe("(h - y) .* (ones - h .* h), where h = tanh(W*x + b)");
    expect(answer("½‖tanh(Wx + b) − y‖²", "b", where, "latex")).toMatch(/ \\quad\\text\{where \} h = \\tanh\\left\(W x \+ b\\right\)$/);
  });

  it("names a softmax s", () => {
    expect(answer("½‖Vᵀsoftmax(Kq/√d) − y‖²", "q", "K: n×d, V: n×p, q: d, y: p")).toMatch(/, where s = softmax\(Kq\/√\(d\)\)$/);
  });

  it("leaves a small piece in place (K⁻¹ and Xᵀ are read at a glance)", () => {
    expect(answer("−D/2 log|K| − ½tr(K⁻¹YYᵀ)", "X", "X: m×n, Y: m×D, α, β: scalar, K := αXXᵀ + β⁻¹I")).not.toContain("where");
  });

  it("numbers a family of pieces, with a letter that is neither a symbol nor a dimension", () => {
    let s = "X";
    for (let i = 1; i <= 8; i++) s = `inv(A_${i} + ${s})`;
    const text = answer(`tr(${s})`, "X", `X, ${Array.from({ length: 8 }, (_, i) => `A_${i + 1}`).join(", ")}: M×M`);
    expect(text).toMatch(/, where N₁ = \(\(A₁ \+ X\)⁻¹ \+ A₂\)⁻¹, N₂ = \(N₁ \+ A₃\)⁻¹/);
    expect(text).not.toMatch(/\bM[₁-₉] =/);
  });
});

describe("an answer read back", () => {
  it("is E with the definition s := F", () => {
    const ctx = contextOf("W: m×n, x: n, b, y: m");
    const { expr } = readExpression("(h − y) ⊙ (𝟙 − h ⊙ h), where h = tanh(Wx + b)", ctx);
    expect(ctx.symbols.get("h")?.definition?.fn).toBe("tanh");
    expect(expr.op).toBe("call");
  });

  it("in LaTeX, several definitions", () => {
    const ctx = contextOf("x: n");
    readExpression("u + v \\quad\\text{where } u = \\exp(x),\\; v = 2u", ctx);
    expect(ctx.definitionOrder).toEqual(["u", "v"]);
  });

  it("a bad definition is a positioned error in the whole text", () => {
    const text = "sum(h), where h = tanh(x +)";
    try {
      readExpression(text, contextOf("x: n"));
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(MatcalcError);
      expect((err as MatcalcError).format().split("\n")[0]).toBe("1:27: unexpected `)`: expected a symbol, a number or `(`");
    }
  });

  it("a name given twice is refused where it is", () => {
    expect(() => readExpression("h, where h = x, h = 2x", contextOf("x: n"))).toThrow(/`h` is already declared or defined/);
  });
});
