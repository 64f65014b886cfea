// Every answer the corpus produces, printed as LaTeX, renders in KaTeX with throwOnError and
// strict mode (which also refuses Unicode in math mode); the Unicode and ASCII answers read
// back in the problem's context as the same expression.
import { describe, expect, it } from "vitest";
import katex from "katex";
import { derive, formatExpr, readExpression, sameNormalForm } from "../src/index.js";
import { PROBLEMS, deriveOptions } from "./corpus/problems.js";

describe("corpus answers in every format", () => {
  it.each(PROBLEMS.map((p) => [p.id, p] as const))("%s", (_id, p) => {
    const r = derive(p.spellings.unicode, deriveOptions(p));
    const latex = formatExpr(r.gradient, "latex", r.ctx);
    expect(() => katex.renderToString(latex, { throwOnError: true, strict: "error" }), latex).not.toThrow();
    for (const format of ["unicode", "ascii", "latex"] as const) {
      const printed = formatExpr(r.gradient, format, r.ctx);
      const reread = readExpression(printed, r.ctx).expr;
      expect(sameNormalForm(reread, r.gradient, r.ctx), `${format}: ${printed}`).toBe(true);
    }
  });
});
