import { Matrix } from "ml-matrix";
import type { FunctionSpec } from "./spec.js";
import { type Shape, type Dims, shapeError, showShape } from "../shapes/shape.js";
import type { Expr } from "../ast.js";

// The Hadamard (entrywise) product A ⊙ B and division A ⊘ B of two arrays of one shape.
// A scalar operand is not broadcast: α ⊙ A is written αA.

function sameShape(what: string, [a, b]: readonly Shape[], dims: Dims, node: Expr): Shape {
  if (!dims.unify(a![0], b![0]) || !dims.unify(a![1], b![1]))
    throw shapeError(
      `${what} needs operands of the same shape, but they are ${showShape(dims.resolveShape(a!))} and ${showShape(dims.resolveShape(b!))}`,
      node.span,
    );
  return a!;
}

function entrywise(a: Matrix, b: Matrix, f: (x: number, y: number) => number): Matrix {
  if (a.rows !== b.rows || a.columns !== b.columns) throw new Error(`internal: entrywise operation on ${a.rows}×${a.columns} and ${b.rows}×${b.columns}`);
  const out = new Matrix(a.rows, a.columns);
  for (let i = 0; i < a.rows; i++) for (let j = 0; j < a.columns; j++) out.set(i, j, f(a.get(i, j), b.get(i, j)));
  return out;
}

export const hadamard: FunctionSpec = {
  fn: "hadamard",
  words: ["hadamard"],
  latex: [],
  arity: 2,
  infix: ["unicode", "latex", "ascii"],
  shape: (args, dims, node) => sameShape("⊙", args, dims, node),
  evaluate: ([a, b]) => entrywise(a!, b!, (x, y) => x * y),
  print: (format, [a, b]) =>
    ({ unicode: `${a} ⊙ ${b}`, latex: `${a} \\odot ${b}`, ascii: `${a} .* ${b}`, numpy: `(${a} * ${b})` })[format],
};

export const hadamardDivision: FunctionSpec = {
  fn: "hdiv",
  words: ["hdiv"],
  latex: [],
  arity: 2,
  infix: ["unicode", "latex", "ascii"],
  shape: (args, dims, node) => sameShape("⊘", args, dims, node),
  // x/0 is infinite or NaN: evaluation reports it as outside the domain.
  evaluate: ([a, b]) => entrywise(a!, b!, (x, y) => x / y),
  print: (format, [a, b]) =>
    ({ unicode: `${a} ⊘ ${b}`, latex: `${a} \\oslash ${b}`, ascii: `${a} ./ ${b}`, numpy: `(${a} / ${b})` })[format],
};
