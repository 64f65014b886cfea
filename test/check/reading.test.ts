// Reading derivation files: the plain format of NOTATION.md, LaTeX and Markdown. Each case is a
// small file whose verdicts are known by hand.
import { describe, expect, it } from "vitest";
import { MatcalcError, checkText } from "../../src/index.js";
import { filesIn, markers, read } from "./helpers.js";

const verdicts = (text: string, file = "x.tex", where?: string) => {
  const r = checkText(text, { file, where });
  return { steps: r.claims.map((c) => `${c.line}:${c.verdict}`), unreadable: r.unreadable, claims: r.claims };
};

describe("the plain format", () => {
  it("let, :=, a chain continued by lines that start with =, identities, comments", () => {
    const r = verdicts(
      [
        "# comments start with # or %",
        "let X: m×n, Y: m×D, α, β: scalar",
        "K := αXXᵀ + β⁻¹I",
        "L := −D/2 log|K| − ½ tr(K⁻¹YYᵀ)   % a trailing comment",
        "∂L/∂X = −(D/2)α[(K⁻¹)ᵀ + K⁻¹]X + αK⁻ᵀYYᵀK⁻ᵀX",
        "      = α[−(D/2)(K⁻ᵀ + K⁻¹) + K⁻ᵀYYᵀK⁻ᵀ]X",
        "      = α[−DK⁻¹ + K⁻¹YYᵀK⁻¹]X",
        "tr(AB) = tr(BA)",
      ].join("\n"),
      "notation.mc",
    );
    expect(r.unreadable).toEqual([]);
    expect(r.steps).toEqual(["5:ok", "6:ok", "7:ok", "8:ok"]);
  });

  it("several = on one line are several steps, each with its column", () => {
    const r = verdicts("let x: n\nL := xᵀx\n∂L/∂x = 2x = x + x = 2Ix = 3x", "a.mc");
    expect(r.claims.map((c) => [c.column, c.verdict])).toEqual([
      [1, "ok"],
      [14, "ok"],
      [22, "ok"],
      [28, "wrong"],
    ]);
  });

  it("`K = …` with K a new name defines K; written again, it is a claim about K", () => {
    const r = verdicts("let X: m×n\nK = XXᵀ + I\nK = I + XXᵀ\nK = XᵀX + I", "a.mc");
    expect(r.unreadable).toEqual([]);
    expect(r.steps).toEqual(["3:ok", "4:wrong"]);
  });

  it("definitions may come after the lines that use them (written top-down, as in the seed)", () => {
    const r = verdicts("let W: n×n, x: n\nL = ½ b\nb = cᵀc\nc = Wx − x\ndL/dc = c\ndL/db = ½", "a.mc");
    expect(r.unreadable).toEqual([]);
    expect(r.steps).toEqual(["5:ok", "6:ok"]);
  });

  it("--where declares for every file; a literal 0 is the zero of the other side's shape", () => {
    const r = verdicts("L := tr(AX) − tr(XA)\n∂L/∂X = Aᵀ − Aᵀ\n      = 0", "a.mc", "A, X: n×n");
    expect(r.steps).toEqual(["2:ok", "3:ok"]);
  });

  it("sections (---) are separate problems: names may be defined again", () => {
    const r = verdicts("let x: n\n---\nb := xᵀx\n∂b/∂x = 2x\n---\nlet W: m×n\nb = ‖Wx‖²\n∂b/∂x = 2WᵀWx", "a.mc");
    expect(r.unreadable).toEqual([]);
    expect(r.steps).toEqual(["4:ok", "8:ok"]);
  });

  it("the corpus joined into one file with --- gives every section its own verdicts", () => {
    const files = filesIn("test/check/derivations/planted").filter((f) => f.endsWith(".mc")).slice(0, 12);
    let text = "";
    const expected: string[] = [];
    for (const f of files) {
      const body = read(f);
      const prefix = text + (text ? "\n" : "") + "---\n";
      const offset = prefix.split("\n").length - 1; // lines before the body's first
      text = prefix + body;
      const marks = new Map(markers(body).map((m) => [m.line, m.verdict]));
      for (const c of checkText(body, { file: f }).claims) expected.push(`${c.line + offset}:${marks.get(c.line) ?? "ok"}`);
    }
    const r = verdicts(text, "joined.mc");
    expect(r.unreadable).toEqual([]);
    expect(r.steps).toEqual(expected);
  });

  it("a line it cannot read is reported with its position and reason; the rest is still checked", () => {
    const r = verdicts("let x: n\nL := xᵀx\n∂L/∂x = 2x\n      = softmx(x)\n      = x + x\n      = 3x", "a.mc");
    expect(r.unreadable).toEqual([{ line: 4, column: 9, text: "softmx(x)", reason: expect.stringMatching(/softmax/) }]);
    // the step after the unreadable line is checked against the last line that could be read
    expect(r.steps).toEqual(["3:ok", "5:ok", "6:wrong"]);
  });

  it("a declaration that cannot be read stops the file with a positioned error", () => {
    try {
      checkText("# a header\nlet W: m×\nL := tr(W)", { file: "a.mc" });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(MatcalcError);
      expect((err as MatcalcError).format()).toMatch(/^2:\d+: /);
    }
  });

  it("a label before a claim on its line, (a) … or 2. …, is not part of the claim, and numbered steps stay one derivation", () => {
    const r = verdicts("let A: n×n, x, a, r: n\n(a) d/dx (a^T x) = a\nb) d/dx (x^T A x) = 2Ax\n1. L = ½‖r‖²\n2. L = ½ rᵀr\n3. ∂L/∂r = r\n", "hw.txt");
    expect(r.unreadable).toEqual([]);
    // L = ½ rᵀr is a claim about the L of step 1, not a definition of another L
    expect(r.steps).toEqual(["2:ok", "3:wrong", "5:ok", "6:ok"]);
  });

  it("\"Problem 2.\", \"Q1\", \"(b)\" start a problem or a part; a line in words without = is prose, not unreadable", () => {
    const r = verdicts(
      [
        "Problem 1. Gradient of the Gaussian log-likelihood w.r.t. Sigma",
        "let x, mu: d, Sigma: d×d spd",
        "L = -1/2 log det(Sigma) - 1/2 (x - mu)^T Sigma^{-1} (x - mu)",
        "Taking the gradient we get",
        "dL/dmu = Sigma^{-1}(x - mu)",
        "Problem 2.",
        "let A: n×n, x: n",
        "(a)",
        "d/dx (x^T A x) = (A + A^T) x",
        "Solution:",
        "(b)",
        "d(x^T A x)/dx = 2 A x",
      ].join("\n"),
      "hw.txt",
    );
    // x is a vector of d in problem 1 and of n in problem 2: each problem has its own
    expect(r.unreadable).toEqual([]);
    expect(r.steps).toEqual(["5:ok", "9:ok", "12:wrong"]);
  });
});

