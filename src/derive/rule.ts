import type { Expr } from "../ast.js";
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

// `^k` (any exponent) cannot be typed as a number; it is parsed as this sentinel and then
// turned into the metavariable k.
const EXPONENT_SENTINEL = 987654321;

function parseRuleText(text: string): Expr {
  const parsed = parsePattern(text.replaceAll("^k", `^{${EXPONENT_SENTINEL}}`));
  return replaceSentinel(parsed);
}

function replaceSentinel(e: Expr): Expr {
  if (e.op === "num" && e.value!.n === EXPONENT_SENTINEL) return { op: "sym", args: [], name: "k" };
  if (e.args.length === 0) return e;
  return { ...e, args: e.args.map(replaceSentinel) };
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
