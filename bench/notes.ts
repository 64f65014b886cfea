// Notes on targets, written by hand from profiles and measurements (bench/RESULTS.md shows each
// next to its target). A note is a function of the target's outcome, so it can speak to a PASS or
// a MISS. "P2" etc. name proposed changes to files outside the benchmark's reach; each was built
// in a copy of the tree, checked to give the same derivative (structurally) on all 118 corpus
// problems × 3 spellings and the families at n ≤ 10, and timed there (CPU time, best of 3, n as
// stated, on the same machine under the same kind of load):
//
//   P2  src/simplify/rewrite.ts runRewrites: skip subtrees already found to be fixpoints. A node
//       whose children came back unchanged and to which neither tidy nor a rule applied is a
//       fixpoint (rules and tidy depend only on the subtree and the context); simplifyLocally
//       passes one WeakSet<Expr> per context. Every adjoint share is simplified with the adjoint
//       it carries, which is already simplified: without this the whole adjoint is read again.
//   P3  src/simplify/normal.ts wordKey: cache keys by word (WeakMap), and build a product's word
//       key from its halves' keys in multiplyMonomials (a rope, not a join of n keys).
//   P4  src/simplify/normal.ts collect(): a flat sum is not an expansion — give sums their own
//       limit (10,000 terms) instead of EXPANSION_LIMIT (400), which stays on products.
//   P6  src/derive/fold.ts foldDefinitions: compare structural numbers (hash-consing, as
//       src/simplify/cost.ts could) instead of key(), which rebuilds every subtree's string.
//
// P2 and P4 have since landed (src/simplify/rewrite.ts fixpoints, normal.ts SUM_LIMIT); the
// "as is" figures in the notes below were measured before them, and RESULTS.md's figures after.

interface Outcome {
  readonly verdict: "PASS" | "MISS" | "N/A";
  readonly figure: string;
}

const miss = (t: Outcome, text: string): string | undefined => (t.verdict === "PASS" ? undefined : text);

