import { type Expr, type Rational, StructureIds, add, equal, isZero, keyLengthUpTo, mul, neg, num, rational, withArgs } from "../ast.js";
import { type Context, type MemoKey, memoOf } from "../context.js";
import { SIMPLIFICATIONS } from "../../rules/simplifications.js";
import { cost } from "./cost.js";
import { shapeOf } from "../shapes/infer.js";
import { isScalar } from "../shapes/shape.js";
import { factorPoly } from "./factor.js";
import { Normalizer, type Poly, Rationals as Q, TooLarge, polyKey, samePoly, sharedCoarseNormalizer, sharedNormalizer } from "./normal.js";
import { runRewrites } from "./rewrite.js";
import { pullCommonRightFactors } from "./regroup.js";
import { Budget } from "./limits.js";

/**
 * Cheap, structure-keeping simplification: the rewrites of rules/simplifications.ts, constant
 * folding and like terms. Used on every intermediate adjoint. The limits it stops at are
 * recorded in the budget (src/simplify/limits.ts).
 */
export function simplifyLocally(e: Expr, ctx: Context, budget = new Budget()): Expr {
  // Each node is tidied as the rewrites visit it, children first: tidied before, the root's terms
  // were read for like terms as they came (a Hessian's two raw terms normalized, half its time).
  const tidyNode = (n: Expr) => tidy(n, ctx, budget);
  return runRewrites(e, SIMPLIFICATIONS, ctx, { tidy: tidyNode, budget });
}

/**
 * The simplest form by cost(): the locally simplified expression, or the normal form (fully
 * expanded, like terms collected, transposes on symbols) factored back into a compact form.
 * A normal form past its limits is not a candidate; the budget records which limit it was.
 */
export function simplify(e: Expr, ctx: Context, budget = new Budget()): Expr {
  const local = simplifyLocally(e, ctx, budget);
  const candidates = [local];
  // The normal form factored back, and the coarser one that keeps sums inside products whole
  // (−2((X − WWᵀX)Xᵀ + X(X − WWᵀX)ᵀ)W names its residual twice rather than expanding it).
  // Factoring reads only the normal form, so a coarser form equal to the full one (no sum
  // inside a product, mostly) would be factored into the same candidate again.
  // (Told term by term: the whole key of a deep answer's normal form is long.) The full one is
  // the local form's: the same polynomial, and its terms' normal forms were made for like terms.
  const factored: Poly[] = [];
  // A candidate equal to one before it simplifies to what that one did, at the same cost, and
  // the earlier one is kept on a tie: it is not simplified again (the factored form is often the
  // local one). That holds while the candidates are fixpoints of the rewrites (no pass limit reached).
  const settled = () => !budget.stopReasons.includes("passes");
  const isNew = (c: Expr, earlier: readonly Expr[] = candidates) => !settled() || !earlier.some((known) => equal(known, c));
  for (const sumsAsAtoms of [false, true])
    try {
      const p = sumsAsAtoms ? coarseNormalForm(local, ctx) : sharedNormalizer(ctx).normalize(local);
      if (factored.some((q) => samePoly(q, p))) continue;
      factored.push(p);
      const form = factorPoly(p);
      if (isNew(form)) candidates.push(simplifyLocally(form, ctx, budget));
    } catch (err) {
      if (!(err instanceof TooLarge)) throw err;
      if (err.limit) budget.stop(err.limit);
    }
  // s ⊙ u − s(sᵀu) = (diag(s) − ssᵀ)u, a factoring no normal form sees (src/simplify/regroup.ts).
  const distinct = candidates.filter((c, i) => isNew(c, candidates.slice(0, i)));
  for (const c of distinct) {
    const regrouped = pullCommonRightFactors(c, ctx);
    if (regrouped !== c && isNew(regrouped)) candidates.push(simplifyLocally(regrouped, ctx, budget));
  }
  const costs = candidates.map(cost);
  return candidates[costs.indexOf(Math.min(...costs))]!;
}

/**
 * The normal form that keeps sums inside products whole. Without a sum below the top-level
 * sum there is nothing to keep whole: it is the full normal form, which the shared normalizer
 * already holds for the subtrees that simplifying left as they were.
 */
