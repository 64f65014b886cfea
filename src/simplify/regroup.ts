import type { Rational } from "../ast.js";
import type { Shape } from "../shapes/shape.js";
import { type Atom, type Factor, type Monomial, type Poly, Rationals as Q, collect, mergeFactors, wordKey } from "./normal.js";

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
  factors: mergeFactors(a.factors, b.factors.map((f) => ({ ...f, power: Q.neg(f.power) }))),
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
  const left = collect([shape[0], inner!], [...lefts].map(([l, w]) => ({ ...a.get(l)!, word: w })));
  const right = collect([inner!, shape[1]], [...rights].map(([r, w]) => ({ ...b.get(r)!, word: w })));
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
    inner.push({ coef: m.coef, factors: m.factors.filter((f) => f !== traces[0]), word: w });
  }
  return collect([size!, size!], inner);
}

