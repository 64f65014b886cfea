// `matcalc check` as a teacher runs it: reports, --json, exit statuses, positioned errors, and a
// whole class of files checked in worker threads (the built CLI in dist/, as after `npm test`).
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CLI, ROOT, filesIn, matcalc, read } from "./helpers.js";

const noStackTrace = (s: string) => expect(s).not.toMatch(/\n\s+at .*\.js:\d+/);

describe("matcalc check FILE", () => {
  it("a correct derivation: every step ok, exit 0", () => {
    const r = matcalc(["check", "examples/seed-2b.mc"]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^examples\/seed-2b\.mc: \d+ steps, \d+ ok, 0 wrong, 0 carried/);
    expect(r.stdout).not.toMatch(/\bwrong\s{2,}/);
  });

  it("a wrong step: exit 1, the reason, the difference, the right expression, a counterexample", () => {
    const r = matcalc(["check", "test/check/derivations/planted/p01-sign-least-squares.mc"]);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/6:\d+\s+wrong\s+= 2AᵀAx \+ 2Aᵀb/);
    expect(r.stdout).toContain("does not follow from line 5: the step is off by 4Aᵀb");
    expect(r.stdout).toContain("right: 2AᵀAx − 2Aᵀb   (the sign of 2Aᵀb)");
    expect(r.stdout).toMatch(/counterexample with m = \d, n = \d:/);
    expect(r.stdout).toMatch(/7:\d+\s+carried\s+= 2\(AᵀAx \+ Aᵀb\)/);
    expect(r.stdout).toContain("follows from line 6, but carries the error of line 6");
  });

  it("--json: one line, {ok, claims: [{line, verdict, …}]}", () => {
    const r = matcalc(["check", "examples/seed-2e.mc", "--json"]);
    expect(r.status).toBe(1);
    const lines = r.stdout.trim().split("\n");
    expect(lines).toHaveLength(1);
    const j = JSON.parse(lines[0]!);
    expect(j.ok).toBe(false);
    expect(j.file).toBe("examples/seed-2e.mc");
    expect(j.claims.map((c: { line: number; verdict: string }) => [c.line, c.verdict])).toEqual([
      [8, "ok"],
      [9, "ok"],
      [10, "ok"],
      [11, "wrong"],
    ]);
    const wrong = j.claims[3];
    expect(wrong).toMatchObject({ difference: "2αDK⁻¹X", expected: "α(−DK⁻¹ + K⁻¹YYᵀK⁻¹)X", against: 10 });
    expect(Object.keys(wrong.counterexample)).toEqual(["sizes", "values", "left", "right"]);
  });

  it("reads standard input with -, and --where", () => {
    const r = matcalc(["check", "-", "--where", "x: n, A: n×n"], { input: "L := xᵀAx\n∂L/∂x = (A + Aᵀ)x\n" });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/ok\s+∂L\/∂x = \(A \+ Aᵀ\)x/);
  });

  it("an unreadable line is listed with its reason; the others are checked; the file is not ok (exit 1)", () => {
    const r = matcalc(["check", "-", "--where", "x: n"], { input: "L := xᵀx\n∂L/∂x = 2x\n      = softmx(x)\n      = x + x\n" });
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/2 steps, 2 ok, 0 wrong, 0 carried, 1 unreadable/);
    expect(r.stdout).toMatch(/3:9\s+unreadable\s+softmx\(x\)/);
    expect(r.stdout).toMatch(/did you mean `softmax`/);
    expect(r.stdout).toMatch(/4:9\s+ok\s+= x \+ x/);
  });
});

describe("bad input: exit 2, a positioned first line, no stack trace", () => {
  const dir = mkdtempSync(join(tmpdir(), "matcalc-check-"));
  const bad = join(dir, "bad.mc");
  writeFileSync(bad, "# homework\nlet W: m×\n∂L/∂W = W\n");
  it.each([
    ["a declaration that cannot be read", ["check", bad], /^2:\d+: /],
    ["a missing file", ["check", join(dir, "none.mc")], /^1:1: cannot read .*no such file/],
    ["--where that cannot be read", ["check", "examples/seed-2e.mc", "--where", "x: n×"], /^1:\d+: /],
    ["no file at all", ["check"], /^1:1: check takes one or more/],
  ])("%s", (_name, args, first) => {
    const r = matcalc(args as string[]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr.split("\n")[0]).toMatch(first as RegExp);
    noStackTrace(r.stderr);
  });
});

