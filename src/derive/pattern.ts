import { type Expr, call, equal, mapBottomUp, withoutSpans } from "../ast.js";
import type { Context } from "../context.js";
import { isScalar, type Shape } from "../shapes/shape.js";
import { shapeOf } from "../shapes/infer.js";
import { parseExpression } from "../syntax/parse.js";

// Rules are written in matcalc's own notation ("−A⁻ᵀGA⁻ᵀ"); a single letter in a rule is a
// metavariable. A Greek metavariable matches only scalars, a lower-case Latin one (but k, the
// exponent) only column vectors, an upper-case Latin one anything — the naming convention of
// NOTATION.md, which is also how test/rules.test.ts gives the metavariables shapes.

export type Bindings = Map<string, Expr>;

/**
 * Parse a rule's text into a pattern tree. Shapes are unknown in a rule, so |·| is read from
 * the metavariable's kind: |α| is an absolute value, |A| a determinant, log|A| a log-determinant.
 */
export function parsePattern(text: string): Expr {
  return mapBottomUp(withoutSpans(parseExpression(text)), (n) => {
    if (n.op !== "call") return n;
    const arg = n.args[0];
    if (n.fn === "bars") return call(arg?.op === "sym" && isGreek(arg.name!) ? "abs" : "det", n.args);
    if (n.fn === "log" && arg?.op === "call" && arg.fn === "det") return call("logdet", arg.args);
    return n;
  });
}

const isGreek = (name: string) => /^\p{Script=Greek}$/u.test(name);
const isVectorVariable = (name: string) => /^[a-jl-z]$/.test(name);
const isColumn = (s: Shape) => s[1] === 1 && s[0] !== 1;

/** Match `pattern` against `e`, extending `bindings`; false when it does not match. */
export function match(pattern: Expr, e: Expr, ctx: Context, bindings: Bindings): boolean {
  if (pattern.op === "sym") {
    const name = pattern.name!;
    if (isGreek(name) && !isScalar(shapeOf(e, ctx))) return false;
    if (isVectorVariable(name) && !isColumn(shapeOf(e, ctx))) return false;
    const bound = bindings.get(name);
    if (bound) return equal(bound, e);
    bindings.set(name, e);
    return true;
  }
  if (pattern.op !== e.op || pattern.fn !== e.fn) return false;
  // ‖x‖₁ is another function than ‖x‖ = ‖x‖₂ = ‖x‖_F.
  if (pattern.op === "call" && (pattern.sub === "1") !== (e.sub === "1")) return false;
  if (pattern.op === "num") return pattern.value!.n === e.value!.n && pattern.value!.d === e.value!.d;
  if (pattern.op === "identity") return true;
  if (pattern.args.length !== e.args.length) return false;
  return pattern.args.every((p, i) => match(p, e.args[i]!, ctx, bindings));
}

/** Replace metavariables by their bindings. Identities get sizes when shapes are inferred. */
export function instantiate(template: Expr, bindings: Bindings): Expr {
  return mapBottomUp(template, (n) => (n.op === "sym" && bindings.has(n.name!) ? bindings.get(n.name!)! : n));
}
