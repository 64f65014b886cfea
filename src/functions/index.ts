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
import { prime } from "./prime.js";
import { mean } from "./mean.js";

const registered: FunctionSpec[] = [];
const byName = new Map<string, FunctionSpec>();
const readers: ((f: FunctionSpec) => void)[] = [];

/** Every function matcalc computes with, in the order registered. */
export const FUNCTIONS: readonly FunctionSpec[] = registered;

/**
 * Makes a function known to the parser, the shape checker, the evaluator, the printers and the
 * simplifier (which read its `algebra`); its derivative is a line of rules/derivatives.ts.
 */
export function registerFunction(spec: FunctionSpec): void {
  if (byName.has(spec.fn)) throw new Error(`internal: two functions are named ${spec.fn}`);
  registered.push(spec);
  byName.set(spec.fn, spec);
  for (const read of readers) read(spec);
}

/** Calls `read` on every function, those registered so far and those registered later (the parser's word tables). */
export function readEachFunction(read: (f: FunctionSpec) => void): void {
  for (const f of registered) read(f);
  readers.push(read);
}

export function functionSpec(fn: string): FunctionSpec | undefined {
  return byName.get(fn);
}

for (const f of [
  trace, determinant, logDeterminant, ...ELEMENTWISE, norm,
  hadamard, hadamardDivision, kronecker, inner, diag, sum, mean, ones, softmax, logsumexp, vec, prime,
]) registerFunction(f);
