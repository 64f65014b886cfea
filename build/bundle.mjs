// `npm run build`, last step: the command line as one file, and V8's code cache for it, which
// dist/src/cli.js starts from. Node then starts without resolving and loading some sixty modules,
// without the ESM interoperability layer scanning ml-matrix (CommonJS, 150 kB) for its exports, and
// without compiling again what the built-in example compiled (bench/run.ts measures the cold start).
// `check` stays a separate module (its worker threads load dist/src/check/*.js), imported when run.
import { build } from "vite";
import { spawnSync } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const cache = fileURLToPath(new URL("../dist/src/commandLine.bundle.cache", import.meta.url));
await build({
  configFile: false,
  root,
  logLevel: "warn",
  ssr: { noExternal: true },
  // ml-matrix's ES sources, so that what matcalc does not use (decompositions, statistics) is left out
  resolve: { alias: [{ find: /^ml-matrix$/, replacement: fileURLToPath(new URL("../node_modules/ml-matrix/src/index.js", import.meta.url)) }] },
  build: {
    ssr: "dist/src/commandLine.js",
    outDir: "dist/src",
    emptyOutDir: false,
    minify: true,
    sourcemap: false,
    target: "node20",
    rollupOptions: {
      external: [/^node:/, /\/check\/cli\.js$/],
      output: { entryFileNames: "commandLine.bundle.cjs", format: "cjs" },
    },
  },
});

// The code cache holds what a run compiled: the example derives, simplifies and prints the seed's problems.
rmSync(cache, { force: true });
const run = spawnSync(process.execPath, [fileURLToPath(new URL("../dist/src/cli.js", import.meta.url)), "example"], {
  env: { ...process.env, MATCALC_RECORD_CODE_CACHE: cache },
  stdio: ["ignore", "ignore", "inherit"],
});
if (run.status !== 0 || !existsSync(cache)) throw new Error(`bundle: the example run that records the code cache failed (status ${run.status})`);
