// NOTATION.md, "As people write it": inputs typed the way homework is typed, each read through
// `derive` or `simplify` and compared with the same function written in the tidy spelling the
// parser has always read. The truth is numeric and independent of the reading under test: the
// tidy function's value, and central finite differences of the tidy function, at random
// instances; never the engine's derivative of the input itself.
import { describe, expect, it } from "vitest";
import {
  type DeriveResult,
  closeEnough,
  derive,
  evaluate,
  formatMatrix,
  instanceWhereDefined,
  readExpression,
  seededRng,
  shapedLike,
  simplify,
} from "../../src/index.js";
import { differences, matcalc } from "../helpers.js";
import { key } from "../../src/ast.js";
import { descentAgrees, functionHead, parseExpression } from "../../src/syntax/parse.js";

const SEEDS = [11, 22, 33];

/**
 * `derive(text)` is the derivative of `tidy`: at random instances, the input has the tidy
 * function's value, and the derivative printed matches finite differences of the tidy function.
 */
function derivesAs(text: string, tidy: string, wrt: string, where?: string): DeriveResult {
  const r = derive(text, { wrt, where, verify: true });
  const truth = readExpression(tidy, r.ctx).expr;
  for (const seed of SEEDS) {
    const inst = instanceWhereDefined(r.ctx, [truth, r.expression, r.gradient], seededRng(seed));
    const value = evaluate(truth, inst);
    const read = evaluate(r.expression, inst);
    expect(closeEnough(shapedLike(read, value), value).ok, `${text}: value\n${formatMatrix(read)}\nexpected\n${formatMatrix(value)}`).toBe(true);
    const expected = differences({ ...r, expression: truth }, inst);
    const got = evaluate(r.gradient, inst);
    expect(closeEnough(shapedLike(got, expected), expected).ok, `${text}: derivative\n${formatMatrix(got)}\nfinite differences\n${formatMatrix(expected)}`).toBe(true);
  }
  return r;
}

/** `simplify(text)` has the tidy expression's value at random instances. */
function simplifiesAs(text: string, tidy: string, where?: string): void {
  const r = simplify(text, where, { verify: true });
  const truth = readExpression(tidy, r.ctx).expr;
  for (const seed of SEEDS) {
    const inst = instanceWhereDefined(r.ctx, [truth, r.simplified], seededRng(seed));
    const value = evaluate(truth, inst);
    const got = evaluate(r.simplified, inst);
    expect(closeEnough(shapedLike(got, value), value).ok, `${text}: value\n${formatMatrix(got)}\nexpected\n${formatMatrix(value)}`).toBe(true);
  }
}

