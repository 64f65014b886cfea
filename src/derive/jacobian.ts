// Jacobians, Hessians and derivatives of matrices, read off the reverse-mode engine.
//
// For F = F(X), the adjoint engine (gradient.ts) computes, for a seed G = ∂L/∂F of F's shape, the
// share X receives: S(G) = Jᵀ(G), linear in G, where J = ∂vec(F)/∂vec(X) (vec stacks columns).
// With G a symbol, S is an expression; this file writes it as a sum of terms L·G·Rᵀ, L·Gᵀ·Rᵀ
// or M·vec(G), by the identities of rules/linear-maps.ts (each step cites the one it uses), and
//
//   vec(L G Rᵀ) = (R ⊗ L) vec(G),  so  J = Σ (R ⊗ L)ᵀ = Σ Rᵀ ⊗ Lᵀ          (MC (520))
//
// where a Kronecker product with a 1×1 factor, or of a column and a row, is an ordinary
// product: for y ∈ ℝᵐ and x ∈ ℝⁿ every term is L·G·r with r a scalar, and J = Σ r·Lᵀ is the m×n
// Jacobian J_ij = ∂y_i/∂x_j.
//   - By a scalar α, the derivative of F is ∂F/∂α, of F's shape (MC (59)): S(G) is a scalar
//     linear form ⟨G, D⟩ and D = ∂S/∂G is found by differentiating S by G.
//   - The Hessian of a scalar f by x is the Jacobian of ∇f (MC (98)); by a matrix X it is the
//     vec–Kronecker matrix ∂vec(∇f)/∂vec(X).
// Where no such form exists (the commutation matrix vec(Xᵀ) = K vec(X), the selection matrices
// of diag), the answer is "not supported", never a guess.

import { type Expr, add, call, identity, inv, isZero, key, mul, neg, num, product, sym, transpose, div } from "../ast.js";
import type { Context } from "../context.js";
import { MatcalcError, unsupported } from "../errors.js";
import { inferShapes, shapeOf } from "../shapes/infer.js";
import { type Shape, isScalar, showShape } from "../shapes/shape.js";
import { simplify, simplifyLocally } from "../simplify/simplify.js";
import { type Step, adjoint, gradient } from "./gradient.js";
import { type LinearMapName, citation } from "../../rules/linear-maps.js";
import { functionSpec } from "../functions/index.js";
import type { LinearMaps, LinearTerm } from "../functions/spec.js";

/** What the result of `derivative` is, and how its entries are laid out. */
export type Layout =
  | "gradient" // ∂f/∂X of a scalar f: X's shape
  | "jacobian" // ∂y/∂x of vectors: J_ij = ∂y_i/∂x_j
  | "by-scalar" // ∂F/∂α: F's shape
  | "vec"; // ∂vec(F)/∂vec(X), vec stacking columns

export interface Derivative {
  /** Unsimplified. */
  readonly derivative: Expr;
  readonly shape: Shape;
  readonly layout: Layout;
  readonly steps: readonly Step[];
  /** The identities of rules/linear-maps.ts the result was read off with, as "left = right  [source]". */
  readonly identities: readonly string[];
}

/** Records which identities of rules/linear-maps.ts a derivation rests on. */
class Citations {
  readonly used = new Set<string>();
  cite(name: LinearMapName): void {
    this.used.add(citation(name));
  }
}

/** Words for a layout, for notes and JSON. */
export const LAYOUT_NOTES: Record<Layout, string> = {
  gradient: "the gradient, shaped like the variable",
  jacobian: "the Jacobian J with J_ij = ∂y_i/∂x_j",
  "by-scalar": "∂F/∂α entry by entry, shaped like F",
  vec: "vec–Kronecker form ∂vec(F)/∂vec(X), vec stacking columns (MC (520))",
};

/** The name of the seed G: a symbol no input can spell. */
const SEED = "𝒢";


