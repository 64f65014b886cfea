// Benchmark (not a test): a class of 1,000 derivation files of about ten steps each, checked by
// `matcalc check --json` as a teacher would run it. Run with `npm run bench:check`
// (BENCH_FILES=… to change the count, BENCH_JOBS=… for the number of worker threads).
//
// The files are made from the repository's own derivations (examples/ and the planted-error
// corpus of test/check/derivations): each file joins two to four of them, drawn at random, as
// sections. Files repeat derivations, as a class hands in the same exercise.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { seededRng } from "../src/numeric/random.js";

const ROOT = new URL("../..", import.meta.url).pathname;
const COUNT = Number(process.env.BENCH_FILES ?? 1000);
const SOURCES = ["examples", "test/check/derivations/planted", "test/check/derivations/correct"];

const templates = SOURCES.flatMap((dir) =>
  readdirSync(join(ROOT, dir))
    .filter((f) => f.endsWith(".mc"))
    .map((f) => readFileSync(join(ROOT, dir, f), "utf8")),
);
if (templates.length === 0) throw new Error("no derivations found");

const steps = (t: string) => t.split("\n").filter((l) => /=/.test(l.replace(/[#%].*$/, "")) && !/:=/.test(l) && !/^\s*let\b/.test(l)).length;

const rng = seededRng(2026);
const dir = mkdtempSync(join(tmpdir(), "matcalc-bench-"));
const files: string[] = [];
let totalLines = 0;
for (let i = 0; i < COUNT; i++) {
  const parts: string[] = [];
  let n = 0;
  while (n < 9 || parts.length < 2) {
    const t = templates[Math.floor(rng() * templates.length)]!;
    parts.push(t);
    n += steps(t);
    if (parts.length >= 4) break;
  }
  totalLines += n;
  const file = join(dir, `student-${String(i).padStart(4, "0")}.mc`);
  // one problem a section (no shared preamble)
  writeFileSync(file, `# student ${i}\n---\n` + parts.join("\n---\n"));
  files.push(file);
}

const jobs = process.env.BENCH_JOBS;
console.log(`${COUNT} files, about ${(totalLines / COUNT).toFixed(1)} steps each, ${availableParallelism()} cores${jobs ? `, ${jobs} worker threads` : ""}`);
const started = process.hrtime.bigint();
const r = spawnSync(process.execPath, [join(ROOT, "dist/src/cli.js"), "check", ...files, "--json"], {
  encoding: "utf8",
  maxBuffer: 1 << 30,
  env: { ...process.env, ...(jobs ? { MATCALC_JOBS: jobs } : {}) },
});
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
rmSync(dir, { recursive: true, force: true });
if (r.status !== 0 && r.status !== 1) {
  console.error(r.stderr);
  throw new Error(`matcalc check exited ${r.status}`);
}
const reports = r.stdout.trim().split("\n").map((l) => JSON.parse(l) as { claims?: { verdict: string }[]; unreadable?: unknown[]; error?: string });
const claims = reports.flatMap((x) => x.claims ?? []);
const count = (v: string) => claims.filter((c) => c.verdict === v).length;
console.log(`checked ${reports.length} files, ${claims.length} steps (${count("ok")} ok, ${count("wrong")} wrong, ${count("carried")} carried; ${reports.reduce((s, x) => s + (x.unreadable?.length ?? 0), 0)} unreadable, ${reports.filter((x) => x.error).length} files not readable)`);
console.log(`${seconds.toFixed(1)} s in all, ${((seconds / reports.length) * 1000).toFixed(1)} ms a file, ${((seconds / claims.length) * 1000).toFixed(2)} ms a step`);
console.log(seconds < 60 ? "under 60 s: ok" : "OVER 60 s");
