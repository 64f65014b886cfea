import type { Dim, Expr, Rational } from "../ast.js";
import type { Matrix } from "ml-matrix";
import { type Dims, type Shape } from "../shapes/shape.js";
import type { LinearMapName } from "../../rules/linear-maps.js";

export type Format = "unicode" | "latex" | "ascii" | "numpy";

/** What a printer knows of a call's shapes when it has a context (abs prints |a| only for a scalar a). */
export interface PrintShapes {
  readonly args: readonly Shape[];
  readonly result: Shape;
}

/**
 * One term of a linear map S(G) of the seed G: L·G·Rᵀ ("G"), L·Gᵀ·Rᵀ ("Gt"), L and R undefined
 * where they are identities (or a scalar standing for a multiple of one); or vec(term) = M·vec(G) ("M").
 */
export type LinearTerm =
  | { readonly kind: "G" | "Gt"; readonly L?: Expr; readonly R?: Expr }
  | { readonly kind: "M"; readonly M: Expr };

/** What src/derive/jacobian.ts lends a function's linearTerms. */
export interface LinearMaps {
  /** G's shape. */
  readonly seedShape: Shape;
  containsSeed(e: Expr): boolean;
  shape(e: Expr): Shape;
  /** The terms of an expression linear in G. */
  terms(e: Expr): LinearTerm[];
  /** d ⊙ x, or x ⊘ d when `divide`, for x linear in G; s is the result's shape. */
  scaled(x: Expr, d: Expr, s: Shape, divide: boolean): LinearTerm[];
  /** A term of shape s as M·vec(G). */
  asM(t: LinearTerm, s: Shape): LinearTerm;
  /** Records the identity of rules/linear-maps.ts a step rests on. */
  cite(name: LinearMapName): void;
}

/**
 * What the simplifier and the Jacobian code may assume of a function: its identities as data, read
 * where they used to be switches on its name. A fact left out is never assumed.
 */
export interface Algebra {
  /** f(A)ᵀ = f(Aᵀ), argument by argument: every function applied entry by entry, ⊗, matrix functions such as adj. */
  readonly commutesWithTranspose?: boolean;
  /** Applied to each entry on its own (log, tanh, σ): its derivative f′ is one too, read as f′(u). */
  readonly entrywise?: boolean;
  /** f(A) ≥ 0 wherever it is defined (so √(f²) = f). */
  readonly nonNegative?: boolean;
  /** Linear in each argument (tr, ⊙, ⊗), or in the first only (A ⊘ B): naming an argument explains nothing. */
  readonly linear?: "each argument" | "the first argument";
  /** f(x) = x of a column x: vec(x) = x. */
  readonly identityOnColumns?: boolean;
  /** With a scalar argument, a product: α ⊗ B = αB (of two arguments). */
  readonly scalarsMultiply?: boolean;
  /** f(I, I) = I: I ⊗ I = I. */
  readonly identityOfIdentities?: boolean;
  /** Its square values are symmetric: diag(x) is diagonal. */
  readonly symmetric?: boolean;
  /** Of a scalar argument, a power of it: √α = α^{1/2}. */
  readonly scalarPower?: Rational;
  /**
   * The function in the normal form's own terms (products, ᵀ, tr, 𝟙), which the simplifier reads
   * instead: ⟨A, B⟩ = tr(AᵀB), sum(A) = 𝟙ᵀA𝟙.
   */
  readonly unfold?: (args: readonly Expr[], shapes: readonly Shape[]) => Expr;
  /**
   * What it abbreviates, written out as soon as it is read (mean(A) = sum(A)/(mn)): nothing after
   * the reader sees the function, and answers come in the written-out form.
   */
  readonly writtenAs?: (args: readonly Expr[], shapes: readonly Shape[]) => Expr;
  /** Its square in those terms, where it has one: ‖A‖² = tr(AᵀA) (‖x‖₁² has none). */
  readonly square?: (call: Expr) => Expr | undefined;
  /** f(Aᵀ) = f(A) where both are defined: |Aᵀ| = |A| (MC (18)), ‖Aᵀ‖ = ‖A‖, diag(Xᵀ) = diag(X). */
  readonly transposeInvariant?: boolean;
  /** f(A⁻¹) from f(A): 1/f(A) (|A⁻¹| = 1/|A|, MC (19)) or −f(A) (log|A⁻¹| = −log|A|). */
  readonly ofInverse?: "reciprocal" | "negated";
  /**
   * Which subscripts name another function: ‖x‖₁ is not ‖x‖ (= ‖x‖₂ = ‖x‖_F). The subscript kept,
   * or undefined when the subscript only restates the default.
   */
  readonly subscript?: (sub: string | undefined) => string | undefined;
  /**
   * Its Jacobian form: the terms of S(G) when S(G) is a call of it, linear in the seed G
   * (src/derive/jacobian.ts). A function that derivative rules put into adjoints (⊙ ⊘ diag vec)
   * needs it; without it such a derivative is "not supported".
   */
  readonly linearTerms?: (call: Expr, shape: Shape, maps: LinearMaps) => LinearTerm[];
  /**
   * Where 0 is a pole or a branch point (log x, √x, 1/x), whose higher derivatives blow up as it
   * nears: the entries of a vector or matrix argument, or the divisor (A ⊘ B).
   */
  readonly poleAtZero?: "the argument" | "the divisor";
  /** Not differentiable where its argument is 0 (a kink; ‖x‖₁ only): finite differences must not straddle it. */
  readonly kinkAtZero?: boolean | ((call: Expr) => boolean);
}

/** Whether f is linear in its argument number i. */
export function isLinearIn(f: FunctionSpec | undefined, i: number): boolean {
  const linear = f?.algebra?.linear;
  return linear === "each argument" || (linear === "the first argument" && i === 0);
}

/** Whether this call of f has a kink where its argument is 0. */
export function hasKinkAtZero(f: FunctionSpec | undefined, call: Expr): boolean {
  const kink = f?.algebra?.kinkAtZero;
  return typeof kink === "function" ? kink(call) : !!kink;
}

/**
 * One function, one place (as KaTeX's src/functions): how it is spelled, its shape rule,
 * its value, how it prints, its algebra. Its derivative is a line in rules/derivatives.ts.
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
  readonly algebra?: Algebra;
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
