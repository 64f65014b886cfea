// Adding to matcalc as CONTRIBUTING.md says: the fixtures of test/fixtures/functions.ts are
// registered as the built-in functions and rules are, then derived, and every answer is compared
// with central finite differences of the fixture's own numeric definition.
import { beforeAll, describe, expect, it } from "vitest";
import { MatcalcError, derive, formatExpr, simplify } from "../src/index.js";
import { registerFunction } from "../src/functions/index.js";
import { rule } from "../src/pattern/rule.js";
import { addDerivativeRules } from "../rules/derivatives.js";
import { ADJ_RULES, COOKBOOK_RULES, LOGCOSH_RULES, adj, logcosh } from "./fixtures/functions.js";
import { checkAgainstDifferences } from "./helpers.js";

const cited = (lines: typeof COOKBOOK_RULES) => lines.map((l) => `${l[0]} → ${l[1]}: ${l[2]}`);

describe("before registration", () => {
  it("knows neither function", () => {
    expect(() => derive("sum(logcosh(x))", { wrt: "x", where: "x: n" })).toThrow(MatcalcError);
    expect(() => derive("tr(adj(X))", { wrt: "X", where: "X: n×n" })).toThrow(MatcalcError);
  });
});

describe("registered from the fixtures", () => {
  beforeAll(() => {
    registerFunction(logcosh);
    registerFunction(adj);
    addDerivativeRules(...LOGCOSH_RULES.map((l) => rule(...l)));
    addDerivativeRules(...ADJ_RULES.map((l) => rule(...l)));
    addDerivativeRules(...COOKBOOK_RULES.map((l) => rule(...l)));
  });

  it("an elementwise function: the gradient of sum(logcosh(Wx)) by W and its Jacobian by x", () => {
    const where = "W: m×n, x: n";
    const g = derive("sum(logcosh(Wx))", { wrt: "W", where });
    expect(g.steps.map((s) => s.rule)).toContain(cited(LOGCOSH_RULES)[1]);
    checkAgainstDifferences(g);
    const j = derive("logcosh(Wx)", { wrt: "x", where });
    expect(j.layout).toBe("jacobian");
    checkAgainstDifferences(j);
    // It commutes with ᵀ because its spec says elementwise, as every built-in elementwise one does,
    // and √(f²) = f because its algebra says f ≥ 0 (sin has no such fact: √(sin(α)²) = |sin(α)|).
    expect(formatExpr(simplify("logcosh(xᵀ)ᵀ − logcosh(x)", "x: n").simplified, "unicode")).toBe("0");
    expect(formatExpr(simplify("sqrt(logcosh(α)^2)", "α: scalar").simplified, "unicode")).toBe("logcosh(α)");
    expect(formatExpr(simplify("sqrt(sin(α)^2)", "α: scalar").simplified, "unicode")).toBe("abs(sin(α))");
  });

  it("a matrix function with its own identities: adj", () => {
    const g = derive("tr(adj(X) A)", { wrt: "X", where: "X: n×n, A: n×n" });
    expect(g.steps.map((s) => s.rule)).toContain(cited(ADJ_RULES)[0]);
    checkAgainstDifferences(g);
    const v = derive("adj(X)", { wrt: "X", where: "X: n×n" });
    expect(v.layout).toBe("vec");
    checkAgainstDifferences(v);
    // adj(Aᵀ) = adj(A)ᵀ, read by the simplifier from algebra.commutesWithTranspose.
    expect(formatExpr(simplify("adj(Xᵀ)ᵀ − adj(X)", "X: n×n").simplified, "unicode")).toBe("0");
  });

  it("a Cookbook identity: tr(Xᵏ), its rule reached before the general rule of tr", () => {
    for (const expression of ["tr(X^3)", "tr(X^{-2})", "tr(X^2 A)"]) {
      const g = derive(expression, { wrt: "X", where: "X: n×n, A: n×n" });
      if (expression !== "tr(X^2 A)") expect(g.steps.map((s) => s.rule), expression).toContain(cited(COOKBOOK_RULES)[0]);
      checkAgainstDifferences(g);
    }
  });
});
