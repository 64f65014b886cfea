// The playground (issue 14), built and driven in a real Chromium: the seed problems typed into
// the fields give the command line's LaTeX (and NumPy module and steps), a bad input gives a
// positioned alert and the page recovers, the Check view gives the command line's verdicts, the
// hash round-trips, nothing is requested outside the page's origin, no console error, and the page
// is usable by keyboard, readable (contrast) and fits a phone's width.
import { execFile } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { EXAMPLES } from "../../src/examples.js";
import { CLI, ROOT, matcalc } from "../helpers.js";
import { type OpenPage, type Playground, openPage, startPlayground } from "./browser.js";

let playground: Playground;
/** One page most tests share (a page load costs about a second on a busy 2-core machine). */
let shared: OpenPage;
const opened: OpenPage[] = [];

beforeAll(async () => {
  playground = await startPlayground();
  shared = await openPage(playground);
}, 60_000);

afterAll(async () => {
  await playground?.close();
});

/** The shared page, with empty fields, on the LaTeX tab of the Derive view (or the view a hash names). */
async function pageAt(hash = "#expr=&wrt="): Promise<Page> {
  await shared.page.evaluate((h) => {
    for (const id of ["derivation", "check-where"]) (document.getElementById(id) as HTMLInputElement).value = "";
    document.getElementById("tab-latex")!.click();
    location.hash = h;
  }, hash);
  return shared.page;
}

/** A page of its own, loaded from scratch. */
async function open(hash = "", viewport?: { width: number; height: number }): Promise<Page> {
  const o = await openPage(playground, hash, viewport);
  opened.push(o);
  return o.page;
}

// Every page of every test: no console error, no request outside the origin.
afterEach(async () => {
  const pages = opened.splice(0);
  for (const o of pages) await o.context.close();
  for (const o of [shared, ...pages]) {
    expect(o.errors).toEqual([]);
    expect(o.requests.filter((u) => new URL(u).origin !== playground.origin)).toEqual([]);
  }
});

/** `matcalc ARGS`'s standard output (it must succeed); each asked once, run alongside the browser. */
const outputs = new Map<string, Promise<string>>();
function cli(args: string[]): Promise<string> {
  const key = JSON.stringify(args);
  if (!outputs.has(key))
    outputs.set(
      key,
      new Promise((resolve, reject) =>
        execFile(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: "utf8" }, (err, stdout, stderr) => (err ? reject(new Error(`${args.join(" ")}: ${stderr}`)) : resolve(stdout.replace(/\n$/, "")))),
      ),
    );
  return outputs.get(key)!;
}
const latexArgs = (ex: (typeof EXAMPLES)[number]) => ["derive", ex.expression, "--wrt", ex.wrt, "--where", ex.where, "--format", "latex"];
for (const ex of EXAMPLES) void cli(latexArgs(ex)).catch(() => {});

const formulaTeX = (page: Page) => page.locator('#formula .katex-display annotation[encoding="application/x-tex"]').textContent();

async function fill(page: Page, problem: { expression: string; wrt: string; where: string }): Promise<void> {
  await page.getByLabel("Expression", { exact: true }).fill(problem.expression);
  await page.getByLabel("With respect to", { exact: true }).fill(problem.wrt);
  await page.getByLabel("Declarations", { exact: true }).fill(problem.where);
}

