// The coverage table of the Matrix Cookbook's chapter 2 (test/corpus/cookbook.ts): one row per
// equation (32)–(144); every covered row names corpus problems, which test/corpus.test.ts checks
// against finite differences; docs/cookbook-coverage.md is the table, rendered.
// UPDATE_DOCS=1 npx vitest run test/cookbook.test.ts rewrites the document.
import { readFileSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { COOKBOOK_CHAPTER_2, renderCoverage } from "./corpus/cookbook.js";
import { PROBLEMS } from "./corpus/problems.js";

const DOC = new URL("../docs/cookbook-coverage.md", import.meta.url).pathname;

describe("the Matrix Cookbook coverage table", () => {
  it("has one row for each equation of chapter 2, (32)–(144)", () => {
    expect(COOKBOOK_CHAPTER_2.map((r) => r.eq)).toEqual(Array.from({ length: 144 - 32 + 1 }, (_, i) => 32 + i));
  });

  it.each(COOKBOOK_CHAPTER_2.map((r) => [r.eq, r] as const))("(%s) is covered by corpus problems, or says why not", (_eq, row) => {
    expect(Boolean(row.covered) !== Boolean(row.why), "exactly one of covered and why").toBe(true);
    for (const id of row.covered ?? []) expect(PROBLEMS.some((p) => p.id === id), `${id} is a corpus problem`).toBe(true);
    if (row.covered) expect(row.covered.length).toBeGreaterThan(0);
  });

  it("covers most of the chapter", () => {
    expect(COOKBOOK_CHAPTER_2.filter((r) => r.covered).length).toBeGreaterThanOrEqual(80);
  });

  it("docs/cookbook-coverage.md is the table, rendered", () => {
    const rendered = renderCoverage(COOKBOOK_CHAPTER_2);
    if (process.env.UPDATE_DOCS) writeFileSync(DOC, rendered);
    expect(readFileSync(DOC, "utf8")).toBe(rendered);
  });
});
