import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { EigenvalueDecomposition, Matrix, inverse } from "ml-matrix";
import { call, identity, mul, sym } from "../../src/ast.js";
import { DomainError, evaluate } from "../../src/numeric/evaluate.js";
import { instanceWhereDefined, randomInstance, seededRng, withDomain } from "../../src/numeric/random.js";
import { makeContext, maxDiff } from "./helpers.js";

const condF = (m: Matrix): number => m.norm("frobenius") * inverse(m).norm("frobenius");

const ctx = () =>
  makeContext([
    ["W", ["m", "n"], []],
    ["x", ["n", 1], []],
    ["y", ["m", 1], []],
    ["α", [1, 1], []],
    ["G", ["n", "n"], []],
    ["S", ["n", "n"], ["symmetric"]],
    ["P", ["m", "m"], ["spd"]],
    ["Λ", ["n", "n"], ["diagonal"]],
    ["Q", ["n", "n"], ["diagonal", "spd"]],
    ["D", [1, 1], [], { dimension: true }],
    ["K", ["m", "m"], [], { definition: mul(sym("W"), sym("G")) }],
  ]);

const seeds = fc.integer({ min: 0, max: 2 ** 31 - 1 });

describe("seededRng", () => {
  it("is deterministic and uniform-looking in [0, 1)", () => {
    const a = seededRng(42), b = seededRng(42), c = seededRng(43);
    const xs = Array.from({ length: 10000 }, () => a());
    expect(xs.slice(0, 5)).toEqual(Array.from({ length: 5 }, () => b()));
    expect(c()).not.toBe(xs[0]);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.02);
  });
});