/** A context with the seed G declared, sharing the dimensions (and so the sizes) of ctx. */
function withSeed(ctx: Context, shape: Shape): Context {
  const symbols = new Map(ctx.symbols);
  symbols.set(SEED, { name: SEED, shape, properties: new Set(), declared: true });
  return { symbols, dims: ctx.dims, definitionOrder: ctx.definitionOrder, memo: new Map() };
}

/**
 * ∂F/∂X for any F: the gradient of a scalar, the Jacobian of a vector by a vector, ∂F/∂α by a
 * scalar, and otherwise the vec–Kronecker matrix ∂vec(F)/∂vec(X).
 */
export function derivative(expr: Expr, wrt: string, ctx: Context): Derivative {
  const F = shapeOf(expr, ctx);
  const info = ctx.symbols.get(wrt);
  if (!info) throw new MatcalcError(`\`${wrt}\` does not occur in the expression`, undefined, undefined, "name");
  const X = ctx.dims.resolveShape(info.shape);
  if (isScalar(F)) {
    const g = gradient(expr, wrt, ctx);
    return { derivative: g.gradient, shape: g.shape, layout: "gradient", steps: g.steps, identities: [] };
  }
  const inner = withSeed(ctx, F);
  const seed = sym(SEED);
  const share = adjoint(expr, wrt, inner, seed);
  const S = simplifyLocally(share.gradient, inner);
  if (isScalar(X)) {
    // S = ⟨G, D⟩: D = ∂S/∂G is ∂F/∂α.
    const d = isZero(S) ? num(0) : gradient(S, SEED, inner).gradient;
    const citations = new Citations();
    citations.cite("a linear form of any coefficient");
    return { derivative: d, shape: F, layout: "by-scalar", steps: share.steps, identities: [...citations.used] };
  }
  const citations = new Citations();
  // A term with a zero factor (sin(W − W)ᵀG, its 0 standing for an m×n zero) is no term.
  const vanishes = (t: LinearTerm) => (t.kind === "M" ? isZero(t.M) : (t.L !== undefined && isZero(t.L)) || (t.R !== undefined && isZero(t.R)));
  const terms = isZero(S) ? [] : new SeedTerms(inner, F, citations).terms(S).filter((t) => !vanishes(t));
  const J = add(terms.length ? groupKronecker(terms.map((t) => jacobianTerm(t, F, X, inner, citations)), inner) : [num(0)]);
  const vector = (s: Shape) => s[1] === 1;
  const layout: Layout = vector(F) && vector(X) ? "jacobian" : "vec";
  const shape: Shape = [ctx.dims.product(F[0], F[1]), ctx.dims.product(X[0], X[1])];
  return { derivative: J, shape, layout, steps: share.steps, identities: [...citations.used] };
}

/** The Hessian of a scalar f: the Jacobian of its gradient (MC (96)–(98)); vec–Kronecker by a matrix. */
export function hessian(expr: Expr, wrt: string, ctx: Context): Derivative {
  const F = shapeOf(expr, ctx);
  if (!isScalar(F))
    throw unsupported(`a second derivative of a ${showShape(F)} expression (a third-order array); --order 2 takes a scalar expression`, expr.span);
  const g = gradient(expr, wrt, ctx);
  const first = inferShapes(simplify(g.gradient, ctx), ctx).expr;
  const info = ctx.symbols.get(wrt)!;
  const X = ctx.dims.resolveShape(info.shape);
  if (isZero(first)) {
    const n = ctx.dims.product(X[0], X[1]);
    return { derivative: num(0), shape: [n, n], layout: isScalar(X) ? "gradient" : X[1] === 1 ? "jacobian" : "vec", steps: g.steps, identities: [] };
  }
  const d = derivative(first, wrt, ctx);
  return { ...d, steps: [...g.steps, ...d.steps] };
}


// ---------- S(G) as a sum of L·G·Rᵀ, L·Gᵀ·Rᵀ and M·vec(G) ----------

