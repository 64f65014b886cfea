import { type Expr, sym, withArgs } from "../ast.js";
import { parsePattern } from "./pattern.js";

/** One reverse-mode identity: node F's operand receives R, given G = ∂L/∂F. */
export interface AdjointRule {
  /** As written in rules/, for steps and for the rule test. */
  readonly text: { readonly node: string; readonly operand: string; readonly receives: string };
  /** "node → operand: receives", as a step cites it. */
  readonly statement: string;
  readonly node: Expr;
  readonly operand: string;
  readonly receives: Expr;
  readonly source: string;
}

// `^k` (any exponent) and `^(k−1)` cannot be typed as numbers; they are parsed as these
// sentinels and then turned into the metavariables k and k−1 (bound to k's value less one).
const EXPONENT_SENTINEL = { n: 997, d: 991 };
const EXPONENT_LESS_ONE_SENTINEL = { n: 991, d: 997 };
export const EXPONENT_LESS_ONE = "k−1";

function parseRuleText(text: string): Expr {
  const parsed = parsePattern(text.replaceAll("^(k−1)", `^{${EXPONENT_LESS_ONE_SENTINEL.n}/${EXPONENT_LESS_ONE_SENTINEL.d}}`).replaceAll("^k", `^{${EXPONENT_SENTINEL.n}/${EXPONENT_SENTINEL.d}}`));
  return replaceSentinel(parsed);
}

function replaceSentinel(e: Expr): Expr {
  const is = (q: { n: number; d: number }) => e.op === "num" && e.value!.n === q.n && e.value!.d === q.d;
  if (is(EXPONENT_SENTINEL)) return sym("k");
  if (is(EXPONENT_LESS_ONE_SENTINEL)) return sym(EXPONENT_LESS_ONE);
  if (e.args.length === 0) return e;
  return withArgs(e, e.args.map(replaceSentinel));
}

export function rule(node: string, operand: string, receives: string, source: string): AdjointRule {
  return {
    text: { node, operand, receives },
    statement: `${node} → ${operand}: ${receives}`,
    node: parseRuleText(node),
    operand,
    receives: parseRuleText(receives),
    source,
  };
}
