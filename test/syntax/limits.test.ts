import { describe, expect, it } from "vitest";
import type { Expr } from "../../src/ast.js";
import { MatcalcError } from "../../src/errors.js";
import { parseExpression } from "../../src/syntax/parse.js";

function timed<T>(f: () => T): { value: T; ms: number } {
  const start = performance.now();
  const value = f();
  return { value, ms: performance.now() - start };
}

/** Depth of the leftmost spine, without recursion. */
function leftDepth(e: Expr): number {
  let d = 0;
  for (let n: Expr | undefined = e; n; n = n.args[0]) d++;
  return d;
}

describe("limits", () => {
  it("refuses 10,000 nested brackets quickly, at the 1,025th opening", () => {
    for (const [open, close] of [["(", ")"], ["[", "]"], ["{", "}"], ["⟨", "⟩"]] as const) {
      const text = open.repeat(10_000) + "x" + close.repeat(10_000);
      const { value: err, ms } = timed(() => {
        try {
          parseExpression(text);
        } catch (e) {
          return e;
        }
      });
      expect(err).toBeInstanceOf(MatcalcError);
      expect((err as MatcalcError).format().split("\n")[0]).toBe("1:1025: nested more than 1024 levels deep: not supported");
      expect(ms).toBeLessThan(500);
    }
  });

  it("refuses deeply nested bars and unclosed brackets the same way", () => {
    expect(() => parseExpression("|".repeat(4000) + "x")).toThrow(/nested more than 1024 levels deep/);
    expect(() => parseExpression("(".repeat(10_000))).toThrow(/nested more than 1024 levels deep/);
  });

  it("parses 1024 nested brackets", () => {
    expect(parseExpression("(".repeat(1024) + "x" + ")".repeat(1024)).name).toBe("x");
    expect(parseExpression("tr(".repeat(1024) + "x" + ")".repeat(1024)).fn).toBe("tr");
  });

  it("parses a sum of 10,000 terms into one flat sum", () => {
    const text = Array.from({ length: 10_000 }, (_, i) => `${i % 2 ? "−" : "+"} x_${i}`).join(" ").slice(2);
    const { value, ms } = timed(() => parseExpression(text));
    expect(value.op).toBe("add");
    expect(value.args).toHaveLength(10_000);
    expect(value.args[1]!.op).toBe("neg");
    expect(ms).toBeLessThan(3000);
  });

  it("parses a product of 10,000 factors into a left-associated chain without overflowing", () => {
    for (const text of [Array(10_000).fill("x").join(" "), Array(10_000).fill("x").join("*")]) {
      const { value, ms } = timed(() => parseExpression(text));
      expect(value.op).toBe("mul");
      expect(leftDepth(value)).toBe(10_000);
      expect(ms).toBeLessThan(3000);
    }
    expect(leftDepth(parseExpression("x".repeat(2_000)))).toBe(2_000); // one word, split into letters
  });

  it("parses runs of 20,000 signs and bare functions without overflowing the stack", () => {
    expect(leftDepth(parseExpression("−".repeat(20_000) + "x"))).toBe(20_001);
    expect(leftDepth(parseExpression("tr ".repeat(6_000) + "x"))).toBe(6_001);
  });

  it("parses long chains of postfix operators and signs", () => {
    expect(leftDepth(parseExpression("x" + "ᵀ".repeat(2_000)))).toBe(2_001);
    expect(leftDepth(parseExpression("−".repeat(2_000) + "x"))).toBe(2_001);
  });
});
