// Printing alone: each corpus problem derived once, then its Unicode answer and NumPy module
// printed ROUNDS times (for profiling the printers).
//   node --cpu-prof --cpu-prof-dir=/tmp/prof dist/bench/profile_print.js [ROUNDS]
import { derive } from "../src/api.js";
import { formatAnswer } from "../src/print/sharing.js";
import { numpyModule } from "../src/print/numpy.js";
import { PROBLEMS, deriveOptions } from "../test/corpus/problems.js";

const rounds = Number(process.argv[2] ?? 20);
const done = PROBLEMS.flatMap((p) => {
  try {
    return [{ p, r: derive(p.spellings.unicode, { ...deriveOptions(p), verify: false }) }];
  } catch {
    return [];
  }
});
let unicode = 0;
let numpy = 0;
const cpu = process.cpuUsage();
for (let i = 0; i < rounds; i++)
  for (const { p, r } of done) {
    const t0 = performance.now();
    formatAnswer(r.gradient, "unicode", r.ctx);
    const t1 = performance.now();
    numpyModule(r.expression, r.gradient, r.wrt, r.ctx, p.spellings.unicode, { shape: r.shape, order: r.order });
    numpy += performance.now() - t1;
    unicode += t1 - t0;
  }
const { user, system } = process.cpuUsage(cpu);
process.stdout.write(
  `${done.length} problems × ${rounds}: unicode ${(unicode / rounds).toFixed(2)} ms, numpy ${(numpy / rounds).toFixed(2)} ms per round (wall); ` +
    `both ${((user + system) / 1000 / rounds).toFixed(2)} ms of CPU per round\n`,
);