export const NOTES: Record<string, (t: Outcome) => string | undefined> = {
  "scaling:trace-chain": (t) =>
    miss(
      t,
      "Linear in size and nearly so in time; n = 1000 takes 200–290 ms depending on the load. Profile at n = 1000: the rewrite passes of " +
        "simplifyLocally read every adjoint share whole, with the (already simplified) adjoint it carries, and the normal " +
        "form rebuilds the key of every partial product of the chain. Measured: 286 ms as is; with P2 192 ms; P3 alone no " +
        "measurable gain. Before this issue's changes n = 1000 took 0.9–2.3 s (isSymmetric normalised each transposed " +
        "product afresh; now memoised in src/simplify/symmetry.ts).",
    ),
  "scaling:deep-linear": (t) =>
    miss(
      t,
      "Cause: factoring the normal form (src/simplify/factor.ts) pulls common factors out at most three at a time and " +
        "recurses on the inner sum; 2W₂ᵀ⋯Wₙᵀ(Wₙ⋯W₁x − y)xᵀ has n − 1 common factors, so about 2n distinct inner sums are " +
        "built (word slices and keys, Θ(n) each) for 8 candidates each: Θ(n²). Made in factor.ts (same outputs on the " +
        "corpus and the families): factorings memoised within a call — the search was exponential (n = 30 did not finish in " +
        "90 s; n = 16 took 7 s); the plain sum skipped where a pulled factor provably beats it; candidate costs summed from " +
        "their parts. Measured: n = 300 1.35 s → 0.37 s, n = 1000 15 s → 2.4–2.9 s. What remains would need the search to " +
        "pull a whole common run at once over views of the words, without slicing — a restructuring of factor.ts, not done.",
    ),
  "scaling:sum-quadratic": (t) =>
    miss(
      t,
      "Time is at the limit (n = 1000: 170–300 ms, depending on the machine's load); the size slope is not linear because the normal form " +
        "gives up past 400 terms (EXPANSION_LIMIT, applied in collect() to flat sums too): from n = 300 (600 terms) the " +
        "unfactored local form is kept, 7 nodes a term instead of 3 (n = 300: 2101 nodes instead of 903). With P4: 7001 → " +
        "3003 nodes at n = 1000, size slope ≈ 1.0, time unchanged.",
    ),
  "scaling:logdet-sum": (t) =>
    miss(
      t,
      "Same cliff as Σᵢ xᵀAᵢx: at n = 1000 the normal form has 1000 terms (> 400) and the local form (13001 nodes) is kept " +
        "instead of 2(A₁ + ⋯ + Aₙ)XK⁻¹ (n = 300: 308 nodes). With P4: 1008 nodes at n = 1000. Time at n = 1000: 475 ms as " +
        "is, 327 ms with P2.",
    ),
  "scaling:nested-inverse": (t) =>
    miss(
      t,
      "n = 300 and 1000 are refused by the parser (nesting deeper than 200 levels), as intended. The size slope cannot hold " +
        "for a tree: the derivative is a product of 2n inverses M₁ᵀ⋯Mₙᵀ⋯, each Mₖ = (Aₖ + Mₖ₋₁)⁻¹ itself of size Θ(k), so " +
        "the printed formula has Θ(n²) nodes (measured slope ≈ 1.9: 389, 2969, 30899 nodes at n = 10, 30, 100), while as a " +
        "DAG it is Θ(n) (slope ≈ 1.0; the NumPy module computes each Mₖ once). Only naming the intermediate inverses in the " +
        "output would make the printed size linear. Time: before this issue n = 100 did not finish in 90 s; now ~0.35 s; " +
        "P2 235 ms; P2 + P3 + P4 + P6 172 ms — quadratic, as the output.",
    ),
  "scaling:definition-chain": (t) =>
    miss(
      t,
      "Cause (profile at n = 1000): each definition cᵢ hands its adjoint to cᵢ₋₁ through simplifyLocally, which reads the " +
        "whole adjoint chain again (Θ(n²)); src/derive/fold.ts calls key() on every node (Θ(n²) string building). Measured " +
        "at n = 1000: 5.8 s as is; P2 0.67 s; P2 + P3 + P4 + P6 0.29 s, of which ~0.1 s is parsing the 1000 definitions and " +
        "~0.1 s the normal form of the 1000-factor product. Printing (not part of derive()) is quadratic too: " +
        "src/print/expression.ts factors() flattens the whole product again at every · (1.2 s for this 3003-node result).",
    ),
  cold: (t) =>
    t.verdict === "PASS"
      ? undefined
      : "On a quiet machine this is 180–200 ms (node alone 50–60 ms); the figure above moves with the load. Profile of one " +
        "run: ~50 ms Node's own start, ~35 ms loading modules, ~30 ms parsing the rule files' notation at import " +
        "(rules/derivatives.ts, rules/simplifications.ts go through the full parser at every start: precompiling the " +
        "patterns at build time would save that), ~15 ms the derivation.",
  numpy: (t) =>
    (t.verdict === "PASS" ? "" : "Over 3 only by a little, and only where the value is a few matrix–vector products. ") +
    "Made in src/print/numpy.ts: products regrouped in matrix-chain order before anything is named (Wᵀ(Wx), not (WᵀW)x; a " +
    "row-vector product as the transpose of a column one), so that partial products shared by a definition, a transposed " +
    "occurrence and the result (Wx in c := WᵀWx − x and in (Wx)cᵀ) are computed once; W(cxᵀ + xcᵀ) distributed to " +
    "(Wc)xᵀ + (Wx)cᵀ when that is less work; sums of outer products as one product [u₁ u₂][v₁ v₂]ᵀ (an n×1 @ 1×m matmul " +
    "is slow, and each term allocated a full array); K⁻¹B solved (np.linalg.solve) when K⁻¹ is not used elsewhere; " +
    "subexpressions named only when used more than once outside a named parent; no final copy of a freshly computed " +
    "result. Worst ratio before: 7.5 (seed-1d: (WᵀW)x in the value, the cubic W(rxᵀ + xrᵀ) in the derivative). What is " +
    "left: seed-1d and seed-1d-definitions compute the value with two matrix–vector products and the gradient with three " +
    "plus writing a new m×n array (S = 500, one thread: Wx 35 µs, the rank-2 product [u₁ u₂][v₁ v₂]ᵀ 74 µs), ≈ 2.5 at best " +
    "and 2–4 measured; seed-2b-logdet: value XXᵀ + slogdet(K), derivative XXᵀ + solve(K, X) — 2.2× the flops, but " +
    "LAPACK's triangular solves with n right-hand sides run far below gemm's rate here (S = 1000: XXᵀ 17.5 ms, slogdet " +
    "18 ms, solve 102 ms, inv(K) @ X 124 ms), so the measured ratio is ≈ 3.",
  sympy: (t) =>
    miss(
      t,
      "matcalc's median derivation on these problems is about a third of a millisecond; SymPy's median diff about 8–20 ms. " +
        "Where matcalc's time goes (profile of the whole corpus): the rewrite engine of simplifyLocally ~25% (P2 takes " +
        "~15% off the corpus: 0.71 → 0.60 ms per problem), garbage collection ~18%, parsing ~10%, shape inference ~8%, " +
        "normal forms and factoring the rest. The ratio counts SymPy's diff only (building its expression, ~0.5 ms median, " +
        "is not timed); matcalc's includes parsing and simplification. Most of SymPy's wrong answers come from one bug: " +
        "the derivative of a sum of matrix-expression terms is returned as 0 (sympy/sympy#26561, #26585, #23492).",
    ),
};
