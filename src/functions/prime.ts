import { type FunctionSpec } from "./spec.js";
import { unsupported } from "../errors.js";

// f′(u): the derivative of a function applied entry by entry, as backprop is written
// (δ = Wᵀδ′ ⊙ σ′(z), tanh′(z)). It is read, not computed: src/derive/gradient.ts writes it out
// (σ′(u) = σ(u) ⊙ (𝟙 − σ(u))) from the function's own derivative rule before anything else
// sees it. The node is `prime` with the function's name in `sub`.

export const prime: FunctionSpec = {
  fn: "prime",
  words: [],
  latex: [],
  arity: 1,
  shape: ([a]) => a!,
  evaluate: (_args, node) => {
    throw unsupported(`${node.sub}′(…) here: write the derivative out`, node.span);
  },
  print: (format, [a], node) => {
    const f = node.sub!;
    if (format === "latex") return `\\operatorname{${f}}'\\left(${a}\\right)`;
    if (format === "numpy") throw unsupported(`${f}′(…) in NumPy code`, node.span);
    return `${f}${format === "ascii" ? "'" : "′"}(${a})`;
  },
};
