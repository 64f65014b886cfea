import {
  type Expr,
  type Rational,
  add,
  call,
  distinctPostorder,
  div,
  identity,
  inv,
  mul,
  neg,
  ones,
  num,
  pow,
  product,
  rational,
  sym,
  transpose,
} from "../ast.js";
import { joined, mapped, reverseMapped } from "../arrays.js";
import { type Context, type MemoKey, memoOf } from "../context.js";
import { isSymmetricSymbol, shapeOf } from "../shapes/infer.js";
import { type Shape, isScalar } from "../shapes/shape.js";
import { LIMITS, type StopReason } from "./limits.js";
import { functionSpec } from "../functions/index.js";
import { cost } from "./cost.js";
import { withinMemory } from "../memory.js";

// The normal form: a sum of monomials coefficient · scalar factors · word of matrix atoms,
// with transposes on atoms, inverses distributed where valid, traces rotated to a canonical
// cycle and 1×1 words (xᵀAy) turned into scalar factors. Two expressions with equal normal
// forms are equal; like terms are those whose factors and words agree.

/** Trees up to this height are normalized by recursion, as they always were. */
const DEEP_TREE = 100;
/** Thrown DEEP_TREE normalize() calls down, caught by the outermost (Normalizer.normalize). */
const TOO_DEEP = new Error("internal: a tree too deep to normalize recursively");

/** A matrix that products cannot see into: S, Sᵀ, S⁻¹, S⁻ᵀ, or (P)⁻¹ of a sum P. */
export interface Atom {
  readonly key: string;
  readonly expr: Expr;
  readonly rows: Shape[0];
  readonly cols: Shape[1];
  /** Its transpose, made on demand (it needs the context's symmetry facts); see transposedAtom. */
  readonly transposed: () => Atom;
  /** The atoms inside it that its transpose transposes (those of (P)⁻¹'s sum P, of f(W)'s word W). */
  readonly parts?: readonly Atom[];
  /** Inverting it is the word's business only when it is square. */
  readonly inverse?: () => Atom;
  /** 𝟙 ("col") or 𝟙ᵀ ("row"): 𝟙ᵀA𝟙 reads back as sum(A). */
  readonly ones?: "col" | "row";
  /** diag(w) of a vector word w: diag(a)·diag(b) = diag(a ⊙ b). */
  readonly diagonalOf?: readonly Atom[];
  /** A Hadamard monomial a ⊙ b ⊘ c: its bases, so that further ⊙ and ⊘ merge into it. */
  readonly hadamardOf?: readonly HadamardBase[];
}

/**
 * One base of a Hadamard monomial, to a nonzero integer power: a word, or a sum that divides
 * (sums that multiply are expanded). ⊙ commutes, so the bases are kept sorted by key and
 * ⊘ is a negative power: (y ⊘ x) ⊙ x = y cancels before anything is expanded.
 */
export interface HadamardBase {
  readonly key: string;
  readonly word?: readonly Atom[];
  readonly divisor?: Poly;
  readonly power: number;
}

/** A scalar that products cannot see into, raised to a rational power. */
export interface Factor {
  readonly key: string;
  readonly expr: Expr;
  readonly power: Rational;
  /** tr(W) of a word W: the word, so that c₁tr(W₁) + c₂tr(W₂) can be read as tr(c₁W₁ + c₂W₂). */
  readonly trace?: readonly Atom[];
}

/**
 * Every factor is made here, with every field: one hidden class. A spread `{ ...f, power }` made
 * others, and V8 looked its store up again at every call (the most frequent cache miss of a run).
 */
export const factor = (key: string, expr: Expr, power: Rational, trace?: readonly Atom[]): Factor => ({ key, expr, power, trace });
export const withPower = (f: Factor, power: Rational): Factor => factor(f.key, f.expr, power, f.trace);
export const reciprocalFactor = (f: Factor): Factor => withPower(f, Q.neg(f.power));

export interface Monomial {
  readonly coef: Rational;
  readonly factors: readonly Factor[]; // sorted by key, powers ≠ 0
  readonly word: readonly Atom[];
}

/** Every monomial is made here: one hidden class for the many functions that read them. */
export const monomial = (coef: Rational, factors: readonly Factor[], word: readonly Atom[]): Monomial => ({ coef, factors, word });

export interface Poly {
  readonly shape: Shape;
  readonly terms: readonly Monomial[];
}

/**
 * A normal form not computed: past one of the limits (src/simplify/limits.ts), or with no
 * polynomial form (a fractional power of a matrix); the caller keeps the unexpanded form.
 */
export class TooLarge extends Error {
  constructor(readonly limit?: StopReason) {
    super(limit ? `past the ${limit} limit` : "no normal form");
  }
}

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

/** The symbol v of a 1×1 stretch 𝟙ᵀv or vᵀ𝟙, if v is one. */
function summedSymbol([a, b]: readonly Atom[]): Expr | undefined {
  const other = a!.ones === "row" ? b! : b!.ones === "col" ? a! : undefined;
  const e = other?.expr.op === "transpose" ? other.expr.args[0]! : other?.expr;
  return e?.op === "sym" ? e : undefined;
}

/**
 * The word of a partial product of a chain, of one term, that grows in place as the chain is
 * multiplied (Normalizer.chainProduct), with the partial products below it that are stretches of it.
 */
class Growing {
  /** Atoms put before the word since it began: a stretch's start is its `at` plus this. */
  shifted = 0;
  readonly stretches: Stretch[] = [];
  /** Whether an atom of one row (one column) has been in the word. */
  private oneRow = false;
  private oneColumn = false;

  constructor(
    readonly word: Atom[],
    public poly: Poly,
  ) {
    for (let i = 0; i < word.length; i++) this.noted(word[i]!);
  }

  /** a, noted as an atom of the word. */
  noted(a: Atom): Atom {
    if (a.rows === 1) this.oneRow = true;
    if (a.cols === 1) this.oneColumn = true;
    return a;
  }

  /** Whether the word may hold a 1×1 stretch (Normalizer.extractScalars). */
  mayHoldScalar(): boolean {
    return this.oneRow && this.oneColumn;
  }

  with(p: Poly): Growing {
    this.poly = p;
    return this;
  }

  /** The partial product `node` as this word is now. */
  stretch(node: Expr): Stretch {
    const m = this.poly.terms[0]!;
    const s: Stretch = { node, shape: this.poly.shape, coef: m.coef, factors: m.factors, owner: this, at: -this.shifted, length: this.word.length, made: false };
    this.stretches.push(s);
    return s;
  }
}

/** A partial product whose word is word[at + shifted, … + length) of a growing word, while that stretch is unchanged. */
interface Stretch {
  readonly node: Expr;
  readonly shape: Shape;
  readonly coef: Rational;
  readonly factors: readonly Factor[];
  readonly owner: Growing;
  readonly at: number;
  readonly length: number;
  made: boolean;
}

/**
 * One normalizer per context, kept in it with its memo: expressions are immutable, so a node's
 * normal form does not change, and the many like-term checks of a simplification share their work.
 */
export function sharedNormalizer(ctx: Context): Normalizer {
  return memoOf(ctx, SHARED);
}

const SHARED: MemoKey<Normalizer> = { name: "normalizer", empty: (ctx) => new Normalizer(ctx) };

/** The same for the coarser normal form that keeps sums inside products whole (simplify() asks it of every candidate answer, and a Hessian's of its gradient's too). */
export function sharedCoarseNormalizer(ctx: Context): Normalizer {
  return memoOf(ctx, SHARED_COARSE);
}

const SHARED_COARSE: MemoKey<Normalizer> = { name: "coarse normalizer", empty: (ctx) => new Normalizer(ctx, { sumsAsAtoms: true }) };

/**
 * Keys held in longer keys ((P)⁻¹ holds P's key, tr(W) its word's) are replaced past
 * LONGEST_EMBEDDED_KEY characters by a token, so that the key of n nested inverses is not n²
 * long. A token is a hash of the key it stands for, with a count among the keys of that hash
 * should two collide: its text, hence the place of its terms in the canonical order, depends on
 * the key alone, not on what was normalized before. Equal tokens are equal keys: a key is
 * looked up whole. One table per context: its normalizers' keys are compared with one another.
 */
class KeyTokens {
  private readonly byKey = new Map<string, string>();
  private readonly collisions = new Map<number, number>();

  of(key: string): string {
    let token = this.byKey.get(key);
    if (token === undefined) {
      const h = hash53(key);
      const count = this.collisions.get(h) ?? 0;
      this.collisions.set(h, count + 1);
      token = `#${h.toString(36)}${count ? `~${count}` : ""}`;
      this.byKey.set(key, token);
    }
    return token;
  }
}

const KEY_TOKENS: MemoKey<KeyTokens> = { name: "key tokens", empty: () => new KeyTokens() };

/**
 * Keys held whole up to this length: the longest one the corpus embeds has 216 characters, so
 * that the canonical order of its answers' terms is as it was before tokens.
 */
const LONGEST_EMBEDDED_KEY = 256;

