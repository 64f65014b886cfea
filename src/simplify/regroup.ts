import { type Expr, type Rational, StructureIds, add, anyNode, call, identity, key, keyLengthUpTo, mapBottomUp, neg, product } from "../ast.js";
import type { Context } from "../context.js";
import { shapeOf } from "../shapes/infer.js";
import { type Shape, isScalar } from "../shapes/shape.js";
import { cost } from "./cost.js";
import { type Atom, type Factor, type Monomial, type Poly, Rationals as Q, collect, mergeFactors, monomial, reciprocalFactor, wordKey } from "./normal.js";

// Two more ways factor.ts reads a flat sum of monomials back as a textbook writes it:
//   a product of two sums:  DXb + Dc + DᵀXb + Dᵀc = (D + Dᵀ)(Xb + c)
//   a trace of a sum:       ½tr(K⁻¹YYᵀK⁻¹) − (D/2)tr(K⁻¹) = tr(½K⁻¹YYᵀK⁻¹ − (D/2)K⁻¹)
// Both only rearrange the same monomials; factor.ts keeps whichever form costs least.

/** A scalar part of a monomial: coefficient and scalar factors. */
export interface Scalar {
  readonly coef: Rational;
  readonly factors: readonly Factor[];
}

const scalarKey = (s: Scalar): string => `${Q.key(s.coef)}|${s.factors.map((f) => `${f.key}^${Q.key(f.power)}`).join("·")}`;
const times = (a: Scalar, b: Scalar): Scalar => ({ coef: Q.mul(a.coef, b.coef), factors: mergeFactors(a.factors, b.factors) });
export const over = (a: Scalar, b: Scalar): Scalar => ({
  coef: Q.mul(a.coef, Q.inv(b.coef)),
  factors: mergeFactors(a.factors, b.factors.map(reciprocalFactor)),
});

/**
 * p = (Σ aᵢLᵢ)(Σ bⱼRⱼ) with at least two terms on each side, every word split at the same
 * place (counted from its start or from its end): the two sums, or undefined.
 */
export function productOfSums(p: Poly): [Poly, Poly] | undefined {
  const terms = p.terms;
  if (terms.length < 4 || terms.length > 64) return undefined;
  // Each side keeps at least one atom of every word.
  const shortest = Math.min(...terms.map((m) => m.word.length));
  for (let k = 1; k < shortest; k++)
    for (const fromEnd of [false, true]) {
      const split = (m: Monomial): [readonly Atom[], readonly Atom[]] => {
        const at = fromEnd ? m.word.length - k : k;
        return [m.word.slice(0, at), m.word.slice(at)];
      };
      const found = tryProduct(terms, split, p.shape);
      if (found) return found;
    }
  return undefined;
}

function tryProduct(terms: readonly Monomial[], split: (m: Monomial) => [readonly Atom[], readonly Atom[]], shape: Shape): [Poly, Poly] | undefined {
  const lefts = new Map<string, readonly Atom[]>();
  const rights = new Map<string, readonly Atom[]>();
  const at = new Map<string, Scalar>();
  let inner: Shape[0] | undefined;
  for (const m of terms) {
    const [l, r] = split(m);
    const seam = l[l.length - 1]!.cols;
    if (inner === undefined) inner = seam;
    else if (seam !== inner) return undefined;
    lefts.set(wordKey(l), l);
    rights.set(wordKey(r), r);
    const k = `${wordKey(l)}|${wordKey(r)}`;
    if (at.has(k)) return undefined;
    at.set(k, { coef: m.coef, factors: m.factors });
  }
  if (lefts.size < 2 || rights.size < 2 || lefts.size * rights.size !== terms.length) return undefined;
  // c(l, r) = a(l)·b(r): a(l) = c(l, r₀), b(r) = c(l₀, r)/c(l₀, r₀).
  const [l0] = lefts.keys();
  const [r0] = rights.keys();
  const c00 = at.get(`${l0}|${r0}`)!;
  const a = new Map([...lefts.keys()].map((l) => [l, at.get(`${l}|${r0}`)!] as const));
  const b = new Map([...rights.keys()].map((r) => [r, over(at.get(`${l0}|${r}`)!, c00)] as const));
  for (const l of lefts.keys())
    for (const r of rights.keys()) {
      const c = at.get(`${l}|${r}`);
      if (!c || scalarKey(c) !== scalarKey(times(a.get(l)!, b.get(r)!))) return undefined;
    }
  const left = collect([shape[0], inner!], [...lefts].map(([l, w]) => monomial(a.get(l)!.coef, a.get(l)!.factors, w)));
  const right = collect([inner!, shape[1]], [...rights].map(([r, w]) => monomial(b.get(r)!.coef, b.get(r)!.factors, w)));
  return [left, right];
}