describe("LaTeX", () => {
  it("reads $$…$$, \\[…\\] and equation/align/aligned environments; & and \\\\ split steps", () => {
    const r = verdicts(String.raw`
% let A: m×n, x: n, b: m
\documentclass{article}
\begin{document}
Prose with an inline $x = 1$ is not a step.
$$L = \|Ax - b\|^2$$
\[ \nabla_x L = 2A^\top (Ax - b) \]
\begin{equation}
\frac{\partial L}{\partial x} = 2A^\top A x - 2A^\top b
\end{equation}
\begin{align*}
\frac{\partial L}{\partial x} &= 2A^\top(Ax - b) \\
  &= 2(A^\top A x - A^\top b) \label{eq:1} \\[2pt]
  &= 2A^\top A x - 2A^\top b \nonumber
\end{align*}
$$\begin{aligned} \nabla_x L &= 2A^T A x - 2A^T b \\ &= 2A^T (Ax - b) \end{aligned}$$
\end{document}`);
    expect(r.unreadable).toEqual([]);
    expect(r.steps).toEqual(["7:ok", "9:ok", "12:ok", "13:ok", "14:ok", "16:ok", "16:ok"]);
  });

  it("ignores \\left, \\right, \\quad, \\, and \\text{…} notes; keeps \\text{tr}", () => {
    const r = verdicts(String.raw`% let A, X: n×n
$$L = \text{tr}\left(A X\right) \quad \text{(the loss)}$$
$$\frac{\partial L}{\partial X} = \left(A\right)^{T} \, \quad \text{by the Cookbook, eq. (100)}$$`);
    expect(r.unreadable).toEqual([]);
    expect(r.steps).toEqual(["3:ok"]);
  });

  it("takes \\boxed{X} and \\underbrace{X}_{…} as X", () => {
    const r = verdicts(String.raw`% let W: m×n, x: n
$$L = \frac12 \|Wx\|^2$$
$$\frac{\partial L}{\partial W} = \underbrace{W x}_{m \times 1} \underbrace{x^T}_{1 \times n} = \boxed{W x x^\top}$$
$$\boxed{\begin{aligned} \frac{\partial L}{\partial x} &= W^T W x \\ &= (W^T W) x \end{aligned}}$$`);
    expect(r.unreadable).toEqual([]);
    expect(r.steps).toEqual(["3:ok", "3:ok", "4:ok", "4:ok"]);
  });

  it("two equations side by side (A = B \\quad C = D) are two claims; a note after \\rightarrow is dropped", () => {
    const r = verdicts(String.raw`% let A, B: n×n
$$\operatorname{tr}(AB) = \operatorname{tr}(BA) \quad (AB)^T = B^T A^T$$
$$ (AB)^{-1} = B^{-1} A^{-1} \rightarrow \text{trick from before}$$`);
    expect(r.unreadable).toEqual([]);
    expect(r.steps).toEqual(["2:ok", "2:ok", "3:ok"]);
  });

  it("in an align, only the row with a matrix written out is unreadable", () => {
    const r = verdicts(String.raw`% let x: n
$$L = x^T x$$
\begin{align}
\frac{dL}{dx} &= \begin{bmatrix} 2x_1 \\ 2x_2 \end{bmatrix} \\
  &= 2x \\
  &= x + x
\end{align}`);
    expect(r.unreadable.map((u) => [u.line, u.reason.slice(0, 30)])).toEqual([[4, "a matrix written out entry by "]]);
    // the next rows are checked against the line's left side, the last one that could be read
    expect(r.steps).toEqual(["5:ok", "6:ok"]);
  });

  it("a matrix written out entry by entry is unreadable, with the reason; the rest is checked", () => {
    const r = verdicts(String.raw`% let x: n
$$L = x^T x$$
$$\frac{dL}{dx} = \begin{bmatrix} 2x_1 \\ 2x_2 \end{bmatrix}$$
$$\frac{dL}{dx} = 2x$$`);
    expect(r.steps).toEqual(["4:ok"]);
    expect(r.unreadable).toHaveLength(1);
    expect(r.unreadable[0]).toMatchObject({ line: 3, reason: expect.stringMatching(/entry by entry/) });
  });

  it("a display starting with = continues the chain of the display before it; a trailing = is ignored", () => {
    const r = verdicts(String.raw`% let x: n, A: n×n
$$L = x^T A x$$
$$\frac{\partial L}{\partial x} = A x + A^T x =$$
Some words in between.
$$= (A + A^T) x$$
$$= 2 A x$$`);
    expect(r.steps).toEqual(["3:ok", "5:ok", "6:wrong"]);
  });

  it("positions are lines and columns of the file", () => {
    const r = verdicts("% let x: n\n\nText.\n\n$$L = x^T x$$\n\n$$\\frac{dL}{dx} = x$$\n");
    expect(r.claims.map((c) => [c.line, c.column, c.verdict])).toEqual([[7, 3, "wrong"]]);
  });

  it("\\section starts a new problem", () => {
    const r = verdicts(String.raw`\section{One}
% let x: n
$$b = x^T x$$
$$\frac{\partial b}{\partial x} = 2x$$
\section{Two}
% let X: n×n
$$b = \operatorname{tr}(X)$$
$$\frac{\partial b}{\partial X} = I$$`);
    expect(r.unreadable).toEqual([]);
    expect(r.steps).toEqual(["4:ok", "8:ok"]);
  });
});

