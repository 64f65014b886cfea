import { joined } from "../arrays.js";
import { type Expr, type Rational, add, call, equal, mul, num, pow, product, rational, gcd, withArgs } from "../ast.js";
import { type Scalar, over, productOfSums, traceOfSum } from "./regroup.js";
import type { Shape } from "../shapes/shape.js";
import { type Atom, type Factor, type Monomial, type Poly, Rationals as Q, collect, monomial, monomialExpr, termKey, withPower, wordKey, wordProduct } from "./normal.js";
import { cost } from "./cost.js";

// From a normal form (a flat sum of monomials) to the textbook's compact form: the common
// scalar pulled out (α(…)), common left and right matrix factors pulled out (K⁻¹(…)X), and
// groups of terms that share a first or last factor factored in turn. Every candidate is a
// rearrangement of the same monomials; the cheapest by cost() is kept.

/** At most this many common factors are pulled out on either side at a time (see pullWholeRun). */
const MAX_PULLED = 3;

/** Polys of more terms than this are only factored as a whole, not regrouped. */
const REGROUP_LIMIT = 10;

/**
 * A monomial of a sum, its word word[left, word.length − right) for the sum's left and right:
 * atoms pulled out are dropped by counting, never by copying the word (‖Wₙ⋯W₁x − y‖² by W₁ has
 * n − 1 common atoms, and its words n atoms or more).
 */
interface Term {
  readonly coef: Rational;
  readonly factors: readonly Factor[];
  /** The start of termKey() that does not depend on the word. */
  readonly factorsKey: string;
  readonly word: readonly Atom[];
  /** Equal for equal terms of one word, whatever is dropped from it (sums' keys). */
  readonly key: string;
}

/** A sum of terms, every word with the same number of atoms dropped at each end. */
interface Sum {
  readonly shape: Shape;
  readonly terms: readonly Term[];
  readonly left: number;
  readonly right: number;
}

/** Every sum is made here: one hidden class for the many functions that read them (spreads made others). */
const sumView = (shape: Shape, terms: readonly Term[], left: number, right: number): Sum => ({ shape, terms, left, right });

/** s with other terms (of the same words' views). */
const withTerms = (s: Sum, terms: readonly Term[]): Sum => sumView(s.shape, terms, s.left, s.right);

/**
 * What one factoring call has found. Factorings by sum: pulling out one common factor and then
 * two reaches the same inner sum as pulling out three at once, so without this the search is
 * exponential in the number of common factors. Words get numbers for the sums' keys, and the
 * common lengths of two words are kept: both would otherwise be read again for every inner sum.
 */
interface Search {
  readonly found: Map<string, Expr>;
  /** quietOnTheWay(), by the terms (in any order) and then by where the words start and end. */
  readonly quiet: Map<string, Map<number, boolean>>;
  readonly wordIds: Map<readonly Atom[], number>;
  readonly firstDifferences: Map<readonly Atom[], Map<readonly Atom[], number>>;
  readonly commonEnds: Map<readonly Atom[], Map<readonly Atom[], number>>;
  /**
   * cost() and whether a sum is inside, of the candidates and their parts (factorings reuse each
   * other's results). Strong maps for one search: a WeakMap's entries cost several times more to make.
   */
  readonly costs: Map<Expr, number>;
  readonly sums: Map<Expr, boolean>;
}

let search: Search | undefined;

export function factorPoly(p: Poly): Expr {
  const outermost = search === undefined;
  if (outermost) search = { found: new Map(), quiet: new Map(), wordIds: new Map(), firstDifferences: new Map(), commonEnds: new Map(), costs: new Map(), sums: new Map() };
  try {
    return factorSum(sumView(p.shape, p.terms.map(termOf), 0, 0));
  } finally {
    if (outermost) search = undefined;
  }
}

function factorSum(s: Sum): Expr {
  const k = sumKey(s);
  const known = search!.found.get(k);
  if (known) return known;
  const result = factorSumOnce(s);
  search!.found.set(k, result);
  return result;
}