/**
 * A scalar p whose every term has one trace factor tr(Wᵢ), the Wᵢ of one size: the matrix
 * Σ cᵢ·(other factors)·Wᵢ whose trace p is, or undefined.
 */
export function traceOfSum(p: Poly): Poly | undefined {
  // Only a scalar is a trace: c·tr(Y)·I of a matrix sum keeps its I.
  if (p.terms.length < 2 || p.shape[0] !== 1 || p.shape[1] !== 1) return undefined;
  let size: Shape[0] | undefined;
  const inner: Monomial[] = [];
  for (const m of p.terms) {
    const traces = m.factors.filter((f) => f.trace);
    if (traces.length !== 1 || !Q.isOne(traces[0]!.power) || m.word.length) return undefined;
    const w = traces[0]!.trace!;
    const n = w[0]!.rows;
    if (size === undefined) size = n;
    else if (n !== size) return undefined;
    inner.push(monomial(m.coef, m.factors.filter((f) => f !== traces[0]), w));
  }
  return collect([size!, size!], inner);
}

// And one on the expression itself, where a sum is kept whole inside a product (the normal form
// would expand it, and turn s(sᵀu) into the scalar sᵀu times s):
//   a common right factor, a Hadamard product of vectors read as a diagonal matrix times a
//   vector:  s ⊙ u − s(sᵀu) = diag(s)u − ssᵀu = (diag(s) − ssᵀ)u

/** A term of a sum as a sign, its scalar factors and its matrix factors left to right. */
interface Reading {
  readonly negated: boolean;
  readonly scalars: readonly Expr[];
  readonly factors: readonly Expr[];
}

/** At most this many readings of a term are kept (each a ⊙ b of vectors doubles them). */
const MAX_READINGS = 8;

/** Products deeper than this are read no further: a chain of 10,000 factors is one factor. */
const MAX_DEPTH = 16;

/** The ways to read a term as a product: a ⊙ b of vectors is diag(a)b and diag(b)a. */
function readings(t: Expr, ctx: Context, depth = 0): Reading[] {
  const shape = shapeOf(t, ctx);
  if (isScalar(shape)) return [{ negated: false, scalars: [t], factors: [] }];
  if (depth === MAX_DEPTH) return [{ negated: false, scalars: [], factors: [t] }];
  if (t.op === "neg") return readings(t.args[0]!, ctx, depth + 1).map((r) => ({ negated: !r.negated, scalars: r.scalars, factors: r.factors }));
  if (t.op === "mul") {
    const out: Reading[] = [];
    for (const l of readings(t.args[0]!, ctx, depth + 1))
      for (const r of readings(t.args[1]!, ctx, depth + 1))
        out.push({ negated: l.negated !== r.negated, scalars: [...l.scalars, ...r.scalars], factors: [...l.factors, ...r.factors] });
    return out.slice(0, MAX_READINGS);
  }
  if (t.op === "call" && t.fn === "hadamard" && shape[1] === 1) {
    const a = t.args[0]!;
    const b = t.args[1]!;
    const diagonalTimes = (d: Expr, v: Expr) => readings(v, ctx, depth + 1).map((r) => ({ negated: r.negated, scalars: r.scalars, factors: [call("diag", [d]), ...r.factors] }));
    return [...diagonalTimes(a, b), ...diagonalTimes(b, a)].slice(0, MAX_READINGS);
  }
  return [{ negated: false, scalars: [], factors: [t] }];
}

