// The parser's public API: expressions, and declaration/definition statements.
//
//   text ─NFC→ lexer.ts (moo) ─→ tokens.ts (split words, pair bars) ─→ grammar (descent.ts, or
//   nearley where that gives up: both made from grammar/matcalc.ne) ─→ Raw ─→ Expr
//
// Every failure is a MatcalcError with a span into the original text and that text as its source.
import nearley from "nearley";
import * as ast from "../ast.js";
import type { DeclaredShape, Dim, Expr, Property, Span, Statement } from "../ast.js";
import { MatcalcError } from "../errors.js";
import { Dims } from "../shapes/shape.js";
import { functionSpec } from "../functions/index.js";
import grammar, { type Raw } from "./grammar.js";
import { descend } from "./descent.js";
import { size } from "./literals.js";
import { SUPERSCRIPT_CHARS, lex, normalize, table, type Normalized, type RawToken } from "./lexer.js";
import {
  CLOSER_OF,
  type Post,
  NORM_ORDERS,
  TokenStream,
  expressionTokens,
  greekLetter,
  isFunctionWord,
  isLayout,
  subscriptText,
  symbolWord,
  type Tok,
} from "./tokens.js";

export interface ParseOptions {
  /** Declared names, canonical ("Σ", "W1", "x_1"): multi-letter ones are read as one symbol. */
  names?: ReadonlySet<string>;
}

/** Parse one expression. Throws MatcalcError. */
export function parseExpression(text: string, options: ParseOptions = {}): Expr {
  const src = prepare(text);
  return withSource(text, () => expression(src, src.raw, options.names ?? new Set(), 0));
}

/** The number of parses nearley finds (0 when none); for the grammar's ambiguity tests. */
export function countParses(text: string, options: ParseOptions = {}): number {
  const src = prepare(text);
  return withSource(text, () => {
    const { tokens } = expressionTokens(src.raw, src.norm, { names: options.names ?? new Set() });
    if (tokens.length === 0) return 0;
    const run = runParser(tokens);
    return "results" in run ? run.results.length : 0;
  });
}

/**
 * Whether descent.ts (generated from the grammar) reads the text as nearley does: the same tree
 * where nearley finds one parse, nothing where it finds none; for the grammar's tests.
 */
export function descentAgrees(text: string, options: ParseOptions = {}): boolean {
  const src = prepare(text);
  return withSource(text, () => {
    const { tokens } = expressionTokens(src.raw, src.norm, { names: options.names ?? new Set() });
    const read = descend(tokens);
    const run = tokens.length ? runParser(tokens) : undefined;
    const parses = run && "results" in run ? run.results : [];
    return read === undefined ? parses.length !== 1 : parses.length === 1 && JSON.stringify(read) === JSON.stringify(parses[0]);
  });
}

/**
 * A function-style left side, `L(w)`, `f(x, y)`, `\mathcal{L}(\mathbf w)`: the name being defined
 * and its arguments (NOTATION.md: `L(w) = …` defines L, w its argument), or undefined when the
 * text is not one symbol applied to symbols. `names` are the declared names; a declared scalar
 * before brackets is still read as a product by parseExpression.
 */
export function functionHead(text: string, names: ReadonlySet<string> = new Set()): { name: string; arguments: string[] } | undefined {
  const src = prepare(text);
  let tokens: Tok[];
  try {
    tokens = withSource(text, () => expressionTokens(src.raw, src.norm, { names }).tokens);
  } catch {
    return undefined;
  }
  const [head, open, ...rest] = tokens;
  const close = rest.pop();
  // σ(x) undeclared is the sigmoid, never a definition's head
  if (head?.type !== "sym" || open?.type !== "lparen" || close?.type !== "rparen" || rest.length % 2 !== 1) return undefined;
  const args = rest.filter((_, i) => i % 2 === 0);
  if (!args.every((a) => a.type === "sym") || !rest.every((t, i) => i % 2 === 0 || t.type === "comma")) return undefined;
  return { name: head.name!, arguments: args.map((a) => a.name!) };
}

