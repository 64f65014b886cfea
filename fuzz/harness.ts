// The fuzzing harness of issue 15: inputs of four kinds, each classified by what matcalc did with
// it, every answer judged by test/independent (an evaluator and finite differences of its own, at
// samples of its own; for generated inputs the harness's own tree, not the engine's reading).
//
// Classes: confirmed (answered, and the judge agrees), unconfirmed (answered, the judge could not
// decide: no sample away from kinks and poles), refused (a MatcalcError whose first line is
// line:column), refused-unpositioned, wrong, internal-error (any other exception), crash (a
// subprocess dying or printing a stack trace), and over-2s (CPU time of one input, counted on top
// of its class). Time is CPU time: the machine is shared, and wall time measures the neighbours.
import { spawnSync } from "node:child_process";
import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { derive, simplify, type DeriveResult } from "../src/api.js";
import { MatcalcError } from "../src/errors.js";
import { formatExpr } from "../src/print/expression.js";
import { judge, judgeSameValue } from "../test/independent/confirm.js";
import { OutsideDomain, evaluateAt, near, rngOf, sample } from "../test/independent/evaluate.js";
import { type Generated, generate, mutate } from "./generate.js";

export const CLASSES = ["confirmed", "unconfirmed", "refused", "refused-unpositioned", "wrong", "internal-error", "crash", "over-2s"] as const;
export type Class = (typeof CLASSES)[number];

export interface Outcome {
  readonly kind: "generated" | "mutated" | "pathological" | "hostile-file";
  readonly input: string;
  readonly cls: Exclude<Class, "over-2s">;
  readonly ms: number;
  readonly detail?: string;
}

export interface Report {
  readonly seed: number;
  readonly inputs: number;
  readonly counts: Record<Class, number>;
  readonly byKind: Record<string, Partial<Record<Class, number>>>;
  readonly slowest: readonly { input: string; kind: string; ms: number; cls: string }[];
  readonly problems: readonly Outcome[];
  readonly seconds: number;
}

const TIME_LIMIT_MS = 2000;
// "1:4: …", or "--where 1:4: …" for an error in the declarations.
const positioned = /^(?:--\w+ )?\d+:\d+: /;

function cpuMs(run: () => void): number {
  const start = process.cpuUsage();
  run();
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1000;
}

function refusal(err: unknown): { cls: Outcome["cls"]; detail: string } {
  if (err instanceof MatcalcError) {
    const first = err.format().split("\n")[0]!;
    return err.span && positioned.test(first) ? { cls: "refused", detail: first } : { cls: "refused-unpositioned", detail: first };
  }
  return { cls: "internal-error", detail: err instanceof Error ? `${err.name}: ${err.message}` : String(err) };
}

type Judged = Omit<Outcome, "kind" | "input">;

/** A derive input: answered (and judged), or refused; `tree` when the harness built the input. `ms` is matcalc's time alone. */
function deriveOne(text: string, wrt: string, where: string | undefined, order: 1 | 2, tree: Generated["tree"] | undefined, seed: number): Judged {
  let r: DeriveResult | undefined;
  let failure: unknown;
  const ms = cpuMs(() => {
    try {
      r = derive(text, { wrt, where, order, verify: true });
    } catch (err) {
      failure = err;
    }
  });
  if (!r) return { ms, ...refusal(failure) };
  return { ms, ...judged(r, tree, seed) };
}

function judged(r: DeriveResult, tree: Generated["tree"] | undefined, seed: number): Omit<Judged, "ms"> {
  try {
    if (tree) {
      // The engine must have read the text as the tree it was printed from.
      const misread = readAsOther(r, tree, seed);
      if (misread) return { cls: "wrong", detail: `read as another function: ${misread}` };
    }
    const j = judge(tree ? { ...r, expression: tree } : r, seed);
    const answer = formatExpr(r.gradient, "unicode", r.ctx);
    if (j.verdict === "wrong") return { cls: "wrong", detail: `${answer}: ${j.detail}` };
    return j.verdict === "confirmed" ? { cls: "confirmed" } : { cls: "unconfirmed", detail: `${answer}: ${j.detail}` };
  } catch (err) {
    return { cls: "internal-error", detail: `judging: ${err instanceof Error ? err.message : String(err)}` };
  }
}

/** Whether the engine's reading of the text differs from the tree at a sample: a description, or undefined. */
function readAsOther(r: DeriveResult, tree: Generated["tree"], seed: number): string | undefined {
  const rng = rngOf(seed + 7);
  for (let k = 0; k < 8; k++) {
    try {
      const s = sample(r.ctx, rng);
      const a = evaluateAt(tree, s);
      const b = evaluateAt(r.expression, s);
      const cmp = near(a, b, 1e-9);
      return cmp.ok ? undefined : `${formatExpr(r.expression, "unicode", r.ctx)} (values differ by ${cmp.error.toExponential(2)})`;
    } catch (err) {
      if (!(err instanceof OutsideDomain)) throw err;
    }
  }
  return undefined;
}