describe("a whole class at once", () => {
  const files = [...filesIn("test/check/derivations/planted"), ...filesIn("test/check/derivations/correct"), ...filesIn("examples")];

  it("one JSON line per file, in the order given; the same with worker threads as without", () => {
    const threads = matcalc(["check", ...files, "--json"], { env: { MATCALC_JOBS: "2" } });
    const inline = matcalc(["check", ...files, "--json"], { env: { MATCALC_JOBS: "0" } });
    expect(threads.status).toBe(1);
    expect(threads.stderr).toBe(""); // no progress line: standard error is not a terminal
    const lines = threads.stdout.trim().split("\n").map((l) => JSON.parse(l));
    expect(lines.map((l) => l.file)).toEqual(files);
    expect(threads.stdout).toBe(inline.stdout);
    for (const l of lines) expect(l.ok, l.file).toBe(!markersWrong(l.file));
  });

  it.skipIf(!existsSync("/usr/bin/script"))("on a terminal, a progress line on standard error", () => {
    const cmd = `${process.execPath} ${CLI} check ${files.slice(0, 5).join(" ")} > /dev/null`;
    const r = spawnSync("/usr/bin/script", ["-qec", cmd, "/dev/null"], { encoding: "utf8", cwd: ROOT, timeout: 60_000 });
    expect(r.stdout).toMatch(/\rchecked 5\/5 files, \d+ not ok/);
  });

  it("a summary table after each file's problems; a file that cannot be read makes the exit 2", () => {
    const r = matcalc(["check", ...files.slice(0, 6), "no-such-file.mc"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^no-such-file\.mc:1:1: cannot read/m);
    const table = r.stdout.slice(r.stdout.indexOf("file "));
    expect(table.split("\n")[0]).toMatch(/^file\s+steps\s+ok\s+wrong\s+carried\s+unreadable$/);
    expect(table).toMatch(/p01-sign-least-squares\.mc\s+5\s+2\s+1\s+2\s+0/);
    expect(table).toMatch(/no-such-file\.mc\s+error/);
    expect(table).toMatch(/total \(7 files, 1 not readable\)/);
  });

  it("no silent pass: a file whose lines cannot be read exits 1, is not ok in JSON, and the table counts its unreadable lines", () => {
    const dir = mkdtempSync(join(tmpdir(), "matcalc-unreadable-"));
    const good = join(dir, "good.mc");
    const bad = join(dir, "bad.mc");
    writeFileSync(good, "let x: n\nL := xᵀx\n∂L/∂x = 2x\n");
    writeFileSync(bad, "let x: n\nL := xᵀx\n∂L/∂x = softmx(x)\n∂L/∂x = frob(x)\n");
    const one = matcalc(["check", bad, "--json"]);
    expect(one.status).toBe(1);
    const j = JSON.parse(one.stdout);
    expect(j.ok).toBe(false);
    expect(j.unreadable.map((u: { line: number; reason: string }) => u.line)).toEqual([3, 4]);
    expect(matcalc(["check", bad]).stdout).toMatch(/0 steps, 0 ok, 0 wrong, 0 carried, 2 unreadable/);
    const both = matcalc(["check", good, bad]);
    expect(both.status).toBe(1);
    expect(both.stdout).toMatch(/good\.mc\s+1\s+1\s+0\s+0\s+0\n/);
    expect(both.stdout).toMatch(/bad\.mc\s+0\s+0\s+0\s+0\s+2\n/);
    expect(both.stdout).toMatch(/total \(2 files\)\s+1\s+1\s+0\s+0\s+2/);
    expect(matcalc(["check", good]).status).toBe(0);
  });
});

function markersWrong(file: string): boolean {
  if (file.startsWith("examples/")) return file.includes("2e");
  return /[#%]!\s*wrong/.test(read(file));
}
