import { type Expr, StructureIds, equal } from "../ast.js";

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
  // A sum can occur again only if there are two: most candidates have fewer. A few are told
  // apart by equal(), which stops at the first difference; past FEW_SUMS by their structure's
  // number (StructureIds), linear in the distinct nodes where keys, each as long as its sum,
  // would be n² characters for n nested sums.
  const sums = countSums(e, FEW_SUMS + 1);
  const fewSeen: Expr[] | undefined = sums >= 2 && sums <= FEW_SUMS ? [] : undefined;
  const ids = sums > FEW_SUMS ? new StructureIds() : undefined;
  const manySeen = new Set<number>();
  const seenBefore = (n: Expr): boolean => {
    if (fewSeen) return fewSeen.some((s) => equal(s, n)) || (fewSeen.push(n), false);
    if (!ids) return false;
    const id = ids.of(n);
    return manySeen.has(id) || (manySeen.add(id), false);
  };
  let total = 0;
  // each node as a depth-first walk from the left enters it, from a stack: trees may be 10,000 deep
  const stack = [e];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.op === "add" && seenBefore(n)) {
      total += 1;
      continue;
    }
    const decoration = (n.op === "transpose" || n.op === "inv") && (n.args[0]!.op === "sym" || n.args[0]!.op === "inv");
    total += (decoration ? 0 : 1) + (n.op === "add" ? n.args.length : 0) + (n.op === "identity" ? 2 : 0);
    if (isSquaredNorm(n)) stack.push(n.args[0]!);
    else for (let i = n.args.length - 1; i >= 0; i--) stack.push(n.args[i]!);
  }
  return total;
}

const FEW_SUMS = 16;

/** The number of sums in e, counting stops at `enough`. */
function countSums(e: Expr, enough: number): number {
  let count = 0;
  const stack = [e];
  while (stack.length && count < enough) {
    const n = stack.pop()!;
    if (n.op === "add") count++;
    for (let i = 0; i < n.args.length; i++) stack.push(n.args[i]!);
  }
  return count;
}

/** ‖a‖²: a power 2 of a norm. */
const isSquaredNorm = (n: Expr): boolean =>
  n.op === "pow" && n.args[0]!.op === "call" && n.args[0]!.fn === "norm" && n.args[1]!.op === "num" && n.args[1]!.value!.n === 2 && n.args[1]!.value!.d === 1;
