import { Matrix } from "ml-matrix";
import { type FunctionSpec, byName } from "./spec.js";
import { SCALAR } from "../shapes/shape.js";

/** sum(A): the sum of all entries, 𝟙ᵀA𝟙 (𝟙ᵀx for a vector). */
const PRINTED = byName("sum", (a) => `np.sum(${a})`);

export const sum: FunctionSpec = {
  fn: "sum",
  words: ["sum"],
  latex: [],
  arity: 1,
  shape: () => SCALAR,
  evaluate: ([a]) => new Matrix([[a!.sum()]]),
  print: (format, [a]) => PRINTED[format](a!),
};
