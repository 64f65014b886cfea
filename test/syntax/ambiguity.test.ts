import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  add, call, div, equal, identity, inv, key, mul, neg, num, postorder, pow, sym, transpose, withoutSpans, type Expr,
} from "../../src/ast.js";
import { countParses, descentAgrees, parseExpression } from "../../src/syntax/parse.js";

// ---------------------------------------------------------------- a corpus in all three spellings

const CORPUS = [
  // Unicode
  "½‖WᵀWx − x‖²", "−D/2 log|K| − ½ tr(K⁻¹YYᵀ)", "αXXᵀ + β⁻¹I", "WᵀWx", "αXXᵀ", "x₁ + x₂", "Xᵀ⁻¹", "X⁻ᵀ", "x²y³",
  "‖x‖₂ + ‖X‖_F + ‖x‖₁", "|A||B|", "|a|b|c|", "⟨A, B⟩", "∂L/∂X", "∇_X L", "√x", "√(x+y)", "𝟙ᵀx", "A ⊙ B ⊘ C ⊗ D",
  "A·B⋅C", "−(D/2)α[(K⁻¹)ᵀ + K⁻¹]X + αK⁻ᵀYYᵀK⁻ᵀX", "α[−DK⁻¹ + K⁻¹YYᵀK⁻¹]X", "tr(AB) − tr(BA)", "log det X",
  "det X⁻¹", "Tr X", "log|K|", "¼ + ¾ + ⅓", "−−x", "a − −b", "(−a)b", "|−x|", "‖ |a| x ‖", "| |x| + y |",
  "xᵀAx + bᵀx + c", "σ(Wx + b)", "Σ⁻¹", "ΛΣΛ", "−½ log det(2πΣ)", "(x − μ)ᵀΣ⁻¹(x − μ)", "∂L/∂X + 2",
  // ASCII
  "0.5*norm2(W'*W*x - x)^2", "-D/2*logdet(K) - 1/2*trace(inv(K)*Y*Y')", "alpha*X*X' + beta^-1*I", "x_1 + x_{12}",
  "X^-1", "X^-T", "x^2", "x^(1/2)", "norm(X, 'fro')", "norm(x, 1)", "norm(x,2)", "dot(A, B)", "kron(A,B)",
  "abs(a)", "grad(L, X)", "dL/dX", "sqrt(x)", "A .* B ./ C", "ones'*x", "||x|| + ||y||", "a * -b", "a/b/c",
  "1/2*x", "2x", "x2", "(1)/2", "exp(-x'*x/2)", "log(sum(exp(x)))", "softmax(W*x + b)", "sigmoid(x)'*y",
  "relu(W2*relu(W1*x))", "trace(X'*A*X)", "diag(x)*y", "tanh(x) + cos(x) + sin(x)", "logsumexp(x)", "softplus(x)",
  "alphaX + betaY", "lambda*norm(w)^2", "inv(X'*X)*X'*y", "(A + B)*(A - B)", "[A + B][C]", "x'*(A + A')*x",
  // LaTeX
  "\\frac{1}{2}\\|W^\\top W x - x\\|_2^2", "-\\frac{D}{2}\\log|K| - \\frac{1}{2}\\operatorname{tr}(K^{-1}YY^T)",
  "\\alpha X X^\\top + \\beta^{-1} I", "\\mathrm{tr}\\,X", "\\text{tr}(X)", "\\operatorname{tr}\\left(X^{\\top} A X\\right)",
  "\\left| X \\right|", "\\lvert x \\rvert", "\\lVert x \\rVert_2", "\\left\\| x \\right\\|_{F}", "\\langle A, B \\rangle",
  "\\frac{\\partial L}{\\partial X}", "\\frac{dL}{dX}", "\\nabla_X L", "\\sqrt{x}", "\\tfrac12 x", "\\dfrac{a}{b}",
  "\\mathbf{1}^\\top x", "A \\odot B", "A \\otimes B", "A \\oslash B", "A \\circ B", "A \\cdot B \\times C",
  "\\bigl( a + b \\bigr) \\Big[c\\Big]", "X^{-\\top}", "X^{1/2}", "x^{-2}", "\\log\\det X", "\\det X^{-1}",
  "\\exp\\left(-\\frac{1}{2} x^\\top \\Sigma^{-1} x\\right)", "\\frac{-D}{2 \\det(K)}", "{a + b} c", "\\sigma_1 + \\sigma_2",
  "\\left(\\frac{dL}{df} \\right)^T", "\\frac{d\\delta_1}{df}", "\\sqrt{x}^2", "x_{ij} W_{1}", "\\displaystyle A\\,B\\;C\\!D",
  // mixed
  "½ \\|x\\|^2 + 0.5*norm(y)^2", "αX^T + \\beta X'", "tr(X⁻¹) + \\operatorname{tr}(X^{-1}) + trace(inv(X))",
  "\\alpha·Xᵀ*x", "∂L/∂X = grad(L, X)".split(" =")[0]!, "‖x‖² − \\|y\\|_2^2 + norm2(z)^2",
  // as people write it (NOTATION.md)
  "\\hat{y}^\\top \\bar{x}", "ŷ + x̄ + x̃ + x′", "W^{(1)}x + W^{[2]}x", "\\ell + \\mathcal{L} + ℓ", "\\hat{\\mathbf x} + \\boldsymbol\\mu",
  "e^{-x^T x}", "\\exp\\{x\\}", "\\|X\\|^2_F", "\\log 2\\pi", "\\sigma(Wx)", "$x^T x$", "𝑥 – 𝑦", "x^{\\mathsf T}y + x^{\\!\\top}y",
  "A ⊙ BX", "AC ⊗ BD", "x ⊘ y/2", "(𝟙 − h ⊙ h) ⊙ Wᵀδ", "A \\odot B X \\cdot C", "a .* b*c ./ d", "−a ⊙ b − c ⊗ d e",
];

