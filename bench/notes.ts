// Notes on targets, written by hand from profiles and measurements (bench/RESULTS.md shows each
// next to its target). A note is a function of the target's outcome, so it can speak to a PASS,
// a MISS or a supplementary figure; figures quoted in a note were measured on this machine (2
// cores) and say when.

interface Outcome {
  readonly verdict: "PASS" | "MISS" | "N/A";
  readonly figure: string;
}

const miss = (t: Outcome, text: string): string | undefined => (t.verdict === "PASS" ? undefined : text);

export const NOTES: Record<string, (t: Outcome) => string | undefined> = {
  "scaling:trace-chain": (t) =>
    miss(t, "On an idle machine n = 1000 takes about 30 ms; a figure over 200 ms means the machine was loaded (two other processes took it to 290 ms)."),
  "scaling:deep-linear": (t) =>
    t.verdict === "PASS"
      ? "Was 1.9 s at n = 1000 (15 s before this issue). Factoring the normal form (src/simplify/factor.ts) now reads the terms' words as " +
        "views, builds only the cheapest candidate, and pulls a whole common run W₂ᵀ⋯Wₙᵀ out at once when no sum on the way has a " +
        "candidate of its own (factoring 1.8 s → 12 ms at n = 1000, same outputs on the corpus and every family); the normal form " +
        "joins a product's words at the seam only, its key built from its halves' keys; key() is made once per node."
      : "Cause to look for first: src/simplify/factor.ts pulling common factors stepwise (Θ(n²) when the whole-run shortcut does not apply).",
  "scaling:logdet-sum": (t) =>
    miss(t, "The time is the reverse pass through K's n terms and the normal form of the 1000-term sum; its size is 2(A₁ + ⋯ + Aₙ)XK⁻¹ (1008 nodes at n = 1000)."),
  "scaling:nested-inverse": (t) =>
    miss(
      t,
      "The size slope cannot hold for a printed tree: the derivative is a product of 2n inverses, each Mₖ = (Aₖ + Mₖ₋₁)⁻¹ written out " +
        "in full, itself of size Θ(k), so the formula has Θ(n²) nodes (30598 at n = 100) while as a DAG it has 601 (DAG slope 0.99; the " +
        "NumPy module computes each Mₖ once). Written as a student would, with each inverse named (the next row: M₁ := (A₁ + X)⁻¹, " +
        "Mₖ := (Aₖ + Mₖ₋₁)⁻¹), the answer is ±M₁ᵀ⋯Mₙ₋₁ᵀ(Mₙᵀ)²Mₙ₋₁ᵀ⋯M₁ᵀ, linear in size (slope 1.01, 5998 nodes at n = 1000). n = 300 " +
        "and 1000 are refused by the parser (nesting deeper than 200 brackets is refused with a message, by design: every stage " +
        "recurses on the tree). Time: before this issue n = 100 did not finish in 90 s; now 20–35 ms.",
    ),
  "scaling:nested-inverse-named": () =>
    "Measured beside the nested family to show the size of the answer when the inverses are named. n = 1000 (200–250 ms) is " +
    "superlinear from n = 300 on (40–55 ms): measured at n = 1000 with warm code, reading the 1000 definitions takes 30–45 ms, the " +
    "reverse pass ~30 ms, the normal form of the 2000-factor product 30–40 ms (each partial product keeps its own copy of its word: " +
    "Θ(n²) copying and garbage collection), and simplifying the factored result ~30 ms. A persistent word (shared between a " +
    "product and its parts) would make the normal form linear; not done.",
  "scaling:definition-chain": (t) =>
    miss(t, "Was 319 ms at n = 1000 (5.8 s before this issue): each adjoint passed down the chain is simplified once (rewrites skip subtrees at a fixpoint), folding numbers structures instead of comparing key() strings, and the tokenizer no longer reads each definition against every name before it."),
  cold: (t) =>
    miss(t, "On a quiet machine this is 160–200 ms (node alone 50–60 ms); about 30 ms of it is parsing the rule files' notation at import (rules/derivatives.ts, rules/simplifications.ts), which precompiling the patterns at build time would save."),
  numpy: (t) =>
    (t.verdict === "PASS" ? "" : "The modules over 3 are at the floor of their problem with NumPy's primitives: hand-written code (the second table) is as slow relative to its value, and matcalc's derivative() takes 0.82–1.15 times as long as the hand-written one. ") +
    "seed-1d: the value is two matrix–vector products (Wx, Wᵀ(Wx)); the gradient (Wr)xᵀ + (Wx)rᵀ needs a third and must write a new " +
    "m×n array, however it is written. At S = 500, W (2 MB) fits in a core's L2 cache (2 MB per core here): the value runs from cache " +
    "(0.07 ms for 2 × 250k multiply-adds, about twice as fast per element as at S = 1000), while writing the 2 MB result evicts W, so the " +
    "ratio peaks at S = 500 (3.3–4.2 over this session's runs, hand-written 3.7–4.5; the tables are one run) and is 2.0–2.7 at S = 200 and 1000. seed-2b-logdet: the value is XXᵀ and " +
    "a log-determinant (one LU or Cholesky), the gradient XXᵀ and K⁻¹X, an LU solve with S right-hand sides (NumPy has no " +
    "triangular or Cholesky solve): 2.2× the flops, and LAPACK's triangular solves run below the rate of the matrix products, so " +
    "the hand-written ratio is over 3 at S = 200 and 500 too (about 3.4–3.9 in this session's runs). Made in src/print/numpy.ts earlier in this issue (worst ratio 7.5 before): products in " +
    "matrix-chain order, shared partial products computed once, W(rxᵀ + xrᵀ) distributed to (Wr)xᵀ + (Wx)rᵀ, sums of outer " +
    "products as one product [u₁ u₂][v₁ v₂]ᵀ, K⁻¹B solved when K⁻¹ is used once.",
  sympy: (t) =>
    (t.verdict === "PASS"
      ? "Close to the target on this machine (102–131× over the full runs of this session): "
      : "") +
    "matcalc's median derivation on these problems is about 0.12 ms, SymPy's median diff 13–15 ms. matcalc's times are the " +
    "latency section's, in a worker that has derived the corpus, after 5 warm-up runs of each spelling; run alone (--only sympy: a " +
    "fresh worker, 3 warm-up runs) V8 has compiled less and the figure is about 65×. The ratio counts SymPy's diff " +
    "only (building its expression, ~0.5 ms median, is not timed); matcalc's includes parsing and simplification. Most of SymPy's " +
    "wrong answers come from one bug: the derivative of a sum of matrix-expression terms is returned as 0 (sympy/sympy#26561, " +
    "#26585, #23492).",
};