describe("LaTeX habits", () => {
  it("marks make new names: \\hat{y}, ŷ, \\bar{x}, x̄, \\tilde{x}, x′, x^{\\prime}", () => {
    derivesAs("\\hat{y}^\\top A \\bar{x} + ŷᵀAx̄", "2*yhat'*A*xbar", "yhat", "yhat: m, A: m×n, xbar: n");
    derivesAs("\\hat{\\mathbf y}^\\top \\mathbf{y} - \\|\\tilde{x}\\|^2", "yhat'*y - norm2(xtilde)^2", "xtilde");
    derivesAs("x′ᵀAx + (x^{\\prime})^\\top b", "xprime'*A*x + xprime'*b", "xprime", "x, xprime, b: n, A: n×n");
    derivesAs("\\bar x^T x + \\overline{x}^T x̄", "xbar'*x + xbar'*xbar", "xbar");
    // ASCII X' stays a transpose, and a marked name is not its letter
    derivesAs("x'Ax′", "x'*A*xprime", "x", "x, xprime: n, A: n×n");
    expect(() => derive("ŷᵀŷ", { wrt: "y" })).toThrow(/`y` does not occur/);
  });

  it("layers: W^{(1)}, W^{[1]} and W₁ are one name", () => {
    derivesAs("\\|W^{(2)} \\sigma(W^{[1]} x) - y\\|^2", "norm2(W_2*sigmoid(W_1*x) - y)^2", "W_1", "W_1: h×n, W_2: m×h, x: n, y: m");
    derivesAs("\\|W^{(2)} \\sigma(W^{[1]} x) - y\\|^2", "norm2(W_2*sigmoid(W_1*x) - y)^2", "W_2", "W^{(1)}: h×n, W^{[2]}: m×h, x: n, y: m");
  });

  it("ℓ, \\ell and \\mathcal{L} are names of their own, scalars unless declared", () => {
    derivesAs("\\ell x^T x + \\mathcal{L} ℓ", "ell*x'*x + calL*ell", "ell");
    derivesAs("\\mathcal{L}\\, x^T x", "calL*x'*x", "x");
  });

  it("fonts do not make names: \\mathbf{x}, \\mathbf x, \\boldsymbol\\mu, \\bm{x}, \\vec{x}", () => {
    derivesAs("\\mathbf{x}^\\top \\mathbf x + \\bm{x}^T \\vec{x}", "2*x'*x", "x");
    derivesAs("(\\mathbf x - \\boldsymbol\\mu)^\\top \\boldsymbol{\\Sigma}^{-1} (\\mathbf{x} - \\boldsymbol{\\mu})", "(x - mu)'*inv(Sigma)*(x - mu)", "μ", "\\mathbf x, \\boldsymbol\\mu: n, \\boldsymbol\\Sigma: n×n spd");
    // KaTeX's and MathJax's \bold and \Bbb
    derivesAs("\\bold{x}^\\top \\bold x", "x'*x", "x", "\\bold{x} \\in \\Bbb{R}^n");
    // \mathbb{E} is an expectation, not a symbol E
    expect(() => derive("\\mathbb{E}[x^T A x]", { wrt: "x", where: "x: n, A: n×n" })).toThrow(/not supported: an expectation/);
  });

  it("transposes: ^\\intercal, ^{\\mathsf T}, ^{\\!\\top}, ^\\mathrm{T}, ^\\mathsf T", () => {
    derivesAs("x^\\intercal A x + x^{\\mathsf T} B x + x^{\\!\\top} x + x^\\mathrm{T} y + y^\\mathsf T x", "x'*A*x + x'*B*x + x'*x + 2*x'*y", "x", "A, B: n×n, x, y: n");
  });

  it("I_n is an identity of that size; \\ln is \\log; \\log 2\\pi is a constant", () => {
    derivesAs("x^T I_n x + \\ln(x^T x) + \\frac{n}{2}\\log 2\\pi", "x'*x + log(x'*x) + n/2*log(2*pi)", "x", "x: n");
    derivesAs("\\log(2π) + \\log 2\\pi + y^T I_{p} y", "2*log(2*pi) + y'*y", "y", "y: p");
  });

  it("\\mathbf{1}_n and 𝟙_m are ones vectors of that length; a length that does not fit is refused where written", () => {
    derivesAs("\\mathbf{1}_n^\\top \\mathbf{x} + 𝟙_m^T X 𝟙_{n}", "sum(x) + sum(X)", "X", "x: n, X: m×n");
    derivesAs("\\mathbf{1}_{3}^\\top \\log(x)", "sum(log(x))", "x", "x: 3");
    expect(() => derive("𝟙_n^T X", { wrt: "X", where: "X: m×n" })).toThrow(/cannot multiply `𝟙_n\^T` \(1×n\) by `X` \(m×n\)/);
  });

  it("\\exp\\{…\\} is exp, and so is e^{…} with no e declared", () => {
    derivesAs("\\exp\\{-\\tfrac12 x^\\top x\\} + e^{-x^T x} + \\mathrm{e}^{x^T y}", "exp(-x'*x/2) + exp(-x'*x) + exp(x'*y)", "x");
    // a declared e is a symbol: eᵀx, not exp
    derivesAs("e^T x + e^\\top y", "e'*x + e'*y", "x", "e: n");
  });

  it("norm suffixes in either order", () => {
    derivesAs("\\|X\\|^2_F + ‖X‖²_F + \\|X\\|_F^2", "3*norm(X, 'fro')^2", "X");
    derivesAs("\\|x\\|^2_2 + \\|x\\|_2^2 + \\|x\\|^2_1", "2*norm2(x)^2 + norm(x, 1)^2", "x");
  });

  it("σ(…) undeclared is the sigmoid; a declared σ is a scalar; other Greek letters multiply", () => {
    derivesAs("-y^\\top \\log(\\sigma(Xw)) - (1 - y)^\\top \\log(1 - \\sigma(Xw))".replace(/\(1 - y\)/, "(\\mathbf{1} - y)").replace("\\log(1 -", "\\log(\\mathbf{1} -"),
      "-y'*log(sigmoid(X*w)) - (ones - y)'*log(ones - sigmoid(X*w))", "w", "X: m×n, w: n, y: m");
    derivesAs("\\sigma(x + y)^T z", "sigma*(x + y)'*z", "x", "σ: scalar");
    derivesAs("sigma(Wx)^T z", "sigmoid(W*x)'*z", "W");
    derivesAs("\\alpha(x + y)^T z", "alpha*(x + y)'*z", "x");
  });

  it("wrapped in $…$, $$…$$, \\[…\\] or \\(…\\), as copied from a document", () => {
    for (const text of ["$x^T A x$", "$$ x^\\top A x $$", "\\[x^T A x\\]", "  \\( x^T A x \\) "]) derivesAs(text, "x'*A*x", "x");
    simplifiesAs("$\\operatorname{tr}(AB)$", "trace(B*A)");
  });

  it("look-alike characters are what they look like", () => {
    derivesAs("𝑥ᵀ𝐴𝑥 – ２𝑥ᵀ𝑦 — 𝒙ᵀ𝒙", "x'*A*x - 2*x'*y - x'*x", "x");
    derivesAs("Ｘ∗ｗ + Xw", "2*X*w", "w");
    simplifiesAs("tr(𝑊ᵀ𝑊) − tr(WᵀW)", "0");
  });
});

