// The core (parse, shapes, derive, simplify, print, numbers) runs in a browser: no Node-only
// API outside the command line. The modules form layers that only import downwards (no import
// circle). And every accepted spelling in the corpus has exactly one parse.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { countParses } from "../src/syntax/parse.js";
import { PROBLEMS } from "./corpus/problems.js";
import { buildContext, contextOf, parseExpression, parseStatements } from "../src/index.js";
import { isSymmetric } from "../src/simplify/symmetry.js";

const root = new URL("..", import.meta.url).pathname;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith(".ts") ? [p] : [];
  });
}

describe("architecture", () => {
  const core = [...files(join(root, "src")), ...files(join(root, "rules"))].filter((f) => !f.endsWith("cli.ts") && !f.endsWith("commandLine.ts"));

  it.each(core.map((f) => [f.slice(root.length)]))("%s uses no Node-only API", (f) => {
    const text = readFileSync(join(root, f), "utf8");
    expect(text).not.toMatch(/from "node:|require\(|process\.|__dirname|Buffer\./);
  });
});

/**
 * The layers, lowest first: a module imports (values, types, or dynamically) only modules of its
 * own layer or of lower ones. An entry names a file, or a folder when it ends in "/"; the most
 * specific entry decides a file's layer, so a new file in a folder starts in the folder's layer.
 * Where this differs from the pipeline's order, it is because the code needs it: the function
 * table is below the syntax (a function brings its words), expression printing is below the
 * derivatives (their errors quote expressions), the simplifier is below the derivatives (which
 * simplify each share), and the checker is below worked solutions (which order and substitute
 * definitions with its helpers).
 */
const LAYERS: readonly (readonly [name: string, files: readonly string[]])[] = [
  ["errors and positions", ["src/errors.ts", "src/memory.ts", "src/arrays.ts"]],
  ["expression tree", ["src/ast.ts", "src/greek.ts"]],
  ["shape algebra", ["src/shapes/shape.ts"]],
  // the linear maps' identities are data the functions cite by typed name (FunctionSpec.algebra)
  ["linear-map identities", ["rules/linear-maps.ts"]],
  ["functions", ["src/functions/"]],
  ["syntax", ["src/syntax/"]],
  ["context", ["src/context.ts"]],
  ["shape inference", ["src/shapes/"]],
  ["expression printing", ["src/print/names.ts", "src/print/expression.ts", "src/print/sharing.ts"]],
  ["pattern language", ["src/pattern/"]],
  ["normal forms", ["src/simplify/"]],
  ["rewrite runner", ["src/simplify/rewrite.ts"]],
  ["rules", ["rules/"]],
  ["simplifier", ["src/simplify/simplify.ts"]],
  ["declarations", ["src/declarations.ts"]],
  ["derivatives", ["src/derive/"]],
  ["results", ["src/result.ts"]],
  ["numbers", ["src/numeric/"]],
  ["reading notes", ["src/shapes/grouping.ts"]],
  ["printers", ["src/print/"]],
  ["derivation checker", ["src/check/"]],
  ["worked solutions", ["src/steps/"]],
  ["API", ["src/api.ts", "src/examples.ts"]],
  ["entry points", ["src/index.ts", "src/cli.ts", "src/commandLine.ts", "src/check/cli.ts", "src/check/worker.cli.ts"]],
];

/** Imports allowed to run back up, each with its reason ("from -> to"). At most 2. */
const BACK_UP: ReadonlyMap<string, string> = new Map([]);

/** The modules of src/ and rules/ (relative paths) each file imports, type-only and dynamic imports included. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of [...files(join(root, "src")), ...files(join(root, "rules"))]) {
    const text = readFileSync(file, "utf8");
    const specifiers = [
      ...text.matchAll(/^\s*(?:import|export)\b[^;"'`]*?\bfrom\s*["']([^"']+)["']/gm),
      ...text.matchAll(/^\s*import\s*["']([^"']+)["']/gm),
      ...text.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)/g),
    ].map((m) => m[1]!);
    const targets = specifiers
      .filter((s) => s.startsWith("."))
      .map((s) => resolve(dirname(file), s).replace(/\.js$/, ".ts"))
      .filter((t) => existsSync(t))
      .map((t) => relative(root, t));
    graph.set(relative(root, file), [...new Set(targets)]);
  }
  return graph;
}

/** Strongly connected components of more than one module (or a module importing itself): import circles. */
function circles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const found: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (stack.includes(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do component.push((w = stack.pop()!));
    while (w !== v);
    if (component.length > 1 || graph.get(v)?.includes(v)) found.push(component.sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

/** The layer (its position in LAYERS) of a file, by the most specific entry naming it. */
function layerOf(file: string): number | undefined {
  let best: { layer: number; length: number } | undefined;
  LAYERS.forEach(([, entries], layer) => {
    for (const entry of entries)
      if ((entry.endsWith("/") ? file.startsWith(entry) : file === entry) && entry.length > (best?.length ?? -1)) best = { layer, length: entry.length };
  });
  return best?.layer;
}

describe("layers", () => {
  const graph = importGraph();

  it("the import reader sees value, type, multi-line, re-export and dynamic imports", () => {
    // known edges of each kind: a type-only import, a multi-line one, a re-export, a dynamic import()
    expect(graph.get("src/simplify/symmetry.ts")).toContain("src/context.ts");
    expect(graph.get("src/simplify/normal.ts")).toContain("src/ast.ts");
    expect(graph.get("src/index.ts")).toContain("src/api.ts");
    expect(graph.get("src/cli.ts")).toContain("src/check/cli.ts");
    expect(circles(new Map([["a", ["b"]], ["b", ["c"]], ["c", ["a"]], ["d", ["a"]]]))).toEqual([["a", "b", "c"]]);
  });

  it("no import circle", () => {
    expect(circles(graph)).toEqual([]);
  });

  it("every module is in a layer", () => {
    expect([...graph.keys()].filter((f) => layerOf(f) === undefined)).toEqual([]);
  });

  it("imports only point down (but the named exceptions)", () => {
    const upwards = [...graph].flatMap(([from, targets]) => targets.filter((to) => layerOf(to)! > layerOf(from)!).map((to) => `${from} -> ${to}`));
    expect(upwards.filter((edge) => !BACK_UP.has(edge))).toEqual([]);
    expect(BACK_UP.size).toBeLessThanOrEqual(2);
    // an exception that no longer happens is removed from the list
    expect([...BACK_UP.keys()].filter((edge) => !upwards.includes(edge))).toEqual([]);
  });

  it("no module keeps answers per context: they are kept in the context's memo", () => {
    const perContext = [...graph.keys()].filter((f) => /(?:Weak)?Map<\s*Context\b/.test(readFileSync(join(root, f), "utf8")));
    expect(perContext).toEqual([]);
  });

  it("two contexts share no answer about the same node", () => {
    // (AA)ᵀ = AᵀAᵀ is AA when A is symmetric, and in general not
    const node = parseExpression("A A");
    const symmetric = buildContext(parseStatements("A: n×n symmetric"));
    const plain = buildContext(parseStatements("A: n×n"));
    expect(isSymmetric(node, symmetric)).toBe(true);
    expect(isSymmetric(node, plain)).toBe(false);
    expect(isSymmetric(node, symmetric)).toBe(true);
    expect(plain.memo.size).toBeGreaterThan(0);
    expect([...plain.memo.values()].some((table) => [...symmetric.memo.values()].includes(table))).toBe(false);
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
