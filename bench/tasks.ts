// What a benchmark worker does: time derivations in-process, and break one down by stage.
import { derive, contextOf } from "../src/api.js";
import type { Expr } from "../src/ast.js";
import type { Context } from "../src/context.js";
import { foldDefinitions } from "../src/derive/fold.js";
import { derivative, hessian } from "../src/derive/jacobian.js";
import { formatAnswer, nameShared } from "../src/print/sharing.js";
import { numpyModule } from "../src/print/numpy.js";
import { inferShapes } from "../src/shapes/infer.js";
import { simplify } from "../src/simplify/simplify.js";
import { parseExpression } from "../src/syntax/parse.js";

export interface DeriveTask {
  readonly kind: "derive";
  readonly text: string;
  readonly wrt: string;
  readonly where: string;
  /** 2 for a Hessian (corpus problems of kind "hessian"). */
  readonly order?: 1 | 2;
  /** Untimed runs first (JIT warm-up). */
  readonly warmup: number;
  /** Keep warming up until this much time has been spent on it (after `warmup` runs). */
  readonly warmupMs?: number;
  /**
   * What is timed besides derive(): "answer", the Unicode answer printed as the command line
   * prints it (what the SymPy side by side compares: parse, derive, simplify, print); "all",
   * what a user gets: the answer and the NumPy module.
   */
  readonly output?: "answer" | "all";
  readonly minRuns: number;
  readonly maxRuns: number;
  /** Stop timing once this much time has been spent (after minRuns). */
  readonly budgetMs: number;
  /** Also time the stages once (parse / shapes / derive / simplify / print). */
  readonly stages?: boolean;
  /** Return the derivative in Unicode (truncated to this many characters). */
  readonly printChars?: number;
}

export interface Stages {
  /** Declarations and definitions: parsed and shape-checked. */
  readonly context: number;
  readonly parse: number;
  readonly shapes: number;
  /** Reverse accumulation (with its local simplification of each adjoint). */
  readonly derive: number;
  readonly simplify: number;
  /** Unicode printing (not part of derive()). */
  readonly print: number;
  /** NumPy module generation. */
  readonly numpy: number;
}

export interface DeriveOutcome {
  readonly ok: true;
  /** Wall time of each timed derive() call, ms. */
  readonly times: number[];
  /** The first (cold) call, ms. */
  readonly first: number;
  /** Nodes of the simplified derivative as a tree (a shared subtree counts every time it occurs). */
  readonly treeSize: number;
  /** Distinct subtrees (the size as a DAG, equal subtrees counted once). */
  readonly dagSize: number;
  readonly unicode?: string;
  readonly stages?: Stages;
}

export interface Failure {
  readonly ok: false;
  readonly error: string;
  /** MatcalcError's category ("syntax", "unsupported", …) when it is one. */
  readonly category?: string;
}

export function runDerive(task: DeriveTask): DeriveOutcome | Failure {
  try {
    // the derivation is timed, not the numeric check the library runs by default
    const options = { wrt: task.wrt, where: task.where, order: task.order, verify: false };
    const once = () => {
      const r = derive(task.text, options);
      if (task.output) formatAnswer(r.gradient, "unicode", r.ctx);
      if (task.output === "all") numpyModule(r.expression, r.gradient, r.wrt, r.ctx, task.text, { shape: r.shape, order: r.order });
      return r;
    };
    let t = performance.now();
    let r = once();
    const first = performance.now() - t;
    // A derivation that takes over a second is warmed up once (its first call) and timed three
    // times: one run alone is at the mercy of the machine's load and of a collection of garbage.
    const slow = first > 1000;
    const warming = performance.now();
    if (!slow)
      for (let i = 1; i < task.warmup || (i < 50 && performance.now() - warming < (task.warmupMs ?? 0)); i++) r = once();
    const minRuns = slow ? Math.min(task.minRuns, 3) : task.minRuns;
    const times: number[] = [];
    const start = performance.now();
    while (times.length < task.maxRuns && (times.length < minRuns || performance.now() - start < task.budgetMs)) {
      t = performance.now();
      r = once();
      times.push(performance.now() - t);
    }
    const stages = task.stages ? timeStages(task, r.wrt) : undefined;
    const unicode = task.printChars ? formatAnswer(r.gradient, "unicode", r.ctx) : undefined;
    return {
      ok: true,
      times,
      first,
      treeSize: printedSize(r.gradient, r.ctx),
      dagSize: dagSize(r.gradient),
      unicode: unicode && unicode.length > task.printChars! ? unicode.slice(0, task.printChars) + "…" : unicode,
      stages,
    };
  } catch (err) {
    return failure(err);
  }
}

