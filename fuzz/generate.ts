// Random well-typed expressions over every operator and function of NOTATION.md, built as trees
// of known shape (so that the harness evaluates its own tree, not the engine's reading of the
// text), with random declarations, printed in Unicode, ASCII or LaTeX; and mutations of them.
import { type Dim, type Expr, add, call, div, identity, inv, mul, neg, num, pow, sym, transpose } from "../src/ast.js";

type Shape = readonly [Dim, Dim];
export type Spelling = "unicode" | "ascii" | "latex";

export interface Generated {
  readonly tree: Expr;
  readonly where: string;
  readonly wrt: string;
  readonly order: 1 | 2;
  readonly text: string;
  readonly spelling: Spelling;
}

const SCALARS = ["α", "β", "γ", "λ", "τ"];
const VECTORS = ["x", "y", "z", "u", "v", "w"];
const MATRICES = ["A", "B", "C", "M", "P", "Q", "S", "W"];
const ASCII_GREEK: Record<string, string> = { α: "alpha", β: "beta", γ: "gamma", λ: "lambda", τ: "tau" };
const LATEX_GREEK: Record<string, string> = { α: "\\alpha", β: "\\beta", γ: "\\gamma", λ: "\\lambda", τ: "\\tau" };
const ELEMENTWISE = ["log", "exp", "sin", "cos", "tanh", "sqrt", "sigmoid", "softplus", "relu", "abs"];
const EXPONENTS: readonly [number, number][] = [[2, 1], [3, 1], [-1, 1], [1, 2], [3, 2], [1, 3], [-2, 1]];

class Generator {
  /** Declared symbols: name → shape and properties. */
  readonly declared = new Map<string, { shape: Shape; properties: string[] }>();
  private readonly dims: Dim[];

  constructor(private readonly rng: () => number) {
    this.dims = ["m", "n", "p"].slice(0, 1 + this.int(3));
  }

  int(n: number): number {
    return Math.floor(this.rng() * n);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }
  dim(): Dim {
    return this.pick(this.dims);
  }

  /** A symbol of this shape, declared on first use (a new one a third of the time). */
  symbol(shape: Shape): Expr {
    const scalar = shape[0] === 1 && shape[1] === 1;
    const vector = !scalar && shape[1] === 1;
    const pool = scalar ? SCALARS : vector ? VECTORS : MATRICES;
    const same = [...this.declared].filter(([, d]) => d.shape[0] === shape[0] && d.shape[1] === shape[1]).map(([n]) => n);
    if (same.length && (this.rng() < 0.7 || same.length === pool.length)) return sym(this.pick(same));
    const free = pool.filter((n) => !this.declared.has(n));
    if (!free.length) return same.length ? sym(this.pick(same)) : this.constant(shape);
    const name = this.pick(free);
    const properties: string[] = [];
    if (scalar && this.rng() < 0.2) properties.push("positive");
    if (!scalar && !vector && shape[0] === shape[1] && this.rng() < 0.3) properties.push(this.pick(["symmetric", "spd", "diagonal"]));
    this.declared.set(name, { shape, properties });
    return sym(name);
  }

  private constant(shape: Shape): Expr {
    return shape[0] === 1 && shape[1] === 1 ? num(1 + this.int(5), 1 + this.int(2)) : mul(num(1 + this.int(3)), this.symbol(shape));
  }

