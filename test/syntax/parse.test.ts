import { describe, expect, it } from "vitest";
import {
  add, call, div, equal, identity, inv, key, mul, neg, num, postorder, pow, sym, transpose, withoutSpans, type Expr,
} from "../../src/ast.js";
import { parseExpression } from "../../src/syntax/parse.js";

const p = (s: string, names?: string[]) => parseExpression(s, names ? { names: new Set(names) } : {});

/** Parses to exactly this tree (spans ignored). */
function same(text: string, expected: Expr, names?: string[]) {
  const got = p(text, names);
  expect(key(got), text).toBe(key(expected));
  expect(equal(withoutSpans(got), expected)).toBe(true);
}

/** Trees equal up to the norm's subscript: ‖x‖ and ‖x‖₂ are one norm of a vector. */
const dropNormSub = (e: Expr): string => key(e).replace(/norm_2/g, "norm");

const [W, x, K, Y, D, X, A, B, L] = ["W", "x", "K", "Y", "D", "X", "A", "B", "L"].map((n) => sym(n));
const [α, β] = [sym("α"), sym("β")];
const half = num(1, 2);
const tr = (a: Expr) => call("tr", [a]);
const bars = (a: Expr) => call("bars", [a]);

describe("the seed expressions, in all three spellings", () => {
  const residual = add([mul(mul(transpose(W!), W!), x!), neg(x!)]);

  it("½‖WᵀWx − x‖²", () => {
    same("½‖WᵀWx − x‖²", mul(half, pow(call("norm", [residual]), num(2))));
    same("\\frac{1}{2}\\|W^\\top W x - x\\|_2^2", mul(half, pow(call("norm", [residual], undefined, "2"), num(2))));
    same("0.5*norm2(W'*W*x - x)^2", mul(half, pow(call("norm", [residual], undefined, "2"), num(2))));
    const keys = ["½‖WᵀWx − x‖²", "\\frac{1}{2}\\|W^\\top W x - x\\|_2^2", "0.5*norm2(W'*W*x - x)^2"].map((s) => dropNormSub(p(s)));
    expect(new Set(keys).size).toBe(1);
  });

  it("−D/2 log|K| − ½ tr(K⁻¹YYᵀ)", () => {
    const trace = tr(mul(mul(inv(K!), Y!), transpose(Y!)));
    same("−D/2 log|K| − ½ tr(K⁻¹YYᵀ)", add([neg(mul(div(D!, num(2)), call("log", [bars(K!)]))), neg(mul(half, trace))]));
    same(
      "-\\frac{D}{2}\\log|K| - \\frac{1}{2}\\operatorname{tr}(K^{-1}YY^T)",
      add([neg(mul(div(D!, num(2)), call("log", [bars(K!)]))), neg(mul(half, trace))]),
    );
    same("-D/2*logdet(K) - 1/2*trace(inv(K)*Y*Y')", add([neg(mul(div(D!, num(2)), call("logdet", [K!]))), neg(mul(half, trace))]));
  });

  it("αXXᵀ + β⁻¹I", () => {
    const e = add([mul(mul(α, X!), transpose(X!)), mul(inv(β), identity())]);
    same("αXXᵀ + β⁻¹I", e);
    same("\\alpha X X^\\top + \\beta^{-1} I", e);
    same("alpha*X*X' + beta^-1*I", e);
    same("alphaXX^T + beta^{-1}I", e);
  });
});

