// Shared checks: a derived gradient against central finite differences of the original function
// (src/numeric/verify.ts, which the command line also runs on every answer).
import { spawnSync } from "node:child_process";
import { type DeriveResult, instanceWhereDefined, seededRng, formatMatrix } from "../src/index.js";
import { agreesAt } from "../src/numeric/verify.js";

export { differences, requireAwayFromKinks } from "../src/numeric/verify.js";

/** Throws with both matrices when the derivative and finite differences (in its layout) disagree at a random instance. */
export function checkAgainstDifferences(r: DeriveResult, seeds: readonly number[] = [1, 2, 3]): void {
  for (const seed of seeds) {
    const inst = instanceWhereDefined(r.ctx, [r.expression, r.gradient], seededRng(seed));
    const verdict = agreesAt(r, inst);
    if (!verdict.ok)
      throw new Error(`seed ${seed}: gradient\n${formatMatrix(verdict.got)}\nfinite differences\n${formatMatrix(verdict.expected)}`);
  }
}

/** The repository, and its built command line (dist/, as `npm test` builds it). */
export const ROOT = new URL("..", import.meta.url).pathname;
export const CLI = new URL("../dist/src/cli.js", import.meta.url).pathname;

/** `matcalc ARGS` as a user runs it, from the repository's folder. */
export function matcalc(args: readonly string[], options: { input?: string; env?: Record<string, string>; timeout?: number } = {}) {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    encoding: "utf8",
    input: options.input,
    timeout: options.timeout ?? 120_000,
    cwd: ROOT,
    env: { ...process.env, ...options.env },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