  /** An expression of this shape, at most `depth` operations deep. */
  expr(shape: Shape, depth: number): Expr {
    const scalar = shape[0] === 1 && shape[1] === 1;
    const vector = !scalar && shape[1] === 1;
    if (depth <= 0 || this.rng() < 0.2) return scalar && this.rng() < 0.25 ? num(1 + this.int(4), 1 + this.int(2)) : this.symbol(shape);
    const d = depth - 1;
    const any = (): Expr => {
      const k = this.dim();
      switch (this.int(7)) {
        case 0:
          return add([this.expr(shape, d), this.expr(shape, d)]);
        case 1:
          return neg(this.expr(shape, d));
        case 2:
          return mul(this.expr([1, 1], d), this.expr(shape, d));
        case 3:
          return div(this.expr(shape, d), this.expr([1, 1], d));
        case 4:
          return scalar ? mul(transpose(this.expr([k, 1], d)), this.expr([k, 1], d)) : mul(this.expr([shape[0], k], d), this.expr([k, shape[1]], d));
        case 5:
          return call(this.pick(ELEMENTWISE), [this.expr(shape, d)]);
        default:
          return call(this.pick(["hadamard", "hdiv"]), [this.expr(shape, d), this.expr(shape, d)]);
      }
    };
    if (scalar && this.rng() < 0.6) {
      const k = this.dim();
      const square: Shape = [k, k];
      switch (this.int(12)) {
        case 0:
          return call("tr", [this.expr(square, d)]);
        case 1:
          return call("det", [this.expr(square, Math.min(d, 1))]);
        case 2:
          return call("logdet", [this.expr(square, Math.min(d, 1))]);
        case 3:
        {
          const sh: Shape = [k, this.dim()];
          return call("dot", [this.expr(sh, d), this.expr(sh, d)]);
        }
        case 4:
          return call("norm", [this.expr([k, 1], d)]);
        case 5:
          return call("norm", [this.expr([k, this.dim()], d)], undefined, this.pick(["F", "1", undefined] as const));
        case 6:
          return call("sum", [this.expr([k, 1], d)]);
        case 7:
          return call("logsumexp", [this.expr([k, 1], d)]);
        case 8: {
          const [n, dd] = this.pick(EXPONENTS);
          return pow(this.expr([1, 1], d), num(n, dd));
        }
        case 9:
          return mul(mul(transpose(this.expr([k, 1], d)), this.expr(square, d)), this.expr([k, 1], d));
        case 10:
          return call("tr", [call("kron", [this.expr(square, Math.min(d, 1)), this.squareAny(Math.min(d, 1))])]);
        default:
          return call("abs", [this.expr([1, 1], d)]);
      }
    }
    if (vector && this.rng() < 0.4) {
      switch (this.int(4)) {
        case 0:
          return call("softmax", [this.expr(shape, d)]);
        case 1:
          return call("diag", [this.expr([shape[0], shape[0]], d)]);
        case 2: {
          const j = this.dim();
          return mul(transpose(this.expr([j, shape[0]], d)), this.expr([j, 1], d));
        }
        default:
          return any();
      }
    }
    if (!scalar && !vector && this.rng() < 0.5) {
      const squareShape = shape[0] === shape[1];
      switch (this.int(6)) {
        case 0:
          return transpose(this.expr([shape[1], shape[0]], d));
        case 1:
          return squareShape ? inv(this.expr(shape, Math.min(d, 2))) : any();
        case 2:
          return squareShape ? call("diag", [this.expr([shape[0], 1], d)]) : any();
        case 3:
          return mul(this.expr([shape[0], 1], d), transpose(this.expr([shape[1], 1], d)));
        case 4:
          return squareShape ? add([this.expr(shape, d), identity(shape[0])]) : any();
        default:
          return squareShape ? pow(this.expr(shape, Math.min(d, 1)), num(this.pick([2, 3, -1]))) : any();
      }
    }
    return any();
  }

  private squareAny(depth: number): Expr {
    const k = this.dim();
    return this.expr([k, k], depth);
  }

  declarations(): string {
    const byShape = new Map<string, string[]>();
    for (const [name, { shape, properties }] of this.declared) {
      const s = shape[0] === 1 && shape[1] === 1 ? "scalar" : shape[1] === 1 ? `${shape[0]}` : `${shape[0]}×${shape[1]}`;
      const k = [s, ...properties].join(" ");
      byShape.set(k, [...(byShape.get(k) ?? []), name]);
    }
    return [...byShape].map(([k, names]) => `${names.join(", ")}: ${k}`).join("; ");
  }
}