function factorSumOnce(s: Sum): Expr {
  if (s.terms.length === 0) return num(0);
  const sum: Sum = isOrderedForReading(s.terms) ? s : withTerms(s, orderForReading(s.terms));
  const terms = sum.terms;
  if (terms.length === 1) return monomialExpr(monomialOf(sum, terms[0]!), s.shape);
  // The common scalar always comes out; each length of common left and right factors is tried.
  // On a tie the earlier candidate stays: right factors before left ones, as in α(…)X.
  const content = commonContent(terms);
  const prefix = commonPrefixLength(sum);
  const suffix = commonSuffixLength(sum);
  if (isTrivial(content) && prefix + suffix > 0) {
    const whole = pullWholeRun(sum, prefix, suffix);
    if (whole) return whole;
  }
  const maxPrefix = Math.min(MAX_PULLED, prefix);
  const maxSuffix = Math.min(MAX_PULLED, suffix);
  const beaten = isTrivial(content) && plainIsBeaten(sum, maxPrefix, maxSuffix);
  const candidates: Candidate[] = beaten ? [] : [sumOf(terms.map((m) => monomialExpr(monomialOf(sum, m), s.shape)))];
  const outside = isTrivial(content) ? undefined : monomialExpr(monomial(content.coef, content.factors, []), [1, 1]);
  const inner = outside ? terms.map((m) => divide(m, content)) : terms;
  for (let left = 0; left <= maxPrefix; left++)
    for (let right = maxSuffix; right >= 0; right--) {
      const common = pullCommon(sum, outside, inner, left, right);
      if (common) candidates.push(common);
    }

  if (terms.length <= REGROUP_LIMIT) {
    const grouping = bestGroup(sum);
    if (grouping) candidates.push(built(add([factorSum(grouping[0]), factorSum(grouping[1])])));
  }

  // (D + Dᵀ)(Xb + c), and tr(c₁W₁ + c₂W₂) for c₁tr(W₁) + c₂tr(W₂) (src/simplify/regroup.ts).
  const poly = polyOf(sum);
  const sums = productOfSums(poly);
  if (sums) candidates.push(built(mul(factorPoly(sums[0]), factorPoly(sums[1]))));
  const traced = traceOfSum(poly);
  if (traced) candidates.push(built(call("tr", [factorPoly(traced)])));
  const diagonal = diagonalOfSum(sum);
  if (diagonal) candidates.push(built(call("diag", [factorPoly(diagonal)])));
  return cheapest(candidates);
}

/** Σ cᵢdiag(aᵢ) as the vector Σ cᵢaᵢ, whose diag it is: undefined unless every word is one diagonal matrix. */
function diagonalOfSum(s: Sum): Poly | undefined {
  if (s.terms.some((m) => lengthOf(s, m) !== 1 || !atom(s, m, 0).diagonalOf)) return undefined;
  const vectors = s.terms.map((m) => monomial(m.coef, m.factors, atom(s, m, 0).diagonalOf!));
  return collect([s.shape[0], 1], vectors);
}

/** A form of the sum, its cost known before it is built: only the cheapest is built. */
interface Candidate {
  readonly cost: number;
  readonly build: () => Expr;
}

const built = (e: Expr): Candidate => ({ cost: costOf(e), build: () => e });

/** The first candidate of least cost. */
function cheapest(candidates: readonly Candidate[]): Expr {
  let best = candidates[0]!;
  for (let i = 1; i < candidates.length; i++) if (candidates[i]!.cost < best.cost) best = candidates[i]!;
  return best.build();
}

function costOf(e: Expr): number {
  let c = search!.costs.get(e);
  if (c === undefined) search!.costs.set(e, (c = cost(e)));
  return c;
}

function hasSum(e: Expr): boolean {
  if (e.args.length === 0) return false;
  let known = search!.sums.get(e);
  if (known === undefined) search!.sums.set(e, (known = e.op === "add" || e.args.some(hasSum)));
  return known;
}

/**
 * A product or sum of parts, its cost known without building or reading it: when at most one
 * part holds a sum, no sum can be read twice across parts, and cost() is the parts' costs plus
 * the node's own (one per · of a product; one, and one per term, of a sum).
 */
function composed(parts: readonly Expr[], make: (parts: readonly Expr[]) => Expr, own: number): Candidate {
  if (parts.filter(hasSum).length > 1) return built(make(parts));
  const c = parts.reduce((total, x) => total + costOf(x), own);
  return {
    cost: c,
    build: () => {
      const e = make(parts);
      search!.costs.set(e, c);
      return e;
    },
  };
}

const productOf = (parts: readonly Expr[]): Candidate => composed(parts, product, parts.length - 1);
const sumOf = (terms: readonly Expr[]): Candidate => composed(terms, add, 1 + terms.length);

/**
 * Whether the plain sum cannot be the cheapest candidate of a sum with no common scalar: with
 * every word of two atoms or more that do not begin (end) with a power, pulling out the common
 * first (last) atom a of t ≥ 2 terms saves (t − 1)(cost(a) + 1). Not building and reading it
 * keeps factoring linear in the number of common atoms.
 */