/** Parse declarations (`W: m×n`, `x ∈ ℝⁿ`, `α, β: scalar`) and definitions (`K := …`). Throws MatcalcError. */
export function parseStatements(text: string, options: ParseOptions = {}): Statement[] {
  const src = prepare(text);
  return withSource(text, () => statements(src, new Set(options.names ?? [])));
}

// ---------------------------------------------------------------- plumbing

interface Source {
  readonly norm: Normalized;
  readonly raw: readonly RawToken[];
}

function prepare(text: string): Source {
  const norm = normalize(unwrapMath(text));
  return { norm: { text: norm.text, original: text, toOriginal: norm.toOriginal }, raw: lex(norm.text) };
}

/**
 * Text copied from a document with its math delimiters, `$…$`, `$$…$$`, `\[…\]`, `\(…\)`:
 * the delimiters become spaces, so that positions stay where they were.
 */
function unwrapMath(text: string): string {
  const m = /^(\s*)(\$\$|\$|\\\[|\\\()([^]*?)(\$\$|\$|\\\]|\\\))(\s*)$/.exec(text);
  const closer: Record<string, string> = { $$: "$$", $: "$", "\\[": "\\]", "\\(": "\\)" };
  if (!m || closer[m[2]!] !== m[4] || m[3]!.includes("$")) return text;
  const blank = (s: string) => " ".repeat(s.length);
  return m[1]! + blank(m[2]!) + m[3]! + blank(m[4]!) + m[5]!;
}

/** Run f; any MatcalcError leaves with the text as its source, anything else becomes one. */
function withSource<T>(text: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof MatcalcError) {
      if (e.source === text) throw e;
      throw new MatcalcError(e.message, e.span, text, e.category);
    }
    // a bug, but the user still gets a positioned message and no stack trace
    throw new MatcalcError(`internal parser error: ${e instanceof Error ? e.message : String(e)}`, { start: 0, end: 0 }, text);
  }
}

const fail = (message: string, at: Span): never => {
  throw new MatcalcError(message, { start: at.start, end: at.end });
};

const compiled = nearley.Grammar.fromCompiled(grammar as unknown as nearley.CompiledRules);

type Run = { results: Raw[] } | { failed: Tok; parser: nearley.Parser } | { ended: true; parser: nearley.Parser };

function runParser(tokens: readonly Tok[]): Run {
  const parser = new nearley.Parser(compiled);
  // nearley's own report walks its tables to build a long text we never show
  const p = parser as unknown as { lexer: unknown; reportError: () => string; reportLexerError: () => string };
  p.reportError = p.reportLexerError = () => "syntax error";
  p.lexer = new TokenStream(tokens);
  try {
    parser.feed("");
  } catch (e) {
    const token = (e as { token?: Tok }).token;
    if (token && typeof token === "object" && "type" in token) return { failed: token, parser };
    throw e;
  }
  return parser.results.length ? { results: parser.results as Raw[] } : { ended: true, parser };
}

/** The expression in raw tokens `raw` (a whole text or the right side of `:=`). */
function expression(src: Source, raw: readonly RawToken[], names: ReadonlySet<string>, emptyAt: number): Expr {
  const { tokens, unclosed } = expressionTokens(raw, src.norm, { names });
  if (tokens.length === 0) fail("empty expression", { start: emptyAt, end: emptyAt });
  // x^{n}: the exponent is an expression of its own, read from its raw tokens
  const exponent = (p: Extract<Post, { kind: "powexpr" }>) => expression(src, p.raw, names, src.norm.toOriginal(p.bodyStart));
  const read = descend(tokens);
  if (read) return convert(read, exponent);
  const run = runParser(tokens);
  if ("failed" in run) {
    const t = run.failed;
    if (t.error !== undefined) fail(t.error, t);
    fail(`unexpected \`${t.text}\`: expected ${expectedWords(run.parser)}`, t);
  }
  if ("ended" in run) {
    const last = tokens[tokens.length - 1]!;
    const open = unclosed[unclosed.length - 1];
    const expected = expectedTypes(run.parser);
    if (open && expected.types.has(CLOSER_OF[open.type]!)) {
      const closer = open.type.startsWith("bar") ? "a closing `|`" : open.type.startsWith("norm") ? "a closing `‖`" : `\`${CLOSE_TEXT[open.type]}\``;
      fail(`unclosed \`${open.text}\`: expected ${closer} before the end of the input`, open);
    }
    fail(`unexpected end of input: expected ${expectedWords(run.parser)}`, { start: last.end, end: last.end });
  }
  const results = (run as { results: Raw[] }).results;
  if (results.length !== 1) fail(`internal parser error: ${results.length} readings`, { start: tokens[0]!.start, end: tokens[tokens.length - 1]!.end });
  return convert(results[0]!, exponent);
}