describe("precedence: products bind tighter than ⊙ ⊘ ⊗", () => {
  it("A ⊙ BX is A ⊙ (BX) in every spelling, and derive says so where (A ⊙ B)X also types", () => {
    for (const text of ["tr(A ⊙ BX)", "\\operatorname{tr}(A \\odot B X)", "trace(A .* B*X)", "tr(A ∘ B·X)"]) {
      const r = derivesAs(text, "trace(A .* (B*X))", "X");
      expect(r.notes.some((n) => /a product binds tighter than/.test(n)), text).toBe(true);
    }
    // written with brackets, nothing to say
    expect(derivesAs("tr(A ⊙ (BX))", "trace(A .* (B*X))", "X").notes).toEqual([]);
  });

  it("yᵀ(h ⊙ Wx) works, with no note: (h ⊙ W)x does not type", () => {
    const r = derivesAs("yᵀ(h ⊙ Wx)", "y'*(h .* (W*x))", "W", "W: m×n, x: n, y, h: m");
    expect(r.notes.filter((n) => /binds tighter/.test(n))).toEqual([]);
    derivesAs("y^\\top (\\mathbf h \\odot W\\mathbf x)", "y'*(h .* (W*x))", "x", "W: m×n, x: n, y, h: m");
  });

  it("(𝟙 − h ⊙ h) ⊙ Wᵀδ, AB ⊙ C and x ⊘ y/2", () => {
    derivesAs("hᵀ((𝟙 − h ⊙ h) ⊙ Wᵀδ)", "h'*((ones - h .* h) .* (W'*delta))", "h", "W: m×n, h: n, δ: m");
    derivesAs("sum(AB ⊙ C)", "sum((A*B) .* C)", "A", "A: m×k, B: k×n, C: m×n");
    const r = derivesAs("sum(x ⊘ y / 2)", "sum(x ./ (y/2))", "x", "x, y: n");
    expect(r.notes.join("\n")).toMatch(/read `x ⊘ y \/ 2` as `x ⊘ \(y \/ 2\)`/);
  });

  it("(Bᵀ ⊗ A)ᵀ(Bᵀ ⊗ A) is BBᵀ ⊗ AᵀA (Kronecker products of products)", () => {
    const where = "A: m×n, B: p×q";
    simplifiesAs("(Bᵀ⊗A)ᵀ(Bᵀ⊗A)", "kron(B*B', A'*A)", where);
    simplifiesAs("BBᵀ⊗AᵀA", "kron(B*B', A'*A)", where);
    simplifiesAs("B B^\\top \\otimes A^\\top A", "kron(B*B', A'*A)", where);
  });
});

describe("a division by a row: the one reading that types", () => {
  it("xᵀAx/xᵀx divides by xᵀx, in every spelling, with a note", () => {
    for (const text of ["xᵀAx/xᵀx", "x'*A*x/x'*x", "x^\\top A x / x^\\top x"]) {
      const r = derivesAs(text, "(x'*A*x)/(x'*x)", "x", "x: n, A: n×n");
      expect(r.notes.join("\n"), text).toMatch(/is read as .*\/\(.*\): a row cannot divide/);
    }
    derivesAs("1/xᵀx + xᵀBx/xᵀAx", "1/(x'*x) + (x'*B*x)/(x'*A*x)", "x", "x: n, A, B: n×n");
    // a product after the division that makes no scalar with the row: refused where written
    expect(() => derive("x/xᵀ", { wrt: "x", where: "x: n" })).toThrow("can only divide by a scalar");
    // a scalar divisor is read as always: (a/2)x
    derivesAs("a/2x", "(a/2)*x", "a", "a: scalar, x: n");
  });
});