function plainIsBeaten(s: Sum, maxPrefix: number, maxSuffix: number): boolean {
  const terms = s.terms;
  if (terms.length < 2 || terms.some((m) => lengthOf(s, m) < 2)) return false;
  const first = maxPrefix >= 1 && terms.every((m) => atom(s, m, 0).key !== atom(s, m, 1).key);
  const last = maxSuffix >= 1 && terms.every((m) => atomFromEnd(s, m, 0).key !== atomFromEnd(s, m, 1).key);
  return first || last;
}

/** Positive terms first, so α(K⁻¹YYᵀK⁻¹ − DK⁻¹)X rather than α(−DK⁻¹ + K⁻¹YYᵀK⁻¹)X. */
function orderForReading(terms: readonly Term[]): Term[] {
  return [...terms].sort((a, b) => Number(a.coef.n < 0) - Number(b.coef.n < 0));
}

/** No positive term after a negative one: orderForReading (a stable sort) would change nothing. */
function isOrderedForReading(terms: readonly Term[]): boolean {
  for (let i = 1; i < terms.length; i++) if (terms[i - 1]!.coef.n < 0 && terms[i]!.coef.n >= 0) return false;
  return true;
}

/**
 * outside · prefix · (inner sum) · suffix, when anything is common to every term: `outside` the
 * common scalar unless it is 1, `inner` the terms divided by it.
 */
function pullCommon(s: Sum, outside: Expr | undefined, inner: readonly Term[], prefix: number, suffix: number): Candidate | undefined {
  const terms = s.terms;
  if (terms.some((m) => lengthOf(s, m) < prefix + suffix)) return undefined;
  if (!outside && prefix === 0 && suffix === 0) return undefined;

  const first = terms[0]!;
  const parts: Expr[] = [];
  if (outside) parts.push(outside);
  const end = first.word.length - s.right;
  parts.push(...runsOf(first.word.slice(s.left, s.left + prefix)));
  parts.push(factorSum(innerSum(s, inner, prefix, suffix)));
  parts.push(...runsOf(first.word.slice(end - suffix, end)));
  // Only a square matrix, or `outside` when it is one scalar (α·α), is joined into a power: the
  // x of a scalar xᵀx meets the column x after it (xᵀx·x), and x² would not type.
  const bases = first.word.filter((a) => a.rows === a.cols).map((a) => a.expr);
  if (outside && outside.op !== "mul") bases.push(asPower(outside)[0]);
  return productOf(joinedAtSeams(parts, (a) => bases.some((b) => equal(b, a))));
}

/**
 * The terms (s's, or s's divided by their common scalar) with prefix and suffix atoms dropped.
 * That keeps them distinct: the sum is collected already, and only needs collect()'s order.
 */
function innerSum(s: Sum, terms: readonly Term[], prefix: number, suffix: number): Sum {
  const inner = viewOf(s, terms, s.left + prefix, s.right + suffix);
  return withTerms(inner, [...terms].sort((a, b) => compareTermKeys(inner, a, b)));
}

/** The sum of terms of s's words from left to right, in the given order. */
function viewOf(s: Sum, terms: readonly Term[], left: number, right: number): Sum {
  const first = terms[0]!;
  const shape: Shape = [
    left > s.left ? first.word[left - 1]!.cols : s.shape[0],
    right > s.right ? first.word[first.word.length - right]!.rows : s.shape[1],
  ];
  return sumView(shape, terms, left, right);
}

/** A factor read as base^k: X² is (X, 2), X is (X, 1). */
const asPower = (e: Expr): [Expr, number] => (e.op === "pow" && e.args[1]!.op === "num" && e.args[1]!.value!.d === 1 ? [e.args[0]!, e.args[1]!.value!.n] : [e, 1]);

/** Products are read this deep for their first factor: deeper chains are left as they are. */
const SEAM_DEPTH = 64;

/**
 * Parts of a product with equal matrices met at a seam joined into one power: the atom X
 * pulled out of X(XA + XB) = X·X(A + B) is X²(A + B). Equal cost, as a textbook writes it.
 */