const CLOSE_TEXT: Partial<Record<string, string>> = { lparen: ")", lbrack: "]", lbrace: "}", langle: "⟩" };

// ---------------------------------------------------------------- "expected …" in words

interface NearleyState {
  rule: { name: string; symbols: unknown[] };
  dot: number;
  reference: number;
  isComplete: boolean;
}

function expectedTypes(parser: nearley.Parser): { types: Set<string>; canEnd: boolean } {
  const p = parser as unknown as { table: { states: NearleyState[] }[]; current: number };
  const column = p.table[p.current]!;
  const types = new Set<string>();
  let canEnd = false;
  for (const s of column.states) {
    const next = s.rule.symbols[s.dot];
    if (next && typeof next === "object" && "type" in next) types.add((next as { type: string }).type);
    if (s.isComplete && s.reference === 0 && s.rule.name === compiled.start) canEnd = true;
  }
  return { types, canEnd };
}

function expectedWords(parser: nearley.Parser): string {
  const { types, canEnd } = expectedTypes(parser);
  const parts: string[] = [];
  const operator = types.has("plus") || types.has("mulop");
  // after an operand, another operand is a product too: "an operator" says it
  if (types.has("num") && types.has("lparen")) {
    if (!operator) parts.push("a symbol, a number or `(`");
  } else {
    if (types.has("sym")) parts.push("a symbol");
    if (types.has("lbrace")) parts.push("`{`");
    if (types.has("partial")) parts.push("`∂`");
  }
  if (operator) parts.push("an operator");
  else if (types.has("slash")) parts.push("`/`");
  const closers: [string, string][] = [
    ["rparen", "`)`"], ["rbrack", "`]`"], ["rbrace", "`}`"], ["bar_close", "a closing `|`"],
    ["norm_close", "a closing `‖`"], ["rangle", "`⟩`"], ["comma", "`,`"], ["str", "a norm type such as 'fro'"],
  ];
  for (const [type, words] of closers) if (types.has(type) && !parts.includes(words)) parts.push(words);
  if (canEnd) parts.push("the end of the input");
  if (parts.length === 0) return "something else";
  return parts.length === 1 ? parts[0]! : `${parts.slice(0, -1).join(", ")} or ${parts[parts.length - 1]}`;
}

// ---------------------------------------------------------------- Raw → Expr

// Constructs that are not functions of src/functions: ∂L/∂X, X⁻¹ as inv(X), |X| before it is told det from abs.
const ARITY = new Map<string, number>(Object.entries({ grad: 2, inv: 1, bars: 1 }));

/** Children to convert first: a chain a + b − c is one node with all its terms. */
function kidsOf(r: Raw): Raw[] {
  switch (r.k) {
    case "group":
    case "neg":
    case "post":
      return [r.a];
    case "mul":
    case "div":
      return [r.l, r.r];
    case "call":
      return r.args.filter((a) => a.k !== "str");
    case "sum":
      return sumTerms(r).map((t) => t.raw);
    default:
      return [];
  }
}

function sumTerms(r: Raw): { raw: Raw; minus: boolean; opStart: number }[] {
  const terms: { raw: Raw; minus: boolean; opStart: number }[] = [];
  let n = r;
  for (; n.k === "sum"; n = n.l) terms.push({ raw: n.r, minus: n.minus, opStart: n.opStart });
  terms.push({ raw: n, minus: false, opStart: n.start });
  return terms.reverse();
}

/** Bottom-up without recursion: products and sums may be 10,000 deep. */
type ReadExponent = (p: Extract<Post, { kind: "powexpr" }>) => Expr;

