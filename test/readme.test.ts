// The README's examples are real output: what `npm run example` prints, and every `$ matcalc …`
// line in the other plain code blocks, run, must print what the README shows (standard output,
// or standard error for an input that cannot be read). A line `…` ends the comparison for its
// command (shortened).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { matcalc } from "./helpers.js";


interface Example {
  readonly line: number;
  readonly command: string;
  readonly expected: string[];
}

/** The plain code block after the README says what `npm run example` prints. */
function exampleBlock(markdown: string): { start: number; lines: string[] } {
  const lines = markdown.split("\n");
  const said = lines.findIndex((l) => l.startsWith("`npm run example` prints"));
  const start = lines.indexOf("```", said);
  const end = lines.indexOf("```", start + 1);
  return { start, lines: lines.slice(start + 1, end) };
}

function examples(markdown: string): Example[] {
  const skipped = exampleBlock(markdown).start;
  const out: Example[] = [];
  let block: "plain" | "other" | undefined;
  let current: { line: number; command: string; expected: string[] } | undefined;
  markdown.split("\n").forEach((text, i) => {
    if (text.startsWith("```")) {
      if (current) out.push(current);
      current = undefined;
      block = block ? undefined : text === "```" ? "plain" : "other";
      return;
    }
    if (block !== "plain" || (i > skipped && i <= skipped + exampleBlock(markdown).lines.length)) return;
    if (text.startsWith("$ matcalc ")) {
      if (current) out.push(current);
      current = { line: i + 1, command: text.slice(2), expected: [] };
    } else current?.expected.push(text);
  });
  return out;
}

/** The words of a command line: single quotes only, as the README writes them. */
function words(command: string): string[] {
  return [...command.matchAll(/'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2]!);
}

/** The printed lines are the shown ones, up to a line `…` where the README shortens. */
function expectShown(printed: string, shown: readonly string[]): void {
  const shortened = shown.findIndex((l) => l.trim() === "…");
  const lines = printed.replace(/\n$/, "").split("\n");
  expect(shortened < 0 ? lines : lines.slice(0, shortened)).toEqual(shortened < 0 ? shown : shown.slice(0, shortened));
}

const README = readFileSync(new URL("../README.md", import.meta.url), "utf8");

describe("README examples", () => {
  const all = examples(README);

  it("has examples to run", () => {
    expect(all.length).toBeGreaterThanOrEqual(15);
  });

  it("`npm run example` prints what the README shows", () => {
    const r = matcalc(["example"]);
    expect(r.status).toBe(0);
    expectShown(r.stdout, exampleBlock(README).lines);
  });

  it.each(all.map((e) => [`line ${e.line}: ${e.command}`, e] as const))("%s", (_name, e) => {
    const [, ...args] = words(e.command);
    const r = matcalc(args);
    expectShown(r.status === 2 ? r.stderr : r.stdout, e.expected);
  });
});
