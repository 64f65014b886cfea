// `npm run bench`: speed, scaling and the cost of the generated code, side by side with SymPy.
// Prints a table of targets and writes bench/RESULTS.md and bench/results.json.
//
//   node dist/bench/run.js [--quick] [--only latency,scaling,cold,numpy,sympy] [--write]
//
// --quick (fewer repeats) and --only write to dist/bench/ instead, unless --write is given; the
// report's header says which kind of run it is. Not part of `npm test`.
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { derive } from "../src/api.js";
import { sym } from "../src/ast.js";
import { Matrix } from "ml-matrix";
import { maxAbs, shapedLike } from "../src/numeric/compare.js";
import { evaluate } from "../src/numeric/evaluate.js";
import { centralDifference } from "../src/numeric/finiteDifference.js";
import { instanceWhereDefined, seededRng } from "../src/numeric/random.js";
import { symbolName } from "../src/print/names.js";
import { numpyModule } from "../src/print/numpy.js";
import { PROBLEMS, deriveOptions } from "../test/corpus/problems.js";
import { FAMILIES, SIZES } from "./families.js";

/** The slope the targets read is taken from this size on. */
const LAST_DECADE_FROM = 100;
import { type Outcome, Runner } from "./pool.js";
import { fixed, logLogSlope, max, median, ms } from "./stats.js";
import { sympyProgram } from "./sympy.js";
import type { Stages } from "./tasks.js";

// ---------------------------------------------------------------- configuration

const argv = process.argv.slice(2);
const QUICK = argv.includes("--quick");
const onlyArg = argv.find((a) => a.startsWith("--only"));
const ONLY = onlyArg ? new Set((onlyArg.includes("=") ? onlyArg.split("=")[1]! : argv[argv.indexOf(onlyArg) + 1]!).split(",")) : undefined;
const runs = (section: string) => !ONLY || ONLY.has(section);

const HERE = dirname(fileURLToPath(import.meta.url)); // dist/bench
const ROOT = join(HERE, "..", "..");
const CLI = join(ROOT, "dist", "src", "cli.js");
/** --write: a quick or partial run writes bench/RESULTS.md too (its header says which run it was). */
const OUT_DIR = (QUICK || ONLY) && !argv.includes("--write") ? HERE : join(ROOT, "bench");

const CONFIG = {
  latency: { warmup: QUICK ? 2 : 5, runs: QUICK ? 7 : 25, timeoutMs: 60_000 },
  // per round: each size warmed up, then timed; the median is over every round's runs
  scaling: { rounds: QUICK ? 1 : 3, warmup: 2, warmupMs: QUICK ? 300 : 500, minRuns: QUICK ? 2 : 3, maxRuns: QUICK ? 3 : 5, budgetMs: QUICK ? 1000 : 1500, timeoutMs: QUICK ? 30_000 : 90_000 },
  cold: { warmup: 2, runs: QUICK ? 5 : 21 },
  numpy: { repeats: QUICK ? 3 : 7 },
  sympy: { repeats: QUICK ? 2 : 5, timeoutS: QUICK ? 20 : 60 },
};

const TARGETS = {
  latencyMs: 5,
  slope: 1.15,
  n1000Ms: 200,
  /** cold start: a multiple of `node -e 0` */
  coldRatio: 1.8,
  /** derivative() over the hand-written gradient */
  handRatio: 1.25,
  sympySpeedup: 100,
};

/** The losses of issue 13 at realistic, unequal sizes: derivative() against hand-written NumPy. */
const LOSSES = [
  { id: "gp-lvm", title: "GP-LVM", text: "−D/2 log|K| − ½ tr(K⁻¹YYᵀ)", wrt: "X", where: "X: m×n, Y: m×D, α, β: scalar, K := αXXᵀ + β⁻¹I", sizes: { m: 2000, n: 10, D: 20 } },
  { id: "autoencoder", title: "linear autoencoder", text: "‖X − WWᵀX‖_F²", wrt: "W", where: "X: n×m, W: n×k", sizes: { n: 500, m: 2000, k: 32 } },
  { id: "ridge", title: "ridge regression", text: "‖Xw − y‖² + λ‖w‖²", wrt: "w", where: "X: m×n, w: n, y: m, λ: scalar", sizes: { m: 2000, n: 500 } },
  { id: "logistic", title: "logistic regression", text: "sum(softplus(Xw)) − tᵀXw", wrt: "w", where: "X: m×n, w: n, t: m", sizes: { m: 2000, n: 500 } },
  { id: "softmax-cross-entropy", title: "softmax cross-entropy", text: "−yᵀlog(softmax(Wx))", wrt: "W", where: "W: k×n, x: n, y: k", sizes: { k: 2000, n: 500 } },
  { id: "mlp-tanh", title: "2-layer tanh MLP", text: "½‖V tanh(Wx) − y‖²", wrt: "W", where: "W: m×n, V: k×m, x: n, y: k", sizes: { m: 2000, n: 500, k: 10 } },
  { id: "mlp-batched", title: "batched 2-layer tanh MLP", text: "½‖V tanh(WX) − Y‖_F²", wrt: "W", where: "W: m×n, V: k×m, X: n×b, Y: k×b", sizes: { m: 2000, n: 500, k: 10, b: 256 } },
] as const;


/** The cold-start commands: the issue's tr(X) (the target), and the seed's whole GP-LVM log-likelihood by X. */
const COLD = [
  { expression: "tr(X)", wrt: "X", where: undefined },
  { expression: "−D/2 log|K| − ½ tr(K⁻¹YYᵀ)", wrt: "X", where: "X: m×n, Y: m×D, α, β: scalar, K := αXXᵀ + β⁻¹I" },
];

// ---------------------------------------------------------------- results

type Verdict = "PASS" | "MISS" | "N/A";

interface Target {
  readonly id: string;
  readonly name: string;
  readonly target: string;
  readonly figure: string;
  readonly verdict: Verdict;
  readonly note?: string;
}

const log = (s: string) => process.stderr.write(s + "\n");

