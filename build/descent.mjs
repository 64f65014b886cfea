// `npm run grammar`, after nearleyc: writes src/syntax/descent.ts, a recursive-descent reader of
// grammar/matcalc.ne, so that the grammar is written once and read two ways. nearley's chart
// (src/syntax/grammar.ts) reads every input and says what was expected where it fails; the
// descent reads the well-formed input nearly every call gives, without building a chart: about
// ten times faster on long inputs (bench/readers.mjs), and no slower to start.
//
// The descent applies the grammar's own rules and postprocessors (grammar.ParserRules), so a
// tree it finds is a derivation by the grammar; the grammar is unambiguous, so that tree is
// nearley's one parse. It chooses a rule by the next token; where rules share that token it tries
// them in order (\frac{∂L}{∂X} is tried as a fraction first). At a token no rule takes, or past a
// budget of tokens read (backtracking stays linear), it gives up and nearley reads the input.
// Left recursion (Sum -> Sum %plus SignedTerm) becomes a loop, and so does a run of prefixes
// (SignedTerm -> %minus SignedTerm), so that 20,000 minus signs do not overflow the stack.
import { createRequire } from "node:module";
import { readFileSync, writeFileSync } from "node:fs";

const require = createRequire(import.meta.url);
const nearley = require("nearley");
const compile = require("nearley/lib/compile.js");
const nearleyLanguage = require("nearley/lib/nearley-language-bootstrapped.js");

const source = new URL("../grammar/matcalc.ne", import.meta.url);
const target = new URL("../src/syntax/descent.ts", import.meta.url);

