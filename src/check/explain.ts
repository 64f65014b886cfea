// Explaining a wrong step: the simplified difference of its two sides, and the expression that
// would have been right — where possible the student's own expression with one slip undone
// (a sign, a transpose, the order of a product, a factor 2, a term), found by trying each such
// edit at each place and keeping the first that makes the step hold.
import { type Expr, add, key, mul, neg, num, product, transpose } from "../ast.js";
import type { Context } from "../context.js";
import { formatExpr } from "../print/expression.js";
import { DomainError } from "../numeric/evaluate.js";
import { randomInstance, seededRng } from "../numeric/random.js";
import { inferShapes, shapeOf } from "../shapes/infer.js";
import { isScalar } from "../shapes/shape.js";
import { Normalizer } from "../simplify/normal.js";
import { sameNormalForm, simplify, simplifyLocally } from "../simplify/simplify.js";
import type { Equality } from "./equality.js";
import { hashString } from "./text.js";

export interface Correction {
  /** The claimed expression with the slip undone. */
  readonly expr: Expr;
  /** What was wrong, in words: "the sign of DK⁻¹". */
  readonly slip: string;
}

/** b − a, simplified (undefined when it cannot be formed). */
export function difference(a: Expr, b: Expr, ctx: Context): Expr | undefined {
  try {
    return simplify(inferShapes(add([b, neg(a)]), ctx).expr, ctx);
  } catch {
    return undefined;
  }
}

export function simplified(e: Expr, ctx: Context): Expr {
  try {
    return simplify(e, ctx);
  } catch {
    return e;
  }
}

/**
 * Bounds of the search for a slip: the first 80 nodes of the claimed expression, and 400
 * candidate edits, each an equality decided again. Past them no slip is looked for: the report
 * still says the step is wrong and gives the expression that would have been right.
 */
const MAX_NODES = 80;
const MAX_CANDIDATES = 400;

/**
 * The claimed expression `b` with one slip undone so that it equals `a`, or undefined.
 * `diff` is b − a simplified (for a missing or extra term).
 */
export function correction(a: Expr, b: Expr, diff: Expr | undefined, ctx: Context, equality: Equality): Correction | undefined {
  const show = (e: Expr) => formatExpr(e, "unicode", ctx);
  const nodes = preorder(b).slice(0, MAX_NODES);
  const edits = SLIPS.flatMap((slip) => slip(nodes, { show, scalar: (e) => scalarOrUnknown(e, ctx) })).slice(0, MAX_CANDIDATES);
  const corrections = [...edited(b, edits, ctx), ...termSlips(b, diff, ctx, show)];
  return firstThatHolds(corrections, a, ctx, equality);
}

/** One edit of the claimed expression: the node `replace` becomes `by`. */
interface Edit {
  readonly replace: Expr;
  readonly by: Expr;
  readonly slip: string;
}

type Slip = (nodes: readonly Expr[], on: { show: (e: Expr) => string; scalar: (e: Expr) => boolean }) => Edit[];

/** The slips looked for at each node, in the order they are tried. */
const SLIPS: readonly Slip[] = [
  // a sign
  (nodes, { show }) =>
    nodes
      .filter((n) => n.op !== "num")
      .map((n) => (n.op === "neg" ? { replace: n, by: n.args[0]!, slip: `the sign of ${show(n.args[0]!)}` } : { replace: n, by: neg(n), slip: `the sign of ${show(n)}` })),
  // a transpose, on the smallest sub-expression first: K⁻¹ rather than αK⁻¹
  (nodes, { show, scalar }) =>
    [...nodes].reverse().flatMap((n) => {
      if (n.op === "transpose") return [{ replace: n, by: n.args[0]!, slip: `a transpose too many on ${show(n.args[0]!)}` }];
      return scalar(n) ? [] : [{ replace: n, by: transpose(n), slip: `a missing transpose on ${show(n)}` }];
    }),
  // two factors swapped: neighbours in a product A·B·C (read as one chain), or the two sides of ·
  (nodes, { show, scalar }) =>
    nodes.flatMap((n) => {
      if (n.op !== "mul") return [];
      const edits: Edit[] = [];
      const factors = productFactors(n);
      for (let i = 0; i + 1 < factors.length; i++) {
        const [x, y] = [factors[i]!, factors[i + 1]!];
        if (scalar(x) || scalar(y)) continue;
        const swapped = [...factors];
        [swapped[i], swapped[i + 1]] = [y, x];
        edits.push({ replace: n, by: product(swapped), slip: `the order of ${show(x)} and ${show(y)}` });
      }
      if (factors.length > 2 && !scalar(n.args[0]!) && !scalar(n.args[1]!))
        edits.push({ replace: n, by: mul(n.args[1]!, n.args[0]!), slip: `the order of ${show(n.args[0]!)} and ${show(n.args[1]!)}` });
      return edits;
    }),
  // a factor 2
  (nodes, { show }) =>
    nodes
      .filter((n) => n.op !== "num")
      .flatMap((n) => [
        { replace: n, by: mul(num(2), n), slip: `a missing factor 2 on ${show(n)}` },
        { replace: n, by: mul(num(1, 2), n), slip: `a factor 2 too many on ${show(n)}` },
      ]),
];

