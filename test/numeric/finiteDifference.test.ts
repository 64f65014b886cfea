import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { Matrix, determinant, inverse } from "ml-matrix";
import { add, call, div, identity, inv, mul, neg, num, pow, sym, transpose, type Expr } from "../../src/ast.js";
import { evaluate } from "../../src/numeric/evaluate.js";
import { centralDifference, jacobianByDifferences } from "../../src/numeric/finiteDifference.js";
import { closeEnough } from "../../src/numeric/compare.js";
import { randomInstance, seededRng, type Instance } from "../../src/numeric/random.js";
import { kron, makeContext, maxDiff } from "./helpers.js";

const [A, B, X, Y, W, x, α, β, D, K, L] = ["A", "B", "X", "Y", "W", "x", "α", "β", "D", "K", "L"].map((n) => sym(n)) as [
  Expr, Expr, Expr, Expr, Expr, Expr, Expr, Expr, Expr, Expr, Expr,
];
const seeds = fc.integer({ min: 0, max: 2 ** 31 - 1 });
const at = (e: Expr) => (inst: Instance) => evaluate(e, inst);
const val = (inst: Instance, name: string) => inst.values.get(name)!;

/** The finite difference agrees with the hand formula well inside closeEnough's default tolerance. */
function expectClose(got: Matrix, want: Matrix, rel = 1e-7): void {
  const r = closeEnough(got, want, { rel, abs: 1e-10 });
  expect(r.ok, `max error ${r.maxError} at scale ${r.scale}`).toBe(true);
}

describe("centralDifference", () => {
  it("∂tr(AX)/∂X = Aᵀ", () => {
    const ctx = makeContext([
      ["A", ["m", "n"], []],
      ["X", ["n", "m"], []],
    ]);
    fc.assert(
      fc.property(seeds, (seed) => {
        const inst = randomInstance(ctx, seededRng(seed));
        const g = centralDifference(at(call("tr", [mul(A, X)])), inst, "X");
        expectClose(g, val(inst, "A").transpose());
      }),
      { numRuns: 40 },
    );
  });

  it("∂(xᵀAx)/∂x = (A + Aᵀ)x, also with second-order differences", () => {
    const ctx = makeContext([
      ["A", ["n", "n"], []],
      ["x", ["n", 1], []],
    ]);
    fc.assert(
      fc.property(seeds, (seed) => {
        const inst = randomInstance(ctx, seededRng(seed));
        const Av = val(inst, "A"), xv = val(inst, "x");
        const want = Av.clone().add(Av.transpose()).mmul(xv);
        const f = at(mul(mul(transpose(x), A), x));
        expectClose(centralDifference(f, inst, "x"), want);
        expectClose(centralDifference(f, inst, "x", undefined, { order: 2 }), want);
      }),
      { numRuns: 40 },
    );
  });

  it("∂log|X|/∂X = X⁻ᵀ", () => {
    const ctx = makeContext([["X", ["n", "n"], []]]);
    fc.assert(
      fc.property(seeds, (seed) => {
        const inst = randomInstance(ctx, seededRng(seed));
        const g = centralDifference(at(call("logdet", [X])), inst, "X");
        expectClose(g, inverse(val(inst, "X")).transpose(), 1e-6);
      }),
      { numRuns: 40 },
    );
  });

  it("∂½‖WᵀWx − x‖²/∂W = W x rᵀ + W r xᵀ with r = WᵀWx − x", () => {
    const ctx = makeContext([
      ["W", ["m", "n"], []],
      ["x", ["n", 1], []],
    ]);
    const f = mul(num(1, 2), pow(call("norm", [add([mul(mul(transpose(W), W), x), neg(x)])]), num(2)));
    fc.assert(
      fc.property(seeds, (seed) => {
        const inst = randomInstance(ctx, seededRng(seed));
        const Wv = val(inst, "W"), xv = val(inst, "x");
        const r = Wv.transpose().mmul(Wv).mmul(xv).sub(xv);
        const want = Wv.mmul(xv).mmul(r.transpose()).add(Wv.mmul(r).mmul(xv.transpose()));
        expectClose(centralDifference(at(f), inst, "W"), want);
      }),
      { numRuns: 40 },
    );
  });

  it("takes the entries of a symmetric symbol as independent: ∂tr(AS)/∂S = Aᵀ", () => {
    const ctx = makeContext([
      ["A", ["n", "n"], []],
      ["S", ["n", "n"], ["symmetric"]],
    ]);
    const inst = randomInstance(ctx, seededRng(3));
    expectClose(centralDifference(at(call("tr", [mul(A, sym("S"))])), inst, "S"), val(inst, "A").transpose());
  });

  it("∂(α·tr(X))/∂α = tr(X), a scalar variable", () => {
    const ctx = makeContext([
      ["α", [1, 1], []],
      ["X", ["n", "n"], []],
    ]);
    const inst = randomInstance(ctx, seededRng(4));
    const g = centralDifference(at(mul(α, call("tr", [X]))), inst, "α");
    expect(g.rows * g.columns).toBe(1);
    expect(g.get(0, 0)).toBeCloseTo(val(inst, "X").trace(), 9);
  });

  it("re-evaluates definitions: ∂L/∂X through K := αXXᵀ + β⁻¹I is α[−DK⁻¹ + K⁻¹YYᵀK⁻¹]X", () => {
    const Kdef = add([mul(mul(α, X), transpose(X)), mul(inv(β), identity("m"))]);
    const Ldef = add([
      neg(mul(div(D, num(2)), call("log", [call("bars", [K])]))),
      neg(mul(num(1, 2), call("tr", [mul(mul(inv(K), Y), transpose(Y))]))),
    ]);
    const ctx = makeContext([
      ["X", ["m", "n"], []],
      ["Y", ["m", "D"], []],
      // A kernel's parameters are positive (K is then spd, and log|K| defined).
      ["α", [1, 1], ["positive"]],
      ["β", [1, 1], ["positive"]],
      ["D", [1, 1], [], { dimension: true }],
      ["K", ["m", "m"], ["symmetric"], { definition: Kdef }],
      ["L", [1, 1], [], { definition: Ldef }],
    ]);
    fc.assert(
      fc.property(seeds, (seed) => {
        const inst = randomInstance(ctx, seededRng(seed));
        const Xv = val(inst, "X"), Yv = val(inst, "Y");
        const a = val(inst, "α").get(0, 0), b = val(inst, "β").get(0, 0);
        const m = inst.sizes.get("m")!, Dn = inst.sizes.get("D")!;
        const Kv = Xv.mmul(Xv.transpose()).mul(a).add(Matrix.eye(m).mul(1 / b));
        const Ki = inverse(Kv);
        const want = Ki.mmul(Yv).mmul(Yv.transpose()).mmul(Ki).sub(Ki.clone().mul(Dn)).mmul(Xv).mul(a);
        expectClose(centralDifference(at(L), inst, "X"), want, 1e-6);
        // and by β: ∂L/∂β = tr(∂L/∂K · ∂K/∂β), ∂L/∂K = ½(−DK⁻¹ + K⁻¹YYᵀK⁻¹), ∂K/∂β = −β⁻²I
        const dLdK = Ki.mmul(Yv).mmul(Yv.transpose()).mmul(Ki).sub(Ki.clone().mul(Dn)).mul(0.5);
        expect(centralDifference(at(L), inst, "β").get(0, 0)).toBeCloseTo(-dLdK.trace() / (b * b), 6);
      }),
      { numRuns: 30 },
    );
  });

  it("by a defined symbol, holds it free (the adjoint): c := d − x, L := ½cᵀc", () => {
    const c = sym("c"), d = sym("d");
    const ctx = makeContext([
      ["d", ["n", 1], []],
      ["x", ["n", 1], []],
      ["c", ["n", 1], [], { definition: add([d, neg(x)]) }],
      ["L", [1, 1], [], { definition: mul(num(1, 2), mul(transpose(c), c)) }],
    ]);
    const inst = randomInstance(ctx, seededRng(5));
    const cv = val(inst, "d").clone().sub(val(inst, "x"));
    expectClose(centralDifference(at(L), inst, "c"), cv);
    expectClose(centralDifference(at(L), inst, "x"), cv.clone().neg());
    expect(inst.values.has("c")).toBe(false); // the instance itself is untouched
  });

  it("refuses a dimension or an unknown name as the variable", () => {
    const ctx = makeContext([
      ["Y", ["m", "D"], []],
      ["D", [1, 1], [], { dimension: true }],
    ]);
    const inst = randomInstance(ctx, seededRng(1));
    const f = at(call("tr", [mul(transpose(Y), Y)]));
    expect(() => centralDifference(f, inst, "D")).toThrow();
    expect(() => centralDifference(f, inst, "Z")).toThrow();
  });
});

