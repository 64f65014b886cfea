// The identities of rules/linear-maps.ts are cited, not executed, by src/derive/jacobian.ts: a
// misspelled citation does not compile (LinearMapName), and here every identity is reached by a
// derivation that cites it, or is listed as one that no known input reaches.
import { describe, expect, it } from "vitest";
import { derive } from "../src/index.js";
import { LINEAR_MAP_IDENTITIES, type LinearMapName, citation } from "../rules/linear-maps.js";

/** For each identity, a derivation that rests on it: expression, variable, declarations, order. */
const REACHED_BY: Partial<Record<LinearMapName, readonly [string, string, string, (1 | 2)?]>> = {
  "vec of a product": ["X a", "X", "X: m×n, a: n"],
  "vec of a transposed product, G a vector": ["xᵀA", "x", "A: n×m, x: n"],
  "vec of a transposed product that is a vector": ["y xᵀ", "x", "x: n, y: m"],
  "vec of a product with a Kronecker factor": ["exp(A X B)", "X", "A: p×m, X: m×n, B: n×q"],
  "the transpose of a Kronecker product": ["A x", "x", "A: m×n, x: n"],
  "a Kronecker product of a column and a row": ["yᵀ exp(x) yᵀ", "x", "x: n, y: n"],
  "a Kronecker product of a row and a column": ["xᵀ Rᵀ Rᵀ", "R", "x: n, R: 1×n"],
  "a scalar linear form": ["x / ‖x‖", "x", "x: n"],
  "a linear form times a vector": ["x / ‖x‖", "x", "x: n"],
  "a linear form of any coefficient": ["(X + αI)⁻¹", "α", "X: n×n"],
  "a Hadamard product of vectors": ["softmax(x)", "x", "x: n"],
  "a Hadamard quotient of vectors": ["x ⊘ y", "x", "x: n, y: n"],
  "a Hadamard product of matrices": ["A ⊙ X", "X", "A: m×n, X: m×n"],
  "a diagonal matrix times a vector": ["diag(A x yᵀ B)", "x", "A: n×n, B: n×n, x: n, y: n"],
  "the diagonal of a rank-one product": ["A diag(x) y", "x", "A: p×n, x: n, y: n"],
  "the diagonal of a product through a diagonal matrix": ["log|S + diag(x)|", "x", "S: n×n, x: n", 2],
  "the diagonal of a transposed rank-one product": ["(wᵀ diag(x) A)ᵀ", "x", "x: n, w: n, A: n×m"],
  "a row times a diagonal matrix": ["diag(Sᵀ R)", "R", "R: 1×n, S: 1×n"],
};

/**
 * I ⊗ I needs a product I·E in the adjoint, which the simplifier's "identity times" removes unless
 * its limits stop it first: no corpus problem, no test and 18,000 random inputs reached it.
 */
const UNREACHED: readonly LinearMapName[] = ["identities multiply"];

describe("every identity of rules/linear-maps.ts is reached", () => {
  it("is either reached by an example or listed as unreached", () => {
    const names = LINEAR_MAP_IDENTITIES.map((i) => i.name);
    expect(names.filter((n) => !REACHED_BY[n] && !UNREACHED.includes(n))).toEqual([]);
  });

  it.each(Object.entries(REACHED_BY))("%s", (name, [expression, wrt, where, order]) => {
    const r = derive(expression, { wrt, where, order });
    expect(r.identities).toContain(citation(name as LinearMapName));
  });
});