/** A shape that cannot be inferred counts as a scalar's: no transpose or swap is tried on it. */
function scalarOrUnknown(e: Expr, ctx: Context): boolean {
  try {
    return isScalar(shapeOf(e, ctx));
  } catch {
    return true;
  }
}

/** The claimed expression with each edit made, well-typed and each different. */
function edited(b: Expr, edits: readonly Edit[], ctx: Context): Correction[] {
  const built: Correction[] = [];
  const keys = new Set<string>([key(b)]);
  for (const c of edits) {
    let typed: Expr;
    try {
      typed = inferShapes(replaceNode(b, c.replace, c.by), ctx).expr;
    } catch {
      continue;
    }
    const k = key(typed);
    if (keys.has(k)) continue;
    keys.add(k);
    built.push({ expr: typed, slip: c.slip });
  }
  return built;
}

/** A term missing or too many: b − a is one term (one monomial once expanded). */
function termSlips(b: Expr, diff: Expr | undefined, ctx: Context, show: (e: Expr) => string): Correction[] {
  if (!diff || diff.op === "add" || (diff.op === "num" && diff.value!.n === 0) || !monomial(diff, ctx)) return [];
  const terms = b.op === "add" ? b.args : [b];
  const extra = terms.findIndex((t) => same(t, diff, ctx));
  if (extra >= 0 && terms.length > 1)
    return [{ expr: inferShapes(add(terms.filter((_, i) => i !== extra)), ctx).expr, slip: `the term ${show(terms[extra]!)} should not be there` }];
  const missing = simplified(inferShapes(neg(diff), ctx).expr, ctx);
  return [{ expr: inferShapes(add([...terms, missing]), ctx).expr, slip: `a missing term ${show(missing)}` }];
}

/** The first correction equal to `a`: symbolically first (cheap, exact), then numerically at one instance and confirmed at another. */
function firstThatHolds(corrections: readonly Correction[], a: Expr, ctx: Context, equality: Equality): Correction | undefined {
  for (const c of corrections) if (same(c.expr, a, ctx)) return tidied(c, ctx);
  const rng = seededRng(hashString(key(a)));
  const instances = [];
  for (let i = 0; i < 2; i++) {
    try {
      const inst = randomInstance(ctx, rng, { minSize: 2, maxSize: 5, exprs: [a] });
      equality.at(a, a, inst); // defined and well conditioned there, or DomainError
      instances.push(inst);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
    }
  }
  if (instances.length < 2) return undefined;
  for (const c of corrections) {
    try {
      if (instances.every((inst) => equality.at(a, c.expr, inst).verdict === "equal")) return tidied(c, ctx);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
    }
  }
  return undefined;
}

/** The corrected line with local clean-ups only ((yxᵀ)ᵀ → xyᵀ, ½·2c → c), so it still reads as the student's. */
function tidied(c: Correction, ctx: Context): Correction {
  try {
    return { expr: simplifyLocally(c.expr, ctx), slip: c.slip };
  } catch {
    return c;
  }
}

function monomial(e: Expr, ctx: Context): boolean {
  try {
    return new Normalizer(ctx).normalize(e).terms.length === 1;
  } catch {
    return false;
  }
}

/** The factors of a product chain, left to right (through nested products). */
function productFactors(e: Expr): Expr[] {
  return e.op === "mul" ? e.args.flatMap(productFactors) : [e];
}

function same(x: Expr, y: Expr, ctx: Context): boolean {
  try {
    return sameNormalForm(x, y, ctx) === true;
  } catch {
    return false;
  }
}

function preorder(e: Expr): Expr[] {
  const out: Expr[] = [];
  const stack = [e];
  while (stack.length) {
    const n = stack.pop()!;
    out.push(n);
    for (let i = n.args.length - 1; i >= 0; i--) stack.push(n.args[i]!);
  }
  return out;
}

/** The tree with the node `target` (by identity) replaced. */
function replaceNode(root: Expr, target: Expr, by: Expr): Expr {
  if (root === target) return by;
  if (!root.args.length) return root;
  let changed = false;
  const args = root.args.map((a) => {
    const r = replaceNode(a, target, by);
    if (r !== a) changed = true;
    return r;
  });
  return changed ? { ...root, args } : root;
}

