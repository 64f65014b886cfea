// Every line of rules/ is checked numerically, discovered from the rule tables: a new rule is
// tested with no new test code. Derivative rules against central finite differences of
// ⟨G, F⟩; simplifications by evaluating both sides.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { type Expr, call, mapBottomUp, mul, num, sym, transpose } from "../src/ast.js";
import type { Context } from "../src/context.js";
import { instantiate, parsePattern } from "../src/pattern/pattern.js";
import { inferShapes } from "../src/shapes/infer.js";
import { Dims, type Shape } from "../src/shapes/shape.js";
import { DERIVATIVE_RULES } from "../rules/derivatives.js";
import { EXPONENT_LESS_ONE } from "../src/pattern/rule.js";
import { SIMPLIFICATIONS } from "../rules/simplifications.js";
import { holds } from "../src/simplify/rewrite.js";
import { LINEAR_MAP_IDENTITIES } from "../rules/linear-maps.js";
import { evaluate } from "../src/numeric/evaluate.js";
import { instanceWhereDefined, randomInstance, seededRng, withDomain } from "../src/numeric/random.js";
import { DomainError } from "../src/numeric/evaluate.js";
import { requireAwayFromKinks } from "./helpers.js";
import { centralDifference } from "../src/numeric/finiteDifference.js";
import { closeEnough, formatMatrix } from "../src/numeric/compare.js";

const emptyContext = (): Context => ({ symbols: new Map(), dims: new Dims(), definitionOrder: [], memo: new Map() });

/** Metavariables as plain symbols of a fresh context; `k` (any exponent) as a number. */
function concrete(pattern: Expr, exponent: number): Expr {
  return mapBottomUp(pattern, (n) => (n.op === "sym" && n.name === "k" ? num(exponent) : n.op === "sym" && n.name === EXPONENT_LESS_ONE ? num(exponent - 1) : n));
}

const EXPONENTS = [2, 3, -1, -2];

/**
 * An instance where the expressions are defined, and the first (the function differentiated)
 * away from its kinks and poles. Where random
 * signs put a log or √ of a matrix out of its domain, the same draw with positive entries
 * (|x| + ½) is tried.
 */
function drawInstance(ctx: Context, exprs: Expr[], seed: number) {
  const rng = seededRng(seed);
  return withDomain(() => {
    let inst = randomInstance(ctx, rng, { exprs });
    try {
      for (const e of exprs) evaluate(e, inst);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      const values = new Map([...inst.values].map(([k, v]) => [k, v.clone().abs().add(0.5)] as const));
      inst = { ...inst, values };
      for (const e of exprs) evaluate(e, inst);
    }
    requireAwayFromKinks(exprs.slice(0, 1), inst);
    return inst;
  }, 60);
}

describe("derivative rules (rules/derivatives.ts), each against finite differences", () => {
  it("has rules to check", () => expect(DERIVATIVE_RULES.length).toBeGreaterThan(15));

  it.each(DERIVATIVE_RULES.map((r) => [`${r.text.node} → ${r.text.operand}: ${r.text.receives}  [${r.source}]`, r] as const))(
    "%s",
    (_name, rule) => {
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.constantFrom(...EXPONENTS), (seed, k) => {
          const ctx = emptyContext();
          const node = inferShapes(concrete(rule.node, k), ctx).expr;
          const nodeShape = inferShapes(node, ctx).shape;
          ctx.symbols.set("G", { name: "G", shape: nodeShape, properties: new Set(), declared: true });
          const G = sym("G");
          const bindings = new Map<string, Expr>([["G", G], ["k", num(k)], [EXPONENT_LESS_ONE, num(k - 1)]]);
          const typedShare = inferShapes(concrete(instantiate(rule.receives, bindings), k), ctx);
          const share = typedShare.expr;
          // The operand's share has the operand's shape (this sizes an I in it, as the engine does).
          const operandShape = inferShapes(sym(rule.operand), ctx).shape;
          expect(ctx.dims.unify(typedShare.shape[0], operandShape[0]) && ctx.dims.unify(typedShare.shape[1], operandShape[1])).toBe(true);
          // L = ⟨G, F⟩ = tr(GᵀF): its gradient by the operand is what the rule says it receives.
          const L = inferShapes(call("tr", [mul(transpose(G), node)]), ctx).expr;
          const inst = drawInstance(ctx, [L, share], seed);
          const expected = centralDifference((i) => evaluate(L, i), inst, rule.operand);
          const got = evaluate(share, inst);
          const verdict = closeEnough(got, expected);
          if (!verdict.ok) throw new Error(`rule gives\n${formatMatrix(got)}\nfinite differences give\n${formatMatrix(expected)}`);
        }),
        { numRuns: 25 },
      );
    },
  );
});