describe("Markdown", () => {
  it("% let and <!-- let --> lines, headings as sections, fenced code skipped, ```math read", () => {
    const r = verdicts(
      [
        "<!-- let A: n×n -->",
        "# Homework",
        "## Problem 1",
        "% let x: n",
        "$$L = x^T A x$$",
        "```",
        "$$ this = is code, not math $$",
        "```",
        "```math",
        "\\frac{\\partial L}{\\partial x} = (A + A^T) x",
        "```",
        "## Problem 2",
        "<!-- let X: n×n -->",
        "$$L = \\operatorname{tr}(A X)$$",
        "$$\\frac{\\partial L}{\\partial X} = A^T$$",
      ].join("\n"),
      "hw.md",
    );
    expect(r.unreadable).toEqual([]);
    expect(r.steps).toEqual(["10:ok", "15:ok"]);
  });

  it("in Markdown a % in prose is not a comment", () => {
    const r = verdicts("<!-- let x: n -->\nOnly 50% of the class got this:\n$$L = x^T x$$\n$$\\nabla_x L = 2x$$", "a.md");
    expect(r.steps).toEqual(["4:ok"]);
  });
});

describe("derivatives written in a claim", () => {
  it("∂L/∂K⁻¹ is the adjoint of K⁻¹; ∂tr(XA)/∂X the derivative of an expression", () => {
    const r = verdicts("let X: m×n, Y: m×D, α, β: scalar\nK := αXXᵀ + β⁻¹I\nL := −½ tr(K⁻¹YYᵀ)\n∂L/∂K⁻¹ = −½YYᵀ\n∂L/∂K = −K⁻ᵀ ∂L/∂K⁻¹ K⁻ᵀ\n∂tr(K⁻¹YYᵀ)/∂K⁻¹ = YYᵀ", "a.mc");
    expect(r.unreadable).toEqual([]);
    expect(r.steps).toEqual(["4:ok", "5:ok", "6:ok"]);
  });

  it("∂c/∂d · G is the chain rule Σ Gᵢⱼ ∂cᵢⱼ/∂d, with G on either side", () => {
    const r = verdicts("let W: m×n, x: n, y: m\nz := Wx\nL := ½‖z − y‖²\n∂L/∂W = ∂z/∂W · ∂L/∂z\n∂L/∂W = ∂L/∂z · ∂z/∂W\n∂L/∂x = ∂z/∂x · (z − y)", "a.mc");
    expect(r.unreadable).toEqual([]);
    expect(r.steps).toEqual(["4:ok", "5:ok", "6:ok"]);
  });

  it("the operator forms \\frac{\\partial}{\\partial x}(…) and ∂/∂x (…) apply to the bracket after them, else to the rest", () => {
    const tex = verdicts(String.raw`% let A: n×n, x: n
$$\frac{\partial}{\partial x}\left(x^\top A x\right) + x = (A + A^\top)x + x$$
$$\frac{\partial}{\partial A} x^\top A x = x x^\top$$
$$\frac{d}{dx} (x^\top x) = 2x \qquad \frac{\mathrm{d}}{\mathrm{d}x} x^\top A x = 2Ax$$`);
    expect(tex.unreadable).toEqual([]);
    expect(tex.steps).toEqual(["2:ok", "3:ok", "4:ok", "4:wrong"]);
    const plain = verdicts("let A: n×n, x: n\n∂/∂x (xᵀAx) = (A + Aᵀ)x\n∂/∂A xᵀAx = xᵀx", "a.mc");
    expect(plain.steps).toEqual(["2:ok", "3:wrong"]);
  });

  it("a derivative may be named: G = ∂L/∂K defines G as the adjoint, and the chain goes on", () => {
    const r = verdicts("let X: m×n, Y: m×D, α, β: scalar\nK := αXXᵀ + β⁻¹I\nL := −½ tr(K⁻¹YYᵀ)\nG = ∂L/∂K = ½K⁻¹YYᵀK⁻¹\n∂L/∂X = 2αGX\n      = αG X", "a.mc");
    expect(r.unreadable).toEqual([]);
    expect(r.steps).toEqual(["4:ok", "5:ok", "6:wrong"]);
  });

  it("a Jacobian alone is checked (numerator layout); an undefined L and a derivative by a dimension are unreadable, with reasons", () => {
    const r = verdicts("let W: m×n, x: n\nz := Wx\n∂z/∂x = W\n∂Q/∂x = x\n∂(xᵀx)/∂m = x\n∂z/∂x = Wᵀ", "a.mc");
    expect(r.steps).toEqual(["3:ok", "6:wrong"]);
    expect(r.claims[1]!.reason).toMatch(/transpose of ∂z\/∂x.*numerator layout/);
    expect(r.unreadable.map((u) => [u.line, u.reason])).toEqual([
      [4, expect.stringMatching(/`Q` is not defined/)],
      [5, expect.stringMatching(/dimension/)],
    ]);
  });
});

