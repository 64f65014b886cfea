import { type Expr, StructureIds } from "../ast.js";

/**
 * "Simplest" means cheapest by this cost, the size of the expression as a reader takes it in:
 * - one per node;
 * - one more per term of a sum, so that of two forms of equal size the one with fewer terms
 *   (the factored form) wins;
 * - a bracketed sum that occurs again costs 1 the second time: it is read once, as a textbook
 *   names it (the residual WᵀWx − x in Wx(WᵀWx − x)ᵀ + W(WᵀWx − x)xᵀ);
 * - two more per identity matrix: pulling K⁻¹ out of −DK⁻¹ to leave −DI inside a bracket
 *   makes nothing simpler;
 * - nothing for ᵀ, ⁻¹ or ⁻ᵀ on a symbol: K⁻¹ and Xᵀ are read as one symbol each;
 * - nothing for the exponent of a squared norm: ‖u‖² is read as uᵀu is.
 */
export function cost(e: Expr): number {
  // A sum can occur again only if there are two: most candidates have fewer. Sums are told
  // equal by their structure's number, not by key(): the key of each of n nested sums holds
  // every sum inside it, n² characters in all.
  const ids = countSums(e, 2) >= 2 ? new StructureIds() : undefined;
  const seenSums = new Set<number>();
  let total = 0;
  // each node as a depth-first walk from the left enters it, from a stack: trees may be 10,000 deep
  const stack = [e];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.op === "add" && ids) {
      const id = ids.of(n);
      if (seenSums.has(id)) {
        total += 1;
        continue;
      }
      seenSums.add(id);
    }
    const decoration = (n.op === "transpose" || n.op === "inv") && (n.args[0]!.op === "sym" || n.args[0]!.op === "inv");
    total += (decoration ? 0 : 1) + (n.op === "add" ? n.args.length : 0) + (n.op === "identity" ? 2 : 0);
    if (isSquaredNorm(n)) stack.push(n.args[0]!);
    else for (let i = n.args.length - 1; i >= 0; i--) stack.push(n.args[i]!);
  }
  return total;
}

/** The number of sums in e, counting stops at `enough`. */
function countSums(e: Expr, enough: number): number {
  let count = 0;
  const stack = [e];
  while (stack.length && count < enough) {
    const n = stack.pop()!;
    if (n.op === "add") count++;
    for (const a of n.args) stack.push(a);
  }
  return count;
}

/** ‖a‖²: a power 2 of a norm. */
const isSquaredNorm = (n: Expr): boolean =>
  n.op === "pow" && n.args[0]!.op === "call" && n.args[0]!.fn === "norm" && n.args[1]!.op === "num" && n.args[1]!.value!.n === 2 && n.args[1]!.value!.d === 1;