function convert(root: Raw, exponent: ReadExponent): Expr {
  const stack: { raw: Raw; kids: Raw[]; out: Expr[] }[] = [{ raw: root, kids: kidsOf(root), out: [] }];
  let result: Expr | undefined;
  while (stack.length) {
    const frame = stack[stack.length - 1]!;
    if (frame.out.length < frame.kids.length) {
      const kid = frame.kids[frame.out.length]!;
      stack.push({ raw: kid, kids: kidsOf(kid), out: [] });
      continue;
    }
    stack.pop();
    const e = build(frame.raw, frame.out, exponent);
    if (stack.length) stack[stack.length - 1]!.out.push(e);
    else result = e;
  }
  return result!;
}

function build(r: Raw, out: Expr[], exponent: ReadExponent): Expr {
  const span: Span = { start: r.start, end: r.end };
  switch (r.k) {
    case "sym":
      return ast.sym(r.name, span);
    case "num":
      return ast.num(r.n, r.d, span);
    case "identity":
      return ast.identity(r.dim, span);
    case "ones":
      return ast.node("call", [], undefined, undefined, "ones", undefined, r.dim, span);
    case "group":
      return out[0]!;
    case "neg":
      return ast.neg(out[0]!, span);
    case "mul":
      return ast.mul(out[0]!, out[1]!, span);
    case "div":
      return ast.div(out[0]!, out[1]!, span);
    case "sum": {
      const terms = sumTerms(r);
      return ast.add(terms.map((t, i) => (t.minus ? ast.neg(out[i]!, { start: t.opStart, end: t.raw.end }) : out[i]!)), span);
    }
    case "post":
      return postfix(r, out[0]!, span, exponent);
    case "call":
      return buildCall(r, out, span);
    case "str":
      return fail(`unexpected string \`${r.text}\``, span);
  }
}

function postfix(r: Extract<Raw, { k: "post" }>, a: Expr, span: Span, exponent: ReadExponent): Expr {
  const p = r.post;
  switch (p.kind) {
    case "T":
      return ast.transpose(a, span);
    case "inv":
      return ast.inv(a, span);
    case "invT":
      return ast.transpose(ast.inv(a, span), span);
    case "pow":
      return ast.pow(a, ast.num(p.n, p.d, { start: r.opStart, end: r.end }), span);
    case "powexpr":
      return ast.pow(a, exponent(p), span);
    case "entrywise pow": {
      if (p.d === 2) return ast.call("sqrt", [a], span);
      let power = a;
      for (let k = 1; k < p.n; k++) power = ast.call("hadamard", [power, a], span);
      return power;
    }
  }
}

function buildCall(r: Extract<Raw, { k: "call" }>, args: Expr[], span: Span): Expr {
  const strings = r.args.map((a, i) => [a, i] as const).filter(([a]) => a.k === "str");
  let sub = r.sub;
  if (r.fn === "norm" && r.args.length === 2) {
    // norm(x, 2), norm(x, 1), norm(X, 'fro')
    const order = r.args[1]!;
    const value = order.k === "str" ? order.text : order.k === "num" && order.d === 1 ? String(order.n) : undefined;
    const named = value === undefined ? undefined : NORM_ORDERS[value];
    if (named === undefined || sub !== undefined)
      fail(`unsupported norm order \`${textOf(order)}\`: write norm(x), norm(x, 2), norm(x, 1) or norm(X, 'fro')`, order);
    sub = named;
    args = args.slice(0, 1);
  } else if (strings.length) {
    const [s] = strings[0]!;
    fail(`unexpected string \`${textOf(s)}\`: only norm(X, 'fro') takes one`, s);
  }
  const arity = r.fn === "norm" ? 1 : (functionSpec(r.fn)?.arity ?? ARITY.get(r.fn) ?? 1);
  if (args.length !== arity) {
    const name = r.written.replace(/^\\(?:operatorname|mathrm|text)\{(.*)\}$/, "$1");
    fail(`\`${name}\` takes ${arity} argument${arity === 1 ? "" : "s"}, not ${args.length}`, span);
  }
  switch (r.fn) {
    case "inv":
      return ast.inv(args[0]!, span);
    case "grad":
      if (args[1]!.op !== "sym") fail("the variable of a derivative must be a symbol: grad(L, X)", args[1]!.span ?? span);
      return ast.call("grad", args, span);
    default:
      return ast.call(r.fn, args, span, sub);
  }
}

