// A 2,000-input slice of `npm run fuzz` (fuzz/harness.ts): generated, mutated and pathological
// inputs and hostile files for `check`, every answer judged by test/independent. Nothing may be
// wrong, crash, raise an internal error, take over 2 s of CPU, or be refused without a position.
import { describe, expect, it } from "vitest";
import { runFuzz, reportMarkdown } from "../fuzz/harness.js";
import { CLI } from "./helpers.js";

describe("the fuzz harness, a 2,000-input slice", () => {
  it("finds no wrong answer, crash, internal error, unpositioned refusal or input over 2 s", () => {
    const report = runFuzz({ count: 2000, seed: 20261206, cli: CLI });
    const bad = report.counts.wrong + report.counts.crash + report.counts["internal-error"] + report.counts["refused-unpositioned"] + report.counts["over-2s"];
    expect(bad, reportMarkdown(report)).toBe(0);
    expect(report.inputs).toBe(2000);
    // The generator must mostly make inputs that are answered and confirmed, or it tests little.
    const generated = report.byKind.generated!;
    const total = Object.values(generated).reduce((a, b) => a + (b ?? 0), 0) - (generated["over-2s"] ?? 0);
    expect(generated.confirmed ?? 0, reportMarkdown(report)).toBeGreaterThan(0.6 * total);
    expect(report.byKind["hostile-file"]?.refused ?? 0).toBeGreaterThanOrEqual(5);
  }, 900_000);
});
