import { Matrix } from "ml-matrix";
import type { FunctionSpec } from "./spec.js";
import { SCALAR } from "../shapes/shape.js";
import { requireSquare } from "./checks.js";

export const trace: FunctionSpec = {
  fn: "tr",
  words: ["tr", "Tr", "trace"],
  latex: ["\\operatorname{tr}", "\\mathrm{tr}", "\\text{tr}", "\\operatorname{Tr}", "\\mathrm{Tr}", "\\text{Tr}", "\\tr"],
  arity: 1,
  shape: ([a], dims, node) => (requireSquare("tr", a!, dims, node), SCALAR),
  evaluate: ([a]) => new Matrix([[a!.trace()]]),
  print: (format, [a]) =>
    ({ unicode: `tr(${a})`, latex: `\\operatorname{tr}\\left(${a}\\right)`, ascii: `tr(${a})`, numpy: `np.trace(${a})` })[format],
};