describe("the Derive view", () => {
  it.each(EXAMPLES.map((ex) => [ex.title, ex] as const))("%s: the same LaTeX as `matcalc derive --format latex`", async (_title, ex) => {
    const page = await pageAt();
    const expected = await cli(latexArgs(ex));
    // typed key by key into the expression field, as a user types
    await page.getByLabel("Expression", { exact: true }).pressSequentially(ex.expression);
    await page.getByLabel("With respect to", { exact: true }).pressSequentially(ex.wrt);
    await page.getByLabel("Declarations", { exact: true }).fill(ex.where);
    await expect.poll(() => formulaTeX(page)).toBe(expected);
    const region = page.getByRole("region", { name: "Derivative" });
    expect(await region.locator(".katex-error").count()).toBe(0);
    await expect.poll(() => region.textContent()).toMatch(/Checked: agrees with central finite differences of the expression at \d+ random instances/);
    expect(await page.locator("#latex").textContent()).toBe(expected);
  });

  it("shows the command line's NumPy module and steps, and copies the LaTeX", async () => {
    const ex = EXAMPLES[3];
    const page = await pageAt();
    await page.context().grantPermissions(["clipboard-read", "clipboard-write"], { origin: playground.origin });
    await page.getByRole("button", { name: ex.title }).click();
    const args = ["derive", ex.expression, "--wrt", ex.wrt, "--where", ex.where];
    const latex = await cli([...args, "--format", "latex"]);
    await expect.poll(() => formulaTeX(page)).toBe(latex);

    await page.getByRole("button", { name: "Copy LaTeX" }).click();
    await expect.poll(() => page.getByRole("status").first().textContent()).toBe("LaTeX copied.");
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(latex);

    await page.getByRole("tab", { name: "NumPy" }).click();
    expect(await page.getByLabel("NumPy module").textContent()).toBe(await cli([...args, "--format", "numpy"]));
    await expect.poll(() => page.getByRole("button", { name: "Copy NumPy" }).isVisible()).toBe(true);

    await page.getByRole("tab", { name: "Steps" }).click();
    const steps = await cli([...args, "--steps"]);
    expect(await page.getByRole("tabpanel", { name: "Steps" }).locator("pre").textContent()).toBe(steps.trimEnd());
  });

  it("shows a bad input as a positioned alert with the place marked, and recovers", async () => {
    const page = await pageAt();
    await fill(page, { expression: "tr(X⁻¹", wrt: "X", where: "" });
    const alert = page.getByRole("alert");
    // what the command line says on standard error: the position and message, the input, a caret
    const said = matcalc(["derive", "tr(X⁻¹", "--wrt", "X"]);
    expect(said.status).toBe(2);
    const [first, input, caret] = said.stderr.replace(/\n$/, "").split("\n");
    expect(first).toMatch(/^1:3: /);
    await expect.poll(() => alert.locator("p").textContent()).toBe(`Expression, ${first}`);
    expect(await alert.locator("pre").textContent()).toBe(`${input!.slice(2)}\n${caret!.slice(2)}`);
    expect(await alert.locator("mark").textContent()).toBe("(");
    expect(await page.getByLabel("Expression", { exact: true }).getAttribute("aria-invalid")).toBe("true");
    expect(await page.locator("#formula").textContent()).toBe("");

    // a shape clash the declarations make; an error in the declarations names that field
    await fill(page, { expression: "yᵀWx", wrt: "W", where: "W: m×n, x: n, y: n" });
    await expect.poll(() => alert.textContent()).toContain("Expression, 1:1: cannot multiply `yᵀ` (1×n) by `W` (m×n)");
    await page.getByLabel("Declarations", { exact: true }).fill("W: m×n, x: n, y: m ∈");
    await expect.poll(() => alert.textContent()).toMatch(/^Declarations, 1:\d+: /);
    await fill(page, { expression: "xᵀAx", wrt: "q", where: "" });
    await expect.poll(() => alert.textContent()).toMatch(/^With respect to, 1:1: `q` does not occur in the expression/);
    expect(await page.getByLabel("With respect to", { exact: true }).getAttribute("aria-invalid")).toBe("true");

    // the page keeps working
    await fill(page, { expression: "xᵀAx", wrt: "x", where: "A: n×n symmetric, x: n" });
    await expect.poll(() => formulaTeX(page)).toBe(await cli(["derive", "xᵀAx", "--wrt", "x", "--where", "A: n×n symmetric, x: n", "--format", "latex"]));
    expect(await page.getByRole("alert").count()).toBe(0);
    expect(await page.getByLabel("Declarations", { exact: true }).getAttribute("aria-invalid")).toBe(null);
  });

  it("shows the answer to what the fields hold now, not to an earlier input still being derived", async () => {
    const page = await pageAt();
    const slow = Array.from({ length: 300 }, (_, i) => `${(i % 7) + 1}xᵀA${i % 3 ? "x" : "y"}`).join(" + ");
    await fill(page, { expression: slow, wrt: "x", where: "" });
    await page.waitForTimeout(300); // past the typing pause: the slow one is being derived (about a second)
    await page.getByLabel("Expression", { exact: true }).fill("xᵀAx");
    // until its answer comes, the one shown is marked as out of date and cannot be copied
    expect(await page.getByRole("region", { name: "Derivative" }).getAttribute("aria-busy")).toBe("true");
    expect(await page.getByRole("button", { name: "Copy LaTeX" }).isDisabled()).toBe(true);
    await expect.poll(() => formulaTeX(page), { timeout: 30_000 }).toBe(await cli(["derive", "xᵀAx", "--wrt", "x", "--format", "latex"]));
    expect(await page.getByRole("region", { name: "Derivative" }).getAttribute("aria-busy")).toBe("false");
    expect(await page.getByRole("button", { name: "Copy LaTeX" }).isDisabled()).toBe(false);
  });

  it("takes the order: a Hessian", async () => {
    const page = await pageAt();
    await fill(page, { expression: "xᵀAx", wrt: "x", where: "A: n×n, x: n" });
    await page.getByLabel("Order").selectOption("2");
    await expect.poll(() => formulaTeX(page)).toBe(await cli(["derive", "xᵀAx", "--wrt", "x", "--where", "A: n×n, x: n", "--order", "2", "--format", "latex"]));
  });
});

