// What a derivation returns, as types only: the numeric check (src/numeric/verify.ts) and the
// printers (src/print/json.ts) read a result without importing the API that makes one.
import type { Expr } from "./ast.js";
import type { Context } from "./context.js";
import type { Step } from "./derive/gradient.js";
import type { Layout } from "./derive/jacobian.js";
import type { Shape } from "./shapes/shape.js";

export interface DeriveResult {
  readonly ctx: Context;
  /** The input, parsed and shape-checked. */
  readonly expression: Expr;
  readonly wrt: string;
  /**
   * The derivative, simplified: ∂L/∂wrt of a scalar (the variable's shape), the Jacobian
   * ∂y/∂x of vectors (J_ij = ∂y_i/∂x_j), ∂F/∂α by a scalar (F's shape), ∂vec(F)/∂vec(X)
   * otherwise; with order 2, the Hessian. The name is historical: it is not always a gradient.
   */
  readonly gradient: Expr;
  /** The derivative's shape (products of dimensions, m·n, in vec–Kronecker form). */
  readonly shape: Shape;
  /** How the derivative is laid out (see LAYOUT_NOTES). */
  readonly layout: Layout;
  /** 1 or 2. */
  readonly order: 1 | 2;
  /** For a Jacobian, Hessian or ∂F/∂α: the identities of rules/linear-maps.ts it was read off with. */
  readonly identities: readonly string[];
  readonly steps: readonly Step[];
  readonly notes: readonly string[];
  /** How the answer compared with finite differences (absent with `verify: false`). */
  readonly verification?: Verification;
}

export type Verification =
  /** At `instances` instances where the function is defined, away from its kinks and poles. */
  | { readonly verdict: "agrees"; readonly instances: number }
  /** At an instance where the function is defined: the answer differs, or has no value. */
  | { readonly verdict: "disagrees"; readonly instances: number; readonly maxError: number; readonly reason?: string }
  | { readonly verdict: "unchecked"; readonly reason: string };
