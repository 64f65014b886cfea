import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { Matrix, inverse } from "ml-matrix";
import { add, call, mul, neg, num, pow, sym, transpose } from "../../src/ast.js";
import { closeEnough, formatMatrix, formatNumber } from "../../src/numeric/compare.js";
import { evaluate } from "../../src/numeric/evaluate.js";
import { centralDifference } from "../../src/numeric/finiteDifference.js";
import { randomInstance, seededRng } from "../../src/numeric/random.js";
import { makeContext, maxDiff } from "./helpers.js";

const seeds = fc.integer({ min: 0, max: 2 ** 31 - 1 });

function randomMatrix(seed: number, square = false): Matrix {
  const rng = seededRng(seed);
  const r = 1 + Math.floor(rng() * 4);
  const c = square ? r : 1 + Math.floor(rng() * 4);
  const m = new Matrix(r, c);
  const magnitude = 10 ** (Math.floor(rng() * 7) - 3); // 1e-3 … 1e3
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) m.set(i, j, (2 * rng() - 1) * magnitude);
  return m;
}

describe("closeEnough", () => {
  it("accepts equal values and rounding-sized differences, at any magnitude", () => {
    fc.assert(
      fc.property(seeds, (seed) => {
        const g = randomMatrix(seed);
        expect(closeEnough(g, g.clone()).ok).toBe(true);
        const noisy = g.clone();
        const rng = seededRng(seed + 1);
        const s = Math.max(...g.to1DArray().map(Math.abs));
        for (let i = 0; i < g.rows; i++) for (let j = 0; j < g.columns; j++) noisy.set(i, j, g.get(i, j) + (2 * rng() - 1) * 1e-8 * s);
        expect(closeEnough(g, noisy).ok).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it("refuses a sign flip, a factor 2 or ½, and a dropped transpose", () => {
    fc.assert(
      fc.property(seeds, (seed) => {
        const g = randomMatrix(seed);
        expect(closeEnough(g, g.clone().neg()).ok).toBe(false);
        expect(closeEnough(g, g.clone().mul(2)).ok).toBe(false);
        expect(closeEnough(g.clone().mul(0.5), g).ok).toBe(false);
        const sq = randomMatrix(seed, true);
        if (sq.rows > 1) {
          fc.pre(maxDiff(sq, sq.transpose()) > 1e-3 * Math.max(...sq.to1DArray().map(Math.abs)));
          expect(closeEnough(sq, sq.transpose()).ok).toBe(false);
        }
      }),
      { numRuns: 200 },
    );
  });

  it("with finite differences: right formulas pass, near-misses fail (default tolerance)", () => {
    const ctx = makeContext([
      ["A", ["n", "n"], []],
      ["X", ["n", "n"], []],
      ["W", ["m", "n"], []],
      ["x", ["n", 1], []],
    ]);
    const [A, X, W, x] = ["A", "X", "W", "x"].map((n) => sym(n)) as [ReturnType<typeof sym>, ReturnType<typeof sym>, ReturnType<typeof sym>, ReturnType<typeof sym>];
    const trAX = call("tr", [mul(A, X)]);
    const logdet = call("logdet", [X]);
    const lsq = mul(num(1, 2), pow(call("norm", [add([mul(mul(transpose(W), W), x), neg(x)])]), num(2)));
    fc.assert(
      fc.property(seeds, (seed) => {
        const inst = randomInstance(ctx, seededRng(seed));
        const v = (n: string) => inst.values.get(n)!;
        const g1 = centralDifference((i) => evaluate(trAX, i), inst, "X");
        const At = v("A").transpose();
        expect(closeEnough(g1, At).ok).toBe(true);
        expect(closeEnough(g1, v("A")).ok).toBe(false);
        expect(closeEnough(g1, At.clone().neg()).ok).toBe(false);
        expect(closeEnough(g1, At.clone().mul(2)).ok).toBe(false);

        const g2 = centralDifference((i) => evaluate(logdet, i), inst, "X");
        const Xi = inverse(v("X"));
        expect(closeEnough(g2, Xi.transpose()).ok).toBe(true);
        expect(closeEnough(g2, Xi).ok).toBe(false);

        const g3 = centralDifference((i) => evaluate(lsq, i), inst, "W");
        const [Wv, xv] = [v("W"), v("x")];
        const r = Wv.transpose().mmul(Wv).mmul(xv).sub(xv);
        const half = Wv.mmul(xv).mmul(r.transpose());
        const right = half.clone().add(Wv.mmul(r).mmul(xv.transpose()));
        expect(closeEnough(g3, right).ok).toBe(true);
        expect(closeEnough(g3, half).ok).toBe(false); // one term dropped
      }),
      { numRuns: 60 },
    );
  });

  it("handles shapes, non-finite values and values near zero", () => {
    const z = Matrix.zeros(2, 2);
    expect(closeEnough(z, Matrix.zeros(2, 3))).toMatchObject({ ok: false, maxError: Infinity });
    expect(closeEnough(new Matrix([[NaN]]), new Matrix([[NaN]])).ok).toBe(false);
    expect(closeEnough(new Matrix([[Infinity]]), new Matrix([[Infinity]])).ok).toBe(false);
    expect(closeEnough(z, Matrix.zeros(2, 2).add(1e-12)).ok).toBe(true);
    expect(closeEnough(z, Matrix.zeros(2, 2).add(1e-6)).ok).toBe(false);
    const big = new Matrix([[1e6, -2e6]]);
    expect(closeEnough(big, big.clone().add(1e-2)).ok).toBe(true);
    expect(closeEnough(big, big.clone().add(100)).ok).toBe(false);
    expect(closeEnough(big, big.clone().add(100), { rel: 1e-3 }).ok).toBe(true);
    expect(closeEnough(z, Matrix.zeros(2, 2).add(1e-6), { abs: 1e-5 }).ok).toBe(true);
    const r = closeEnough(new Matrix([[1, 2]]), new Matrix([[1, 2.5]]));
    expect(r.maxError).toBeCloseTo(0.5, 15);
    expect(r.scale).toBe(2.5);
  });
});

describe("formatMatrix", () => {
  it("prints scalars as numbers and matrices as aligned rows", () => {
    expect(formatMatrix(new Matrix([[1.5]]))).toBe("1.5");
    expect(formatMatrix(new Matrix([[1 / 3]]))).toBe("0.3333");
    expect(formatMatrix(new Matrix([[1 / 3]]), 2)).toBe("0.33");
    expect(formatMatrix(new Matrix([[1, -2.25], [10.5, 0]]))).toBe("[   1  -2.25]\n[10.5      0]");
    expect(formatMatrix(Matrix.columnVector([1, 2]))).toBe("[1]\n[2]");
    expect(formatNumber(1.234e-7)).toBe("1.234e-7");
    expect(formatNumber(-12345678)).toBe("-1.235e+7");
    expect(formatNumber(NaN)).toBe("NaN");
  });
});
