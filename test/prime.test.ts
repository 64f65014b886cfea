// f′(u) as backprop writes it (δ = Wᵀδ′ ⊙ σ′(z), tanh'(z)): for every function applied entry by
// entry, found in the function table, each spelling is read and written out as f's derivative,
// entry by entry, judged by test/independent's finite differences of sum(f(x)).
import { describe, expect, it } from "vitest";
import { type Expr, MatcalcError, checkText, contextOf, derive, readExpression } from "../src/index.js";
import { FUNCTIONS } from "../src/functions/index.js";
import { judge } from "./independent/confirm.js";

const ENTRYWISE = FUNCTIONS.filter((f) => f.algebra?.entrywise);
const hasPrime = (e: Expr): boolean => (e.op === "call" && e.fn === "prime") || e.args.some(hasPrime);

describe("f′(u) of a function applied entry by entry", () => {
  it("the function table marks them", () => {
    expect(ENTRYWISE.map((f) => f.fn)).toEqual(expect.arrayContaining(["log", "exp", "tanh", "sigmoid", "softplus", "relu"]));
    expect(ENTRYWISE.map((f) => f.fn)).not.toContain("softmax");
  });

  for (const f of ENTRYWISE)
    for (const where of ["x: scalar", "x: n", "x: m×n"])
      it(`${f.fn}′ of x with ${where}, in four spellings, against differences of sum(${f.fn}(x))`, () => {
        // a pole at 0 (log, √): at exp(x), which the chain rule multiplies back in
        const arg = f.algebra?.poleAtZero ? "exp(x)" : "x";
        const times = f.algebra?.poleAtZero ? " ⊙ exp(x)" : "";
        const ctx = contextOf(where);
        const expression = readExpression(`sum(${f.fn}(${arg}))`, ctx).expr;
        for (const written of [`${f.fn}'`, `${f.fn}′`, `\\operatorname{${f.fn}}'`, `\\operatorname{${f.fn}}^{\\prime}`]) {
          const read = readExpression(`${written}(${arg})${times}`, ctx).expr;
          expect(hasPrime(read)).toBe(false);
          const judged = judge({ ctx, expression, gradient: read, wrt: "x", layout: "gradient", order: 1 }, 11);
          expect(judged.verdict, `${written}: ${JSON.stringify(judged)}`).toBe("confirmed");
        }
      });

  it("σ′(z), σ'(z), \\sigma'(z) and \\sigma^{\\prime}(z) are the sigmoid's where σ is not declared; a declared σ is a scalar", () => {
    const ctx = contextOf("z: n");
    const expression = readExpression("sum(σ(z))", ctx).expr;
    for (const written of ["σ′(z)", "σ'(z)", "\\sigma'(z)", "\\sigma^{\\prime}(z)"]) {
      const read = readExpression(written, ctx).expr;
      expect(judge({ ctx, expression, gradient: read, wrt: "z", layout: "gradient", order: 1 }, 5).verdict, written).toBe("confirmed");
    }
    // declared: σ' is σ (a scalar's transpose) times z
    expect(derive("σ'(z)ᵀz", { wrt: "σ", where: "σ: scalar, z: n", verify: false }).shape).toEqual([1, 1]);
  });

  it("softmax′ is refused, with its position: softmax is not applied entry by entry", () => {
    const ctx = contextOf("z: n");
    expect(() => readExpression("2 softmax'(z)", ctx)).toThrow(MatcalcError);
    try {
      readExpression("2 softmax'(z)", ctx);
    } catch (err) {
      expect((err as MatcalcError).message).toMatch(/not supported: softmax′/);
      expect((err as MatcalcError).span?.start).toBe(2);
    }
  });

  it("a derivative through f′ is a derivative of what it writes out, in the expression and in a --where definition", () => {
    const r = derive("sum(tanh'(Wx))", { wrt: "W", where: "W: m×n, x: n" });
    expect(judge(r, 3).verdict).toBe("confirmed");
    const defined = derive("yᵀh", { wrt: "W", where: "W: m×n, x: n, y: m, h := σ'(Wx)" });
    expect(judge(defined, 4).verdict).toBe("confirmed");
  });

  it("in a homework: δ₁ := W₂ᵀδ₂ ⊙ σ′(z₁) defines, and a step that applies σ′ twice is wrong", () => {
    const text = [
      "let x: d, W_1: h×d, W_2: k×h, y: k",
      "z_1 := W_1 x",
      "L := ½‖W_2 σ(z_1) − y‖²",
      "δ_2 := W_2 σ(z_1) − y",
      "δ_1 := W_2ᵀδ_2 ⊙ σ′(z_1)",
      "∂L/∂W_1 = δ_1 xᵀ",
      "∂L/∂z_1 = δ_1 ⊙ σ'(z_1)",
    ].join("\n");
    const r = checkText(text, { file: "backprop.mc" });
    expect(r.unreadable).toEqual([]);
    expect(r.claims.map((c) => `${c.line}:${c.verdict}`)).toEqual(["6:ok", "7:wrong"]);
  });
});