/** The grammar's rules as nearleyc numbers them in ParserRules: symbols `{ rule: name }` or `{ token: type }`. */
function readRules(text) {
  const parser = new nearley.Parser(nearley.Grammar.fromCompiled(nearleyLanguage));
  parser.feed(text);
  parser.feed("\n");
  // as nearleyc reads it (its first reading), so that rule numbers are ParserRules' numbers
  const compiled = compile(parser.results[0], {});
  const rules = compiled.rules.map((r, index) => ({
    index,
    name: r.name,
    symbols: r.symbols.map((s) => {
      if (typeof s === "string") return { rule: s };
      const type = typeof s.token === "string" && /^\(lexer\.has\("(\w+)"\)/.exec(s.token)?.[1];
      if (!type) throw new Error(`build/descent.mjs reads %token and rule symbols only, not ${JSON.stringify(s)} (rule ${r.name})`);
      return { token: type };
    }),
    id: typeof r.postprocess === "string" && r.postprocess.trim() === "id",
  }));
  for (const r of rules) if (r.symbols.length === 0) throw new Error(`build/descent.mjs does not read empty rules (${r.name})`);
  return { rules, start: compiled.start };
}

/** The tokens each rule can begin with. */
function firstSets(rules) {
  const first = new Map(rules.map((r) => [r.name, new Set()]));
  for (let changed = true; changed; ) {
    changed = false;
    for (const r of rules) {
      const s = r.symbols[0];
      const adds = s.token ? [s.token] : first.get(s.rule) ?? fail(`unknown rule ${s.rule}`);
      for (const t of adds) if (!first.get(r.name).has(t)) (first.get(r.name).add(t), (changed = true));
    }
  }
  return first;
}

const fail = (message) => {
  throw new Error(`build/descent.mjs: ${message}`);
};

function generate({ rules, start }) {
  const first = firstSets(rules);
  const firstOf = (s) => (s.token ? new Set([s.token]) : first.get(s.rule));
  const names = [...new Set(rules.map((r) => r.name))];
  const fn = (name) => `read${name.replace(/\W/g, "_")}`;
  const readSymbol = (s) => (s.token ? `take("${s.token}")` : `${fn(s.rule)}()`);
  /** The value of rule r, its symbols read (`given` values first, already read). */
  const value = (r, given = []) => {
    const data = [...given, ...r.symbols.slice(given.length).map(readSymbol)];
    return r.id ? data[0] : `rule${r.index}([${data.join(", ")}])`;
  };

  /** A switch on the next token: for each, the rules (in grammar order) that can begin with it, read by `read(rules)`. */
  const choose = (alternatives, read, otherwise) => {
    const byToken = new Map();
    for (const { rule, symbol } of alternatives)
      for (const t of firstOf(symbol)) byToken.set(t, [...(byToken.get(t) ?? []), rule]);
    const groups = new Map();
    for (const [t, rs] of byToken) {
      const key = rs.map((r) => r.index).join();
      groups.set(key, { tokens: [...(groups.get(key)?.tokens ?? []), t], rules: rs });
    }
    const arms = [...groups.values()].flatMap(({ tokens, rules: rs }) => [tokens.map((t) => `case "${t}":`).join(" "), ...read(rs).map((l) => `  ${l}`)]);
    return ["switch (peek()) {", ...arms.map((l) => `  ${l}`), ...(otherwise ? ["  default:", `    ${otherwise}`] : []), "}"];
  };
  /**
   * The value of the first of `rs` that reads on from here; rules of tokens alone are tried first,
   * as they fail within a few tokens (\frac{∂L}{∂X} before \frac{a}{b}). The order changes how
   * soon the descent finds the parse or gives up, never which tree it returns: the grammar has one.
   */
  const oneOf = (rs, given = []) => {
    if (rs.length === 1) return value(rs[0], given);
    const tokensOnly = (r) => r.symbols.every((s, k) => k < given.length || s.token);
    const ordered = [...rs.filter(tokensOnly), ...rs.filter((r) => !tokensOnly(r))];
    return `attempt(${ordered.map((r) => `() => ${value(r, given)}`).join(", ")})`;
  };

  const leftReach = (name, seen = new Set()) => {
    for (const r of rules.filter((r) => r.name === name && r.symbols[0].rule && r.symbols[0].rule !== name))
      if (!seen.has(r.symbols[0].rule)) (seen.add(r.symbols[0].rule), leftReach(r.symbols[0].rule, seen));
    return seen;
  };

  const readers = names.map((name) => {
    const own = rules.filter((r) => r.name === name);
    const left = own.filter((r) => r.symbols[0].rule === name);
    const others = own.filter((r) => !left.includes(r));
    for (const r of others) if (r.symbols[0].rule && leftReach(r.symbols[0].rule).has(name)) fail(`${name} is left recursive through ${r.symbols[0].rule}`);
    if (left.some((r) => r.symbols.length < 2)) fail(`${name} -> ${name}`);
    // N -> %t N, where no other rule of N begins with t: read as a run of t, then the rest
    const isPrefix = (r) =>
      left.length === 0 && r.symbols.length === 2 && r.symbols[0].token && r.symbols[1].rule === name &&
      !others.some((o) => o !== r && firstOf(o.symbols[0]).has(r.symbols[0].token));
    const prefixes = others.filter(isPrefix);
    const base = others.filter((r) => !prefixes.includes(r));
    const direct = prefixes.length === 0 && left.length === 0;
    const lines = [];
    if (prefixes.length) {
      lines.push("let prefixes: [Postprocess, Tok][] | undefined;", "for (;;) {", "  const t = peek();");
      prefixes.forEach((r, k) => lines.push(`  ${k ? "else " : ""}if (t === "${r.symbols[0].token}") (prefixes ??= []).push([rule${r.index}, next()]);`));
      lines.push("  else break;", "}");
    }
    if (base.length === 1) lines.push(direct ? `return ${value(base[0])};` : `let v = ${value(base[0])};`);
    else {
      if (!direct) lines.push("let v: unknown;");
      const alternatives = base.map((r) => ({ rule: r, symbol: r.symbols[0] }));
      lines.push(...choose(alternatives, (rs) => (direct ? [`return ${oneOf(rs)};`] : [`v = ${oneOf(rs)};`, "break;"]), "throw GIVE_UP;"));
    }
    if (prefixes.length) lines.push("if (prefixes) for (let k = prefixes.length - 1; k >= 0; k--) v = prefixes[k]![0]([prefixes[k]![1], v]);");
    if (left.length) {
      const alternatives = left.map((r) => ({ rule: r, symbol: r.symbols[1] }));
      lines.push("for (;;) {", ...choose(alternatives, (rs) => [`v = ${oneOf(rs, ["v"])};`, "continue;"]).map((l) => `  ${l}`), "  return v;", "}");
    } else if (!direct) lines.push("return v;");
    const comment = own.map((r, k) => `${k ? "//   " : "// "}${r.name} -> ${r.symbols.map((s) => (s.token ? `%${s.token}` : s.rule)).join(" ")}`);
    return [...comment, `function ${fn(name)}(): unknown {`, ...lines.map((l) => `  ${l}`), "}"].map((l) => `  ${l}`).join("\n");
  });

  return `// Generated by build/descent.mjs from grammar/matcalc.ne (\`npm run grammar\`): edit the grammar, not this file.
// A recursive-descent reader of the grammar's rules, applying its postprocessors; undefined where it
// gives up, and nearley (grammar.ts) reads the input instead.
import grammar, { type Raw } from "./grammar.js";
import type { Tok, TokType } from "./tokens.js";

/** Thrown (and caught below) at a token the rules do not take here. */
const GIVE_UP = Symbol("give up");

// Each rule's postprocessor as a constant of its own, so that every call site calls one function.
type Postprocess = (data: unknown[]) => unknown;
const post = (rule: number): Postprocess => grammar.ParserRules[rule]!.postprocess!;
${rules.filter((r) => !r.id).map((r) => `const rule${r.index} = post(${r.index}); // ${r.name}`).join("\n")}

/** The parse of \`tokens\` by the grammar's rules, or undefined where nearley has to decide. */
export function descend(tokens: readonly Tok[]): Raw | undefined {
  let i = 0;
  /** Tokens read, backtracking included: past this, nearley's linear time is the better bet. */
  let budget = 4 * tokens.length + 64;
  const peek = (): TokType | undefined => tokens[i]?.type;
  const next = (): Tok => {
    if (--budget < 0) throw GIVE_UP;
    return tokens[i++]!;
  };
  const take = (type: TokType): Tok => {
    if (tokens[i]?.type !== type) throw GIVE_UP;
    return next();
  };
  /** The first alternative that reads on from here. */
  const attempt = (...alternatives: (() => unknown)[]): unknown => {
    const at = i;
    for (const alternative of alternatives) {
      try {
        return alternative();
      } catch (err) {
        if (err !== GIVE_UP) throw err;
        i = at;
      }
    }
    throw GIVE_UP;
  };

  try {
    const parsed = ${fn(start)}() as Raw;
    return i === tokens.length ? parsed : undefined;
  } catch (err) {
    // a RangeError: nesting deeper than the stack, which nearley reads without recursion
    if (err === GIVE_UP || err instanceof RangeError) return undefined;
    throw err;
  }

${readers.join("\n\n")}
}
`;
}

writeFileSync(target, generate(readRules(readFileSync(source, "utf8"))));
