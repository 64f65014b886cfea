import type { Expr } from "../ast.js";
import type { Context } from "../context.js";
import { isSymmetricSymbol, shapeOf } from "../shapes/infer.js";
import { isScalar } from "../shapes/shape.js";
import { TooLarge, polyKey, sharedNormalizer } from "./normal.js";

/**
 * Whether Eᵀ = E: declared (symmetric, spd, diagonal), a scalar, or shown by normal forms
 * (αXXᵀ + β⁻¹I, AᵀA, K⁻¹YYᵀK⁻¹ with K symmetric). Unknown counts as not symmetric.
 */
export function isSymmetric(e: Expr, ctx: Context): boolean {
  // A symbol's answer is its declaration's (the normal form asks that one of a fresh sym(name)).
  if (e.op === "sym") return isSymmetricSymbol(e, ctx);
  let known = answers.get(ctx);
  if (!known) answers.set(ctx, (known = new Map()));
  const cached = known.get(e);
  if (cached !== undefined) return cached;
  const answer = decide(e, ctx);
  known.set(e, answer);
  return answer;
}

/**
 * Answers per context and node (nodes are immutable; declarations do not change after parsing);
 * strong maps per context, as for shapes (src/shapes/infer.ts).
 */
const answers = new WeakMap<Context, Map<Expr, boolean>>();

function decide(e: Expr, ctx: Context): boolean {
  const shape = shapeOf(e, ctx);
  if (isScalar(shape)) return true;
  if (shape[0] !== shape[1]) return false;
  try {
    const n = sharedNormalizer(ctx);
    const p = n.normalize(e);
    return polyKey(p) === polyKey(n.transpose(p, shape));
  } catch (err) {
    if (err instanceof TooLarge) return false;
    throw err;
  }
}
