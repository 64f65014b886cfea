import type { FunctionSpec } from "./spec.js";
import { trace } from "./trace.js";
import { determinant, logDeterminant } from "./determinant.js";
import { ELEMENTWISE } from "./elementwise.js";
import { norm } from "./norm.js";
import { hadamard, hadamardDivision } from "./hadamard.js";
import { kronecker } from "./kronecker.js";
import { inner } from "./inner.js";
import { diag } from "./diag.js";
import { sum } from "./sum.js";
import { ones } from "./ones.js";
import { softmax } from "./softmax.js";
import { logsumexp } from "./logsumexp.js";
import { vec } from "./vec.js";

/** Every function matcalc computes with. */
export const FUNCTIONS: readonly FunctionSpec[] = [
  trace, determinant, logDeterminant, ...ELEMENTWISE, norm,
  hadamard, hadamardDivision, kronecker, inner, diag, sum, ones, softmax, logsumexp, vec,
];

const byName = new Map(FUNCTIONS.map((f) => [f.fn, f]));

export function functionSpec(fn: string): FunctionSpec | undefined {
  return byName.get(fn);
}
