import { type Expr, StructureIds, equal } from "../ast.js";
import { type Context, type MemoKey, memoOf } from "../context.js";
import { functionSpec } from "../functions/index.js";
import { isSymmetricSymbol, shapeOf } from "../shapes/infer.js";
import { type Shape, isScalar } from "../shapes/shape.js";
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
  if (symmetricByStructure(e, ctx)) return true;
  // (M⁻¹)ᵀ = (Mᵀ)⁻¹: asked of M, kept by M's node, where the inverses a rule writes are new
  // nodes each time (−A⁻ᵀGA⁻ᵀ asks twice per inverse); M⁻¹⁻¹… from a loop, as deep as it may be
  if (e.op === "inv") {
    let m = e.args[0]!;
    while (m.op === "inv") m = m.args[0]!;
    return isSymmetric(m, ctx);
  }
  // a simplification rebuilds the nodes it reorders (M + A for A + M): the normal form's answer is the same
  const { ids, answers } = memoOf(ctx, ANSWERS_BY_STRUCTURE);
  const k = ids.of(e);
  let answer = answers.get(k);
  if (answer === undefined) answers.set(k, (answer = byNormalForm(e, shape, ctx)));
  return answer;
}

/** The normal forms' answers by structure, sums told apart by their terms, not by the order of them (which cannot change the answer). */
const ANSWERS_BY_STRUCTURE: MemoKey<{ readonly ids: StructureIds; readonly answers: Map<number, boolean> }> = {
  name: "symmetry by structure, sums in any order",
  empty: () => ({ ids: new StructureIds({ sumsInAnyOrder: true }), answers: new Map() }),
};

function byNormalForm(e: Expr, shape: Shape, ctx: Context): boolean {
  try {
    const n = sharedNormalizer(ctx);
    const p = n.normalize(e);
    return samePoly(p, n.transpose(p, shape));
  } catch (err) {
    if (err instanceof TooLarge) return false;
    throw err;
  }
}

/**
 * Symmetric as written, told without a normal form (a Hessian's Xᵀdiag(u)diag(v)⁻¹diag(u)X is
 * large to normalize): a symmetric symbol, I, a function whose square values are symmetric
 * (diag), the inverse, negation or sum of such, and a product that reads the same from both
 * ends, (f₁⋯fₖ)ᵀ = fₖᵀ⋯f₁ᵀ with fₖ₊₁₋ᵢᵀ = fᵢ, scalars aside. Sufficient, not necessary: what it
 * does not show, normal forms decide.
 */
function symmetricByStructure(e: Expr, ctx: Context): boolean {
  // kept by node: each of n nested inverses asks about all those inside it
  if (e.args.length === 0) return structurally(e, ctx);
  const known = memoOf(ctx, BY_STRUCTURE);
  let answer = known.get(e);
  if (answer === undefined) known.set(e, (answer = structurally(e, ctx)));
  return answer;
}

const BY_STRUCTURE: MemoKey<Map<Expr, boolean>> = { name: "symmetry by structure", empty: () => new Map() };

function structurally(e: Expr, ctx: Context): boolean {
  switch (e.op) {
    case "sym":
      return isSymmetricSymbol(e, ctx);
    case "identity":
      return true;
    case "neg":
    case "inv":
      return symmetricByStructure(e.args[0]!, ctx);
    case "add":
      return e.args.every((t) => symmetricByStructure(t, ctx));
    case "call": {
      const s = shapeOf(e, ctx);
      return !!functionSpec(e.fn!)?.algebra?.symmetric && s[0] === s[1];
    }
    case "mul": {
      const factors = matrixFactors(e, ctx);
      for (let i = 0, j = factors.length - 1; i <= j; i++, j--)
        if (i === j ? !symmetricByStructure(factors[i]!, ctx) : !transposes(factors[i]!, factors[j]!, ctx)) return false;
      return factors.length > 0;
    }
    default:
      return false;
  }
}

/** The factors of a product that are not scalars, in order (scalars commute, and are their own transposes). */
function matrixFactors(e: Expr, ctx: Context): Expr[] {
  const out: Expr[] = [];
  const stack = [e];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.op === "mul") stack.push(n.args[1]!, n.args[0]!);
    else if (!isScalar(shapeOf(n, ctx))) out.push(n);
  }
  return out;
}

/** a = bᵀ as written: a = Xᵀ and b = X, a = X and b = Xᵀ, or a = b symmetric. */
function transposes(a: Expr, b: Expr, ctx: Context): boolean {
  if (a.op === "transpose" && equal(a.args[0]!, b)) return true;
  if (b.op === "transpose" && equal(b.args[0]!, a)) return true;
  return equal(a, b) && symmetricByStructure(a, ctx);
}
