import type { FunctionSpec } from "./spec.js";
import { trace } from "./trace.js";
import { determinant, logDeterminant } from "./determinant.js";
import { log, exp, sqrt, abs } from "./scalarFunctions.js";
import { norm } from "./norm.js";

/** Every function matcalc computes with. */
export const FUNCTIONS: readonly FunctionSpec[] = [trace, determinant, logDeterminant, log, exp, sqrt, abs, norm];

const byName = new Map(FUNCTIONS.map((f) => [f.fn, f]));

export function functionSpec(fn: string): FunctionSpec | undefined {
  return byName.get(fn);
}

/**
 * Names the parser reads as functions but whose shapes and derivatives are not built yet:
 * they parse, and then the answer is "not supported", never a guess.
 */
export const PLANNED_FUNCTIONS: readonly string[] = [
  "sin", "cos", "tanh", "sigmoid", "softplus", "relu", "softmax", "logsumexp", "sum", "diag",
  "kron", "dot", "hadamard", "hdiv", "ones",
];
