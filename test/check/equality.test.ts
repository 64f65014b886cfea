// Deciding A = B: the normal form first, then random instances. The truths here are classical
// identities (Woodbury, the determinant lemma, push-through) and their near misses, known by
// hand; and a property: a random expression against a rewriting of it by valid identities is
// never called different, whatever rounding the two evaluation orders bring.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkText, contextOf, readExpression } from "../../src/index.js";
import { Equality } from "../../src/check/equality.js";

const claim = (text: string, where: string) => {
  const r = checkText(text, { file: "t.mc", where });
  expect(r.unreadable).toEqual([]);
  return r.claims;
};

describe("identities only random instances decide", () => {
  const where = "A: n×n spd, U: n×k, V: k×n, C: k×k spd, u, v: n, P: n×m, Q: m×n";
  it.each([
    ["Woodbury", "(A + UCV)⁻¹ = A⁻¹ − A⁻¹U(C⁻¹ + VA⁻¹U)⁻¹VA⁻¹"],
    ["Sherman–Morrison", "(A + uvᵀ)⁻¹ = A⁻¹ − A⁻¹uvᵀA⁻¹/(1 + vᵀA⁻¹u)"],
    ["the matrix determinant lemma", "det(A + uvᵀ) = (1 + vᵀA⁻¹u) det(A)"],
    ["push-through", "(I + PQ)⁻¹P = P(I + QP)⁻¹"],
    ["Sylvester's determinant identity", "det(I + PQ) = det(I + QP)"],
  ])("%s holds", (_name, text) => {
    const [c] = claim(text, where);
    expect(c!.verdict).toBe("ok");
    expect(c!.how).toMatch(/random instances/);
  });

  it.each([
    ["Woodbury with a sign flipped", "(A + UCV)⁻¹ = A⁻¹ + A⁻¹U(C⁻¹ + VA⁻¹U)⁻¹VA⁻¹"],
    ["Sherman–Morrison without the denominator", "(A + uvᵀ)⁻¹ = A⁻¹ − A⁻¹uvᵀA⁻¹"],
    ["the determinant lemma with u and v swapped in the wrong place", "det(A + uvᵀ) = (1 + uᵀA⁻¹u) det(A)"],
    ["push-through on the wrong side", "(I + PQ)⁻¹P = (I + QP)⁻¹P"],
    ["a change of one part in a thousand", "(A + uvᵀ)⁻¹ = 1.001(A + uvᵀ)⁻¹"],
  ])("%s is wrong, with a counterexample", (_name, text) => {
    const [c] = claim(text, where);
    expect(c!.verdict).toBe("wrong");
    if (c!.how.startsWith("the two sides differ")) {
      expect(c!.counterexample).toBeDefined();
      expect(Object.keys(c!.counterexample!.values).length).toBeGreaterThan(0);
      for (const v of Object.values(c!.counterexample!.values)) {
        const xs = typeof v === "number" ? [v] : v.flat();
        for (const x of xs) expect(Math.abs(x * 10 - Math.round(x * 10))).toBeLessThan(1e-9); // one decimal
      }
      for (const size of Object.values(c!.counterexample!.sizes)) expect(size).toBeLessThanOrEqual(6);
    } else expect(c!.how).toMatch(/shapes/);
  });

  it("says how each verdict was reached", () => {
    const cs = claim("tr(AB) = tr(BA)\n(AB)⁻¹ = B⁻¹A⁻¹\ndet(AB) = det(A)det(B)\n(AB)ᵀ = AB", "A, B: n×n");
    expect(cs.map((c) => [c.verdict, c.how.replace(/ \(.*/, "")])).toEqual([
      ["ok", "same normal form"],
      ["ok", "same normal form"],
      ["ok", "equal at 3 random instances"],
      ["wrong", "the two sides differ at random instances"],
    ]);
  });
});

describe("rounding never makes a step wrong", () => {
  const WHERE = "A, B, C: n×n, S, T: n×n spd, α, β: scalar";
  type Pair = readonly [string, string];
  const leaf: fc.Arbitrary<Pair> = fc.constantFrom<Pair>(["A", "A"], ["B", "B"], ["C", "C"], ["S", "S"], ["inv(T)", "inv(T)"], ["alpha*B", "B*alpha"], ["S + I", "I + S"], ["inv(A + B)", "inv(B + A)"], ["inv(C)*C", "C*inv(C)"]);
  const { pair } = fc.letrec<{ pair: Pair }>((tie) => ({
    pair: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      leaf,
      // transpose of a product, reversed
      fc.tuple(tie("pair"), tie("pair")).map(([a, b]): Pair => [`((${a[0]})*(${b[0]}))'`, `(${b[1]})'*(${a[1]})'`]),
      // a distributed product
      fc.tuple(tie("pair"), tie("pair"), tie("pair")).map(([a, b, c]): Pair => [`(${a[0]})*((${b[0]}) + (${c[0]}))`, `(${a[1]})*(${b[1]}) + (${a[1]})*(${c[1]})`]),
      // a sum, commuted
      fc.tuple(tie("pair"), tie("pair")).map(([a, b]): Pair => [`(${a[0]}) - (${b[0]})`, `-(${b[1]}) + (${a[1]})`]),
      // an inverse of something well conditioned, and the inverse of a product reversed
      tie("pair").map((a): Pair => [`inv(S + (${a[0]})*(${a[0]})')`, `inv((${a[1]})*(${a[1]})' + S)`]),
      tie("pair").map((a): Pair => [`inv((S + (${a[0]})*(${a[0]})')*T)`, `inv(T)*inv(S + (${a[1]})*(${a[1]})')`]),
      // a trace cycled, scaling
      fc.tuple(tie("pair"), tie("pair"), tie("pair")).map(([a, b, c]): Pair => [`tr((${a[0]})*(${b[0]}))*(${c[0]})`, `(${c[1]})*tr((${b[1]})*(${a[1]}))`]),
      fc.tuple(tie("pair"), fc.constantFrom("2/3", "beta", "1/beta")).map(([a, k]): Pair => [`(${k})*(${a[0]})`, `(${a[1]})*(${k})`]),
    ),
  }));

  it("a random expression against a rewriting of it by valid identities: never `different`", () => {
    let decided = 0;
    let runs = 0;
    fc.assert(
      fc.property(pair, ([left, right]) => {
        const ctx = contextOf(WHERE);
        const a = readExpression(left, ctx).expr;
        const b = readExpression(right, ctx).expr;
        const d = new Equality(ctx).numeric(a, b);
        runs++;
        if (d.equal === true) decided++;
        return d.equal !== false;
      }),
      { numRuns: 150, seed: 20261, maxSkipsPerRun: 0 },
    );
    // and almost always it can say `equal`
    expect(decided / runs).toBeGreaterThan(0.95);
  });
});

