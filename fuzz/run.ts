// `npm run fuzz [-- --count N --seed S --out FILE]`: the harness of fuzz/harness.ts, its report
// written as Markdown (default fuzz/REPORT.md) and its counts printed.
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { reportMarkdown, runFuzz } from "./harness.js";

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1]! : fallback;
};
const count = Number(option("count", "100000"));
const seed = Number(option("seed", "15"));
const out = option("out", fileURLToPath(new URL("../../fuzz/REPORT.md", import.meta.url)));
const cli = fileURLToPath(new URL("../src/cli.js", import.meta.url));

const report = runFuzz({ count, seed, cli, onProgress: (n) => process.stderr.write(`\r${n.toLocaleString("en")} inputs`) });
process.stderr.write("\n");
writeFileSync(out, reportMarkdown(report));
process.stdout.write(JSON.stringify({ inputs: report.inputs, counts: report.counts, seconds: report.seconds }) + "\n");
const bad = report.counts.wrong + report.counts["internal-error"] + report.counts.crash + report.counts["refused-unpositioned"] + report.counts["over-2s"];
process.exitCode = bad ? 1 : 0;