const textOf = (r: Raw): string => (r.k === "str" ? `'${r.text}'` : r.k === "num" ? (r.d === 1 ? `${r.n}` : `${r.n}/${r.d}`) : "…");

// ---------------------------------------------------------------- statements

function statements(src: Source, names: Set<string>): Statement[] {
  const out: Statement[] = [];
  let pending: { name: string; span: Span }[] = [];
  const orig = (i: number) => src.norm.toOriginal(i);
  const spanOf = (a: RawToken, b: RawToken = a): Span => ({ start: orig(a.start), end: orig(b.end) });

  for (const { tokens: segment, comma } of segments(src.raw)) {
    let sig = segment.filter((t) => !isLayout(t));
    if (sig[0]?.type === "word" && sig[0].text === "let") sig = sig.slice(1);
    if (sig.length === 0) continue;
    const sepAt = sig.findIndex(isSeparator);
    const eqAt = sig.findIndex((t) => t.type === "eq");
    if (eqAt >= 0 && (sepAt < 0 || eqAt < sepAt)) {
      if (pending.length) fail(`\`${pending[0]!.name}\` has no shape: write \`${pending[0]!.name}: scalar\` or \`${pending[0]!.name}: n\``, pending[0]!.span);
      out.push(constraint(src, segment.slice(segment.indexOf(sig[0]!)), sig[eqAt]!, names));
      continue;
    }
    const name = readName(sig, 0, sepAt < 0 ? sig.length : sepAt);
    const last = sig[sig.length - 1]!;
    if (sepAt < 0) {
      // α, β: scalar — a name list continues only after a comma
      if (name.end === sig.length && comma) pending.push({ name: name.name, span: name.span });
      else if (name.end === sig.length) fail(`expected \`:\` and a shape after \`${name.name}\``, { start: name.span.end, end: name.span.end });
      else if (name.end === 0) fail("expected a name to declare or define", spanOf(sig[0]!));
      else fail(`unexpected \`${sig[name.end]!.text}\`: expected \`:\`, \`∈\` or \`:=\``, spanOf(sig[name.end]!));
      continue;
    }
    const sep = sig[sepAt]!;
    if (name.end === 0) fail(`expected a name before \`${sep.text}\``, spanOf(sep));
    // L(w) := …: a function-style left side defines L (its arguments are its free symbols)
    if (isAssign(sep) && name.end < sepAt && sig[name.end]!.type === "lparen" && sig[sepAt - 1]!.type === "rparen") name.end = sepAt;
    if (name.end !== sepAt) fail(`unexpected \`${sig[name.end]!.text}\`: expected \`:\`, \`∈\` or \`:=\``, spanOf(sig[name.end]!));
    if (isAssign(sep)) {
      if (pending.length) fail(`\`${pending[0]!.name}\` has no shape: write \`${pending[0]!.name}: scalar\` or \`${pending[0]!.name}: n\``, pending[0]!.span);
      const rest = segment.slice(segment.indexOf(sep) + 1);
      const expr = expression(src, rest, names, orig(sep.end));
      out.push({ kind: "define", name: name.name, expr, span: { start: name.span.start, end: orig(last.end) } });
      names.add(name.name);
    } else {
      const declared = [...pending, { name: name.name, span: name.span }];
      pending = [];
      const { shape, properties } = readShape(src, sep, sep === last ? sep.end : last.end);
      out.push({ kind: "declare", names: declared, shape, properties, span: { start: declared[0]!.span.start, end: orig(last.end) } });
      for (const d of declared) names.add(d.name);
    }
  }
  if (pending.length) {
    const p = pending[pending.length - 1]!;
    fail(`expected \`:\` and a shape after \`${p.name}\``, { start: p.span.end, end: p.span.end });
  }
  return out;

  /**
   * A name at sig[i]: a word, a Greek letter, with an optional subscript; or whatever an
   * expression reads as one symbol up to `limit` (\hat{\mathbf x}, \boldsymbol\mu, W^{(1)}, x′).
   */
  function readName(sig: readonly RawToken[], i: number, limit: number): { name: string; span: Span; end: number } {
    const simple = readSimpleName(sig, i, limit);
    if (simple.end === limit || i >= limit) return simple;
    const first = sig[i]!;
    const known = first.type === "word" ? new Set([...names, first.text]) : names;
    const { tokens } = expressionTokens(sig.slice(i, limit), src.norm, { names: known });
    const only = tokens.length === 1 ? tokens[0]! : undefined;
    if (only?.type !== "sym") return simple;
    return { name: only.name!, span: { start: only.start, end: only.end }, end: limit };
  }

  function readSimpleName(sig: readonly RawToken[], i: number, limit: number): { name: string; span: Span; end: number } {
    const t = sig[i];
    const none = { name: "", span: { start: 0, end: 0 }, end: i };
    if (!t || i >= limit) return none;
    let name: string | undefined;
    if (t.type === "word") {
      if (isFunctionWord(t.text)) fail(`\`${t.text}\` is a function, not a name`, spanOf(t));
      name = symbolWord(t.text, new Set([t.text]));
    } else if (t.type === "greek") name = greekLetter(t.text);
    else if (t.type === "cmd") name = symbolWord(t.text.slice(1), new Set());
    else if (t.type === "texbold" || t.type === "texword") {
      const content = /\{\s*([A-Za-z]+)\s*\}$/.exec(t.text)?.[1];
      name = content && !isFunctionWord(content) ? symbolWord(content, new Set([content])) : undefined;
    }
    if (name === undefined) return none;
    let end = t;
    const s = sig[i + 1];
    if (s && i + 1 < limit && (s.type === "sub" || s.type === "subu") && s.start === t.end) {
      const text = subscriptText(s);
      if (text === undefined) fail(`unexpected subscript \`${s.text}\``, spanOf(s));
      name += "_" + text;
      end = s;
    }
    return { name, span: spanOf(t, end), end: sig.indexOf(end) + 1 };
  }
}