function simplifyOne(text: string, where: string | undefined, seed: number): Judged {
  let r: ReturnType<typeof simplify> | undefined;
  let failure: unknown;
  const ms = cpuMs(() => {
    try {
      r = simplify(text, where, { verify: true });
    } catch (err) {
      failure = err;
    }
  });
  if (!r) return { ms, ...refusal(failure) };
  const j = judgeSameValue(r.ctx, r.expression, r.simplified, seed);
  if (j.verdict === "wrong") return { ms, cls: "wrong", detail: `${formatExpr(r.simplified, "unicode", r.ctx)}: ${j.detail}` };
  return j.verdict === "confirmed" ? { ms, cls: "confirmed" } : { ms, cls: "unconfirmed", detail: j.detail };
}

const describe = (text: string, wrt: string, where: string | undefined, order: number) =>
  `derive ${JSON.stringify(text.length > 200 ? text.slice(0, 200) + `… (${text.length} chars)` : text)} --wrt ${wrt}${where ? ` --where ${JSON.stringify(where)}` : ""}${order === 2 ? " --order 2" : ""}`;

// ---------- pathological inputs ----------

function pathological(): { text: string; wrt: string; where?: string; order?: 1 | 2 }[] {
  const sum = (n: number) => Array.from({ length: n }, (_, i) => `${(i % 7) + 1}x'A${i % 3 ? "x" : "y"}`).join(" + ");
  return [
    { text: sum(10_000), wrt: "x" },
    { text: sum(1_000), wrt: "x" },
    { text: "(".repeat(10_000) + "x" + ")".repeat(10_000), wrt: "x" },
    { text: "tr(".repeat(5_000) + "X" + ")".repeat(5_000), wrt: "X" },
    { text: "−".repeat(10_000) + "x", wrt: "x" },
    { text: "x" + "ᵀ".repeat(10_000), wrt: "x" },
    { text: "a".repeat(6_000), wrt: "a" },
    { text: "x".repeat(1_000_000), wrt: "x" },
    { text: "xᵀx + ".repeat(170_000) + "1", wrt: "x" },
    { text: "X^{1000000}", wrt: "X" },
    { text: "Q⁹⁹⁹⁹⁹⁹⁹⁹⁹", wrt: "Q" },
    { text: "Y^{−4294967297} P", wrt: "Y", where: "P: m×n, Y: m×m" },
    { text: "c⁹⁹⁹⁹⁹⁹⁹⁹⁹", wrt: "c", where: "c: scalar", order: 2 },
    { text: "xᵀx", wrt: "x", where: "x: 1000000000" },
    { text: "xᵀx", wrt: "x", where: "x: 5000" },
    { text: "sin(W - W) x", wrt: "x", where: "W: m×n" },
    { text: "(τ - τ)^2", wrt: "τ" },
    { text: "det(u uᵀ)", wrt: "u" },
    { text: "99999999999999999999999999 x", wrt: "x" },
    { text: "x\u0000ᵀx", wrt: "x" },
    { text: "\u202exᵀx", wrt: "x" },
    { text: "x\u0301ᵀx", wrt: "x" },
    { text: "exp(exp(exp(exp(exp(α)))))", wrt: "α" },
    { text: "‖".repeat(2_000) + "x" + "‖".repeat(2_000), wrt: "x" },
    { text: "|".repeat(18) + "a" + "|".repeat(18), wrt: "a", where: "a: scalar" },
  ];
}

// ---------- hostile files for check ----------

interface HostileFile {
  readonly name: string;
  readonly path: string;
  /** Exit statuses that are right for it (a readable, correct file may pass). */
  readonly statuses: readonly number[];
}

