// The corpus's gradient problems (the set the SymPy side by side compares), each derived and
// printed in one warm process: per-problem medians and per-stage totals, for finding what to make
// faster.
//   node --cpu-prof --cpu-prof-dir=/tmp/prof dist/bench/profile_corpus.js [ROUNDS] [answer|all]
// "answer" (the default) times what the SymPy side by side does: parse, derive, simplify, print.
import { PROBLEMS, deriveOptions } from "../test/corpus/problems.js";
import { median } from "./stats.js";
import { runDerive, type Stages } from "./tasks.js";

const rounds = Number(process.argv[2] ?? 5);
const output = process.argv[3] === "all" ? "all" : "answer";
const problems = PROBLEMS.filter((p) => !p.kind || p.kind === "gradient");
const medians: { id: string; ms: number }[] = [];
const stages: Record<string, number> = {};
for (const p of problems) {
  const out = runDerive({ kind: "derive", text: p.spellings.unicode, ...deriveOptions(p), output, warmup: 2, minRuns: rounds, maxRuns: rounds, budgetMs: 0, stages: true });
  if (!out.ok) {
    process.stderr.write(`${p.id}: ${out.error}\n`);
    continue;
  }
  medians.push({ id: p.id, ms: median(out.times) });
  for (const [k, v] of Object.entries(out.stages as Stages)) stages[k] = (stages[k] ?? 0) + v;
}
medians.sort((a, b) => b.ms - a.ms);
const fixed = (x: number) => x.toFixed(2);
process.stdout.write(
  `${medians.length} problems: median of medians ${fixed(median(medians.map((m) => m.ms)))} ms, sum ${fixed(medians.reduce((s, m) => s + m.ms, 0))} ms\n` +
    `stages (one run each, summed): ${Object.entries(stages).map(([k, v]) => `${k} ${fixed(v)}`).join(", ")}\n` +
    `slowest: ${medians.slice(0, 10).map((m) => `${m.id} ${fixed(m.ms)}`).join(", ")}\n`,
);
