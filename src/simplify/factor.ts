import { type Expr, type Rational, add, call, mul, num, product, rational, gcd } from "../ast.js";
import { productOfSums, traceOfSum } from "./regroup.js";
import type { Shape } from "../shapes/shape.js";
import { type Factor, type Monomial, type Poly, Rationals as Q, collect, monomialExpr, polyKey } from "./normal.js";
import { cost } from "./cost.js";

// From a normal form (a flat sum of monomials) to the textbook's compact form: the common
// scalar pulled out (α(…)), common left and right matrix factors pulled out (K⁻¹(…)X), and
// groups of terms that share a first or last factor factored in turn. Every candidate is a
// rearrangement of the same monomials; the cheapest by cost() is kept.

/** At most this many common factors are pulled out on either side. */
const MAX_PULLED = 3;

/** Polys of more terms than this are only factored as a whole, not regrouped. */
const REGROUP_LIMIT = 10;

/**
 * Factorings already found in this call, by shape and poly key: pulling out one common factor
 * and then two reaches the same inner poly as pulling out three at once, so without this the
 * search is exponential in the number of common factors (‖Wₙ⋯W₁x − y‖² by W₁).
 */
let found: Map<string, Expr> | undefined;

export function factorPoly(p: Poly): Expr {
  const outermost = found === undefined;
  if (outermost) found = new Map();
  try {
    const k = `${p.shape[0]}×${p.shape[1]}|${polyKey(p)}`;
    const known = found!.get(k);
    if (known) return known;
    const result = factorPolyOnce(p);
    found!.set(k, result);
    return result;
  } finally {
    if (outermost) found = undefined;
  }
}

function factorPolyOnce(p: Poly): Expr {
  if (p.terms.length === 0) return num(0);
  const terms = orderForReading(p.terms);
  if (terms.length === 1) return monomialExpr(terms[0]!, p.shape);
  // The common scalar always comes out; each length of common left and right factors is tried.
  // On a tie the earlier candidate stays: right factors before left ones, as in α(…)X.
  const maxPrefix = Math.min(MAX_PULLED, commonLength(terms, (m, i) => m.word[i]?.key));
  const maxSuffix = Math.min(MAX_PULLED, commonLength(terms, (m, i) => m.word[m.word.length - 1 - i]?.key));
  const candidates: Expr[] = plainIsBeaten(terms, maxPrefix, maxSuffix) ? [] : [add(terms.map((m) => monomialExpr(m, p.shape)))];
  for (let left = 0; left <= maxPrefix; left++)
    for (let right = maxSuffix; right >= 0; right--) {
      const common = pullCommon({ shape: p.shape, terms }, left, right);
      if (common) candidates.push(common);
    }

  if (terms.length <= REGROUP_LIMIT) {
    const grouping = bestGroup(terms);
    if (grouping) {
      const [group, rest] = grouping;
      candidates.push(add([factorPoly({ shape: p.shape, terms: group }), factorPoly({ shape: p.shape, terms: rest })]));
    }
  }

  // (D + Dᵀ)(Xb + c), and tr(c₁W₁ + c₂W₂) for c₁tr(W₁) + c₂tr(W₂) (src/simplify/regroup.ts).
  const sums = productOfSums({ shape: p.shape, terms });
  if (sums) candidates.push(mul(factorPoly(sums[0]), factorPoly(sums[1])));
  const traced = traceOfSum({ shape: p.shape, terms });
  if (traced) candidates.push(call("tr", [factorPoly(traced)]));
  return cheapest(candidates);
}

/** The first candidate of least cost. */
function cheapest(candidates: Expr[]): Expr {
  let best = candidates[0]!;
  let bestCost = costOf(best);
  for (let i = 1; i < candidates.length; i++) {
    const c = costOf(candidates[i]!);
    if (c < bestCost) [best, bestCost] = [candidates[i]!, c];
  }
  return best;
}

/** cost() of candidates already costed (factorings reuse each other's results). */
const costs = new WeakMap<Expr, number>();
const sums = new WeakMap<Expr, boolean>();

function costOf(e: Expr): number {
  let c = costs.get(e);
  if (c === undefined) costs.set(e, (c = cost(e)));
  return c;
}

function hasSum(e: Expr): boolean {
  let known = sums.get(e);
  if (known === undefined) sums.set(e, (known = e.op === "add" || e.args.some(hasSum)));
  return known;
}

/**
 * The product of parts, its cost known without reading it all: when at most one part holds a
 * sum, no sum can be read twice across parts, and cost() is the parts' costs plus one per ·.
 */
function productWithCost(parts: Expr[]): Expr {
  const e = product(parts);
  if (parts.filter(hasSum).length <= 1) costs.set(e, parts.reduce((c, x) => c + costOf(x), parts.length - 1));
  return e;
}

/**
 * Whether the plain sum cannot be the cheapest candidate: with no common scalar, and every word
 * of two atoms or more that do not begin (end) with a power, pulling out the common first (last)
 * atom a of t ≥ 2 terms saves (t − 1)(cost(a) + 1). Not building and reading it keeps factoring
 * linear in the number of common atoms (‖Wₙ⋯W₁x − y‖² by W₁).
 */