/** S(G) read term by term (LinearTerm, src/functions/spec.ts). */
class SeedTerms implements LinearMaps {
  private readonly has = new Map<Expr, boolean>();

  constructor(
    private readonly ctx: Context,
    /** G's shape. */
    readonly seedShape: Shape,
    private readonly citations: Citations,
  ) {}

  cite(name: LinearMapName): void {
    this.citations.cite(name);
  }

  containsSeed(e: Expr): boolean {
    let known = this.has.get(e);
    // From the children's answers, each kept: a subtree is read once however deep the adjoint.
    if (known === undefined) this.has.set(e, (known = e.op === "sym" ? e.name === SEED : e.args.some((a) => this.containsSeed(a))));
    return known;
  }

  shape(e: Expr): Shape {
    return shapeOf(e, this.ctx);
  }

  private typed(e: Expr): Expr {
    return inferShapes(e, this.ctx).expr;
  }

  /** The terms of S, which is linear in G. */
  terms(e: Expr): LinearTerm[] {
    if (!this.containsSeed(e)) return [];
    const s = this.shape(e);
    switch (e.op) {
      case "sym":
        return [{ kind: "G" }];
      case "add":
        return e.args.flatMap((t) => this.terms(t));
      case "neg":
        return this.terms(e.args[0]!).map((t) => (t.kind === "M" ? { kind: "M", M: neg(t.M) } : { ...t, L: t.L ? neg(t.L) : num(-1) }));
      case "transpose": {
        const inner = e.args[0]!;
        const vector = s[0] === 1 || s[1] === 1;
        return this.terms(inner).map((t) => {
          // (L G Rᵀ)ᵀ = R Gᵀ Lᵀ; vec(Eᵀ) = vec(E) for a vector E.
          if (t.kind !== "M") return { kind: t.kind === "G" ? "Gt" : "G", L: t.R, R: t.L };
          this.cite("vec of a transposed product, G a vector");
          if (vector) return t;
          throw unsupported("this derivative needs the commutation matrix K (vec(Xᵀ) = K vec(X)), which matcalc does not print", e.span);
        });
      }
      case "mul":
      case "div":
        return isScalar(s) ? this.scalarForm(e) : this.chain(e);
      case "call":
        return isScalar(s) ? this.scalarForm(e) : this.callTerms(e, s);
      default:
        throw unsupported(`reading a derivative off \`${e.op}\``, e.span);
    }
  }

