// Every answer the corpus produces, printed as LaTeX, renders in KaTeX with throwOnError and
// strict mode (which also refuses Unicode in math mode); the Unicode and ASCII answers read
// back in the problem's context as the same expression.
import { describe, expect, it } from "vitest";
import katex from "katex";
import { derive, formatAnswer, formatExpr, nameShared, readExpression, sameNormalForm } from "../src/index.js";
import { judge } from "./independent/confirm.js";
import { extendedContext } from "../src/context.js";
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

// An answer with its shared pieces named (`E, where s = F`) reads back, in every format, as E with
// s := F; read back, it is judged against finite differences of the original function by
// test/independent (never against the engine's own answer).
const named = PROBLEMS.map((p) => [p.id, p, derive(p.spellings.unicode, deriveOptions(p))] as const).filter(([, , r]) => nameShared(r.gradient, r.ctx).where.length > 0);

describe("answers with named pieces read back as the derivative", () => {
  it("some corpus answers name a piece", () => expect(named.length).toBeGreaterThanOrEqual(5));
  it.each(named)("%s", (_id, _p, r) => {
    const latex = formatAnswer(r.gradient, "latex", r.ctx);
    expect(latex).toMatch(/\\quad\\text\{where \}/);
    expect(() => katex.renderToString(latex, { throwOnError: true, strict: "error" }), latex).not.toThrow();
    for (const format of ["unicode", "ascii", "latex"] as const) {
      const printed = formatAnswer(r.gradient, format, r.ctx);
      const ctx = extendedContext(r.ctx);
      const reread = readExpression(printed, ctx).expr;
      const verdict = judge({ ...r, ctx, gradient: reread }, 7);
      expect(verdict.verdict, `${format}: ${printed}: ${"detail" in verdict ? verdict.detail : ""}`).toBe("confirmed");
    }
  });
});