/**
 * `sum(y) = 1`, `𝟙ᵀy = 1`, `1ᵀy = 1`, `ones'*y = 1`, `\mathbf{1}^\top y = 1`: y's entries sum to
 * one. Whether y is a declared column vector is the context's to say (src/context.ts).
 */
function constraint(src: Source, segment: readonly RawToken[], eq: RawToken, names: ReadonlySet<string>): Statement {
  const at = segment.indexOf(eq);
  const left = expression(src, segment.slice(0, at), names, src.norm.toOriginal(eq.start));
  if (left.op === "sym") fail("unexpected `=`: expected `:`, `∈` or `:=`", { start: src.norm.toOriginal(eq.start), end: src.norm.toOriginal(eq.end) });
  const right = expression(src, segment.slice(at + 1), names, src.norm.toOriginal(eq.end));
  const span = { start: left.span?.start ?? 0, end: right.span?.end ?? src.norm.toOriginal(eq.end) };
  const summed = summedSymbol(left);
  if (!summed) return fail("not supported: the only constraint a declaration takes is `sum(y) = 1` (or `𝟙ᵀy = 1`) for a vector y", left.span ?? span);
  if (!(right.op === "num" && right.value!.n === 1 && right.value!.d === 1))
    fail(`not supported: \`sum(${summed.name})\` can only be declared to be 1 (entries of a one-hot or probability vector)`, right.span ?? span);
  return { kind: "constrain", names: [{ name: summed.name!, span: summed.span ?? span }], property: "sums to one", span };
}

/** The y of sum(y), 𝟙ᵀy or 1ᵀy. */
function summedSymbol(e: Expr): Expr | undefined {
  if (e.op === "call" && e.fn === "sum" && e.args[0]!.op === "sym") return e.args[0];
  if (e.op !== "mul" || e.args.length !== 2 || e.args[1]!.op !== "sym" || e.args[0]!.op !== "transpose") return undefined;
  const ones = e.args[0]!.args[0]!;
  const isOnes = (ones.op === "call" && ones.fn === "ones") || (ones.op === "num" && ones.value!.n === 1 && ones.value!.d === 1);
  return isOnes ? e.args[1] : undefined;
}