  /** A product P·g·Q with exactly one factor g containing G: P (L G Rᵀ) Q = (P L) G (Qᵀ R)ᵀ. */
  private chain(e: Expr): LinearTerm[] {
    const factors = flatten(e, this.ctx);
    const at = factors.map((f) => this.containsSeed(f));
    const i = at.indexOf(true);
    if (i < 0 || at.lastIndexOf(true) !== i) throw new Error("internal: the adjoint is not linear in its seed");
    const g = factors[i]!;
    if (isScalar(this.shape(g))) return this.scalarForm(e);
    // Scalar factors come out front: c·P·g·Q.
    const scalar = (f: Expr, j: number) => j !== i && isScalar(this.shape(f));
    const scalars = factors.filter(scalar);
    const before = factors.slice(0, i).filter((f, j) => !scalar(f, j));
    const after = factors.slice(i + 1).filter((f, j) => !scalar(f, j + i + 1));
    const c = scalars.length ? this.typed(product(scalars)) : undefined;
    const P = before.length ? this.typed(product(before)) : undefined;
    const Q = after.length ? this.typed(product(after)) : undefined;
    const times = (x: Expr | undefined): Expr | undefined => (c ? (x ? mul(c, x) : c) : x);
    // diag(v)·q = diag(q)·v and p·diag(v) = (diag(pᵀ)·v)ᵀ for vectors p, q, v.
    if (g.op === "call" && g.fn === "diag" && this.shape(g.args[0]!)[1] === 1) {
      if (Q && this.shape(Q)[1] === 1) this.cite("a diagonal matrix times a vector");
      else if (P && this.shape(P)[0] === 1 && !Q) this.cite("a row times a diagonal matrix");
      if (Q && this.shape(Q)[1] === 1) return this.terms(this.typed(product([...scalars, ...before, call("diag", [Q]), g.args[0]!])));
      if (P && this.shape(P)[0] === 1 && !Q) return this.terms(this.typed(product([...scalars, transpose(mul(call("diag", [transpose(P)]), g.args[0]!))])));
    }
    return this.terms(g).map((t) => {
      if (t.kind === "M") {
        // vec(c P E Q) = c (Qᵀ ⊗ P) vec(E)
        if (!P && !Q) return { kind: "M", M: times(t.M)! };
        this.cite("vec of a product with a Kronecker factor");
        const left = Q ? this.typed(transpose(Q)) : this.identity(this.shape(g)[1]);
        const right = P ?? this.identity(this.shape(g)[0]);
        return { kind: "M", M: times(mul(kronecker(left, right, this.ctx, this.citations), t.M))! };
      }
      const L = P ? (t.L ? mul(P, t.L) : P) : t.L;
      return { kind: t.kind, L: times(L) ?? c, R: Q ? (t.R ? mul(transpose(Q), t.R) : transpose(Q)) : t.R };
    });
  }

  /**
   * A scalar s linear in G, times a constant N: s = ⟨G, D⟩ with D = ∂s/∂G, so
   * vec(s·N) = vec(N)·vec(D)ᵀ·vec(G). When D = p·qᵀ and N = a·bᵀ (each part absent when 1×1),
   * s·N = a·pᵀ·G·q·bᵀ: L = a·pᵀ, R = b·qᵀ.
   */
  private scalarForm(e: Expr): LinearTerm[] {
    const factors = flatten(e, this.ctx);
    const seeded = factors.filter((f) => this.containsSeed(f));
    const one = seeded.length === 1 && isScalar(this.shape(seeded[0]!));
    const s = one ? seeded[0]! : e;
    const rest = one ? factors.filter((f) => f !== s) : [];
    const D = this.typed(simplify(gradient(s, SEED, this.ctx).gradient, this.ctx));
    if (isZero(D)) return [];
    const N = rest.length ? this.typed(product(rest)) : num(1);
    const d = this.rankOne(D);
    const n = this.rankOne(N);
    this.cite("a linear form of any coefficient");
    if (!d || !n) return [{ kind: "M", M: mul(call("vec", [N]), transpose(call("vec", [D]))) }];
    this.cite("a scalar linear form");
    this.cite("a linear form times a vector");
    const L = optionalProduct([n.column, d.column && transpose(d.column)].filter(defined));
    const R = optionalProduct([n.row, d.row && transpose(d.row)].filter(defined));
    return [{ kind: "G", L, R }];
  }

  /** E = column·rowᵀ, each part undefined when it is 1: vectors, scalars and outer products. */
  private rankOne(E: Expr): { column?: Expr; row?: Expr } | undefined {
    const s = this.shape(E);
    if (isScalar(s)) return { column: isOne(E) ? undefined : E };
    if (s[1] === 1) return { column: E };
    if (s[0] === 1) return { row: this.typed(transpose(E)) };
    const factors = flatten(E, this.ctx);
    const matrices: Expr[] = [];
    const scalars: Expr[] = [];
    for (const f of factors) (isScalar(this.shape(f)) ? scalars : matrices).push(f);
    for (let k = 1; k < matrices.length; k++) {
      const left = this.typed(product(matrices.slice(0, k)));
      const right = this.typed(product(matrices.slice(k)));
      if (this.shape(left)[1] === 1 && this.shape(right)[0] === 1)
        return { column: this.typed(product([...scalars, left])), row: this.typed(transpose(right)) };
    }
    return undefined;
  }

