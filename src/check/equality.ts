// Deciding whether two expressions are equal, in one context:
//
//  1. shapes: different shapes are different expressions (a dropped transpose of a non-square
//     matrix is caught here);
//  2. the symbolic normal form (src/simplify): equal normal forms prove equality; then the same
//     with every definition expanded (K := αXXᵀ + β⁻¹I written out), which sees through
//     `det c = b`-style substitutions;
//  3. randomized identity testing: both sides evaluated at random instances with random
//     dimension sizes (distinct where possible), values respecting symmetric/spd/diagonal,
//     square matrices well conditioned. "Equal" needs every instance to agree to 1e-9 of the
//     magnitudes involved (the largest entry of either side or of any of their top-level
//     terms); "different" needs a gap above 1e-6 of them at one instance, confirmed at a second
//     instance with the same sizes. In between (rounding in an ill-conditioned draw), draw
//     again. A normal form that differs never decides "different" on its own.
import { Matrix } from "ml-matrix";
import { type Expr, distinctPostorder, key, mapBottomUp, mul, num } from "../ast.js";
import type { Context } from "../context.js";
import { DomainError, evaluate, frobeniusCondition } from "../numeric/evaluate.js";
import { type Instance, randomInstance, seededRng, signsAt, withDomain } from "../numeric/random.js";
import { maxAbs } from "../numeric/compare.js";
import { inferShapes, shapeOf } from "../shapes/infer.js";
import { type Shape, isScalar, showShape } from "../shapes/shape.js";
import { sameNormalForm } from "../simplify/simplify.js";
import { hashString } from "./text.js";

export interface Counterexample {
  /** Named dimensions and their sizes (m = 2, n = 3). */
  readonly sizes: readonly (readonly [string, number])[];
  /** The free symbols the two sides use, with their values. */
  readonly values: readonly (readonly [string, Matrix])[];
  readonly left: Matrix;
  readonly right: Matrix;
}

export type Decision =
  | { readonly equal: true; readonly how: string }
  | { readonly equal: false; readonly how: string; readonly counterexample?: Counterexample; readonly shapes?: readonly [string, string] }
  | { readonly equal: undefined; readonly how: string };

const EQUAL_REL = 1e-9;
const DIFFERENT_REL = 1e-6;
/** Draws with an inverse worse conditioned than this are redrawn (their rounding is large). */
const CONDITION_LIMIT = 1e6;
const PLANS = [
  { minSize: 2, maxSize: 4 },
  { minSize: 2, maxSize: 5 },
  { minSize: 3, maxSize: 6 },
  { minSize: 2, maxSize: 4 },
  { minSize: 2, maxSize: 6 },
  { minSize: 3, maxSize: 5 },
];
const BASE_INSTANCES = 3;

type Verdict = "equal" | "different" | "close";

interface Evaluated {
  readonly inst: Instance;
  readonly left: Matrix;
  readonly right: Matrix;
  readonly verdict: Verdict;
}

/** Equality of expressions in one section's context, with caches for expanded definitions. */
export class Equality {
  private expanded = new Map<string, Expr>();

  constructor(private readonly ctx: Context) {}

  decide(a: Expr, b: Expr): Decision {
    const ctx = this.ctx;
    [a, b] = zeroAsShapeOf(a, b, ctx);
    const shapes = this.shapes(a, b);
    if (shapes) return shapes;
    const nf = normalForms(a, b, ctx);
    if (nf === true) return { equal: true, how: "same normal form" };
    const ea = this.expand(a);
    const eb = this.expand(b);
    if ((ea !== a || eb !== b) && normalForms(ea, eb, ctx) === true) return { equal: true, how: "same normal form once definitions are written out" };
    const d = this.numeric(a, b);
    if (d.equal === false && !d.shapes)
      return { ...d, how: `the two sides differ at random instances (${nf === false ? "their normal forms differ too" : "their normal forms are too large to compare"})` };
    return d;
  }

  /** A decision when the two sides cannot have the same shape (their sizes are unified otherwise). */
  private shapes(a: Expr, b: Expr): Decision | undefined {
    const ctx = this.ctx;
    const sa = shapeOf(a, ctx);
    const sb = shapeOf(b, ctx);
    if (sameShape(sa, sb, ctx)) return undefined;
    const [x, y] = [showShape(ctx.dims.resolveShape(sa)), showShape(ctx.dims.resolveShape(sb))];
    return { equal: false, how: `the two sides have different shapes: ${x} and ${y}`, shapes: [x, y] };
  }

