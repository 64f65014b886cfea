// `npm run web:screenshot`: the README's picture of the playground (docs/playground.png), taken
// from the built page (npm run build:web) in Debian's Chromium, at a laptop's width.
import { chromium } from "playwright-core";
import { preview } from "vite";

const root = new URL("..", import.meta.url).pathname;
const server = await preview({ configFile: `${root}web/vite.config.ts`, logLevel: "silent", preview: { port: 0, strictPort: false } });
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking"],
});
try {
  const page = await browser.newPage({ viewport: { width: 1000, height: 900 }, deviceScaleFactor: 1 });
  await page.goto(`${server.resolvedUrls.local[0]}`);
  await page.getByRole("button", { name: /^2\(e\)/ }).click();
  await page.locator('#answer[aria-busy="false"] #formula .katex-display').waitFor();
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  await page.screenshot({ path: `${root}docs/playground.png`, fullPage: false });
} finally {
  await browser.close();
  await server.close();
}
