// The gradient corpus (test/corpus/problems.ts): for every problem and every spelling, the
// engine's gradient against central finite differences of the ORIGINAL function at random
// instances (random sizes, several seeds); the three spellings against each other (same
// function value, same gradient, on the same instance); and every textbook answer, parsed in
// the problem's context, against the same finite differences. The engine is never compared
// with itself alone.
import { describe, expect, it } from "vitest";
import type { Matrix } from "ml-matrix";
import {
  type Context,
  type DeriveResult,
  type Expr,
  type Instance,
  DomainError,
  closeEnough,
  derive,
  evaluate,
  formatAnswer,
  formatExpr,
  formatMatrix,
  nameShared,
  randomInstance,
  readExpression,
  seededRng,
} from "../src/index.js";
import { postorder, type Dim } from "../src/ast.js";
import { extendedContext } from "../src/context.js";
import { dimSize, frobeniusCondition } from "../src/numeric/evaluate.js";
import { PROBLEMS, type Problem, deriveOptions } from "./corpus/problems.js";
import { cost } from "../src/simplify/cost.js";
import { requireAwayFromKinks } from "./helpers.js";
import { judge } from "./independent/confirm.js";

type Spelling = "unicode" | "ascii" | "latex";
const SPELLINGS: readonly Spelling[] = ["unicode", "ascii", "latex"];

/** Three instances per check, each with its own sizes (drawn from 2..4 by the seed). */
const SEEDS = [101, 202, 303] as const;
const SIZES = { minSize: 2, maxSize: 4 };
const DRAWS = 60;

/**
 * Far enough from the edge of the domain that fourth-order differences are accurate:
 * matrices inverted or under a determinant conditioned at most this (‖A‖_F‖A⁻¹‖_F), scalars
 * under log, √, |·|, ‖·‖, a quotient or an inverse at least MIN_MAGNITUDE away from 0.
 */
const MAX_CONDITION = 1e4;
const MIN_MAGNITUDE = 1e-2;

// ---------- spelling the variable ----------

const GREEK: Record<string, [ascii: string, latex: string]> = {
  α: ["alpha", "\\alpha"],
  β: ["beta", "\\beta"],
  λ: ["lambda", "\\lambda"],
  μ: ["mu", "\\mu"],
  Σ: ["Sigma", "\\Sigma"],
  σ: ["sigma", "\\sigma"],
  Λ: ["Lambda", "\\Lambda"],
  Ω: ["Omega", "\\Omega"],
};
const SUBSCRIPTS = "₀₁₂₃₄₅₆₇₈₉";

/** The variable as a user of that spelling types it after --wrt: `W₁` → `W_1`, `α` → `alpha` / `\alpha`. */
function wrtIn(wrt: string, spelling: Spelling): string {
  if (spelling === "unicode") return wrt;
  const chars = [...wrt];
  const head = chars[0]!;
  const greek = GREEK[head];
  const base = greek ? (spelling === "ascii" ? greek[0] : greek[1]) : head;
  const sub = chars
    .slice(1)
    .map((c) => SUBSCRIPTS.indexOf(c))
    .filter((d) => d >= 0)
    .join("");
  return sub ? `${base}_${sub}` : base;
}

// ---------- derivations, once per problem and spelling ----------

const derivations = new Map<string, DeriveResult>();

function derived(p: Problem, s: Spelling): DeriveResult {
  const key = `${p.id}/${s}`;
  let r = derivations.get(key);
  if (!r) {
    r = derive(p.spellings[s], { ...deriveOptions(p), wrt: wrtIn(p.wrt, s) });
    derivations.set(key, r);
  }
  return r;
}

// ---------- instances inside the domain ----------

/** Definitions the expressions use, so that their inverses and logs are checked too. */
function withDefinitions(exprs: readonly Expr[], ctx: Context): Expr[] {
  const out = [...exprs];
  for (const name of ctx.definitionOrder) out.push(ctx.symbols.get(name)!.definition!);
  return out;
}

const scalarValue = (m: Matrix): number => m.get(0, 0);
const isOneByOne = (m: Matrix): boolean => m.rows === 1 && m.columns === 1;

/** Throws DomainError when the instance is too close to the edge of some node's domain. */
function requireWellInside(exprs: readonly Expr[], inst: Instance): void {
  const tooSmall = (x: number, what: string) => {
    if (!(Math.abs(x) >= MIN_MAGNITUDE)) throw new DomainError(`${what} is ${x}: too close to 0`);
  };
  const wellConditioned = (m: Matrix, what: string) => {
    if (isOneByOne(m)) return tooSmall(scalarValue(m), what);
    const c = frobeniusCondition(m);
    if (!(c <= MAX_CONDITION)) throw new DomainError(`${what}: condition ${c.toExponential(1)}`);
  };
  for (const root of exprs)
    for (const e of postorder(root)) {
      if (e.op === "inv") wellConditioned(evaluate(e.args[0]!, inst), "an inverse");
      else if (e.op === "pow" && (e.args[1]!.value?.n ?? 0) < 0) wellConditioned(evaluate(e.args[0]!, inst), "a negative power");
      else if (e.op === "div") tooSmall(scalarValue(evaluate(e.args[1]!, inst)), "a denominator");
      else if (e.op === "call" && e.args.length) {
        const arg = evaluate(e.args[0]!, inst);
        switch (e.fn) {
          case "det":
          case "logdet":
          case "bars":
            wellConditioned(arg, `${e.fn}`);
            break;
          case "log":
          case "sqrt":
          case "abs":
            tooSmall(scalarValue(arg), e.fn);
            break;
          case "norm":
            tooSmall(arg.norm("frobenius"), "a norm");
            break;
        }
      }
    }
}