async function main(): Promise<void> {
  const started = Date.now();
  const runner = new Runner();
  const python = detectPython();
  const results: Record<string, unknown> = { meta: meta(python) };
  const targets: Target[] = [];
  const markdown: string[] = [];

  if (runs("latency")) {
    const latency = await latencySection(runner);
    results.latency = latency;
    targets.push(latencyTarget(latency));
    markdown.push(latencyMarkdown(latency));
  }
  if (runs("scaling")) {
    const scaling = await scalingSection(runner);
    results.scaling = scaling;
    targets.push(slopesTarget(scaling), ...scaling.map(scalingTarget));
    markdown.push(scalingMarkdown(scaling));
  }
  await runner.close();
  if (runs("cold")) {
    const cold = coldSection();
    results.cold = cold;
    targets.push(coldTarget(cold));
    markdown.push(coldMarkdown(cold));
  }
  if (runs("numpy")) {
    const numpy = await numpySection(python);
    results.numpy = numpy;
    targets.push(numpyTarget(numpy), torchTarget(numpy));
    markdown.push(numpyMarkdown(numpy));
  }
  if (runs("sympy")) {
    const sympy = await sympySection(python);
    results.sympy = sympy;
    targets.push(sympyTarget(sympy));
    markdown.push(sympyMarkdown(sympy));
  }

  const withNotes = targets;
  results.targets = withNotes;
  (results.meta as Meta).seconds = Math.round((Date.now() - started) / 1000);
  (results.meta as Meta).load.push(loadavg()[0]!);

  mkdirSync(OUT_DIR, { recursive: true });
  writeFileSync(join(OUT_DIR, "results.json"), JSON.stringify(results, null, 1) + "\n");
  writeFileSync(join(OUT_DIR, "RESULTS.md"), [header(results.meta as Meta), targetsMarkdown(withNotes), ...markdown].join("\n\n") + "\n");
  process.stdout.write("\n" + targetsConsole(withNotes) + "\n");
  process.stdout.write(`\nwrote ${join(OUT_DIR, "RESULTS.md")} and results.json (${(results.meta as Meta).seconds} s)\n`);
}

// ---------------------------------------------------------------- environment

interface Python {
  readonly numpy: boolean;
  readonly sympy: boolean;
  readonly note?: string;
  /**
   * A Python that imports both numpy and torch (python3, else Debian's /usr/bin/python3 with
   * python3-torch): the generated code, the hand-written gradient and torch then run side by
   * side in it. Undefined where none does (the section reports `import torch`'s error).
   */
  readonly torchInterpreter?: string;
}

function detectPython(): Python {
  const probe = (code: string) => spawnSync("python3", ["-c", code], { encoding: "utf8" });
  const numpy = probe("import numpy");
  if (numpy.error || numpy.status !== 0)
    return { numpy: false, sympy: false, note: numpy.error ? "python3 is not on this machine" : "python3 has no numpy" };
  const sympy = probe("import sympy");
  const torchInterpreter = ["python3", "/usr/bin/python3"].find((python) => spawnSync(python, ["-c", "import numpy, torch"], { encoding: "utf8" }).status === 0);
  return { numpy: true, sympy: sympy.status === 0, note: sympy.status === 0 ? undefined : "python3 has no sympy", torchInterpreter };
}

interface Meta {
  readonly date: string;
  readonly node: string;
  readonly cpu: string;
  readonly cores: number;
  readonly commit: string;
  readonly mode: string;
  readonly python?: string;
  /** 1-minute load average at the start and the end (the machine may be shared). */
  readonly load: number[];
  seconds?: number;
}

function meta(python: Python): Meta {
  const git = spawnSync("git", ["describe", "--always", "--dirty"], { cwd: ROOT, encoding: "utf8" });
  const versions = python.numpy
    ? spawnSync("python3", ["-c", "import sys, numpy; v = [sys.version.split()[0], numpy.__version__]\ntry:\n import sympy; v.append(sympy.__version__)\nexcept ImportError: v.append('absent')\nprint('python %s, numpy %s, sympy %s' % tuple(v))"], { encoding: "utf8" }).stdout.trim()
    : python.note;
  return {
    date: new Date().toISOString(),
    node: process.version,
    cpu: cpus()[0]?.model ?? "unknown",
    cores: cpus().length,
    commit: git.status === 0 ? git.stdout.trim() : "unknown",
    mode: QUICK ? "quick" : ONLY ? `partial (${[...ONLY].join(", ")})` : "full",
    python: versions,
    load: [loadavg()[0]!],
  };
}

// ---------------------------------------------------------------- 1. latency

interface SpellingTiming {
  readonly median?: number;
  readonly max?: number;
  readonly first?: number;
  readonly error?: string;
  readonly treeSize?: number;
}

interface LatencyRow {
  readonly id: string;
  readonly source: string;
  readonly spellings: Record<string, SpellingTiming>;
  /** The slowest spelling's median, and the maximum over every run of every spelling. */
  readonly median: number;
  readonly max: number;
  readonly errors: string[];
}

interface LatencyResult {
  readonly rows: LatencyRow[];
  readonly runsPerSpelling: number;
  readonly warmup: number;
}

async function latencySection(runner: Runner): Promise<LatencyResult> {
  log(`1. latency: ${PROBLEMS.length} corpus problems × 3 spellings, ${CONFIG.latency.runs} runs each`);
  const rows: LatencyRow[] = [];
  for (const p of PROBLEMS) {
    const spellings: Record<string, SpellingTiming> = {};
    const errors: string[] = [];
    for (const [spelling, text] of Object.entries(p.spellings)) {
      const out = await runner.run(
        { kind: "derive", text, ...deriveOptions(p), output: "all", warmup: CONFIG.latency.warmup, minRuns: CONFIG.latency.runs, maxRuns: CONFIG.latency.runs, budgetMs: 0 },
        CONFIG.latency.timeoutMs,
      );
      if (out.ok) spellings[spelling] = { median: median(out.times), max: max(out.times), first: out.first, treeSize: out.treeSize };
      else {
        spellings[spelling] = { error: out.error };
        errors.push(`${spelling}: ${out.error}`);
      }
    }
    const timed = Object.values(spellings).filter((s) => s.median !== undefined);
    rows.push({
      id: p.id,
      source: p.source,
      spellings,
      median: max(timed.map((s) => s.median!)),
      max: max(timed.map((s) => s.max!)),
      errors,
    });
  }
  return { rows, runsPerSpelling: CONFIG.latency.runs, warmup: CONFIG.latency.warmup };
}

function latencyTarget(l: LatencyResult): Target {
  const worst = [...l.rows].sort((a, b) => b.median - a.median)[0];
  const failed = l.rows.filter((r) => r.errors.length);
  const over = l.rows.filter((r) => !(r.median < TARGETS.latencyMs));
  const figure = `slowest median ${ms(worst?.median)} ms (${worst?.id}); ${over.length} of ${l.rows.length} over${failed.length ? `; ${failed.length} failed to derive` : ""}`;
  return {
    id: "latency",
    name: "Latency (corpus, in-process)",
    target: `every problem < ${TARGETS.latencyMs} ms median`,
    figure,
    verdict: over.length || failed.length ? "MISS" : "PASS",
  };
}

