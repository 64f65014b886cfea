// Functions that abbreviate another form (`writtenAs` in the function table: mean(A) = sum(A)/(mn)),
// found in the table: each is written out as soon as it is read, and derivatives through it are
// judged by test/independent's finite differences of the function itself (its own independent
// evaluation, not the written-out form).
import { describe, expect, it } from "vitest";
import { type Expr, contextOf, derive, formatAnswer, readExpression } from "../src/index.js";
import { call } from "../src/ast.js";
import { FUNCTIONS } from "../src/functions/index.js";
import { judge, judgeSameValue } from "./independent/confirm.js";

const ABBREVIATIONS = FUNCTIONS.filter((f) => f.algebra?.writtenAs);
const calls = (e: Expr, fn: string): boolean => (e.op === "call" && e.fn === fn) || e.args.some((a) => calls(a, fn));

/** Arguments of every shape, the variable inside them. */
const CASES = [
  { where: "x: n", argument: "x ⊙ x", wrt: "x" },
  { where: "X: m×n, w: n, y: m", argument: "(Xw − y) ⊙ (Xw − y)", wrt: "w" },
  { where: "X: m×n, W: n×k", argument: "log(𝟙𝟙ᵀ + exp(XW))", wrt: "W" },
  { where: "w: n", argument: "wᵀw", wrt: "w" },
];

describe("functions that abbreviate another form", () => {
  it("the function table has them: mean", () => {
    expect(ABBREVIATIONS.map((f) => f.fn)).toContain("mean");
  });

  for (const f of ABBREVIATIONS)
    for (const c of CASES)
      it(`${f.fn}(${c.argument}) by ${c.wrt} (${c.where}): written out on reading, its value and gradient those of ${f.fn} itself`, () => {
        const r = derive(`${f.fn}(${c.argument})`, { wrt: c.wrt, where: c.where, verify: false });
        expect(calls(r.expression, f.fn)).toBe(false);
        // the truth: the function as the independent evaluator computes it, on the argument as read
        const itself = call(f.fn, [readExpression(c.argument, r.ctx).expr]);
        expect(judgeSameValue(r.ctx, itself, r.expression, 3).verdict).toBe("confirmed");
        expect(judge({ ...r, expression: itself }, 7).verdict).toBe("confirmed");
      });

  it("mean of the squared residual comes in the textbook's form, and in every spelling", () => {
    for (const text of ["mean((Xw − y) ⊙ (Xw − y))", "mean((X*w - y).^2)", "\\operatorname{mean}\\left((Xw - y) \\odot (Xw - y)\\right)"]) {
      const r = derive(text, { wrt: "w", where: "X: m×n, w: n, y: m" });
      expect(formatAnswer(r.gradient, "unicode", r.ctx)).toBe("2/m·Xᵀ(Xw − y)");
    }
  });

  it("in a --where definition and in homework", () => {
    const defined = derive("L", { wrt: "w", where: "X: m×n, w: n, y: m, r := Xw − y, L := mean(r ⊙ r)" });
    expect(judge({ ...defined, expression: call("mean", [readExpression("(Xw − y) ⊙ (Xw − y)", contextOf("X: m×n, w: n, y: m")).expr]) }, 5).verdict).toBe("confirmed");
  });
});
