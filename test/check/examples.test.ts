// The seed homework (shared/seeds/000_63e9fdc3fc5ec368.txt), transcribed step by step in
// examples/: every step holds except the last line of 2(e), whose sign of DK⁻¹ is wrong.
// The truth here is independent of the checker: hand-checked facts, finite differences of the
// original functions, and the counterexample recomputed with plain matrix arithmetic.
import { existsSync, readFileSync } from "node:fs";
import { Matrix, inverse } from "ml-matrix";
import { describe, expect, it } from "vitest";
import {
  centralDifference,
  checkText,
  closeEnough,
  contextOf,
  evaluate,
  instanceWhereDefined,
  readExpression,
  seededRng,
} from "../../src/index.js";
import { check, matcalc, read } from "./helpers.js";

const SEED = "/work/shared/seeds/000_63e9fdc3fc5ec368.txt";

describe("the seed's problems, step by step", () => {
  it.each([
    ["examples/seed-1d.mc", 30],
    ["examples/seed-2b.mc", 30],
    ["examples/seed-2d.mc", 7],
  ])("%s: every one of its steps is ok", (file, atLeast) => {
    const r = check(file);
    expect(r.unreadable).toEqual([]);
    expect(r.claims.length).toBeGreaterThanOrEqual(atLeast);
    expect(r.claims.filter((c) => c.verdict !== "ok")).toEqual([]);
    expect(r.ok).toBe(true);
  });

  it("1(d) checks every node of the graph: dL/db, dL/dc, …, dL/dh each on its own line", () => {
    const r = check("examples/seed-1d.mc");
    const text = read("examples/seed-1d.mc").split("\n");
    for (const node of ["b", "c", "d", "e", "f", "g", "h"]) {
      const line = text.findIndex((l) => l.startsWith(`dL/d${node} =`)) + 1;
      expect(line, node).toBeGreaterThan(0);
      expect(r.claims.filter((c) => c.line === line).every((c) => c.verdict === "ok")).toBe(true);
      expect(r.claims.some((c) => c.line === line)).toBe(true);
    }
  });

  it("2(e): every step ok except the last line, which is wrong by 2αDK⁻¹X", () => {
    const r = check("examples/seed-2e.mc");
    const last = r.claims[r.claims.length - 1]!;
    expect(r.claims.slice(0, -1).map((c) => c.verdict)).toEqual(["ok", "ok", "ok"]);
    expect(last.verdict).toBe("wrong");
    expect(last.text).toBe("= α[DK⁻¹ + K⁻¹YYᵀK⁻¹]X");
    expect(last.difference).toBe("2αDK⁻¹X");
    expect(last.expected).toBe("α(−DK⁻¹ + K⁻¹YYᵀK⁻¹)X");
    expect(last.slip).toBe("the sign of DK⁻¹");
    expect(r.ok).toBe(false);
  });

  it("2(e): the counterexample is small, readable, and real (recomputed with plain matrix arithmetic)", () => {
    const c = check("examples/seed-2e.mc").claims.at(-1)!.counterexample!;
    const { m, n, D } = c.sizes as { m: number; n: number; D: number };
    for (const s of [m, n, D]) expect(s).toBeLessThanOrEqual(4);
    const X = new Matrix(c.values.X as number[][]);
    const Y = new Matrix(c.values.Y as number[][]);
    const alpha = c.values["α"] as number;
    const beta = c.values["β"] as number;
    for (const v of [...X.to1DArray(), ...Y.to1DArray(), alpha, beta]) expect(Math.round(v * 10) / 10).toBeCloseTo(v, 12);
    expect([X.rows, X.columns, Y.rows, Y.columns]).toEqual([m, n, m, D]);
    const K = X.mmul(X.transpose()).mul(alpha).add(Matrix.eye(m).mul(1 / beta));
    const Ki = inverse(K);
    const YY = Y.mmul(Y.transpose());
    // the line before: α[−(D/2)(K⁻ᵀ + K⁻¹) + K⁻ᵀYYᵀK⁻ᵀ]X; the wrong line: α[DK⁻¹ + K⁻¹YYᵀK⁻¹]X
    const before = Ki.transpose().add(Ki).mul(-D / 2).add(Ki.transpose().mmul(YY).mmul(Ki.transpose())).mmul(X).mul(alpha);
    const after = Ki.clone().mul(D).add(Ki.mmul(YY).mmul(Ki)).mmul(X).mul(alpha);
    expect(closeEnough(new Matrix(c.left as number[][]), before).ok).toBe(true);
    expect(closeEnough(new Matrix(c.right as number[][]), after).ok).toBe(true);
    expect(closeEnough(before, after).ok).toBe(false);
    // and the difference is 2αDK⁻¹X
    expect(closeEnough(Matrix.sub(after, before), Ki.mmul(X).mul(2 * alpha * D)).ok).toBe(true);
  });

  it("`matcalc check` reports the 2(e) step as off by 2αDK⁻¹X and exits 1", () => {
    const r = matcalc(["check", "examples/seed-2e.mc"]);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/wrong\s+= α\[DK⁻¹ \+ K⁻¹YYᵀK⁻¹\]X/);
    expect(r.stdout).toContain("the step is off by 2αDK⁻¹X");
    expect(r.stdout).toContain("right: α(−DK⁻¹ + K⁻¹YYᵀK⁻¹)X");
    expect(r.stdout).toMatch(/counterexample with m = \d, n = \d, D = \d/);
  });

  it("the 2(e) block copied verbatim from the seed (LaTeX), with a % let line, gives the same verdicts", () => {
    const md = read("examples/seed-2e.md");
    const [letLine, , ...rest] = md.split("\n");
    expect(letLine).toMatch(/^% let /);
    if (existsSync(SEED)) expect(readFileSync(SEED, "utf8")).toContain(rest.join("\n").trimEnd());
    const plain = check("examples/seed-2e.mc");
    const verdicts = (r: typeof plain) => r.claims.map((c) => [c.verdict, c.difference ?? null, c.expected ?? null]);
    for (const file of ["seed-2e.md", "seed-2e.tex"]) {
      const r = checkText(md, { file });
      expect(r.unreadable).toEqual([]);
      expect(verdicts(r)).toEqual(verdicts(plain));
    }
  });

  it("the seed's final answers agree with finite differences of the original functions (independent truth)", () => {
    const cases = [
      ["W: m×n, x: n", "½‖WᵀWx − x‖²", "W", "Wx(WᵀWx − x)ᵀ + (W(WᵀWx − x))xᵀ"],
      ["X: m×n, Y: m×D, α, β: scalar, K := αXXᵀ + β⁻¹I", "−D/2 log|K|", "X", "−DαK⁻¹X"],
      ["X: m×n, Y: m×D, α, β: scalar, K := αXXᵀ + β⁻¹I", "−½ tr(K⁻¹YYᵀ)", "X", "αK⁻ᵀYYᵀK⁻ᵀX"],
      ["X: m×n, Y: m×D, α, β: scalar, K := αXXᵀ + β⁻¹I", "−D/2 log|K| − ½ tr(K⁻¹YYᵀ)", "X", "α[−DK⁻¹ + K⁻¹YYᵀK⁻¹]X"],
    ] as const;
    for (const [where, f, wrt, answer] of cases) {
      const ctx = contextOf(where);
      const fe = readExpression(f, ctx).expr;
      const ae = readExpression(answer, ctx).expr;
      for (const seed of [1, 2]) {
        const inst = instanceWhereDefined(ctx, [fe, ae], seededRng(seed));
        expect(closeEnough(evaluate(ae, inst), centralDifference((i) => evaluate(fe, i), inst, wrt)).ok, answer).toBe(true);
      }
    }
    // and the seed's last line is not the derivative
    const ctx = contextOf(cases[3][0]);
    const f = readExpression(cases[3][1], ctx).expr;
    const seedLast = readExpression("α[DK⁻¹ + K⁻¹YYᵀK⁻¹]X", ctx).expr;
    const inst = instanceWhereDefined(ctx, [f, seedLast], seededRng(3));
    expect(closeEnough(evaluate(seedLast, inst), centralDifference((i) => evaluate(f, i), inst, "X")).ok).toBe(false);
  });
});