function latencyMarkdown(l: LatencyResult): string {
  const medians = l.rows.map((r) => r.median).filter(Number.isFinite);
  const lines = [
    "## 1. Latency: each corpus problem, in-process",
    "",
    `\`derive(text, {wrt, where, verify: false})\` (parse, shapes, derivative, simplification), the Unicode answer printed and the NumPy module generated, in a worker thread, ` +
      `each spelling warmed up with ${l.warmup} runs and then timed ${l.runsPerSpelling} times. ` +
      `Per problem: the median of its slowest spelling, and the maximum over all runs of all three spellings. ` +
      `The first (cold) call of each spelling is shown for reference.`,
    "",
    `Over the ${l.rows.length} problems: median of medians ${ms(median(medians))} ms, slowest median ${ms(max(medians))} ms, ` +
      `largest single run ${ms(max(l.rows.map((r) => r.max).filter(Number.isFinite)))} ms.`,
    "",
    "| problem | median ms | max ms | unicode | ascii | latex | first call ms | output nodes |",
    "|---|---:|---:|---:|---:|---:|---:|---:|",
  ];
  for (const r of [...l.rows].sort((a, b) => b.median - a.median)) {
    const s = (k: string) => (r.spellings[k]?.error ? "error" : ms(r.spellings[k]?.median));
    const first = max(Object.values(r.spellings).map((x) => x.first ?? NaN).filter(Number.isFinite));
    const flag = r.median < TARGETS.latencyMs && !r.errors.length ? "" : " **MISS**";
    lines.push(`| ${r.id}${flag} | ${ms(r.median)} | ${ms(r.max)} | ${s("unicode")} | ${s("ascii")} | ${s("latex")} | ${ms(first)} | ${r.spellings.unicode?.treeSize ?? "—"} |`);
  }
  const failed = l.rows.filter((r) => r.errors.length);
  if (failed.length) {
    lines.push("", "Failures:", "");
    for (const r of failed) lines.push(`- ${r.id}: ${r.errors.join("; ")}`);
  }
  return lines.join("\n");
}

// ---------------------------------------------------------------- 2. scaling

interface SizeResult {
  readonly n: number;
  readonly status: "ok" | "refused" | "timeout" | "error" | "skipped";
  readonly median?: number;
  readonly max?: number;
  readonly first?: number;
  readonly runs?: number;
  readonly treeSize?: number;
  readonly dagSize?: number;
  readonly stages?: Stages;
  readonly message?: string;
  readonly inputChars?: number;
}

interface FamilyResult {
  readonly id: string;
  readonly title: string;
  readonly supplementary?: true;
  readonly example: string;
  readonly sizes: SizeResult[];
  readonly slopeTime: number;
  readonly slopeTree: number;
  readonly slopeDag: number;
  /** Slope over the last decade, n = 100 to 1000 (NaN when those sizes were not all measured). */
  readonly lastSlopeTime: number;
}

