import { Matrix } from "ml-matrix";
import { type FunctionSpec, byName } from "./spec.js";
import type { Shape, Dims } from "../shapes/shape.js";
import { isScalar, shapeError, showShape } from "../shapes/shape.js";
import type { Expr } from "../ast.js";

/** softmax and logsumexp take a column vector; of a matrix they would need an axis, so they are refused. */
export function requireVector(what: string, a: Shape, dims: Dims, node: Expr): Shape {
  const s = dims.resolveShape(a);
  if (s[1] !== 1 || isScalar(s))
    throw shapeError(`not supported: ${what} of ${isScalar(s) ? "a scalar" : (showShape(s).startsWith("a ") ? showShape(s) : `a ${showShape(s)} matrix`)}; it takes a vector`, node.span);
  return s;
}

/** Column entries. */
const PRINTED = byName("softmax", (a) => `_softmax(${a})`);

export const entries = (m: Matrix): number[] => m.getColumn(0);

/** softmax(x)ᵢ = exp(xᵢ)/Σⱼexp(xⱼ), computed after subtracting max x. */
export const softmax: FunctionSpec = {
  fn: "softmax",
  words: ["softmax"],
  latex: [],
  arity: 1,
  shape: ([a], dims, node) => requireVector("softmax", a!, dims, node),
  evaluate: ([a]) => {
    const x = entries(a!);
    const top = Math.max(...x);
    const e = x.map((v) => Math.exp(v - top));
    const z = e.reduce((p, q) => p + q, 0);
    return Matrix.columnVector(e.map((v) => v / z));
  },
  print: (format, [a]) => PRINTED[format](a!),
};