/** cyrb53, a 53-bit string hash (public domain, bryc). */
function hash53(s: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

export class Normalizer {
  private memo = new Map<Expr, Poly | TooLarge>();
  /** Partial products of chains (chainProduct), their normal forms not made yet. */
  private stretches = new Map<Expr, Stretch>();
  private atoms = new Map<string, Atom>();
  /** (P)⁻¹ of each sum P that has one (opaqueInverse). */
  private opaqueInverses = new WeakMap<Poly, Atom>();
  /** Per defined vector: whether its entries sum to 0 (see sumsToZero). */
  private centred = new Map<string, boolean>();

  /**
   * With `sumsAsAtoms`, a sum inside a product stays whole, an atom (or a scalar factor) of its
   * own: (X − WWᵀX)Xᵀ is one monomial. That normal form is coarser — it misses equalities that
   * need expanding — but factoring it finds textbook forms that name a residual twice.
   */
  constructor(
    readonly ctx: Context,
    readonly options: { readonly sumsAsAtoms?: boolean } = {},
  ) {
    this.tokens = memoOf(ctx, KEY_TOKENS);
  }

  /** The tokens of long keys, shared by the context's normalizers. */
  private readonly tokens: KeyTokens;

  /** A key as another key holds it: itself, or its token when it is long (see KeyTokens). */
  private embedded(key: string): string {
    return key.length <= LONGEST_EMBEDDED_KEY ? key : this.tokens.of(key);
  }

  /** The normal form of e; with sumsAsAtoms, only e's own top-level sum is expanded. */
  normalizeTop(e: Expr): Poly {
    if (e.op === "add") return collect(shapeOf(e, this.ctx), e.args.flatMap((t) => this.normalizeTop(t).terms));
    if (e.op === "neg") return scale(this.normalizeTop(e.args[0]!), rational(-1));
    return this.normalize(e);
  }

  normalize(e: Expr): Poly {
    const known = this.memo.get(e);
    if (known instanceof TooLarge) throw known;
    if (known) return known;
    const stretch = this.stretches.get(e);
    if (stretch) return this.madeOf(stretch);
    const outermost = this.computing === 0;
    // DEEP_TREE calls down: back to the outermost call, which goes on from the innermost node out
    if (this.computing > DEEP_TREE) throw TOO_DEEP;
    this.computing++;
    let result: Poly;
    try {
      result = this.compute(e);
    } catch (err) {
      if (err === TOO_DEEP && outermost) {
        this.computing--;
        this.normalizeInnermostFirst(e);
        this.computing++;
        result = this.compute(e);
      } else {
        // Too large once, too large again: remember it.
        if (err instanceof TooLarge) this.memo.set(e, err);
        throw err;
      }
    } finally {
      this.computing--;
    }
    this.memo.set(e, result);
    return result;
  }

  /**
   * How many normalize() calls are under way. Past DEEP_TREE a deep tree (n nested inverses) is
   * normalized from its innermost node out instead: telling that by the tree's height before each
   * outermost call cost every small derivation a walk of its tree.
   */
  private computing = 0;

  /**
   * The nodes below a deep tree's root (n nested inverses) normalized from the innermost out, so
   * that normalizing a node finds its operands done rather than recursing as deep as the tree.
   * Products are left to chainProduct, which multiplies a chain in one pass; a node too large
   * is remembered as such, and matters only if the root needs it.
   */
  private normalizeInnermostFirst(root: Expr): void {
    for (const n of distinctPostorder(root, (x) => this.memo.has(x) || this.stretches.has(x)))
      if (n !== root && n.op !== "mul")
        try {
          this.normalize(n);
        } catch (err) {
          if (!(err instanceof TooLarge)) throw err;
        }
  }

  private compute(e: Expr): Poly {
    withinMemory();
    const shape = shapeOf(e, this.ctx);
    const a = () => this.normalize(e.args[0]!);
    const b = () => this.normalize(e.args[1]!);
    switch (e.op) {
      case "num":
        return constant(shape, e.value!);
      case "identity":
        return constant(shape, rational(1));
      case "sym":
        if (isScalar(shape)) return this.factorPoly(factor(e.name!, e, rational(1)));
        return single(shape, this.symbolAtom(e.name!, shape));
      case "add": {
        const sum = collect(shape, e.args.flatMap((t) => this.normalize(t).terms));
        if (!this.options.sumsAsAtoms || sum.terms.length < 2) return sum;
        if (isScalar(shape)) return this.factorPoly(factor(`(${this.embedded(polyKey(sum))})`, this.toExpr(sum), rational(1)));
        return single(shape, this.opaqueAtom(sum));
      }
      case "neg":
        return scale(a(), rational(-1));
      case "mul":
        return this.chainProduct(e);
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
    const symmetric = isSymmetricSymbol(sym(name), this.ctx);
    const square = shape[0] === shape[1];
    return this.atom(name, sym(name), shape, () =>
      symmetric ? this.symbolAtom(name, shape) : this.atom(`${name}ᵀ`, transpose(sym(name)), [shape[1], shape[0]], () => this.symbolAtom(name, shape), square ? () => this.inverseSymbolAtom(name, shape).transposed() : undefined),
      square ? () => this.inverseSymbolAtom(name, shape) : undefined,
    );
  }

  private inverseSymbolAtom(name: string, shape: Shape): Atom {
    const symmetric = isSymmetricSymbol(sym(name), this.ctx);
    const self = (): Atom =>
      this.atom(`${name}⁻¹`, inv(sym(name)), shape, () =>
        symmetric ? self() : this.atom(`${name}⁻ᵀ`, transpose(inv(sym(name))), shape, self, () => this.symbolAtom(name, shape).transposed()),
        () => this.symbolAtom(name, shape),
      );
    return self();
  }

  private atom(key: string, expr: Expr | (() => Expr), shape: Shape, transposed: () => Atom, inverse?: () => Atom, ones?: "col" | "row", diagonalOf?: readonly Atom[], parts?: readonly Atom[]): Atom {
    const known = this.atoms.get(key);
    if (known) return known;
    const made = new NormalAtom(key, shape[0], shape[1], once(transposed), inverse && once(inverse), ones, diagonalOf, parts, expr);
    this.atoms.set(key, made);
    return made;
  }

  /** (P)⁻¹ of a sum P that cannot be distributed: one atom, its transpose the inverse of Pᵀ. */
  private opaqueInverse(p: Poly): Atom {
    // by the sum first: its key holds every inner sum's, and an atom's key is read in full
    const ofSum = this.opaqueInverses.get(p);
    if (ofSum) return ofSum;
    const k = `(${this.embedded(polyKey(p))})⁻¹`;
    const known = this.atoms.get(k);
    if (known) {
      this.opaqueInverses.set(p, known);
      return known;
    }
    const shape = p.shape;
    const made: Atom = new NormalAtom(
      k,
      shape[0],
      shape[1],
      once(() => {
        const pt = this.transpose(p, [shape[1], shape[0]]);
        return samePoly(pt, p) ? made : this.opaqueInverseTransposed(p, pt, made);
      }),
      () => this.opaqueAtom(p),
      undefined,
      undefined,
      atomsOf(p),
      inv(this.toExpr(p)),
    );
    this.atoms.set(k, made);
    this.opaqueInverses.set(p, made);
    return made;
  }

  private opaqueInverseTransposed(p: Poly, pt: Poly, original: Atom): Atom {
    const k = `(${this.embedded(polyKey(pt))})⁻¹`;
    const known = this.atoms.get(k);
    if (known) return known;
    const made = new NormalAtom(k, p.shape[1], p.shape[0], () => original, undefined, undefined, undefined, undefined, transpose(inv(this.toExpr(p))));
    this.atoms.set(k, made);
    return made;
  }

  /** A sum inside a product, kept whole: only as the inverse of an opaque inverse. */
  private opaqueAtom(p: Poly): Atom {
    const square = p.shape[0] === p.shape[1];
    // Of a sum and its transpose, one prints as the sum and the other as its transpose, so that
    // (X − WWᵀX)Xᵀ + X(X − WWᵀX)ᵀ shows one residual twice. The one printed as the sum is the
    // column (WᵀWx − x, not xᵀWᵀW − xᵀ), else the one with fewer transposes, else by key.
    const expr = () => {
      const pt = this.transposed(p);
      const rank = (q: Poly) => [q.shape[0] === 1 && q.shape[1] !== 1 ? 1 : 0, transposedAtoms(q), polyKey(q)] as const;
      const [a, b] = [rank(p), rank(pt)];
      const transposedReads = b[0] !== a[0] ? b[0] < a[0] : b[1] !== a[1] ? b[1] < a[1] : b[2] < a[2];
      return transposedReads ? transpose(readingExpr(pt)) : readingExpr(p);
    };
    return this.atom(
      `[${this.embedded(polyKey(p))}]`,
      expr,
      p.shape,
      () => this.opaqueAtom(this.transposed(p)),
      square ? () => this.opaqueInverse(p) : undefined,
      undefined,
      undefined,
      atomsOf(p),
    );
  }

  private factorPoly(f: Factor): Poly {
    return { shape: [1, 1], terms: [monomial(rational(1), [f], [])] };
  }

  // --- operations ---

  /**
   * The product e with the products below it not normalized yet, a chain W₁W₂⋯Wₙ of binary
   * products, multiplied in one pass, pair by pair as e groups them (so the normal form is the one
   * multiplying pair by pair gives): the word of a partial product of one term grows in place, and
   * each partial product below e is kept as the stretch of that word it was, its normal form made
   * only when asked for. A chain of n products then costs time and memory linear in n, where
   * copying and keeping every partial product's word costs n². A product the chain reaches twice
   * is normalized on its own.
   */
  private chainProduct(e: Expr): Poly {
    const known = (c: Expr) => this.memo.has(c) || this.stretches.has(c);
    const l = e.args[0]!;
    const r = e.args[1]!;
    // no product below that is not known: one product, as most are
    if ((l.op !== "mul" || known(l)) && (r.op !== "mul" || known(r))) return this.multiply(this.normalize(l), this.normalize(r), shapeOf(e, this.ctx));
    const parents = new Map<Expr, number>([[e, 1]]);
    const stack = [e];
    while (stack.length) {
      const args = stack.pop()!.args;
      for (let i = 0; i < args.length; i++) {
        const c = args[i]!;
        if (c.op !== "mul" || known(c)) continue;
        const seen = parents.get(c);
        parents.set(c, (seen ?? 0) + 1);
        if (seen === undefined) stack.push(c);
      }
    }
    const inChain = (c: Expr) => c.op === "mul" && parents.get(c) === 1 && !known(c);
    const partial = (n: Expr): Poly | Growing => {
      const l = n.args[0]!;
      const r = n.args[1]!;
      const product = this.multiplyGrowing(inChain(l) ? partial(l) : this.normalize(l), inChain(r) ? partial(r) : this.normalize(r), shapeOf(n, this.ctx));
      if (n !== e) {
        if (product instanceof Growing) this.stretches.set(n, product.stretch(n));
        else this.memo.set(n, product);
      }
      return product;
    };
    const product = partial(e);
    return product instanceof Growing ? product.poly : product;
  }

  /** a·b, grown in place where a or b is a growing word and both are one term. */
  private multiplyGrowing(a: Poly | Growing, b: Poly | Growing, shape: Shape): Poly | Growing {
    const pa = a instanceof Growing ? a.poly : a;
    const pb = b instanceof Growing ? b.poly : b;
    if (pa.terms.length !== 1 || pb.terms.length !== 1 || !(a instanceof Growing || b instanceof Growing)) {
      // a product's word is new: one whose key is not made yet may grow
      const p = this.multiply(pa, pb, shape);
      return p.terms.length === 1 && !wordKeys.has(p.terms[0]!.word) ? new Growing(p.terms[0]!.word as Atom[], p) : p;
    }
    const x = pa.terms[0]!;
    const y = pb.terms[0]!;
    const grown = a instanceof Growing ? this.append(a, y.word) : this.prepend(x.word, b as Growing);
    const joined = monomial(Q.mul(x.coef, y.coef), mergeFactors(x.factors, y.factors), grown.word);
    // a 1×1 stretch needs an atom of one row and one of one column: without, the word is not read again
    const m = isScalar(shape) || grown.mayHoldScalar() ? this.extractScalars(joined, shape) : joined;
    const p = collect(shape, [m]);
    // A word that pulling out a scalar made anew starts growing anew; the old one no longer changes.
    if (p.terms.length !== 1) return p;
    return m.word === grown.word ? grown.with(p) : new Growing(m.word as Atom[], p);
  }

  /** joinWords(g's word, y) in g's word: y's atoms pushed onto it. */
  private append(g: Growing, y: readonly Atom[]): Growing {
    const x = g.word;
    let i = 0;
    while (i < y.length && x.length - i > 0 && cancels(x[x.length - 1 - i]!, y[i]!)) i++;
    const seam = x.length - i;
    const merges = seam > 0 && i < y.length && x[seam - 1]!.diagonalOf !== undefined && y[i]!.diagonalOf !== undefined;
    // partial products that end past what changes are made before it changes (a word only
    // pushed onto changes none)
    if (i > 0 || merges) this.settle(g, (_start, end) => end > seam - (merges ? 1 : 0));
    for (let j = 0; j < i; j++) x.pop();
    for (let j = i; j < y.length; j++) x.push(g.noted(y[j]!));
    if (merges) this.mergeDiagonals(x, seam - 1), g.noted(x[seam - 1]!);
    return g;
  }

  /** joinWords(x, g's word) in g's word: x's atoms put before it. */
  private prepend(x: readonly Atom[], g: Growing): Growing {
    const y = g.word;
    let i = 0;
    while (i < y.length && x.length - i > 0 && cancels(x[x.length - 1 - i]!, y[i]!)) i++;
    const kept = x.length - i;
    const merges = kept > 0 && i < y.length && x[kept - 1]!.diagonalOf !== undefined && y[i]!.diagonalOf !== undefined;
    if (i > 0 || merges) this.settle(g, (start) => start < i + (merges ? 1 : 0));
    y.splice(0, i, ...x.slice(0, kept).map((a) => g.noted(a)));
    if (merges) this.mergeDiagonals(y, kept - 1), g.noted(y[kept - 1]!);
    // the stretches after the seam moved by the atoms put before them, less the one a merge saved
    g.shifted += kept - i - (merges ? 1 : 0);
    return g;
  }

  /** The partial products kept in g's word that `changes` says are about to change, made now. */
  private settle(g: Growing, changes: (start: number, end: number) => boolean): void {
    for (const s of g.stretches) {
      const start = s.at + g.shifted;
      if (!s.made && changes(start, start + s.length)) this.madeOf(s);
    }
  }

  /** The normal form of a partial product kept as a stretch of a word. */
  private madeOf(s: Stretch): Poly {
    const start = s.at + s.owner.shifted;
    const p: Poly = { shape: s.shape, terms: [monomial(s.coef, s.factors, s.owner.word.slice(start, start + s.length))] };
    s.made = true;
    this.stretches.delete(s.node);
    this.memo.set(s.node, p);
    return p;
  }

  multiply(a: Poly, b: Poly, shape: Shape): Poly {
    if (a.terms.length * b.terms.length > LIMITS.expansionTerms) throw new TooLarge("expansionTerms");
    const terms: Monomial[] = [];
    for (let i = 0; i < a.terms.length; i++) for (let j = 0; j < b.terms.length; j++) terms.push(this.multiplyMonomials(a.terms[i]!, b.terms[j]!, shape));
    return collect(shape, terms);
  }

  private multiplyMonomials(x: Monomial, y: Monomial, shape: Shape): Monomial {
    const merged = mergeFactors(x.factors, y.factors);
    const m = monomial(Q.mul(x.coef, y.coef), merged, this.joinWords(x.word, y.word));
    return this.extractScalars(m, shape);
  }

  /**
   * x·y of two words already tidy, so that only at the seam X·X⁻¹ = X⁻¹·X = I cancels (an
   * inverse in the expression says X is invertible) and diag(a)·diag(b) = diag(a ⊙ b) merges;
   * a long product is then built in time linear in its length, its key from its halves' keys.
   */
  private joinWords(x: readonly Atom[], y: readonly Atom[]): Atom[] {
    if (x.length === 0 || y.length === 0 || !cancels(x[x.length - 1]!, y[0]!)) {
      const out = x.concat(y);
      if (mergesAt(out, x.length)) this.mergeDiagonals(out, x.length - 1);
      else if (x.length && y.length && out.length > SHORT_WORD) wordKeys.set(out, `${wordKey(x)}·${wordKey(y)}`);
      return out;
    }
    const out = x.slice();
    let i = 0;
    for (; i < y.length && out.length > 0 && cancels(out[out.length - 1]!, y[i]!); i++) out.pop();
    const seam = out.length;
    for (let j = i; j < y.length; j++) out.push(y[j]!);
    if (mergesAt(out, seam)) this.mergeDiagonals(out, seam - 1);
    return out;
  }

  /** diag(a)·diag(b) = diag(a ⊙ b) at word[i], word[i + 1]. */
  private mergeDiagonals(word: Atom[], i: number): void {
    const n = word[i]!.rows;
    const v: Shape = [n, 1];
    const product = this.hadamardWord(mergeBases(hadamardBases(word[i]!.diagonalOf!), hadamardBases(word[i + 1]!.diagonalOf!)), v);
    word.splice(i, 2, this.wordCallAtom("diag", [product], [n, n]));
  }

  /** Pull every 1×1 stretch of a word (xᵀAy inside x·xᵀAy·z) out as a scalar factor. */
  private extractScalars(m: Monomial, shape: Shape): Monomial {
    if (isScalar(shape) && m.word.length > 0) return this.wordToFactor(m, 0, m.word.length);
    let out: Monomial = m;
    for (let i = 0; i < out.word.length; i++) {
      if (out.word[i]!.rows !== 1) continue;
      for (let j = i; j < out.word.length; j++) {
        if (out.word[j]!.cols !== 1) continue;
        if (i === 0 && j === out.word.length - 1) break;
        out = this.wordToFactor(out, i, j + 1);
        i--;
        break;
      }
    }
    return out;
  }

  /** m with its 1×1 stretch word[from, to) as a scalar factor; 𝟙ᵀ𝟙 is the length n of 𝟙. */
  private wordToFactor(m: Monomial, from: number, to: number): Monomial {
    const stretch = m.word.slice(from, to);
    if (stretch.length === 2 && this.sumsToZero(stretch)) return monomial(rational(0), [], []);
    const rest = [...m.word.slice(0, from), ...m.word.slice(to)];
    if (stretch.length === 2 && this.sumsToOne(stretch)) return monomial(m.coef, m.factors, rest);
    const onesOfLength = stretch.length === 2 && stretch[0]!.ones === "row" && stretch[1]!.ones === "col" ? stretch[0]!.cols : undefined;
    const sized = onesOfLength === undefined ? undefined : this.timesSize(monomial(m.coef, m.factors, rest), onesOfLength);
    return sized ?? monomial(m.coef, mergeFactors(m.factors, [this.scalarWordFactor(stretch)]), rest);
  }

  /** 𝟙ᵀc = cᵀ𝟙 = 0 for a defined vector c whose entries sum to 0 (c := x − (𝟙ᵀx/n)𝟙, centred). */
  private sumsToZero(stretch: readonly Atom[]): boolean {
    const e = summedSymbol(stretch);
    const definition = e ? this.ctx.symbols.get(e.name!)?.definition : undefined;
    if (!definition) return false;
    let zero = this.centred.get(e!.name!);
    if (zero === undefined) {
      try {
        zero = this.normalize(call("sum", [definition])).terms.length === 0;
      } catch (err) {
        if (!(err instanceof TooLarge)) throw err;
        zero = false;
      }
      this.centred.set(e!.name!, zero);
    }
    return zero;
  }

  /** 𝟙ᵀy = yᵀ𝟙 = 1 for a vector y declared with `sum(y) = 1` (a one-hot or probability vector). */
  private sumsToOne(stretch: readonly Atom[]): boolean {
    const e = summedSymbol(stretch);
    return !!e && !!this.ctx.symbols.get(e.name!)?.properties.has("sums to one");
  }

  /** m times the size n: a number into the coefficient, a named dimension as its scalar (none for an unnamed one). */
  private timesSize(m: Monomial, n: Shape[0]): Monomial | undefined {
    if (typeof n === "number") return monomial(Q.mul(m.coef, rational(n)), m.factors, m.word);
    if (n.startsWith("?")) return undefined;
    this.registerDimension(n);
    return monomial(m.coef, mergeFactors(m.factors, [factor(n, sym(n), rational(1))]), m.word);
  }

  /** xᵀAy = yᵀAᵀx: the factor is the one of the two with the smaller key. */
  private scalarWordFactor(word: readonly Atom[]): Factor {
    const t = transposeWord(word);
    const chosen = wordKey(t) < wordKey(word) ? t : word;
    return factor(`⟨${this.embedded(wordKey(chosen))}⟩`, squaredNormOr(chosen, sumOrProduct(chosen)), rational(1));
  }

  reciprocal(p: Poly): Poly {
    if (p.terms.length === 1 && p.terms[0]!.word.length === 0 && !Q.isZero(p.terms[0]!.coef)) {
      const m = p.terms[0]!;
      return { shape: p.shape, terms: [monomial(Q.inv(m.coef), mapped(m.factors, reciprocalFactor), [])] };
    }
    return this.factorPoly(factor(`(${this.embedded(polyKey(p))})`, this.toExpr(p), rational(-1)));
  }

  transpose(p: Poly, shape: Shape): Poly {
    if (isScalar(shape)) return { shape, terms: p.terms };
    return collect(shape, mapped(p.terms, (m) => monomial(m.coef, m.factors, transposeWord(m.word))));
  }

  /** pᵀ, in p's flipped shape. */
  private transposed(p: Poly): Poly {
    return this.transpose(p, flip(p.shape));
  }

  /** Of p and pᵀ, the one with the smaller key: for functions that do not see a transpose (det, log det, norms). */
  private canonicalUnderTranspose(p: Poly): Poly {
    const pt = this.transposed(p);
    return polyKey(pt) < polyKey(p) ? pt : p;
  }

  private inverse(p: Poly, shape: Shape): Poly {
    if (isScalar(shape)) return this.reciprocal(p);
    if (p.terms.length === 1) {
      const m = p.terms[0]!;
      // (αABC)⁻¹ = α⁻¹C⁻¹B⁻¹A⁻¹ holds when every factor is square.
      if (m.word.every((a) => a.inverse && a.rows === a.cols) && !Q.isZero(m.coef)) {
        const scalars = this.reciprocal({ shape: [1, 1], terms: [monomial(m.coef, m.factors, [])] }).terms[0]!;
        return { shape, terms: [monomial(scalars.coef, scalars.factors, reverseMapped(m.word, (a) => a.inverse!()))] };
      }
    }
    const diagonal = p.terms.length > 1 ? this.diagonalOfSum(p) : undefined;
    if (diagonal) {
      const column = ones(this.ctx.dims.resolve(shape[0]));
      return this.normalize(call("diag", [call("hdiv", [column, this.toExpr(diagonal)])]));
    }
    return single(shape, this.opaqueInverse(p));
  }

  private power(e: Expr, shape: Shape): Poly {
    const base = e.args[0]!;
    if (e.args[1]!.op !== "num") {
      // a^b with b an expression (σ^{2(d−q)}): one opaque factor; no rule here assumes b is an
      // integer. A number in b is a power of its own, a^(s + c) = a^s·a^c, so that the power rule's
      // |X|^(1/n − 1)·|X| is |X|^(1/n).
      const a = this.normalize(base);
      const exponent = this.normalize(e.args[1]!);
      const isNumber = (m: Monomial) => m.factors.length === 0 && m.word.length === 0;
      const c = exponent.terms.find(isNumber)?.coef;
      const rest: Poly = c ? { shape: exponent.shape, terms: exponent.terms.filter((m) => !isNumber(m)) } : exponent;
      if (rest.terms.length === 0) return this.scalarPower(a, c!);
      // a^(−s) = (a^s)⁻¹: one factor for a^s and its reciprocal, so that they cancel
      const negative = rest.terms[0]!.coef.n < 0;
      const b = negative ? scale(rest, rational(-1)) : rest;
      const opaque = this.factorPoly(factor(`pow(${this.embedded(polyKey(a))};${this.embedded(polyKey(b))})`, pow(this.toExpr(a), this.toExpr(b)), rational(negative ? -1 : 1)));
      return c ? this.multiply(opaque, this.scalarPower(a, c), shape) : opaque;
    }
    const k = e.args[1]!.value!;
    if (!isScalar(shape)) {
      if (k.d !== 1) throw new TooLarge();
      let result = constant(shape, rational(1));
      const b = this.normalize(base);
      for (let i = 0; i < Math.abs(k.n); i++) result = this.multiply(result, b, shape);
      return k.n < 0 ? this.inverse(result, shape) : result;
    }
    // ‖A‖^(2j) = tr(AᵀA)^j: the squared norm is a polynomial.
    const square = base.op === "call" && k.d === 1 && k.n % 2 === 0 ? functionSpec(base.fn!)?.algebra?.square?.(base) : undefined;
    if (square) return this.scalarPower(this.normalize(square), rational(k.n / 2));
    return this.scalarPower(this.normalize(base), k);
  }

  private scalarPower(p: Poly, k: Rational): Poly {
    if (p.terms.length === 1) {
      const m = p.terms[0]!;
      const coef = k.d === 1 ? Q.powInt(m.coef, k.n) : Q.isOne(m.coef) ? m.coef : undefined;
      const factors = coef && this.raisedFactors(m.factors, k);
      if (factors) return { shape: p.shape, terms: [monomial(coef!, factors.filter((f) => !Q.isZero(f.power)), [])] };
    }
    if (k.d === 1 && k.n > 0 && k.n <= 4) {
      let result = constant(p.shape, rational(1));
      for (let i = 0; i < k.n; i++) result = this.multiply(result, p, p.shape);
      return result;
    }
    if (k.d === 1 && k.n < 0 && k.n >= -4) return this.reciprocal(this.scalarPower(p, rational(-k.n)));
    return this.factorPoly(factor(`(${this.embedded(polyKey(p))})`, this.toExpr(p), k));
  }

  /**
   * (∏ fᵢ^aᵢ)^k = ∏ fᵢ^(aᵢk), where it holds on the reals (odd roots of negatives are real):
   * for k an integer, and for a base that is positive or whose power is odd or a root. An even
   * power of a base of either sign raised to a fraction is the absolute value's: √(α²) = |α|,
   * (α²)^{3/2} = |α|³. Undefined when a base's sign is unknown and (αβ)^{1/2} would split it.
   */
  private raisedFactors(factors: readonly Factor[], k: Rational): Factor[] | undefined {
    if (k.d === 1) return mapped(factors, (f) => withPower(f, Q.mul(f.power, k)));
    const out: Factor[] = [];
    for (let i = 0; i < factors.length; i++) {
      const f = factors[i]!;
      const power = Q.mul(f.power, k);
      const evenPower = f.power.n % 2 === 0 && f.power.d % 2 === 1;
      if (!evenPower || isNonNegative(f.expr, this.ctx)) {
        // x^a with a odd or a root: x^a ≥ 0 needs x ≥ 0 when k's root is even, and keeps x's sign when it is odd.
        if (k.d % 2 === 0 && f.power.d % 2 === 1 && !isNonNegative(f.expr, this.ctx) && factors.length > 1) return undefined;
        out.push(withPower(f, power));
      } else if (power.d === 1 && power.n % 2 === 0) out.push(withPower(f, power));
      else out.push(factor(`abs(${f.key})`, call("abs", [f.expr]), power));
    }
    return out;
  }

  private call(e: Expr, shape: Shape): Poly {
    const fn = e.fn!;
    if (fn === "ones") return single(shape, this.onesAtom(shape[0]));
    const arg = e.args[0]!;
    if (fn === "tr") return this.trace(this.normalize(arg));
    const argShapes = e.args.map((a) => shapeOf(a, this.ctx));
    const argShape = argShapes[0]!;
    const algebra = functionSpec(fn)?.algebra;
    if (algebra?.unfold) return this.normalize(algebra.unfold(e.args, argShapes));
    if (!isScalar(shape) || !isScalar(argShape)) {
      const structured = this.structuredCall(e, shape);
      if (structured) return structured;
    }
    if (!isScalar(shape)) return single(shape, this.callAtom(fn, e.args.map((a) => this.normalize(a)), shape, e.sub));
    if (algebra?.scalarPower && isScalar(argShape)) return this.scalarPower(this.normalize(arg), algebra.scalarPower);
    if (e.args.length !== 1) {
      const ps = e.args.map((a) => this.normalize(a));
      return this.factorPoly(factor(`${fn}(${joined(ps, (q) => this.embedded(polyKey(q)), ";")})`, call(fn, ps.map((q) => this.toExpr(q))), rational(1)));
    }
    const p = this.normalize(arg);
    const canonical = algebra?.transposeInvariant ? this.canonicalUnderTranspose(p) : p;
    if (algebra?.ofInverse) {
      const m = canonical.terms[0];
      if (canonical.terms.length === 1 && m!.word.length === 1 && Q.isOne(m!.coef) && m!.factors.length === 0 && isInverseAtom(m!.word[0]!)) {
        const base = single(p.shape, m!.word[0]!.inverse!());
        const f = this.call(call(fn, [this.toExpr(base)]), shape);
        return algebra.ofInverse === "reciprocal" ? this.reciprocal(f) : scale(f, rational(-1));
      }
    }
    const sub = algebra?.subscript?.(e.sub);
    return this.factorPoly(factor(`${fn}${sub ?? ""}(${this.embedded(polyKey(canonical))})`, call(fn, [this.toExpr(canonical)], undefined, sub), rational(1)));
  }

  // --- calls that are linear or bilinear in their arguments: scalars come out, sums distribute ---

  /** ⊙ ⊘ and the linear functions: (Σ cᵢAᵢ) ⊙ (Σ dⱼBⱼ) = Σ cᵢdⱼ (Aᵢ ⊙ Bⱼ), each Aᵢ ⊙ Bⱼ an atom; undefined for other calls. */
  private structuredCall(e: Expr, shape: Shape): Poly | undefined {
    const fn = e.fn!;
    const shapes = e.args.map((a) => shapeOf(a, this.ctx));
    const ps = e.args.map((a) => this.normalize(a));
    switch (fn) {
      case "hadamard":
        if (isScalar(shape)) return this.multiply(ps[0]!, ps[1]!, shape);
        return (
          this.cancelDivisor(ps[0]!, ps[1]!, shape) ??
          this.cancelDivisor(ps[1]!, ps[0]!, shape) ??
          this.bilinear(ps[0]!, ps[1]!, shape, (x, y) => this.hadamardWord(mergeBases(hadamardBases(x), hadamardBases(y)), shape))
        );
      case "hdiv": {
        if (isScalar(shape)) return this.multiply(ps[0]!, this.reciprocal(ps[1]!), shape);
        // A ⊘ (c·f·W) = (1/(c·f)) (A ⊘ W) when the divisor is one monomial with a matrix word.
        const divisor = ps[1]!;
        const m = divisor.terms[0];
        if (divisor.terms.length === 1 && m!.word.length > 0) {
          const outside = this.reciprocal({ shape: [1, 1], terms: [monomial(m!.coef, m!.factors, [])] });
          const inverted = hadamardBases(m!.word).map(reciprocalBase);
          return this.multiply(outside, this.linear(ps[0]!, shape, (x) => this.hadamardWord(mergeBases(hadamardBases(x), inverted), shape)), shape);
        }
        // A ⊘ (s·P) = (1/s)(A ⊘ P) for the scalar s common to the divisor's terms: r ⊘ ((r ⊙ r)/c² + 𝟙) = c²(r ⊘ (r ⊙ r + c²𝟙)).
        const [content, rest] = splitContent(divisor);
        const base = divisorBase(rest, -1);
        const quotient = this.linear(ps[0]!, shape, (x) => this.hadamardWord(mergeBases(hadamardBases(x), [base]), shape));
        return content ? this.multiply(this.reciprocal(content), quotient, shape) : quotient;
      }
      default:
        return this.linearCall(e, shapes, ps, shape);
    }
  }

  /**
   * A matrix-valued f linear in each argument (vec, diag, ⊗): f(Σ cᵢWᵢ) = Σ cᵢ f(Wᵢ), each f(Wᵢ)
   * an atom, its identities read from its algebra; undefined for other functions.
   */
  private linearCall(e: Expr, shapes: readonly Shape[], ps: readonly Poly[], shape: Shape): Poly | undefined {
    const fn = e.fn!;
    const algebra = functionSpec(fn)?.algebra;
    if (algebra?.linear !== "each argument") return undefined;
    if (algebra.identityOnColumns && shapes[0]![1] === 1) return ps[0]!;
    if (algebra.scalarsMultiply && ps.length === 2 && shapes.some(isScalar)) return this.multiply(ps[0]!, ps[1]!, shape);
    const wordOf = (ws: readonly (readonly Atom[])[]): Atom[] => {
      const first = ws[0]!;
      if (algebra.identityOnColumns && first.length && first[first.length - 1]!.cols === 1) return [...first];
      if (algebra.identityOfIdentities && ws.every((w) => w.length === 0)) return [];
      // f(Wᵀ) = f(W) where both are defined, that is, for a square W: diag(Xᵀ) = diag(X).
      const canonical = ws.map((w, i) => {
        if (!algebra.transposeInvariant || shapes[i]![0] !== shapes[i]![1]) return w;
        const t = transposeWord(w);
        return wordKey(t) < wordKey(w) ? t : w;
      });
      return [this.wordCallAtom(fn, canonical, shape, shapes)];
    };
    if (ps.length === 1) return this.linear(ps[0]!, shape, (x) => wordOf([x]));
    if (ps.length === 2) return this.bilinear(ps[0]!, ps[1]!, shape, (x, y) => wordOf([x, y]));
    return undefined;
  }

  /** f(Σ cᵢWᵢ) = Σ cᵢ f(Wᵢ) for f linear; `atomOf` gives the word of f(Wᵢ). */
  private linear(p: Poly, shape: Shape, atomOf: (w: readonly Atom[]) => Atom[]): Poly {
    return collect(shape, mapped(p.terms, (m) => monomial(m.coef, m.factors, atomOf(m.word))));
  }

  /** f(Σ cᵢAᵢ, Σ dⱼBⱼ) = Σ cᵢdⱼ f(Aᵢ, Bⱼ) for f bilinear. */
  private bilinear(p: Poly, q: Poly, shape: Shape, wordOf: (a: readonly Atom[], b: readonly Atom[]) => readonly Atom[]): Poly {
    if (p.terms.length * q.terms.length > LIMITS.expansionTerms) throw new TooLarge("expansionTerms");
    if (p.terms.length * q.terms.length > LIMITS.bilinearTerms)
      return { shape, terms: [monomial(rational(1), [], [...wordOf([this.opaqueAtom(p)], [this.opaqueAtom(q)])])] };
    const terms: Monomial[] = [];
    for (let i = 0; i < p.terms.length; i++)
      for (let j = 0; j < q.terms.length; j++) {
        const m = p.terms[i]!;
        const n = q.terms[j]!;
        terms.push(monomial(Q.mul(m.coef, n.coef), mergeFactors(m.factors, n.factors), wordOf(m.word, n.word)));
      }
    return collect(shape, terms);
  }

  /** The expression of a word of atoms of this shape (I for the empty word). */
  private wordExpr(word: readonly Atom[], shape: Shape): Expr {
    return word.length ? wordProduct(word) : isScalar(shape) ? num(1) : identity(shape[0]);
  }

  /**
   * f(W₁, W₂) of words, an atom. Its transpose is f(W₁ᵀ, W₂ᵀ) where f commutes with ᵀ (⊗), itself
   * where f's square values are symmetric (diag of a vector), else a transposed atom (vec(X), diag(X)).
   */
  private wordCallAtom(fn: string, words: readonly (readonly Atom[])[], shape: Shape, argShapes?: readonly Shape[]): Atom {
    const algebra = functionSpec(fn)?.algebra;
    const make = (ws: readonly (readonly Atom[])[], sh: Shape, argSh: readonly Shape[] | undefined): Atom => {
      const k = `${fn}(${joined(ws, (w) => this.embedded(wordKey(w)), ";")})`;
      const argShapesNow = ws.map((w, i) => (w.length ? ([w[0]!.rows, w[w.length - 1]!.cols] as Shape) : argSh?.[i] ?? sh));
      const expr = call(fn, ws.map((w, i) => this.wordExpr(w, argShapesNow[i]!)));
      const square = sh[0] === sh[1];
      const diagonalOf = fn === "diag" && square ? ws[0] : undefined;
      return this.atom(k, expr, sh, () => {
        if (algebra?.commutesWithTranspose) {
          // (A ⊗ B)ᵀ = Aᵀ ⊗ Bᵀ
          const tws = ws.map((w) => transposeWord(w));
          if (tws.every((w, i) => wordKey(w) === wordKey(ws[i]!))) return make(ws, sh, argSh);
          return make(tws, flip(sh), argSh?.map(flip));
        }
        if (algebra?.symmetric && square) return make(ws, sh, argSh);
        return this.atom(`${k}ᵀ`, transpose(expr), flip(sh), () => make(ws, sh, argSh));
      }, diagonalOf && this.diagonalInverse(diagonalOf, sh), undefined, diagonalOf, ws.flat());
    };
    return make(words, shape, argShapes);
  }

  /** diag(a)⁻¹ = diag(𝟙 ⊘ a), an atom when a's bases are words (a divisor inverted would multiply). */
  private diagonalInverse(a: readonly Atom[], shape: Shape): (() => Atom) | undefined {
    const bases = hadamardBases(a);
    if (bases.some((b) => !b.word)) return undefined;
    return () => this.wordCallAtom("diag", [this.hadamardWord(bases.map(reciprocalBase), [shape[0], 1])], shape);
  }

  /**
   * A sum of diagonal matrices Σ cᵢdiag(aᵢ) (I is diag(𝟙)) as the vector Σ cᵢaᵢ, or undefined:
   * its inverse is diag(𝟙 ⊘ Σ cᵢaᵢ).
   */
  private diagonalOfSum(p: Poly): Poly | undefined {
    const n = p.shape[0];
    const terms: Monomial[] = [];
    for (let i = 0; i < p.terms.length; i++) {
      const m = p.terms[i]!;
      const word = m.word.length === 0 ? [this.onesAtom(n)] : m.word.length === 1 ? m.word[0]!.diagonalOf : undefined;
      if (!word) return undefined;
      terms.push(monomial(m.coef, m.factors, word));
    }
    return collect([n, 1], terms);
  }

  /** The word of a Hadamard monomial: 𝟙 when every base cancels, the word itself when it stands alone. */
  private hadamardWord(bases: readonly HadamardBase[], shape: Shape): Atom[] {
    if (bases.length === 0) return this.onesWord(shape);
    const only = bases[0]!;
    if (bases.length === 1 && only.power === 1 && only.word) return [...only.word];
    return [this.hadamardAtom(bases, shape)];
  }

  /**
   * (Σᵢ Tᵢ ⊘ P + R) ⊙ P = Σᵢ Tᵢ + R ⊙ P: a sum that divides terms of p cancels against the same
   * sum q before q is expanded (the reverse pass multiplies by σ(a) ⊙ (𝟙 − σ(a)) what it divided
   * by 𝟙 − σ(a)); the other terms R are multiplied by q. Undefined when no term is divided by q.
   */
  private cancelDivisor(p: Poly, q: Poly, shape: Shape): Poly | undefined {
    if (q.terms.length < 2 || p.terms.length === 0) return undefined;
    const [content, rest] = splitContent(q);
    const base = divisorBase(rest, 1);
    const divides = (m: Monomial) => m.word.length === 1 && m.word[0]!.hadamardOf?.some((b) => b.key === base.key && b.power < 0);
    const divided = p.terms.filter(divides);
    if (divided.length === 0) return undefined;
    let cancelled = collect(shape, mapped(divided, (m) => monomial(m.coef, m.factors, this.hadamardWord(mergeBases(hadamardBases(m.word), [base]), shape))));
    if (content) cancelled = this.multiply(content, cancelled, shape);
    if (divided.length === p.terms.length) return cancelled;
    const others: Poly = { shape, terms: p.terms.filter((m) => !divides(m)) };
    const multiplied = this.bilinear(others, q, shape, (x, y) => this.hadamardWord(mergeBases(hadamardBases(x), hadamardBases(y)), shape));
    return collect(shape, [...cancelled.terms, ...multiplied.terms]);
  }

  private hadamardAtom(bases: readonly HadamardBase[], shape: Shape): Atom {
    const k = `hadamard(${joined(bases, (b) => (b.power === 1 ? this.embedded(b.key) : `${this.embedded(b.key)}^${b.power}`), ";")})`;
    const expr = () => {
      // Numerators first, a bracketed sum last among them (s ⊙ (𝟙 − s)); then the divisors.
      const bracketed = (b: HadamardBase) => Number(b.word?.length === 1 && b.word[0]!.key.startsWith("["));
      const numerators = bases.filter((b) => b.power > 0).sort((x, y) => bracketed(x) - bracketed(y));
      const baseExpr = (b: HadamardBase) => (b.word ? this.wordExpr(b.word, shape) : readingExpr(b.divisor!));
      const chain = (bs: readonly HadamardBase[], sign: number) => {
        let e: Expr | undefined;
        for (const b of bs) for (let i = 0; i < sign * b.power; i++) e = e ? call("hadamard", [e, baseExpr(b)]) : baseExpr(b);
        return e;
      };
      const top = chain(numerators, 1) ?? wordProduct(this.onesWord(shape));
      const bottom = chain(bases.filter((b) => b.power < 0), -1);
      return bottom ? call("hdiv", [top, bottom]) : top;
    };
    const made = this.atom(k, expr, shape, () => {
      const transposed = bases.map((b) =>
        b.word ? wordBase(transposeWord(b.word), b.power) : divisorBase(this.transposed(b.divisor!), b.power),
      );
      const sorted = mergeBases([], transposed);
      return sorted.every((b, i) => b.key === bases[i]!.key) ? made : this.hadamardAtom(sorted, flip(shape));
    }, undefined, undefined, undefined, bases.flatMap((b) => b.word ?? atomsOf(b.divisor!)));
    if (!made.hadamardOf) (made as { hadamardOf?: readonly HadamardBase[] }).hadamardOf = bases;
    return made;
  }

  /** The ones of a shape: 𝟙, 𝟙ᵀ or 𝟙𝟙ᵀ, the unit of ⊙. */
  private onesWord(shape: Shape): Atom[] {
    if (shape[1] === 1) return [this.onesAtom(shape[0])];
    if (shape[0] === 1) return [this.onesAtom(shape[1]).transposed()];
    return [this.onesAtom(shape[0]), this.onesAtom(shape[1]).transposed()];
  }

  /** f(P) of a matrix-valued function: an atom. Its transpose is f(Pᵀ) where f commutes with ᵀ, else a transposed atom. */
  private callAtom(fn: string, ps: readonly Poly[], shape: Shape, sub?: string): Atom {
    const k = `${fn}${sub ? "_" + sub : ""}(${joined(ps, (q) => this.embedded(polyKey(q)), ";")})`;
    const expr = call(fn, ps.map((q) => this.toExpr(q)), undefined, sub);
    return this.atom(k, expr, shape, () => {
      if (functionSpec(fn)?.algebra?.commutesWithTranspose) {
        const pts = ps.map((q) => this.transposed(q));
        if (pts.every((q, i) => samePoly(q, ps[i]!))) return this.callAtom(fn, ps, shape, sub);
        return this.callAtom(fn, pts, flip(shape), sub);
      }
      return this.atom(`(${k})ᵀ`, transpose(expr), flip(shape), () => this.callAtom(fn, ps, shape, sub));
    }, undefined, undefined, undefined, ps.flatMap(atomsOf));
  }

  /** 𝟙 of length n, and its transpose. */
  private onesAtom(n: Shape[0]): Atom {
    const d = this.ctx.dims.resolve(n);
    const expr = ones(d);
    const self = (): Atom =>
      this.atom(`𝟙[${d}]`, expr, [d, 1], () => this.atom(`𝟙ᵀ[${d}]`, transpose(expr), [1, d], self, undefined, "row"), undefined, "col");
    return self();
  }

  /** tr is linear; tr(word) is rotated (and transposed) to its smallest key; tr(Iₙ) = n. */
  private trace(p: Poly): Poly {
    const terms: Monomial[] = mapped(p.terms, (m) => {
      if (m.word.length === 0) {
        const n = p.shape[0];
        return this.timesSize(m, n) ?? monomial(m.coef, mergeFactors(m.factors, [factor("tr(I)", call("tr", [identity(n)]), rational(1))]), m.word);
      }
      // tr(xyᵀ) = yᵀx: a rotation through a 1-dimensional seam is a scalar word.
      const seam = m.word.findIndex((a) => a.rows === 1);
      const rotated = seam < 0 ? undefined : [...m.word.slice(seam), ...m.word.slice(0, seam)];
      const best = rotated ?? canonicalCycle(m.word);
      const f: Factor = rotated
        ? this.scalarWordFactor(rotated)
        : factor(`tr(${this.embedded(wordKey(best))})`, call("tr", [wordProduct(best)]), rational(1), best);
      return monomial(m.coef, mergeFactors(m.factors, [f]), []);
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
  const matrixPart = m.word.length ? wordProduct(m.word) : !isScalar(shape) ? identity(shape[0]) : undefined;
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

/** How many atoms of a sum's words are transposes (Xᵀ, (⋯)ᵀ). */
function transposedAtoms(p: Poly): number {
  return p.terms.reduce((n, m) => n + m.word.filter((a) => a.expr.op === "transpose").length, 0);
}

/** S⁻¹, S⁻ᵀ or (P)⁻¹ (whose inverse is then S, Sᵀ or P). */
function isInverseAtom(a: Atom): boolean {
  const e = a.expr.op === "transpose" ? a.expr.args[0]! : a.expr;
  return e.op === "inv" && a.inverse !== undefined;
}

/** The key of an inverse atom: X⁻¹, X⁻ᵀ, (P)⁻¹. */
const isInverseKey = (k: string): boolean => k.endsWith("⁻¹") || k.endsWith("⁻ᵀ");

/** A sum with its positive terms first: X − WWᵀX rather than −WWᵀX + X. */
function readingExpr(p: Poly): Expr {
  if (p.terms.length === 0) return num(0);
  const terms = [...p.terms].sort((a, b) => Number(a.coef.n < 0) - Number(b.coef.n < 0));
  return add(terms.map((m) => monomialExpr(m, p.shape)));
}

/** The product of a word's atoms, runs of one atom written as a power: XXX = X³. */
export function wordProduct(word: readonly Atom[]): Expr {
  const parts: Expr[] = [];
  for (let i = 0; i < word.length; ) {
    let j = i + 1;
    while (j < word.length && word[j]!.key === word[i]!.key) j++;
    parts.push(j - i > 1 ? pow(word[i]!.expr, num(j - i)) : word[i]!.expr);
    i = j;
  }
  return product(parts);
}

/**
 * aᵀa of a column a that is a sum kept whole reads as ‖a‖², as a textbook writes ‖x − z‖² rather
 * than (x − z)ᵀ(x − z), where that costs no more; a symbol's vᵀv stays.
 */
function squaredNormOr(word: readonly Atom[], plain: Expr): Expr {
  if (word.length !== 2 || word[1]!.cols !== 1 || !isOpaqueSum(word[1]!) || transposedAtom(word[0]!).key !== word[1]!.key) return plain;
  const squared = pow(call("norm", [word[1]!.expr]), num(2));
  return cost(squared) <= cost(plain) ? squared : plain;
}

/** A sum kept whole inside a product (Normalizer.opaqueAtom). */
const isOpaqueSum = (a: Atom): boolean => a.key.startsWith("[");

/** A scalar word 𝟙ᵀW𝟙, 𝟙ᵀw or wᵀ𝟙 reads as sum(W), sum(w), sum(wᵀ); any other as the product. */
function sumOrProduct(word: readonly Atom[]): Expr {
  let inner = word;
  const left = inner.length > 1 && inner[0]!.ones === "row";
  if (left) inner = inner.slice(1);
  if (inner.length > 1 && inner[inner.length - 1]!.ones === "col") inner = inner.slice(0, -1);
  if (inner.length === word.length || inner.some((a) => a.ones)) return product(word.map((a) => a.expr));
  // wᵀ𝟙 = sum(w): the column, not the row.
  if (!left) inner = transposeWord(inner);
  return call("sum", [product(inner.map((a) => a.expr))]);
}

/** The bases of a word as a Hadamard monomial: none for 𝟙 or 𝟙𝟙ᵀ (the unit of ⊙). */
function hadamardBases(word: readonly Atom[]): readonly HadamardBase[] {
  if (isOnesWord(word)) return [];
  if (word.length === 1 && word[0]!.hadamardOf) return word[0]!.hadamardOf;
  return [wordBase(word, 1)];
}

// Every base is made here, with every field: one hidden class for the code that reads them.
const hadamardBase = (key: string, word: readonly Atom[] | undefined, divisor: Poly | undefined, power: number): HadamardBase => ({ key, word, divisor, power });
const wordBase = (word: readonly Atom[], power: number): HadamardBase => hadamardBase(wordKey(word), word, undefined, power);
const divisorBase = (p: Poly, power: number): HadamardBase => hadamardBase(`(${polyKey(p)})`, undefined, p, power);
const baseWithPower = (b: HadamardBase, power: number): HadamardBase => hadamardBase(b.key, b.word, b.divisor, power);
const reciprocalBase = (b: HadamardBase): HadamardBase => baseWithPower(b, -b.power);

/**
 * A sum as s·P, s the scalar factors common to its terms at their least power (a factor a term
 * lacks is there to the power 0): s, or undefined when it is 1, and P. Divisors keep only P, so
 * that (u/c² + 𝟙) and (u + c²𝟙) are one base.
 */
function splitContent(p: Poly): [Poly | undefined, Poly] {
  const least = new Map<string, Factor>();
  for (let i = 0; i < p.terms.length; i++)
    for (let j = 0; j < p.terms[i]!.factors.length; j++) {
      const f = p.terms[i]!.factors[j]!;
      const known = least.get(f.key);
      if (!known || f.power.n * known.power.d < known.power.n * f.power.d) least.set(f.key, f);
    }
  const everywhere = (f: Factor) => p.terms.every((m) => m.factors.some((g) => g.key === f.key));
  const content = [...least.values()].filter((f) => f.power.n < 0 || everywhere(f));
  if (content.length === 0) return [undefined, p];
  const inverse = mapped(content, reciprocalFactor);
  const rest = collect(p.shape, mapped(p.terms, (m) => monomial(m.coef, mergeFactors(m.factors, inverse), m.word)));
  return [{ shape: [1, 1], terms: [monomial(rational(1), content, [])] }, rest];
}

/** a ⊙ b: powers of equal bases added, bases that cancel dropped, sorted by key. */
function mergeBases(a: readonly HadamardBase[], b: readonly HadamardBase[]): HadamardBase[] {
  return mergePowers<number, HadamardBase>(a, b, (x, y) => x + y, (p) => p === 0, baseWithPower);
}

/** The word 𝟙 or 𝟙𝟙ᵀ: the unit of ⊙. */
function isOnesWord(word: readonly Atom[]): boolean {
  return (word.length === 1 && word[0]!.ones !== undefined) || (word.length === 2 && word[0]!.ones === "col" && word[1]!.ones === "row");
}

/**
 * Every atom, with every field: one hidden class for the normal form's many reads of key, rows
 * and cols (atoms made as object literals of other fields made those reads megamorphic). An
 * expression given as a function is made on first use: most atoms are only ever compared by key.
 * The getter is the class's: one defined on each atom (Object.defineProperty) gave every such atom
 * a hidden class of its own, whose descriptors, outside the young generation, kept the closure and
 * so the whole normalizer alive through every young-generation collection until a full one.
 */
class NormalAtom implements Atom {
  private made: Expr | undefined;
  /** Set once, when the atom is a Hadamard monomial's (hadamardAtom). */
  hadamardOf: readonly HadamardBase[] | undefined = undefined;

  constructor(
    readonly key: string,
    readonly rows: Shape[0],
    readonly cols: Shape[1],
    readonly transposed: () => Atom,
    readonly inverse: (() => Atom) | undefined,
    readonly ones: "col" | "row" | undefined,
    readonly diagonalOf: readonly Atom[] | undefined,
    readonly parts: readonly Atom[] | undefined,
    private readonly expression: Expr | (() => Expr),
  ) {}

  get expr(): Expr {
    if (this.made === undefined) {
      const e = this.expression;
      this.made = typeof e !== "function" ? e : this.parts ? exprWithPartsFirst(this, e) : e();
    }
    return this.made;
  }
}

function once<T>(f: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= f());
}

const flip = (s: Shape): Shape => [s[1], s[0]];

const constant = (shape: Shape, c: Rational): Poly => ({ shape, terms: Q.isZero(c) ? [] : [monomial(c, [], [])] });
const single = (shape: Shape, a: Atom): Poly => ({ shape, terms: [monomial(rational(1), [], [a])] });

export function scale(p: Poly, c: Rational): Poly {
  return { shape: p.shape, terms: Q.isZero(c) ? [] : mapped(p.terms, (m) => monomial(Q.mul(m.coef, c), m.factors, m.word)) };
}

export function transposeWord(word: readonly Atom[]): Atom[] {
  return reverseMapped(word, transposedAtom);
}

/** Atoms whose expressions are made, with their parts' (exprWithPartsFirst). */
const exprsMade = new WeakSet<Atom>();

/**
 * The expression of an atom made on first use, its parts' made first, innermost first, from a
 * stack: a sum kept whole inside a product kept whole, n deep, would otherwise recurse n deep.
 */
function exprWithPartsFirst(a: Atom, make: () => Expr): Expr {
  // parts without parts of their own make theirs one level down: nothing deep to unwind
  if (!exprsMade.has(a) && a.parts!.some((p) => p.parts)) {
    const stack = [...a.parts!];
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      const pending = top.parts?.filter((p) => !exprsMade.has(p)) ?? [];
      if (pending.length) {
        stack.push(...pending);
        continue;
      }
      void top.expr;
      exprsMade.add(top);
      stack.pop();
    }
    exprsMade.add(a);
  }
  return make();
}

/** The atoms of a sum's words. */
const atomsOf = (p: Poly): Atom[] => p.terms.flatMap((m) => m.word);

/** Atoms whose transposes are made, with their parts' (transposedAtom). */
const transposesMade = new WeakSet<Atom>();

/**
 * aᵀ, the transposes of a's parts made first, innermost first, from a stack: the transpose of n
 * nested inverses transposes the n − 1 inside it, and that recursion would not fit the call stack.
 */
export function transposedAtom(a: Atom): Atom {
  // most atoms have no parts (a symbol, X⁻¹): nothing to make first
  if (!a.parts || transposesMade.has(a)) return a.transposed();
  const stack = [a];
  while (stack.length) {
    const top = stack[stack.length - 1]!;
    const pending = top.parts?.filter((p) => p.parts && !transposesMade.has(p));
    if (pending?.length) {
      stack.push(...pending);
      continue;
    }
    top.transposed();
    transposesMade.add(top);
    stack.pop();
  }
  return a.transposed();
}

/** Keys of words, made once: a product's is joined from its halves' (see joinWords). */
const wordKeys = new WeakMap<readonly Atom[], string>();

const atomKey = (a: Atom): string => a.key;

export function wordKey(word: readonly Atom[]): string {
  // A short word's key is quicker to join again than to look up.
  // (no word at all, a scalar's, is told first: an empty array is another hidden class to V8)
  if (word.length <= SHORT_WORD) return word.length === 1 ? word[0]!.key : word.length === 0 ? "" : joined(word, atomKey, "·");
  let k = wordKeys.get(word);
  if (k === undefined) wordKeys.set(word, (k = joined(word, atomKey, "·")));
  return k;
}

const SHORT_WORD = 4;

/** Whether diag(a)·diag(b) meet at the seam of a word joined there. */
const mergesAt = (w: readonly Atom[], seam: number): boolean =>
  seam > 0 && seam < w.length && w[seam - 1]!.diagonalOf !== undefined && w[seam]!.diagonalOf !== undefined;

/** Whether a·b = I: only a pair with an inverse in it can cancel (inverse() makes atoms, so look no further otherwise). */
function cancels(a: Atom, b: Atom): boolean {
  return !!a.inverse && a.rows === a.cols && (isInverseKey(b.key) || isInverseKey(a.key)) && a.inverse().key === b.key;
}

const factorsKey = (fs: readonly Factor[]): string => joined(fs, (f) => (Q.isOne(f.power) ? f.key : `${f.key}^${Q.key(f.power)}`), "·");

/** Key of a monomial without its coefficient: like terms share it. */
export function termKey(m: Monomial): string {
  let k = termKeys.get(m);
  if (k === undefined) {
    k = `${factorsKey(m.factors)}|${wordKey(m.word)}`;
    if (k.length > LONG_KEY) termKeys.set(m, k);
  }
  return k;
}

/**
 * Long keys of monomials, made once: a term of a sum is collected again with every sum it is put
 * in, and its key, as long as the nested sums inside its atoms, is read in full each time it is made.
 */
const termKeys = new WeakMap<Monomial, string>();

/** Keys longer than this are kept (a short one is quicker to make again than to keep). */
const LONG_KEY = 64;

/**
 * Long keys of polynomials, made once: the key of (Aₙ + (⋯(A₁ + X)⁻¹⋯)⁻¹)⁻¹ holds every inner
 * sum's, so making them again at every level is quadratic in the depth.
 */
const polyKeys = new WeakMap<Poly, string>();

export function polyKey(p: Poly): string {
  let k = polyKeys.get(p);
  if (k === undefined) {
    k = joined(p.terms, (m) => `${Q.key(m.coef)}*${termKey(m)}`, " + ");
    if (k.length > LONG_KEY) polyKeys.set(p, k);
  }
  return k;
}

/**
 * polyKey(p) === polyKey(q), told term by term without joining either key: a sum and its
 * transpose compared at every level of nested inverses would otherwise join keys as long as
 * the nesting is deep.
 */
export function samePoly(p: Poly, q: Poly): boolean {
  return p.terms.length === q.terms.length && p.terms.every((m, i) => sameTerm(m, q.terms[i]!));
}

const sameTerm = (a: Monomial, b: Monomial): boolean =>
  a.coef.n === b.coef.n &&
  a.coef.d === b.coef.d &&
  a.word.length === b.word.length &&
  a.factors.length === b.factors.length &&
  a.factors.every((f, i) => sameFactor(f, b.factors[i]!)) &&
  a.word.every((x, i) => x.key === b.word[i]!.key);

/** factorsKey() of one factor each equal, told without joining them. */
const sameFactor = (f: Factor, g: Factor): boolean => f.key === g.key && f.power.n === g.power.n && f.power.d === g.power.d;

export function mergeFactors(a: readonly Factor[], b: readonly Factor[]): Factor[] {
  if (b.length === 0) return [...a];
  return mergePowers(a, b, Q.add, Q.isZero, withPower);
}

/** x^p · x^q = x^(p+q) of things keyed by their base: zero powers dropped, sorted by key. */
function mergePowers<P, T extends { readonly key: string; readonly power: P }>(
  a: readonly T[],
  b: readonly T[],
  add: (p: P, q: P) => P,
  isZero: (p: P) => boolean,
  withPower: (x: T, power: P) => T,
): T[] {
  const byKey = new Map<string, T>();
  for (const x of [...a, ...b]) {
    const known = byKey.get(x.key);
    byKey.set(x.key, known ? withPower(known, add(known.power, x.power)) : x);
  }
  return [...byKey.values()].filter((x) => !isZero(x.power)).sort((x, y) => byKeyOrder(x.key, y.key));
}

const byKeyOrder = (x: string, y: string): number => (x < y ? -1 : x > y ? 1 : 0);

/** Like terms added; zero terms dropped; order canonical. */
export function collect(shape: Shape, terms: readonly Monomial[]): Poly {
  // One term has nothing to be collected with: its key (a string as long as its word) is not needed.
  if (terms.length === 1 && !Q.isZero(terms[0]!.coef)) return { shape, terms };
  const byKey = new Map<string, Monomial>();
  for (let i = 0; i < terms.length; i++) {
    const m = terms[i]!;
    const k = termKey(m);
    const known = byKey.get(k);
    byKey.set(k, known ? monomial(Q.add(known.coef, m.coef), known.factors, known.word) : m);
  }
  const kept = [...byKey.entries()].filter(([, m]) => !Q.isZero(m.coef)).sort(([x], [y]) => byKeyOrder(x, y));
  if (kept.length > LIMITS.sumTerms) throw new TooLarge("sumTerms");
  return { shape, terms: mapped(kept, ([, m]) => m) };
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

/**
 * Whether a scalar is ≥ 0 wherever it is defined, as the declarations or its form prove:
 * a symbol declared `positive`, a dimension, a function whose algebra says so (exp, |·|, √, ‖·‖,
 * sigmoid, …), det of an spd matrix.
 */
export function isNonNegative(e: Expr, ctx: Context): boolean {
  if (e.op === "sym") {
    const info = ctx.symbols.get(e.name!);
    return !!info && (info.properties.has("positive") || !!info.dimension);
  }
  if (e.op === "num") return e.value!.n >= 0;
  // products, quotients and sums of such (entry by entry, for matrices too), and their powers
  // (not A⁻¹: an inverse of a matrix ≥ 0 may have negative entries)
  if (e.op === "mul" || e.op === "div" || e.op === "add") return e.args.every((a) => isNonNegative(a, ctx));
  if (e.op === "pow") return isNonNegative(e.args[0]!, ctx) && (e.args[1]!.op !== "num" || e.args[1]!.value!.n >= 0);
  // det P > 0 for P declared spd
  if (e.op === "call" && (e.fn === "det" || e.fn === "bars") && e.args[0]!.op === "sym" && ctx.symbols.get(e.args[0]!.name!)?.properties.has("spd")) return true;
  if (e.op === "call") return !!functionSpec(e.fn!)?.algebra?.nonNegative || (e.fn === "bars" && isScalar(shapeOf(e.args[0]!, ctx)));
  return false;
}
