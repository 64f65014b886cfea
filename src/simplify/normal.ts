import {
  type Expr,
  type Rational,
  add,
  call,
  div,
  identity,
  inv,
  mul,
  neg,
  num,
  pow,
  product,
  rational,
  sym,
  transpose,
} from "../ast.js";
import type { Context } from "../context.js";
import { shapeOf } from "../shapes/infer.js";
import { type Shape, isScalar } from "../shapes/shape.js";
import { isSymmetric } from "./symmetry.js";

// The normal form: a sum of monomials coefficient · scalar factors · word of matrix atoms,
// with transposes on atoms, inverses distributed where valid, traces rotated to a canonical
// cycle and 1×1 words (xᵀAy) turned into scalar factors. Two expressions with equal normal
// forms are equal; like terms are those whose factors and words agree.

/** A matrix that products cannot see into: S, Sᵀ, S⁻¹, S⁻ᵀ, or (P)⁻¹ of a sum P. */
export interface Atom {
  readonly key: string;
  readonly expr: Expr;
  readonly rows: Shape[0];
  readonly cols: Shape[1];
  /** Its transpose, made on demand (it needs the context's symmetry facts). */
  readonly transposed: () => Atom;
  /** Inverting it is the word's business only when it is square. */
  readonly inverse?: () => Atom;
}

/** A scalar that products cannot see into, raised to a rational power. */
export interface Factor {
  readonly key: string;
  readonly expr: Expr;
  readonly power: Rational;
}

export interface Monomial {
  readonly coef: Rational;
  readonly factors: readonly Factor[]; // sorted by key, powers ≠ 0
  readonly word: readonly Atom[];
}

export interface Poly {
  readonly shape: Shape;
  readonly terms: readonly Monomial[];
}

/** Past this many terms an expansion is abandoned, and the caller keeps the unexpanded form. */
export const EXPANSION_LIMIT = 400;
export class TooLarge extends Error {}

// ---------- rationals ----------

const Q = {
  add: (a: Rational, b: Rational) => rational(a.n * b.d + b.n * a.d, a.d * b.d),
  mul: (a: Rational, b: Rational) => rational(a.n * b.n, a.d * b.d),
  neg: (a: Rational) => rational(-a.n, a.d),
  inv: (a: Rational) => rational(a.d, a.n),
  isZero: (a: Rational) => a.n === 0,
  isOne: (a: Rational) => a.n === 1 && a.d === 1,
  key: (a: Rational) => (a.d === 1 ? `${a.n}` : `${a.n}/${a.d}`),
  powInt(a: Rational, k: number): Rational | undefined {
    if (k < 0) return a.n === 0 ? undefined : Q.powInt(Q.inv(a), -k);
    const n = a.n ** k;
    const d = a.d ** k;
    return Number.isSafeInteger(n) && Number.isSafeInteger(d) ? rational(n, d) : undefined;
  },
};
export { Q as Rationals };

// ---------- normal form ----------

export class Normalizer {
  private memo = new Map<Expr, Poly>();
  private atoms = new Map<string, Atom>();

  constructor(readonly ctx: Context) {}

  normalize(e: Expr): Poly {
    const known = this.memo.get(e);
    if (known) return known;
    const result = this.compute(e);
    this.memo.set(e, result);
    return result;
  }

  private compute(e: Expr): Poly {
    const shape = shapeOf(e, this.ctx);
    const a = () => this.normalize(e.args[0]!);
    const b = () => this.normalize(e.args[1]!);
    switch (e.op) {
      case "num":
        return constant(shape, e.value!);
      case "identity":
        return constant(shape, rational(1));
      case "sym": {
        const info = this.ctx.symbols.get(e.name!);
        if (isScalar(shape)) return this.factorPoly({ key: e.name!, expr: e, power: rational(1) });
        if (!info) return single(shape, this.symbolAtom(e.name!, shape));
        return single(shape, this.symbolAtom(e.name!, shape));
      }
      case "add":
        return collect(shape, e.args.flatMap((t) => this.normalize(t).terms));
      case "neg":
        return scale(a(), rational(-1));
      case "mul":
        return this.multiply(a(), b(), shape);
      case "div":
        return this.multiply(a(), this.reciprocal(b()), shape);
      case "transpose":
        return this.transpose(a(), shape);
      case "inv":
        return this.inverse(a(), shape);
      case "pow":
        return this.power(e, shape);
      case "call":
        return this.call(e, shape);
    }
  }