describe("every accepted input has exactly one parse", () => {
  it(`a corpus of ${CORPUS.length} inputs in all three spellings`, () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(100);
    for (const s of CORPUS) expect(countParses(s), s).toBe(1);
  });

  it("rejected inputs have no parse at all", () => {
    for (const s of ["x +", ")", "tr AB", "(a]", "a,b", "x = y", "|x"]) expect(countParses(s), s).toBe(0);
  });

  it("the descent reader generated from the grammar reads every input as nearley does", () => {
    for (const s of [...CORPUS, "x +", ")", "tr AB", "(a]", "a,b", "x = y", "|x"]) expect(descentAgrees(s), s).toBe(true);
  });

  it("random expressions printed in a random mix of spellings parse back to themselves, once", () => {
    fc.assert(
      fc.property(expression, fc.infiniteStream(fc.nat()), (e, stream) => {
        const choices = stream[Symbol.iterator]();
        const text = new Printer(() => choices.next().value as number).top(e);
        if (process.env.SHOW) console.log(text);
        expect(countParses(text), text).toBe(1);
        expect(descentAgrees(text), text).toBe(true);
        const parsed = parseExpression(text);
        expect(key(parsed), text).toBe(key(e));
        expect(equal(withoutSpans(parsed), withoutSpans(e)), text).toBe(true);
        for (const n of postorder(parsed)) {
          expect(n.span, text).toBeDefined();
          expect(n.span!.start).toBeLessThan(n.span!.end);
          for (const c of n.args) {
            expect(c.span!.start).toBeGreaterThanOrEqual(n.span!.start);
            expect(c.span!.end).toBeLessThanOrEqual(n.span!.end);
          }
        }
      }),
      { numRuns: Number(process.env.RUNS ?? 300) },
    );
  });
});

// ---------------------------------------------------------------- random trees

