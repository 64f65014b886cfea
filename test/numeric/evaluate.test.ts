import { describe, expect, it } from "vitest";
import { Matrix, determinant, inverse } from "ml-matrix";
import { add, call, div, identity, inv, mul, neg, num, pow, sym, transpose, type Expr } from "../../src/ast.js";
import { MatcalcError } from "../../src/errors.js";
import { DomainError, evaluate, frobeniusCondition } from "../../src/numeric/evaluate.js";
import { randomInstance, seededRng, withValue, type Instance } from "../../src/numeric/random.js";
import { makeContext, maxDiff, scalarOf } from "./helpers.js";

const [A, X, Y, x, α, β, D, K, L] = ["A", "X", "Y", "x", "α", "β", "D", "K", "L"].map((n) => sym(n)) as [
  Expr, Expr, Expr, Expr, Expr, Expr, Expr, Expr, Expr,
];

function instance(seed = 1): Instance {
  const ctx = makeContext([
    ["A", ["m", "n"], []],
    ["X", ["n", "m"], []],
    ["S", ["n", "n"], []],
    ["x", ["n", 1], []],
    ["α", [1, 1], []],
    ["β", [1, 1], []],
  ]);
  return randomInstance(ctx, seededRng(seed));
}

const v = (inst: Instance, name: string): Matrix => inst.values.get(name)!;