function hostileFiles(dir: string, rng: () => number): HostileFile[] {
  const at = (name: string, content?: string | Buffer): string => {
    const p = join(dir, name);
    if (content !== undefined) writeFileSync(p, content);
    return p;
  };
  const random = Buffer.alloc(1_000_000);
  for (let i = 0; i < random.length; i++) random[i] = Math.floor(rng() * 256);
  const okDerivation = "let x: n\nL := xᵀx\n∂L/∂x = 2x\n";
  const wrongDerivation = "let x: n\nL := xᵀx\n∂L/∂x = 3x\n";
  mkdirSync(join(dir, "a-directory"), { recursive: true });
  const fifo = join(dir, "fifo");
  spawnSync("mkfifo", [fifo]);
  return [
    { name: "binary (1 MB of random bytes)", path: at("random.bin", random), statuses: [2] },
    { name: "50 MB", path: at("big.txt", Buffer.alloc(50_000_000, "% a comment line\n")), statuses: [2] },
    { name: "100k lines", path: at("lines.txt", "% comment\n".repeat(100_000)), statuses: [0, 1, 2] },
    { name: "5k comment lines and a claim", path: at("comments.txt", "% comment\n".repeat(5_000) + wrongDerivation), statuses: [1] },
    { name: "\\input", path: at("input.tex", "\\input{/etc/passwd}\n" + okDerivation), statuses: [0, 1, 2] },
    { name: "\\def", path: at("def.tex", "\\def\\x{y}\n\\def\\a#1{#1#1}\n" + okDerivation), statuses: [0, 1, 2] },
    { name: "UTF-8 BOM", path: at("bom.txt", "\ufeff" + okDerivation), statuses: [0] },
    { name: "CRLF", path: at("crlf.txt", okDerivation.replace(/\n/g, "\r\n")), statuses: [0] },
    { name: "UTF-16 with BOM, a wrong step", path: at("utf16.txt", Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(wrongDerivation, "utf16le")])), statuses: [1, 2] },
    { name: "a directory", path: join(dir, "a-directory"), statuses: [2] },
    { name: "/dev/zero", path: "/dev/zero", statuses: [2] },
    { name: "a FIFO nobody writes", path: fifo, statuses: [2] },
    { name: "a wrong step", path: at("wrong.txt", wrongDerivation), statuses: [1] },
    // every display is read with the sentence before it: in time linear in the file, not in its square
    {
      name: "1,000 displays, each after a sentence that states a condition",
      path: at("displays.md", "Let $x \\in \\mathbb{R}^n$ and $A \\in \\mathbb{R}^{n \\times n}$.\n\n" + "If $A$ is symmetric, we have\n\n$$\\nabla_x x^\\top A x = 2Ax$$\n\n".repeat(1_000)),
      statuses: [0],
    },
    { name: "a macro that doubles its argument, nested", path: at("bomb.tex", "\\newcommand{\\d}[1]{#1#1}\n% let x: n\n\\[ " + "\\d{".repeat(40) + "x" + "}".repeat(40) + " = x \\]\n"), statuses: [0, 1, 2] },
    { name: "a macro that repeats its argument nine times, nested (a macro bomb)", path: at("bomb9.tex", "\\newcommand{\\d}[1]{#1#1#1#1#1#1#1#1#1}\n% let x: n\n\\[ " + "\\d{".repeat(40) + "x" + "}".repeat(40) + " = x \\]\n"), statuses: [2] },
  ];
}

function checkHostile(f: HostileFile, cli: string): Outcome {
  const started = Date.now();
  const r = spawnSync("/usr/bin/time", ["-f", "%U %S %M", process.execPath, cli, "check", f.path], { encoding: "utf8", timeout: 60_000, maxBuffer: 64 << 20 });
  const wall = Date.now() - started;
  const timing = /(\d+\.\d+) (\d+\.\d+) (\d+)\s*$/.exec(r.stderr ?? "");
  const ms = timing ? (Number(timing[1]) + Number(timing[2])) * 1000 : wall;
  const kb = timing ? Number(timing[3]) : 0;
  const stderr = (r.stderr ?? "").replace(/(\d+\.\d+) (\d+\.\d+) (\d+)\s*$/, "");
  const input = `check <${f.name}>`;
  if (r.error || r.status === null) return { kind: "hostile-file", input, cls: "crash", ms, detail: `did not finish: ${r.error?.message ?? r.signal}` };
  if (/^\s+at .+:\d+:\d+\)?$/m.test(stderr) || r.status > 2) return { kind: "hostile-file", input, cls: "crash", ms, detail: `exit ${r.status}: ${stderr.slice(0, 300)}` };
  if (/internal error/.test(stderr + r.stdout)) return { kind: "hostile-file", input, cls: "internal-error", ms, detail: stderr.slice(0, 300) };
  if (kb > 1_000_000) return { kind: "hostile-file", input, cls: "crash", ms, detail: `${kb} kB of memory` };
  if (!f.statuses.includes(r.status)) return { kind: "hostile-file", input, cls: "wrong", ms, detail: `exit ${r.status}, expected ${f.statuses.join(" or ")}: ${(r.stdout + stderr).slice(0, 300)}` };
  if (r.status === 2 && !positioned.test(stderr.split("\n")[0]!)) return { kind: "hostile-file", input, cls: "refused-unpositioned", ms, detail: stderr.slice(0, 300) };
  return { kind: "hostile-file", input, cls: r.status === 2 ? "refused" : "confirmed", ms };
}

// ---------- the run ----------

export interface FuzzOptions {
  readonly count: number;
  readonly seed: number;
  /** The built command line, for `check` on hostile files (skipped without it). */
  readonly cli?: string;
  /** Called every 500 inputs with the report so far (the 100k run writes it as it goes). */
  readonly onProgress?: (done: number, soFar: () => Report) => void;
}

