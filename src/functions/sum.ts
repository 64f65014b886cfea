import { Matrix } from "ml-matrix";
import type { FunctionSpec } from "./spec.js";
import { SCALAR } from "../shapes/shape.js";

/** sum(A): the sum of all entries, 𝟙ᵀA𝟙 (𝟙ᵀx for a vector). */
export const sum: FunctionSpec = {
  fn: "sum",
  words: ["sum"],
  latex: [],
  arity: 1,
  shape: () => SCALAR,
  evaluate: ([a]) => new Matrix([[a!.sum()]]),
  print: (format, [a]) =>
    ({ unicode: `sum(${a})`, latex: `\\operatorname{sum}\\left(${a}\\right)`, ascii: `sum(${a})`, numpy: `np.sum(${a})` })[format],
};