describe("a scalar added to a vector or a non-square matrix", () => {
  it("is added to every entry, with a note", () => {
    const r = derivesAs("\\mathbf{1}^\\top \\log(1 + \\exp(Xw)) - y^\\top X w", "ones'*log(ones + exp(X*w)) - y'*X*w", "w", "X: m×n, w: n, y: m");
    expect(r.notes.join("\n")).toMatch(/`1` is added to every entry of a vector/);
    derivesAs("sum(X − 2) + sum(3 + X ⊙ X)", "sum(X - 2*ones*ones') + sum(3*ones*ones' + X .* X)", "X", "X: m×n");
    derivesAs("σ(x − μ)ᵀz", "sigma*(x - mu*ones)'*z", "x", "σ: scalar, x, z: n");
  });

  it("in --where definitions too, and the note names the definition", () => {
    const r = derivesAs("L", "-sum(t .* log(sigmoid(X*w)) + (ones - t) .* log(ones - sigmoid(X*w)))", "w", "X: m×n, w: n, t: m, p := sigmoid(Xw), L := −sum(t ⊙ log(p) + (1 − t) ⊙ log(1 − p))");
    expect(r.notes.join("\n")).toMatch(/in L := …, `1` is added to every entry of a vector/);
    expect(() => derive("tr(M)", { wrt: "X", where: "X: n×n, M := X + 1" })).toThrow(/ambiguous/);
  });

  it("is refused, as ambiguous, when added to a square matrix or one of unknown shape", () => {
    expect(() => derive("tr(X + 1)", { wrt: "X", where: "X: n×n" })).toThrow(/ambiguous: `1` is a scalar added to a square matrix: write 1·I for the identity, or 1·𝟙𝟙ᵀ for every entry/);
    expect(() => derive("tr(X + 1)", { wrt: "X" })).toThrow(/ambiguous/);
  });
});

describe("statement forms, as check's claims use them", () => {
  const tree = (text: string, names: string[] = []) => key(parseExpression(text, { names: new Set(names) }));
  it("∇ with a font or mark on the variable, and second derivatives", () => {
    expect(tree("\\nabla_{\\mathbf w} L")).toBe(tree("grad(L, w)"));
    expect(tree("\\nabla_{\\mathbf{w}} L")).toBe(tree("grad(L, w)"));
    expect(tree("\\nabla_{\\boldsymbol\\theta} \\ell")).toBe(tree("grad(ell, theta)"));
    for (const hessian of ["\\nabla^2_{w} L", "\\nabla_{\\mathbf w}^2 L", "∇²_w L", "\\frac{\\partial^2 L}{\\partial w\\,\\partial w^\\top}", "\\frac{\\partial^2 L}{\\partial \\mathbf{w} \\partial \\mathbf{w}^T}", "\\frac{\\partial^2 L}{\\partial w^2}"])
      expect(tree(hessian), hessian).toBe(tree("grad(grad(L, w), w)"));
    expect(tree("\\frac{\\partial^2 L}{\\partial x \\partial y^\\top}")).toBe(tree("grad(grad(L, x), y)"));
    expect(descentAgrees("\\frac{\\partial^2 L}{\\partial x\\,\\partial x^\\top} + \\nabla^2_{w} L")).toBe(true);
  });

  it("a function-style left side: L(w) defines L, w its argument", () => {
    expect(functionHead("L(w)")).toEqual({ name: "L", arguments: ["w"] });
    expect(functionHead("\\mathcal{L}(\\mathbf w, b)")).toEqual({ name: "ℒ", arguments: ["w", "b"] });
    expect(functionHead("f(\\boldsymbol\\theta)")).toEqual({ name: "f", arguments: ["θ"] });
    for (const not of ["L w", "L(w + 1)", "σ(z)", "tr(X)", "L(w)ᵀ"]) expect(functionHead(not), not).toBeUndefined();
    // in declarations and --where, L(w) := … defines L
    derivesAs("L", "norm2(X*w - y)^2", "w", "X: m×n, y: m, w: n, L(w) := \\|Xw - y\\|^2");
  });
});

describe("messages", () => {
  it("an ambiguous bare argument shows the whole next factor", () => {
    expect(() => derive("\\log \\alpha (x^T x)", { wrt: "x" })).toThrow("ambiguous: write \\log(\\alpha (x^T x)) or \\log(\\alpha) (x^T x)");
  });

  it("argument errors name the argument, with a position only where there is one", () => {
    const wrt = matcalc(["derive", "\\|Wx\\|^2", "--wrt", "w"]);
    expect(wrt.status).toBe(2);
    expect(wrt.stderr.split("\n")[0]).toBe("--wrt 1:1: `w` does not occur in the expression or its declarations; did you mean `W`? (names are case-sensitive)");
    const where = matcalc(["derive", "x^T x", "--wrt", "x", "--where", "x: n, A: n×"]);
    expect(where.stderr.split("\n")[0]).toBe("--where 1:12: unexpected end of input: expected a dimension (a name such as n, or a number)");
  });

  it("look-alike characters are not unexpected; truly unknown ones still are", () => {
    expect(() => derive("x – y ∗ 2", { wrt: "x" })).not.toThrow();
    expect(() => derive("x € y", { wrt: "x" })).toThrow("unexpected character `€`");
  });
});
