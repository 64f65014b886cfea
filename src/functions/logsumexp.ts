import { Matrix } from "ml-matrix";
import type { FunctionSpec } from "./spec.js";
import { SCALAR } from "../shapes/shape.js";
import { groups, printedByGroup, requireVectorOrMatrix } from "./softmax.js";

/** log Σᵢexp(xᵢ), computed as max x + log Σᵢexp(xᵢ − max x). */
function logsumexpOf(x: number[]): number {
  const top = Math.max(...x);
  return top + Math.log(x.reduce((s, v) => s + Math.exp(v - top), 0));
}

/** logsumexp(x) = log Σᵢexp(xᵢ); of an m×n matrix, the m-vector of its rows' logsumexp. */
export const logsumexp: FunctionSpec = {
  fn: "logsumexp",
  words: ["logsumexp"],
  latex: [],
  arity: 1,
  shape: ([a], dims, node) => {
    const s = requireVectorOrMatrix("logsumexp", a!, dims, node);
    return s[1] === 1 ? SCALAR : [s[0], 1];
  },
  evaluate: ([a]) => Matrix.columnVector(groups(a!).map(logsumexpOf)),
  print: printedByGroup("logsumexp"),
};