describe("the Check view", () => {
  const file = join(ROOT, "examples/seed-2e.md");
  const expected = () => {
    const r = matcalc(["check", "--json", file]);
    expect(r.status).toBe(1);
    return (JSON.parse(r.stdout) as { claims: { line: number; verdict: string }[] }).claims.map((c) => `${c.line} ${c.verdict}`);
  };
  const shown = (page: Page) => page.getByRole("list", { name: "Verdicts" }).locator("li").evaluateAll((items) => items.map((li) => `${(li as HTMLElement).dataset.line} ${(li as HTMLElement).dataset.verdict}`));

  it("gives the command line's verdicts for the seed's 2(e) LaTeX, pasted", async () => {
    const page = await pageAt();
    await page.getByRole("tab", { name: "Check" }).click();
    await page.getByLabel("Derivation").fill(readFileSync(file, "utf8"));
    await page.getByRole("button", { name: "Check", exact: true }).click();
    const want = expected();
    expect(want).toContain("13 wrong");
    await expect.poll(() => shown(page)).toEqual(want);
    // the wrong step says what the command line says under it: difference, right expression, counterexample
    const text = matcalc(["check", file]).stdout.split("\n");
    const under = text.slice(text.findIndex((l) => /^\s+13:5\s+wrong/.test(l)) + 1).map((l) => l.trim()).filter(Boolean);
    const details = (await page.locator('li[data-verdict="wrong"] pre').textContent())!.split("\n").map((l) => l.trim());
    expect(under.slice(0, 3)).toEqual(details.slice(0, 3));
    expect(details.join("\n")).toContain("counterexample with");
    expect(await page.locator("#check-summary").textContent()).toBe("4 steps, 3 ok, 1 wrong, 0 carried (read as Markdown).");
  });

  it("opens a file or the seed's example, and shows an unreadable claim and a bad declaration", async () => {
    const page = await pageAt("#view=check");
    await page.getByLabel("Open a file").setInputFiles(file);
    await expect.poll(() => shown(page)).toEqual(expected());
    expect(await page.locator("#check-summary").textContent()).toMatch(/\(read as Markdown\)\.$/);
    await page.getByLabel("Derivation").fill("");
    await page.getByRole("button", { name: /^Example: the seed's 2\(e\)/ }).click();
    await expect.poll(() => shown(page)).toEqual(expected());

    await page.getByLabel("Derivation").fill("let x: n\n∂(xᵀx)/∂x = 2x\n∂L/∂x = 2x ⊙⊙ x\n");
    await page.getByLabel("Format").selectOption("plain");
    await page.getByRole("button", { name: "Check", exact: true }).click();
    await expect.poll(async () => (await shown(page)).map((s) => s.split(" ")[1])).toContain("unreadable");

    await page.getByLabel("Declarations for every step").fill("x: n ×");
    await page.getByRole("button", { name: "Check", exact: true }).click();
    await expect.poll(() => page.getByRole("alert").textContent()).toMatch(/^Declarations for every step, 1:\d+: /);
  });
});

describe("the link", () => {
  it("holds the problem in the hash, and a link reproduces it", async () => {
    const ex = EXAMPLES[3];
    const page = await pageAt();
    await fill(page, { expression: ex.expression, wrt: ex.wrt, where: ex.where });
    await page.getByLabel("Order").selectOption("1");
    const hash = `#expr=${encodeURIComponent(ex.expression)}&wrt=${ex.wrt}&where=${encodeURIComponent(ex.where)}`;
    await expect.poll(() => page.evaluate(() => location.hash)).toBe(hash);
    const latex = await cli(latexArgs(ex));
    await expect.poll(() => formulaTeX(page)).toBe(latex);

    const again = await open(hash);
    expect(await again.getByLabel("Expression", { exact: true }).inputValue()).toBe(ex.expression);
    expect(await again.getByLabel("With respect to", { exact: true }).inputValue()).toBe(ex.wrt);
    expect(await again.getByLabel("Declarations", { exact: true }).inputValue()).toBe(ex.where);
    await expect.poll(() => formulaTeX(again)).toBe(latex);

    // the order and the view too; characters that mean something in a URL survive
    const odd = { expr: "½‖x − y‖² + 100% & #1", wrt: "x", where: "x, y: n" };
    const link = `#expr=${encodeURIComponent(odd.expr)}&wrt=x&where=${encodeURIComponent(odd.where)}&order=2&view=check`;
    const third = await open(link);
    expect(await third.getByLabel("Expression", { exact: true }).inputValue()).toBe(odd.expr);
    expect(await third.getByLabel("Order").inputValue()).toBe("2");
    expect(await third.getByRole("tab", { name: "Check" }).getAttribute("aria-selected")).toBe("true");
    expect(await third.evaluate(() => location.hash)).toBe(link);
  });
});

describe("offline, accessible, phone-sized", () => {
  it("requests only files of its own origin, KaTeX's fonts among them", async () => {
    const o = await openPage(playground);
    opened.push(o);
    for (const ex of EXAMPLES) {
      await o.page.getByRole("button", { name: ex.title }).click();
      await expect.poll(() => formulaTeX(o.page)).not.toBe(null);
    }
    await o.page.evaluate(() => document.fonts.ready.then(() => undefined));
    expect(o.requests.some((u) => /KaTeX_Main-Regular[^/]*\.woff2$/.test(u))).toBe(true);
    expect(o.requests.every((u) => u.startsWith(playground.origin + "/"))).toBe(true);
    // and the bundle has no Node module in it (the engine stays Node-free)
    const assets = join(ROOT, "web/dist/assets");
    for (const f of readdirSync(assets).filter((f) => f.endsWith(".js")))
      expect(readFileSync(join(assets, f), "utf8")).not.toMatch(/__vite-browser-external|from\s*["']node:|import\(["']node:/);
  });

  it("is used by keyboard: every control is reached with Tab, tabs move with the arrow keys", async () => {
    const page = await pageAt();
    const reached = new Set<string>();
    await page.locator("body").focus();
    for (let i = 0; i < 30; i++) {
      await page.keyboard.press("Tab");
      reached.add(await page.evaluate(() => document.activeElement?.id || document.activeElement?.textContent || ""));
    }
    for (const id of ["tab-derive", "expr", "wrt", "order", "where", EXAMPLES[0].title, "copy-latex", "tab-latex"]) expect(reached).toContain(id);

    await page.getByRole("tab", { name: "Derive" }).focus();
    await page.keyboard.press("ArrowRight");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("tab-check");
    expect(await page.getByLabel("Derivation").isVisible()).toBe(true);
    await page.getByLabel("Derivation").fill("let x: n\n∂(xᵀx)/∂x = 2x\n");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("check-button");
    await page.keyboard.press("Enter");
    await expect.poll(() => page.getByRole("list", { name: "Verdicts" }).locator("li").count()).toBe(1);
    await page.keyboard.press("Shift+Tab");
    await page.getByRole("tab", { name: "Check" }).focus();
    await page.keyboard.press("ArrowLeft");
    expect(await page.getByLabel("Expression", { exact: true }).isVisible()).toBe(true);
  });

  it("has text with at least 4.5:1 contrast against its background", async () => {
    const page = await pageAt();
    await fill(page, { expression: "tr(X⁻¹", wrt: "X", where: "" });
    await expect.poll(() => page.getByRole("alert").count()).toBe(1);
    const worst = await page.evaluate(contrastReport);
    expect(worst.count).toBeGreaterThan(20);
    expect(worst.lowest, worst.where).toBeGreaterThanOrEqual(4.5);

    await page.getByRole("tab", { name: "Check" }).click();
    await page.getByLabel("Derivation").fill(readFileSync(join(ROOT, "examples/seed-2e.md"), "utf8"));
    await page.getByRole("button", { name: "Check", exact: true }).click();
    const checked = await page.evaluate(contrastReport);
    expect(checked.lowest, checked.where).toBeGreaterThanOrEqual(4.5);
  });

  it("fits a 390 px wide phone screen: nothing overflows sideways", async () => {
    const page = await open("", { width: 390, height: 844 });
    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    for (const ex of EXAMPLES) {
      await page.getByRole("button", { name: ex.title }).click();
      await expect.poll(() => formulaTeX(page)).not.toBe(null);
      expect(await overflow()).toBe(0);
    }
    await page.getByRole("tab", { name: "NumPy" }).click();
    expect(await overflow()).toBe(0);
    await fill(page, { expression: "tr(AXB) + ‖WᵀWx − x‖² + tr(X⁻¹ + Y + Z + AXXᵀB + CXD(XᵀX)⁻¹" + " + X".repeat(10), wrt: "X", where: "" });
    await expect.poll(() => page.getByRole("alert").count()).toBe(1);
    expect(await overflow()).toBe(0);
    await page.getByRole("tab", { name: "Check" }).click();
    await page.getByLabel("Derivation").fill(readFileSync(join(ROOT, "examples/seed-2e.md"), "utf8"));
    await page.getByRole("button", { name: "Check", exact: true }).click();
    await expect.poll(() => page.getByRole("list", { name: "Verdicts" }).locator("li").count()).toBe(4);
    expect(await overflow()).toBe(0);
  });
});

/**
 * In the page: the WCAG contrast ratio of every visible element's own text against the first
 * opaque background behind it; the lowest, and where.
 */
function contrastReport(): { lowest: number; where: string; count: number } {
  const rgb = (c: string) => (c.match(/[\d.]+/g) ?? []).map(Number);
  const luminance = ([r, g, b]: number[]) => {
    const lin = (v: number) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
    return 0.2126 * lin(r!) + 0.7152 * lin(g!) + 0.0722 * lin(b!);
  };
  const background = (el: Element | null): number[] => {
    for (; el; el = el.parentElement) {
      const c = rgb(getComputedStyle(el).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3]! > 0.99)) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  let lowest = Infinity;
  let where = "";
  let count = 0;
  for (const el of document.querySelectorAll("body *")) {
    const own = [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim());
    const box = (el as HTMLElement).getBoundingClientRect();
    if (!own || box.width === 0 || box.height === 0 || getComputedStyle(el).visibility === "hidden") continue;
    const [a, b] = [luminance(rgb(getComputedStyle(el).color)), luminance(background(el))];
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    count++;
    if (ratio < lowest) [lowest, where] = [ratio, `${el.tagName}.${el.className}: ${el.textContent!.slice(0, 40)}`];
  }
  return { lowest, where, count };
}
