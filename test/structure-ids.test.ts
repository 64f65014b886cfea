// StructureIds (src/ast.ts) numbers each distinct structure once, children first; with
// sumsInAnyOrder, sums that differ only in the order of their terms share a number, which
// src/simplify/symmetry.ts keeps its normal-form answers by.
import { describe, expect, it } from "vitest";
import { type Expr, StructureIds, add, inv, key, postorder, sym, transpose } from "../src/ast.js";
import { contextOf, readExpression } from "../src/index.js";
import { isSymmetric } from "../src/simplify/symmetry.js";

const read = (text: string, where: string) => {
  const ctx = contextOf(where);
  return { ctx, e: readExpression(text, ctx).expr };
};

describe("StructureIds", () => {
  it("gives equal numbers exactly to subtrees with equal keys, children before parents", () => {
    const { e } = read("tr((A + Bᵀ)⁻¹ (A + Bᵀ) + (Bᵀ + A)ᵀ Aᵀ + 2A)", "A, B: n×n");
    const ids = new StructureIds();
    const root = ids.of(e);
    const nodes = postorder(e);
    for (const x of nodes) for (const y of nodes) expect(ids.of(x) === ids.of(y)).toBe(key(x) === key(y));
    for (const x of nodes) for (const a of x.args) expect(ids.of(a)).toBeLessThan(ids.of(x));
    expect(ids.nodes.length).toBe(new Set(nodes.map(key)).size);
    expect(root).toBe(ids.nodes.length - 1);
    expect(ids.children[root]).toEqual(e.args.map((a) => ids.of(a)));
  });

  it("numbers a chain 10,000 deep", () => {
    let e: Expr = sym("X");
    for (let i = 0; i < 10_000; i++) e = i % 2 ? inv(add([sym("A"), e])) : transpose(e);
    const ids = new StructureIds();
    expect(ids.of(e)).toBe(ids.nodes.length - 1);
    expect(ids.nodes.length).toBe(2 + 5_000 * 3); // X, A; each pair of steps a transpose, a sum and an inverse
  });

  it("with sumsInAnyOrder, tells sums apart by their terms, not their order", () => {
    const { e: ab } = read("(A + B + Aᵀ)⁻¹ C", "A, B, C: n×n");
    const { e: ba } = read("(Aᵀ + A + B)⁻¹ C", "A, B, C: n×n");
    const { e: other } = read("(Aᵀ + A + C)⁻¹ C", "A, B, C: n×n");
    const unordered = new StructureIds({ sumsInAnyOrder: true });
    expect(unordered.of(ab)).toBe(unordered.of(ba));
    expect(unordered.of(other)).not.toBe(unordered.of(ab));
    const ordered = new StructureIds();
    expect(ordered.of(ab)).not.toBe(ordered.of(ba));
  });
});

describe("symmetry asked of reordered sums and of inverses", () => {
  const where = "A, B: n×n, S: n×n symmetric";
  it.each([
    ["A + Aᵀ + S", "S + Aᵀ + A", true],
    ["A + B + S", "S + B + A", false],
    ["((A + Aᵀ)⁻¹ + S)⁻¹", "(S + (Aᵀ + A)⁻¹)⁻¹", true],
    ["((A + B)⁻¹ + S)⁻¹", "(S + (B + A)⁻¹)⁻¹", false],
    ["(((S + AᵀA)⁻¹)⁻¹)⁻¹", "(((AᵀA + S)⁻¹)⁻¹)⁻¹", true],
  ])("%s and then %s: %s, as each is alone", (first, second, expected) => {
    const alone = (text: string) => {
      const { ctx, e } = read(text, where);
      return isSymmetric(e, ctx);
    };
    expect(alone(first)).toBe(expected);
    expect(alone(second)).toBe(expected);
    // one context: the second is answered from the first's normal form
    const ctx = contextOf(where);
    expect(isSymmetric(readExpression(first, ctx).expr, ctx)).toBe(expected);
    expect(isSymmetric(readExpression(second, ctx).expr, ctx)).toBe(expected);
  });
});
