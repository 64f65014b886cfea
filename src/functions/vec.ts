import { Matrix } from "ml-matrix";
import { type FunctionSpec, byName } from "./spec.js";

/** The columns of m stacked into one column. */
export function vecOf(m: Matrix): Matrix {
  const out = new Matrix(m.rows * m.columns, 1);
  for (let j = 0; j < m.columns; j++) for (let i = 0; i < m.rows; i++) out.set(j * m.rows + i, 0, m.get(i, j));
  return out;
}

/**
 * vec(X): the columns of X stacked into one column, of length rows·cols. It is how derivatives of
 * matrices by matrices are written (∂vec(F)/∂vec(X), NOTATION.md); vec(x) of a column is x.
 */
const PRINTED = byName("vec", (a) => `${a}.reshape(-1, 1, order="F")`);

export const vec: FunctionSpec = {
  fn: "vec",
  words: ["vec"],
  latex: [],
  arity: 1,
  algebra: {
    linear: "each argument",
    identityOnColumns: true,
    // vec(E): the terms of E, as M terms unless E is a vector.
    linearTerms: ({ args: [arg] }, _s, maps) => {
      const a = maps.shape(arg!);
      if (a[1] === 1) return maps.terms(arg!);
      return maps.terms(arg!).map((t) => maps.asM(t, a));
    },
  },
  shape: ([a], dims) => [dims.product(a![0], a![1]), 1],
  evaluate: ([a]) => vecOf(a!),
  print: (format, [a]) => PRINTED[format](a!),
};
