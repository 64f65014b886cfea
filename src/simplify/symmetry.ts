import type { Expr } from "../ast.js";
import { type Context, type MemoKey, memoOf } from "../context.js";
import { isSymmetricSymbol, shapeOf } from "../shapes/infer.js";
import { isScalar } from "../shapes/shape.js";
import { TooLarge, samePoly, sharedNormalizer } from "./normal.js";

/**
 * Whether Eᵀ = E: declared (symmetric, spd, diagonal), a scalar, or shown by normal forms
 * (αXXᵀ + β⁻¹I, AᵀA, K⁻¹YYᵀK⁻¹ with K symmetric). Unknown counts as not symmetric.
 */
export function isSymmetric(e: Expr, ctx: Context): boolean {
  // a symbol's answer is its declaration's
  if (e.op === "sym") return isSymmetricSymbol(e, ctx);
  const known = memoOf(ctx, ANSWERS);
  const cached = known.get(e);
  if (cached !== undefined) return cached;
  const answer = decide(e, ctx);
  known.set(e, answer);
  return answer;
}

/**
 * Answers by node, kept in the context (nodes are immutable; declarations do not change after
 * parsing); a strong map, as for shapes (src/shapes/infer.ts).
 */
const ANSWERS: MemoKey<Map<Expr, boolean>> = { name: "symmetry", empty: () => new Map() };

function decide(e: Expr, ctx: Context): boolean {
  const shape = shapeOf(e, ctx);
  if (isScalar(shape)) return true;
  if (shape[0] !== shape[1]) return false;
  try {
    const n = sharedNormalizer(ctx);
    const p = n.normalize(e);
    return samePoly(p, n.transpose(p, shape));
  } catch (err) {
    if (err instanceof TooLarge) return false;
    throw err;
  }
}