const NAMES = ["A", "B", "C", "W", "X", "Y", "K", "a", "b", "x", "y", "z", "α", "β", "λ", "Σ", "x_1", "W_2", "x_ij"];
const FRACTIONS: [number, number][] = [[1, 2], [1, 4], [3, 4], [1, 3], [2, 3], [5, 2]];
const UNARY = ["tr", "det", "logdet", "log", "exp", "sqrt", "abs", "sin", "cos", "tanh", "sigmoid", "softplus", "relu", "softmax", "logsumexp", "sum", "diag"];

const leaf: fc.Arbitrary<Expr> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...NAMES).map((n) => sym(n)) },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 12 }).map((n) => num(n)) },
  { weight: 1, arbitrary: fc.constantFrom(...FRACTIONS).map(([p, q]) => num(p, q)) },
  { weight: 1, arbitrary: fc.constantFrom(identity(), identity("n"), call("ones", [])) },
);

const { expression } = fc.letrec<{ expression: Expr }>((tie) => {
  const e = tie("expression");
  return {
    expression: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      leaf,
      fc.array(e, { minLength: 2, maxLength: 4 }).map((terms) => add(terms)),
      e.map((a) => neg(a)),
      fc.tuple(e, e).map(([a, b]) => mul(a, b)),
      fc.tuple(e, e).map(([a, b]) => div(a, b)),
      e.map((a) => transpose(a)),
      e.map((a) => inv(a)),
      fc.tuple(e, fc.constantFrom(num(2), num(3), num(-2), num(1, 2))).map(([a, k]) => pow(a, k)),
      fc.tuple(fc.constantFrom(...UNARY), e).map(([f, a]) => call(f, [a])),
      fc.tuple(e, fc.constantFrom<string | undefined>(undefined, "2", "F", "1")).map(([a, sub]) => call("norm", [a], undefined, sub)),
      e.map((a) => call("bars", [a])),
      fc.tuple(fc.constantFrom("dot", "kron", "hadamard", "hdiv"), e, e).map(([f, a, b]) => call(f, [a, b])),
      fc.tuple(e, fc.constantFrom("X", "x", "W", "α", "x_1")).map(([l, v]) => call("grad", [l, sym(v)])),
    ),
  };
});

// ---------------------------------------------------------------- a printer of many spellings

/** Loosest first: what a printed piece is, as the grammar sees it. */
enum Level {
  Sum,
  Signed,
  Entrywise,
  Term,
  Factor,
  Postfixed,
}

interface Printed {
  s: string;
  level: Level;
  /** ends with a function applied without parentheses to a bare symbol or number: no juxtaposition after it */
  bare: boolean;
  /** a symbol or number, possibly with postfix operators (a bare argument that makes the next factor ambiguous) */
  plain: boolean;
}

const GREEK_ASCII: Record<string, string> = { α: "alpha", β: "beta", λ: "lambda", Σ: "Sigma" };
const SUB_UNICODE: Record<string, string> = { "1": "₁", "2": "₂" };
const VULGAR: Record<string, string> = { "1/2": "½", "1/4": "¼", "3/4": "¾", "1/3": "⅓", "2/3": "⅔" };
const WORDS: Record<string, string[]> = {
  tr: ["tr", "Tr", "trace", "\\operatorname{tr}", "\\mathrm{tr}", "\\text{tr}", "\\tr"],
  det: ["det", "\\det"],
  logdet: ["logdet", "\\operatorname{logdet}"],
  log: ["log", "ln", "\\log", "\\ln"],
  exp: ["exp", "\\exp"],
  sqrt: ["sqrt", "√", "\\sqrt"],
  sin: ["sin", "\\sin"],
  cos: ["cos", "\\cos"],
  tanh: ["tanh", "\\tanh"],
};

