import type { Expr } from "../ast.js";
import type { Context } from "../context.js";
import { shapeOf } from "../shapes/infer.js";
import { isScalar } from "../shapes/shape.js";
import { type Bindings, instantiate, match, parsePattern } from "../derive/pattern.js";
import { isSymmetric } from "./symmetry.js";

/** A named rewrite, as data: `from` becomes `to` when `when` holds of the bindings. */
export interface Rewrite {
  readonly name: string;
  readonly text: { readonly from: string; readonly to: string; readonly when?: string };
  readonly from: Expr;
  readonly to: Expr;
  readonly when?: (bindings: Bindings, ctx: Context) => boolean;
}

/** Conditions a rewrite may state, in words: "A symmetric", "A not scalar". */
const CONDITIONS: Record<string, (e: Expr, ctx: Context) => boolean> = {
  symmetric: (e, ctx) => isSymmetric(e, ctx),
  "not scalar": (e, ctx) => !isScalar(shapeOf(e, ctx)),
};

export function rewrite(name: string, from: string, to: string, when?: string): Rewrite {
  let condition: Rewrite["when"];
  if (when) {
    const [, variable, predicate] = /^(\S+) (.+)$/.exec(when) ?? [];
    const test = CONDITIONS[predicate ?? ""];
    if (!variable || !test) throw new Error(`rewrite "${name}": unknown condition "${when}"`);
    condition = (b, ctx) => test(b.get(variable)!, ctx);
  }
  return { name, text: { from, to, when }, from: parsePattern(from), to: parsePattern(to), when: condition };
}

/** Limits that make every run terminate, whatever the rules. */
export const LIMITS = { passes: 12, rewritesPerNode: 8 };

/**
 * Apply the rewrites bottom-up, each node until none applies (at most rewritesPerNode times),
 * the whole tree until a pass changes nothing (at most `passes` passes). `tidy` runs on each
 * rebuilt node (constant folding, like terms).
 */
export function runRewrites(
  root: Expr,
  rules: readonly Rewrite[],
  ctx: Context,
  tidy: (e: Expr) => Expr,
  onApply?: (rule: Rewrite, before: Expr, after: Expr) => void,
): Expr {
  let current = root;
  const fixed = fixpoints(rules, ctx);
  const index = indexOf(rules);
  for (let pass = 0; pass < LIMITS.passes; pass++) {
    let changed = false;
    const done = new Map<Expr, Expr>();
    const visit = (e: Expr): Expr => {
      if (fixed.has(e)) return e;
      const known = done.get(e);
      if (known) return known;
      let args: Expr[] | undefined;
      for (let i = 0; i < e.args.length; i++) {
        const a = visit(e.args[i]!);
        if (a !== e.args[i]) (args ??= e.args.slice())[i] = a;
      }
      let node = tidy(args ? { ...e, args } : e);
      if (node !== e) changed = true;
      for (let n = 0; n < LIMITS.rewritesPerNode; n++) {
        const next = applyFirst(node, index.get(rootOf(node)), ctx, onApply);
        if (!next) break;
        node = tidy(next);
        changed = true;
      }
      // Nothing changed in it or below: no pass will change it (the rules the nodes made here
      // have not been tried below, so those wait for the next pass).
      if (node === e) fixed.add(e);
      done.set(e, node);
      return node;
    };
    current = visit(current);
    if (!changed) break;
  }
  return current;
}

// Subtrees on which no rewrite applies any more, per rule set and context. Whether a rule
// applies depends only on the subtree (and on the context's facts, which only grow), so an
// adjoint already simplified is not read again inside the larger shares that contain it.
const fixpointSets = new WeakMap<readonly Rewrite[], WeakMap<Context, WeakSet<Expr>>>();

function fixpoints(rules: readonly Rewrite[], ctx: Context): WeakSet<Expr> {
  let byContext = fixpointSets.get(rules);
  if (!byContext) fixpointSets.set(rules, (byContext = new WeakMap()));
  let set = byContext.get(ctx);
  if (!set) byContext.set(ctx, (set = new WeakSet()));
  return set;
}

// The rules of a set by the operator (and function) of their pattern's root, in their order:
// a node is matched only against the few rules that can apply to it.
const indexes = new WeakMap<readonly Rewrite[], Map<string, Rewrite[]>>();

const rootOf = (e: Expr): string => (e.op === "call" ? `call ${e.fn}` : e.op);

function indexOf(rules: readonly Rewrite[]): Map<string, Rewrite[]> {
  let index = indexes.get(rules);
  if (!index) {
    index = new Map();
    for (const rule of rules) {
      const root = rootOf(rule.from);
      index.set(root, [...(index.get(root) ?? []), rule]);
    }
    indexes.set(rules, index);
  }
  return index;
}

function applyFirst(
  e: Expr,
  rules: readonly Rewrite[] | undefined,
  ctx: Context,
  onApply?: (rule: Rewrite, before: Expr, after: Expr) => void,
): Expr | undefined {
  if (!rules) return undefined;
  const bindings: Bindings = new Map();
  for (const rule of rules) {
    bindings.clear();
    if (!match(rule.from, e, ctx, bindings)) continue;
    if (rule.when && !rule.when(bindings, ctx)) continue;
    const after = instantiate(rule.to, bindings);
    onApply?.(rule, e, after);
    return after;
  }
  return undefined;
}