  // --- atoms and factors ---

  private symbolAtom(name: string, shape: Shape): Atom {
    const symmetric = isSymmetric(sym(name), this.ctx);
    const square = shape[0] === shape[1];
    return this.atom(name, sym(name), shape, () =>
      symmetric ? this.symbolAtom(name, shape) : this.atom(`${name}ᵀ`, transpose(sym(name)), [shape[1], shape[0]], () => this.symbolAtom(name, shape), square ? () => this.inverseSymbolAtom(name, shape).transposed() : undefined),
      square ? () => this.inverseSymbolAtom(name, shape) : undefined,
    );
  }

  private inverseSymbolAtom(name: string, shape: Shape): Atom {
    const symmetric = isSymmetric(sym(name), this.ctx);
    const self = (): Atom =>
      this.atom(`${name}⁻¹`, inv(sym(name)), shape, () =>
        symmetric ? self() : this.atom(`${name}⁻ᵀ`, transpose(inv(sym(name))), shape, self, () => this.symbolAtom(name, shape).transposed()),
        () => this.symbolAtom(name, shape),
      );
    return self();
  }

  private atom(key: string, expr: Expr, shape: Shape, transposed: () => Atom, inverse?: () => Atom): Atom {
    const known = this.atoms.get(key);
    if (known) return known;
    const made: Atom = { key, expr, rows: shape[0], cols: shape[1], transposed: once(transposed), inverse: inverse && once(inverse) };
    this.atoms.set(key, made);
    return made;
  }

  /** (P)⁻¹ of a sum P that cannot be distributed: one atom, its transpose the inverse of Pᵀ. */
  private opaqueInverse(p: Poly): Atom {
    const k = `(${polyKey(p)})⁻¹`;
    const known = this.atoms.get(k);
    if (known) return known;
    const shape = p.shape;
    const made: Atom = {
      key: k,
      expr: inv(this.toExpr(p)),
      rows: shape[0],
      cols: shape[1],
      transposed: once(() => {
        const pt = this.transpose(p, [shape[1], shape[0]]);
        return polyKey(pt) === polyKey(p) ? made : this.opaqueInverseTransposed(p, pt, made);
      }),
      inverse: () => this.opaqueAtom(p),
    };
    this.atoms.set(k, made);
    return made;
  }

  private opaqueInverseTransposed(p: Poly, pt: Poly, original: Atom): Atom {
    const k = `(${polyKey(pt)})⁻¹`;
    const known = this.atoms.get(k);
    if (known) return known;
    const made: Atom = {
      key: k,
      expr: transpose(inv(this.toExpr(p))),
      rows: p.shape[1],
      cols: p.shape[0],
      transposed: () => original,
    };
    this.atoms.set(k, made);
    return made;
  }

  /** A sum inside a product, kept whole: only as the inverse of an opaque inverse. */
  private opaqueAtom(p: Poly): Atom {
    return this.atom(`[${polyKey(p)}]`, this.toExpr(p), p.shape, () => this.opaqueAtom(this.transpose(p, [p.shape[1], p.shape[0]])));
  }

  private factorPoly(f: Factor): Poly {
    return { shape: [1, 1], terms: [{ coef: rational(1), factors: [f], word: [] }] };
  }

  // --- operations ---

  multiply(a: Poly, b: Poly, shape: Shape): Poly {
    if (a.terms.length * b.terms.length > EXPANSION_LIMIT) throw new TooLarge();
    const terms: Monomial[] = [];
    for (const x of a.terms) for (const y of b.terms) terms.push(this.multiplyMonomials(x, y, shape));
    return collect(shape, terms);
  }

  private multiplyMonomials(x: Monomial, y: Monomial, shape: Shape): Monomial {
    const merged = mergeFactors(x.factors, y.factors);
    const m: Monomial = { coef: Q.mul(x.coef, y.coef), factors: merged, word: [...x.word, ...y.word] };
    return this.extractScalars(m, shape);
  }

