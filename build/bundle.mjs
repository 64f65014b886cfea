// `npm run build`, last step: the command line as one file. Node then starts it without
// resolving and loading some sixty modules, and ml-matrix (CommonJS) without the ESM
// interoperability layer that scans its 150 kB for exports: the cold start is about halved
// (bench/run.ts measures it). dist/src/cli.js is replaced by its bundle; `check` stays a
// separate module (its worker threads load dist/src/check/*.js), imported when it is run.
import { build } from "vite";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
await build({
  configFile: false,
  root,
  logLevel: "warn",
  ssr: { noExternal: true },
  // ml-matrix's ES sources, so that what matcalc does not use (decompositions, statistics) is left out
  resolve: { alias: [{ find: /^ml-matrix$/, replacement: fileURLToPath(new URL("../node_modules/ml-matrix/src/index.js", import.meta.url)) }] },
  build: {
    ssr: "dist/src/cli.js",
    outDir: "dist/src",
    emptyOutDir: false,
    minify: true,
    sourcemap: false,
    target: "node20",
    rollupOptions: {
      external: [/^node:/, /\/check\/cli\.js$/],
      output: { entryFileNames: "cli.js", format: "es" },
    },
  },
});