  /** A call linear in G: its function's Jacobian form. */
  private callTerms(e: Expr, s: Shape): LinearTerm[] {
    const linearTerms = functionSpec(e.fn!)?.algebra?.linearTerms;
    if (!linearTerms) throw unsupported(`reading a derivative off \`${e.fn}\``, e.span);
    return linearTerms(e, s, this);
  }

  /**
   * d ⊙ x (or x ⊘ d) for x linear in G: diag(d)·x of a column, x·diag(dᵀ) of a row, and
   * diag(vec(d))·vec(x) of a matrix.
   */
  scaled(x: Expr, d: Expr, s: Shape, divide: boolean): LinearTerm[] {
    const column = s[1] === 1;
    const row = s[0] === 1;
    const diagonal = (v: Expr) => (divide ? inv(call("diag", [v])) : call("diag", [v]));
    this.cite(column || row ? (divide ? "a Hadamard quotient of vectors" : "a Hadamard product of vectors") : "a Hadamard product of matrices");
    if (column) return this.terms(x).map((t) => (t.kind === "M" ? { kind: "M", M: mul(diagonal(d), t.M) } : { ...t, L: t.L ? mul(diagonal(d), t.L) : diagonal(d) }));
    if (row)
      return this.terms(x).map((t) => (t.kind === "M" ? { kind: "M", M: mul(diagonal(transpose(d)), t.M) } : { ...t, R: t.R ? mul(diagonal(transpose(d)), t.R) : diagonal(transpose(d)) }));
    return this.terms(x).map((t) => ({ kind: "M", M: mul(diagonal(call("vec", [d])), (this.asM(t, s) as { M: Expr }).M) }));
  }

  /** A term as M·vec(G), for a term of this shape: M = R ⊗ L (with K when G is transposed). */
  asM(t: LinearTerm, s: Shape): LinearTerm {
    if (t.kind === "M") return t;
    return { kind: "M", M: this.typed(transpose(jacobianTerm(t, this.seedShape, s, this.ctx, this.citations))) };
  }

  private identity(n: Shape[0]): Expr {
    return n === 1 ? num(1) : this.typed(identity(n));
  }
}

const defined = <T>(x: T | undefined): x is T => x !== undefined;
const isOne = (e: Expr) => e.op === "num" && e.value!.n === 1 && e.value!.d === 1;

function optionalProduct(xs: readonly Expr[]): Expr | undefined {
  return xs.length ? product(xs) : undefined;
}

/**
 * The factors of a product, quotients by scalars included as reciprocals. A 1×1 sub-product
 * inside it (the xᵀy of A·(xᵀy)·z) stays one factor: its own factors do not multiply as a chain
 * with the rest.
 */
function flatten(e: Expr, ctx: Context, root = true): Expr[] {
  const open = root || !isScalar(shapeOf(e, ctx));
  if (open && e.op === "mul") return [...flatten(e.args[0]!, ctx, false), ...flatten(e.args[1]!, ctx, false)];
  if (open && e.op === "div") return [...flatten(e.args[0]!, ctx, false), div(num(1), e.args[1]!)];
  return [e];
}

/**
 * A ⊗ B, written as a product where it is one: with a 1×1 factor (αB), or of a column and a row
 * (a ⊗ bᵀ = bᵀ ⊗ a = abᵀ).
 */
function kronecker(a: Expr, b: Expr, ctx: Context, citations: Citations): Expr {
  const typed = (e: Expr) => inferShapes(e, ctx).expr;
  const [sa, sb] = [shapeOf(typed(a), ctx), shapeOf(typed(b), ctx)];
  if (a.op === "identity" && b.op === "identity") {
    citations.cite("identities multiply");
    return typed(identity(ctx.dims.product(sa[0], sb[0])));
  }
  if (isScalar(sa) || isScalar(sb)) return typed(mul(a, b));
  if (sa[1] === 1 && sb[0] === 1) {
    citations.cite("a Kronecker product of a column and a row");
    return typed(mul(a, b));
  }
  if (sa[0] === 1 && sb[1] === 1) {
    citations.cite("a Kronecker product of a row and a column");
    return typed(mul(b, a));
  }
  return typed(call("kron", [a, b]));
}