  /** Pull every 1×1 stretch of a word (xᵀAy inside x·xᵀAy·z) out as a scalar factor. */
  private extractScalars(m: Monomial, shape: Shape): Monomial {
    if (isScalar(shape) && m.word.length > 0) return this.wordToFactor(m, 0, m.word.length);
    let word = m.word;
    let factors = m.factors;
    for (let i = 0; i < word.length; i++) {
      if (word[i]!.rows !== 1) continue;
      for (let j = i; j < word.length; j++) {
        if (word[j]!.cols !== 1) continue;
        if (i === 0 && j === word.length - 1) break;
        factors = mergeFactors(factors, [this.scalarWordFactor(word.slice(i, j + 1))]);
        word = [...word.slice(0, i), ...word.slice(j + 1)];
        i--;
        break;
      }
    }
    return { coef: m.coef, factors, word };
  }

  private wordToFactor(m: Monomial, from: number, to: number): Monomial {
    return { coef: m.coef, factors: mergeFactors(m.factors, [this.scalarWordFactor(m.word.slice(from, to))]), word: [] };
  }

  /** xᵀAy = yᵀAᵀx: the factor is the one of the two with the smaller key. */
  private scalarWordFactor(word: readonly Atom[]): Factor {
    const t = transposeWord(word);
    const chosen = wordKey(t) < wordKey(word) ? t : word;
    return { key: `⟨${wordKey(chosen)}⟩`, expr: product(chosen.map((a) => a.expr)), power: rational(1) };
  }

  reciprocal(p: Poly): Poly {
    if (p.terms.length === 1 && p.terms[0]!.word.length === 0 && !Q.isZero(p.terms[0]!.coef)) {
      const m = p.terms[0]!;
      return { shape: p.shape, terms: [{ coef: Q.inv(m.coef), factors: m.factors.map((f) => ({ ...f, power: Q.neg(f.power) })), word: [] }] };
    }
    return this.factorPoly({ key: `(${polyKey(p)})`, expr: this.toExpr(p), power: rational(-1) });
  }

  transpose(p: Poly, shape: Shape): Poly {
    if (isScalar(shape)) return { shape, terms: p.terms };
    return collect(shape, p.terms.map((m) => ({ ...m, word: transposeWord(m.word) })));
  }

  private inverse(p: Poly, shape: Shape): Poly {
    if (isScalar(shape)) return this.reciprocal(p);
    if (p.terms.length === 1) {
      const m = p.terms[0]!;
      // (αABC)⁻¹ = α⁻¹C⁻¹B⁻¹A⁻¹ holds when every factor is square.
      if (m.word.every((a) => a.inverse && a.rows === a.cols) && !Q.isZero(m.coef)) {
        const scalars = this.reciprocal({ shape: [1, 1], terms: [{ ...m, word: [] }] }).terms[0]!;
        return { shape, terms: [{ ...scalars, word: [...m.word].reverse().map((a) => a.inverse!()) }] };
      }
    }
    return single(shape, this.opaqueInverse(p));
  }

  private power(e: Expr, shape: Shape): Poly {
    const k = e.args[1]!.value!;
    const base = e.args[0]!;
    if (!isScalar(shape)) {
      if (k.d !== 1) throw new TooLarge();
      let result = constant(shape, rational(1));
      const b = this.normalize(base);
      for (let i = 0; i < Math.abs(k.n); i++) result = this.multiply(result, b, shape);
      return k.n < 0 ? this.inverse(result, shape) : result;
    }
    // ‖A‖^(2j) = tr(AᵀA)^j: the squared norm is a polynomial.
    if (base.op === "call" && base.fn === "norm" && k.d === 1 && k.n % 2 === 0) {
      const squared = this.normalize(call("tr", [mul(transpose(base.args[0]!), base.args[0]!)]));
      return this.scalarPower(squared, rational(k.n / 2));
    }
    return this.scalarPower(this.normalize(base), k);
  }

