import { type Expr, StructureIds, mapBottomUp, sym } from "../ast.js";
import type { Context } from "../context.js";
import { inferShapes } from "../shapes/infer.js";

/**
 * Results in terms of the user's definitions: a subexpression equal to a definition's right-hand
 * side is written as its name (with s := softmax(x), the Jacobian of s is diag(s) − ssᵀ, not
 * diag(softmax(x)) − softmax(x)softmax(x)ᵀ). Later definitions are tried first, so the largest
 * named piece wins.
 */
export function foldDefinitions(e: Expr, ctx: Context): Expr {
  if (ctx.definitionOrder.length === 0) return e;
  const ids = new StructureIds();
  const byId = new Map<number, string>();
  for (const name of ctx.definitionOrder) {
    const def = ctx.symbols.get(name)!.definition!;
    if (def.op === "sym" || def.op === "num") continue;
    byId.set(ids.of(def), name);
  }
  if (byId.size === 0) return e;
  let changed = false;
  const folded = mapBottomUp(e, (n) => {
    const name = byId.get(ids.of(n));
    if (!name) return n;
    changed = true;
    return sym(name);
  });
  return changed ? inferShapes(folded, ctx).expr : e;
}
