import { Matrix } from "ml-matrix";
import { type FunctionSpec, type Format, byName } from "./spec.js";
import type { Shape, Dims } from "../shapes/shape.js";
import { isScalar, shapeError } from "../shapes/shape.js";
import type { Expr } from "../ast.js";

/**
 * softmax and logsumexp take a column vector whole and a matrix row by row (NOTATION.md: as
 * attention writes softmax(QKᵀ/√d)); of a scalar they would be constant, so they are refused.
 */
export function requireVectorOrMatrix(what: string, a: Shape, dims: Dims, node: Expr): Shape {
  const s = dims.resolveShape(a);
  if (isScalar(s)) throw shapeError(`not supported: ${what} of a scalar; it takes a vector or a matrix (row by row)`, node.span);
  return s;
}

/** Whether the argument is taken row by row (anything but a column vector). */
export const byRows = (m: Matrix): boolean => m.columns !== 1;

/** The groups a softmax or logsumexp acts on: the column, or each row. */
export const groups = (m: Matrix): number[][] => (byRows(m) ? m.to2DArray() : [m.getColumn(0)]);

/** A printer that names the row-wise NumPy helper when the argument is not a column vector. */
export function printedByGroup(word: string): FunctionSpec["print"] {
  const whole = byName(word, (a) => `_${word}(${a})`);
  const rows = byName(word, (a) => `_${word}_rows(${a})`);
  return (format: Format, [a], _node, shapes) => (shapes && shapes.args[0]![1] !== 1 ? rows : whole)[format](a!);
}

/** exp(xᵢ)/Σⱼexp(xⱼ), computed after subtracting max x. */
function softmaxOf(x: number[]): number[] {
  const top = Math.max(...x);
  const e = x.map((v) => Math.exp(v - top));
  const z = e.reduce((p, q) => p + q, 0);
  return e.map((v) => v / z);
}

/** softmax(x)ᵢ = exp(xᵢ)/Σⱼexp(xⱼ); of a matrix, the softmax of each row. */
export const softmax: FunctionSpec = {
  fn: "softmax",
  words: ["softmax"],
  latex: [],
  arity: 1,
  shape: ([a], dims, node) => requireVectorOrMatrix("softmax", a!, dims, node),
  evaluate: ([a]) => (byRows(a!) ? new Matrix(groups(a!).map(softmaxOf)) : Matrix.columnVector(softmaxOf(a!.getColumn(0)))),
  print: printedByGroup("softmax"),
};