async function scalingSection(runner: Runner): Promise<FamilyResult[]> {
  log(`2. scaling: ${FAMILIES.length} families, n = ${SIZES.join(", ")}, ${CONFIG.scaling.rounds} rounds`);
  const out: FamilyResult[] = [];
  for (const f of FAMILIES) {
    // Each family in a fresh worker: what earlier problems left in memory does not weigh on it.
    await runner.close();
    // The sizes are timed in rounds, each size a few runs a round, so that a slow spell of the
    // machine weighs on every size alike rather than on the one it falls in (a slope is a ratio
    // of two sizes' times: side by side, as any other ratio here).
    const found = new Map<number, SizeResult>();
    const times = new Map<number, number[]>();
    let stop: string | undefined;
    for (let round = 0; round < CONFIG.scaling.rounds; round++)
      for (const n of f.sizes ?? SIZES) {
        const known = found.get(n);
        if (stop || (known && known.status !== "ok")) continue;
        const p = f.make(n);
        const t0 = Date.now();
        const o: Outcome = await runner.run(
          {
            kind: "derive",
            ...p,
            warmup: CONFIG.scaling.warmup,
            warmupMs: CONFIG.scaling.warmupMs,
            output: "all",
            minRuns: CONFIG.scaling.minRuns,
            maxRuns: CONFIG.scaling.maxRuns,
            budgetMs: CONFIG.scaling.budgetMs,
            stages: round === 0,
          },
          CONFIG.scaling.timeoutMs,
        );
        const inputChars = p.text.length + p.where.length;
        if (o.ok) {
          const all = [...(times.get(n) ?? []), ...o.times];
          times.set(n, all);
          found.set(n, { n, status: "ok", median: median(all), max: max(all), first: known?.first ?? o.first, runs: all.length, treeSize: o.treeSize, dagSize: o.dagSize, stages: known?.stages ?? o.stages, inputChars });
          log(`   ${f.id} n=${n} round ${round + 1}: ${ms(median(o.times))} ms, ${o.treeSize} nodes (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
        } else if ("timeout" in o) {
          found.set(n, { n, status: "timeout", message: o.error, inputChars });
          stop = `not run: n = ${n} timed out`;
          log(`   ${f.id} n=${n}: ${o.error}`);
        } else {
          const refused = /nested more than \d+ levels deep/.test(o.error);
          found.set(n, { n, status: refused ? "refused" : "error", message: o.error, inputChars });
          log(`   ${f.id} n=${n}: ${refused ? "refused" : "error"}: ${o.error}`);
        }
      }
    const sizes: SizeResult[] = (f.sizes ?? SIZES).map((n) => found.get(n) ?? { n, status: "skipped", message: stop });
    const ok = sizes.filter((s) => s.status === "ok");
    // from n = 100 on: 100 → 1000
    const lastDecade = ok.filter((s) => s.n >= LAST_DECADE_FROM);
    out.push({
      id: f.id,
      title: f.title,
      supplementary: f.supplementary,
      example: (({ text, where }) => `${text}   where ${where}`)(f.make(3)),
      sizes,
      slopeTime: logLogSlope(ok.map((s) => ({ x: s.n, y: s.median! }))),
      slopeTree: logLogSlope(ok.map((s) => ({ x: s.n, y: s.treeSize! }))),
      slopeDag: logLogSlope(ok.map((s) => ({ x: s.n, y: s.dagSize! }))),
      lastSlopeTime: lastDecade.length >= 2 && lastDecade[0]!.n === LAST_DECADE_FROM ? logLogSlope(lastDecade.map((s) => ({ x: s.n, y: s.median! }))) : NaN,
    });
  }
  return out;
}

function scalingTarget(f: FamilyResult): Target {
  const big = f.sizes.find((s) => s.n === 1000);
  const problems: string[] = [];
  const notMeasured = f.sizes.filter((s) => s.status === "timeout" || s.status === "error" || s.status === "skipped");
  if (!(f.lastSlopeTime <= TARGETS.slope)) problems.push("time slope of the last decade");
  if (!(f.slopeTree <= TARGETS.slope)) problems.push("size slope");
  let bigText: string;
  let bigVerdict: Verdict;
  if (big?.status === "ok") {
    bigText = `${ms(big.median)} ms`;
    bigVerdict = big.median! < TARGETS.n1000Ms ? "PASS" : "MISS";
  } else if (big?.status === "refused" || !big) {
    bigText = big ? "refused by the parser" : `not in its sizes (largest n = ${f.sizes.at(-1)?.n})`;
    bigVerdict = "N/A";
  } else {
    bigText = big?.status === "timeout" ? big.message! : big?.message ?? "not measured";
    bigVerdict = "MISS";
  }
  if (bigVerdict === "MISS") problems.push("n = 1000");
  if (notMeasured.length) problems.push(`${notMeasured.map((s) => s.n).join(", ")} not measured`);
  const largest = [...f.sizes].reverse().find((s) => s.status === "ok");
  return {
    note: largest?.stages ? stageNote(largest) : undefined,
    id: `scaling:${f.id}`,
    name: `Scaling: ${f.title}`,
    target: f.supplementary ? "none of its own (beside the nested inverses)" : `end to end, time slope n = 100 → 1000 ≤ ${TARGETS.slope}, size slope ≤ ${TARGETS.slope}; n = 1000 < ${TARGETS.n1000Ms} ms`,
    figure:
      `time slope ${fixed(f.lastSlopeTime)} (n = 100 → 1000; ${fixed(f.slopeTime)} over all sizes), size slope ${fixed(f.slopeTree)}; n = 1000: ${bigText}` +
      (big?.status !== "ok" && largest ? ` (n = ${largest.n}: ${ms(largest.median)} ms)` : "") +
      (problems.length && !f.supplementary ? ` — missed: ${problems.join(", ")}` : ""),
    verdict: f.supplementary ? "N/A" : problems.length ? "MISS" : "PASS",
  };
}

/** The slope alone, every family at once: which pass, end to end, over the last decade. */
function slopesTarget(fs: FamilyResult[]): Target {
  const judged = fs.filter((f) => !f.supplementary);
  const passing = judged.filter((f) => f.lastSlopeTime <= TARGETS.slope);
  const text = (f: FamilyResult) => `${f.id} ${Number.isNaN(f.lastSlopeTime) ? "— (n = 100 → 1000 not all measured)" : fixed(f.lastSlopeTime)}`;
  return {
    id: "scaling-slopes",
    name: "Scaling slopes (every family)",
    target: `end-to-end time slope n = 100 → 1000 ≤ ${TARGETS.slope}`,
    figure:
      `${passing.length} of ${judged.length} pass: ${passing.map(text).join(", ") || "none"}` +
      (passing.length < judged.length ? `; over or not measured: ${judged.filter((f) => !passing.includes(f)).map(text).join(", ")}` : ""),
    verdict: passing.length === judged.length ? "PASS" : "MISS",
  };
}

/** Where the time of the largest size went, from its stage run. */
function stageNote(s: SizeResult): string {
  const stages = Object.entries(s.stages!).sort((a, b) => b[1] - a[1]);
  const total = stages.reduce((t, [, v]) => t + v, 0);
  return `At n = ${s.n} the stages took ${ms(total)} ms, most of it ${stages.slice(0, 2).map(([k, v]) => `${k} (${ms(v)} ms)`).join(" and ")}.`;
}

function scalingMarkdown(fs: FamilyResult[]): string {
  const lines = [
    "## 2. Scaling",
    "",
    `Each family at n = ${SIZES.join(", ")}${FAMILIES.filter((f) => f.sizes).map((f) => ` (${f.id} at ${f.sizes!.join(", ")})`).join("")}, in-process (a fresh worker thread per family; a size that takes over ` +
      `${CONFIG.scaling.timeoutMs / 1000} s is stopped and larger ones are not run). Time, end to end: derive() (parse, shapes, ` +
      `derivative, simplification), the Unicode answer printed and the NumPy module generated — the median of every run of ` +
      `${CONFIG.scaling.rounds} rounds, each round taking the sizes in turn, each size up to ${CONFIG.scaling.maxRuns} runs after warming up for at least ` +
      `${CONFIG.scaling.warmupMs} ms at that size (its first call the only warm-up and ${Math.min(CONFIG.scaling.minRuns, 3)} runs when a run takes over a ` +
      `second): a slow spell of the machine falls on every size alike, not on the one it meets. Size: nodes of the answer as printed (its where clause included: what a reader reads) and of the simplified derivative as a DAG (equal ` +
      `subtrees counted once, as the NumPy module computes them). Slopes: least-squares fit of log(figure) on log(n); "last ` +
      `decade" over n = 100, 300, 1000, the target's. Stages (one extra run): context = declarations and definitions parsed and ` +
      `shape-checked; derive = reverse accumulation with its local simplification of each adjoint; print = Unicode printing; ` +
      `numpy = the module generated.`,
  ];
  for (const f of fs) {
    lines.push(
      "",
      `### ${f.title}`,
      "",
      `n = 3: \`${f.example}\``,
      "",
      `Slopes: time ${fixed(f.slopeTime)} (last decade ${fixed(f.lastSlopeTime)}), printed size ${fixed(f.slopeTree)}, DAG size ${fixed(f.slopeDag)}.`,
      "",
      "| n | median ms | max ms | runs | printed nodes | DAG nodes | context | parse | shapes | derive | simplify | print | numpy |",
      "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    );
    for (const s of f.sizes) {
      if (s.status !== "ok") {
        lines.push(`| ${s.n} | ${s.status}: ${s.message} | | | | | | | | | | | |`);
        continue;
      }
      const st = s.stages!;
      lines.push(
        `| ${s.n} | ${ms(s.median)} | ${ms(s.max)} | ${s.runs} | ${s.treeSize} | ${s.dagSize} | ${ms(st.context)} | ${ms(st.parse)} | ${ms(st.shapes)} | ${ms(st.derive)} | ${ms(st.simplify)} | ${ms(st.print)} | ${ms(st.numpy)} |`,
      );
    }
  }
  return lines.join("\n");
}

// ---------------------------------------------------------------- 3. cold start

interface ColdCommand {
  readonly command: string;
  readonly times: number[];
  readonly median: number;
  readonly ratio: number;
  readonly error?: string;
}

interface ColdResult {
  readonly nodeBaseline: number;
  readonly commands: ColdCommand[];
}

/**
 * Whole processes, spawned in turn with `node -e 0` (so that the machine's load weighs on both
 * alike); the ratio of medians is the figure.
 */
function coldSection(): ColdResult {
  log(`3. cold start: ${CONFIG.cold.runs} runs of each command, interleaved with node -e 0`);
  const time = (cmd: string[]) => {
    const t = performance.now();
    const r = spawnSync(process.execPath, cmd, { encoding: "utf8" });
    return { elapsed: performance.now() - t, ok: r.status === 0, stderr: r.stderr };
  };
  const commands = COLD.map((c) => ({ ...c, args: [CLI, "derive", c.expression, "--wrt", c.wrt, ...(c.where ? ["--where", c.where] : [])], times: [] as number[], error: undefined as string | undefined }));
  const baseline: number[] = [];
  for (let i = 0; i < CONFIG.cold.warmup; i++) for (const c of commands) time(c.args);
  for (let i = 0; i < CONFIG.cold.runs; i++) {
    baseline.push(time(["-e", "0"]).elapsed);
    for (const c of commands) {
      const r = time(c.args);
      if (!r.ok) c.error = r.stderr.split("\n")[0];
      c.times.push(r.elapsed);
    }
  }
  const nodeBaseline = median(baseline);
  return {
    nodeBaseline,
    commands: commands.map((c) => ({
      command: `node dist/src/cli.js derive '${c.expression}' --wrt ${c.wrt}${c.where ? ` --where '${c.where}'` : ""}`,
      times: c.times,
      median: median(c.times),
      ratio: median(c.times) / nodeBaseline,
      error: c.error,
    })),
  };
}

function coldTarget(c: ColdResult): Target {
  const [first, ...others] = c.commands;
  return {
    id: "cold",
    name: "Cold start (`matcalc derive 'tr(X)' --wrt X`, whole process)",
    target: `≤ ${TARGETS.coldRatio}× \`node -e 0\`, measured side by side`,
    figure:
      `${fixed(first!.ratio)}× (${ms(first!.median)} ms against ${ms(c.nodeBaseline)} ms)` +
      others.map((o) => `; the GP-LVM command ${fixed(o.ratio)}× (${ms(o.median)} ms)`).join("") +
      (first!.error ? `; failed: ${first!.error}` : ""),
    verdict: !first!.error && first!.ratio <= TARGETS.coldRatio ? "PASS" : "MISS",
  };
}

function coldMarkdown(c: ColdResult): string {
  return [
    "## 3. Cold start",
    "",
    `Each command as a whole process, spawned ${c.commands[0]?.times.length} times after ${CONFIG.cold.warmup} untimed runs (file cache warm), ` +
      `in turn with \`node -e 0\` (median ${ms(c.nodeBaseline)} ms). The command line is one bundled file (build/bundle.mjs) with the ` +
      `rules' patterns parsed at build time (build/precompile.mjs), started from V8's code cache of the built-in example's run (made at build time, ` +
      `used only when V8 and the bundle are those it was made with); every answer is still checked numerically.`,
    "",
    "| command | median ms | max ms | × node -e 0 |",
    "|---|---:|---:|---:|",
    ...c.commands.map((x) => `| \`${x.command.replaceAll("|", "\\|")}\` | ${ms(x.median)} | ${ms(max(x.times))} | ${fixed(x.ratio)}${x.error ? ` (failed: ${x.error})` : ""} |`),
  ].join("\n");
}

// ---------------------------------------------------------------- 4. generated code

interface LossResult {
  readonly id: string;
  readonly title: string;
  readonly expression: string;
  readonly wrt: string;
  readonly sizes: Record<string, number>;
  readonly generated_s?: number;
  readonly hand_s?: number;
  /** The median over the rounds of derivative()'s sample over the hand-written one's, taken back to back. */
  readonly generated_per_hand?: number;
  readonly torch_s?: number;
  readonly value_s?: number;
  readonly check?: number;
  readonly hand_check?: number;
  readonly error?: string;
}

interface NumpyResult {
  readonly skipped?: string;
  readonly versions?: string;
  readonly torch?: string | null;
  /** Why torch was not measured, as the run found it: `import torch`'s error, or no result at all. */
  readonly torchMissing?: string;
  readonly losses: LossResult[];
}

async function numpySection(python: Python): Promise<NumpyResult> {
  if (!python.numpy) return { skipped: `skipped: ${python.note}`, losses: [] };
  log(`4. generated code: ${LOSSES.length} losses, derivative() beside hand-written NumPy (and torch where it imports)`);
  const dir = mkdtempSync(join(tmpdir(), "matcalc-bench-"));
  const losses: LossResult[] = [];
  const jobs: unknown[] = [];
  for (const l of LOSSES) {
    const base = { id: l.id, title: l.title, expression: l.text, wrt: l.wrt, sizes: l.sizes };
    try {
      const r = derive(l.text, { wrt: l.wrt, where: l.where });
      const text = numpyModule(r.expression, r.gradient, r.wrt, r.ctx, l.text);
      const file = join(dir, `${l.id.replace(/\W/g, "_")}.py`);
      writeFileSync(file, text);
      const params = /def value\((.*)\):/.exec(text)![1]!.split(", ").filter((name) => name && !name.endsWith("=None")).map((name) => {
        const info = [...r.ctx.symbols.values()].find((i) => symbolName(i.name, "numpy") === name)!;
        const [rows, cols] = r.ctx.dims.resolveShape(info.shape);
        return rows === 1 && cols === 1 ? { name, kind: "scalar" } : { name, kind: "array", rows, cols };
      });
      jobs.push({ id: l.id, file, wrt: symbolName(r.wrt, "numpy"), params, sizes: l.sizes });
      losses.push(base);
    } catch (err) {
      losses.push({ ...base, error: (err as Error).message.split("\n")[0] });
    }
  }
  const jobFile = join(dir, "job.json");
  writeFileSync(jobFile, JSON.stringify({ repeats: CONFIG.numpy.repeats, losses: jobs }));
  const env = { ...process.env, OPENBLAS_NUM_THREADS: "1", OMP_NUM_THREADS: "1", MKL_NUM_THREADS: "1" };
  const { lines, error } = await runPython(python.torchInterpreter ?? "python3", join(ROOT, "bench", "numpy_losses.py"), jobFile, env, 30 * 60_000, (o) => {
    if (o.id) log(`   ${o.id}: ${o.error ? `error: ${o.error}` : `generated/hand ${fixed(o.generated_per_hand as number)}`}`);
  });
  const head = lines[0] ?? {};
  return {
    versions: head.python ? `python ${head.python}, numpy ${head.numpy}` : undefined,
    torch: (head.torch as string | null | undefined) ?? null,
    torchMissing: head.torch ? undefined : head.torch_error ? `\`import torch\` failed: ${head.torch_error as string}` : "python3 reported nothing about torch",
    losses: losses.map((l) => {
      const o = lines.find((x) => x.id === l.id);
      return l.error ? l : o ? { ...l, ...(o as object) } : { ...l, error: error ?? "no result" };
    }),
  };
}

const handRatio = (l: LossResult) => l.generated_per_hand ?? NaN;

function numpyTarget(n: NumpyResult): Target {
  const name = "Generated code: derivative() against hand-written NumPy";
  if (n.skipped) return { id: "numpy", name, target: `≤ ${TARGETS.handRatio}×`, figure: n.skipped, verdict: "N/A" };
  const failed = n.losses.filter((l) => l.error || !(l.check! < 1e-4));
  const worst = [...n.losses].filter((l) => !l.error).sort((a, b) => handRatio(b) - handRatio(a))[0];
  const over = n.losses.filter((l) => !(handRatio(l) <= TARGETS.handRatio));
  return {
    id: "numpy",
    name,
    target: `each of the ${LOSSES.length} losses ≤ ${TARGETS.handRatio}× hand-written`,
    figure: `worst ${worst ? `${fixed(handRatio(worst))}× (${worst.id})` : "—"}; ${over.length} of ${n.losses.length} over` + (failed.length ? `; ${failed.length} failed or unchecked` : ""),
    verdict: over.length || failed.length ? "MISS" : "PASS",
    note: worst ? `Largest gap: ${worst.id}, derivative() ${ms(worst.generated_s! * 1000)} ms against ${ms(worst.hand_s! * 1000)} ms by hand (value() ${ms(worst.value_s! * 1000)} ms).` : undefined,
  };
}

function torchTarget(n: NumpyResult): Target {
  const name = "Generated code: derivative() against PyTorch autograd";
  const target = "no slower than torch forward + backward on each loss";
  const measured = n.losses.filter((l) => l.torch_s !== undefined);
  if (n.skipped || !measured.length) return { id: "torch", name, target, figure: n.skipped ?? `not measured: ${n.torchMissing ?? "no loss has a torch time"}`, verdict: "N/A" };
  const slower = measured.filter((l) => !(l.generated_s! <= l.torch_s!));
  const worst = [...measured].sort((a, b) => b.generated_s! / b.torch_s! - a.generated_s! / a.torch_s!)[0]!;
  return {
    id: "torch",
    name,
    target,
    figure: `slower on ${slower.length} of ${measured.length}; worst ${fixed(worst.generated_s! / worst.torch_s!)}× torch (${worst.id})`,
    verdict: slower.length ? "MISS" : "PASS",
  };
}

function numpyMarkdown(n: NumpyResult): string {
  const lines = ["## 4. Generated code: the seven losses beside hand-written NumPy", ""];
  if (n.skipped) return [...lines, n.skipped].join("\n");
  lines.push(
    `Each loss printed by \`--format numpy\` and run by ${n.versions ?? "python3"} with BLAS on one thread, float64, at the ` +
      `sizes shown (unequal, as in practice). Baselines: a gradient written by hand in NumPy (bench/numpy_reference.py) and ` +
      (n.torch ? `PyTorch ${n.torch} autograd, forward + backward, one thread. ` : `PyTorch autograd — not measured: ${n.torchMissing}. `) +
      `Each time is the median of ${CONFIG.numpy.repeats} samples of about 0.2 s, the candidates sampled in turn; derivative/hand is the median of ` +
      `the ${CONFIG.numpy.repeats} ratios of samples taken back to back (what a change in the machine's load disturbs least). check = relative ` +
      `error of the gradient against a directional central difference of the module's value().`,
    "",
    "| loss | sizes | value ms | derivative() ms | hand ms | derivative/hand | torch ms | check (generated, hand) |",
    "|---|---|---:|---:|---:|---:|---:|---|",
  );
  for (const l of n.losses) {
    const sizes = Object.entries(l.sizes).map(([k, v]) => `${k} = ${v}`).join(", ");
    if (l.error) {
      lines.push(`| ${l.id} **MISS** | ${sizes} | error: ${l.error.replaceAll("|", "\\|")} | | | | | |`);
      continue;
    }
    const flag = handRatio(l) <= TARGETS.handRatio ? "" : " **MISS**";
    lines.push(
      `| ${l.id}: \`${l.expression.replaceAll("|", "\\|")}\` by ${l.wrt} | ${sizes} | ${ms(l.value_s! * 1000)} | ${ms(l.generated_s! * 1000)} | ${ms(l.hand_s! * 1000)} | ${fixed(handRatio(l))}${flag} | ${l.torch_s === undefined ? "—" : ms(l.torch_s * 1000)} | ${l.check?.toExponential(1)}, ${l.hand_check?.toExponential(1)} |`,
    );
  }
  return lines.join("\n");
}

// ---------------------------------------------------------------- 5. SymPy

interface SympyCase {
  readonly id: string;
  readonly verdict: string;
  readonly detail?: string;
  readonly sympyMedian?: number;
  readonly matcalcMedian?: number;
  /** matcalc with the NumPy module generated too (information: SymPy generates no code). */
  readonly matcalcWithNumpy?: number;
  /** matcalc timed again after the worker has derived every problem (information). */
  readonly matcalcWarm?: number;
  readonly ratio?: number;
  readonly matcalcError?: number;
  readonly sympyError?: number;
  /** |SymPy's value of the function − matcalc's| (relative): the translation's check. */
  readonly valueError?: number;
  readonly result?: string;
  readonly matcalcOk: boolean;
}

interface SympyResult {
  readonly skipped?: string;
  readonly versions?: string;
  readonly cases: SympyCase[];
  /** Over the problems both solve. */
  readonly both: number;
  readonly medianRatio: number;
  readonly ratioOfMedians: number;
  readonly sympyMedian: number;
  readonly matcalcMedian: number;
  /** The median per-problem speed-up were matcalc to generate its NumPy module too. */
  readonly medianRatioWithNumpy: number;
  /** The median per-problem speed-up and matcalc's median, timed again after every problem had been derived once. */
  readonly medianRatioWarm: number;
  readonly matcalcMedianWarm: number;
  readonly counts: Record<string, number>;
}

async function sympySection(python: Python): Promise<SympyResult> {
  const empty = { cases: [], both: 0, medianRatio: NaN, ratioOfMedians: NaN, sympyMedian: NaN, matcalcMedian: NaN, medianRatioWithNumpy: NaN, medianRatioWarm: NaN, matcalcMedianWarm: NaN, counts: {} };
  if (!python.sympy) return { ...empty, skipped: `skipped: ${python.note}` };
  log(`5. SymPy: the corpus's gradient problems through sympy.diff`);
  const dir = mkdtempSync(join(tmpdir(), "matcalc-sympy-"));
  const cases: Record<string, unknown>[] = [];
  const prepared = new Map<string, { error?: string; matcalcMedian?: number; matcalcWithNumpy?: number; matcalcError?: number; matcalcWarm?: number }>();
  const runner = new Runner();
  // parse, derive, simplify and the Unicode answer printed, warm, in-process
  const timed = async (p: (typeof PROBLEMS)[number], output: "answer" | "all") => {
    const o = await runner.run({ kind: "derive", text: p.spellings.unicode, ...deriveOptions(p), output, warmup: 3, minRuns: 11, maxRuns: 11, budgetMs: 0 }, 60_000);
    return o.ok ? median(o.times) : undefined;
  };
  for (const p of PROBLEMS) {
    const text = p.spellings.unicode;
    const matcalcMedian = await timed(p, "answer");
    if (p.kind && p.kind !== "gradient") {
      prepared.set(p.id, { error: `not compared: a ${p.kind} (SymPy's matrix diff of these gives arrays of another layout)`, matcalcMedian });
      continue;
    }
    try {
      const r = derive(text, { wrt: p.wrt, where: p.where });
      const program = sympyProgram(r.expression, r.wrt, r.ctx);
      const inst = instanceWhereDefined(r.ctx, [r.expression, r.gradient], seededRng(11));
      const values: Record<string, unknown> = {};
      for (const a of program.args) {
        if (a.kind === "dim") values[a.name] = inst.sizes.get(a.dim!) ?? (a.dim ? inst.sizes.get(String(r.ctx.dims.resolve(a.dim))) : undefined);
        else {
          const v = evaluate(sym(a.name), inst);
          values[a.name] = a.kind === "scalar" ? v.get(0, 0) : v.to2DArray();
        }
      }
      // The truth both answers are judged against: central differences of the function.
      const reference = centralDifference((i) => evaluate(r.expression, i), inst, r.wrt);
      const g = evaluate(r.gradient, inst);
      const matcalcError = relativeError(g, reference);
      cases.push({ id: p.id, code: program.code, args: program.args, values, wrt: r.wrt, value: evaluate(r.expression, inst).get(0, 0), reference: reference.to2DArray() });
      prepared.set(p.id, { matcalcMedian, matcalcWithNumpy: await timed(p, "all"), matcalcError });
    } catch (err) {
      prepared.set(p.id, { error: `not translated: ${(err as Error).message.split("\n")[0]}`, matcalcMedian });
    }
  }
  // Information beside the verdict: the same timing again, now that the worker has derived every
  // problem (V8 has compiled the engine's code for what it met): what a long-running process gets.
  for (const p of PROBLEMS) {
    const prep = prepared.get(p.id)!;
    if (!prep.error) prepared.set(p.id, { ...prep, matcalcWarm: await timed(p, "answer") });
  }
  await runner.close();
  const jobFile = join(dir, "job.json");
  writeFileSync(jobFile, JSON.stringify({ repeats: CONFIG.sympy.repeats, timeout: CONFIG.sympy.timeoutS, cases }));
  const { lines, error } = await runPython("python3", join(ROOT, "bench", "sympy_compare.py"), jobFile, process.env, 60 * 60_000, (o) => {
    if (o.id) log(`   ${o.id}: ${o.verdict}${o.times ? ` ${ms(median(o.times as number[]))} ms` : ""}`);
  });
  const versions = lines[0] ? `SymPy ${lines[0].sympy} (python ${lines[0].python}, numpy ${lines[0].numpy})` : undefined;
  const byId = new Map(lines.slice(1).map((o) => [o.id as string, o]));
  const out: SympyCase[] = PROBLEMS.map((p) => {
    const prep = prepared.get(p.id)!;
    const o = byId.get(p.id);
    if (prep.error) return { id: p.id, verdict: prep.error.startsWith("not compared") ? "not compared" : "not translated", detail: prep.error, matcalcMedian: prep.matcalcMedian, matcalcOk: true };
    if (!o) return { id: p.id, verdict: "error", detail: error ?? "no result from python", matcalcMedian: prep.matcalcMedian, matcalcOk: false };
    const times = (o.times as number[] | undefined) ?? [];
    const sympyMedian = times.length ? median(times) : undefined;
    const matcalcError = prep.matcalcError;
    return {
      id: p.id,
      verdict: o.verdict as string,
      detail: o.detail as string | undefined,
      sympyMedian,
      matcalcMedian: prep.matcalcMedian,
      matcalcWithNumpy: prep.matcalcWithNumpy,
      matcalcWarm: prep.matcalcWarm,
      ratio: sympyMedian !== undefined && prep.matcalcMedian ? sympyMedian / prep.matcalcMedian : undefined,
      matcalcError,
      sympyError: o.sympy_error as number | undefined,
      result: o.result as string | undefined,
      valueError: o.value_error as number | undefined,
      matcalcOk: matcalcError !== undefined && matcalcError < 1e-5,
    };
  });
  const both = out.filter((c) => c.verdict === "ok" && c.matcalcOk && c.ratio !== undefined);
  const counts: Record<string, number> = {};
  for (const c of out) counts[c.verdict] = (counts[c.verdict] ?? 0) + 1;
  return {
    versions,
    cases: out,
    both: both.length,
    medianRatio: median(both.map((c) => c.ratio!)),
    ratioOfMedians: median(both.map((c) => c.sympyMedian!)) / median(both.map((c) => c.matcalcMedian!)),
    sympyMedian: median(both.map((c) => c.sympyMedian!)),
    matcalcMedian: median(both.map((c) => c.matcalcMedian!)),
    medianRatioWithNumpy: median(both.filter((c) => c.matcalcWithNumpy !== undefined).map((c) => c.sympyMedian! / c.matcalcWithNumpy!)),
    medianRatioWarm: median(both.filter((c) => c.matcalcWarm !== undefined).map((c) => c.sympyMedian! / c.matcalcWarm!)),
    matcalcMedianWarm: median(both.filter((c) => c.matcalcWarm !== undefined).map((c) => c.matcalcWarm!)),
    counts,
  };
}

function sympyTarget(s: SympyResult): Target {
  if (s.skipped) return { id: "sympy", name: "Speed against SymPy", target: `≥ ${TARGETS.sympySpeedup}×`, figure: s.skipped, verdict: "N/A" };
  return {
    id: "sympy",
    name: "Speed against SymPy (problems both solve)",
    target: `≥ ${TARGETS.sympySpeedup}× faster`,
    figure:
      `median per-problem speed-up ${s.medianRatio.toFixed(0)}×; SymPy median ${ms(s.sympyMedian)} ms vs matcalc ${ms(s.matcalcMedian)} ms ` +
      `(${s.ratioOfMedians.toFixed(0)}×) over ${s.both} problems`,
    verdict: s.medianRatio >= TARGETS.sympySpeedup && s.ratioOfMedians >= TARGETS.sympySpeedup ? "PASS" : "MISS",
  };
}

function sympyMarkdown(s: SympyResult): string {
  const lines = ["## 5. Side by side with SymPy", ""];
  if (s.skipped) return [...lines, s.skipped].join("\n");
  const counts = Object.entries(s.counts).map(([k, v]) => `${v} ${k}`).join(", ");
  lines.push(
    `Each gradient problem of the corpus (Unicode spelling; Jacobians and Hessians are not compared) translated to ${s.versions ?? "SymPy"} matrix expressions ` +
      "(MatrixSymbol; definitions substituted, except the variable itself; a 1×1 product used as a scalar wrapped in Trace) " +
      `and differentiated by \`sympy.diff\`. Timed on each side, warm, in one process: parse, derive, simplify and print — for SymPy, ` +
      `the translation read and run (the expression built), \`sympy.diff\` and \`str\` of the result, the cache cleared before each of up to ${CONFIG.sympy.repeats} ` +
      "timed runs after one untimed run; for matcalc, parse, derive, simplify and the Unicode answer printed " +
      "(derive() and formatAnswer, without the NumPy module), in one worker thread that takes the problems in the corpus's order, the median of 11 runs after 3 " +
      "(V8 has compiled as much of the engine as the problems before had made hot). Both answers are judged against central " +
      "finite differences of the function (SymPy's expression evaluated by NumPy) at the random instance matcalc's tests use: " +
      "ok (relative error < 1e-5), wrong, unevaluated (derivative objects left in the result, or a result NumPy cannot " +
      "evaluate), error (diff raised), timeout.",
    "",
    `SymPy's verdicts: ${counts}. On the ${s.both} problems both solve: median speed-up **${s.medianRatio.toFixed(0)}×** ` +
      `(SymPy median ${ms(s.sympyMedian)} ms, matcalc median ${ms(s.matcalcMedian)} ms); ${s.medianRatioWithNumpy.toFixed(0)}× were matcalc ` +
      "to generate its NumPy module too (not part of the comparison: SymPy generates no code). " +
      `Timed again in the same worker after it had derived every problem once (information, not the verdict: what a long-running process gets): ` +
      `matcalc median ${ms(s.matcalcMedianWarm)} ms, median speed-up ${s.medianRatioWarm.toFixed(0)}×.`,
    "",
    "| problem | SymPy | matcalc ms | SymPy ms | speed-up | detail |",
    "|---|---|---:|---:|---:|---|",
  );
  const order = (c: SympyCase) => (c.verdict === "ok" ? 1 : 0);
  for (const c of [...s.cases].sort((a, b) => order(a) - order(b) || a.id.localeCompare(b.id))) {
    const mc = c.matcalcOk || c.verdict.startsWith("not ") ? "" : " (matcalc not confirmed)";
    const detail = (c.detail ?? (c.verdict === "ok" ? "" : c.result ?? "")).replaceAll("|", "\\|").replaceAll("\n", " ");
    lines.push(`| ${c.id} | ${c.verdict}${mc} | ${ms(c.matcalcMedian)} | ${ms(c.sympyMedian)} | ${c.ratio ? c.ratio.toFixed(0) + "×" : "—"} | ${detail} |`);
  }
  return lines.join("\n");
}

/** max|g − ref| / max(1, max|ref|); a 1×1 g stands for a constant matrix (a broadcast scalar). */
/** max |g − ref| / max(1, max |ref|), the measure sympy_compare.py uses; ∞ when the shapes differ. */
function relativeError(g: Matrix, ref: Matrix): number {
  const got = shapedLike(g, ref);
  if (got.rows !== ref.rows || got.columns !== ref.columns) return Infinity;
  return maxAbs(Matrix.sub(got, ref)) / Math.max(1, maxAbs(ref));
}

// ---------------------------------------------------------------- python

async function runPython(
  interpreter: string,
  script: string,
  jobFile: string,
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
  onLine: (o: Record<string, unknown>) => void,
): Promise<{ lines: Record<string, unknown>[]; error?: string }> {
  return new Promise((resolve) => {
    const lines: Record<string, unknown>[] = [];
    let buffer = "";
    let stderr = "";
    const child = spawn(interpreter, [script, jobFile], { env, stdio: ["ignore", "pipe", "pipe"] });
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.stdout.on("data", (d: Buffer) => {
      buffer += d.toString("utf8");
      let i;
      while ((i = buffer.indexOf("\n")) >= 0) {
        const line = buffer.slice(0, i);
        buffer = buffer.slice(i + 1);
        try {
          const o = JSON.parse(line);
          lines.push(o);
          onLine(o);
        } catch {
          stderr += line + "\n";
        }
      }
    });
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString("utf8")));
    child.on("error", (err) => {
      clearTimeout(timer);
      resolve({ lines, error: err.message });
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      const last = stderr.trim().split("\n").pop();
      resolve({ lines, error: code === 0 ? undefined : `python exited (${signal ?? code}): ${last ?? ""}`.slice(0, 300) });
    });
  });
}

// ---------------------------------------------------------------- the table of targets

function header(m: Meta): string {
  return [
    "# matcalc benchmark results",
    "",
    `Generated by \`npm run bench\` (bench/run.ts) — do not edit by hand. ${m.mode} run, ${m.date.slice(0, 16).replace("T", " ")} UTC, ` +
      `${m.seconds} s; commit ${m.commit}; Node ${m.node}; ${m.cpu} (${m.cores} cores); ${m.python ?? "no python3"}; ` +
      `load average ${m.load.map((x) => x.toFixed(1)).join(" → ")} (other work on the machine inflates every time here).`,
  ].join("\n");
}

function targetsMarkdown(ts: Target[]): string {
  const lines = ["## Targets", "", "| | target | figure | verdict |", "|---|---|---|---|"];
  // A bar in a cell (log|K|) would end it.
  const cell = (text: string) => text.replaceAll("|", "\\|");
  for (const t of ts) lines.push(`| ${cell(t.name)} | ${cell(t.target)} | ${cell(t.figure)} | **${t.verdict}** |`);
  const notes = ts.filter((t) => t.note);
  if (notes.length) {
    lines.push("", "### Notes on the targets", "");
    for (const t of notes) lines.push(`- **${t.name}** (${t.verdict}): ${t.note}`, "");
  }
  return lines.join("\n");
}

function targetsConsole(ts: Target[]): string {
  const rows = ts.map((t) => [t.verdict, t.name, t.target, t.figure]);
  const w = [4, Math.max(...rows.map((r) => r[1]!.length)), Math.max(...rows.map((r) => r[2]!.length))];
  return ["TARGETS", ...rows.map((r) => `${r[0]!.padEnd(w[0]!)}  ${r[1]!.padEnd(w[1]!)}  ${r[2]!.padEnd(w[2]!)}  ${r[3]}`)].join("\n");
}

main().catch((err) => {
  process.stderr.write(`benchmark failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exitCode = 1;
});