describe("jacobianByDifferences", () => {
  it("∂(Ax)/∂x = A and ∂vec(AXB)/∂vec(X) = Bᵀ ⊗ A (column-major vec)", () => {
    const ctx = makeContext([
      ["A", ["m", "n"], []],
      ["X", ["n", "k"], []],
      ["B", ["k", "m"], []],
      ["x", ["n", 1], []],
    ]);
    fc.assert(
      fc.property(seeds, (seed) => {
        const inst = randomInstance(ctx, seededRng(seed), { maxSize: 5 });
        const Av = val(inst, "A"), Bv = val(inst, "B");
        expectClose(jacobianByDifferences(at(mul(A, x)), inst, "x"), Av);
        expectClose(jacobianByDifferences(at(mul(mul(A, X), B)), inst, "X"), kron(Bv.transpose(), Av));
      }),
      { numRuns: 20 },
    );
  });

  it("of a nonlinear vector function: ∂(X⁻¹y)/∂y = X⁻¹ and ∂(‖x‖²x)/∂x = ‖x‖²I + 2xxᵀ", () => {
    const ctx = makeContext([
      ["X", ["n", "n"], []],
      ["y", ["n", 1], []],
      ["x", ["n", 1], []],
    ]);
    const inst = randomInstance(ctx, seededRng(8));
    expectClose(jacobianByDifferences(at(mul(inv(X), sym("y"))), inst, "y"), inverse(val(inst, "X")));
    const xv = val(inst, "x");
    const n2 = xv.norm("frobenius") ** 2;
    const want = Matrix.eye(xv.rows).mul(n2).add(xv.mmul(xv.transpose()).mul(2));
    expectClose(jacobianByDifferences(at(mul(pow(call("norm", [x]), num(2)), x)), inst, "x"), want);
    expect(determinant(want)).not.toBe(0);
  });

  it("agrees with centralDifference for a scalar function (as a 1×n row)", () => {
    const ctx = makeContext([["x", ["n", 1], []]]);
    const inst = randomInstance(ctx, seededRng(9));
    const f = at(call("exp", [mul(transpose(x), x)]));
    const g = centralDifference(f, inst, "x");
    const J = jacobianByDifferences(f, inst, "x");
    expect(maxDiff(J, g.transpose())).toBe(0);
  });
});
