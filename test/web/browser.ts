// The built playground (web/dist, built by `npm test` before vitest) served by an in-process
// vite preview server, driven in Debian's Chromium through playwright-core.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { type Browser, type BrowserContext, type Page, chromium } from "playwright-core";
import { type PreviewServer, preview } from "vite";
import { ROOT } from "../helpers.js";

export const CHROMIUM = "/usr/bin/chromium";
export const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking"];

export interface Playground {
  readonly origin: string;
  readonly browser: Browser;
  close(): Promise<void>;
}

export async function startPlayground(): Promise<Playground> {
  if (!existsSync(CHROMIUM)) throw new Error(`the playground's tests drive Debian's Chromium at ${CHROMIUM}: install it with \`apt-get install -y chromium\` (.ci/run does)`);
  const server: PreviewServer = await preview({ configFile: join(ROOT, "web/vite.config.ts"), logLevel: "silent", preview: { port: 0, strictPort: false } });
  const origin = new URL(server.resolvedUrls!.local[0]!).origin;
  let browser: Browser;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  } catch (err) {
    await server.close();
    throw err;
  }
  return {
    origin,
    browser,
    close: async () => {
      await browser.close();
      await server.close();
    },
  };
}

/** A page on the playground, recording every request it makes and every console error or uncaught exception. */
export interface OpenPage {
  readonly page: Page;
  readonly context: BrowserContext;
  readonly requests: string[];
  readonly errors: string[];
}

export async function openPage(p: Playground, hash = "", viewport = { width: 1100, height: 900 }): Promise<OpenPage> {
  const context = await p.browser.newContext({ viewport });
  const page = await context.newPage();
  const requests: string[] = [];
  const errors: string[] = [];
  page.on("request", (r) => void requests.push(r.url()));
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(`console: ${m.text()}`);
  });
  page.on("pageerror", (e) => void errors.push(`uncaught: ${e.message}`));
  // nothing may leave the page's own origin: such a request is recorded above, then refused
  await context.route("**/*", (route) => (new URL(route.request().url()).origin === p.origin ? route.continue() : route.abort()));
  await page.goto(`${p.origin}/${hash}`);
  return { page, context, requests, errors };
}