/** A ⊗ B + A ⊗ C = A ⊗ (B + C), and B ⊗ A + C ⊗ A = (B + C) ⊗ A: the simplifier expands ⊗. */
function groupKronecker(terms: readonly Expr[], ctx: Context): Expr[] {
  const out: Expr[] = [];
  const rest = [...terms];
  while (rest.length) {
    const t = rest.shift()!;
    if (t.op !== "call" || t.fn !== "kron") {
      out.push(t);
      continue;
    }
    let grouped = t;
    for (const side of [0, 1] as const) {
      const same = rest.filter((u) => u.op === "call" && u.fn === "kron" && key(u.args[side]!) === key(t.args[side]!));
      if (!same.length) continue;
      for (const u of same) rest.splice(rest.indexOf(u), 1);
      const others = [t, ...same].map((u) => u.args[1 - side]!);
      const args = side === 0 ? [t.args[0]!, add(others)] : [add(others), t.args[1]!];
      grouped = inferShapes(call("kron", args), ctx).expr;
      break;
    }
    out.push(grouped);
  }
  return out;
}

/**
 * One term's share of J (S has the variable's shape X, G the root's shape F).
 * vec(L G Rᵀ) = (R ⊗ L) vec(G) and vec(L Gᵀ Rᵀ) = (R ⊗ L) K vec(G), where the commutation
 * matrix K is I when G is a vector, and (R ⊗ L) K = L ⊗ R when the variable is a vector.
 * J is the transpose of M in vec(S) = M vec(G): J = Mᵀ.
 */
function jacobianTerm(t: LinearTerm, F: Shape, X: Shape, ctx: Context, citations: Citations): Expr {
  const typed = (e: Expr) => inferShapes(e, ctx).expr;
  if (t.kind === "M") return typed(transpose(t.M));
  // L is rows(S) × (G's side), R is cols(S) × (G's other side).
  const [lSide, rSide] = t.kind === "G" ? [F[0], F[1]] : [F[1], F[0]];
  const full = (e: Expr | undefined, rows: Shape[0], cols: Shape[1]): Expr => {
    if (rows === 1 && cols === 1) return e ?? num(1);
    const scalar = !e || isScalar(shapeOf(typed(e), ctx));
    if (!scalar) return e!;
    if (!ctx.dims.unify(rows, cols)) throw unsupported("a scalar standing for a non-square factor of this Jacobian");
    const I = typed(identity(rows));
    return e ? mul(e, I) : I;
  };
  const L = full(t.L, X[0], lSide);
  const R = full(t.R, X[1], rSide);
  let first: Expr;
  let second: Expr;
  if (t.kind === "G") {
    citations.cite("vec of a product");
    [first, second] = [R, L]; // M = R ⊗ L
  } else if (F[0] === 1 || F[1] === 1) {
    citations.cite("vec of a transposed product, G a vector");
    [first, second] = [R, L]; // M = R ⊗ L
  } else if (X[0] === 1 || X[1] === 1) {
    citations.cite("vec of a transposed product that is a vector");
    [first, second] = [L, R]; // M = (R ⊗ L)K = L ⊗ R
  } else throw unsupported("this derivative of a matrix by a matrix needs the commutation matrix K (vec(Xᵀ) = K vec(X)), which matcalc does not print");
  // J = Mᵀ = firstᵀ ⊗ secondᵀ
  citations.cite("the transpose of a Kronecker product");
  return kronecker(typed(transpose(first)), typed(transpose(second)), ctx, citations);
}