describe("sum(y) = 1 holds only where it is declared", () => {
  const steps = "s := softmax(Wx)\n∂(−yᵀlog(s))/∂W = (sum(y)s − y)xᵀ\n  = (s − y)xᵀ\n";
  it("with `let sum(y) = 1`, the step that drops sum(y) is ok", () => {
    const claims = claim(`let W: k×n, x: n, y: k\nlet sum(y) = 1\n${steps}`, "");
    expect(claims.map((c) => c.verdict)).toEqual(["ok", "ok"]);
  });
  it("with `𝟙ᵀy = 1` in --where, too", () => {
    expect(claim(steps, "W: k×n, x: n, y: k, 𝟙ᵀy = 1").map((c) => c.verdict)).toEqual(["ok", "ok"]);
  });
  it("in LaTeX prose, $\\mathbf{1}^\\top y = 1$ after y's declaration declares it; of a matrix or an undeclared name it stays prose", () => {
    const text = [
      "Let $W \\in \\mathbb{R}^{k \\times n}$, $x \\in \\mathbb{R}^n$, $P \\in \\mathbb{R}^{k \\times k}$ and let $y \\in \\mathbb{R}^k$ be one-hot: $\\mathbf{1}^\\top y = 1$.",
      "Note $\\mathbf{1}^\\top P = 1$ and $\\mathbf 1^\\top z = 1$.",
      "\\[ \\frac{\\partial}{\\partial W}\\left(-y^\\top \\log(\\operatorname{softmax}(Wx))\\right) = (\\operatorname{softmax}(Wx) - y)x^\\top \\]",
    ];
    const verdicts = (lines: string[]) => {
      const r = checkText(lines.join("\n"), { file: "t.tex" });
      expect(r.unreadable).toEqual([]);
      return r.claims.map((c) => c.verdict);
    };
    expect(verdicts(text)).toEqual(["ok"]);
    expect(verdicts([text[0]!.replace(" be one-hot: $\\mathbf{1}^\\top y = 1$", ""), ...text.slice(1)])).toEqual(["wrong"]);
    // "one-hot" alone says it too
    expect(verdicts([text[0]!.replace(": $\\mathbf{1}^\\top y = 1$", ""), ...text.slice(1)])).toEqual(["ok"]);
  });

  it("without it, that step is wrong", () => {
    expect(claim(`let W: k×n, x: n, y: k\n${steps}`, "").map((c) => c.verdict)).toEqual(["ok", "wrong"]);
  });
});