describe("documents as typed in Overleaf and Jupyter (NOTATION.md, \"As people write it\")", () => {
  it("an unreadable claim makes the file not ok; a chain whose first expression cannot be read has no ok step", () => {
    const r = checkText("let x: n\nL := softmx(x)\n∂L/∂x = 2x\n      = x + x\n      = 3x\n", { file: "a.mc" });
    expect(r.ok).toBe(false);
    expect(r.unreadable.map((u) => u.line)).toEqual([2, 3]);
    expect(r.claims.map((c) => `${c.line}:${c.verdict}`)).toEqual(["4:carried", "5:wrong"]);
    expect(r.claims[0]!.reason).toMatch(/chain starts at line 3 with an expression that could not be read/);
  });

  it("a one-line claim that fails is not said to fail \"from\" its own line", () => {
    const r = checkText("let A, B: n×n\ntr(AB) = tr(A)tr(B)\nAB = BA\n", { file: "a.mc" });
    for (const c of r.claims) {
      expect(c.verdict).toBe("wrong");
      expect(c.reason).not.toMatch(/from line/);
    }
  });

  it("`% let` after a title holds under the later headings; a \\section*'s definitions hold in its \\subsection*", () => {
    const md = verdicts("# Homework\n% let X: n×d, w: d, y: n\n\n## Problem 1\n$$L = \\|Xw - y\\|^2$$\n### (a)\n$$\\nabla_w L = 2X^\\top(Xw - y)$$\n", "a.md");
    expect(md.unreadable).toEqual([]);
    expect(md.steps).toEqual(["7:ok"]);
    const tex = verdicts("\\section*{P}\n% let S: n×n spd, x: n\n\\[ q = x^\\top S x \\]\n\\subsection*{(a)}\n\\[ \\frac{\\partial q}{\\partial x} = 2Sx \\]\n", "a.tex");
    expect(tex.unreadable).toEqual([]);
    expect(tex.steps).toEqual(["5:ok"]);
  });

  it("a later problem may use the same intermediate names; a definition that used an old one is stale where it is used", () => {
    const r = verdicts("% let x: n, W: m×n, A: n×n\n\\section*{1}\n\\[ c = Wx, \\quad L = c^\\top c \\]\n\\[ \\nabla_x L = 2W^\\top c \\]\n\\section*{2}\n\\[ c = Ax \\]\n\\[ \\nabla_x L = 2A^\\top c \\]\n\\section*{3}\n\\[ c = x \\]\n", "a.tex");
    expect(r.steps).toEqual(["4:ok"]);
    expect(r.unreadable).toHaveLength(1);
    expect(r.unreadable[0]).toMatchObject({ line: 7, reason: expect.stringMatching(/`L` \(line 3\) was defined with the `c` of before line 6/) });
  });

  it("declarations in prose: Let $X \\in \\mathbb{R}^{n\\times d}$, $\\lambda > 0$, symmetric positive definite", () => {
    const r = verdicts(
      "Let $X \\in \\mathbb{R}^{n\\times d}$ and $\\boldsymbol{\\mu}\\in\\mathbb{R}^d$, where $\\lambda>0$ and $\\Sigma\\in\\mathbb{R}^{d\\times d}$ is symmetric positive definite.\n\\[ f = \\mu^\\top \\Sigma \\mu + \\lambda \\|X\\mu\\|^2 \\]\n\\[ \\nabla_\\mu f = 2\\Sigma\\mu + 2\\lambda X^\\top X \\mu \\]\n",
      "a.tex",
    );
    expect(r.unreadable).toEqual([]);
    expect(r.steps).toEqual(["3:ok"]);
  });

  it("\\DeclareMathOperator and \\newcommand without arguments are expanded; positions stay those of the file", () => {
    const r = verdicts("\\DeclareMathOperator{\\tr}{tr}\n\\newcommand{\\bx}{\\mathbf{x}}\n\\newcommand{\\half}[1]{\\frac{#1}{2}}\n% let A: n×n, x: n\n\\[ \\tr(A\\bx\\bx^\\top) = \\bx^\\top A \\bx = \\bx^\\top A^\\top \\bx \\qquad \\tr(A) = \\tr(A^\\top) + 1 \\]\n", "a.tex");
    expect(r.unreadable).toEqual([]);
    expect(r.claims.map((c) => `${c.line}:${c.column}:${c.verdict}`)).toEqual(["5:4:ok", "5:41:ok", "5:68:wrong"]);
  });

  it("pasted homework: a line that is only a label (1., 2), **Problem 3**, (b)) starts a problem or a part; $b = \\|c\\|^2 = c^T c$ in prose defines b", () => {
    const text = [
      "1.",
      "",
      "d.",
      "",
      "$$L = \\frac{1}{2} b$$",
      "",
      "Scalar $b = \\|c\\|^2 = c^T c$, with $c = W x - y$.",
      "",
      "$$\\frac{dL}{db} = \\frac{1}{2}$$",
      "$$\\frac{dL}{dc} = \\frac{db}{dc} \\cdot \\frac{dL}{db} = 2c \\cdot \\frac{1}{2} = c$$",
      "$$\\frac{dL}{dW} = c x^T$$",
      "",
      "2.",
      "",
      "$$b = \\log|K|$$",
      "$$\\frac{\\partial b}{\\partial K} = K^{-1}$$",
      "",
    ].join("\n");
    const r = verdicts(text, "seed.md");
    expect(r.unreadable).toEqual([]);
    // b is ½‖c‖²'s b in problem 1 and log|K| in problem 2 (K undeclared: a general matrix, so K⁻ᵀ)
    expect(r.steps).toEqual(["9:ok", "10:ok", "10:ok", "10:ok", "11:ok", "16:wrong"]);
    expect(r.claims.at(-1)!.expected).toBe("K⁻ᵀ");
  });

  it("\\(…\\) is inline math as $…$ is (MathJax, LaTeX): it declares, defines, claims and states conditions; an unclosed \\( is prose", () => {
    const r = verdicts(
      "Let \\(x \\in \\mathbb{R}^n\\), \\(A \\in \\mathbb{R}^{n\\times n}\\), \\(f(x) = x^\\top A x\\).\n\nWe have \\(\\nabla f(x) = 2Ax\\). If \\(A\\) is symmetric, \\(\\nabla f(x) = 2Ax\\). Cost: 3\\(\n",
      "a.md",
    );
    expect(r.unreadable).toEqual([]);
    expect(r.steps).toEqual(["3:wrong", "3:ok"]);
  });

  it("a definition in index notation gives way to its matrix form written after it, and is reported unreadable", () => {
    const r = verdicts(
      "Let $x \\in \\mathbb{R}^n$, $A \\in \\mathbb{R}^{n \\times n}$.\n$$f(x) = \\sum_{i}\\sum_{j} x_i A_{ij} x_j$$\nIn matrix form,\n$$f(x) = x^\\top A x$$\n$$\\nabla f(x) = (A + A^\\top) x$$\n$$\\nabla f(x) = 2 A x$$\n",
      "a.md",
    );
    expect(r.steps).toEqual(["5:ok", "6:wrong"]);
    expect(r.unreadable.map((u) => `${u.line}:${u.reason}`)).toEqual([expect.stringMatching(/^2:a definition of f in index notation .* matrix form on line 4$/)]);
  });

  it("an equation that asks where a derivative vanishes (\"setting the gradient to zero\", = 0 ⟹ …) is not a claim that it does", () => {
    const preamble = "Let $A \\in \\mathbb{R}^{n\\times n}$ be symmetric, $b, x \\in \\mathbb{R}^n$, $f(x) = \\frac{1}{2}x^\\top A x - b^\\top x$.\n";
    const r = verdicts(
      preamble +
        "$$\\nabla f(x) = Ax - b = 0 \\implies x = A^{-1} b$$\nSetting the gradient to zero:\n$$\\nabla f(x) = 0$$\nSolving $\\nabla f(x) = 0$ gives $x^* = A^{-1}b$.\n" +
        "The gradient of a constant is zero: $\\nabla_x b^\\top b = 0$; but $\\nabla f(x) = 0$ is a claim.\n",
      "a.md",
    );
    expect(r.unreadable).toEqual([]);
    // the first line's Ax − b is still checked; the last two are claims (one right, one wrong)
    expect(r.steps).toEqual(["2:ok", "6:ok", "6:wrong"]);
  });

  it("\\nabla_{w_2} and \\nabla_{\\mathbf{W}_1}: a subscripted name as the variable", () => {
    const r = verdicts(
      "Let $W_1 \\in \\mathbb{R}^{m \\times d}$, $w_2 \\in \\mathbb{R}^m$, $x \\in \\mathbb{R}^d$ and $f = w_2^\\top W_1 x$.\n$$\\nabla_{w_2} f = W_1 x$$\n$$\\nabla_{\\mathbf{W}_{1}} f = w_2 x^\\top$$\n$$\\nabla_{W_1} f = x w_2^\\top$$\n",
      "a.md",
    );
    expect(r.unreadable).toEqual([]);
    expect(r.steps).toEqual(["2:ok", "3:ok", "4:wrong"]);
  });

  it("macros with arguments are expanded: \\newcommand{\\norm}[1]{…}, an optional first argument, \\def, one-token arguments", () => {
    const preamble = [
      "\\newcommand{\\R}{\\mathbb{R}}",
      "\\newcommand{\\norm}[1]{\\left\\lVert #1 \\right\\rVert}",
      "\\newcommand{\\pd}[2][\\mathbf{w}]{\\frac{\\partial #2}{\\partial #1}}",
      "\\def\\vv#1{\\mathbf{#1}}",
      "Let $X \\in \\R^{n \\times d}$, $\\vv y \\in \\R^n$, $\\vv w \\in \\R^d$.",
    ].join("\n");
    const r = verdicts(
      `${preamble}\n\\[ \\pd{} \\norm{X\\vv w - \\vv y}_2^2 = 2X^\\top(X\\vv w - \\vv y) \\]\n\\[ \\pd[\\vv y]{\\norm{X\\vv{w} - \\vv y}^2} = 2(X\\vv w - \\vv y) \\]\n\\[ \\pd{\\norm{\\vv w}^2} = \\vv w \\]\n`,
      "a.tex",
    );
    expect(r.unreadable).toEqual([]);
    // by y the sign flips (a wrong claim stays wrong); ∂‖w‖²/∂w is 2w: positions are the file's
    expect(r.claims.map((c) => `${c.line}:${c.column}:${c.verdict}`)).toEqual(["6:4:ok", "7:4:wrong", "8:4:wrong"]);
    // \norm{x}y is ‖x‖y, not the command \rVerty
    expect(verdicts(`${preamble}\n\\[ \\norm{\\vv w}X = X\\norm{\\vv w} \\]\n`, "a.tex").steps).toEqual(["6:ok"]);
  });

  it("a row holds several equations (, ; \\quad \\text{and}); a trailing , or . ends it; a remark in \\text{( … )} is a note", () => {
    const r = verdicts(
      "% let W: m×n, x: n\n\\begin{align}\n z &= Wx, \\qquad p = \\operatorname{softmax}(z). \\label{a}\\\\\n \\frac{\\partial p}{\\partial z} &= \\operatorname{diag}(p) - pp^\\top \\text{ and } \\frac{\\partial z}{\\partial x} = W ;\\tag{2}\\\\\n p^\\top \\mathbf{1} &= 1 \\quad \\text{(since } \\mathbf{1}^\\top p = 1\\text{)} \\nonumber\n\\end{align}\n",
      "a.tex",
    );
    expect(r.unreadable).toEqual([]);
    expect(r.steps).toEqual(["4:ok", "4:ok", "5:ok"]);
  });

  it("a function-style left side L(w) = … defines L, and L(w) is L where it is written again", () => {
    const r = verdicts(
      "% let X: n×d, w: d, y: n\n\\[ \\mathcal{L}(\\mathbf{w}) = \\|X\\mathbf{w} - \\mathbf{y}\\|^2 \\]\n\\[ \\frac{\\partial \\mathcal{L}(\\mathbf w)}{\\partial \\mathbf{w}} = 2X^\\top(X\\mathbf{w} - \\mathbf{y}) \\]\n\\[ \\mathcal{L}(\\mathbf{w}) = \\mathbf{w}^\\top X^\\top X \\mathbf{w} - 2\\mathbf{y}^\\top X\\mathbf{w} + \\mathbf{y}^\\top\\mathbf{y} \\]\n",
      "a.tex",
    );
    expect(r.unreadable).toEqual([]);
    expect(r.steps).toEqual(["3:ok", "4:ok"]);
  });

  it("`E, where s = F` defines s for the claim it ends, in a plain line as in LaTeX; a wrong one is still wrong", () => {
    const plain = "let W: k×n, x: n, y: k\nL := ‖Wx − y‖²\n∂L/∂W = 2ryᵀ, where r = Wx − y\n∂L/∂W = 2rxᵀ, where r = Wx − y\n";
    const p = verdicts(plain, "a.mc");
    expect(p.unreadable).toEqual([]);
    expect(p.steps).toEqual(["3:wrong", "4:ok", "4:ok"]);
    const tex = verdicts(
      "% let W: k×n, x: n, y: k\n\\[ L = \\|Wx - y\\|^2 \\]\n\\[ \\frac{\\partial L}{\\partial W} = 2\\mathbf{r}x^\\top, \\quad \\text{where } \\mathbf{r} = Wx - y \\]\n",
      "a.tex",
    );
    expect(tex.unreadable).toEqual([]);
    expect(tex.steps).toEqual(["3:ok"]);
  });

  it("a vector that sums to one, in prose: \\sum_i y_i = 1, \\mathrm{sum}(y) = 1, Σᵢ yᵢ = 1, \"one-hot\", \"probability vector\"", () => {
    const problem = (said: string) =>
      `Let $W \\in \\mathbb{R}^{k\\times n}$, $x \\in \\mathbb{R}^n$ and $y \\in \\mathbb{R}^k$${said}.\n\\[ \\frac{\\partial}{\\partial W}\\left(-y^\\top \\log(\\operatorname{softmax}(Wx))\\right) = (\\operatorname{softmax}(Wx) - y)x^\\top \\]\n`;
    const said = [
      " with $\\sum_i y_i = 1$",
      " with $\\sum_{i=1}^{k} \\mathbf{y}_{i} = 1$",
      " with $\\textstyle\\sum\\limits_{j} y_j=1$",
      " with $Σᵢ yᵢ = 1$",
      " with $\\mathrm{sum}(y) = 1$",
      " with $\\text{sum}(y) = 1$",
      ", a one-hot label",
      " a probability vector",
    ];
    for (const s of said) expect(verdicts(problem(s), "a.md").steps, s).toEqual(["2:ok"]);
    // without it, or with an index that is not the vector's, the step needs sum(y) = 1: wrong
    for (const s of ["", " with $\\sum_i y_j = 1$", ", a label"]) expect(verdicts(problem(s), "a.md").steps, s).toEqual(["2:wrong"]);
  });

  it("∇f(x) of a function-style f(x) is the gradient by x and ∇∇f(x), ∇²f(x) the Hessian, in LaTeX and in Unicode; a wrong one is wrong", () => {
    const tex = verdicts(
      "Consider $f(\\x) = \\log(1 + \\x^\\top A^{-1}\\x)$ where $A \\in \\R^{n\\times n}$ is symmetric positive definite and $\\x \\in \\R^n$.\n\\[ \\nabla f(\\x) = \\frac{2 A^{-1}\\x}{1 + \\x^\\top A^{-1}\\x} \\]\n\\[ \\nabla f\\left(\\mathbf x\\right) = \\frac{A^{-1}\\x}{1 + \\x^\\top A^{-1}\\x} \\]\n".replace(
        /^/,
        "\\newcommand{\\x}{\\mathbf{x}}\n\\newcommand{\\R}{\\mathbb{R}}\n",
      ),
      "a.tex",
    );
    expect(tex.unreadable).toEqual([]);
    expect(tex.steps).toEqual(["4:ok", "5:wrong"]);
    const plain = verdicts("let A: n×n spd, x: n\nf(x) := log(1 + xᵀA⁻¹x)\n∇f(x) = 2A⁻¹x/(1 + xᵀA⁻¹x)\n∇ f(x) = 2A⁻¹x\n", "a.mc");
    expect(plain.unreadable).toEqual([]);
    expect(plain.steps).toEqual(["3:ok", "4:wrong"]);
    // the Hessian as Bishop and Boyd write it: ∇∇E(w), ∇²f(x), \nabla^2 f(x)
    const hessians = verdicts("let A: n×n spd, x: n\ng(x) := xᵀAx\n∇²g(x) = 2A\n∇∇g(x) = 2A\n\\nabla^2 g(x) = 2A\n\\nabla\\nabla g(x) = A\n", "a.mc");
    expect(hessians.unreadable).toEqual([]);
    expect(hessians.steps).toEqual(["3:ok", "4:ok", "5:ok", "6:wrong"]);
  });

  it("a scalar added to a vector is added to each entry in definitions and claims: h ⊙ (1 − h)", () => {
    const r = verdicts("let x: n\nf := sum(log(1 + exp(x)))\n∂f/∂x = sigmoid(x)\nh := sigmoid(x)\n∂h/∂x = diag(h ⊙ (1 − h))\n∂h/∂x = diag(h ⊙ (2 − h))\n", "a.mc");
    expect(r.unreadable).toEqual([]);
    expect(r.steps).toEqual(["3:ok", "5:ok", "6:wrong"]);
    // the square of a vector may be xᵀx or x ⊙ x: unreadable, with both spellings, not a wrong step
    const squared = verdicts("let x: n\nh := tanh(x)\n∂sum(h)/∂x = 1 − h²\n", "a.mc");
    expect(squared.steps).toEqual([]);
    expect(squared.unreadable.map((u) => u.reason)).toEqual([expect.stringMatching(/hᵀh.*h ⊙ h/)]);
    // a scalar added to a square matrix stays ambiguous: unreadable, not guessed
    const square = verdicts("let X: n×n\nf := tr(X + 1)\n∂f/∂X = I\n", "a.mc");
    expect(square.unreadable.map((u) => u.reason)).toEqual([expect.stringMatching(/ambiguous/), expect.stringMatching(/cannot be read/)]);
  });

  it("plain text: grad_w L is ∇_w L, d^2L/dw dw' and d²L/dw² the Hessian (d stays a dimension elsewhere)", () => {
    const r = verdicts(
      "let X: n×d, y: n, w: d, lambda: scalar\nL = ||Xw - y||^2 + lambda*||w||^2\ngrad_w L = 2(X'X + lambda I)w - 2X'y\nd^2L/dw dw' = 2X'X + 2 lambda I\nd²L/dw² = 2X'X\n",
      "a.txt",
    );
    expect(r.unreadable).toEqual([]);
    expect(r.steps).toEqual(["3:ok", "4:ok", "5:wrong"]);
  });

  it("Jupyter: $$\\begin{align}…\\end{align}$$, KaTeX's \\bold and \\Bbb; an index-notation line is unreadable and the prose definition stands", () => {
    const md = [
      "Let $\\bold{A} \\in \\Bbb{R}^{n \\times n}$ and $\\bold{x}\\in\\Bbb R^n$. Find the gradient of $f(\\bold{x}) = \\bold{x}^\\intercal \\bold{A} \\bold{x}$.",
      "$$\\begin{align}",
      "f(\\bold{x}) &= \\sum_i \\sum_j x_i A_{ij} x_j \\\\",
      "\\nabla f(\\bold{x}) &= (\\bold{A} + \\bold{A}^\\intercal)\\bold{x} \\\\",
      "\\nabla f(\\bold{x}) &= 2\\bold{A}\\bold{x}",
      "\\end{align}$$",
    ].join("\n");
    const r = verdicts(md, "a.md");
    expect(r.steps).toEqual(["4:ok", "5:wrong"]);
    expect(r.unreadable).toHaveLength(1);
    expect(r.unreadable[0]).toMatchObject({ line: 3, reason: expect.stringMatching(/definition of f: not supported: a sum over an index \(`\\sum_i`\)/) });
  });

  it("differentials (df = 2rᵀdr) are unreadable, never a product d·r judged wrong; a declared d stays a symbol", () => {
    const tex = verdicts(
      "% let W: k×n, x: n\n\\[ f = \\|W^\\top W x - x\\|^2, \\quad r = W^\\top W x - x \\]\n\\[ df = 2r^\\top dr = 2r^\\top(dW^\\top W + W^\\top dW)x \\]\n\\[ \\frac{\\partial f}{\\partial W} = 2W(xr^\\top + rx^\\top) \\]\n",
      "a.tex",
    );
    expect(tex.steps).toEqual(["4:ok"]);
    expect(tex.unreadable.map((u) => u.reason)).toEqual([expect.stringMatching(/differential `df`/), expect.stringMatching(/differential `dr`/), expect.stringMatching(/differential `dW`/)]);
    const declared = verdicts("let d: scalar, x: n\nL := ‖dx‖²\n∂L/∂x = 2d²x\n", "a.mc");
    expect(declared.unreadable).toEqual([]);
    expect(declared.steps).toEqual(["3:ok"]);
    // a dimension d against a name may be a product or a differential: refused, and read with d·X
    const dimension = verdicts("let X: n×d, w: d\nL := d‖Xw‖²\n∂L/∂w = 2dXᵀXw\n∂L/∂w = 2d·XᵀXw\n∂L/∂w = 2d XᵀXw\n", "a.mc");
    expect(dimension.unreadable.map((u) => `${u.line}: ${u.reason}`)).toEqual([expect.stringMatching(/^3: .*differential `dX`.*or d·X for a product/)]);
    expect(dimension.steps).toEqual(["4:ok", "5:ok"]);
  });

  it("inline math whose left side is a derivative is a claim; other inline equations stay prose", () => {
    const r = verdicts(
      "Let $x, a \\in \\mathbb{R}^n$ and $B \\in \\mathbb{R}^{n\\times n}$, with $c = Bx$.\n(a) $\\frac{\\partial}{\\partial x} a^T x = a$ and (b) $\\nabla_x x^T B x = 2Bx$.\n",
      "a.md",
    );
    expect(r.unreadable).toEqual([]);
    expect(r.steps).toEqual(["2:ok", "2:wrong"]);
    // under a condition the prose states, it is judged with the condition, not without it
    const conditional = verdicts("Let $x \\in \\mathbb{R}^n$ and $B \\in \\mathbb{R}^{n\\times n}$.\nIf $B$ is symmetric, $\\nabla_x x^T B x = 2Bx$.\n", "a.md");
    expect(conditional.steps).toEqual(["2:ok"]);
    expect(conditional.claims[0]!.assuming).toBe("B symmetric");
    const unread = verdicts("Let $x \\in \\mathbb{R}^n$ and $B \\in \\mathbb{R}^{n\\times n}$.\nIf $B^T B = I$, $\\nabla_x x^T B^T B x = 2x$.\n", "a.md");
    expect(unread.steps).toEqual([]);
    expect(unread.unreadable.map((u) => u.reason)).toEqual([expect.stringMatching(/under a condition \("If \$B\^T B = I\$"\) is not checked/)]);
  });

  describe("a step under a condition its sentence states (\"If $A$ is symmetric, …\")", () => {
    const preamble = "Let $x \\in \\mathbb{R}^n$ and $A \\in \\mathbb{R}^{n \\times n}$, and $f(x) = x^T A x$.\n\n";
    const check = (body: string) => verdicts(preamble + body, "h.md");

    it("a property of a declared matrix is assumed for that step only, and said", () => {
      const r = check("If $A$ is symmetric, this becomes:\n$$\\nabla f(x) = 2Ax$$\nIn general\n$$\\nabla f(x) = 2Ax$$\n");
      expect(r.steps).toEqual(["4:ok", "6:wrong"]);
      expect(r.claims[0]!.how).toMatch(/with A symmetric, as the text assumes/);
      expect(r.claims[1]!.assuming).toBeUndefined();
    });

    it("the assumption does not make a wrong step right", () => {
      // with A symmetric the gradient is 2Ax, not Ax
      expect(check("If $A$ is symmetric, then\n$$\\nabla f(x) = Ax$$\n").steps).toEqual(["4:wrong"]);
    });

    it("spelled as people spell it: before or after the math, in words or as A = Aᵀ, across a blank line", () => {
      const spellings = [
        "For symmetric $A$:\n$$\\nabla f(x) = 2Ax$$\n",
        "If $A = A^\\top$, then\n$$\\nabla f(x) = 2Ax$$\n",
        "Assuming $A^T = A$, we get\n$$\\nabla f(x) = 2Ax$$\n",
        "Since $A$ is symmetric positive definite, we get\n\n$$\\nabla f(x) = 2Ax$$\n",
        "$$\\nabla f(x) = 2Ax$$\nwhen $A$ is symmetric.\n",
        "We have $\\nabla f(x) = 2Ax$ if $A$ is symmetric.\n",
        "For any symmetric matrix $A$:\n$$\\nabla f(x) = 2Ax$$\n",
        "$$\\nabla f(x) = 2Ax,$$\nwhere $A$ is symmetric.\n",
        "Since $A = A^T$, we get\n$$\\nabla f(x) = 2Ax$$\n",
        // a note in the row: the math after it is the condition, not a claim of its own
        "$$\\nabla f(x) = 2Ax \\quad \\text{if } A = A^\\top$$\n",
        "$$\\nabla f(x) = 2Ax \\qquad \\text{(for symmetric } A\\text{)}$$\n",
        "$$\\nabla f(x) = 2Ax \\quad \\text{if $A$ is symmetric}$$\n",
      ];
      for (const s of spellings) expect(check(s).steps, s).toEqual([expect.stringMatching(/:ok$/)]);
    });

    it("a chain goes on under the condition from where it was", () => {
      const r = check("$$\\nabla f(x) = (A + A^T)x$$\nIf $A$ is symmetric,\n$$= 2Ax$$\n");
      expect(r.steps).toEqual(["3:ok", "5:ok"]);
      expect(r.claims.map((c) => c.assuming)).toEqual([undefined, "A symmetric"]);
    });

    it("a condition that is not read leaves the step unread: never judged without it", () => {
      for (const s of ["$$\\nabla f(x) = 2Ax \\quad \\text{if } A^2 = A$$\n", "If $A$ is orthogonal, then\n$$\\nabla f(x) = 2Ax$$\n", "When $A^2 = A$, we have\n$$\\nabla f(x) = 2Ax$$\n", "If $A$ is not symmetric, then\n$$\\nabla f(x) = 2Ax$$\n"]) {
        const r = check(s);
        expect(r.steps, s).toEqual([]);
        expect(r.unreadable.map((u) => u.reason), s).toEqual([expect.stringMatching(/is not checked/)]);
      }
    });

    it("words that only look like conditions, and conditions every instance meets, change nothing", () => {
      for (const s of ["When we differentiate, we get\n$$\\nabla f(x) = 2Ax$$\n", "$$\\nabla f(x) = 2Ax,$$\nwhere $x$ is the input.\n", "If $A$ is invertible, then\n$$\\nabla f(x) = 2Ax$$\n", "Since $\\operatorname{tr}(AB) = \\operatorname{tr}(BA)$, we get\n$$\\nabla f(x) = 2Ax$$\n"])
        expect(check(s).steps, s).toEqual([expect.stringMatching(/:wrong$/)]);
    });

    it("a property of a name that is not a declared square matrix is not assumed", () => {
      const r = check("If $x$ is symmetric, then\n$$\\nabla f(x) = 2Ax$$\n");
      expect(r.steps).toEqual([]);
      expect(r.unreadable.map((u) => u.reason)).toEqual([expect.stringMatching(/x is not a square matrix/)]);
    });
  });

  it("a name used without a definition is not differentiated as a constant", () => {
    const r = verdicts("let x: n\nQ² = QQ\n∂²Q/∂x∂xᵀ = 2I\n", "a.mc");
    expect(r.steps).toEqual(["2:ok"]);
    expect(r.unreadable.map((u) => u.reason)).toEqual([expect.stringMatching(/`Q` is not defined/)]);
  });

  it("Jacobian, Hessian and vec–Kronecker claims; the transposed layout is wrong, with the reason", () => {
    const r = verdicts(
      "let A: m×p, X: p×q, B: q×r, x: n, W: m×n, C: n×n\np := softmax(x)\n∂p/∂x = diag(p) − ppᵀ\n∂vec(AXB)/∂vec(X) = Bᵀ ⊗ A\n∂vec(AXB)/∂vec(X) = B ⊗ Aᵀ\nf := xᵀCx\n∂²f/∂x∂xᵀ = C + Cᵀ\n∂(Wx)/∂x = Wᵀ\n",
      "a.mc",
    );
    expect(r.unreadable).toEqual([]);
    expect(r.steps).toEqual(["3:ok", "4:ok", "5:wrong", "7:ok", "8:wrong"]);
    for (const c of r.claims.filter((c) => c.verdict === "wrong")) expect(c.reason).toMatch(/transpose of .*numerator layout/);
  });
});