describe("evaluate", () => {
  it("tr(AX)", () => {
    for (let seed = 1; seed <= 20; seed++) {
      const inst = instance(seed);
      const got = scalarOf(evaluate(call("tr", [mul(A, X)]), inst));
      expect(got).toBeCloseTo(v(inst, "A").mmul(v(inst, "X")).trace(), 12);
    }
  });

  it("xᵀSx and a scalar times a matrix", () => {
    const inst = instance(2);
    const S = v(inst, "S"), xv = v(inst, "x");
    let want = 0;
    for (let i = 0; i < S.rows; i++) for (let j = 0; j < S.rows; j++) want += xv.get(i, 0) * S.get(i, j) * xv.get(j, 0);
    expect(scalarOf(evaluate(mul(mul(transpose(x), sym("S")), x), inst))).toBeCloseTo(want, 12);
    const a = v(inst, "α").get(0, 0);
    expect(maxDiff(evaluate(mul(α, sym("S")), inst), S.clone().mul(a))).toBe(0);
    expect(maxDiff(evaluate(mul(sym("S"), α), inst), S.clone().mul(a))).toBe(0);
  });

  it("log|X| three ways, and |α| as an absolute value", () => {
    const inst = instance(3);
    const S = v(inst, "S");
    const want = Math.log(Math.abs(determinant(S)));
    const Sx = sym("S");
    expect(scalarOf(evaluate(call("logdet", [Sx]), inst))).toBeCloseTo(want, 12);
    expect(scalarOf(evaluate(call("log", [call("abs", [call("det", [Sx])])]), inst))).toBeCloseTo(want, 12);
    // |S| of a square matrix is its (signed) determinant; of a scalar, the absolute value.
    expect(scalarOf(evaluate(call("bars", [Sx]), inst))).toBeCloseTo(determinant(S), 13);
    expect(scalarOf(evaluate(call("bars", [neg(α)]), inst))).toBe(v(inst, "α").get(0, 0));
    // so log of a bars is only defined where the determinant is positive
    for (let seed = 1; seed <= 10; seed++) {
      const i2 = instance(seed);
      const d = determinant(v(i2, "S"));
      const e = call("log", [call("bars", [Sx])]);
      if (d > 0) expect(scalarOf(evaluate(e, i2))).toBeCloseTo(Math.log(d), 12);
      else expect(() => evaluate(e, i2)).toThrow(DomainError);
    }
  });

  it("‖x‖² and ‖A‖_F", () => {
    const inst = instance(4);
    const xv = v(inst, "x");
    let ss = 0;
    for (let i = 0; i < xv.rows; i++) ss += xv.get(i, 0) ** 2;
    expect(scalarOf(evaluate(pow(call("norm", [x]), num(2)), inst))).toBeCloseTo(ss, 13);
    const a = v(inst, "A");
    let fa = 0;
    for (const row of a.to2DArray()) for (const e of row) fa += e * e;
    expect(scalarOf(evaluate(call("norm", [A], undefined, "F"), inst))).toBeCloseTo(Math.sqrt(fa), 13);
  });

  it("K := αXXᵀ + β⁻¹I, L := −D/2·log|K| − ½tr(K⁻¹YYᵀ), with a dimension symbol D", () => {
    const Kdef = add([mul(mul(α, X), transpose(X)), mul(inv(β), identity("m"))]);
    const Ldef = add([
      neg(mul(div(D, num(2)), call("bars", [K]))),
      neg(mul(num(1, 2), call("tr", [mul(mul(inv(K), Y), transpose(Y))]))),
    ]);
    // (the log is applied below: L uses log|K|)
    const Ldef2 = add([
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
      ["L", [1, 1], [], { definition: Ldef2 }],
    ]);
    for (let seed = 1; seed <= 10; seed++) {
      const inst = randomInstance(ctx, seededRng(seed));
      expect(inst.values.has("K")).toBe(false);
      expect(inst.values.has("D")).toBe(false);
      const [Xv, Yv] = [inst.values.get("X")!, inst.values.get("Y")!];
      const [a, b] = [inst.values.get("α")!.get(0, 0), inst.values.get("β")!.get(0, 0)];
      const m = inst.sizes.get("m")!, Dn = inst.sizes.get("D")!;
      expect(Yv.columns).toBe(Dn);
      const Kv = Xv.mmul(Xv.transpose()).mul(a).add(Matrix.eye(m).mul(1 / b));
      expect(maxDiff(evaluate(K, inst), Kv)).toBeLessThan(1e-14);
      expect(scalarOf(evaluate(D, inst))).toBe(Dn);
      const want = (-Dn / 2) * Math.log(Math.abs(determinant(Kv))) - 0.5 * inverse(Kv).mmul(Yv).mmul(Yv.transpose()).trace();
      expect(scalarOf(evaluate(L, inst))).toBeCloseTo(want, 10);
      expect(scalarOf(evaluate(Ldef, inst))).toBeCloseTo((-Dn / 2) * determinant(Kv) - 0.5 * inverse(Kv).mmul(Yv).mmul(Yv.transpose()).trace(), 10);
      // A value given for a defined symbol wins over its definition.
      const given = withValue(inst, "K", Matrix.eye(m).mul(2));
      expect(scalarOf(evaluate(call("tr", [K]), given))).toBeCloseTo(2 * m, 14);
      // A changed value is seen by the definitions that use it (fresh instance, fresh memo).
      const moved = withValue(inst, "α", new Matrix([[a + 1]]));
      const Kmoved = Xv.mmul(Xv.transpose()).mul(a + 1).add(Matrix.eye(m).mul(1 / b));
      expect(maxDiff(evaluate(K, moved), Kmoved)).toBeLessThan(1e-14);
      expect(maxDiff(evaluate(K, inst), Kv)).toBeLessThan(1e-14);
    }
  });

  it("powers: X³, X⁻², X⁰, scalars, odd roots of negatives", () => {
    const inst = instance(5);
    const S = v(inst, "S"), Sx = sym("S");
    expect(maxDiff(evaluate(pow(Sx, num(3)), inst), S.mmul(S).mmul(S))).toBeLessThan(1e-13);
    const Si = inverse(S);
    expect(maxDiff(evaluate(pow(Sx, num(-2)), inst), Si.mmul(Si))).toBeLessThan(1e-10);
    expect(maxDiff(evaluate(pow(Sx, num(0)), inst), Matrix.eye(S.rows))).toBe(0);
    const a = v(inst, "α").get(0, 0);
    expect(scalarOf(evaluate(pow(α, num(1, 2)), inst))).toBeCloseTo(Math.sqrt(a), 14);
    expect(scalarOf(evaluate(pow(α, num(-3)), inst))).toBeCloseTo(a ** -3, 12);
    expect(scalarOf(evaluate(pow(neg(α), num(1, 3)), inst))).toBeCloseTo(-Math.cbrt(a), 14);
    expect(scalarOf(evaluate(pow(neg(α), num(2, 3)), inst))).toBeCloseTo(Math.cbrt(a) ** 2, 14);
    expect(() => evaluate(pow(neg(α), num(1, 2)), inst)).toThrow(DomainError);
    expect(() => evaluate(pow(Sx, num(1, 2)), inst)).toThrow(MatcalcError);
  });

  it("div, identity of a literal size, transpose, inverse", () => {
    const inst = instance(6);
    const A0 = v(inst, "A"), a = v(inst, "α").get(0, 0);
    expect(maxDiff(evaluate(div(A, α), inst), A0.clone().div(a))).toBeLessThan(1e-15);
    expect(maxDiff(evaluate(identity(3), inst), Matrix.eye(3))).toBe(0);
    expect(maxDiff(evaluate(transpose(A), inst), A0.transpose())).toBe(0);
    const S = v(inst, "S");
    expect(maxDiff(evaluate(mul(inv(sym("S")), sym("S")), inst), Matrix.eye(S.rows))).toBeLessThan(1e-12);
    expect(scalarOf(evaluate(inv(α), inst))).toBeCloseTo(1 / a, 15);
  });

  it("throws DomainError outside the domain", () => {
    const inst = instance(7);
    const Sx = sym("S");
    const cases: Expr[] = [
      call("log", [neg(α)]), // log of a negative
      call("sqrt", [neg(α)]),
      div(x, add([α, neg(α)])), // division by zero
      inv(add([Sx, neg(Sx)])), // exactly singular
      call("logdet", [add([Sx, neg(Sx)])]), // log 0
      inv(add([α, neg(α)])),
      pow(add([α, neg(α)]), num(-1)),
    ];
    for (const c of cases) expect(() => evaluate(c, inst), JSON.stringify(c.op)).toThrow(DomainError);
    // A DomainError is a MatcalcError of category "domain".
    try {
      evaluate(call("log", [neg(α)]), inst);
    } catch (err) {
      expect(err).toBeInstanceOf(MatcalcError);
      expect((err as MatcalcError).category).toBe("domain");
    }
  });

  it("throws DomainError for an ill-conditioned inverse", () => {
    const ctx = makeContext([["B", [2, 2], []]]);
    const inst = randomInstance(ctx, seededRng(1));
    const nearly = withValue(inst, "B", new Matrix([[1, 1], [1, 1 + 1e-10]]));
    expect(frobeniusCondition(nearly.values.get("B")!)).toBeGreaterThan(1e8);
    expect(() => evaluate(inv(sym("B")), nearly)).toThrow(DomainError);
    const fine = withValue(inst, "B", new Matrix([[2, 1], [1, 3]]));
    expect(() => evaluate(inv(sym("B")), fine)).not.toThrow();
  });

  it("refuses an unknown function as unsupported", () => {
    const inst = instance(8);
    try {
      evaluate(call("softmx", [x]), inst);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(MatcalcError);
      expect(err).not.toBeInstanceOf(DomainError);
      expect((err as MatcalcError).category).toBe("unsupported");
    }
  });

  it("is safe for deep trees and linear on shared subtrees", () => {
    const inst = instance(9);
    let e: Expr = α;
    for (let i = 0; i < 20000; i++) e = neg(e);
    expect(scalarOf(evaluate(e, inst))).toBe(v(inst, "α").get(0, 0));
    let d: Expr = x;
    for (let i = 0; i < 200; i++) d = add([d, d]); // 2^200 leaves as a tree, 201 nodes as a DAG
    const xv = v(inst, "x");
    expect(maxDiff(evaluate(d, inst), xv.clone().mul(2 ** 200))).toBe(0);
  });

  it("does not let callers modify the instance through a result", () => {
    const inst = instance(10);
    const before = v(inst, "A").clone();
    evaluate(A, inst).set(0, 0, 123);
    expect(maxDiff(v(inst, "A"), before)).toBe(0);
  });
});
