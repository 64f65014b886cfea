// The derivation corpus (test/check/derivations): students' derivations with planted errors,
// and fully correct ones that use non-obvious valid moves. Each planted error is marked by hand
// (`#! wrong sign`, `#! carried`) on its line; unmarked steps hold. The checker must agree with
// every mark: each planted error `wrong`, each step after it that follows `carried`, no correct
// step flagged. The marks themselves are confirmed independently of the checker: each step's
// two sides evaluated at random instances, derivatives by finite differences of the original
// function.
import { describe, expect, it } from "vitest";
import type { Matrix } from "ml-matrix";
import {
  type Context,
  type Expr,
  type Instance,
  DomainError,
  centralDifference,
  closeEnough,
  contextOf,
  evaluate,
  inferShapes,
  parseExpression,
  instanceWhereDefined,
  readExpression,
  seededRng,
} from "../../src/index.js";
import { postorder } from "../../src/ast.js";
import { check, filesIn, markers, read } from "./helpers.js";

const PLANTED = filesIn("test/check/derivations/planted");
const CORRECT = filesIn("test/check/derivations/correct");
const KINDS = ["sign", "transpose", "order", "factor", "term", "trace", "symmetric", "inverse"];

describe("the corpus", () => {
  it("has at least 30 derivations with planted errors of every kind, and at least 10 correct ones", () => {
    expect(PLANTED.length).toBeGreaterThanOrEqual(30);
    expect(CORRECT.length).toBeGreaterThanOrEqual(10);
    const byKind = new Map<string, number>();
    for (const f of PLANTED) {
      const ms = markers(read(f));
      expect(ms.filter((m) => m.verdict === "wrong").length, f).toBeGreaterThanOrEqual(1);
      for (const m of ms) if (m.kind) byKind.set(m.kind, (byKind.get(m.kind) ?? 0) + 1);
    }
    for (const k of KINDS) expect(byKind.get(k) ?? 0, k).toBeGreaterThanOrEqual(3);
    const carried = PLANTED.filter((f) => markers(read(f)).some((m) => m.verdict === "carried"));
    expect(carried.length).toBeGreaterThanOrEqual(10);
    for (const f of CORRECT) expect(markers(read(f)), f).toEqual([]);
  });
});

describe.each([...PLANTED, ...CORRECT].map((f) => [f]))("%s", (file) => {
  it("every planted error is wrong, every step after it that follows is carried, every other step ok", () => {
    const r = check(file);
    expect(r.unreadable).toEqual([]);
    const expected = new Map(markers(read(file)).map((m) => [m.line, m.verdict]));
    const got = new Map<number, string[]>();
    for (const c of r.claims) got.set(c.line, [...(got.get(c.line) ?? []), c.verdict]);
    for (const [line, verdicts] of got) expect(verdicts.join(" "), `${file}:${line}`).toBe(expected.get(line) ?? verdicts.map(() => "ok").join(" "));
    for (const [line, verdict] of expected) expect(got.get(line), `${file}:${line}`).toEqual([verdict]);
    expect(r.ok).toBe(![...expected.values()].includes("wrong"));
  });
});

describe.each(PLANTED.map((f) => [f]))("%s: its planted error", (file) => {
  it("a wrong step comes with the difference, the right expression, and (unless shapes differ) a counterexample", () => {
    const wrong = check(file).claims.filter((c) => c.verdict === "wrong");
    expect(wrong.length, "a planted error is found").toBeGreaterThan(0);
    for (const c of wrong) {
      expect(c.expected, c.text).toBeTruthy();
      if (c.how.startsWith("the two sides differ")) {
        expect(c.difference, c.text).toBeTruthy();
        expect(c.counterexample, c.text).toBeTruthy();
        for (const size of Object.values(c.counterexample!.sizes)) expect(size).toBeLessThanOrEqual(6);
      } else expect(c.how).toMatch(/shapes/);
    }
  });
});

// ---------------------------------------------------------------- the marks, confirmed independently

interface Element {
  readonly line: number;
  readonly text: string;
}

