import { Matrix } from "ml-matrix";
import type { FunctionSpec } from "./spec.js";

/**
 * 𝟙, the column of ones. Its length is inferred (as I's is) and kept on the node's `dim`;
 * 𝟙ᵀx is sum(x), 𝟙𝟙ᵀ the matrix of ones.
 */
export const ones: FunctionSpec = {
  fn: "ones",
  words: [], // the lexer reads 𝟙, ones and \mathbf{1} as a constant, not as a function word
  latex: [],
  arity: 0,
  shape: (_args, dims, node) => [node.dim ?? dims.freshDim(), 1],
  evaluate: (_args, node, size) => {
    if (node.dim === undefined) throw new Error("internal: 𝟙 without a size (shapes not inferred?)");
    return Matrix.ones(size(node.dim), 1);
  },
  // NumPy: the printer writes np.ones((n, 1)) itself, since it needs the size.
  print: (format) => ({ unicode: "𝟙", latex: "\\mathbf{1}", ascii: "ones", numpy: "ones" })[format],
};