describe("symbols and words", () => {
  it("splits words into letters, Greek names and declared names", () => {
    same("WᵀWx", mul(mul(transpose(W!), W!), x!));
    same("αXXᵀ", mul(mul(α, X!), transpose(X!)));
    same("alphaX", mul(α, X!));
    same("Xalpha", mul(X!, α));
    same("alphabeta", mul(α, β));
    same("Wx_1", mul(W!, sym("x_1")));
    same("W1x", mul(sym("W1"), x!), ["W1"]);
    same("W1x", mul(mul(W!, num(1)), x!));
    same("Loss + 2", add([sym("Loss"), num(2)]), ["Loss"]);
    same("alpha1 + alpha", add([sym("alpha1"), α]), ["alpha1"]);
    // a word before `(` made of declared names and Greek letters is a product, not a call
    same("xy(a)", mul(mul(x!, sym("y")), sym("a")), ["x", "y"]);
    same("alpha(a + b)", mul(α, add([sym("a"), sym("b")])));
    same("I", sym("I"), ["I"]);
  });

  it("reads subscripts in every spelling", () => {
    for (const s of ["x_1", "x₁", "x_{1}", "x_{ 1 }"]) same(s, sym("x_1"));
    same("x_{ij}", sym("x_ij"));
    same("x₁₂", sym("x_12"));
    same("α_1 + \\alpha_1 + alpha_1 + α₁", add([sym("α_1"), sym("α_1"), sym("α_1"), sym("α_1")]));
  });

  it("gives Greek letters one canonical name", () => {
    same("α + alpha + \\alpha", add([α, α, α]));
    same("Σ + Sigma + \\Sigma", add([sym("Σ"), sym("Σ"), sym("Σ")]));
    same("ϵ + \\epsilon + \\varepsilon + epsilon", add([sym("ε"), sym("ε"), sym("ε"), sym("ε")]));
    same("\\phi + \\varphi + ϕ", add([sym("φ"), sym("φ"), sym("φ")]));
  });

  it("reads constants", () => {
    same("I", identity());
    same("I_n + I_{3}", add([identity("n"), identity(3)]));
    same("𝟙 + ones + \\mathbf{1}", add([call("ones", []), call("ones", []), call("ones", [])]));
    same("0", num(0));
    same("\\mathbf{x} + \\boldsymbol{\\alpha}", add([x!, α]));
  });

  it("NFC-normalises, and spans point into the original text", () => {
    same("\u2126 + \u212A", add([sym("Ω"), K!])); // ohm sign → Ω, kelvin sign → K
    same("\u2329A, B\u232A", call("dot", [A!, B!])); // 〈 〉 → ⟨ ⟩
    // e + combining acute is one character after NFC: offsets still count in the original
    const e = p("% e\u0301 note\nx + y");
    expect(e.span).toEqual({ start: 10, end: 15 });
    try {
      p("a + e\u0301 + b");
      expect.unreachable();
    } catch (err) {
      expect((err as { span: unknown }).span).toEqual({ start: 4, end: 6 });
    }
  });
});

describe("numbers", () => {
  it("reads exact rationals in every spelling", () => {
    for (const s of ["½", "\\frac{1}{2}", "\\tfrac12", "\\dfrac{1}{2}", "\\frac 1 2", "0.5", "1/2", ".5"]) same(s, half);
    same("¾", num(3, 4));
    same("⅓ + ⅔ + ¼ + ⅕ + ⅛", add([num(1, 3), num(2, 3), num(1, 4), num(1, 5), num(1, 8)]));
    same("0.25", num(1, 4));
    same("12", num(12));
  });

  it("keeps a division by something that is not an integer literal", () => {
    same("\\frac{A}{B}", div(A!, B!));
    same("\\frac{D}{2}", div(D!, num(2)));
    same("(1)/2", div(num(1), num(2)));
    same("1/0", div(num(1), num(0)));
    same("0.5/2", div(half, num(2)));
    same("1/2/3", div(half, num(3)));
    same("2x/3", div(mul(num(2), x!), num(3)));
  });

  it("juxtaposes numbers and symbols", () => {
    same("2x", mul(num(2), x!));
    same("½x", mul(half, x!));
    same("x2", mul(x!, num(2)));
  });
});

