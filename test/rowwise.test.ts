// Issue 9, NOTATION.md "As people write it": softmax and logsumexp of a matrix act on each row, as
// attention writes softmax(QKᵀ/√d). Every gradient is judged against central differences of the
// original expression by the independent evaluator of test/independent (its own row-wise
// softmax and logsumexp); the NumPy modules against differences taken in Python of a hand
// transcription. Vector behaviour is asserted byte for byte by the corpus tests.
import { describe, expect, it } from "vitest";
import { derive } from "../src/index.js";
import { MatcalcError } from "../src/errors.js";
import { formatExpr } from "../src/print/expression.js";
import { judge } from "./independent/confirm.js";
import { type ArgSpec, hasNumpy, moduleFile, py, runJobs } from "./numpy-harness.js";

function confirmed(text: string, wrt: string, where?: string, order: 1 | 2 = 1): string {
  const r = derive(text, { wrt, where, order, verify: true });
  for (const seed of [1, 2, 3]) {
    const j = judge(r, seed);
    expect(j.verdict, `${text} by ${wrt} = ${formatExpr(r.gradient, "unicode", r.ctx)}: ${"detail" in j ? j.detail : ""}`).toBe("confirmed");
  }
  return formatExpr(r.gradient, "unicode", r.ctx);
}

function refusal(text: string, wrt: string, where?: string): MatcalcError {
  try {
    derive(text, { wrt, where, verify: true });
  } catch (err) {
    expect(err).toBeInstanceOf(MatcalcError);
    return err as MatcalcError;
  }
  throw new Error(`${text} was not refused`);
}

describe("row-wise softmax and logsumexp: gradients against differences", () => {
  it.each([
    ["‖softmax(XW)V − Y‖²_F", "W", undefined],
    ["‖softmax(XW)V − Y‖²_F", "V", undefined],
    ["‖softmax(XW)V − Y‖²_F", "X", undefined],
    ["‖softmax(QKᵀ/√δ)V − Y‖²_F", "Q", undefined],
    ["‖softmax(QKᵀ/√δ)V − Y‖²_F", "K", undefined],
    ["tr(Vᵀ softmax(QKᵀ/√δ)ᵀ Y)", "K", undefined],
    ["tr(Vᵀ softmax(QKᵀ/√δ)ᵀ Y)", "δ", undefined],
    ["sum(logsumexp(XW))", "W", undefined],
    ["sum(logsumexp(XW)) − tr(YᵀXW)", "W", undefined],
    ["𝟙ᵀlogsumexp(XW) − ⟨Y, XW⟩", "X", undefined],
    ["bᵀlogsumexp(A)", "A", "A: m×n, b: m"],
    ["softmax(xᵀW)y", "W", "x: n, y: k, W: n×k"],
  ])("%s by %s", (text, wrt, where) => {
    confirmed(text, wrt, where);
  });

  it("the multinomial logistic loss has the textbook gradient Xᵀ(softmax(XW) − Y)", () => {
    expect(confirmed("sum(logsumexp(XW)) − tr(YᵀXW)", "W")).toBe("Xᵀ(softmax(XW) − Y)");
  });

  it.each([
    ["sum(logsumexp(XW))", "W"],
    ["‖softmax(XW)V − Y‖²_F", "W"],
    ["‖softmax(XW)V − Y‖²_F", "V"],
  ])("the Hessian of %s by %s, in vec–Kronecker form, is confirmed", (text, wrt) => {
    confirmed(text, wrt, undefined, 2);
  });

  it.each([
    ["softmax(XW)", "W"],
    ["logsumexp(XW)", "W"],
    ["softmax(A)", "A"],
  ])("the derivative of the matrix %s by %s, ∂vec(F)/∂vec(X), is confirmed", (text, wrt) => {
    confirmed(text, wrt);
  });
});

describe("row-wise softmax and logsumexp: shapes and refusals", () => {
  it("softmax keeps an m×n matrix's shape; logsumexp gives the m-vector of row values", () => {
    // Wrong shapes surface as positioned shape errors: the gradient by b needs logsumexp(A) ∈ ℝᵐ.
    expect(derive("bᵀlogsumexp(A)", { wrt: "b", where: "A: m×n, b: m" }).shape).toEqual(["m", 1]);
    expect(refusal("bᵀlogsumexp(A)", "b", "A: m×n, b: n").format()).toMatch(/^\d+:\d+: /);
    expect(derive("sum(softmax(A) ⊙ B)", { wrt: "B", where: "A: m×n, B: m×n" }).shape).toEqual(["m", "n"]);
  });

  it("of a scalar, softmax and logsumexp are still refused with a position", () => {
    const e = refusal("softmax(α)", "α");
    expect(e.format()).toMatch(/^\d+:\d+: .*not supported: softmax of a scalar/);
    expect(refusal("logsumexp(α)", "α").format()).toMatch(/^\d+:\d+: .*not supported: logsumexp of a scalar/);
  });
});

describe.skipIf(!hasNumpy)("row-wise softmax and logsumexp in NumPy modules (python3 with numpy)", () => {
  const m = (...shape: number[]): ArgSpec => ({ shape });
  const cases: { text: string; wrt: string; args: Record<string, ArgSpec>; hand: string }[] = [
    {
      text: "sum(logsumexp(XW)) − tr(YᵀXW)",
      wrt: "W",
      args: { X: m(4, 3), W: m(3, 5), Y: m(4, 5) },
      hand: "np.sum(np.log(np.sum(np.exp(X @ W), axis=1))) - np.trace(Y.T @ X @ W)",
    },
    {
      text: "‖softmax(XW)V − Y‖²_F",
      wrt: "X",
      args: { X: m(4, 3), W: m(3, 5), V: m(5, 2), Y: m(4, 2) },
      hand: "np.sum(((lambda E: E / np.sum(E, axis=1, keepdims=True))(np.exp(X @ W)) @ V - Y) ** 2)",
    },
  ];
  const prepared = cases.map((c) => {
    const r = derive(c.text, { wrt: c.wrt, verify: false });
    return { c, r, ...moduleFile(r, c.text) };
  });
  const outcomes = runJobs(prepared.map(({ c, r, file }) => ({ module: file, args: c.args, wrt: py(r.wrt), hand: c.hand })));

  it.each(prepared.map((p, i) => [p.c.text, p, outcomes[i]!] as const))("%s", (_name, p, o) => {
    expect(p.text).toMatch(/_(softmax|logsumexp)_rows\(/);
    expect(o.error).toBeUndefined();
    expect(Math.abs(o.value! - o.handValue!)).toBeLessThan(1e-9 * Math.max(1, Math.abs(o.handValue!)));
    expect(o.handError!).toBeLessThan(1e-6);
    expect(o.fdError!).toBeLessThan(1e-6);
  });
});