function coarseNormalForm(e: Expr, ctx: Context): Poly {
  return hasInnerSum(e, ctx) ? sharedCoarseNormalizer(ctx).normalizeTop(e) : sharedNormalizer(ctx).normalize(e);
}

/**
 * Whether a sum occurs anywhere but in the chain of sums and negations at the top, or as the
 * whole of an inverse (A + ⋯)⁻¹ with a matrix symbol among its terms: both normal forms keep
 * that one whole (the full form inverts only a sum of diagonal matrices entry by entry), so n
 * nested inverses are normalized once, not twice.
 */
function hasInnerSum(root: Expr, ctx: Context): boolean {
  const stack: [Expr, boolean][] = [[root, true]];
  // below the top, each shared subtree once past a few hundred nodes: the tree of n nested
  // inverses' gradient is n² nodes
  let seen: Set<Expr> | undefined;
  let steps = 0;
  while (stack.length) {
    const top = stack.pop()!;
    const e = top[0];
    const atTop = top[1];
    if (!atTop && ++steps > 256) {
      seen ??= new Set();
      if (seen.has(e)) continue;
      seen.add(e);
    }
    const inverted = e.op === "inv" ? e.args[0]! : undefined;
    if (inverted?.op === "add" && inverted.args.some((t) => isMatrixSymbol(t, ctx))) {
      for (let i = 0; i < inverted.args.length; i++) stack.push([inverted.args[i]!, false]);
      continue;
    }
    if (e.op === "add" && !atTop) return true;
    const childrenAtTop = atTop && (e.op === "add" || e.op === "neg");
    for (let i = 0; i < e.args.length; i++) stack.push([e.args[i]!, childrenAtTop]);
  }
  return false;
}

/** A, Aᵀ or −A for a symbol A that is not a scalar. */
function isMatrixSymbol(e: Expr, ctx: Context): boolean {
  const a = e.op === "neg" || e.op === "transpose" ? e.args[0]! : e;
  return a.op === "sym" && !isScalar(shapeOf(a, ctx));
}

/** Whether two expressions have the same normal form (undefined when too large to tell). */
export function sameNormalForm(a: Expr, b: Expr, ctx: Context): boolean | undefined {
  try {
    // Equal expressions have one shape: sizes left open on one side (a 𝟙 read back from
    // 2sum(X)𝟙𝟙ᵀ) take the other's.
    const [sa, sb] = [shapeOf(a, ctx), shapeOf(b, ctx)];
    ctx.dims.unify(sa[0], sb[0]);
    ctx.dims.unify(sa[1], sb[1]);
    const n = new Normalizer(ctx);
    return polyKey(n.normalize(a)) === polyKey(n.normalize(b));
  } catch (err) {
    if (err instanceof TooLarge) return undefined;
    throw err;
  }
}

// ---------- tidying one node ----------

function tidy(e: Expr, ctx: Context, budget: Budget): Expr {
  switch (e.op) {
    case "neg": {
      const a = e.args[0]!;
      if (a.op === "num") return num(-a.value!.n, a.value!.d);
      return e;
    }
    case "mul": {
      const a = e.args[0]!;
      const b = e.args[1]!;
      if (a.op === "num" && b.op === "num") return constant(Q.mul(a.value!, b.value!));
      if (isZero(a) || isZero(b)) return num(0);
      // Numbers go first, and their sign outside: x·(−2) → −(2x).
      if (b.op === "num") return tidy(mul(b, a), ctx, budget);
      if (a.op === "num" && a.value!.n < 0) return neg(tidy(mul(constant(Q.neg(a.value!)), b), ctx, budget));
      if (a.op === "num" && Q.isOne(a.value!)) return b;
      return e;
    }
    case "div": {
      const a = e.args[0]!;
      const b = e.args[1]!;
      if (a.op === "num" && b.op === "num" && b.value!.n !== 0) return constant(Q.mul(a.value!, Q.inv(b.value!)));
      if (isZero(a)) return num(0);
      // 2/(2x) = 1/x
      if (a.op === "num" && b.op === "mul" && b.args[0]!.op === "num" && b.args[0]!.value!.n !== 0)
        return tidy(withArgs(e, [constant(Q.mul(a.value!, Q.inv(b.args[0]!.value!))), b.args[1]!]), ctx, budget);
      return e;
    }
    case "add":
      return collectLikeTerms(e, e.args.some((t) => t.op === "add") ? e.args.flatMap((t) => (t.op === "add" ? t.args : [t])) : e.args, ctx, budget);
    default:
      return e;
  }
}