describe("operators", () => {
  it("reads products in every spelling, left-associative", () => {
    const abc = mul(mul(A!, B!), sym("C"));
    for (const s of ["ABC", "A B C", "A·B·C", "A⋅B⋅C", "A*B*C", "A \\cdot B \\cdot C", "A \\times B × C", "A*B C"]) same(s, abc);
  });

  it("gives division the precedence of a product", () => {
    same("−D/2 log|K|", neg(mul(div(D!, num(2)), call("log", [bars(K!)]))));
    same("a/b c", mul(div(sym("a"), sym("b")), sym("c")));
    same("a b/c", div(mul(sym("a"), sym("b")), sym("c")));
  });

  it("flattens sums and reads differences as negated terms", () => {
    same("a + b − c - d", add([sym("a"), sym("b"), neg(sym("c")), neg(sym("d"))]));
    same("a + (b + c)", add([sym("a"), add([sym("b"), sym("c")])]));
    same("(a + b) + c", add([add([sym("a"), sym("b")]), sym("c")]));
  });

  it("reads unary minus where it is allowed", () => {
    same("-a", neg(sym("a")));
    same("−a b", neg(mul(sym("a"), sym("b"))));
    same("a - -b", add([sym("a"), neg(neg(sym("b")))]));
    same("a + −b", add([sym("a"), neg(sym("b"))]));
    same("a * -b", mul(sym("a"), neg(sym("b"))));
    same("a · −b c", mul(mul(sym("a"), neg(sym("b"))), sym("c")));
    same("(-a)", neg(sym("a")));
    same("[-a]", neg(sym("a")));
    same("{-a}", neg(sym("a")));
    same("|−a|", bars(neg(sym("a"))));
    same("dot(-a, -b)", call("dot", [neg(sym("a")), neg(sym("b"))]));
  });

  it("reads Hadamard and Kronecker products looser than products (NOTATION.md)", () => {
    const h = (a: Expr, b: Expr) => call("hadamard", [a, b]);
    for (const s of ["A ⊙ B", "A ∘ B", "A .* B", "A \\odot B", "A \\circ B", "hadamard(A, B)"]) same(s, h(A!, B!));
    for (const s of ["A ⊘ B", "A ./ B", "A \\oslash B", "hdiv(A, B)"]) same(s, call("hdiv", [A!, B!]));
    for (const s of ["A ⊗ B", "A \\otimes B", "kron(A, B)"]) same(s, call("kron", [A!, B!]));
    same("A ⊙ B C", h(A!, mul(B!, sym("C"))));
    same("A B ⊙ C", h(mul(A!, B!), sym("C")));
    same("A \\odot B \\cdot C", h(A!, mul(B!, sym("C"))));
    same("A .* B*C ./ D", call("hdiv", [h(A!, mul(B!, sym("C"))), sym("D")]));
    same("AC ⊗ BD", call("kron", [mul(A!, sym("C")), mul(B!, sym("D"))]));
    same("(A ⊙ B) C", mul(h(A!, B!), sym("C")));
  });
});

describe("postfix operators", () => {
  it("transposes in every spelling", () => {
    for (const s of ["Xᵀ", "X'", "X^T", "X^\\top", "X^{T}", "X^{\\top}", "X^⊤", "X’", "X^\\intercal", "X^{\\mathsf{T}}", "X^{\\mathsf T}", "X^\\mathsf{T}", "X^{\\!\\top}", "X^\\mathrm{T}"]) same(s, transpose(X!));
    // a prime (not an apostrophe) makes a new name: X′ is not Xᵀ
    for (const s of ["X′", "X^{\\prime}", "X^\\prime"]) same(s, sym("Xprime"));
  });

  it("inverts in every spelling", () => {
    for (const s of ["X⁻¹", "X^-1", "X^{-1}", "inv(X)", "X^(-1)"]) same(s, inv(X!));
    for (const s of ["X⁻ᵀ", "X^-T", "X^{-T}", "X^{-\\top}"]) same(s, transpose(inv(X!)));
    same("X⁻¹ᵀ", transpose(inv(X!)));
    same("Xᵀ⁻¹", inv(transpose(X!)));
  });

  it("raises to number powers", () => {
    for (const s of ["x²", "x^2", "x^{2}", "x^(2)"]) same(s, pow(x!, num(2)));
    for (const s of ["x⁻²", "x^{-2}", "x^-2"]) same(s, pow(x!, num(-2)));
    for (const s of ["X^{1/2}", "X^{0.5}", "X^{\\frac{1}{2}}"]) same(s, pow(X!, half));
    same("x³", pow(x!, num(3)));
    same("x^10", pow(x!, num(10)));
  });

  it("binds tighter than products and applies to the preceding atom", () => {
    same("2x²", mul(num(2), pow(x!, num(2))));
    same("X^Tx", mul(transpose(X!), x!));
    same("(AB)ᵀ", transpose(mul(A!, B!)));
    same("A'B'", mul(transpose(A!), transpose(B!)));
    same("‖x‖²", pow(call("norm", [x!]), num(2)));
    same("tr(X)²", pow(tr(X!), num(2)));
    same("tr X²", tr(pow(X!, num(2))));
  });
});