/** A random instance (sizes and values from the seed) where `exprs` are defined and well inside their domain. */
function drawInstance(ctx: Context, exprs: readonly Expr[], seed: number): Instance {
  const rng = seededRng(seed);
  const all = withDefinitions(exprs, ctx);
  let last: unknown;
  for (let i = 0; i < DRAWS; i++) {
    const inst = randomInstance(ctx, rng, { ...SIZES, exprs: all });
    try {
      for (const e of exprs) evaluate(e, inst);
      requireWellInside(all, inst);
      // The function's entries under relu, |·|, sign, ⊘, log and √ away from kinks and poles.
      requireAwayFromKinks(withDefinitions(exprs.slice(0, 1), ctx), inst, MIN_MAGNITUDE);
      return inst;
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      last = err;
    }
  }
  throw new Error(`no instance inside the domain in ${DRAWS} draws (seed ${seed}): ${String(last)}`);
}

/** The same values and sizes, for another context with the same declarations (another spelling). */
function transfer(inst: Instance, ctx: Context): Instance {
  const sizes = new Map<string, number>();
  const setDim = (d: Dim, size: number) => {
    const root = ctx.dims.resolve(d);
    if (typeof root === "string") sizes.set(root, size);
  };
  for (const info of ctx.symbols.values()) {
    if (info.dimension) {
      setDim(info.name, dimSize(info.name, inst));
      continue;
    }
    const value = inst.values.get(info.name);
    if (!value) continue;
    const [r, c] = ctx.dims.resolveShape(info.shape);
    setDim(r, value.rows);
    setDim(c, value.columns);
  }
  return { sizes, values: inst.values, ctx };
}

// ---------- comparisons ----------

function sizesOf(inst: Instance): string {
  return [...inst.sizes].map(([d, n]) => `${d}=${n}`).join(", ");
}

function expectClose(got: Matrix, expected: Matrix, what: string, context: () => string): void {
  const verdict = closeEnough(got, expected);
  if (!verdict.ok)
    throw new Error(
      `${what}\n${context()}\ngot\n${formatMatrix(got)}\nexpected\n${formatMatrix(expected)}\n(max error ${verdict.maxError.toExponential(2)}, scale ${verdict.scale.toExponential(2)})`,
    );
}


// ---------- the tests ----------

