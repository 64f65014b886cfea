import type { Dim, Expr } from "../ast.js";
import type { Matrix } from "ml-matrix";
import { type Dims, type Shape } from "../shapes/shape.js";

export type Format = "unicode" | "latex" | "ascii" | "numpy";

/** What a printer knows of a call's shapes when it has a context (abs prints |a| only for a scalar a). */
export interface PrintShapes {
  readonly args: readonly Shape[];
  readonly result: Shape;
}

/**
 * One function, one place (as KaTeX's src/functions): how it is spelled, its shape rule,
 * its value, how it prints. Its derivative is a line in rules/derivatives.ts.
 */
export interface FunctionSpec {
  /** Canonical name, as in the AST's `fn`. */
  readonly fn: string;
  /** Words that name it (`tr`, `Tr`, `trace`) and LaTeX macros (`\operatorname{tr}` is read as the word). */
  readonly words: readonly string[];
  readonly latex: readonly string[];
  readonly arity: number;
  /**
   * The formats in which it is written between its two operands (⊙ ⊘ ⊗): the printer brackets
   * the operands as the grammar reads `Term op Factor`.
   */
  readonly infix?: readonly Exclude<Format, "numpy">[];
  /** The result's shape from the arguments' (resolved) shapes; throws a shape error. */
  shape(args: readonly Shape[], dims: Dims, node: Expr): Shape;
  /** `size` gives the number a dimension has at the instance (for 𝟙, whose size is its node's `dim`). */
  evaluate(args: readonly Matrix[], node: Expr, size: (d: Dim) => number): Matrix;
  /** Prints from already printed arguments; `shapes` when the printer has a context. */
  print(format: Format, args: readonly string[], node: Expr, shapes?: PrintShapes): string;
}

/** An argument between bars that has bars of its own is bracketed: ‖αA(‖x‖Ax)‖, not ‖αA‖x‖Ax‖. */
export const barred = (a: string): string => (/[|‖]/.test(a) ? `(${a})` : a);

/**
 * A one-argument function written name(a) in Unicode and ASCII, and in LaTeX
 * \operatorname{name}\left(a\right), or \name\left(a\right) where LaTeX has the macro (\log, \sin).
 */
export function byName(word: string, numpy: (a: string) => string, latexMacro = false): Record<Format, (a: string) => string> {
  return {
    unicode: (a) => `${word}(${a})`,
    latex: (a) => (latexMacro ? `\\${word}` : `\\operatorname{${word}}`) + `\\left(${a}\\right)`,
    ascii: (a) => `${word}(${a})`,
    numpy,
  };
}