const isAssign = (t: RawToken) => t.type === "assign" || (t.type === "cmd" && (t.text === "\\coloneqq" || t.text === "\\coloneq"));
const isSeparator = (t: RawToken) =>
  isAssign(t) || t.type === "colon" || t.type === "in" || (t.type === "cmd" && t.text === "\\in") || (t.type === "word" && t.text === "in");

const OPENERS = new Set<RawToken["type"]>(["lparen", "lbrack", "lbrace", "langle"]);
const CLOSERS = new Set<RawToken["type"]>(["rparen", "rbrack", "rbrace", "rangle"]);

/** Statements are separated by `,` `;` or a new line outside brackets; `comma` when a comma ends one. */
function segments(raw: readonly RawToken[]): { tokens: RawToken[]; comma: boolean }[] {
  const out = [{ tokens: [] as RawToken[], comma: false }];
  let depth = 0;
  for (const t of raw) {
    if (OPENERS.has(t.type)) depth++;
    else if (CLOSERS.has(t.type)) depth = Math.max(0, depth - 1);
    if (depth === 0 && (t.type === "comma" || t.type === "semi" || t.type === "nl")) {
      out[out.length - 1]!.comma = t.type === "comma";
      out.push({ tokens: [], comma: false });
    } else out[out.length - 1]!.tokens.push(t);
  }
  return out;
}

const PROPERTIES = table<Property>({ symmetric: "symmetric", spd: "spd", SPD: "spd", diagonal: "diagonal", positive: "positive" });

/**
 * The shape after `:` or `∈`, read character by character from the normalised text:
 * `scalar`, `n`, `m×n`, `m x n`, `ℝ`, `ℝⁿ`, `ℝᵐˣⁿ`, `ℝ^{m×n}`, `R^(m x n)`, `\mathbb{R}^{m \times n}`,
 * then properties.
 */
function readShape(src: Source, sep: RawToken, endAt: number): { shape: DeclaredShape; properties: Property[] } {
  const reader = new ShapeReader(src.norm, sep.end, endAt);
  return { shape: reader.shape(), properties: reader.properties() };
}

const SUPERSCRIPTS = new RegExp(`^[${Object.keys(SUPERSCRIPT_CHARS).join("")}]+`, "u");

/** A cursor `p` over the normalised text up to `endAt`, with a reader for each part of a shape. */
class ShapeReader {
  constructor(
    private readonly norm: Normalized,
    private p: number,
    private readonly endAt: number,
  ) {}

  /** `scalar`, a real space, or dimensions. */
  shape(): DeclaredShape {
    this.skip();
    const real = this.look(/^(?:ℝ|\\(?:mathbb|Bbb)\s*\{\s*R\s*\}|\\(?:mathbb|Bbb)\s*R|\\R(?![A-Za-z])|\\reals(?![A-Za-z])|\\Reals(?![A-Za-z])|R(?![A-Za-z0-9_]))/);
    if (this.look(/^scalar(?![A-Za-z0-9])/)) {
      this.p += "scalar".length;
      return { kind: "scalar" };
    }
    if (!real) return this.dims(this.norm.text, this.endAt);
    this.p += real.length;
    return this.realSpace();
  }

  /** After ℝ: `^{m×n}`, `^(m x n)`, `^n`, `ᵐˣⁿ`, or nothing (a scalar). */
  private realSpace(): DeclaredShape {
    const unicode = this.look(SUPERSCRIPTS);
    if (this.look(/^\^/)) {
      this.p += 1;
      this.skip();
      const open = this.look(/^[{(]/);
      if (!open) return { kind: "vector", rows: this.dim() };
      this.p += 1;
      const shape = this.dims(this.norm.text, this.endAt);
      this.skip();
      if (!this.look(open === "{" ? /^\}/ : /^\)/)) this.unexpected(`\`${open === "{" ? "}" : ")"}\``);
      this.p += 1;
      return shape;
    }
    if (!unicode) return { kind: "scalar" };
    // ℝᵐˣⁿ: read the superscripts as plain text, position for position
    const s = this.norm.text;
    const plain = [...unicode].map((c) => (c === "ˣ" ? "×" : SUPERSCRIPT_CHARS[c]!)).join("");
    const end = this.p + unicode.length;
    const shape = this.dims(s.slice(0, this.p) + plain + s.slice(end), end);
    if (this.p !== end) this.unexpected("`×` and a dimension");
    return shape;
  }

