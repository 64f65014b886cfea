import { type Expr, call, mapBottomUp, postorder, withArgs } from "../ast.js";
import type { Context } from "../context.js";
import { MatcalcError } from "../errors.js";
import { verifySameValue } from "../numeric/verify.js";
import { parseExpression } from "../syntax/parse.js";
import { inferShapes } from "./infer.js";

const ENTRYWISE = new Set(["hadamard", "hdiv", "kron"]);

/**
 * A product binds tighter than ⊙ ⊘ ⊗ (NOTATION.md): `A ⊙ BX` is A ⊙ (BX), `AB ⊙ C` is (AB) ⊙ C.
 * Where the other grouping, (A ⊙ B)X or A(B ⊙ C), is also well-typed and has another value at
 * random instances, a note says which was read, so that a reader who meant the other knows.
 */
export function groupingNotes(text: string, freshContext: () => Context): string[] {
  if (!/[⊙∘⊘⊗]|\.[*/]|\\o(?:dot|slash|times)|\\circ/.test(text)) return [];
  const names = new Set(freshContext().symbols.keys());
  const parsed = parseExpression(text, { names });
  const notes: string[] = [];
  const at = (e: Expr) => text.slice(e.span!.start, e.span!.end);
  for (const e of postorder(parsed)) {
    if (e.op !== "call" || !ENTRYWISE.has(e.fn!) || !e.span) continue;
    const [a, b] = e.args as [Expr, Expr];
    if (!a.span || !b.span || /[()[\]{}]/.test(text.slice(a.span.end, b.span.start))) continue;
    const op = text.slice(a.span.end, b.span.start).trim();
    const other = otherGrouping(e);
    if (!other) continue;
    const ctx = freshContext();
    let differs: boolean;
    try {
      const read = inferShapes(parsed, ctx).expr;
      const alternative = inferShapes(mapBottomUp(parsed, (n) => (n === e ? other.expr : n)), ctx).expr;
      differs = verifySameValue(read, alternative, ctx).verdict === "disagrees";
    } catch (err) {
      if (err instanceof MatcalcError) continue;
      throw err;
    }
    if (differs)
      notes.push(`read \`${at(e)}\` as ${other.side === "right" ? `\`${at(a)} ${op} (${at(b)})\`` : `\`(${at(a)}) ${op} ${at(b)}\``}: a product binds tighter than ${op}; for ${other.written(at, op)} write the brackets.`);
  }
  return notes;
}

/** The grouping in which the entrywise operator e binds tighter than the product beside it. */
function otherGrouping(e: Expr): { expr: Expr; side: "left" | "right"; written: (at: (e: Expr) => string, op: string) => string } | undefined {
  const [a, b] = e.args as [Expr, Expr];
  // A ⊙ BX·Y: the first factor of the product on the right, (A ⊙ B)X·Y
  if (b.op === "mul" || b.op === "div") {
    const path: Expr[] = [];
    for (let n = b; (n.op === "mul" || n.op === "div") && n.args[0]!.span?.start === n.span?.start; n = n.args[0]!) path.push(n);
    if (path.length) {
      const first = path[path.length - 1]!.args[0]!;
      let expr: Expr = call(e.fn!, [a, first]);
      for (let k = path.length - 1; k >= 0; k--) expr = withArgs(path[k]!, [expr, path[k]!.args[1]!]);
      return { expr, side: "right", written: (at, op) => `\`(${at(a)} ${op} ${at(first)})${textAfter(at, first, b)}\`` };
    }
  }
  // AB ⊙ C: the last factor of the product on the left, A(B ⊙ C)
  if (a.op === "mul") {
    const path: Expr[] = [];
    for (let n = a; n.op === "mul" && n.args[1]!.span?.end === n.span?.end; n = n.args[1]!) path.push(n);
    if (path.length) {
      const last = path[path.length - 1]!.args[1]!;
      let expr: Expr = call(e.fn!, [last, b]);
      for (let k = path.length - 1; k >= 0; k--) expr = withArgs(path[k]!, [path[k]!.args[0]!, expr]);
      return { expr, side: "left", written: (at, op) => `\`${textBefore(at, last, a)}(${at(last)} ${op} ${at(b)})\`` };
    }
  }
  return undefined;
}

/** The text of `whole` after (before) its part `part`: the rest of a product. */
const textAfter = (at: (e: Expr) => string, part: Expr, whole: Expr) => at(whole).slice(part.span!.end - whole.span!.start);
const textBefore = (at: (e: Expr) => string, part: Expr, whole: Expr) => at(whole).slice(0, part.span!.start - whole.span!.start);