function joinedAtSeams(parts: readonly Expr[], square: (base: Expr) => boolean): Expr[] {
  const out = [...parts];
  for (let i = 0; i + 1 < out.length; i++) {
    const left = out[i]!;
    const right = out[i + 1]!;
    const last = left.op === "mul" ? left.args[1]! : left;
    const spine: Expr[] = [];
    let firstOfRight = right;
    while (firstOfRight.op === "mul" && spine.length < SEAM_DEPTH) spine.push(firstOfRight), (firstOfRight = firstOfRight.args[0]!);
    const [a, j] = asPower(last);
    const [b, k] = asPower(firstOfRight);
    // equal(), not key(): a long chain's key is as long as the chain, and its parts' keys with it
    if (a.op === "num" || a.op === "add" || a.op !== b.op || !equal(a, b) || !square(a)) continue;
    let joined = pow(a, num(j + k));
    for (let d = spine.length - 1; d >= 0; d--) joined = withArgs(spine[d]!, [joined, spine[d]!.args[1]!]);
    out.splice(i, 2, ...(left.op === "mul" ? [left.args[0]!, joined] : [joined]));
  }
  return out;
}

/** Atoms pulled out, each run of equal ones a power: XX(A + B) is X²(A + B). */
function runsOf(atoms: readonly Atom[]): Expr[] {
  const out: Expr[] = [];
  for (let i = 0; i < atoms.length; ) {
    let j = i + 1;
    while (j < atoms.length && atoms[j]!.key === atoms[i]!.key) j++;
    out.push(wordProduct(atoms.slice(i, j)));
    i = j;
  }
  return out;
}

/**
 * Every common atom pulled out at once, when the search could end nowhere else: if no sum on the
 * way there (with fewer of the atoms pulled out) has a candidate of its own (quietOnTheWay), and
 * no atom holds a sum so that costs add up, every order of pulling the atoms out one to three at
 * a time costs the same, and the search keeps the first it tries: the last atoms three at a time,
 * then the first atoms one at a time. That is built here without making the sums on the way:
 * ‖Wₙ⋯W₁x − y‖² by W₁ has n − 1 common atoms, and n sums on the way.
 */
function pullWholeRun(s: Sum, prefix: number, suffix: number): Expr | undefined {
  if (prefix + suffix > shortestLength(s)) return undefined;
  const first = s.terms[0]!;
  const leading = first.word.slice(s.left, s.left + prefix);
  const trailing = first.word.slice(first.word.length - s.right - suffix, first.word.length - s.right);
  if ([...leading, ...trailing].some((a) => hasSum(a.expr)) || !quietOnTheWay(s, prefix, suffix)) return undefined;
  let e = factorSum(innerSum(s, s.terms, prefix, suffix));
  const leadingRuns = runsOf(leading);
  for (let i = leadingRuns.length - 1; i >= 0; i--) e = productOf([leadingRuns[i]!, e]).build();
  // The outermost three are the last atoms of the words.
  for (let k = Math.ceil(suffix / MAX_PULLED) - 1; k >= 0; k--) {
    const end = suffix - k * MAX_PULLED;
    e = productOf([e, ...runsOf(trailing.slice(Math.max(0, end - MAX_PULLED), end))]).build();
  }
  return e;
}

/**
 * Whether no sum on the way from s (included) to the one with s's whole common run pulled out
 * (excluded) has a candidate of its own. The sums on the way have s's terms, and their runs end
 * where s's does: what is found is kept by terms and by where the words start and end, and a sum
 * on the way that the search visits (when s is not quiet) is answered at once.
 */
function quietOnTheWay(s: Sum, prefix: number, suffix: number): boolean {
  const termsKey = s.terms.map((m) => m.key).sort().join(" + ");
  let known = search!.quiet.get(termsKey);
  if (!known) search!.quiet.set(termsKey, (known = new Map()));
  // where the words start and end, as one number: nothing dropped at the right reaches the longest word's length
  const span = 1 + s.terms.reduce((n, m) => Math.max(n, m.word.length), 0);
  const at = (left: number, right: number) => left * span + right;
  const endLeft = s.left + prefix;
  const endRight = s.right + suffix;
  // From the end back to s: each sum after the two it reaches by pulling out one more atom.
  if (!known.has(at(s.left, s.right)))
    for (let left = endLeft; left >= s.left; left--)
      for (let right = endRight; right >= s.right; right--) {
        if (known.has(at(left, right))) continue;
        const atEnd = left === endLeft && right === endRight;
        const quiet =
          atEnd ||
          ((left === endLeft || known.get(at(left + 1, right))!) &&
            (right === endRight || known.get(at(left, right + 1))!) &&
            !hasCandidateOfItsOwn(viewOf(s, s.terms, left, right), endLeft - left, endRight - right));
        known.set(at(left, right), quiet);
      }
  return known.get(at(s.left, s.right))!;
}

