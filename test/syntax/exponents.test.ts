// NOTATION.md, "As people write it": exponents that are names or scalar expressions,
// \det(P)^{r}, \sigma^{2(d-q)}, α^{n} with n a dimension, (αβ)^{γ}, x^{k}. Each reading is
// compared with the same function spelled with exp and log, and each derivative with central
// finite differences of the original expression, both by the tests' own evaluator
// (test/independent), never by the engine's answer.
import { describe, expect, it } from "vitest";
import { derive, formatExpr, readExpression } from "../../src/index.js";
import { MatcalcError } from "../../src/errors.js";
import { judge, judgeSameValue } from "../independent/confirm.js";

const SEEDS = [5, 6, 7];

function confirmed(text: string, wrt: string, where: string): void {
  const r = derive(text, { wrt, where, verify: true });
  for (const seed of SEEDS) {
    const j = judge(r, seed);
    expect(j.verdict, `${text} by ${wrt} (seed ${seed}): ${"detail" in j ? j.detail : ""}`).toBe("confirmed");
  }
}

/** `text` is read as the function `tidy` (spelled without the exponent under test). */
function readsAs(text: string, tidy: string, where: string): void {
  const r = derive(text, { wrt: where.split(/[,:]/)[0]!.trim(), where, verify: false });
  const truth = readExpression(tidy, r.ctx).expr;
  for (const seed of SEEDS) {
    const j = judgeSameValue(r.ctx, r.expression, truth, seed);
    expect(j.verdict, `${text} as ${tidy}: ${"detail" in j ? j.detail : ""}`).toBe("confirmed");
  }
}

function refused(text: string, wrt: string, where: string, message: RegExp, at: string): void {
  let err: unknown;
  try {
    derive(text, { wrt, where });
  } catch (e) {
    err = e;
  }
  expect(err, text).toBeInstanceOf(MatcalcError);
  const e = err as MatcalcError;
  expect(e.message).toMatch(message);
  expect(text.slice(e.span!.start, e.span!.end), `${text}: the error's place`).toBe(at);
}

describe("exponents that are names or expressions are read as written", () => {
  it("σ^{2(d−q)}, α^{n}, (αβ)^{γ}, x^{k}, \\det(P)^{r}, x^(k+1)", () => {
    readsAs("\\sigma^{2(d-q)}", "exp(2*(d - q)*log(σ))", "σ: scalar positive, d, q: scalar");
    readsAs("α^{n} + tr(X^T X)", "exp(n log(α)) + tr(X^T X)", "α: scalar positive, X: n×d");
    readsAs("(αβ)^{γ}", "exp(γ log(α) + γ log(β))", "α, β: scalar positive, γ: scalar");
    readsAs("x^{k}", "exp(k log(x))", "x: scalar positive, k: scalar");
    readsAs("x^k y", "exp(k log(x)) y", "x: scalar positive, k, y: scalar");
    readsAs("x^(k+1)", "x exp(k log(x))", "x: scalar positive, k: scalar");
    readsAs("\\det(P)^{r}", "exp(r log(det(P)))", "P: n×n spd, r: scalar");
    readsAs("\\sigma^{-r}", "1/exp(r log(σ))", "σ: scalar positive, r: scalar");
    // superscript letters, as Unicode text has them
    readsAs("σ²ᵏ + αⁿ", "exp(2k log(σ)) + exp(n log(α))", "σ: scalar positive, k: scalar, α: scalar positive, X: n×d");
    readsAs("x⁻ᵏ", "exp(-k log(x))", "x: scalar positive, k: scalar");
  });

  it("a negative base to a whole-number exponent: α^{n}, n a dimension", () => {
    // n is a size (a positive integer), so α^n is defined for α of either sign
    confirmed("α^{n} tr(X^T X)", "α", "α: scalar, X: n×d");
    confirmed("α^{n} tr(X^T X)", "X", "α: scalar, X: n×d");
  });
});

