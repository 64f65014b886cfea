// The playground (web/): `npm run build:web` writes web/dist, plain files that run offline from
// any folder (relative paths; KaTeX's CSS and fonts bundled); `npm run web` serves them locally.
import { defineConfig } from "vite";

export default defineConfig({
  root: new URL(".", import.meta.url).pathname,
  base: "./",
  build: { outDir: "dist", emptyOutDir: true, chunkSizeWarningLimit: 1024 },
  preview: { host: "127.0.0.1", port: 4173 },
});
