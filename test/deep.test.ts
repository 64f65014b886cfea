// Expressions as deep as the reader takes them (NESTING_LIMIT): every stage after it — shapes,
// the derivative, simplification, printing, NumPy, the numeric check — holds them without
// overflowing the stack, and one level more is a positioned refusal. Run through the command
// line, whose stack is the one users have (the test workers' is larger).
import { describe, expect, it } from "vitest";
import { derive } from "../src/index.js";
import { formatAnswer } from "../src/print/sharing.js";
import { numpyModule } from "../src/print/numpy.js";
import { NESTING_LIMIT } from "../src/syntax/tokens.js";
import { FAMILIES } from "../bench/families.js";
import { matcalc } from "./helpers.js";
import { truth } from "./independent/confirm.js";
import { type Sample, type Value, evaluateAt, near, rngOf } from "./independent/evaluate.js";

/** tr((Aₙ + (⋯(A₁ + X)⁻¹⋯)⁻¹)⁻¹), n nested inverses: n + 1 levels of brackets. */
const nestedInverses = FAMILIES.find((f) => f.id === "nested-inverse")!.make;

/**
 * Values where the derivative neither vanishes nor explodes through 1,000 inverses: with every
 * Aₖ = Rᵀ − R for a rotation R, (Aₖ + R)⁻¹ = R, so each Mₖ stays near R (orthogonal, well
 * conditioned) and each level's Jacobian, about R ⊗ R, keeps the size of what passes through.
 */
function nearRotations(names: readonly string[], wrt: string, rng: () => number): Map<string, Value> {
  const [c, s] = [Math.cos(0.7), Math.sin(0.7)];
  const values = new Map<string, Value>();
  for (const name of names) {
    const noise = name === wrt ? 0.2 : 0;
    const r = [c, -s, s, c].map((x) => x + noise * (2 * rng() - 1));
    values.set(name, { rows: 2, cols: 2, data: Float64Array.from(name === wrt ? r : [0, 2 * s, -2 * s, 0]) });
  }
  return values;
}

/** The (k+1)-th opening bracket's column, counted from 1. */
function columnOfOpening(text: string, k: number): number {
  let at = -1;
  for (let i = 0; i <= k; i++) at = text.indexOf("(", at + 1);
  return at + 1;
}

describe("nested inverses as deep as the reader takes them", () => {
  it("n = 1000: the gradient agrees with central differences of the function", () => {
    const problem = nestedInverses(1000);
    const r = derive(problem.text, { wrt: problem.wrt, where: problem.where, verify: false });
    expect(formatAnswer(r.gradient, "unicode", r.ctx).length).toBeGreaterThan(0);
    expect(formatAnswer(r.gradient, "latex", r.ctx).length).toBeGreaterThan(0);
    expect(numpyModule(r.expression, r.gradient, r.wrt, r.ctx, problem.text, { shape: r.shape, order: r.order })).toContain("def derivative(");
    const free = [...r.ctx.symbols.values()].filter((info) => !info.definition && !info.dimension).map((info) => info.name);
    const at: Sample = { ctx: r.ctx, sizes: new Map([["m", 2]]), values: nearRotations(free, r.wrt, rngOf(7)) };
    const expected = truth(r, at);
    const got = evaluateAt(r.gradient, at);
    const cmp = near(got, expected, 1e-6);
    expect(cmp.scale).toBeGreaterThan(0.1);
    expect(cmp.ok, `error ${cmp.error} at scale ${cmp.scale}`).toBe(true);
  });

  it(`${NESTING_LIMIT - 1} nested inverses (${NESTING_LIMIT} levels) are derived, checked and printed by the command line`, () => {
    const problem = nestedInverses(NESTING_LIMIT - 1);
    for (const format of ["unicode", "numpy"]) {
      const r = matcalc(["derive", problem.text, "--wrt", problem.wrt, "--where", problem.where, "--format", format]);
      expect(r.stderr).toBe("");
      expect(r.status).toBe(0);
      expect(r.stdout.length).toBeGreaterThan(1000);
    }
  });

  it("one level more is refused at the opening bracket past the limit, exit 2", () => {
    const problem = nestedInverses(NESTING_LIMIT);
    const r = matcalc(["derive", problem.text, "--wrt", problem.wrt, "--where", problem.where]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr.split("\n")[0]).toBe(`1:${columnOfOpening(problem.text, NESTING_LIMIT)}: nested more than ${NESTING_LIMIT} levels deep: not supported`);
  });
});

describe(`each kind of nesting, ${NESTING_LIMIT} deep, is answered by the command line`, () => {
  const L = NESTING_LIMIT;
  const nest = (n: number, f: (s: string) => string, x: string) => Array.from({ length: n }).reduce<string>((s) => f(s), x);
  it.each([
    ["minus signs", `${"−".repeat(L - 2)}xᵀx`, "x", "x: n"],
    ["transposes", `tr(X${"ᵀ".repeat(L - 1)}A)`, "X", "X, A: n×n"],
    ["inverses", `tr(X${"⁻¹".repeat(L - 1)}A)`, "X", "X, A: n×n"],
    ["bare traces", `${"tr ".repeat(L - 1)}(XᵀX)`, "X", "X: n×n"],
    ["brackets", `${"(".repeat(L)}xᵀx${")".repeat(L)}`, "x", "x: n"],
    ["scalar functions", nest(L, (s) => `sin(${s})`, "α"), "α", "α: scalar"],
    ["entrywise functions", `sum(${nest(L - 1, (s) => `sin(${s})`, "x")})`, "x", "x: n"],
    ["norms", nest(L, (s) => `‖${s}‖`, "x"), "x", "x: n"],
  ])("%s", (_kind, text, wrt, where) => {
    const r = matcalc(["derive", text, "--wrt", wrt, "--where", where]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).not.toBe("");
  });
});

describe("answers shared as a DAG are walked once per distinct node", () => {
  it("a network of 100 sigmoids written inline is derived and checked numerically (its answer, walked as a tree, has 2¹⁰⁰ nodes)", () => {
    const text = `sum(${Array.from({ length: 100 }).reduce<string>((s) => `sigmoid(W ${s})`, "x")})`;
    const r = matcalc(["derive", text, "--wrt", "W", "--where", "W: n×n, x: n", "--format", "json"]);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).checked.verdict).toBe("agrees");
  });
});