describe("a^b is derived by its base, its exponent and what is inside both", () => {
  const where = "σ, α, β: scalar positive, d, q, γ, k, t: scalar";
  for (const [text, wrts] of [
    ["\\sigma^{2(d-q)}", ["σ", "d", "q"]],
    ["(αβ)^{γ}", ["α", "β", "γ"]],
    ["x^{k}", ["x", "k"]],
    ["(t α)^{t γ}", ["t", "α", "γ"]],
    ["σ^{σ}", ["σ"]],
    ["\\exp(t)^{t^2 + k}", ["t", "k"]],
  ] as const) {
    for (const wrt of wrts)
      it(`${text} by ${wrt}`, () => confirmed(text, wrt, text === "x^{k}" ? "x: scalar positive, k: scalar" : text.includes("(t α)") ? "t, α: scalar positive, γ: scalar" : where));
  }

  it("\\det(P)^{r} by P and by r", () => {
    confirmed("\\det(P)^{r}", "P", "P: n×n spd, r: scalar");
    confirmed("\\det(P)^{r}", "r", "P: n×n spd, r: scalar");
  });

  it("x^{k} by x where x may be negative: k x^{k−1}, no log", () => {
    confirmed("x^{k}", "x", "x, k: scalar");
  });

  it("the GP likelihood's −½ log(σ^{2(d−q)}) − ½ tr(C⁻¹S)", () => {
    const where = "σ: scalar positive, d, q: scalar, C: n×n spd, S: n×n spd";
    confirmed("-\\frac{1}{2} \\log(\\sigma^{2(d-q)}) - \\frac{1}{2}\\operatorname{tr}(C^{-1}S)", "σ", where);
    confirmed("-\\frac{1}{2} \\log(\\sigma^{2(d-q)}) - \\frac{1}{2}\\operatorname{tr}(C^{-1}S)", "q", where);
    confirmed("-\\frac{1}{2} \\log(\\sigma^{2(d-q)}) - \\frac{1}{2}\\operatorname{tr}(C^{-1}S)", "C", where);
  });
});

describe("what stays refused, with its place", () => {
  it("a matrix to a power that is not a number", () => {
    refused("X^{r} + I", "X", "X: n×n, r: scalar", /^not supported: a matrix to a power that is not a number/, "X^{r}");
    refused("x^{n}", "x", "x: n", /^not supported: a matrix to a power/, "x^{n}");
  });

  it("an exponent that is not a scalar", () => {
    refused("α^{v}", "α", "α: scalar, v: n", /an exponent must be a scalar/, "v");
  });

  it("the derivative by an exponent when the base may be ≤ 0", () => {
    refused("1 + α^{γ}", "γ", "α, γ: scalar", /^not supported: .*by its exponent.*> 0/, "α^{γ}");
  });

  it("an exponent that does not read", () => {
    refused("x^{k+}", "x", "x, k: scalar", /unexpected end of input/, "");
  });
});

describe("a^b prints in every format and reads back", () => {
  it("Unicode, LaTeX and ASCII", () => {
    const where = "σ: scalar positive, d, q, k: scalar";
    const r = derive("\\sigma^{2(d-q)} + σ^k", { wrt: "σ", where, verify: false });
    const e = r.expression;
    expect(formatExpr(e, "unicode", r.ctx)).toBe("σ^(2(d − q)) + σ^k");
    expect(formatExpr(e, "latex", r.ctx)).toMatch(/^\\sigma\^\{2 ?\\left\(d - q\\right\)\} \+ \\sigma\^\{k\}$/);
    expect(formatExpr(e, "ascii", r.ctx)).toBe("sigma^(2*(d - q)) + sigma^k");
    for (const format of ["unicode", "latex", "ascii"] as const) {
      const back = readExpression(formatExpr(e, format, r.ctx), r.ctx).expr;
      for (const seed of SEEDS) expect(judgeSameValue(r.ctx, e, back, seed).verdict, format).toBe("confirmed");
    }
  });
});

describe("entrywise powers as MATLAB and matrixcalculus.org write them: X.^2", () => {
  it("a whole power is a product of ⊙, .^(1/2) the root of each entry; derivatives by differences", () => {
    readsAs("X.^2", "X ⊙ X", "X: m×n");
    readsAs("X.^3 + X.^{1}", "X ⊙ X ⊙ X + X", "X: m×n");
    readsAs("x.^(1/2) + x.^{0.5}", "2 sqrt(x)", "x: n");
    confirmed("sum(sum((A*X - B).^2))", "X", "A: m×n, X: n×k, B: m×k");
    confirmed("sum(exp(x).^3)", "x", "x: n");
  });

  it("a power that is not whole and positive (nor ½) is refused where it is written", () => {
    refused("sum(X.^-1)", "X", "X: m×n", /not supported: the entrywise power/, ".^-1");
    refused("sum(X.^2.5)", "X", "X: m×n", /not supported: the entrywise power/, ".^2.5");
    refused("sum(X.^13)", "X", "X: m×n", /not supported: the entrywise power/, ".^13");
  });
});
