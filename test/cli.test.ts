// The command line as a user runs it: outputs, exit statuses, and positioned errors.
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";

const CLI = new URL("../dist/src/cli.js", import.meta.url).pathname;

function matcalc(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8", input, timeout: 20_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("matcalc derive", () => {
  it("prints the gradient and exits 0", () => {
    const r = matcalc(["derive", "½‖WᵀWx − x‖²", "--wrt", "W", "--where", "W: m×n, x: n"]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toMatch(/W/);
  });

  it("reads the expression from standard input with -", () => {
    const r = matcalc(["derive", "-", "--wrt", "x"], "xᵀAx");
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).not.toBe("");
  });

  it.each(["unicode", "latex", "ascii", "numpy", "json"])("--format %s", (format) => {
    const r = matcalc(["derive", "tr(AX)", "--wrt", "X", "--format", format]);
    expect(r.status).toBe(0);
    if (format === "json") {
      const j = JSON.parse(r.stdout);
      expect(Object.keys(j)).toEqual(expect.arrayContaining(["derivative", "latex", "unicode", "shape"]));
    }
    if (format === "numpy") expect(r.stdout).toMatch(/def value\(.*\):[\s\S]*def derivative\(/);
  });

  it("the ASCII output reads back as the same expression", () => {
    const first = matcalc(["derive", "−D/2 log|K| − ½ tr(K⁻¹YYᵀ)", "--wrt", "X", "--where", "X: m×n, Y: m×D, α, β: scalar, K := αXXᵀ + β⁻¹I", "--format", "ascii"]);
    expect(first.status).toBe(0);
    const again = matcalc(["simplify", first.stdout.trim(), "--where", "X: m×n, Y: m×D, α, β: scalar, K := αXXᵀ + β⁻¹I", "--format", "ascii"]);
    expect(again.status).toBe(0);
    expect(again.stdout.trim()).toBe(first.stdout.trim());
  });

  it("--steps lists the rules applied with their sources", () => {
    const r = matcalc(["derive", "log|X|", "--wrt", "X", "--steps"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/MC \(43\)/);
  });

  it("example runs the seed's problems", () => {
    const r = matcalc(["example"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/K⁻¹/);
  });
});

describe("bad input: exit 2, a positioned first line, no stack trace", () => {
  const cases: [string, string[], RegExp][] = [
    ["an unknown function", ["derive", "softmx(x)", "--wrt", "x"], /softmax/],
    ["an unclosed bracket", ["derive", "tr(X⁻¹", "--wrt", "X"], /./],
    ["a stray closing bracket", ["derive", "tr(X))", "--wrt", "X"], /./],
    ["a shape clash", ["derive", "yᵀWx", "--wrt", "W", "--where", "W: m×n, x: n, y: n"], /W|y/],
    ["a malformed declaration", ["derive", "tr(W)", "--wrt", "W", "--where", "W: m×"], /./],
    ["empty input", ["derive", "", "--wrt", "x"], /empty/],
    ["an unknown option", ["derive", "tr(X)", "--wrt", "X", "--colour"], /colour/],
    ["a variable not in the expression", ["derive", "tr(X)", "--wrt", "Z"], /Z/],
    ["a non-scalar expression", ["derive", "Wx", "--wrt", "W"], /scalar/],
    ["a Hessian, not built yet", ["derive", "xᵀx", "--wrt", "x", "--order", "2"], /not supported/],
  ];
  it.each(cases)("%s", (_name, args, mention) => {
    const r = matcalc(args);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    const first = r.stderr.split("\n")[0]!;
    expect(first).toMatch(/^\d+:\d+: /);
    expect(r.stderr).toMatch(mention);
    expect(r.stderr).not.toMatch(/\n\s+at .*\.js:\d+/);
  });

  it("10,000 nested brackets are refused, quickly", () => {
    const deep = "(".repeat(10_000) + "x" + ")".repeat(10_000);
    const started = Date.now();
    const r = matcalc(["derive", `${deep}ᵀx`, "--wrt", "x"]);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(r.status).toBe(2);
    expect(r.stderr.split("\n")[0]).toMatch(/^\d+:\d+: /);
  });

  it("a sum of 10,000 terms is answered or refused within seconds, never a crash", () => {
    const sum = Array.from({ length: 10_000 }, (_, i) => `${(i % 7) + 1}xᵀA${i % 3 ? "x" : "y"}`).join(" + ");
    const started = Date.now();
    const r = matcalc(["derive", sum, "--wrt", "x"]);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect([0, 2]).toContain(r.status);
    if (r.status === 2) expect(r.stderr.split("\n")[0]).toMatch(/^\d+:\d+: /);
    else expect(r.stdout.trim()).not.toBe("");
  });
});