export function runFuzz(options: FuzzOptions): Report {
  const started = Date.now();
  const rng = rngOf(options.seed);
  const outcomes: Outcome[] = [];
  const record = (o: Outcome) => outcomes.push(o);

  const patho = pathological();
  // the hostile files are written first (with their own random numbers), so that the count of
  // inputs holds them
  const hostile = options.cli ? hostileFiles(mkdtempSync(join(tmpdir(), "matcalc-fuzz-")), rngOf(options.seed + 1)) : [];
  const generatedCount = Math.max(0, options.count - patho.length - hostile.length);
  let lastValid: Generated | undefined;
  for (let i = 0; i < generatedCount; i++) {
    const seed = options.seed * 1_000_003 + i;
    const g = generate(rngOf(seed));
    const mutated = lastValid && rng() < 0.3;
    if (mutated) {
      const text = mutate(lastValid!.text, rng);
      record({ kind: "mutated", input: describe(text, lastValid!.wrt, lastValid!.where, 1), ...deriveOne(text, lastValid!.wrt, lastValid!.where, 1, undefined, seed) });
    } else if (rng() < 0.1) record({ kind: "generated", input: `simplify ${JSON.stringify(g.text)} --where ${JSON.stringify(g.where)}`, ...simplifyOne(g.text, g.where, seed) });
    else record({ kind: "generated", input: describe(g.text, g.wrt, g.where, g.order), ...deriveOne(g.text, g.wrt, g.where, g.order, g.tree, seed) });
    lastValid = g;
    if (options.onProgress && (i + 1) % 500 === 0) options.onProgress(i + 1, () => summarize(outcomes, options.seed, started));
  }
  for (const p of patho) record({ kind: "pathological", input: describe(p.text, p.wrt, p.where, p.order ?? 1), ...deriveOne(p.text, p.wrt, p.where, p.order ?? 1, undefined, options.seed) });
  if (options.cli) for (const f of hostile) record(checkHostile(f, options.cli));

  return summarize(outcomes, options.seed, started);
}

function summarize(outcomes: readonly Outcome[], seed: number, started: number): Report {
  const counts = Object.fromEntries(CLASSES.map((c) => [c, 0])) as Record<Class, number>;
  const byKind: Record<string, Partial<Record<Class, number>>> = {};
  for (const o of outcomes) {
    counts[o.cls]++;
    const k = (byKind[o.kind] ??= {});
    k[o.cls] = (k[o.cls] ?? 0) + 1;
    if (o.ms > TIME_LIMIT_MS) {
      counts["over-2s"]++;
      k["over-2s"] = (k["over-2s"] ?? 0) + 1;
    }
  }
  const slowest = [...outcomes].sort((a, b) => b.ms - a.ms).slice(0, 10).map((o) => ({ input: o.input.slice(0, 240), kind: o.kind, ms: Math.round(o.ms), cls: o.cls }));
  const problems = outcomes.filter((o) => ["wrong", "internal-error", "crash", "refused-unpositioned"].includes(o.cls) || o.ms > TIME_LIMIT_MS);
  return { seed, inputs: outcomes.length, counts, byKind, slowest, problems: problems.slice(0, 200), seconds: (Date.now() - started) / 1000 };
}

/** The report as Markdown. */
export function reportMarkdown(r: Report): string {
  const lines = [
    `# matcalc fuzz report`,
    "",
    `Seed ${r.seed}, ${r.inputs.toLocaleString("en")} inputs, ${r.seconds.toFixed(0)} s. Times are CPU time per input (the machine is shared).`,
    "",
    "| class | count |",
    "|---|---|",
    ...CLASSES.map((c) => `| ${c} | ${r.counts[c].toLocaleString("en")} |`),
    "",
    "| kind | " + CLASSES.join(" | ") + " |",
    "|---|" + CLASSES.map(() => "---").join("|") + "|",
    ...Object.entries(r.byKind).map(([k, c]) => `| ${k} | ${CLASSES.map((x) => c[x] ?? 0).join(" | ")} |`),
    "",
    "## Slowest inputs",
    "",
    ...r.slowest.map((s) => `- ${s.ms} ms (${s.kind}, ${s.cls}): \`${s.input.replace(/`/g, "'")}\``),
    "",
    "## Problems (wrong, internal errors, crashes, unpositioned refusals, over 2 s)",
    "",
    ...(r.problems.length ? r.problems.map((p) => `- ${p.cls} (${p.kind}, ${Math.round(p.ms)} ms): \`${p.input.replace(/`/g, "'").slice(0, 300)}\` — ${(p.detail ?? "").replace(/\n/g, " ").slice(0, 300)}`) : ["none"]),
    "",
  ];
  return lines.join("\n");
}
