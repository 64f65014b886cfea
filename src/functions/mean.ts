import { Matrix } from "ml-matrix";
import { type FunctionSpec, byName } from "./spec.js";
import { SCALAR } from "../shapes/shape.js";
import { type Dim, type Expr, call, div, num, product, sym } from "../ast.js";

// mean(A): the average of A's entries, as ML losses are written (mean((Xw − y)²)). It is read as
// sum(A)/(mn) before anything else sees it (src/derive/gradient.ts), so that answers come in the
// textbook's form, 2/m·Xᵀ(Xw − y), and every rule of sum applies.

const size = (d: Dim): Expr => (typeof d === "number" ? num(d) : sym(d));

const PRINTED = byName("mean", (a) => `np.mean(${a})`);

export const mean: FunctionSpec = {
  fn: "mean",
  words: ["mean"],
  latex: [],
  arity: 1,
  algebra: {
    linear: "each argument",
    writtenAs: ([a], [[rows, cols]]) => {
      const count = [rows, cols].filter((d) => d !== 1).map(size);
      return count.length ? div(call("sum", [a!]), product(count)) : a!;
    },
  },
  shape: () => SCALAR,
  evaluate: ([a]) => new Matrix([[a!.sum() / (a!.rows * a!.columns)]]),
  print: (format, [a]) => PRINTED[format](a!),
};
