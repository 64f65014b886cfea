// The normal form of a product chain is made in one pass, its partial products kept as stretches
// of one growing word (src/simplify/normal.ts, chainProduct). Each partial product's normal form,
// asked for afterwards, must be the one it has when normalized alone.
import { describe, expect, it } from "vitest";
import { postorder } from "../src/ast.js";
import { contextOf, readExpression, seededRng } from "../src/index.js";
import { Normalizer, polyKey } from "../src/simplify/normal.js";

const WHERE = "A, B: n×n, a, b, x, y: n";

// Factors whose seams change words: X⁻¹ beside X cancels, diag(a)diag(b) merges, xyᵀ and yᵀ⋯x
// leave scalars, a sum expands into several terms. x is always followed by yᵀ, so every stretch
// of the chain is a product of matching shapes.
const FACTORS = [["A"], ["A⁻¹"], ["Aᵀ"], ["A⁻ᵀ"], ["B"], ["B⁻¹"], ["diag(a)"], ["diag(b)"], ["(A + B)"], ["x", "yᵀ"]];

/** A chain of random factors, bracketed at random. */
function randomChain(rng: () => number): string {
  const factors = Array.from({ length: 2 + Math.floor(rng() * 10) }, () => FACTORS[Math.floor(rng() * FACTORS.length)]!).flat();
  const bracket = (from: number, to: number): string => {
    if (to - from === 1) return factors[from]!;
    const cut = from + 1 + Math.floor(rng() * (to - from - 1));
    return `(${bracket(from, cut)} ${bracket(cut, to)})`;
  };
  return bracket(0, factors.length);
}

describe("normal form of a product chain", () => {
  it("gives each partial product the normal form it has alone", () => {
    const rng = seededRng(13);
    let partials = 0;
    for (let trial = 0; trial < 150; trial++) {
      const ctx = contextOf(WHERE);
      const e = readExpression(randomChain(rng), ctx).expr;
      const whole = new Normalizer(ctx);
      const top = polyKey(whole.normalize(e));
      for (const sub of postorder(e).reverse()) {
        if (sub.op !== "mul" || sub === e) continue;
        partials++;
        expect(polyKey(whole.normalize(sub))).toBe(polyKey(new Normalizer(ctx).normalize(sub)));
      }
      // and the whole, normalized after its parts, is what it was
      const partsFirst = new Normalizer(ctx);
      for (const sub of postorder(e)) partsFirst.normalize(sub);
      expect(polyKey(partsFirst.normalize(e))).toBe(top);
    }
    expect(partials).toBeGreaterThan(500);
  });
});