describe("linear-map identities (rules/linear-maps.ts), both sides equal", () => {
  it("has identities to check", () => expect(LINEAR_MAP_IDENTITIES.length).toBeGreaterThan(10));

  it.each(LINEAR_MAP_IDENTITIES.map((r) => [`${r.name}: ${r.text.from} = ${r.text.to}  [${r.source}]`, r] as const))("%s", (_name, rule) => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), (seed) => {
        const ctx = emptyContext();
        const left = inferShapes(parsePattern(rule.text.from), ctx);
        const right = inferShapes(parsePattern(rule.text.to), ctx);
        expect(ctx.dims.unify(left.shape[0], right.shape[0]) && ctx.dims.unify(left.shape[1], right.shape[1])).toBe(true);
        const inst = instanceWhereDefined(ctx, [left.expr, right.expr], seededRng(seed));
        const verdict = closeEnough(evaluate(right.expr, inst), evaluate(left.expr, inst));
        if (!verdict.ok) throw new Error(`${rule.name}: the two sides differ`);
      }),
      { numRuns: 25 },
    );
  });
});

describe("simplifications (rules/simplifications.ts), both sides equal", () => {
  it("has rewrites to check", () => expect(SIMPLIFICATIONS.length).toBeGreaterThan(15));

  it.each(SIMPLIFICATIONS.map((r) => [`${r.name}: ${r.text.from} = ${r.text.to}${r.when ? ` when ${r.when.variable} ${r.when.property}` : ""}`, r] as const))(
    "%s",
    (_name, rule) => {
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 1_000_000 }), (seed) => {
          const ctx = emptyContext();
          const condition = rule.when;
          if (condition?.property === "symmetric") {
            const d = ctx.dims.freshDim();
            const shape: Shape = [d, d];
            ctx.symbols.set(condition.variable, { name: condition.variable, shape, properties: new Set(["symmetric"]), declared: true });
          }
          if (condition?.property === "sums to one") {
            const shape: Shape = [ctx.dims.freshDim(), 1];
            ctx.symbols.set(condition.variable, { name: condition.variable, shape, properties: new Set(["sums to one"]), declared: true });
          }
          const from = inferShapes(rule.from, ctx).expr;
          const to = inferShapes(rule.to, ctx);
          const fromShape = inferShapes(from, ctx).shape;
          expect(ctx.dims.unify(fromShape[0], to.shape[0]) && ctx.dims.unify(fromShape[1], to.shape[1])).toBe(true);
          if (rule.when) {
            const bindings = new Map([...ctx.symbols.keys()].map((n) => [n, sym(n)] as [string, Expr]));
            expect(holds(rule.when, bindings, ctx)).toBe(true);
          }
          const inst = instanceWhereDefined(ctx, [from, to.expr], seededRng(seed));
          const verdict = closeEnough(evaluate(to.expr, inst), evaluate(from, inst));
          if (!verdict.ok) throw new Error(`${rule.name} changes the value`);
        }),
        { numRuns: 25 },
      );
    },
  );
});
