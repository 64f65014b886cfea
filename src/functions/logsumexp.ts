import { Matrix } from "ml-matrix";
import { type FunctionSpec, byName } from "./spec.js";
import { SCALAR } from "../shapes/shape.js";
import { entries, requireVector } from "./softmax.js";

/** logsumexp(x) = log Σᵢexp(xᵢ), computed as max x + log Σᵢexp(xᵢ − max x). */
const PRINTED = byName("logsumexp", (a) => `_logsumexp(${a})`);

export const logsumexp: FunctionSpec = {
  fn: "logsumexp",
  words: ["logsumexp"],
  latex: [],
  arity: 1,
  shape: ([a], dims, node) => (requireVector("logsumexp", a!, dims, node), SCALAR),
  evaluate: ([a]) => {
    const x = entries(a!);
    const top = Math.max(...x);
    return new Matrix([[top + Math.log(x.reduce((s, v) => s + Math.exp(v - top), 0))]]);
  },
  print: (format, [a]) => PRINTED[format](a!),
};
