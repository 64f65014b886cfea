import { Matrix } from "ml-matrix";
import type { Algebra, FunctionSpec } from "./spec.js";
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

/** An entrywise operator: A ⊙ B or A ⊘ B, written infix in every text format. */
function entrywiseOperator(
  fn: string,
  spelled: { unicode: string; latex: string; ascii: string; numpy: string },
  f: (x: number, y: number) => number,
  algebra: Algebra,
): FunctionSpec {
  return {
    fn,
    algebra,
    words: [fn],
    latex: [],
    arity: 2,
    infix: ["unicode", "latex", "ascii"],
    shape: (args, dims, node) => sameShape(spelled.unicode, args, dims, node),
    evaluate: ([a, b]) => entrywise(a!, b!, f),
    print: (format, [a, b]) => (format === "numpy" ? `(${a} ${spelled.numpy} ${b})` : `${a} ${spelled[format]} ${b}`),
  };
}

const NOT_LINEAR = "internal: the adjoint is not linear in its seed";

export const hadamard = entrywiseOperator("hadamard", { unicode: "⊙", latex: "\\odot", ascii: ".*", numpy: "*" }, (x, y) => x * y, {
  linear: "each argument",
  linearTerms: (node, s, maps) => {
    const [a, b] = node.args as [Expr, Expr];
    if (maps.containsSeed(a) && maps.containsSeed(b)) throw new Error(NOT_LINEAR);
    const [d, x] = maps.containsSeed(a) ? [b, a] : [a, b];
    return maps.scaled(x, d, s, false);
  },
});

// x/0 is infinite or NaN: evaluation reports it as outside the domain.
export const hadamardDivision = entrywiseOperator("hdiv", { unicode: "⊘", latex: "\\oslash", ascii: "./", numpy: "/" }, (x, y) => x / y, {
  linear: "the first argument",
  poleAtZero: "the divisor",
  linearTerms: (node, s, maps) => {
    const [x, d] = node.args as [Expr, Expr];
    if (maps.containsSeed(d)) throw new Error(NOT_LINEAR);
    return maps.scaled(x, d, s, true);
  },
});
