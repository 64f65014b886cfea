import { Matrix } from "ml-matrix";
import type { FunctionSpec } from "./spec.js";

/** A ⊗ B: (mp)×(nq) for A m×n and B p×q. Its sizes are products of dimensions ("m·p"). */
export const kronecker: FunctionSpec = {
  fn: "kron",
  words: ["kron"],
  latex: [],
  arity: 2,
  algebra: { linear: "each argument", commutesWithTranspose: true, scalarsMultiply: true, identityOfIdentities: true },
  infix: ["unicode", "latex"],
  shape: ([a, b], dims) => [dims.product(a![0], b![0]), dims.product(a![1], b![1])],
  evaluate: ([a, b]) => kron(a!, b!),
  print: (format, [a, b]) =>
    ({ unicode: `${a} ⊗ ${b}`, latex: `${a} \\otimes ${b}`, ascii: `kron(${a}, ${b})`, numpy: `np.kron(${a}, ${b})` })[format],
};

export function kron(a: Matrix, b: Matrix): Matrix {
  const out = new Matrix(a.rows * b.rows, a.columns * b.columns);
  for (let i = 0; i < a.rows; i++)
    for (let j = 0; j < a.columns; j++) {
      const aij = a.get(i, j);
      for (let k = 0; k < b.rows; k++)
        for (let l = 0; l < b.columns; l++) out.set(i * b.rows + k, j * b.columns + l, aij * b.get(k, l));
    }
  return out;
}