  private scalarPower(p: Poly, k: Rational): Poly {
    if (p.terms.length === 1) {
      const m = p.terms[0]!;
      const coef = k.d === 1 ? Q.powInt(m.coef, k.n) : Q.isOne(m.coef) ? m.coef : undefined;
      if (coef) return { shape: p.shape, terms: [{ coef, factors: m.factors.map((f) => ({ ...f, power: Q.mul(f.power, k) })).filter((f) => !Q.isZero(f.power)), word: [] }] };
    }
    if (k.d === 1 && k.n > 0 && k.n <= 4) {
      let result = constant(p.shape, rational(1));
      for (let i = 0; i < k.n; i++) result = this.multiply(result, p, p.shape);
      return result;
    }
    if (k.d === 1 && k.n < 0 && k.n >= -4) return this.reciprocal(this.scalarPower(p, rational(-k.n)));
    return this.factorPoly({ key: `(${polyKey(p)})`, expr: this.toExpr(p), power: k });
  }

  private call(e: Expr, shape: Shape): Poly {
    const fn = e.fn!;
    const arg = e.args[0]!;
    if (fn === "tr") return this.trace(this.normalize(arg));
    if (fn === "sqrt") return this.scalarPower(this.normalize(arg), rational(1, 2));
    const p = this.normalize(arg);
    if (fn === "logdet" || fn === "det") {
      // det Aᵀ = det A; det A⁻¹ = 1/det A.
      const pt = this.transpose(p, [p.shape[1], p.shape[0]]);
      const canonical = polyKey(pt) < polyKey(p) ? pt : p;
      const m = canonical.terms[0];
      if (canonical.terms.length === 1 && m!.word.length === 1 && Q.isOne(m!.coef) && m!.factors.length === 0 && m!.word[0]!.inverse && m!.word[0]!.key.includes("⁻")) {
        const base = single(p.shape, m!.word[0]!.inverse!());
        const f = this.call(call(fn, [this.toExpr(base)]), shape);
        return fn === "det" ? this.reciprocal(f) : scale(f, rational(-1));
      }
      return this.factorPoly({ key: `${fn}(${polyKey(canonical)})`, expr: call(fn, [this.toExpr(canonical)]), power: rational(1) });
    }
    if (fn === "norm") {
      const pt = this.transpose(p, [p.shape[1], p.shape[0]]);
      const canonical = polyKey(pt) < polyKey(p) ? pt : p;
      return this.factorPoly({ key: `norm(${polyKey(canonical)})`, expr: call("norm", [this.toExpr(canonical)]), power: rational(1) });
    }
    return this.factorPoly({ key: `${fn}(${polyKey(p)})`, expr: call(fn, [this.toExpr(p)]), power: rational(1) });
  }

  /** tr is linear; tr(word) is rotated (and transposed) to its smallest key; tr(Iₙ) = n. */
  private trace(p: Poly): Poly {
    const terms: Monomial[] = p.terms.map((m) => {
      if (m.word.length === 0) {
        const n = p.shape[0];
        if (typeof n === "number") return { ...m, coef: Q.mul(m.coef, rational(n)) };
        if (!n.startsWith("?")) {
          this.registerDimension(n);
          return { ...m, factors: mergeFactors(m.factors, [{ key: n, expr: sym(n), power: rational(1) }]) };
        }
        return { ...m, factors: mergeFactors(m.factors, [{ key: "tr(I)", expr: call("tr", [identity(n)]), power: rational(1) }]) };
      }
      const best = canonicalCycle(m.word);
      const scalarWord = best[0]!.rows === 1 && best[best.length - 1]!.cols === 1;
      const f: Factor = scalarWord
        ? this.scalarWordFactor(best)
        : { key: `tr(${wordKey(best)})`, expr: call("tr", [product(best.map((a) => a.expr))]), power: rational(1) };
      return { coef: m.coef, factors: mergeFactors(m.factors, [f]), word: [] };
    });
    return collect([1, 1], terms);
  }

  private registerDimension(n: string): void {
    if (!this.ctx.symbols.has(n))
      this.ctx.symbols.set(n, { name: n, shape: [1, 1], properties: new Set(), dimension: true, declared: false });
  }

  // ---------- back to an expression ----------

  /** The plain sum of products (no factoring). */
  toExpr(p: Poly): Expr {
    if (p.terms.length === 0) return num(0);
    return add(p.terms.map((m) => monomialExpr(m, p.shape)));
  }
}

