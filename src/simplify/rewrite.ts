import { type Expr, postorder, withArgs } from "../ast.js";
import { type Context, type MemoKey, memoOf } from "../context.js";
import { shapeOf } from "../shapes/infer.js";
import { isScalar } from "../shapes/shape.js";
import { type Bindings, instantiate, match, parsePattern } from "../pattern/pattern.js";
import { isSymmetric } from "./symmetry.js";
import type { Budget } from "./limits.js";

/** A named rewrite, as data: `from` becomes `to` when the condition `when` holds of the bindings. */
export interface Rewrite {
  readonly name: string;
  readonly text: { readonly from: string; readonly to: string };
  readonly from: Expr;
  readonly to: Expr;
  readonly when?: Condition;
}

/** What a rewrite may require of the expression a metavariable stands for. */
export interface Condition {
  readonly variable: string;
  readonly property: keyof typeof PROPERTIES;
}

const PROPERTIES = {
  symmetric: (e: Expr, ctx: Context) => isSymmetric(e, ctx),
  "not scalar": (e: Expr, ctx: Context) => !isScalar(shapeOf(e, ctx)),
  "sums to one": (e: Expr, ctx: Context) => e.op === "sym" && !!ctx.symbols.get(e.name!)?.properties.has("sums to one"),
};

/** What `variable` stands for is symmetric: declared so, or equal to its transpose in normal form (XᵀX, A + Aᵀ). */
export const symmetric = (variable: string): Condition => ({ variable, property: "symmetric" });
/** What `variable` stands for is not a scalar: I·α is the matrix αI, not α. */
export const notScalar = (variable: string): Condition => ({ variable, property: "not scalar" });

/** What `variable` stands for is a vector declared with `sum(y) = 1`. */
export const sumsToOne = (variable: string): Condition => ({ variable, property: "sums to one" });

/** Whether a condition holds of a match's bindings. */
export const holds = (c: Condition, bindings: Bindings, ctx: Context): boolean => PROPERTIES[c.property](bindings.get(c.variable)!, ctx);

export function rewrite(name: string, from: string, to: string, when?: Condition): Rewrite {
  const pattern = parsePattern(from);
  if (when && !postorder(pattern).some((n) => n.op === "sym" && n.name === when.variable))
    throw new Error(`rewrite "${name}": its condition names ${when.variable}, which its pattern does not`);
  return { name, text: { from, to }, from: pattern, to: parsePattern(to), when };
}

/** How a run of rewrites tidies each rebuilt node, and its limits. */
export interface RunOptions {
  /** Run on each rebuilt node: constant folding, like terms. */
  readonly tidy: (e: Expr) => Expr;
  /** The limits (src/simplify/limits.ts); a run that ends at one records it here. */
  readonly budget: Budget;
}

/**
 * Apply the rewrites bottom-up, each node until none applies (at most rewritesPerNode times a
 * pass), the whole tree until a pass changes nothing; past `passes` passes the run stops, and
 * says so in its budget.
 */
export function runRewrites(root: Expr, rules: readonly Rewrite[], ctx: Context, { tidy, budget }: RunOptions): Expr {
  const { passes, rewritesPerNode } = budget.limits;
  let current = root;
  const fixed = fixpoints(rules, ctx);
  const index = indexOf(rules);
  for (let pass = 0; ; pass++) {
    if (pass === passes) {
      budget.stop("passes");
      return current;
    }
    // The nodes this pass changed, each with what it became (none: the tree is a fixpoint).
    let done: Map<Expr, Expr> | undefined;
    const visit = (e: Expr): Expr => {
      if (fixed.has(e)) return e;
      const known = done?.get(e);
      if (known) return known;
      let args: Expr[] | undefined;
      for (let i = 0; i < e.args.length; i++) {
        const a = visit(e.args[i]!);
        if (a !== e.args[i]) (args ??= e.args.slice())[i] = a;
      }
      let node = tidy(args ? withArgs(e, args) : e);
      for (let n = 0; n < rewritesPerNode; n++) {
        const next = applyFirst(node, index.candidates(node), ctx);
        if (!next) break;
        node = tidy(next);
      }
      // Nothing changed in it or below: a fixpoint, skipped by later passes and later calls (and
      // met again in this pass, found there). A node a rule has just made is not one yet: its
      // children wait for the next pass.
      if (node === e) fixed.add(e);
      else (done ??= new Map()).set(e, node);
      return node;
    };
    current = visit(current);
    if (!done) return current;
  }
}

