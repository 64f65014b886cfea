// --format numpy modules that used to be wrong, fail to load or raise (issue 15), the parameter
// rule of NOTATION.md, and the plan of the code (solves, broadcasts, run-time chain order). Every
// derivative is compared with central differences computed in Python of a hand transcription of
// the function (independent of matcalc) and of the module's own value().
import { describe, expect, it } from "vitest";
import { derive, numpyModule } from "../src/index.js";
import { type ArgSpec, type Outcome, hasNumpy, moduleFile, py, runJobs } from "./numpy-harness.js";

interface Case {
  readonly name: string;
  readonly text: string;
  readonly wrt: string;
  readonly where?: string;
  readonly order?: 1 | 2;
  readonly args: Record<string, ArgSpec>;
  /** The function by hand, in Python over the arguments. */
  readonly hand: string;
  /** The module's docstring title, when it must differ from the input (a NUL). */
  readonly title?: string;
  readonly check?: (o: Outcome, module: string) => void;
}

const m = (...shape: number[]): ArgSpec => ({ shape });

const CASES: Case[] = [
  {
    name: "a user symbol t₁ is not overwritten by a temporary",
    text: "softplus(t_1/softplus(γ))",
    wrt: "γ",
    where: "t_1, γ: scalar",
    args: { t_1: 1.3, gamma: 0.4 },
    hand: "np.log1p(np.exp(t_1 / np.log1p(np.exp(gamma))))",
  },
  {
    name: "a user symbol dim_n is not overwritten by a size",
    text: "dim_n·tr(X) + tr(X)²",
    wrt: "X",
    where: "dim_n: scalar, X: n×n",
    args: { dim_n: 7.5, X: m(3, 3) },
    hand: "dim_n * np.trace(X) + np.trace(X) ** 2",
  },
  {
    name: "∂ log softplus(α) at α = −40 is about 1 (a stable sigmoid)",
    text: "log(softplus(α))",
    wrt: "α",
    args: { alpha: -40 },
    hand: "np.log(np.log1p(np.exp(alpha)))",
    check: (o) => expect(Math.abs((o.derivative as number) - 1)).toBeLessThan(1e-12),
  },
  {
    name: "value() of log sigmoid(−40) is finite",
    text: "log(sigmoid(α)) + α²",
    wrt: "α",
    args: { alpha: -40 },
    hand: "-np.log1p(np.exp(-alpha)) + alpha ** 2",
    check: (o) => expect(o.value).toBeCloseTo(-40 + 1600, 9),
  },
  {
    name: "sigmoid of large negative and positive entries",
    text: "sum(log(𝟙 + sigmoid(x)))",
    wrt: "x",
    where: "x: n",
    args: { x: { shape: [4], value: [-60, -5, 3, 60] } },
    hand: "np.sum(np.log(1 + 1 / (1 + np.exp(-x))))",
  },
  {
    name: "\\xi in the input does not break the docstring",
    text: "\\xi x^\\top x",
    wrt: "x",
    args: { xi: 0.7, x: m(3) },
    hand: "xi * float(x @ x)",
  },
  {
    name: "\\upsilon and a NUL in the title do not break the docstring",
    text: "\\upsilon x^\\top x",
    title: '\\upsilon x^\\top x\u0000 """ \\',
    wrt: "x",
    args: { upsilon: 0.7, x: m(3) },
    hand: "upsilon * float(x @ x)",
  },
  {
    name: "Python keywords, np and float as names",
    text: "np·float·xᵀx + λ·pass",
    wrt: "x",
    where: "np, float, pass: scalar, x: n",
    args: { np_: 0.5, float_: 1.5, pass_: 2.0, lambda_: 0.25, x: m(3) },
    hand: "np_ * float_ * float(x @ x) + lambda_ * pass_",
  },
  {
    name: "tr of a scalar",
    text: "tr(⟨A, B⟩)",
    wrt: "A",
    where: "A, B: m×n",
    args: { A: m(3, 2), B: m(3, 2) },
    hand: "np.sum(A * B)",
  },
  {
    name: "det of a scalar",
    text: "det(α²) + det(0)·α",
    wrt: "α",
    args: { alpha: 0.8 },
    hand: "alpha ** 2",
  },
  {
    name: "a definition as the variable",
    text: "tr(K) + tr(KK)",
    wrt: "K",
    where: "K := A + Aᵀ",
    args: { K: { shape: [3, 3], spd: true } },
    hand: "np.trace(K) + np.trace(K @ K)",
  },
  {
    name: "det(AB) by A with AB singular: the adjugate, no LinAlgError",
    text: "det(AB)",
    wrt: "A",
    where: "A: n×k, B: k×n",
    args: { A: m(4, 3), B: m(3, 4) },
    hand: "np.linalg.det(A @ B)",
  },
  {
    name: "det(uuᵀ) by u: the adjugate",
    text: "det(uuᵀ)",
    wrt: "u",
    where: "u: n",
    args: { u: m(3) },
    hand: "np.linalg.det(np.outer(u, u))",
  },
  {
    name: "det(AXB) by X where AXB is invertible: the adjugate agrees with the inverse",
    text: "det(AXB)",
    wrt: "X",
    where: "A: n×k, X: k×k, B: k×n",
    args: { A: m(3, 3), X: m(3, 3), B: m(3, 3) },
    hand: "np.linalg.det(A @ X @ B)",
  },
  // The parameter rule (NOTATION.md): the same parameters for value and derivative, declared
  // symbols accepted, sizes read off any argument that has them, scalar results as floats.
  {
    name: "D is read off Y, declared but not in the expression",
    text: "−D/2 log|K|",
    wrt: "X",
    where: "X: m×n, Y: m×D, α, β: scalar, K := αXXᵀ + β⁻¹I",
    args: { X: m(5, 2), Y: m(5, 3), alpha: 0.7, beta: 2.0 },
    hand: "-Y.shape[1] / 2 * np.linalg.slogdet(alpha * X @ X.T + np.eye(5) / beta)[1]",
    check: (o) => expect(o.params!.value).toEqual(["X", "Y", "alpha", "beta"]),
  },
  {
    name: "k is read off A",
    text: "k·tr(A)",
    wrt: "A",
    where: "A: k×k",
    args: { A: m(4, 4) },
    hand: "4 * np.trace(A)",
    check: (o) => expect(o.params!.value).toEqual(["A"]),
  },
  {
    name: "every declared symbol is a parameter, the unused ones optional",
    text: "xᵀAx",
    wrt: "x",
    where: "A: n×n, x: n, B: m×n, β: scalar",
    args: { A: m(3, 3), x: m(3) },
    hand: "float(x @ A @ x)",
    check: (o) => expect(o.params!.value).toEqual(["A", "x", "B", "beta"]),
  },
  {
    name: "the variable is a parameter though the expression does not use it",
    text: "tr(A)",
    wrt: "B",
    where: "A, B: n×n",
    args: { A: m(3, 3), B: m(3, 3) },
    hand: "np.trace(A)",
    check: (o) => expect(o.derivativeShape).toEqual([3, 3]),
  },
  {
    name: "a Hessian by a scalar is a float",
    text: "α³ + αβ",
    wrt: "α",
    order: 2,
    args: { alpha: 0.8, beta: 2 },
    hand: "alpha ** 3 + alpha * beta",
    check: (o) => {
      expect(o.derivativeType).toBe("float");
      expect(o.derivative).toBeCloseTo(6 * 0.8, 9);
    },
  },
  {
    name: "a gradient by a scalar is a float",
    text: "xᵀx·α²",
    wrt: "α",
    where: "x: n",
    args: { x: m(3), alpha: 0.8 },
    hand: "float(x @ x) * alpha ** 2",
    check: (o) => expect(o.derivativeType).toBe("float"),
  },
  // The plan: one solve of K against all right-hand sides, no inverse formed.
  {
    name: "GP-LVM by X at unequal sizes: one solve, no inverse",
    text: "−D/2 log|K| − ½ tr(K⁻¹YYᵀ)",
    wrt: "X",
    where: "X: m×n, Y: m×D, α, β: scalar, K := αXXᵀ + β⁻¹I",
    args: { X: m(30, 2), Y: m(30, 5), alpha: 0.7, beta: 2.0 },
    hand: "-Y.shape[1] / 2 * np.linalg.slogdet(alpha * X @ X.T + np.eye(30) / beta)[1] - 0.5 * np.trace(np.linalg.solve(alpha * X @ X.T + np.eye(30) / beta, Y) @ Y.T)",
    check: (_o, module) => {
      const derivative = module.slice(module.indexOf("def derivative"));
      expect(derivative.match(/np\.linalg\.solve/g)).toHaveLength(1);
      expect(derivative).not.toContain("np.linalg.inv");
    },
  },
  {
    name: "an outer product is one einsum, diag(v)·M a broadcast",
    text: "½‖V tanh(diag(s)Wx) − y‖²",
    wrt: "W",
    where: "W: m×n, V: k×m, x: n, y: k, s: m",
    args: { W: m(6, 4), V: m(3, 6), x: m(4), y: m(3), s: m(6) },
    hand: "0.5 * np.sum((V @ np.tanh(s * (W @ x)) - y) ** 2)",
    check: (_o, module) => {
      expect(module).not.toContain("diagflat");
      expect(module).toMatch(/np\.einsum\("ik,kj->ij", .*, x\.T\)/);
      expect(module).not.toMatch(/@ x\.T/);
    },
  },
  {
    name: "ridge: X is multiplied twice, Xᵀ(Xw − y)",
    text: "‖Xw − y‖² + λ‖w‖²",
    wrt: "w",
    where: "X: m×n, w: n, y: m, λ: scalar",
    args: { X: m(7, 3), w: m(3), y: m(7), lambda_: 0.3 },
    hand: "np.sum((X @ w - y) ** 2) + lambda_ * np.sum(w ** 2)",
    check: (_o, module) => expect(module.slice(module.indexOf("def derivative")).match(/X\b(\.T)? @/g)).toHaveLength(2),
  },
  {
    name: "autoencoder: products by W first, the residual once",
    text: "‖X − WWᵀX‖_F²",
    wrt: "W",
    where: "X: n×m, W: n×k",
    args: { X: m(8, 12), W: m(8, 2) },
    hand: "np.sum((X - W @ W.T @ X) ** 2)",
  },
  {
    name: "nothing computed twice: softmax cross-entropy",
    text: "−yᵀlog(softmax(Wx))",
    wrt: "W",
    where: "W: k×n, x: n, y: k",
    args: { W: m(5, 3), x: m(3), y: m(5) },
    hand: "-float(y @ np.log(np.exp(W @ x - np.max(W @ x)) / np.sum(np.exp(W @ x - np.max(W @ x)))))",
    check: (_o, module) => expect(module.slice(module.indexOf("def derivative")).match(/_softmax\(/g)).toHaveLength(1),
  },
];

describe.skipIf(!hasNumpy)("NumPy modules: loading, stability, names, parameters and plan (python3 with numpy)", () => {
  const prepared = CASES.map((c) => {
    const r = derive(c.text, { wrt: c.wrt, where: c.where, order: c.order, verify: false });
    return { c, r, ...moduleFile(r, c.title ?? c.text) };
  });
  const outcomes = runJobs(prepared.map(({ c, r, file }) => ({ module: file, args: c.args, wrt: py(r.wrt), hand: c.hand, order: c.order })));

  it.each(prepared.map((p, i) => [p.c.name, p, outcomes[i]!] as const))("%s", (_name, p, o) => {
    expect(o.error).toBeUndefined();
    expect(o.params!.derivative).toEqual(o.params!.value);
    expect(o.valueType).toBe("float");
    expect(Math.abs(o.value! - o.handValue!)).toBeLessThan(1e-9 * Math.max(1, Math.abs(o.handValue!)));
    expect(o.handError!).toBeLessThan(1e-6);
    expect(o.fdError!).toBeLessThan(1e-6);
    p.c.check?.(o, p.text);
  });
});

describe("NumPy module text", () => {
  it("escapes the input in the docstring: backslashes, quotes and control characters", () => {
    const r = derive("xᵀx", { wrt: "x" });
    const text = numpyModule(r.expression, r.gradient, r.wrt, r.ctx, 'x\\xi """\u0000');
    expect(text).toContain('x\\\\xi \\"\\"\\"\\u0000');
    expect(text).not.toContain("\u0000");
  });

});
