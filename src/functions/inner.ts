import { Matrix } from "ml-matrix";
import { call, mul, transpose } from "../ast.js";
import type { FunctionSpec } from "./spec.js";
import { SCALAR, shapeError, showShape } from "../shapes/shape.js";

/** ⟨A, B⟩ = tr(AᵀB) = Σᵢⱼ AᵢⱼBᵢⱼ, of two arrays of one shape. */
export const inner: FunctionSpec = {
  fn: "dot",
  words: ["dot"],
  latex: [],
  arity: 2,
  algebra: { linear: "each argument", unfold: ([a, b]) => call("tr", [mul(transpose(a!), b!)]) },
  shape: ([a, b], dims, node) => {
    if (!dims.unify(a![0], b![0]) || !dims.unify(a![1], b![1]))
      throw shapeError(`⟨A, B⟩ needs A and B of the same shape, but they are ${showShape(dims.resolveShape(a!))} and ${showShape(dims.resolveShape(b!))}`, node.span);
    return SCALAR;
  },
  evaluate: ([a, b]) => {
    let s = 0;
    for (let i = 0; i < a!.rows; i++) for (let j = 0; j < a!.columns; j++) s += a!.get(i, j) * b!.get(i, j);
    return new Matrix([[s]]);
  },
  print: (format, [a, b]) =>
    ({ unicode: `⟨${a}, ${b}⟩`, latex: `\\left\\langle ${a}, ${b} \\right\\rangle`, ascii: `dot(${a}, ${b})`, numpy: `np.sum(${a} * ${b})` })[format],
};