  /** Randomized identity testing (the third stage of `decide`). */
  numeric(a: Expr, b: Expr): Decision {
    const shapes = this.shapes(a, b);
    if (shapes) return shapes;
    const rng = seededRng(hashString(`${key(a)}=${key(b)}`));
    const seen: Evaluated[] = [];
    const sizes: string[] = [];
    let failures = 0;
    let disagreements = 0;
    let lastProblem = "";
    for (let k = 0; k < PLANS.length; k++) {
      const equalSoFar = seen.filter((s) => s.verdict === "equal").length;
      if (k >= BASE_INSTANCES && equalSoFar >= BASE_INSTANCES) break;
      let e: Evaluated;
      try {
        e = this.evaluateAt(a, b, rng, PLANS[k]!);
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        failures++;
        lastProblem = err.message;
        continue;
      }
      if (e.verdict === "different") {
        // confirm at other values of the same sizes before calling it different
        try {
          // at the same sizes and signs (relu(α) = α differs only where α < 0), other magnitudes
          const again = this.at(a, b, rescaled(e.inst, rng));
          if (again.verdict === "different")
            return { equal: false, how: "the two sides differ at random instances", counterexample: this.counterexample(a, b, rng, e) };
        } catch (err) {
          if (!(err instanceof DomainError)) throw err;
        }
        lastProblem = "the sides differed at one random instance but not at another";
        disagreements++;
        continue;
      }
      seen.push(e);
      if (e.verdict === "equal") sizes.push(describeSizes(e.inst, a, b, this.ctx));
    }
    const equal = seen.filter((s) => s.verdict === "equal").length;
    if (equal >= 2 && equal === seen.length && disagreements === 0)
      return { equal: true, how: `equal at ${equal} random instances (${unique(sizes).join("; ")})` };
    return {
      equal: undefined,
      how: failures === PLANS.length ? `no random instance where both sides are defined (${lastProblem})` : `random instances do not decide it${lastProblem ? ` (${lastProblem})` : ""}`,
    };
  }

  /** Both sides at a fresh random instance where they are defined and well conditioned. */
  private evaluateAt(a: Expr, b: Expr, rng: () => number, plan: { minSize: number; maxSize: number; fixedSizes?: Map<string, number> }): Evaluated {
    return withDomain((attempt) => this.at(a, b, randomInstance(this.ctx, rng, { ...plan, exprs: [a, b], scalarSigns: signsAt(attempt, 12) })), 12);
  }

  /** Both sides at a given instance (DomainError when not defined or ill conditioned there). */
  at(a: Expr, b: Expr, inst: Instance): Evaluated {
    for (const e of [a, b])
      for (const n of distinctPostorder(e))
        if (n.op === "inv" && !isScalar(shapeOf(n, this.ctx)) && frobeniusCondition(evaluate(n.args[0]!, inst)) > CONDITION_LIMIT)
          throw new DomainError("an inverse is ill conditioned at this instance", n);
    const left = evaluate(a, inst);
    const right = evaluate(b, inst);
    return { inst, left, right, verdict: classify(a, b, left, right, inst, this.ctx) };
  }

  /** Every definition written out (cached per name). */
  expand(e: Expr): Expr {
    const ctx = this.ctx;
    const hasDefinition = distinctPostorder(e).some((n) => n.op === "sym" && ctx.symbols.get(n.name!)?.definition);
    if (!hasDefinition) return e;
    const out = mapBottomUp(e, (n) => (n.op === "sym" && ctx.symbols.get(n.name!)?.definition ? this.expandedDefinition(n.name!) : n));
    return inferShapes(out, ctx).expr;
  }

  private expandedDefinition(name: string): Expr {
    const known = this.expanded.get(name);
    if (known) return known;
    const value = this.expand(this.ctx.symbols.get(name)!.definition!);
    this.expanded.set(name, value);
    return value;
  }

  /** A readable counterexample: small sizes, values rounded to one decimal, if one shows the gap. */
  private counterexample(a: Expr, b: Expr, rng: () => number, found: Evaluated): Counterexample {
    let best = found;
    const used = freeSymbols([a, b], this.ctx);
    const dims = namedSizes(found.inst, used, this.ctx).length;
    const small = Math.min(4, Math.max(3, dims + 1));
    for (const plan of [{ minSize: 2, maxSize: small }, { minSize: 2, maxSize: small }, { minSize: 2, maxSize: 4 }, { minSize: 2, maxSize: 4 }]) {
      try {
        const inst = rounded(randomInstance(this.ctx, rng, { ...plan, exprs: [a, b] }));
        const e = this.at(a, b, inst);
        if (e.verdict === "different") {
          best = e;
          break;
        }
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
      }
    }
    const values = used.filter((n) => best.inst.values.has(n)).map((n) => [n, best.inst.values.get(n)!] as const);
    return { sizes: namedSizes(best.inst, used, this.ctx), values, left: best.left, right: best.right };
  }
}

function classify(a: Expr, b: Expr, left: Matrix, right: Matrix, inst: Instance, ctx: Context): Verdict {
  if (left.rows !== right.rows || left.columns !== right.columns) return "different";
  const err = maxAbs(Matrix.sub(left, right));
  let scale = Math.max(maxAbs(left), maxAbs(right), 1e-300);
  if (err <= EQUAL_REL * scale) return "equal";
  // cancellation: measure against the magnitudes the sides are computed from too
  for (const e of [a, b]) scale = Math.max(scale, magnitude(e, inst, ctx, MAGNITUDE_DEPTH));
  if (err <= EQUAL_REL * scale) return "equal";
  return err > DIFFERENT_REL * scale ? "different" : "close";
}

/** How deep `magnitude` looks into terms, factors and definitions. */
const MAGNITUDE_DEPTH = 3;

