import { Matrix } from "ml-matrix";
import { call, mul, transpose } from "../ast.js";
import { type FunctionSpec, barred } from "./spec.js";
import { SCALAR, isScalar, shapeError, isVector } from "../shapes/shape.js";

/**
 * ‖x‖ = ‖x‖₂ for a vector, ‖X‖ = ‖X‖_F for a matrix: both √(sum of squares).
 * ‖x‖₁ = Σ|xᵢ| of a vector. ‖X‖₂ of a matrix (the spectral norm) and ‖X‖₁ of a matrix
 * (induced or entrywise?) are refused, not guessed.
 */
export const norm: FunctionSpec = {
  fn: "norm",
  words: ["norm"],
  latex: [],
  arity: 1,
  algebra: {
    nonNegative: true,
    kinkAtZero: (node) => node.sub === "1",
    transposeInvariant: true,
    subscript: (sub) => (sub === "1" ? "1" : undefined),
    square: (node) => (node.sub === "1" ? undefined : call("tr", [mul(transpose(node.args[0]!), node.args[0]!)])),
  },
  shape: ([a], dims, node) => {
    const s = dims.resolveShape(a!);
    if (node.sub === "1" && !isVector(s) && !isScalar(s))
      throw shapeError("not supported: ‖X‖₁ of a matrix (the induced norm or the entrywise one?); write sum(abs(X)) for the entrywise 1-norm", node.span);
    if (node.sub === "2" && !isVector(s) && !isScalar(s) && s[0] !== 1)
      throw shapeError("not supported: ‖X‖₂ of a matrix is the spectral norm; write ‖X‖_F for the Frobenius norm", node.span);
    return SCALAR;
  },
  evaluate: ([a], node) => new Matrix([[node.sub === "1" ? a!.clone().abs().sum() : a!.norm("frobenius")]]),
  print: (format, [a], node) => {
    const sub = node.sub === "F" ? "F" : node.sub === "2" ? "2" : node.sub === "1" ? "1" : "";
    switch (format) {
      case "unicode":
        return `‖${barred(a!)}‖${sub === "2" ? "₂" : sub === "1" ? "₁" : sub === "F" ? "_F" : ""}`;
      case "latex":
        return `\\left\\|${a}\\right\\|${sub ? `_{${sub}}` : ""}`;
      case "ascii":
        return `norm(${a}${sub === "F" ? ", 'fro'" : sub === "1" ? ", 1" : ""})`;
      case "numpy":
        return sub === "1" ? `np.sum(np.abs(${a}))` : `np.linalg.norm(${a})`;
    }
  },
};