const constant = (q: Rational) => num(q.n, q.d);

/** c₁·T + c₂·T = (c₁ + c₂)·T, where the T are equal in normal form. */
function collectLikeTerms(original: Expr, terms: readonly Expr[], ctx: Context, budget: Budget): Expr {
  const groups = new Map<string, { coef: Rational; body: Expr | undefined }>();
  for (let i = 0; i < terms.length; i++) {
    const { coef, body } = splitCoefficient(terms[i]!);
    if (coef.n === 0) continue;
    const k = body ? (termKeyOf(body, ctx, budget) ?? `unique:${groups.size}`) : "1";
    const known = groups.get(k);
    if (known) known.coef = Q.add(known.coef, coef);
    else groups.set(k, { coef, body });
  }
  // every term its own group (and none zero): the sum as it was
  if (terms === original.args && groups.size === terms.length) return original;
  const kept = [...groups.values()].filter((g) => g.coef.n !== 0);
  if (kept.length === 0) return num(0);
  if (kept.length === original.args.length && original.args.every((t, i) => t === terms[i])) return original;
  return add(kept.map((g) => withCoefficient(g.coef, g.body)));
}

/**
 * The normal-form key of a term, or undefined when it has none (too large to expand: the
 * budget is told). Nodes are immutable, so keys are kept in the context by node: the rewrite
 * passes rebuild only what they change, and an unchanged term is not normalized again. A strong
 * map, as for shapes (src/shapes/infer.ts).
 */
const TERM_KEYS: MemoKey<Map<Expr, string | TooLarge>> = { name: "term keys", empty: () => new Map() };

/**
 * A term longer than this (its key's characters) is like another only when equal as written: its
 * normal form is left to simplify()'s normal-form candidate, which collects every like term
 * (normalizing a Hessian's large terms for like terms each time a rewrite remade them was most of its time).
 */
const LIKE_BY_NORMAL_FORM = 200;

/** Numbers of those terms' structures (numbers, not keys: a deep term's key is as long as it is). */
const TERM_STRUCTURES: MemoKey<StructureIds> = { name: "term structures", empty: () => new StructureIds() };

function termKeyOf(body: Expr, ctx: Context, budget: Budget): string | undefined {
  const known = memoOf(ctx, TERM_KEYS);
  let k = known.get(body);
  if (k === undefined) {
    try {
      k = keyLengthUpTo(body, LIKE_BY_NORMAL_FORM) > LIKE_BY_NORMAL_FORM ? `#${memoOf(ctx, TERM_STRUCTURES).of(body)}` : polyKey(sharedNormalizer(ctx).normalize(body));
    } catch (err) {
      if (!(err instanceof TooLarge)) throw err;
      k = err;
    }
    known.set(body, k);
  }
  if (typeof k === "string") return k;
  if (k.limit) budget.stop(k.limit);
  return undefined;
}

/** −3·(2·A) → (−6, A); a bare number → (n, undefined). */
function splitCoefficient(e: Expr): { coef: Rational; body: Expr | undefined } {
  if (e.op === "num") return { coef: e.value!, body: undefined };
  if (e.op === "neg") {
    const inner = splitCoefficient(e.args[0]!);
    return { coef: Q.neg(inner.coef), body: inner.body };
  }
  if (e.op === "mul" && e.args[0]!.op === "num") {
    const inner = splitCoefficient(e.args[1]!);
    return { coef: Q.mul(e.args[0]!.value!, inner.coef), body: inner.body };
  }
  return { coef: rational(1), body: e };
}

function withCoefficient(c: Rational, body: Expr | undefined): Expr {
  if (!body) return constant(c);
  const magnitude = rational(Math.abs(c.n), c.d);
  const scaled = Q.isOne(magnitude) ? body : mul(constant(magnitude), body);
  return c.n < 0 ? neg(scaled) : scaled;
}