describe("randomInstance", () => {
  it("respects shapes, sizes and the size range; distinct names get distinct sizes", () => {
    fc.assert(
      fc.property(seeds, (seed) => {
        const inst = randomInstance(ctx(), seededRng(seed));
        const [m, n, D] = ["m", "n", "D"].map((d) => inst.sizes.get(d)!);
        for (const s of [m, n, D]) expect(s >= 2 && s <= 4).toBe(true);
        expect(new Set([m, n, D]).size).toBe(3);
        const shape = (name: string) => [inst.values.get(name)!.rows, inst.values.get(name)!.columns];
        expect(shape("W")).toEqual([m, n]);
        expect(shape("x")).toEqual([n, 1]);
        expect(shape("y")).toEqual([m, 1]);
        expect(shape("α")).toEqual([1, 1]);
        expect(shape("P")).toEqual([m, m]);
        expect(inst.values.has("K")).toBe(false); // defined
        expect(inst.values.has("D")).toBe(false); // a dimension
        // Scalars of either sign, away from 0 (the kinks of |α|, relu, step).
        const a = Math.abs(inst.values.get("α")!.get(0, 0));
        expect(a >= 0.5 && a <= 1.5).toBe(true);
        for (const row of inst.values.get("W")!.to2DArray()) for (const e of row) expect(Math.abs(e)).toBeLessThanOrEqual(1);
      }),
      { numRuns: 150 },
    );
  });

  it("gives properties their meaning and keeps square matrices well conditioned", () => {
    fc.assert(
      fc.property(seeds, (seed) => {
        const inst = randomInstance(ctx(), seededRng(seed));
        const S = inst.values.get("S")!;
        expect(maxDiff(S, S.transpose())).toBe(0);
        const P = inst.values.get("P")!;
        expect(maxDiff(P, P.transpose())).toBe(0);
        const eig = new EigenvalueDecomposition(P).realEigenvalues;
        expect(Math.min(...eig)).toBeGreaterThan(0);
        expect(Math.max(...eig) / Math.min(...eig)).toBeLessThanOrEqual(10 + 1e-9);
        for (const name of ["Λ", "Q"]) {
          const L = inst.values.get(name)!;
          for (let i = 0; i < L.rows; i++)
            for (let j = 0; j < L.columns; j++) {
              const e = Math.abs(L.get(i, j));
              if (i === j) expect(e >= 0.5 && e <= 1.5).toBe(true);
              else expect(e).toBe(0);
            }
        }
        const Q = inst.values.get("Q")!;
        for (let i = 0; i < Q.rows; i++) expect(Q.get(i, i)).toBeGreaterThan(0);
        for (const name of ["G", "S"]) {
          const M = inst.values.get(name)!;
          expect(condF(M)).toBeLessThanOrEqual(5 * M.rows);
        }
        // A rectangular matrix has full rank with a modest Gram condition number.
        const W = inst.values.get("W")!;
        const gram = W.rows < W.columns ? W.mmul(W.transpose()) : W.transpose().mmul(W);
        expect(condF(gram)).toBeLessThanOrEqual((5 * gram.rows) ** 2);
      }),
      { numRuns: 150 },
    );
  });

  it("is reproducible from a seed", () => {
    const a = randomInstance(ctx(), seededRng(7)), b = randomInstance(ctx(), seededRng(7));
    expect([...a.sizes]).toEqual([...b.sizes]);
    for (const [k, v] of a.values) expect(maxDiff(v, b.values.get(k)!)).toBe(0);
  });

  it("avoids literal sizes, honours fixed sizes, min/max and unified dimensions", () => {
    const c = makeContext([
      ["A", ["m", 3], []],
      ["B", ["n", "k"], []],
    ]);
    for (let seed = 0; seed < 50; seed++) {
      const inst = randomInstance(c, seededRng(seed));
      // 3 is taken by a literal: the first two names get 2 and 4; the third must share.
      expect(new Set([inst.sizes.get("m"), inst.sizes.get("n")])).toEqual(new Set([2, 4]));
      expect([2, 3, 4]).toContain(inst.sizes.get("k"));
      expect(inst.values.get("A")!.columns).toBe(3);
    }
    const fixed = randomInstance(c, seededRng(1), { fixedSizes: new Map([["m", 7]]), minSize: 5, maxSize: 9 });
    expect(fixed.sizes.get("m")).toBe(7);
    for (const d of ["n", "k"]) expect([5, 6, 8, 9]).toContain(fixed.sizes.get(d));
    expect(fixed.sizes.get("n")).not.toBe(fixed.sizes.get("k"));
    expect(fixed.values.get("A")!.rows).toBe(7);

    const u = makeContext([
      ["A", ["m", "?1"], []],
      ["x", ["?2", 1], []],
    ]);
    u.dims.unify("?1", "n");
    u.dims.unify("?2", "n");
    const inst = randomInstance(u, seededRng(3));
    expect(inst.values.get("A")!.columns).toBe(inst.values.get("x")!.rows);
    expect(inst.sizes.get("n")).toBe(inst.values.get("x")!.rows);
  });

  it("gives sizes to dimensions only an identity in the expressions has", () => {
    const c = makeContext([["α", [1, 1], []]]);
    const e = call("tr", [mul(sym("α"), identity("p"))]);
    const inst = randomInstance(c, seededRng(1), { exprs: [e] });
    expect(evaluate(e, inst).get(0, 0)).toBeCloseTo(inst.sizes.get("p")! * inst.values.get("α")!.get(0, 0), 14);
  });
});

describe("withDomain and instanceWhereDefined", () => {
  it("redraws on DomainError only, and gives up after `tries`", () => {
    let calls = 0;
    expect(
      withDomain(() => {
        if (++calls < 3) throw new DomainError("no");
        return "yes";
      }),
    ).toBe("yes");
    expect(calls).toBe(3);
    calls = 0;
    expect(() =>
      withDomain(() => {
        calls++;
        throw new DomainError("never");
      }, 5),
    ).toThrow(DomainError);
    expect(calls).toBe(5);
    calls = 0;
    expect(() =>
      withDomain(() => {
        calls++;
        throw new TypeError("a bug");
      }),
    ).toThrow(TypeError);
    expect(calls).toBe(1);
  });

  it("finds an instance where log tr(G) is defined", () => {
    const c = makeContext([["G", ["n", "n"], []]]);
    const e = call("log", [call("tr", [sym("G")])]);
    const rng = seededRng(11);
    for (let i = 0; i < 30; i++) {
      const inst = instanceWhereDefined(c, [e], rng);
      expect(inst.values.get("G")!.trace()).toBeGreaterThan(0);
      expect(Number.isFinite(evaluate(e, inst).get(0, 0))).toBe(true);
    }
  });
});