/** Whether a reading's factors end in `suffix` (by sameness, see sameness()). */
const endsIn = (r: Reading, suffix: readonly string[], same: (e: Expr) => string): boolean =>
  r.factors.length >= suffix.length && suffix.every((k, i) => same(r.factors[r.factors.length - suffix.length + i]!) === k);

/** Keys longer than this are not made: a factor read no deeper (MAX_DEPTH) may be a long chain, whose key is as long as the chain and so is each of its parts'. */
const LONGEST_KEY = 256;

/** A string equal for equal expressions: the key, or for one with a long key its structure id ("#17"; no key begins with #). */
const sameness = (): ((e: Expr) => string) => {
  // made at the first long key: most sums have none
  let ids: StructureIds | undefined;
  return (e) => (keyLengthUpTo(e, LONGEST_KEY) <= LONGEST_KEY ? key(e) : `#${(ids ??= new StructureIds()).of(e)}`);
};

/**
 * A sum as (Σ Lᵢ)R for the longest R every term ends in, reading a ⊙ b of vectors as diag(a)b
 * or diag(b)a; undefined when no factor is common. A term that is R alone leaves I.
 */
function commonRightFactor(sum: Expr, ctx: Context, same: (e: Expr) => string): Expr | undefined {
  if (sum.op !== "add" || sum.args.length > 6) return undefined;
  const all = sum.args.map((t) => readings(t, ctx));
  // Every term's suffix ends in the same factor: most sums have none in common, found here
  // without trying each suffix of each reading.
  const lastOf = (rs: readonly Reading[]) => rs.map((r) => (r.factors.length ? same(r.factors[r.factors.length - 1]!) : undefined));
  const others = all.slice(1).map(lastOf);
  if (!lastOf(all[0]!).some((k) => k !== undefined && others.every((ks) => ks.includes(k)))) return undefined;
  let best: { suffix: Expr[]; chosen: Reading[] } | undefined;
  for (const first of all[0]!)
    for (let length = first.factors.length; length >= 1 && (!best || length > best.suffix.length); length--) {
      const suffix = first.factors.slice(first.factors.length - length);
      const keys = suffix.map(same);
      const chosen = all.map((rs) => rs.find((r) => endsIn(r, keys, same)));
      if (chosen.every((r) => r) && chosen.some((r) => r!.factors.length > length)) best = { suffix, chosen: chosen as Reading[] };
    }
  if (!best) return undefined;
  const rows = shapeOf(best.suffix[0]!, ctx)[0];
  const left = best.chosen.map((r) => {
    const factors = r.factors.slice(0, r.factors.length - best!.suffix.length);
    const body = product([...r.scalars, ...(factors.length ? factors : [identity(rows)])]);
    return r.negated ? neg(body) : body;
  });
  return product([add(left), ...best.suffix]);
}

/** Every sum that a common right factor makes cheaper, rebuilt so; e itself when there is none. */
export function pullCommonRightFactors(e: Expr, ctx: Context): Expr {
  const same = sameness();
  // the test below and the rebuild ask of the same sums (the rebuild of their rebuilt children too)
  const answers = new Map<Expr, Expr>();
  const regroup = (n: Expr) => {
    if (n.op !== "add") return n;
    let answer = answers.get(n);
    if (answer === undefined) {
      const regrouped = commonRightFactor(n, ctx, same);
      answers.set(n, (answer = regrouped && cost(regrouped) < cost(n) ? regrouped : n));
    }
    return answer;
  };
  // Mostly no sum regroups, and then the tree is not rebuilt: its sums are asked first.
  return anyNode(e, (n) => n.op === "add" && regroup(n) !== n) ? mapBottomUp(e, regroup) : e;
}