/** A plain derivation file read naively: declarations and definitions, chains of `=` lines. */
function naive(text: string): { where: string; chains: Element[][] } {
  const where: string[] = [];
  const chains: Element[][] = [];
  text.split("\n").forEach((raw, i) => {
    const line = raw.replace(/[#%].*$/, "").trim();
    if (!line) return;
    if (line.startsWith("let ")) where.push(line.slice(4));
    else if (line.includes(":=")) where.push(line);
    else if (line.startsWith("=")) chains[chains.length - 1]!.push({ line: i + 1, text: line.slice(1) });
    else {
      const [left, right] = line.split("=");
      chains.push([{ line: i + 1, text: left! }, { line: i + 1, text: right! }]);
    }
  });
  return { where: where.join("\n"), chains };
}

/** The value of one side at an instance: a plain expression, or ∂L/∂V by finite differences. */
function value(e: Expr | undefined, inst: Instance): Matrix | undefined {
  if (!e) return undefined;
  if (e.op === "call" && e.fn === "grad") {
    const [f, v] = e.args as [Expr, Expr];
    if (v.op !== "sym" || hasDerivative(f)) return undefined;
    return centralDifference((i) => evaluate(f, i), inst, v.name!);
  }
  return hasDerivative(e) ? undefined : evaluate(e, inst);
}

const hasDerivative = (e: Expr): boolean => postorder(e).some((n) => n.op === "call" && n.fn === "grad");

function tryRead(text: string, ctx: Context): Expr | undefined {
  try {
    const parsed = parseExpression(text, { names: new Set(ctx.symbols.keys()) });
    if (parsed.op === "call" && parsed.fn === "grad" && parsed.args[1]!.op === "sym")
      return { ...parsed, args: [inferShapes(parsed.args[0]!, ctx).expr, parsed.args[1]!] };
    return readExpression(text, ctx).expr;
  } catch {
    return undefined; // a form only the checker reads (∂tr(XA)/∂X, dz/dW · dL/dz): not confirmed here
  }
}

/** The context of the file's declarations and definitions (definitions written top-down are reordered). */
function contextOfFile(where: string): Context {
  const lines = where.split("\n");
  const declarations = lines.filter((l) => !l.includes(":="));
  const definitions = lines.filter((l) => l.includes(":="));
  try {
    return contextOf([...declarations, ...definitions].join("\n"));
  } catch {
    return contextOf([...declarations, ...definitions.reverse()].join("\n"));
  }
}

function sameAt(a: Matrix | undefined, b: Matrix | undefined): boolean | undefined {
  if (!a || !b) return undefined;
  return closeEnough(a, b, { rel: 1e-6 }).ok;
}

describe("the marks agree with finite differences and random instances (no checker involved)", () => {
  const plain = [...PLANTED, ...CORRECT].filter((f) => f.endsWith(".mc"));
  let confirmed = 0;

  it.each(plain.map((f) => [f]))("%s", (file) => {
    const text = read(file);
    const { where, chains } = naive(text);
    const marks = new Map(markers(text).map((m) => [m.line, m.verdict]));
    const ctx: Context = contextOfFile(where);
    for (const chain of chains) {
      const exprs = chain.map((el) => tryRead(el.text, ctx));
      const plainExprs = exprs.filter((e): e is Expr => e !== undefined && !hasDerivative(e));
      const values: (Matrix | undefined)[][] = [];
      for (const seed of [11, 12]) {
        let inst: Instance;
        try {
          inst = instanceWhereDefined(ctx, plainExprs, seededRng(seed));
        } catch (err) {
          if (err instanceof DomainError) continue;
          throw err;
        }
        values.push(exprs.map((e) => value(e, inst)));
      }
      const same = (i: number, j: number) => {
        // No instance, no verdict: an empty list would otherwise agree with anything.
        const all = values.map((v) => sameAt(v[i], v[j]));
        return all.length === 0 || all.some((x) => x === undefined) ? undefined : all.every(Boolean);
      };
      for (let i = 1; i < chain.length; i++) {
        const prev = same(i - 1, i);
        const root = same(0, i);
        if (prev === undefined || root === undefined) continue;
        const mark = marks.get(chain[i]!.line);
        const where = `${file}:${chain[i]!.line}`;
        if (mark === "wrong") expect(prev, where).toBe(false);
        else if (mark === "carried") expect([prev, root], where).toEqual([true, false]);
        else expect([prev, root], where).toEqual([true, true]);
        confirmed++;
      }
    }
  });

  it("confirms most steps", () => {
    expect(confirmed).toBeGreaterThanOrEqual(100);
  });
});