/** A random problem: an expression, its declarations, a variable it uses, and its text. */
export function generate(rng: () => number): Generated {
  const g = new Generator(rng);
  const scalar = rng() < 0.6;
  const shape: Shape = scalar ? [1, 1] : rng() < 0.5 ? [g.dim(), 1] : [g.dim(), g.dim()];
  const tree = g.expr(shape, 1 + g.int(4));
  const used = [...new Set(collectSymbols(tree))];
  const wrt = used.length ? used[g.int(used.length)]! : "α";
  if (!used.length) g.declared.set("α", { shape: [1, 1], properties: [] });
  const order: 1 | 2 = scalar && rng() < 0.15 ? 2 : 1;
  const spelling: Spelling = g.pick(["unicode", "ascii", "latex"] as const);
  return { tree, where: g.declarations(), wrt: spell(wrt, spelling), order, text: print(tree, spelling), spelling };
}

function collectSymbols(e: Expr): string[] {
  return e.op === "sym" ? [e.name!] : e.args.flatMap(collectSymbols);
}

// ---------- printing, every operand bracketed unless it is a symbol or a number ----------

function spell(name: string, s: Spelling): string {
  return s === "ascii" ? (ASCII_GREEK[name] ?? name) : s === "latex" ? (LATEX_GREEK[name] ? `${LATEX_GREEK[name]} ` : name) : name;
}

