// The core (parse, shapes, derive, simplify, print, numbers) runs in a browser: no Node-only
// API outside the command line. And every accepted spelling in the corpus has exactly one parse.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { countParses } from "../src/syntax/parse.js";
import { PROBLEMS } from "./corpus/problems.js";
import { contextOf } from "../src/index.js";

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith(".ts") ? [p] : [];
  });
}

describe("architecture", () => {
  const root = new URL("..", import.meta.url).pathname;
  const core = [...files(join(root, "src")), ...files(join(root, "rules"))].filter((f) => !f.endsWith("cli.ts"));

  it.each(core.map((f) => [f.slice(root.length)]))("%s uses no Node-only API", (f) => {
    const text = readFileSync(join(root, f), "utf8");
    expect(text).not.toMatch(/from "node:|require\(|process\.|__dirname|Buffer\./);
  });
});

describe("every corpus spelling has exactly one parse", () => {
  it.each(PROBLEMS.flatMap((p) => Object.entries(p.spellings).map(([s, text]) => [`${p.id} (${s})`, text, p.where] as const)))(
    "%s",
    (_id, text, where) => {
      const names = new Set(contextOf(where).symbols.keys());
      expect(countParses(text, { names })).toBe(1);
    },
  );
});