function plainIsBeaten(terms: readonly Monomial[], maxPrefix: number, maxSuffix: number): boolean {
  if (terms.length < 2 || terms.some((m) => m.word.length < 2)) return false;
  const content = commonContent(terms);
  if (!(Q.isOne(content.coef) && content.factors.length === 0)) return false;
  const first = maxPrefix >= 1 && terms.every((m) => m.word[0]!.key !== m.word[1]!.key);
  const last = maxSuffix >= 1 && terms.every((m) => m.word.at(-1)!.key !== m.word.at(-2)!.key);
  return first || last;
}

/** Positive terms first, so α(K⁻¹YYᵀK⁻¹ − DK⁻¹)X rather than α(−DK⁻¹ + K⁻¹YYᵀK⁻¹)X. */
function orderForReading(terms: readonly Monomial[]): Monomial[] {
  return [...terms].sort((a, b) => Number(a.coef.n < 0) - Number(b.coef.n < 0));
}

/** content · prefix · (inner sum) · suffix, when anything is common to every term. */
function pullCommon(p: Poly, prefix: number, suffix: number): Expr | undefined {
  const terms = p.terms;
  if (terms.some((m) => m.word.length < prefix + suffix)) return undefined;
  const content = commonContent(terms);
  const trivialContent = Q.isOne(content.coef) && content.factors.length === 0;
  if (trivialContent && prefix === 0 && suffix === 0) return undefined;

  const first = terms[0]!;
  const innerShape: Shape = [
    prefix ? first.word[prefix - 1]!.cols : p.shape[0],
    suffix ? first.word[first.word.length - suffix]!.rows : p.shape[1],
  ];
  const inner = collect(
    innerShape,
    terms.map((m) => ({
      coef: Q.mul(m.coef, Q.inv(content.coef)),
      factors: divideFactors(m.factors, content.factors),
      word: m.word.slice(prefix, m.word.length - suffix),
    })),
  );
  const outsideScalar = monomialExpr({ coef: content.coef, factors: content.factors, word: [] }, [1, 1]);
  const parts: Expr[] = [];
  if (!(Q.isOne(content.coef) && content.factors.length === 0)) parts.push(outsideScalar);
  parts.push(...first.word.slice(0, prefix).map((a) => a.expr));
  parts.push(factorPoly(inner));
  parts.push(...first.word.slice(first.word.length - suffix).map((a) => a.expr));
  return productWithCost(parts);
}

/** The largest rational and the scalar factors every term has (with the smallest power). */
function commonContent(terms: readonly Monomial[]): { coef: Rational; factors: Factor[] } {
  let n = Math.abs(terms[0]!.coef.n);
  let d = terms[0]!.coef.d;
  for (const m of terms) {
    n = gcd(n, Math.abs(m.coef.n));
    d = lcm(d, m.coef.d);
  }
  const allNegative = terms.every((m) => m.coef.n < 0);
  const coef = rational(allNegative ? -n : n, d);
  const factors: Factor[] = [];
  for (const f of terms[0]!.factors) {
    let power = f.power;
    let everywhere = true;
    for (const m of terms) {
      const g = m.factors.find((x) => x.key === f.key);
      if (!g || Math.sign(g.power.n) !== Math.sign(f.power.n)) {
        everywhere = false;
        break;
      }
      if (Math.abs(g.power.n / g.power.d) < Math.abs(power.n / power.d)) power = g.power;
    }
    if (everywhere) factors.push({ ...f, power });
  }
  return { coef, factors };
}

function divideFactors(fs: readonly Factor[], by: readonly Factor[]): Factor[] {
  return fs
    .map((f) => {
      const g = by.find((x) => x.key === f.key);
      return g ? { ...f, power: Q.add(f.power, Q.neg(g.power)) } : f;
    })
    .filter((f) => f.power.n !== 0);
}

/** How many leading positions every term agrees on. */
function commonLength(terms: readonly Monomial[], at: (m: Monomial, i: number) => string | undefined): number {
  const shortest = Math.min(...terms.map((m) => m.word.length));
  let k = 0;
  while (k < shortest && terms.every((m) => at(m, k) !== undefined && at(m, k) === at(terms[0]!, k))) k++;
  return k;
}

/** The largest set of (not all) terms sharing a first or last atom or a scalar factor. */
function bestGroup(terms: readonly Monomial[]): [Monomial[], Monomial[]] | undefined {
  const counts = new Map<string, Monomial[]>();
  const note = (k: string, m: Monomial) => counts.set(k, [...(counts.get(k) ?? []), m]);
  for (const m of terms) {
    if (m.word.length) {
      note(`first:${m.word[0]!.key}`, m);
      note(`last:${m.word[m.word.length - 1]!.key}`, m);
    }
    for (const f of m.factors) note(`factor:${f.key}`, m);
  }
  let best: Monomial[] | undefined;
  for (const group of counts.values())
    if (group.length >= 2 && group.length < terms.length && (!best || group.length > best.length)) best = group;
  if (!best) return undefined;
  const chosen = new Set(best);
  return [best, terms.filter((m) => !chosen.has(m))];
}

const lcm = (a: number, b: number) => (a / gcd(a, b)) * b;
