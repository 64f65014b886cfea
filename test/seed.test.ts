// The seed homework's problems (../shared/seeds/000_63e9fdc3fc5ec368.txt): exact, compact,
// in terms of K, the same in every spelling, and rendered by KaTeX.
import { describe, expect, it } from "vitest";
import katex from "katex";
import { derive, formatExpr, readExpression, sameNormalForm, type DeriveResult } from "../src/index.js";
import { cost } from "../src/simplify/cost.js";
import { symbols } from "../src/ast.js";
import { checkAgainstDifferences } from "./helpers.js";

const GP = "X: m×n, Y: m×D, α, β: scalar, K := αXXᵀ + β⁻¹I";
const GP_LATEX = "X \\in \\mathbb{R}^{m \\times n}, Y \\in \\mathbb{R}^{m \\times D}, \\alpha, \\beta \\in \\mathbb{R}, K := \\alpha X X^\\top + \\beta^{-1} I";

/** The result is no larger (by the simplifier's cost) than the textbook's form, and equal to it. */
function asCompactAs(r: DeriveResult, textbook: string) {
  const t = readExpression(textbook, r.ctx).expr;
  expect(sameNormalForm(r.gradient, t, r.ctx), `${formatExpr(r.gradient, "unicode", r.ctx)} vs ${textbook}`).toBe(true);
  expect(cost(r.gradient), formatExpr(r.gradient, "unicode", r.ctx)).toBeLessThanOrEqual(cost(t));
}

function rendersInKatex(r: DeriveResult) {
  const latex = formatExpr(r.gradient, "latex", r.ctx);
  expect(() => katex.renderToString(latex, { throwOnError: true, strict: "error" })).not.toThrow();
}

describe("1(d): ½‖WᵀWx − x‖² by W", () => {
  const spellings = [
    ["unicode", "½‖WᵀWx − x‖²", "W: m×n, x: n"],
    ["ascii", "1/2*norm2(W'*W*x - x)^2", "W: m x n, x: n"],
    ["latex", "\\frac{1}{2}\\|W^\\top W x - x\\|_2^2", "W \\in \\mathbb{R}^{m \\times n}, x \\in \\mathbb{R}^{n}"],
  ] as const;

  it.each(spellings)("%s: matches finite differences and is as compact as Wx(WᵀWx − x)ᵀ + W(WᵀWx − x)xᵀ", (_s, text, where) => {
    const r = derive(text, { wrt: "W", where });
    checkAgainstDifferences(r);
    asCompactAs(r, "Wx(WᵀWx − x)ᵀ + W(WᵀWx − x)xᵀ");
    rendersInKatex(r);
  });

  it("is not the four-term expansion", () => {
    const r = derive("½‖WᵀWx − x‖²", { wrt: "W", where: "W: m×n, x: n" });
    const fourTerms = readExpression("WxxᵀWᵀW − Wxxᵀ + WWᵀWxxᵀ − Wxxᵀ", r.ctx).expr;
    expect(cost(r.gradient)).toBeLessThan(cost(fourTerms));
  });
});

describe("2: the GP-LVM log-likelihood by X, in terms of K", () => {
  const cases = [
    ["−D/2 log|K|", "−αDK⁻¹X"],
    ["−½ tr(K⁻¹YYᵀ)", "αK⁻¹YYᵀK⁻¹X"],
    ["−D/2 log|K| − ½ tr(K⁻¹YYᵀ)", "α(K⁻¹YYᵀK⁻¹ − DK⁻¹)X"],
  ] as const;

  it.each(cases)("%s gives %s (or as compact), by finite differences", (text, textbook) => {
    const r = derive(text, { wrt: "X", where: GP });
    checkAgainstDifferences(r);
    asCompactAs(r, textbook);
    expect(symbols(r.gradient).has("K")).toBe(true);
    rendersInKatex(r);
  });

  it("the same problems in ASCII and LaTeX give the same answers", () => {
    const unicode = derive("−D/2 log|K| − ½ tr(K⁻¹YYᵀ)", { wrt: "X", where: GP });
    const ascii = derive("-D/2*logdet(K) - 1/2*trace(inv(K)*Y*Y')", { wrt: "X", where: "X: m x n, Y: m x D, alpha, beta: scalar, K := alpha*X*X' + inv(beta)*I" });
    const latex = derive("-\\frac{D}{2}\\log\\left|K\\right| - \\frac{1}{2}\\operatorname{tr}\\left(K^{-1} Y Y^\\top\\right)", { wrt: "X", where: GP_LATEX });
    for (const other of [ascii, latex]) {
      expect(formatExpr(other.gradient, "unicode", other.ctx)).toBe(formatExpr(unicode.gradient, "unicode", unicode.ctx));
      checkAgainstDifferences(other);
    }
  });

  it("the seed's boxed 2(b) answer −DαK⁻¹X agrees; its last line α[DK⁻¹ + K⁻¹YYᵀK⁻¹]X does not", () => {
    const r = derive("−D/2 log|K| − ½ tr(K⁻¹YYᵀ)", { wrt: "X", where: GP });
    const wrong = readExpression("α(DK⁻¹ + K⁻¹YYᵀK⁻¹)X", r.ctx).expr;
    expect(sameNormalForm(r.gradient, wrong, r.ctx)).toBe(false);
  });
});