/** The pipeline of api.derive (without its notes), stage by stage (the wrt name already canonical). */
function timeStages(task: DeriveTask, wrt: string): Stages {
  const t0 = performance.now();
  const ctx = contextOf(task.where);
  const t1 = performance.now();
  const parsed = parseExpression(task.text, { names: new Set(ctx.symbols.keys()) });
  const t2 = performance.now();
  const { expr } = inferShapes(parsed, ctx, task.text);
  const t3 = performance.now();
  const d = task.order === 2 ? hessian(expr, wrt, ctx) : derivative(expr, wrt, ctx);
  const t4 = performance.now();
  const s = foldDefinitions(simplify(inferShapes(d.derivative, ctx).expr, ctx), ctx);
  const t5 = performance.now();
  formatAnswer(s, "unicode", ctx);
  const t6 = performance.now();
  numpyModule(expr, s, wrt, ctx, task.text, { shape: d.shape, order: task.order });
  const t7 = performance.now();
  return { context: t1 - t0, parse: t2 - t1, shapes: t3 - t2, derive: t4 - t3, simplify: t5 - t4, print: t6 - t5, numpy: t7 - t6 };
}

export function failure(err: unknown): Failure {
  const e = err as { message?: string; category?: string; format?: () => string };
  let message = typeof e?.format === "function" ? e.format().split("\n")[0]! : String(e?.message ?? err);
  if (err instanceof RangeError && /call stack/i.test(message)) message = `stack overflow (${message})`;
  return { ok: false, error: message.slice(0, 300), category: e?.category };
}

/** Nodes of the answer as printed: its body and each definition of its where clause (one more for the name). */
export function printedSize(answer: Expr, ctx: Context): number {
  const { body, where } = nameShared(answer, ctx);
  return treeSize(body) + where.reduce((n, d) => n + 1 + treeSize(d.expr), 0);
}

/** Node count of the tree, without recursion. */
export function treeSize(root: Expr): number {
  let n = 0;
  const stack: Expr[] = [root];
  while (stack.length) {
    const e = stack.pop()!;
    n++;
    for (const a of e.args) stack.push(a);
  }
  return n;
}

/** Distinct subtrees by structure (hash-consing), linear in the number of distinct objects. */
export function dagSize(root: Expr): number {
  const ids = new Map<Expr, number>();
  const byKey = new Map<string, number>();
  const stack: [Expr, boolean][] = [[root, false]];
  while (stack.length) {
    const [e, ready] = stack.pop()!;
    if (ids.has(e)) continue;
    if (!ready) {
      stack.push([e, true]);
      for (const a of e.args) if (!ids.has(a)) stack.push([a, false]);
      continue;
    }
    const v = e.value ? `${e.value.n}/${e.value.d}` : "";
    const k = `${e.op}|${e.name ?? ""}|${e.fn ?? ""}|${e.sub ?? ""}|${e.dim ?? ""}|${v}|${e.args.map((a) => ids.get(a)).join(",")}`;
    let id = byKey.get(k);
    if (id === undefined) byKey.set(k, (id = byKey.size));
    ids.set(e, id);
  }
  return byKey.size;
}
