// The library as README documents it: its example runs and prints what README shows, every
// function and class its typed API lists is exported, answers are checked numerically unless
// asked not to be, and the command line tells its version.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import * as library from "../src/index.js";
import { ROOT, matcalc } from "./helpers.js";

const README = readFileSync(join(ROOT, "README.md"), "utf8");
const section = README.slice(README.indexOf("## As a library"), README.indexOf("\n## ", README.indexOf("## As a library") + 1));

/** The body of the first code block of a section opened by this fence after `from`. */
function block(fence: string, from = 0): string {
  const start = section.indexOf(`${fence}\n`, from);
  expect(start).toBeGreaterThanOrEqual(0);
  return section.slice(start + fence.length + 1, section.indexOf("\n```\n", start + fence.length));
}

describe("README's library section", () => {
  it("its example prints what README shows", () => {
    const program = block("```js");
    const shown = block("```", section.indexOf("prints (real output):"));
    // inside the package's folder, `from "matcalc"` is the package itself (the built dist/)
    const dir = join(ROOT, ".scratch");
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `readme-example-${process.pid}.mjs`);
    writeFileSync(file, program);
    const r = spawnSync(process.execPath, [file], { encoding: "utf8", cwd: ROOT });
    expect(r.stderr).toBe("");
    expect(r.stdout.replace(/\n$/, "")).toBe(shown);
  });

  it("lists only functions and classes the library exports", () => {
    const names = [...block("```ts").matchAll(/^(?:function|class) (\w+)/gm)].map((m) => m[1]!);
    expect(names).toEqual(expect.arrayContaining(["derive", "simplify", "check", "formatExpr", "jsonResult", "numpyModule", "MatcalcError"]));
    for (const name of names) expect(typeof (library as Record<string, unknown>)[name], name).toBe("function");
  });
});

describe("the library checks its answers numerically by default", () => {
  it("derive and simplify check unless verify is false", () => {
    expect(library.derive("xᵀAx", { wrt: "x" }).verification).toEqual({ verdict: "agrees", instances: expect.any(Number) });
    expect(library.derive("xᵀAx", { wrt: "x", verify: false }).verification).toBeUndefined();
    expect(library.derive("log(−xᵀx)", { wrt: "x" }).notes.join(" ")).toMatch(/^not checked numerically: /);
    expect(library.simplify("log(−xᵀx) + 0", "x: n").notes.join(" ")).toMatch(/^not checked numerically: /);
    expect(library.simplify("log(−xᵀx) + 0", "x: n", { verify: false }).notes).toEqual([]);
  });
});

describe("matcalc --version", () => {
  it("prints the package's version", () => {
    const r = matcalc(["--version"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`matcalc ${JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).version}\n`);
  });
});
