import { type Expr, key, mapBottomUp, sym } from "../ast.js";
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

/**
 * One number per distinct structure (equal exactly when key() is), built from the children's
 * numbers: linear in the tree, where comparing key() strings of every subtree is quadratic.
 */
class StructureIds {
  private byNode = new Map<Expr, number>();
  private bySignature = new Map<string, number>();

  of(root: Expr): number {
    // Children before parents, not descending into subtrees already numbered.
    const stack = [root];
    while (stack.length) {
      const n = stack[stack.length - 1]!;
      if (this.byNode.has(n)) {
        stack.pop();
        continue;
      }
      const pending = n.args.filter((a) => !this.byNode.has(a));
      if (pending.length) {
        stack.push(...pending);
        continue;
      }
      stack.pop();
      const children = n.args.map((a) => this.byNode.get(a)!).join(",");
      const own = n.op === "num" || n.op === "sym" || n.op === "identity" || n.op === "call" ? key({ ...n, args: [] }) : n.op;
      const signature = `${n.op}:${own}(${children})`;
      let id = this.bySignature.get(signature);
      if (id === undefined) this.bySignature.set(signature, (id = this.bySignature.size));
      this.byNode.set(n, id);
    }
    return this.byNode.get(root)!;
  }
}
