// The command line as a user runs it: outputs, exit statuses, and positioned errors.
import { describe, expect, it } from "vitest";
import { matcalc } from "./helpers.js";

describe("matcalc derive", () => {
  it("prints the gradient and exits 0", () => {
    const r = matcalc(["derive", "½‖WᵀWx − x‖²", "--wrt", "W", "--where", "W: m×n, x: n"]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toMatch(/W/);
  });

  it("reads the expression from standard input with -", () => {
    const r = matcalc(["derive", "-", "--wrt", "x"], { input: "xᵀAx" });
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).not.toBe("");
  });

  it.each(["unicode", "latex", "ascii", "numpy", "json"])("--format %s", (format) => {
    const r = matcalc(["derive", "tr(AX)", "--wrt", "X", "--format", format]);
    expect(r.status).toBe(0);
    if (format === "json") {
      const j = JSON.parse(r.stdout);
      expect(Object.keys(j)).toEqual(expect.arrayContaining(["derivative", "latex", "unicode", "shape"]));
    }
    if (format === "numpy") expect(r.stdout).toMatch(/def value\(.*\):[\s\S]*def derivative\(/);
  });

  it("the ASCII output reads back as the same expression", () => {
    const first = matcalc(["derive", "−D/2 log|K| − ½ tr(K⁻¹YYᵀ)", "--wrt", "X", "--where", "X: m×n, Y: m×D, α, β: scalar, K := αXXᵀ + β⁻¹I", "--format", "ascii"]);
    expect(first.status).toBe(0);
    const again = matcalc(["simplify", first.stdout.trim(), "--where", "X: m×n, Y: m×D, α, β: scalar, K := αXXᵀ + β⁻¹I", "--format", "ascii"]);
    expect(again.status).toBe(0);
    expect(again.stdout.trim()).toBe(first.stdout.trim());
  });

  it("--steps prints a worked solution: the claim with its rule and source", () => {
    const r = matcalc(["derive", "log|X|", "--wrt", "X", "--steps"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^∂L\/∂X = X⁻ᵀ +# log\|A\| → A: G A⁻ᵀ \(MC \(43\), \(57\)\)$/m);
  });

  it("--order 2 prints the Hessian: A + Aᵀ for xᵀAx, 2A for a symmetric A", () => {
    const r = matcalc(["derive", "xᵀAx", "--wrt", "x", "--order", "2", "--where", "A: n×n, x: n"]);
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe("A + Aᵀ");
    const s = matcalc(["derive", "xᵀAx", "--wrt", "x", "--order", "2", "--where", "A: n×n symmetric, x: n", "--format", "json"]);
    expect(s.status).toBe(0);
    const j = JSON.parse(s.stdout);
    expect(j.unicode).toBe("2A");
    expect(j.shape).toMatchObject({ rows: "n", cols: "n", kind: "matrix" });
  });

  it("a vector-valued expression gives its Jacobian, with its shape in JSON", () => {
    const r = matcalc(["derive", "softmax(x)", "--wrt", "x", "--where", "x: n", "--format", "json"]);
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.unicode).toBe("diag(softmax(x)) − softmax(x) softmax(x)ᵀ");
    expect(j.shape).toMatchObject({ rows: "n", cols: "n" });
    expect(j.layout).toBe("jacobian");
    const t = matcalc(["derive", "tanh(Wx)", "--wrt", "x", "--where", "W: m×n, x: n", "--format", "json"]);
    expect(JSON.parse(t.stdout).shape).toMatchObject({ rows: "m", cols: "n" });
  });

  it("a matrix by a matrix is in vec–Kronecker form, shaped (rows·cols)×(rows·cols)", () => {
    const r = matcalc(["derive", "AXB", "--wrt", "X", "--where", "A: m×n, X: n×p, B: p×q", "--format", "json"]);
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.unicode).toBe("Bᵀ ⊗ A");
    expect(j.derivative).toBe("kron(B', A)");
    expect(j.shape).toMatchObject({ rows: "m·q", cols: "n·p" });
    expect(j.layout).toBe("vec");
  });

  it("every answer is checked against finite differences before it is printed", () => {
    const j = JSON.parse(matcalc(["derive", "xᵀAx", "--wrt", "x", "--format", "json"]).stdout);
    expect(j.checked).toMatchObject({ verdict: "agrees" });
    const r = matcalc(["derive", "log(−xᵀx)", "--wrt", "x"]);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/^note: not checked numerically: /m);
  });

  it("a size the input leaves unnamed is told by the symbol that has it", () => {
    const v = JSON.parse(matcalc(["derive", "xᵀAx", "--wrt", "x", "--format", "json"]).stdout);
    expect(v.shape).toMatchObject({ rows: "len(x)", cols: "1", kind: "vector" });
    const m = JSON.parse(matcalc(["derive", "AXB", "--wrt", "X", "--format", "json"]).stdout);
    expect(m.shape).toMatchObject({ rows: "rows(A)·cols(B)", cols: "cols(A)·cols(X)" });
  });

  it("--steps of a Jacobian names the linear-map identities it was read off with", () => {
    const r = matcalc(["derive", "AXB", "--wrt", "X", "--steps"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^∂vec\(F\)\/∂vec\(X\) = Bᵀ ⊗ A +# read off: in vec–Kronecker form/m);
    expect(r.stdout).toMatch(/vec\(L G Rᵀ\) = \(R ⊗ L\) vec\(G\)  \[MC \(520\)\]/);
  });

  it("example runs the seed's problems", () => {
    const r = matcalc(["example"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/K⁻¹/);
  });
});

describe("bad input: exit 2, a positioned first line (or the argument's name), no stack trace", () => {
  const cases: [string, string[], RegExp][] = [
    ["an unknown function", ["derive", "softmx(x)", "--wrt", "x"], /softmax/],
    ["an unclosed bracket", ["derive", "tr(X⁻¹", "--wrt", "X"], /./],
    ["a stray closing bracket", ["derive", "tr(X))", "--wrt", "X"], /./],
    ["a shape clash", ["derive", "yᵀWx", "--wrt", "W", "--where", "W: m×n, x: n, y: n"], /W|y/],
    ["empty input", ["derive", "", "--wrt", "x"], /empty/],
    ["a derivative that needs the commutation matrix", ["derive", "Xᵀ", "--wrt", "X"], /not supported: .*commutation/],
    ["a second derivative of a vector", ["derive", "Wx", "--wrt", "x", "--order", "2"], /not supported: .*third-order/],
    ["a Kronecker product outside a trace", ["derive", "sum(A ⊗ X)", "--wrt", "X"], /not supported: .*⊗/],
    ["softmax of a scalar", ["derive", "softmax(α)", "--wrt", "α"], /not supported: softmax of a scalar/],
  ];
  it.each(cases)("%s", (_name, args, mention) => {
    const r = matcalc(args);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    const first = r.stderr.split("\n")[0]!;
    expect(first).toMatch(/^\d+:\d+: /);
    expect(r.stderr).toMatch(mention);
    expect(r.stderr).not.toMatch(/\n\s+at .*\.js:\d+/);
  });

  // An argument's problem is said to be the argument's, with a position in it where it has one.
  it.each([
    ["a malformed declaration", ["derive", "tr(W)", "--wrt", "W", "--where", "W: m×"], /^--where 1:6: unexpected end of input/],
    ["an unknown option", ["derive", "tr(X)", "--wrt", "X", "--colour"], /^unknown option `--colour`$/],
    ["a variable not in the expression", ["derive", "tr(X)", "--wrt", "Z"], /^--wrt 1:1: `Z` does not occur in the expression or its declarations$/],
    ["a variable in the wrong case", ["derive", "tr(W)", "--wrt", "w"], /^--wrt 1:1: `w` does not occur .*; did you mean `W`\? \(names are case-sensitive\)$/],
    ["a variable that is not one symbol", ["derive", "tr(W)", "--wrt", "(W"], /^--wrt 1:1: unclosed `\(`/],
    ["a third derivative", ["derive", "xᵀx", "--wrt", "x", "--order", "3"], /^not supported: --order 3/],
    ["a sum declared other than 1", ["derive", "xᵀy", "--wrt", "x", "--where", "x, y: n, sum(y) = 2"], /^--where 1:19: not supported: `sum\(y\)` can only be declared to be 1/],
    ["a matrix declared to sum to one", ["derive", "xᵀAx", "--wrt", "x", "--where", "x: n, A: n×n, sum(A) = 1"], /^--where 1:19: `sum\(A\) = 1` is for a column vector, not a n×n symbol$/],
    ["an equation that is no constraint", ["derive", "xᵀx", "--wrt", "x", "--where", "x: n, xᵀx = 1"], /^--where 1:7: not supported: the only constraint a declaration takes is `sum\(y\) = 1`/],
  ])("%s", (_name, args, first) => {
    const r = matcalc(args);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr.split("\n")[0]).toMatch(first);
    expect(r.stderr).not.toMatch(/\n\s+at .*\.js:\d+/);
  });

  it("10,000 nested brackets are refused, quickly", () => {
    const deep = "(".repeat(10_000) + "x" + ")".repeat(10_000);
    const started = Date.now();
    const r = matcalc(["derive", `${deep}ᵀx`, "--wrt", "x"]);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(r.status).toBe(2);
    expect(r.stderr.split("\n")[0]).toMatch(/^\d+:\d+: /);
  });

  it("a sum of 10,000 terms is answered or refused within seconds, never a crash", () => {
    const sum = Array.from({ length: 10_000 }, (_, i) => `${(i % 7) + 1}xᵀA${i % 3 ? "x" : "y"}`).join(" + ");
    const started = Date.now();
    const r = matcalc(["derive", sum, "--wrt", "x"]);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect([0, 2]).toContain(r.status);
    if (r.status === 2) expect(r.stderr.split("\n")[0]).toMatch(/^\d+:\d+: /);
    else expect(r.stdout.trim()).not.toBe("");
  });
});

describe("bad values are refused, not differentiated", () => {
  it.each([
    ["x/0", /division by zero/],
    ["0⁻¹x", /inverse of zero/],
  ])("%s", (text, message) => {
    const r = matcalc(["derive", text, "--wrt", "x"]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr.split("\n")[0]).toMatch(/^\d+:\d+: /);
    expect(r.stderr).toMatch(message);
  });
});