export function monomialExpr(m: Monomial, shape: Shape): Expr {
  const positive = m.coef.n < 0 ? Q.neg(m.coef) : m.coef;
  const numerator: Expr[] = [];
  const denominator: Expr[] = [];
  if (positive.n !== 1) numerator.push(num(positive.n));
  if (positive.d !== 1) denominator.push(num(positive.d));
  for (const f of [...m.factors].sort((x, y) => readingRank(x) - readingRank(y))) {
    const p = f.power;
    const target = p.n > 0 ? numerator : denominator;
    const abs = rational(Math.abs(p.n), p.d);
    target.push(Q.isOne(abs) ? f.expr : abs.d === 2 && abs.n === 1 ? call("sqrt", [f.expr]) : pow(f.expr, num(abs.n, abs.d)));
  }
  const scalarPart = numerator.length ? product(numerator) : undefined;
  const matrixPart = m.word.length ? product(m.word.map((a) => a.expr)) : !isScalar(shape) ? identity(shape[0]) : undefined;
  let body: Expr;
  if (denominator.length) {
    const top = scalarPart ?? num(1);
    const fraction = div(top, product(denominator));
    body = matrixPart ? mul(fraction, matrixPart) : fraction;
  } else if (scalarPart && matrixPart) body = mul(scalarPart, matrixPart);
  else body = scalarPart ?? matrixPart ?? num(1);
  return m.coef.n < 0 ? neg(body) : body;
}

/** Scalars are written Greek letters first, then other symbols, then functions: −αDK⁻¹X. */
function readingRank(f: Factor): number {
  if (f.expr.op !== "sym") return 2;
  return /^\p{Script=Greek}/u.test(f.expr.name!) ? 0 : 1;
}

// ---------- helpers ----------

function once<T>(f: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= f());
}

const constant = (shape: Shape, c: Rational): Poly => ({ shape, terms: Q.isZero(c) ? [] : [{ coef: c, factors: [], word: [] }] });
const single = (shape: Shape, a: Atom): Poly => ({ shape, terms: [{ coef: rational(1), factors: [], word: [a] }] });

export function scale(p: Poly, c: Rational): Poly {
  return { shape: p.shape, terms: Q.isZero(c) ? [] : p.terms.map((m) => ({ ...m, coef: Q.mul(m.coef, c) })) };
}

export function transposeWord(word: readonly Atom[]): Atom[] {
  return [...word].reverse().map((a) => a.transposed());
}

export const wordKey = (word: readonly Atom[]): string => word.map((a) => a.key).join("·");

const factorsKey = (fs: readonly Factor[]): string => fs.map((f) => (Q.isOne(f.power) ? f.key : `${f.key}^${Q.key(f.power)}`)).join("·");

/** Key of a monomial without its coefficient: like terms share it. */
export const termKey = (m: Monomial): string => `${factorsKey(m.factors)}|${wordKey(m.word)}`;

export const polyKey = (p: Poly): string => p.terms.map((m) => `${Q.key(m.coef)}*${termKey(m)}`).join(" + ");

function mergeFactors(a: readonly Factor[], b: readonly Factor[]): Factor[] {
  if (b.length === 0) return [...a];
  const byKey = new Map<string, Factor>();
  for (const f of [...a, ...b]) {
    const known = byKey.get(f.key);
    byKey.set(f.key, known ? { ...known, power: Q.add(known.power, f.power) } : f);
  }
  return [...byKey.values()].filter((f) => !Q.isZero(f.power)).sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
}

/** Like terms added; zero terms dropped; order canonical. */
export function collect(shape: Shape, terms: readonly Monomial[]): Poly {
  const byKey = new Map<string, Monomial>();
  for (const m of terms) {
    const k = termKey(m);
    const known = byKey.get(k);
    byKey.set(k, known ? { ...known, coef: Q.add(known.coef, m.coef) } : m);
  }
  const kept = [...byKey.entries()].filter(([, m]) => !Q.isZero(m.coef)).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
  if (kept.length > EXPANSION_LIMIT) throw new TooLarge();
  return { shape, terms: kept.map(([, m]) => m) };
}

/** The rotation of a trace's word, or of its transpose, with the smallest key. */
function canonicalCycle(word: readonly Atom[]): Atom[] {
  let best: Atom[] = [...word];
  for (const w of [word, transposeWord(word)])
    for (let r = 0; r < w.length; r++) {
      const rotated = [...w.slice(r), ...w.slice(0, r)];
      if (wordKey(rotated) < wordKey(best)) best = rotated;
    }
  return best;
}