describe("functions", () => {
  it("reads trace in every spelling", () => {
    for (const s of ["tr(X)", "Tr X", "trace(X)", "\\operatorname{tr}(X)", "\\mathrm{tr}\\,X", "\\text{tr}(X)", "\\tr X", "tr X", "\\operatorname{Tr}\\left(X\\right)", "tr[X]"])
      same(s, tr(X!));
  });

  it("reads determinants, logs and their combinations", () => {
    same("det(X)", call("det", [X!]));
    same("\\det X", call("det", [X!]));
    same("det X⁻¹", call("det", [inv(X!)]));
    same("log det X", call("log", [call("det", [X!])]));
    same("\\log\\det X", call("log", [call("det", [X!])]));
    same("log(det(X))", call("log", [call("det", [X!])]));
    same("logdet(X)", call("logdet", [X!]));
    same("log|K|", call("log", [bars(K!)]));
    same("\\log\\left|K\\right|", call("log", [bars(K!)]));
    same("ln(x) + \\ln x", add([call("log", [x!]), call("log", [x!])]));
    same("exp(x) + \\exp x", add([call("exp", [x!]), call("exp", [x!])]));
  });

  it("reads square roots", () => {
    for (const s of ["√x", "sqrt(x)", "\\sqrt{x}", "\\sqrt x", "√(x)"]) same(s, call("sqrt", [x!]));
    same("√(x+y)", call("sqrt", [add([x!, sym("y")])]));
    same("\\sqrt{x}^2", pow(call("sqrt", [x!]), num(2)));
  });

  it("reads multi-argument functions", () => {
    same("dot(A, B)", call("dot", [A!, B!]));
    same("⟨A, B⟩", call("dot", [A!, B!]));
    same("\\langle A, B \\rangle", call("dot", [A!, B!]));
    same("kron(A,B)", call("kron", [A!, B!]));
    same("norm(X, 'fro')", call("norm", [X!], undefined, "F"));
    same('norm(X, "fro")', call("norm", [X!], undefined, "F"));
    same("norm(x, 1)", call("norm", [x!], undefined, "1"));
    same("norm(x,2)", call("norm", [x!], undefined, "2"));
    same("norm2(x)", call("norm", [x!], undefined, "2"));
    same("norm(x)", call("norm", [x!]));
    same("abs(a)", call("abs", [sym("a")]));
    same("grad(L, X)", call("grad", [L!, X!]));
  });

  it("reads the planned functions", () => {
    for (const f of ["sin", "cos", "tanh", "sigmoid", "softplus", "relu", "softmax", "logsumexp", "sum", "diag"])
      same(`${f}(x)`, call(f, [x!]));
    same("\\sin x + \\cos x + \\tanh x", add([call("sin", [x!]), call("cos", [x!]), call("tanh", [x!])]));
    same("\\operatorname{softmax}(x)", call("softmax", [x!]));
    same("\\operatorname{diag}(x)", call("diag", [x!]));
  });

  it("gives a bare function one factor", () => {
    same("tr A + B", add([tr(A!), B!]));
    same("tr A · B", mul(tr(A!), B!));
    same("tr(A) B", mul(tr(A!), B!));
    same("tr (A) B", mul(tr(A!), B!));
    same("2 tr A", mul(num(2), tr(A!)));
    same("tr |A| B", mul(tr(bars(A!)), B!));
    same("tr A/2", div(tr(A!), num(2)));
  });
});

