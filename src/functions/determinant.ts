import { Matrix, determinant as det } from "ml-matrix";
import { type FunctionSpec, barred } from "./spec.js";
import { SCALAR } from "../shapes/shape.js";
import { requireSquare } from "./checks.js";

export const determinant: FunctionSpec = {
  fn: "det",
  words: ["det"],
  latex: ["\\det"],
  arity: 1,
  algebra: { transposeInvariant: true, ofInverse: "reciprocal" },
  shape: ([a], dims, node) => (requireSquare("det", a!, dims, node), SCALAR),
  evaluate: ([a]) => new Matrix([[det(a!)]]),
  print: (format, [a]) =>
    ({ unicode: `|${barred(a!)}|`, latex: `\\left|${a}\\right|`, ascii: `det(${a})`, numpy: `np.linalg.det(${a})` })[format],
};

/** log|det X|: the sign of the determinant does not change its derivative X⁻ᵀ. */
export const logDeterminant: FunctionSpec = {
  fn: "logdet",
  words: ["logdet"],
  latex: [],
  arity: 1,
  algebra: { transposeInvariant: true, ofInverse: "negated" },
  shape: ([a], dims, node) => (requireSquare("log-det", a!, dims, node), SCALAR),
  evaluate: ([a]) => new Matrix([[Math.log(Math.abs(det(a!)))]]),
  print: (format, [a]) =>
    ({
      unicode: `log|${barred(a!)}|`,
      latex: `\\log\\left|${a}\\right|`,
      ascii: `logdet(${a})`,
      numpy: `np.linalg.slogdet(${a})[1]`,
    })[format],
};