// Subtrees on which no rewrite applies any more, per rule set, kept in the context. Whether a
// rule applies depends only on the subtree (and on the context's facts, which only grow), so an
// adjoint already simplified is not read again inside the larger shares that contain it.
// Strong sets, as for shapes (src/shapes/infer.ts).
const FIXPOINTS: MemoKey<WeakMap<readonly Rewrite[], Set<Expr>>> = { name: "rewrite fixpoints", empty: () => new WeakMap() };

function fixpoints(rules: readonly Rewrite[], ctx: Context): Set<Expr> {
  const byRules = memoOf(ctx, FIXPOINTS);
  let set = byRules.get(rules);
  if (!set) byRules.set(rules, (set = new Set()));
  return set;
}

// The rules that can apply to a node, by the operators of the node and of its first two
// children, in the rules' order: a pattern's child that is not a metavariable must have the
// node's child's operator. Of the 16 rules on products, one or two are left to be matched.
const indexes = new WeakMap<readonly Rewrite[], RuleIndex>();

class RuleIndex {
  private bySignature = new Map<string, Map<string, Map<string, readonly Rewrite[]>>>();

  constructor(private readonly rules: readonly Rewrite[]) {}

  candidates(e: Expr): readonly Rewrite[] {
    const root = operatorOf(e);
    const first = operatorOf(e.args[0]);
    const second = operatorOf(e.args[1]);
    let byFirst = this.bySignature.get(root);
    if (!byFirst) this.bySignature.set(root, (byFirst = new Map()));
    let bySecond = byFirst.get(first);
    if (!bySecond) byFirst.set(first, (bySecond = new Map()));
    let rules = bySecond.get(second);
    if (!rules) bySecond.set(second, (rules = this.rules.filter((r) => fits(r.from, e))));
    return rules;
  }
}

/**
 * Whether a pattern's root and first two children can match e's, metavariables matching
 * anything. Only the operators the index is keyed by are read (a sum's arity is left to match()).
 */
function fits(pattern: Expr, e: Expr): boolean {
  if (operatorOf(pattern) !== operatorOf(e)) return false;
  return pattern.args.slice(0, 2).every((p, i) => p.op === "sym" || operatorOf(p) === operatorOf(e.args[i]));
}

const callOperators = new Map<string, string>();

/** "mul", "transpose", "call tr"; "" for no node. The strings of calls are made once. */
function operatorOf(e: Expr | undefined): string {
  if (!e) return "";
  if (e.op !== "call") return e.op;
  let known = callOperators.get(e.fn!);
  if (!known) callOperators.set(e.fn!, (known = `call ${e.fn}`));
  return known;
}

function indexOf(rules: readonly Rewrite[]): RuleIndex {
  let index = indexes.get(rules);
  if (!index) indexes.set(rules, (index = new RuleIndex(rules)));
  return index;
}

function applyFirst(e: Expr, rules: readonly Rewrite[], ctx: Context): Expr | undefined {
  let bindings: Bindings | undefined;
  for (const rule of rules) {
    // a table made afresh after a match that bound something costs less than clearing it (or deleting from it)
    if (!bindings || bindings.size) bindings = new Map();
    if (match(rule.from, e, ctx, bindings) && (!rule.when || holds(rule.when, bindings, ctx))) return instantiate(rule.to, bindings);
  }
  return undefined;
}