  /** The properties after the shape, up to the end of the declaration. */
  properties(): Property[] {
    const properties: Property[] = [];
    for (;;) {
      this.skip();
      if (this.p >= this.endAt) return properties;
      const w = this.look(/^[A-Za-z]+/);
      if (!w || !PROPERTIES[w]) this.unexpected("a property (`symmetric`, `spd`, `diagonal`, `positive`) or the end of the declaration");
      properties.push(PROPERTIES[w!]!);
      this.p += w!.length;
    }
  }

  /** `n`, `m×n`, `m x n`, `m, n`, `m*n` in `text` up to `end`. */
  private dims(text: string, end: number): DeclaredShape {
    const rows = this.dim(text, end);
    this.skip();
    const sepM = /^(?:×|\\times(?![A-Za-z])|\*|,|x(?![A-Za-z]))/.exec(text.slice(this.p, end));
    if (!sepM) return { kind: "vector", rows };
    this.p += sepM[0].length;
    const cols = this.dim(text, end);
    return cols === 1 ? { kind: "vector", rows } : { kind: "matrix", rows, cols };
  }

  /** One dimension: a literal size, or a name with an optional subscript. */
  /** A dimension, or a product of them `m·n` (the length of x ⊗ y, as a worked solution declares it). */
  private dim(text = this.norm.text, end = this.endAt): Dim {
    const factors = [this.factor(text, end)];
    for (this.skip(); text[this.p] === "·" && this.p < end; this.skip()) {
      this.p++;
      factors.push(this.factor(text, end));
    }
    return factors.length === 1 ? factors[0]! : new Dims().product(...factors);
  }

  private factor(text: string, end: number): Dim {
    this.skip();
    const rest = text.slice(this.p, end);
    const digits = /^[0-9]+/.exec(rest)?.[0];
    if (digits) {
      const n = size(digits);
      if (typeof n === "string") fail(n, this.at(this.p, this.p + digits.length));
      this.p += digits.length;
      return n as number;
    }
    const word = /^[A-Za-z][A-Za-z0-9]*/.exec(rest)?.[0];
    if (!word) return this.unexpected("a dimension (a name such as n, or a number)");
    if (/^[A-Za-z]x[A-Za-z0-9]+$/.test(word))
      fail(`write \`${word[0]}×${word.slice(2)}\` or \`${word[0]} x ${word.slice(2)}\` for a matrix shape`, this.at(this.p, this.p + word.length));
    if (PROPERTIES[word] || word === "scalar") return this.unexpected("a dimension (a name such as n, or a number)");
    this.p += word.length;
    let name = word;
    const sub = /^(?:_\{\s*([A-Za-z0-9]+)\s*\}|_([A-Za-z0-9]))/.exec(text.slice(this.p, end));
    if (sub) {
      name += "_" + (sub[1] ?? sub[2]);
      this.p += sub[0].length;
    }
    return name;
  }

  /** Past spaces and LaTeX spacing. */
  private skip(): void {
    for (;;) {
      const m = /^(?:[ \t]+|\\[,;: !]|\\q?quad(?![A-Za-z])|~)/.exec(this.norm.text.slice(this.p, this.endAt));
      if (!m) return;
      this.p += m[0].length;
    }
  }

  private look(re: RegExp): string | undefined {
    return re.exec(this.norm.text.slice(this.p, this.endAt))?.[0];
  }

  private at(a: number, b = a): Span {
    return { start: this.norm.toOriginal(a), end: this.norm.toOriginal(b) };
  }

  private unexpected(what: string): never {
    this.skip();
    if (this.p >= this.endAt) return fail(`unexpected end of input: expected ${what}`, this.at(this.endAt));
    const c = this.look(/^(?:\\[A-Za-z]+|[A-Za-z0-9]+|[^])/u)!;
    return fail(`unexpected \`${c}\`: expected ${what}`, this.at(this.p, this.p + c.length));
  }
}
