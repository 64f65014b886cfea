import { Matrix } from "ml-matrix";
import { type FunctionSpec, type Format, barred } from "./spec.js";
import { SCALAR } from "../shapes/shape.js";
import { requireScalar } from "./checks.js";
import { scalarValue } from "./spec.js";

// Functions of a scalar. On vectors and matrices they are elementwise (NOTATION.md);
// that reading is not supported yet, and the shape rule says so rather than guess.
function scalarFunction(
  fn: string,
  words: string[],
  latex: string[],
  f: (x: number) => number,
  printed: Record<Format, (a: string) => string>,
): FunctionSpec {
  return {
    fn,
    words,
    latex,
    arity: 1,
    shape: ([a], dims, node) => (requireScalar(fn, a!, dims, node), SCALAR),
    evaluate: ([a]) => new Matrix([[f(scalarValue(a!))]]),
    print: (format, [a]) => printed[format](a!),
  };
}

export const log = scalarFunction("log", ["log", "ln"], ["\\log", "\\ln"], Math.log, {
  unicode: (a) => `log(${a})`,
  latex: (a) => `\\log\\left(${a}\\right)`,
  ascii: (a) => `log(${a})`,
  numpy: (a) => `np.log(${a})`,
});

export const exp = scalarFunction("exp", ["exp"], ["\\exp"], Math.exp, {
  unicode: (a) => `exp(${a})`,
  latex: (a) => `\\exp\\left(${a}\\right)`,
  ascii: (a) => `exp(${a})`,
  numpy: (a) => `np.exp(${a})`,
});

export const sqrt = scalarFunction("sqrt", ["sqrt"], ["\\sqrt"], Math.sqrt, {
  unicode: (a) => `√(${a})`,
  latex: (a) => `\\sqrt{${a}}`,
  ascii: (a) => `sqrt(${a})`,
  numpy: (a) => `np.sqrt(${a})`,
});

export const abs = scalarFunction("abs", ["abs"], [], Math.abs, {
  unicode: (a) => `|${barred(a)}|`,
  latex: (a) => `\\left|${a}\\right|`,
  ascii: (a) => `abs(${a})`,
  numpy: (a) => `np.abs(${a})`,
});