/**
 * Whether a sum with no common scalar has a candidate besides pulling out common atoms: its plain
 * sum not beaten, a group, a product of sums, a trace.
 */
function hasCandidateOfItsOwn(s: Sum, prefix: number, suffix: number): boolean {
  if (!plainIsBeaten(s, Math.min(MAX_PULLED, prefix), Math.min(MAX_PULLED, suffix))) return true;
  if (s.terms.length <= REGROUP_LIMIT && bestGroup(s)) return true;
  const poly = polyOf(s);
  return productOfSums(poly) !== undefined || traceOfSum(poly) !== undefined;
}

const isTrivial = (c: Scalar): boolean => Q.isOne(c.coef) && c.factors.length === 0;

/** The largest rational and the scalar factors every term has (with the smallest power). */
function commonContent(terms: readonly Scalar[]): Scalar {
  let n = Math.abs(terms[0]!.coef.n);
  let d = terms[0]!.coef.d;
  for (let i = 1; i < terms.length; i++) {
    n = gcd(n, Math.abs(terms[i]!.coef.n));
    d = lcm(d, terms[i]!.coef.d);
  }
  const allNegative = terms.every((m) => m.coef.n < 0);
  const coef = rational(allNegative ? -n : n, d);
  const factors: Factor[] = [];
  const first = terms[0]!.factors;
  for (let i = 0; i < first.length; i++) {
    const f = first[i]!;
    let power = f.power;
    let everywhere = true;
    for (let j = 0; j < terms.length; j++) {
      const g = terms[j]!.factors.find((x) => x.key === f.key);
      if (!g || Math.sign(g.power.n) !== Math.sign(f.power.n)) {
        everywhere = false;
        break;
      }
      if (Math.abs(g.power.n / g.power.d) < Math.abs(power.n / power.d)) power = g.power;
    }
    if (everywhere) factors.push(withPower(f, power));
  }
  return { coef, factors };
}

function divide(m: Term, by: Scalar): Term {
  const scalar = over(m, by);
  return termOf(monomial(scalar.coef, scalar.factors, m.word));
}

/** The largest set of (not all) terms sharing a first or last atom or a scalar factor. */
function bestGroup(s: Sum): [Sum, Sum] | undefined {
  // Two terms or more, and not all: none of two (every sum on the way in ‖Wₙ⋯W₁x − y‖² by W₁).
  if (s.terms.length < 3) return undefined;
  const counts = new Map<string, Term[]>();
  const note = (k: string, m: Term) => {
    const group = counts.get(k);
    if (group) group.push(m);
    else counts.set(k, [m]);
  };
  for (let i = 0; i < s.terms.length; i++) {
    const m = s.terms[i]!;
    if (lengthOf(s, m)) {
      note(`first:${atom(s, m, 0).key}`, m);
      note(`last:${atomFromEnd(s, m, 0).key}`, m);
    }
    for (let j = 0; j < m.factors.length; j++) note(`factor:${m.factors[j]!.key}`, m);
  }
  let best: Term[] | undefined;
  for (const group of counts.values())
    if (group.length >= 2 && group.length < s.terms.length && (!best || group.length > best.length)) best = group;
  if (!best) return undefined;
  const chosen = new Set(best);
  return [
    withTerms(s, best),
    withTerms(s, s.terms.filter((m) => !chosen.has(m))),
  ];
}

const lcm = (a: number, b: number) => (a / gcd(a, b)) * b;

// ---------- terms as views of their words ----------

function termOf(m: Monomial): Term {
  const factorsKey = factorsKeyOf(m.factors);
  return { coef: m.coef, factors: m.factors, factorsKey, word: m.word, key: `${Q.key(m.coef)}*${factorsKey}#${wordId(m.word)}` };
}

function wordId(word: readonly Atom[]): number {
  const ids = search!.wordIds;
  let id = ids.get(word);
  if (id === undefined) ids.set(word, (id = ids.size));
  return id;
}

const factorsKeyOf = (factors: readonly Factor[]): string => termKey(monomial(rational(1), factors, []));

const lengthOf = (s: Sum, m: Term): number => m.word.length - s.left - s.right;
const atom = (s: Sum, m: Term, i: number): Atom => m.word[s.left + i]!;
const atomFromEnd = (s: Sum, m: Term, i: number): Atom => m.word[m.word.length - 1 - s.right - i]!;

