import { Matrix } from "ml-matrix";
import { rational } from "../ast.js";
import { type Algebra, type FunctionSpec, type Format, barred, byName } from "./spec.js";
import { isScalar } from "../shapes/shape.js";

// Functions of a number, applied entry by entry to vectors and matrices (NOTATION.md: `log` of a
// matrix is elementwise, as in NumPy; plain on scalars). Their derivatives are rules in
// rules/derivatives.ts: the scalar rule first (G/α), then the elementwise one (G ⊘ A).
//
// Kinks. relu and |·| have no derivative at 0; matcalc answers with a subgradient there:
//   relu′(x) = step(x), with step(0) = 0 (as PyTorch and JAX do);
//   |x|′ = sign(x), with sign(0) = 0.
// step and sign are themselves functions here (their derivative is 0 wherever it exists), so that
// every derivative matcalc prints is an expression it can also evaluate and differentiate.

/** A function of a number applied entry by entry; `algebra` adds what else holds of it (f ≥ 0, a kink at 0). */
export function elementwise(
  fn: string,
  words: string[],
  latex: string[],
  f: (x: number) => number,
  printed: Record<Format, (a: string, scalar: boolean) => string>,
  algebra: Algebra = {},
): FunctionSpec {
  return {
    fn,
    algebra: { commutesWithTranspose: true, entrywise: true, ...algebra },
    words,
    latex,
    arity: 1,
    shape: ([a]) => a!,
    evaluate: ([a]) => {
      const out = new Matrix(a!.rows, a!.columns);
      for (let i = 0; i < a!.rows; i++) for (let j = 0; j < a!.columns; j++) out.set(i, j, f(a!.get(i, j)));
      return out;
    },
    // |a| only where the printer knows a is a scalar: |X| of a matrix reads back as a determinant,
    // so without a context it is abs(a), which reads back the same either way.
    print: (format, [a], _node, shapes) => printed[format](a!, shapes ? isScalar(shapes.args[0]!) : false),
  };
}

/** A function LaTeX has a macro for: \log \exp \sin \cos \tanh. */
const macro = (word: string, numpy: string) => byName(word, (a) => `${numpy}(${a})`, true);

/** The logistic function 1/(1 + e⁻ˣ), without overflow for large |x|. */
function logistic(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

export const log = elementwise("log", ["log", "ln"], ["\\log", "\\ln"], Math.log, macro("log", "np.log"), { poleAtZero: "the argument" });

export const exp = elementwise("exp", ["exp"], ["\\exp"], Math.exp, macro("exp", "np.exp"), { nonNegative: true });

export const sqrt = elementwise("sqrt", ["sqrt"], ["\\sqrt"], Math.sqrt, {
  unicode: (a) => `√(${a})`,
  latex: (a) => `\\sqrt{${a}}`,
  ascii: (a) => `sqrt(${a})`,
  numpy: (a) => `np.sqrt(${a})`,
}, { nonNegative: true, scalarPower: rational(1, 2), poleAtZero: "the argument" });

/** |a| of a scalar; abs(x) of a vector or matrix (|X| would be a determinant). */
export const abs = elementwise("abs", ["abs"], [], Math.abs, {
  unicode: (a, scalar) => (scalar ? `|${barred(a)}|` : `abs(${a})`),
  latex: (a, scalar) => (scalar ? `\\left|${a}\\right|` : `\\operatorname{abs}\\left(${a}\\right)`),
  ascii: (a) => `abs(${a})`,
  numpy: (a) => `np.abs(${a})`,
}, { nonNegative: true, kinkAtZero: true });

export const sin = elementwise("sin", ["sin"], ["\\sin"], Math.sin, macro("sin", "np.sin"));

export const cos = elementwise("cos", ["cos"], ["\\cos"], Math.cos, macro("cos", "np.cos"));

export const tanh = elementwise("tanh", ["tanh"], ["\\tanh"], Math.tanh, macro("tanh", "np.tanh"));

/**
 * σ(x) = 1/(1 + e⁻ˣ), written sigmoid(x): a bare σ is a symbol. NumPy: the module's _sigmoid,
 * e^min(x, 0)/(1 + e^−|x|), which neither overflows nor loses the small values of negative x
 * (½(1 + tanh(x/2)) is 0 at x = −40).
 */
export const sigmoid = elementwise("sigmoid", ["sigmoid"], [], logistic, byName("sigmoid", (a) => `_sigmoid(${a})`), { nonNegative: true });

/** softplus(x) = log(1 + eˣ), computed as max(x, 0) + log(1 + e^−|x|) (NumPy: the module's _softplus). */
export const softplus = elementwise(
  "softplus",
  ["softplus"],
  [],
  (x) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x))),
  byName("softplus", (a) => `_softplus(${a})`),
  { nonNegative: true },
);

/** relu(x) = max(x, 0). */
export const relu = elementwise("relu", ["relu"], [], (x) => Math.max(x, 0), byName("relu", (a) => `np.maximum(${a}, 0.0)`), {
  nonNegative: true,
  kinkAtZero: true,
});

/** step(x) = 1 for x > 0, 0 for x ≤ 0: relu′, with relu′(0) := 0. */
export const step = elementwise("step", ["step", "heaviside"], [], (x) => (x > 0 ? 1 : 0), byName("step", (a) => `np.heaviside(${a}, 0.0)`), {
  nonNegative: true,
  kinkAtZero: true,
});

/** sign(x) ∈ {−1, 0, 1}: |x|′, with sign(0) = 0. */
export const sign = elementwise("sign", ["sign", "sgn"], [], (x) => Math.sign(x) + 0, byName("sign", (a) => `np.sign(${a})`), { kinkAtZero: true });

export const ELEMENTWISE: readonly FunctionSpec[] = [log, exp, sqrt, abs, sin, cos, tanh, sigmoid, softplus, relu, step, sign];
