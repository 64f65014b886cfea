// The command line starts from a bundle and V8's code cache made at build time (src/cli.ts): the
// cache must be one V8 accepts, and a cache that is not its bundle's must never be run.
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "./helpers.js";

const dist = join(ROOT, "dist", "src");
const node = (args: string[]) => spawnSync(process.execPath, args, { encoding: "utf8", env: { ...process.env, NODE_OPTIONS: "" } });

describe("the command line's start", () => {
  it("V8 accepts the code cache the build made for the bundle", () => {
    // compiled as src/cli.ts compiles it, in a plain node (the test runner's flags would change V8's flag hash)
    const probe = `
      const { readFileSync } = require("node:fs"), { Script } = require("node:vm");
      const source = readFileSync(${JSON.stringify(join(dist, "commandLine.bundle.cjs"))}, "utf8");
      const stored = readFileSync(${JSON.stringify(join(dist, "commandLine.bundle.cache"))});
      const script = new Script("(function (exports, require, module, __filename, __dirname) {" + source + "\\n})",
        { filename: ${JSON.stringify(join(dist, "commandLine.bundle.cjs"))}, cachedData: stored.subarray(32) });
      process.stdout.write(String(script.cachedDataRejected));`;
    const r = node(["-e", probe]);
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe("false");
  });

  it("a cache made for another bundle is not run, even when the bundles are as long", () => {
    // V8 tells a cache's source by its length only: this bundle differs in one word of the same length
    const dir = mkdtempSync(join(tmpdir(), "matcalc-start-"));
    copyFileSync(join(dist, "cli.js"), join(dir, "cli.js"));
    copyFileSync(join(dist, "commandLine.bundle.cache"), join(dir, "commandLine.bundle.cache"));
    const bundle = readFileSync(join(dist, "commandLine.bundle.cjs"), "utf8");
    expect(bundle).toContain("usage:");
    writeFileSync(join(dir, "commandLine.bundle.cjs"), bundle.replace("usage:", "USAGE:"));
    const r = node([join(dir, "cli.js"), "--help"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^USAGE:/);
    const d = node([join(dir, "cli.js"), "derive", "tr(XᵀX)", "--wrt", "X"]);
    expect(d.stdout.trim()).toBe("2X");
  });
});