describe("the corpus", () => {
  it("has at least 120 problems: 60 Matrix Cookbook identities by equation number, 30 ML losses, 10 Jacobians, 10 Hessians", () => {
    expect(PROBLEMS.length).toBeGreaterThanOrEqual(120);
    expect(PROBLEMS.filter((p) => /Matrix Cookbook \(\d+\)/.test(p.source)).length).toBeGreaterThanOrEqual(60);
    expect(PROBLEMS.filter((p) => /^(ml|seed)-/.test(p.id) && (p.kind ?? "gradient") === "gradient").length).toBeGreaterThanOrEqual(30);
    expect(PROBLEMS.filter((p) => p.kind === "jacobian").length).toBeGreaterThanOrEqual(10);
    expect(PROBLEMS.filter((p) => p.kind === "hessian").length).toBeGreaterThanOrEqual(10);
  });

  it("has the ML losses the issue names", () => {
    const ids = PROBLEMS.map((p) => p.id).join(" ");
    for (const loss of ["least-squares", "ridge", "logistic-regression", "softmax-cross-entropy", "gaussian-nll-mu", "gaussian-nll-Sigma", "ppca", "matrix-factorization-U", "matrix-factorization-V", "tanh-layer", "two-layer-linear"])
      expect(ids, loss).toContain(`ml-${loss}`);
  });

  it("has unique ids, a textbook answer for most problems, and each spelling in its own alphabet", () => {
    expect(new Set(PROBLEMS.map((p) => p.id)).size).toBe(PROBLEMS.length);
    expect(PROBLEMS.filter((p) => p.textbook).length).toBeGreaterThanOrEqual(45);
    for (const p of PROBLEMS) {
      expect(p.spellings.ascii, p.id).toMatch(/^[\x20-\x7e]+$/);
      expect(p.spellings.latex, p.id).toMatch(/^[\x20-\x7e]+$/);
      expect(p.spellings.unicode, p.id).not.toMatch(/\\|\*|'/);
    }
  });

  it("differentiates by scalars, vectors and matrices", () => {
    const kinds = new Set(
      PROBLEMS.filter((p) => (p.kind ?? "gradient") === "gradient").map((p) => {
        const shape = derived(p, "unicode").shape;
        return shape[0] === 1 && shape[1] === 1 ? "scalar" : shape[1] === 1 ? "vector" : "matrix";
      }),
    );
    expect([...kinds].sort()).toEqual(["matrix", "scalar", "vector"]);
  });
});

const rows = PROBLEMS.flatMap((p) => SPELLINGS.map((s) => [`${p.id} [${s}] ∂/∂${p.wrt} ${p.spellings[s]}`, p, s] as const));

describe("gradients match finite differences of the original function, in every spelling", () => {
  it.each(rows)("%s", (_name, p, s) => {
    const r = derived(p, s);
    const reference = s === "unicode" ? undefined : derived(p, "unicode");
    const printed = () => `problem ${p.id} [${s}], where ${p.where}\ngradient: ${formatExpr(r.gradient, "unicode", r.ctx)}`;
    if (reference) expect(r.shape, "the variable's shape, as in Unicode").toEqual(reference.shape);
    for (const seed of SEEDS) {
      // Against this test's own evaluator and differences, at its own samples (test/independent).
      const judged = judge(r, seed);
      expect(judged.verdict, `${printed()}\nseed ${seed}: ${"detail" in judged ? judged.detail : ""}`).toBe("confirmed");
      if (reference) {
        const inst = drawInstance(r.ctx, [r.expression], seed);
        const at = () => `${printed()}\nseed ${seed}, sizes ${sizesOf(inst)}`;
        const got = evaluate(r.gradient, inst);
        const there = transfer(inst, reference.ctx);
        expectClose(evaluate(r.expression, inst), evaluate(reference.expression, there), `the ${s} spelling is not the same function as the Unicode one`, at);
        expectClose(got, evaluate(reference.gradient, there), `the ${s} gradient differs from the Unicode one (${formatExpr(reference.gradient, "unicode", reference.ctx)})`, at);
      }
    }
  });
});

/**
 * A textbook answer, read in a copy of the problem's context: its `…, where s = F` defines s
 * there; `where` holds those definitions, to count them in its size.
 */
function readTextbook(p: Problem, r: DeriveResult) {
  const ctx = extendedContext(r.ctx);
  const read = readExpression(p.textbook!, ctx);
  const where = ctx.definitionOrder.filter((n) => !r.ctx.symbols.has(n)).map((n) => ctx.symbols.get(n)!.definition!);
  return { ...read, ctx, where };
}

const textbookRows = PROBLEMS.filter((p) => p.textbook).map((p) => [`${p.id} ∂/∂${p.wrt} ${p.spellings.unicode} = ${p.textbook}`, p] as const);

describe("textbook answers match finite differences too", () => {
  it.each(textbookRows)("%s", (_name, p) => {
    const r = derived(p, "unicode");
    const t = readTextbook(p, r);
    // The answer has the variable's shape (this also sizes a bare `I`).
    expect(r.ctx.dims.unify(t.shape[0], r.shape[0]) && r.ctx.dims.unify(t.shape[1], r.shape[1]), `${p.textbook} is not shaped like ${p.wrt}`).toBe(true);
    for (const seed of SEEDS) {
      const judged = judge({ ...r, ctx: t.ctx, gradient: t.expr }, seed);
      expect(judged.verdict, `problem ${p.id}: textbook ${p.textbook}\nseed ${seed}: ${"detail" in judged ? judged.detail : ""}`).toBe("confirmed");
    }
  });
});

describe("every answer is in matrix notation where one exists, and no larger than the textbook's", () => {
  it.each(textbookRows)("%s", (_name, p) => {
    const r = derived(p, "unicode");
    const t = readTextbook(p, r);
    const printed = formatAnswer(r.gradient, "unicode", r.ctx);
    const named = nameShared(r.gradient, r.ctx);
    const textbookCost = cost(t.expr) + t.where.reduce((c, d) => c + cost(d) + 1, 0);
    expect(cost(named.body) + named.where.reduce((c, d) => c + cost(d.expr) + 1, 0), `${printed} is larger than the textbook's ${p.textbook}`).toBeLessThanOrEqual(textbookCost);
    // Gradients and Jacobians of vectors by vectors have a matrix form: no vec, no ⊗ in them
    // (unless the function has a ⊗ itself: x ⊗ y by x is I ⊗ y).
    if ((r.layout === "gradient" || r.layout === "jacobian" || r.layout === "by-scalar") && !p.spellings.unicode.includes("⊗"))
      expect(postorder(r.gradient).some((n) => n.op === "call" && (n.fn === "kron" || n.fn === "vec")), printed).toBe(false);
  });
});
