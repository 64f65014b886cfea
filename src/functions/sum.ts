import { Matrix } from "ml-matrix";
import { type FunctionSpec, byName } from "./spec.js";
import { SCALAR, type Shape } from "../shapes/shape.js";
import { type Expr, mul, ones, transpose } from "../ast.js";

/** sum(A): the sum of all entries, 𝟙ᵀA𝟙 (𝟙ᵀx for a vector, xᵀ𝟙 for a row, α for a scalar). */
function unfold([a]: readonly Expr[], [s]: readonly Shape[]): Expr {
  let e = a!;
  if (s![0] !== 1) e = mul(transpose(ones(s![0])), e);
  if (s![1] !== 1) e = mul(e, ones(s![1]));
  return e;
}

const PRINTED = byName("sum", (a) => `np.sum(${a})`);

export const sum: FunctionSpec = {
  fn: "sum",
  words: ["sum"],
  latex: [],
  arity: 1,
  algebra: { linear: "each argument", unfold },
  shape: () => SCALAR,
  evaluate: ([a]) => new Matrix([[a!.sum()]]),
  print: (format, [a]) => PRINTED[format](a!),
};