export function print(e: Expr, s: Spelling): string {
  const p = (a: Expr) => print(a, s);
  const b = (a: Expr) => (a.op === "sym" || (a.op === "num" && a.value!.d === 1 && a.value!.n >= 0) ? p(a) : `(${p(a)})`);
  const fn = (name: string, args: string) => (s === "latex" ? `\\operatorname{${name}}\\left(${args}\\right)` : `${name}(${args})`);
  switch (e.op) {
    case "sym":
      return spell(e.name!, s);
    case "num":
      return e.value!.d === 1 ? `${e.value!.n}` : s === "latex" ? `\\frac{${e.value!.n}}{${e.value!.d}}` : `(${e.value!.n}/${e.value!.d})`;
    case "identity":
      return "I";
    case "add":
      return e.args.map(b).join(" + ");
    case "neg":
      return `-${b(e.args[0]!)}`;
    case "mul":
      return s === "ascii" ? `${b(e.args[0]!)}*${b(e.args[1]!)}` : s === "latex" ? `${b(e.args[0]!)} \\cdot ${b(e.args[1]!)}` : `${b(e.args[0]!)}·${b(e.args[1]!)}`;
    case "div":
      return s === "latex" ? `\\frac{${p(e.args[0]!)}}{${p(e.args[1]!)}}` : `${b(e.args[0]!)}/${b(e.args[1]!)}`;
    case "transpose":
      return s === "ascii" ? `${b(e.args[0]!)}'` : s === "latex" ? `${b(e.args[0]!)}^\\top` : `${b(e.args[0]!)}ᵀ`;
    case "inv":
      return s === "ascii" ? `inv(${p(e.args[0]!)})` : s === "latex" ? `${b(e.args[0]!)}^{-1}` : `${b(e.args[0]!)}⁻¹`;
    case "pow": {
      const k = e.args[1]!.value!;
      const exponent = k.d === 1 ? `${k.n}` : `${k.n}/${k.d}`;
      return s === "ascii" ? `${b(e.args[0]!)}^(${exponent})` : `${b(e.args[0]!)}^{${exponent}}`;
    }
    case "call":
      break;
  }
  const [a, c] = e.args;
  switch (e.fn) {
    case "hadamard":
      return s === "ascii" ? `${b(a!)} .* ${b(c!)}` : s === "latex" ? `${b(a!)} \\odot ${b(c!)}` : `${b(a!)} ⊙ ${b(c!)}`;
    case "hdiv":
      return s === "ascii" ? `${b(a!)} ./ ${b(c!)}` : s === "latex" ? `${b(a!)} \\oslash ${b(c!)}` : `${b(a!)} ⊘ ${b(c!)}`;
    case "kron":
      return s === "ascii" ? `kron(${p(a!)}, ${p(c!)})` : s === "latex" ? `${b(a!)} \\otimes ${b(c!)}` : `${b(a!)} ⊗ ${b(c!)}`;
    case "dot":
      return s === "ascii" ? `dot(${p(a!)}, ${p(c!)})` : s === "latex" ? `\\langle ${p(a!)}, ${p(c!)} \\rangle` : `⟨${p(a!)}, ${p(c!)}⟩`;
    case "norm": {
      const sub = e.sub;
      if (s === "ascii") return sub === "F" ? `norm(${p(a!)}, 'fro')` : sub === "1" ? `norm(${p(a!)}, 1)` : `norm(${p(a!)})`;
      if (s === "latex") return `\\left\\|${p(a!)}\\right\\|${sub === "F" ? "_F" : sub === "1" ? "_1" : ""}`;
      return `‖${p(a!)}‖${sub === "F" ? "_F" : sub === "1" ? "₁" : ""}`;
    }
    case "abs":
      // |a| only where a is clearly a scalar (|X| of a matrix is its determinant).
      return a!.op === "sym" && /^\p{Script=Greek}$/u.test(a!.name!) ? (s === "latex" ? `\\left|${p(a!)}\\right|` : `|${p(a!)}|`) : `abs(${p(a!)})`;
    case "det":
      return s === "latex" ? `\\det\\left(${p(a!)}\\right)` : `det(${p(a!)})`;
    case "logdet":
      return s === "ascii" ? `logdet(${p(a!)})` : s === "latex" ? `\\log\\left|${p(a!)}\\right|` : `log|${p(a!)}|`;
    case "sqrt":
      return s === "latex" ? `\\sqrt{${p(a!)}}` : `sqrt(${p(a!)})`;
    case "log":
    case "exp":
    case "sin":
    case "cos":
    case "tanh":
      return s === "latex" ? `\\${e.fn}\\left(${p(a!)}\\right)` : `${e.fn}(${p(a!)})`;
    default:
      return fn(e.fn!, e.args.map(p).join(", "));
  }
}

// ---------- mutations ----------

const INSERTS = ["(", ")", "[", "]", "{", "}", "|", "‖", "ᵀ", "⁻¹", "²", "−", "–", "—", "∗", "𝑥", "Ｘ", "\u0000", "\u202e", "\u0301", "\u200b", "99999999999999999999", "1e308", "^", "_", "\\", "\\frac", "⊙", "⊗", "/", "+", "·", "x", "α", " ", ",", "$", "%", "'", "\n"];

/** One to three random edits of a valid input: characters deleted, inserted, swapped, or look-alikes. */
export function mutate(text: string, rng: () => number): string {
  let chars = [...text];
  const edits = 1 + Math.floor(rng() * 3);
  for (let k = 0; k < edits; k++) {
    const i = Math.floor(rng() * (chars.length + 1));
    switch (Math.floor(rng() * 4)) {
      case 0:
        chars.splice(i, 1);
        break;
      case 1:
        chars.splice(i, 0, ...INSERTS[Math.floor(rng() * INSERTS.length)]!);
        break;
      case 2:
        if (i + 1 < chars.length) [chars[i], chars[i + 1]] = [chars[i + 1]!, chars[i]!];
        break;
      default:
        chars = chars.map((c) => (c === "x" && rng() < 0.5 ? "𝑥" : c === "-" ? "–" : c === "*" ? "∗" : c));
    }
  }
  return chars.join("");
}
