#!/usr/bin/env node
// Starts the command line (commandLine.ts). `npm run build` bundles it into one CommonJS file and
// runs the built-in example once to record V8's code cache of what it compiled: started from that
// cache, Node neither parses the bundle nor compiles most of its functions again (bench/run.ts
// measures the cold start). V8 refuses a cache made by another version or with other flags, and
// compiles from source; a cache is used only beside the bundle it was made from (by content hash).
// Without a bundle (a build that stopped after tsc) the modules are imported.
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { Script } from "node:vm";
import type { LoadChecker } from "./commandLine.js";

const bundle = fileURLToPath(new URL("commandLine.bundle.cjs", import.meta.url));
const cache = fileURLToPath(new URL("commandLine.bundle.cache", import.meta.url));
/** Set by build/bundle.mjs only: where to write the code cache when the run ends. */
const recordCacheTo = process.env.MATCALC_RECORD_CODE_CACHE;
// A script compiled by node:vm has no module loader for its own import() (V8 drops it from a cached
// script): the checker is imported from here.
const loadChecker: LoadChecker = () => import("./check/cli.js");

type CommandLine = { main(argv: string[], loadChecker: LoadChecker): void };
let commandLine: CommandLine;
if (!existsSync(bundle)) {
  commandLine = await import("./commandLine.js");
} else {
  const source = readFileSync(bundle, "utf8");
  const hash = createHash("sha256").update(source).digest();
  const stored = !recordCacheTo && existsSync(cache) ? readFileSync(cache) : undefined;
  const cachedData = stored && stored.subarray(0, hash.length).equals(hash) ? stored.subarray(hash.length) : undefined;
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: bundle, cachedData });
  const module = { exports: {} as CommandLine };
  (script.runInThisContext() as (...args: unknown[]) => void)(module.exports, createRequire(bundle), module, bundle, dirname(bundle));
  commandLine = module.exports;
  if (recordCacheTo) process.on("exit", () => writeFileSync(recordCacheTo, Buffer.concat([hash, script.createCachedData()])));
}
commandLine.main(process.argv.slice(2), loadChecker);
