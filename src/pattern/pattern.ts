import { type Expr, call, equal, mapBottomUp, uniform, withArgs, withoutSpans } from "../ast.js";
import type { Context } from "../context.js";
import { barsMeaning } from "../functions/bars.js";
import { isScalar, isVector } from "../shapes/shape.js";
import { shapeOf } from "../shapes/infer.js";
import { parseExpression } from "../syntax/parse.js";
import { PRECOMPILED } from "./precompiled.js";

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
  const known = PRECOMPILED[text];
  if (known) return uniform(known);
  const parsed = mapBottomUp(withoutSpans(parseExpression(text)), (n) => {
    if (n.op !== "call") return n;
    const arg = n.args[0];
    if (n.fn === "bars") return call(barsMeaning(arg?.op === "sym" && isGreek(arg.name!)), n.args);
    if (n.fn === "log" && arg?.op === "call" && arg.fn === "det") return call("logdet", arg.args);
    return n;
  });
  parsedPatterns.set(text, parsed);
  return parsed;
}

/** Every pattern parsed in this process, by its text: build/precompile.mjs writes them out. */
export const parsedPatterns = new Map<string, Expr>();

const isGreek = (name: string) => /^\p{Script=Greek}$/u.test(name);

type Kind = "scalar" | "column" | "number" | "any";
/** Each metavariable's kind, read off its name once: patterns are matched against every node. */
const kinds = new Map<string, Kind>();

function kindOf(name: string): Kind {
  let kind = kinds.get(name);
  if (!kind) kinds.set(name, (kind = isGreek(name) ? "scalar" : name === "k" ? "number" : /^[a-jl-z]$/.test(name) ? "column" : "any"));
  return kind;
}

/** Match `pattern` against `e`, extending `bindings`; false when it does not match. */
export function match(pattern: Expr, e: Expr, ctx: Context, bindings: Bindings): boolean {
  if (pattern.op === "sym") {
    const name = pattern.name!;
    const kind = kindOf(name);
    if (kind === "scalar" && !isScalar(shapeOf(e, ctx))) return false;
    if (kind === "column" && !isVector(shapeOf(e, ctx))) return false;
    if (kind === "number" && e.op !== "num") return false;
    const bound = bindings.get(name);
    if (bound) return equal(bound, e);
    bindings.set(name, e);
    return true;
  }
  if (!sameNode(pattern, e)) return false;
  if (pattern.op === "num") return pattern.value!.n === e.value!.n && pattern.value!.d === e.value!.d;
  if (pattern.op === "identity") return true;
  if (pattern.args.length !== e.args.length) return false;
  // Every child's own operator first: a mismatch there is found without asking any shape.
  for (let i = 0; i < pattern.args.length; i++) if (pattern.args[i]!.op !== "sym" && !sameNode(pattern.args[i]!, e.args[i]!)) return false;
  for (let i = 0; i < pattern.args.length; i++) if (!match(pattern.args[i]!, e.args[i]!, ctx, bindings)) return false;
  return true;
}

/** The same operator and function (‖x‖₁ is another function than ‖x‖ = ‖x‖₂ = ‖x‖_F). */
function sameNode(pattern: Expr, e: Expr): boolean {
  return pattern.op === e.op && pattern.fn === e.fn && (pattern.op !== "call" || (pattern.sub === "1") === (e.sub === "1"));
}

/**
 * Replace metavariables by their bindings. Identities get sizes when shapes are inferred.
 * Templates are a rule's few nodes: plain recursion, without mapBottomUp's bookkeeping.
 */
export function instantiate(template: Expr, bindings: Bindings): Expr {
  if (template.op === "sym") return bindings.get(template.name!) ?? template;
  if (template.args.length === 0) return template;
  let args: Expr[] | undefined;
  for (let i = 0; i < template.args.length; i++) {
    const a = instantiate(template.args[i]!, bindings);
    if (a !== template.args[i]) (args ??= template.args.slice())[i] = a;
  }
  return args ? withArgs(template, args) : template;
}