/** A bar inside bars could close them: such bars are written \\left| … \\right|. */
const HAS_BARS = /[|‖∥]|\\vert|\\Vert/;
/** A function followed by a bracket takes its arguments there: no bare argument may start with one. */
const OPENS_GROUP = /^(?:[([{]|\\left|\\bigl)/;

class Printer {
  constructor(private readonly next: () => number) {}

  private pick<T>(options: readonly T[]): T {
    return options[this.next() % options.length]!;
  }

  private chance(): boolean {
    return this.next() % 2 === 0;
  }

  top(e: Expr): string {
    return this.print(e).s;
  }

  /** e printed so that it is at least `level` tight: in brackets if it must be. */
  at(e: Expr, level: Level): Printed {
    const p = this.print(e);
    if (p.level >= level) return p;
    return { s: this.group(p.s), level: Level.Postfixed, bare: false, plain: false };
  }

  group(s: string): string {
    const [open, close] = this.pick([["(", ")"], ["[", "]"], ["{", "}"], ["\\left(", "\\right)"], ["\\bigl[", "\\bigr]"]] as const);
    return `${open}${s}${close}`;
  }

  print(e: Expr): Printed {
    const post = (s: string, plain = false): Printed => ({ s, level: Level.Postfixed, bare: false, plain });
    switch (e.op) {
      case "sym":
        return { s: this.symbol(e.name!), level: Level.Postfixed, bare: false, plain: true };
      case "num":
        return this.number(e.value!.n, e.value!.d);
      case "identity":
        return { s: e.dim === undefined ? "I" : this.pick([`I_${e.dim}`, `I_{${e.dim}}`]), level: Level.Postfixed, bare: false, plain: true };
      case "add": {
        const parts = e.args.map((t, i) => {
          if (i === 0) return this.at(t, Level.Signed).s;
          if (t.op === "neg") return this.chance() ? ` ${this.pick(["-", "−"])} ${this.at(t.args[0]!, Level.Signed).s}` : ` + ${this.print(t).s}`;
          return ` + ${this.at(t, Level.Signed).s}`;
        });
        return { s: parts.join(""), level: Level.Sum, bare: false, plain: false };
      }
      case "neg": {
        const a = this.at(e.args[0]!, Level.Signed);
        return { s: `${this.pick(["-", "−"])}${a.s}`, level: Level.Signed, bare: a.bare, plain: false };
      }
      case "mul":
        return this.product(e.args[0]!, e.args[1]!);
      case "div": {
        const [a, b] = e.args as [Expr, Expr];
        const integer = (x: Expr) => x.op === "num" && x.value!.d === 1;
        if (!(integer(a) && integer(b)) && this.chance()) {
          return post(`${this.pick(["\\frac", "\\dfrac", "\\tfrac"])}{${this.print(a).s}}{${this.print(b).s}}`);
        }
        // 1/2 would be the number ½: keep the division with brackets
        const left = integer(a) && integer(b) ? { s: this.group(this.print(a).s) } : this.at(a, Level.Term);
        const right = this.at(b, Level.Factor);
        return { s: `${left.s} / ${right.s}`, level: Level.Term, bare: right.bare, plain: false };
      }
      case "transpose": {
        if (e.args[0]!.op === "inv" && this.chance()) {
          const base = this.at(e.args[0]!.args[0]!, Level.Postfixed);
          return post(base.s + this.pick(["⁻ᵀ", "^{-T}", "^-T", "^{-\\top}"]), base.plain);
        }
        const base = this.at(e.args[0]!, Level.Postfixed);
        return post(base.s + this.pick(["ᵀ", "'", "^T", "^{T}", "^\\top ", "^{\\top}", "^⊤", "^\\mathsf{T}"]), base.plain);
      }
      case "inv": {
        if (this.chance()) return post(`inv(${this.print(e.args[0]!).s})`);
        const base = this.at(e.args[0]!, Level.Postfixed);
        const forms = /[⁰¹²³⁴⁵⁶⁷⁸⁹]$/.test(base.s) ? ["^{-1}", "^-1", "^(-1)"] : ["⁻¹", "^{-1}", "^-1", "^(-1)"];
        return post(base.s + this.pick(forms), base.plain);
      }
      case "pow": {
        const { s: base, plain } = this.at(e.args[0]!, Level.Postfixed);
        const { n, d } = e.args[1]!.value!;
        const options =
          d === 2 ? ["^{1/2}", "^{0.5}", "^{\\frac{1}{2}}", "^(1/2)"]
          : n === 2 ? ["²", "^2", "^{2}"]
          : n === 3 ? ["³", "^3", "^{3}"]
          : ["⁻²", "^{-2}", "^-2"];
        // x²² is x to the 22nd: Unicode superscript digits run together
        const fits = options.filter((o) => !(/[⁰¹²³⁴⁵⁶⁷⁸⁹]$/.test(base) && /^[⁻⁰¹²³⁴⁵⁶⁷⁸⁹]/.test(o)));
        return post(base + this.pick(fits), plain);
      }
      case "call":
        return this.call(e);
    }
  }

  symbol(name: string): string {
    const [base, sub] = name.split("_") as [string, string | undefined];
    const letter = GREEK_ASCII[base] ? this.pick([base, GREEK_ASCII[base], `\\${GREEK_ASCII[base]}`]) : base;
    if (sub === undefined) return letter;
    const forms = [`_{${sub}}`];
    if (sub.length === 1) forms.push(`_${sub}`);
    if ([...sub].every((c) => SUB_UNICODE[c])) forms.push([...sub].map((c) => SUB_UNICODE[c]).join(""));
    return letter + this.pick(forms);
  }

  number(n: number, d: number): Printed {
    const p = (s: string, level = Level.Postfixed): Printed => ({ s, level, bare: false, plain: true });
    if (d === 1) return p(String(n));
    const forms = [`\\frac{${n}}{${d}}`, `(${n}/${d})`];
    if (VULGAR[`${n}/${d}`]) forms.push(VULGAR[`${n}/${d}`]!);
    if (n < 10 && d < 10) forms.push(`\\tfrac${n}${d}`);
    if ([2, 4, 5].includes(d)) forms.push(String(n / d));
    return p(this.pick(forms));
  }

  product(a: Expr, b: Expr): Printed {
    const left = this.at(a, Level.Term);
    const explicit = this.pick(["·", "⋅", "*", "\\cdot", "\\times", "×"]);
    if (b.op === "neg" && this.chance()) {
      // a · −b
      let s = "";
      let r = b;
      while (r.op === "neg") {
        s += this.pick(["-", "−"]);
        r = r.args[0]!;
      }
      const right = this.at(r, Level.Factor);
      return { s: `${left.s} ${explicit} ${s}${right.s}`, level: Level.Term, bare: right.bare, plain: false };
    }
    const right = this.at(b, Level.Factor);
    // juxtaposition is not allowed after `tr A`, nor before a bracket after a word (`xy(…)` is a function call)
    const juxtapose = !left.bare && !(/[A-Za-z]$/.test(left.s) && /^(?:\(|\\left\()/.test(right.s)) && this.chance();
    let s: string;
    if (!juxtapose) s = `${left.s} ${explicit} ${right.s}`;
    else if (/(?<![\\_A-Za-z^])[A-Za-z]$/.test(left.s) && /^[A-Za-z](?![A-Za-z_])/.test(right.s) && this.chance()) s = left.s + right.s;
    else s = `${left.s} ${right.s}`;
    return { s, level: Level.Term, bare: right.bare, plain: false };
  }

  call(e: Expr): Printed {
    const post = (s: string): Printed => ({ s, level: Level.Postfixed, bare: false, plain: false });
    const [a, b] = e.args as [Expr, Expr | undefined];
    const fn = e.fn!;
    const args = () => e.args.map((x) => this.print(x).s).join(", ");
    switch (fn) {
      case "ones":
        return { s: this.pick(["𝟙", "ones", "\\mathbf{1}"]), level: Level.Postfixed, bare: false, plain: true };
      case "bars": {
        const inner = this.print(a).s;
        const explicit = HAS_BARS.test(inner);
        const [o, c] = explicit ? this.pick([["\\left|", "\\right|"], ["\\lvert", "\\rvert"]]) : this.pick([["|", "|"], ["\\left|", "\\right|"], ["\\vert", "\\vert"]]);
        return post(`${o} ${inner} ${c}`);
      }
      case "norm": {
        const inner = this.print(a).s;
        if (this.chance()) {
          if (e.sub === "2") return post(this.pick([`norm2(${inner})`, `norm(${inner}, 2)`]));
          if (e.sub === "F") return post(`norm(${inner}, 'fro')`);
          if (e.sub === "1") return post(`norm(${inner}, 1)`);
          return post(`norm(${inner})`);
        }
        const explicit = HAS_BARS.test(inner);
        const [o, c] = explicit ? this.pick([["\\left\\|", "\\right\\|"], ["\\lVert", "\\rVert"]]) : this.pick([["‖", "‖"], ["\\|", "\\|"], ["||", "||"], ["\\lVert", "\\rVert"], ["∥", "∥"]]);
        const sub = e.sub === undefined ? "" : this.pick(e.sub === "F" ? ["_F", "_{F}"] : [`_${e.sub}`, `_{${e.sub}}`, e.sub === "2" ? "₂" : "₁"]);
        return post(`${o} ${inner} ${c}${sub}`);
      }
      case "dot":
        return post(this.pick([`⟨${args()}⟩`, `\\langle ${args()} \\rangle`, `dot(${args()})`]));
      case "kron":
      case "hadamard":
      case "hdiv": {
        if (this.chance()) return post(`${fn}(${args()})`);
        const ops = { kron: ["⊗", "\\otimes"], hadamard: ["⊙", "∘", ".*", "\\odot", "\\circ"], hdiv: ["⊘", "./", "\\oslash"] }[fn];
        // looser than products: the right operand may be a product, A ⊙ BX
        const right = this.at(b!, Level.Term);
        return { s: `${this.at(a, Level.Entrywise).s} ${this.pick(ops)} ${right.s}`, level: Level.Entrywise, bare: right.bare, plain: false };
      }
      case "grad": {
        const v = b!.name!;
        const single = a.op === "sym" && !a.name!.includes("ij");
        if (single && this.chance()) {
          const [l, x] = [this.symbol(a.name!), this.symbol(v)];
          const ascii = (s: string) => /^[A-Za-z]+(_[0-9])?$/.test(s);
          const forms = [`∂${l}/∂${x}`, `\\frac{\\partial ${l}}{\\partial ${x}}`, `\\partial ${l} / \\partial ${x}`];
          if (ascii(l) && ascii(x)) forms.push(`d${l}/d${x}`, `\\frac{d${l}}{d${x}}`);
          return post(this.pick(forms));
        }
        if (!v.includes("_") && this.chance()) {
          // ∇_X takes one factor, like a function without parentheses
          const arg = this.print(a);
          if (arg.level >= Level.Factor && !OPENS_GROUP.test(arg.s)) {
            const nabla = this.pick(["∇", "\\nabla"]);
            return { s: `${nabla}_{${v}} ${arg.s}`, level: Level.Factor, bare: arg.plain || arg.bare, plain: false };
          }
        }
        return post(`grad(${args()})`);
      }
      default: {
        const word = this.pick(WORDS[fn] ?? [fn, `\\operatorname{${fn}}`]);
        const arg = this.print(a);
        if (fn !== "abs" && arg.level >= Level.Factor && !OPENS_GROUP.test(arg.s) && this.chance()) {
          const sep = word === "√" ? "" : word.startsWith("\\mathrm") && this.chance() ? "\\," : " ";
          return { s: `${word}${sep}${arg.s}`, level: Level.Factor, bare: arg.plain || arg.bare, plain: false };
        }
        const [o, c] = word === "\\sqrt" ? ["{", "}"] : this.pick([["(", ")"], ["\\left(", "\\right)"], ["(", ")"]]);
        return post(`${word}${o}${arg.s}${c}`);
      }
    }
  }
}