describe("bars and norms", () => {
  it("pairs bars", () => {
    same("|X|", bars(X!));
    same("|A||B|", mul(bars(A!), bars(B!)));
    same("|a|b|c|", mul(mul(bars(sym("a")), sym("b")), bars(sym("c"))));
    same("|x| - |y|", add([bars(x!), neg(bars(sym("y")))]));
    same("| |x| + y |", bars(add([bars(x!), sym("y")])));
    same("\\left| a |b| \\right|", bars(mul(sym("a"), bars(sym("b")))));
    same("\\lvert x \\rvert + \\vert y \\vert", add([bars(x!), bars(sym("y"))]));
  });

  it("reads norms in every spelling", () => {
    const n = (sub?: string) => call("norm", [x!], undefined, sub);
    for (const s of ["‖x‖", "\\|x\\|", "||x||", "\\lVert x \\rVert", "\\Vert x \\Vert", "\\left\\| x \\right\\|", "∥x∥"]) same(s, n());
    for (const s of ["‖x‖₂", "‖x‖_2", "\\|x\\|_{2}", "\\lVert x \\rVert_2", "||x||_2"]) same(s, n("2"));
    for (const s of ["‖x‖_F", "‖x‖_{F}", "\\|x\\|_F"]) same(s, n("F"));
    for (const s of ["‖x‖₁", "‖x‖_1"]) same(s, n("1"));
    same("\\|x\\|_2^2", pow(n("2"), num(2)));
    same("‖ |a| x ‖", call("norm", [mul(bars(sym("a")), x!)]));
  });
});

describe("grouping and layout", () => {
  it("groups with every bracket and ignores layout", () => {
    const e = mul(add([A!, B!]), sym("C"));
    for (const s of ["(A+B)C", "[A+B]C", "{A+B}C", "\\left(A+B\\right)C", "\\bigl(A+B\\bigr)C", "\\Bigl[A+B\\Bigr]C", "\\big(A+B\\big)C", "\\displaystyle (A + B)\\,C", "(A\\;+\\!B)\\quad C", "(A~+~B)\\qquad C", "(A\n+ B) C"])
      same(s, e);
  });
});

describe("derivatives", () => {
  it("reads every spelling of ∂L/∂X", () => {
    for (const s of ["∂L/∂X", "dL/dX", "\\frac{\\partial L}{\\partial X}", "\\frac{dL}{dX}", "∇_X L", "\\nabla_X L", "\\nabla_{X} L", "grad(L, X)", "\\partial L / \\partial X", "\\frac{\\mathrm{d}L}{\\mathrm{d}X}"])
      same(s, call("grad", [L!, X!]));
    same("dalpha/dbeta", call("grad", [α, β]));
    same("\\frac{dL}{dd}", call("grad", [L!, sym("d")]));
    same("\\frac{d\\delta_1}{df}", call("grad", [sym("δ_1"), sym("f")]));
    same("∂L/∂X + 2", add([call("grad", [L!, X!]), num(2)]));
    same("(∂L/∂X)ᵀ", transpose(call("grad", [L!, X!])));
    same("∇_X L ᵀ", call("grad", [transpose(L!), X!]));
    same("\\frac{dx + y}{2}", div(add([mul(sym("d"), x!), sym("y")]), num(2)));
  });
});

describe("spans", () => {
  it("gives every node a span inside its parent's", () => {
    for (const s of ["½‖WᵀWx − x‖²", "−D/2 log|K| − ½ tr(K⁻¹YYᵀ)", "\\frac{1}{2}\\|W^\\top W x - x\\|_2^2", "𝟙ᵀx + ∇_X L"]) {
      const e = p(s);
      for (const n of postorder(e)) {
        expect(n.span, `${s}: ${key(n)}`).toBeDefined();
        expect(n.span!.start).toBeLessThan(n.span!.end);
        for (const c of n.args) {
          expect(c.span!.start).toBeGreaterThanOrEqual(n.span!.start);
          expect(c.span!.end).toBeLessThanOrEqual(n.span!.end);
        }
      }
    }
  });

  it("points at the source text", () => {
    const s = "½‖WᵀWx − x‖²";
    const e = p(s);
    expect(e.span).toEqual({ start: 0, end: s.length });
    const norm = e.args[1]!.args[0]!;
    expect(s.slice(norm.span!.start, norm.span!.end)).toBe("‖WᵀWx − x‖");
    const difference = norm.args[0]!.args[1]!;
    expect(s.slice(difference.span!.start, difference.span!.end)).toBe("− x");
    const t = "𝟙 + x"; // 𝟙 is two UTF-16 units
    expect(p(t).args[1]!.span).toEqual({ start: 5, end: 6 });
    const w = "alphaX";
    expect(p(w).args.map((a) => w.slice(a.span!.start, a.span!.end))).toEqual(["alpha", "X"]);
  });
});
