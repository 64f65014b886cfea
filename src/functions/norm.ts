import { Matrix } from "ml-matrix";
import { type FunctionSpec, barred } from "./spec.js";
import { SCALAR, isScalar, shapeError, isVector } from "../shapes/shape.js";

/**
 * ‖x‖ = ‖x‖₂ for a vector, ‖X‖ = ‖X‖_F for a matrix: both √(sum of squares).
 * ‖X‖₂ of a matrix (the spectral norm) and ‖x‖₁ are refused, not guessed.
 */
export const norm: FunctionSpec = {
  fn: "norm",
  words: ["norm"],
  latex: [],
  arity: 1,
  shape: ([a], dims, node) => {
    const s = dims.resolveShape(a!);
    if (node.sub === "1") throw shapeError("not supported: the 1-norm ‖·‖₁", node.span);
    if (node.sub === "2" && !isVector(s) && !isScalar(s) && s[0] !== 1)
      throw shapeError("not supported: ‖X‖₂ of a matrix is the spectral norm; write ‖X‖_F for the Frobenius norm", node.span);
    return SCALAR;
  },
  evaluate: ([a]) => new Matrix([[a!.norm("frobenius")]]),
  print: (format, [a], node) => {
    const sub = node.sub === "F" ? "F" : node.sub === "2" ? "2" : "";
    switch (format) {
      case "unicode":
        return `‖${barred(a!)}‖${sub === "2" ? "₂" : sub === "F" ? "_F" : ""}`;
      case "latex":
        return `\\left\\|${a}\\right\\|${sub ? `_{${sub}}` : ""}`;
      case "ascii":
        return `norm(${a}${sub === "F" ? ", 'fro'" : ""})`;
      case "numpy":
        return `np.linalg.norm(${a})`;
    }
  },
};