/** The term as a monomial, its word copied out. */
function monomialOf(s: Sum, m: Term): Monomial {
  return monomial(m.coef, m.factors, m.word.slice(s.left, m.word.length - s.right));
}

/** The sum as a poly for src/simplify/regroup.ts, each word copied out only when it is read. */
function polyOf(s: Sum): Poly {
  return { shape: s.shape, terms: s.terms.map((m) => new LazyMonomial(m, s.left, m.word.length - s.right)) };
}

class LazyMonomial implements Monomial {
  readonly coef: Rational;
  readonly factors: readonly Factor[];
  private copied: readonly Atom[] | undefined;

  constructor(
    private readonly term: Term,
    private readonly start: number,
    private readonly end: number,
  ) {
    this.coef = term.coef;
    this.factors = term.factors;
  }

  get word(): readonly Atom[] {
    return (this.copied ??= this.term.word.slice(this.start, this.end));
  }
}

/** Equal for equal sums of the same words (the memo's key), without reading the words. */
function sumKey(s: Sum): string {
  return `${s.shape[0]}×${s.shape[1]}|${s.left}|${s.right}|${joined(s.terms, (m) => m.key, " + ")}`;
}

/** Where two words first differ (the shorter one's length if one begins the other). */
function firstDifference(a: readonly Atom[], b: readonly Atom[]): number {
  return remembered(search!.firstDifferences, a, b, () => {
    let i = 0;
    while (i < a.length && i < b.length && a[i]!.key === b[i]!.key) i++;
    return i;
  });
}

/** How many atoms two words end with in common. */
function commonEnd(a: readonly Atom[], b: readonly Atom[]): number {
  return remembered(search!.commonEnds, a, b, () => {
    let i = 0;
    while (i < a.length && i < b.length && a[a.length - 1 - i]!.key === b[b.length - 1 - i]!.key) i++;
    return i;
  });
}

function remembered(table: Map<readonly Atom[], Map<readonly Atom[], number>>, a: readonly Atom[], b: readonly Atom[], compute: () => number): number {
  let row = table.get(a);
  if (!row) table.set(a, (row = new Map()));
  let n = row.get(b);
  if (n === undefined) row.set(b, (n = compute()));
  return n;
}

const shortestLength = (s: Sum): number => Math.min(...s.terms.map((m) => lengthOf(s, m)));

/**
 * How many leading atoms every term's word agrees on. The atoms already pulled out are common,
 * so the words first differ at or after s.left.
 */
function commonPrefixLength(s: Sum): number {
  const [first, ...rest] = s.terms;
  return Math.min(shortestLength(s), ...rest.map((m) => firstDifference(first!.word, m.word) - s.left));
}

function commonSuffixLength(s: Sum): number {
  const [first, ...rest] = s.terms;
  return Math.min(shortestLength(s), ...rest.map((m) => commonEnd(first!.word, m.word) - s.right));
}

/**
 * termKey(a) against termKey(b) as collect() orders them, within the sum s, reading only where
 * they differ: past the atoms common to all of s's words.
 */
function compareTermKeys(s: Sum, a: Term, b: Term): number {
  const endA = a.word.length - s.right;
  const endB = b.word.length - s.right;
  if (a.factorsKey !== b.factorsKey) {
    if (!a.factorsKey.startsWith(b.factorsKey) && !b.factorsKey.startsWith(a.factorsKey)) return byString(a.factorsKey, b.factorsKey);
    const keyOf = (m: Term, end: number) => m.factorsKey + wordKey(m.word.slice(s.left, end));
    return byString(keyOf(a, endA), keyOf(b, endB));
  }
  // Most words differ in their first atom; where others first differ is kept.
  const differFirst = s.left < endA && s.left < endB && a.word[s.left]!.key !== b.word[s.left]!.key;
  const at = differFirst ? s.left : Math.min(firstDifference(a.word, b.word), endA, endB);
  // One word begins the other: the shorter key comes first.
  if (at === endA || at === endB) return endA - endB;
  const keyA = a.word[at]!.key;
  const keyB = b.word[at]!.key;
  if (!keyA.startsWith(keyB) && !keyB.startsWith(keyA)) return byString(keyA, keyB);
  // One atom's key begins the other's: what follows in the word decides.
  return byString(wordKey(a.word.slice(at, endA)), wordKey(b.word.slice(at, endB)));
}

const byString = (x: string, y: string): number => (x < y ? -1 : x > y ? 1 : 0);