/**
 * The size of the numbers an expression's value is computed from: its largest top-level term,
 * the product of its factors' largest entries, a definition's own terms (C𝟙 with
 * C := I − 𝟙𝟙ᵀ/n is 0 only up to rounding of numbers of size 1).
 */
function magnitude(e: Expr, inst: Instance, ctx: Context, depth: number): number {
  const own = maxAbs(evaluate(e, inst));
  if (depth === 0) return own;
  if (e.op === "add" || e.op === "neg") return Math.max(own, ...terms(e).map((t) => magnitude(t, inst, ctx, depth - 1)));
  if (e.op === "mul") return Math.max(own, e.args.reduce((p, f) => p * magnitude(f, inst, ctx, depth - 1), 1));
  const definition = e.op === "sym" ? ctx.symbols.get(e.name!)?.definition : undefined;
  return definition ? Math.max(own, magnitude(definition, inst, ctx, depth - 1)) : own;
}

/** Top-level terms of a sum (through negations). */
function terms(e: Expr): Expr[] {
  if (e.op === "add") return e.args.flatMap(terms);
  if (e.op === "neg") return terms(e.args[0]!);
  return [e];
}


/** Whether the normal forms agree (undefined: too large, or not computable). */
function normalForms(a: Expr, b: Expr, ctx: Context): boolean | undefined {
  try {
    return sameNormalForm(a, b, ctx);
  } catch {
    return undefined;
  }
}

export function sameShape(a: Shape, b: Shape, ctx: Context): boolean {
  const x = ctx.dims.resolveShape(a);
  const y = ctx.dims.resolveShape(b);
  if (x[0] === y[0] && x[1] === y[1]) return true;
  if (isScalar(x) || isScalar(y)) return false;
  return ctx.dims.unify(x[0], y[0]) && ctx.dims.unify(x[1], y[1]);
}

/** `∂L/∂X = 0`: a literal 0 stands for the zero of the other side's shape. */
function zeroAsShapeOf(a: Expr, b: Expr, ctx: Context): [Expr, Expr] {
  const zero = (e: Expr) => e.op === "num" && e.value!.n === 0;
  if (zero(b) && !zero(a)) return [a, inferShapes(mul(num(0), a), ctx).expr];
  if (zero(a) && !zero(b)) return [inferShapes(mul(num(0), b), ctx).expr, b];
  return [a, b];
}

/** Free (non-defined) symbols used by the expressions, through definitions, in order of use. */
export function freeSymbols(exprs: readonly Expr[], ctx: Context): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const visit = (e: Expr) => {
    for (const n of distinctPostorder(e)) {
      if (n.op !== "sym" || seen.has(n.name!)) continue;
      seen.add(n.name!);
      const info = ctx.symbols.get(n.name!);
      if (info?.definition) visit(info.definition);
      else if (info && !info.dimension) out.push(n.name!);
      else if (info?.dimension) out.push(n.name!);
    }
  };
  exprs.forEach(visit);
  return out;
}

function namedSizes(inst: Instance, used: readonly string[], ctx: Context): [string, number][] {
  const out = new Map<string, number>();
  // in the order the dimensions were declared (m, n, D), not the order of use
  const order = [...ctx.symbols.keys()];
  const sorted = [...used].sort((x, y) => order.indexOf(x) - order.indexOf(y));
  for (const name of sorted) {
    const info = ctx.symbols.get(name);
    if (!info) continue;
    const dims = info.dimension ? [name] : ctx.dims.resolveShape(info.shape).filter((d): d is string => typeof d === "string");
    for (const d of dims) {
      const r = ctx.dims.resolve(d);
      if (typeof r !== "string" || r.startsWith("?")) continue;
      const size = inst.sizes.get(r);
      if (size !== undefined) out.set(r, size);
    }
  }
  return [...out.entries()];
}

function describeSizes(inst: Instance, a: Expr, b: Expr, ctx: Context): string {
  const sizes = namedSizes(inst, freeSymbols([a, b], ctx), ctx);
  return sizes.length ? sizes.map(([d, n]) => `${d}=${n}`).join(" ") : "scalars";
}

const unique = (xs: string[]) => [...new Set(xs)];

/** The same instance with each value scaled by its own factor in [0.8, 1.25]: signs, symmetry and definiteness kept. */
function rescaled(inst: Instance, rng: () => number): Instance {
  const values = new Map<string, Matrix>();
  for (const [name, m] of inst.values) values.set(name, m.clone().mul(0.8 + 0.45 * rng()));
  return { sizes: inst.sizes, values, ctx: inst.ctx };
}

/** The same instance with every value rounded to one decimal (symmetry and definiteness kept). */
function rounded(inst: Instance): Instance {
  const values = new Map<string, Matrix>();
  for (const [name, m] of inst.values) {
    const r = m.clone();
    for (let i = 0; i < r.rows; i++)
      for (let j = 0; j < r.columns; j++) {
        const x = Math.round(r.get(i, j) * 10) / 10;
        r.set(i, j, x === 0 ? 0 : x);
      }
    values.set(name, r);
  }
  return { sizes: inst.sizes, values, ctx: inst.ctx };
}
