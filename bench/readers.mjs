// The grammar's two readers side by side on the same tokens, at the input limits (src/api.ts:
// LONGEST_INPUT): the descent reader of each build given, and nearley's chart alone.
//   node bench/readers.mjs [dist …]   (default: dist)
import nearley from "nearley";
import { resolve } from "node:path";

const dists = (process.argv.length > 2 ? process.argv.slice(2) : ["dist"]).map((d) => resolve(d));
const builds = await Promise.all(dists.map((d) => import(`${d}/src/syntax/descent.js`)));
const { default: grammar } = await import(`${dists[0]}/src/syntax/grammar.js`);
const { expressionTokens, TokenStream } = await import(`${dists[0]}/src/syntax/tokens.js`);
const { lex, normalize } = await import(`${dists[0]}/src/syntax/lexer.js`);
const compiled = nearley.Grammar.fromCompiled(grammar);

function nearleyOnly(tokens) {
  const parser = new nearley.Parser(compiled);
  parser.reportError = parser.reportLexerError = () => "syntax error";
  parser.lexer = new TokenStream(tokens);
  parser.feed("");
  return parser.results;
}

const N = 20_000;
const inputs = {
  "tr(X)": "tr(X)",
  "GP-LVM": "−D/2 log|K| − ½ tr(K⁻¹YYᵀ)",
  "sum x+x+… (20k chars)": Array(N / 2).fill("x").join("+"),
  "product x x … (20k)": Array(N / 2).fill("x").join(" "),
  "one word xxx… (20k)": "x".repeat(N),
  "postfix xᵀᵀᵀ… (20k)": "x" + "ᵀ".repeat(N - 1),
  "signs −−−…x (20k)": "−".repeat(N - 1) + "x",
  "bare fns tr tr … x (20k)": "tr ".repeat(Math.floor((N - 1) / 3)) + "x",
  "a*−a*−… (20k)": Array(N / 4).fill("a").join("*−"),
  "a⊙a⊙… (20k)": Array(N / 2).fill("a").join("⊙"),
  "200 nested (": "(".repeat(200) + "x" + ")".repeat(200),
  "\\frac{∂L}{∂X} ×1000": Array(1000).fill("\\frac{\\partial L}{\\partial X}").join("+"),
};

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const ms = (f) => {
  const t = performance.now();
  f();
  return performance.now() - t;
};
const descent = (d, tokens) => {
  try {
    return d.descend(tokens) === undefined ? "gives up" : undefined;
  } catch (e) {
    return String(e.message).slice(0, 24);
  }
};

console.log(`| input | tokens | ${dists.map((d) => `descent ${d.split("/").slice(-2).join("/")} ms`).join(" | ")} | nearley ms | nearley parses |`);
console.log(`|---|---:|${dists.map(() => "---:|").join("")}---:|---:|`);
for (const [label, text] of Object.entries(inputs)) {
  const norm = normalize(text);
  const tokens = expressionTokens(lex(norm.text), { ...norm, original: text }, { names: new Set() }).tokens;
  const runs = tokens.length > 1000 ? 5 : 51;
  const failed = builds.map((d) => descent(d, tokens));
  const times = [...builds.map(() => []), []];
  // interleaved, so that the machine's load falls on every reader alike
  for (let r = 0; r < runs; r++) {
    builds.forEach((d, k) => failed[k] === undefined && times[k].push(ms(() => d.descend(tokens))));
    times[builds.length].push(ms(() => nearleyOnly(tokens)));
  }
  const cells = builds.map((_, k) => failed[k] ?? median(times[k]).toFixed(2));
  console.log(`| ${label} | ${tokens.length} | ${cells.join(" | ")} | ${median(times[builds.length]).toFixed(1)} | ${nearleyOnly(tokens).length} |`);
}
