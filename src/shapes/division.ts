import { type Expr, type Span, div, mul, withArgs } from "../ast.js";

/**
 * `xᵀAx/xᵀx`, `1/x'*x`: a row cannot divide, so (xᵀAx/xᵀ)·x — the reading of `/` binding like a
 * product — does not type. The one reading that does divides by the divisor times the factors
 * after it, up to the first that makes a scalar: xᵀAx/(xᵀx). `isScalarProduct` tells whether the
 * product of some factors is a scalar (false when it does not type). The tree regrouped, with the
 * divisions regrouped as written in the source; undefined when no division regroups.
 */
export function divisionsRegrouped(root: Expr, isScalarProduct: (factors: readonly Expr[]) => boolean): { expr: Expr; divisions: Expr[] } | undefined {
  const divisions: Expr[] = [];
  const visit = (n: Expr): Expr => {
    if (n.op !== "mul") {
      const args = n.args.map(visit);
      return args.some((a, i) => a !== n.args[i]) ? withArgs(n, args) : n;
    }
    // the chain of products n is the top of: its leftmost factor, and the factors after it
    const after: Expr[] = [];
    let head = n;
    while (head.op === "mul") {
      after.unshift(head.args[1]!);
      head = head.args[0]!;
    }
    const first = visit(head);
    const rest = after.map(visit);
    if (first.op === "div" && !isScalarProduct([first.args[1]!]))
      for (let j = 1; j <= Math.min(rest.length, LONGEST_DIVISOR); j++) {
        const divisor = [first.args[1]!, ...rest.slice(0, j)];
        if (!isScalarProduct(divisor)) continue;
        const quotient = div(first.args[0]!, chain(divisor), spanning(first, rest[j - 1]!));
        divisions.push(quotient);
        return chain([quotient, ...rest.slice(j)]);
      }
    return first === head && rest.every((f, i) => f === after[i]) ? n : chain([first, ...rest]);
  };
  const expr = visit(root);
  return divisions.length ? { expr, divisions } : undefined;
}

/** Factors after `/` tried as its divisor, at most (xᵀAx/xᵀx needs one, xᵀAx/xᵀBx two). */
const LONGEST_DIVISOR = 8;

/** The left-associated product of the factors, each product spanning its factors. */
function chain(factors: readonly Expr[]): Expr {
  return factors.slice(1).reduce((acc, f) => mul(acc, f, spanning(acc, f)), factors[0]!);
}

function spanning(a: Expr, b: Expr): Span | undefined {
  return a.span && b.span ? { start: a.span.start, end: b.span.end } : undefined;
}
