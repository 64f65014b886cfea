// One scaling-family problem, derived once with stage timings: for profiling a MISS.
//   node --cpu-prof --cpu-prof-dir=/tmp/prof dist/bench/profile.js deep-linear 20 [runs]
import { FAMILIES } from "./families.js";
import { runDerive } from "./tasks.js";

const [id, nText, runsText] = process.argv.slice(2);
const family = FAMILIES.find((f) => f.id === id);
if (!family) {
  process.stderr.write(`usage: profile.js FAMILY N [RUNS]; families: ${FAMILIES.map((f) => f.id).join(", ")}\n`);
  process.exit(2);
}
const runs = Number(runsText ?? 1);
// timed end to end, as the scaling section does
const out = runDerive({ kind: "derive", ...family.make(Number(nText)), output: "all", warmup: 1, minRuns: runs, maxRuns: runs, budgetMs: 0, stages: true, printChars: 400 });
process.stdout.write(JSON.stringify(out, null, 1) + "\n");
