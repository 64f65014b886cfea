import { Matrix } from "ml-matrix";
import { type FunctionSpec, byName } from "./spec.js";
import { SCALAR } from "../shapes/shape.js";
import { requireSquare } from "./checks.js";

const PRINTED = byName("tr", (a) => `np.trace(${a})`);

export const trace: FunctionSpec = {
  fn: "tr",
  words: ["tr", "Tr", "trace"],
  latex: ["\\operatorname{tr}", "\\mathrm{tr}", "\\text{tr}", "\\operatorname{Tr}", "\\mathrm{Tr}", "\\text{Tr}", "\\tr"],
  arity: 1,
  algebra: { linear: "each argument" },
  shape: ([a], dims, node) => (requireSquare("tr", a!, dims, node), SCALAR),
  evaluate: ([a]) => new Matrix([[a!.trace()]]),
  print: (format, [a]) => PRINTED[format](a!),
};
