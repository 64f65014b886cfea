import { describe, expect, it } from "vitest";
import { add, inv, key, mul, sym, transpose, identity, type DeclaredShape, type Statement } from "../../src/ast.js";
import { parseStatements } from "../../src/syntax/parse.js";

/** Statements without spans, definitions as keys. */
function plain(text: string, names?: string[]) {
  return parseStatements(text, names ? { names: new Set(names) } : {}).map((s) =>
    s.kind === "declare"
      ? { kind: s.kind, names: s.names.map((n) => n.name), shape: s.shape, properties: s.properties }
      : s.kind === "constrain"
        ? { kind: s.kind, names: s.names.map((n) => n.name), property: s.property }
        : { kind: s.kind, name: s.name, expr: key(s.expr) },
  );
}

const matrix = (rows: string | number, cols: string | number): DeclaredShape => ({ kind: "matrix", rows, cols });
const vector = (rows: string | number): DeclaredShape => ({ kind: "vector", rows });
const scalar: DeclaredShape = { kind: "scalar" };
const declare = (names: string[], shape: DeclaredShape, properties: string[] = []) => ({ kind: "declare", names, shape, properties });

describe("declarations", () => {
  it("reads a constraint sum(y) = 1 in every spelling", () => {
    for (const s of ["y: k, sum(y) = 1", "y: k; 𝟙ᵀy = 1", "y: k, 1ᵀy = 1", "y: k, ones'*y = 1", "y \\in \\mathbb{R}^k, \\mathbf{1}^\\top y = 1", "let y: k\nlet sum(y) = 1"])
      expect(plain(s), s).toEqual([declare(["y"], vector("k")), { kind: "constrain", names: ["y"], property: "sums to one" }]);
  });

  it("refuses any other equation, at its place", () => {
    expect(() => parseStatements("y: k, sum(y) = 2")).toThrow(/^not supported: `sum\(y\)` can only be declared to be 1/);
    expect(() => parseStatements("x: n, x'*x = 1")).toThrow(/^not supported: the only constraint/);
  });

  it("reads matrix shapes in every spelling", () => {
    for (const s of ["W: m×n", "W: m x n", "W ∈ ℝ^{m×n}", "W in R^(m x n)", "W \\in \\mathbb{R}^{m \\times n}", "W ∈ ℝᵐˣⁿ", "W: m*n", "W ∈ ℝ^{m,n}", "let W: m×n"])
      expect(plain(s), s).toEqual([declare(["W"], matrix("m", "n"))]);
  });

  it("reads vector and scalar shapes", () => {
    for (const s of ["x: n", "x ∈ ℝⁿ", "x in R^n", "x: n×1", "x ∈ ℝ^{n}", "x \\in \\mathbb{R}^n"]) expect(plain(s), s).toEqual([declare(["x"], vector("n"))]);
    for (const s of ["α: scalar", "α ∈ ℝ", "alpha in R", "\\alpha \\in \\mathbb{R}"]) expect(plain(s), s).toEqual([declare(["α"], scalar)]);
    expect(plain("α, β: scalar")).toEqual([declare(["α", "β"], scalar)]);
    expect(plain("x: ℝ²")).toEqual([declare(["x"], vector(2))]);
    expect(plain("W: 2x3")).toEqual([declare(["W"], matrix(2, 3))]);
    expect(plain("W: ℝ²ˣ³")).toEqual([declare(["W"], matrix(2, 3))]);
    expect(plain("Y: m×D")).toEqual([declare(["Y"], matrix("m", "D"))]);
    expect(plain("W: n_1 × n_{2}")).toEqual([declare(["W"], matrix("n_1", "n_2"))]);
    expect(plain("W: batch × features")).toEqual([declare(["W"], matrix("batch", "features"))]);
  });

  it("reads properties", () => {
    expect(plain("K: n×n symmetric")).toEqual([declare(["K"], matrix("n", "n"), ["symmetric"])]);
    expect(plain("S: n×n spd, Λ: n×n diagonal")).toEqual([
      declare(["S"], matrix("n", "n"), ["spd"]),
      declare(["Λ"], matrix("n", "n"), ["diagonal"]),
    ]);
    expect(plain("S ∈ ℝ^{n×n} SPD")).toEqual([declare(["S"], matrix("n", "n"), ["spd"])]);
  });

  it("gives names their canonical spelling", () => {
    expect(plain("Sigma: n×n; \\Lambda: n×n; x₁: n; x_{12}: n; W1: m×n").map((s) => (s as { names: string[] }).names[0])).toEqual([
      "Σ", "Λ", "x_1", "x_12", "W1",
    ]);
  });

  it("separates statements with commas, semicolons and new lines", () => {
    const text = "let X: m×n, Y: m×D, α, β: scalar\nK := αXXᵀ + β⁻¹I";
    expect(plain(text)).toEqual([
      declare(["X"], matrix("m", "n")),
      declare(["Y"], matrix("m", "D")),
      declare(["α", "β"], scalar),
      { kind: "define", name: "K", expr: key(add([mul(mul(sym("α"), sym("X")), transpose(sym("X"))), mul(inv(sym("β")), identity())])) },
    ]);
    expect(plain("\n\nW: m×n;;\n\n  x: n\n")).toHaveLength(2);
  });

  it("gives every statement and name a span", () => {
    const text = "let α, β: scalar; K := αβ";
    const [d, k] = parseStatements(text) as [Extract<Statement, { kind: "declare" }>, Extract<Statement, { kind: "define" }>];
    expect(d.names.map((n) => text.slice(n.span.start, n.span.end))).toEqual(["α", "β"]);
    expect(text.slice(d.span.start, d.span.end)).toBe("α, β: scalar");
    expect(text.slice(k.span.start, k.span.end)).toBe("K := αβ");
    expect(text.slice(k.expr.span!.start, k.expr.span!.end)).toBe("αβ");
  });
});

describe("definitions", () => {
  it("reads := ≔ and \\coloneqq", () => {
    for (const s of ["K := x", "K ≔ x", "K \\coloneqq x"]) expect(plain(s)).toEqual([{ kind: "define", name: "K", expr: "x" }]);
  });

  it("keeps commas inside brackets", () => {
    expect(plain("L := dot(a, b), M := ⟨a, b⟩")).toEqual([
      { kind: "define", name: "L", expr: "dot(a,b)" },
      { kind: "define", name: "M", expr: "dot(a,b)" },
    ]);
  });

  it("reads declared and defined multi-letter names in later expressions", () => {
    expect(plain("W1: m×n; h := W1 x; Loss := hᵀh; G := 2Loss")).toEqual([
      declare(["W1"], matrix("m", "n")),
      { kind: "define", name: "h", expr: "mul(W1,x)" },
      { kind: "define", name: "Loss", expr: "mul(transpose(h),h)" },
      { kind: "define", name: "G", expr: "mul(2,Loss)" },
    ]);
    expect(plain("G := 2Loss", ["Loss"])).toEqual([{ kind: "define", name: "G", expr: "mul(2,Loss)" }]);
  });

  it("reads the chain of definitions of a derivation file", () => {
    expect(plain("c := d − x; b := cᵀc; L := ½b")).toEqual([
      { kind: "define", name: "c", expr: "add(d,neg(x))" },
      { kind: "define", name: "b", expr: "mul(transpose(c),c)" },
      { kind: "define", name: "L", expr: "mul(1/2,b)" },
    ]);
  });
});
