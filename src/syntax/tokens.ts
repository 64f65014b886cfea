// The token stream between moo and nearley. It reads the raw tokens of lexer.ts and
//  (a) drops layout (whitespace, \, \quad \displaystyle …),
//  (b) splits words into symbols, Greek letters, declared names, numbers and functions,
//  (c) pairs bars: `|` and `‖` become opening or closing tokens,
// so that the grammar sees one unambiguous token sequence. Problems found here that need the
// parser's context (an unknown character, an unknown function, `tr AB`) become `invalid` tokens
// carrying their message: the parser stops at the first of them, so errors come in text order.
import { GREEK } from "../greek.js";
import type { Dim } from "../ast.js";
import { MatcalcError } from "../errors.js";
import { readEachFunction } from "../functions/index.js";
import { type Normalized, type RawToken, SUBSCRIPT_CHARS, SUPERSCRIPT_CHARS, lex, table } from "./lexer.js";
import { decimal, exponentTooLarge, tooManyDigits } from "./literals.js";
import { LATEX_MARKS, LETTERLIKE_WORDS, type Mark, combinedName, marked, scriptCapital } from "./names.js";

export type TokType =
  | "sym" | "num" | "identity" | "ones" | "fn" | "fnp" | "post"
  | "plus" | "minus" | "mulop" | "slash" | "hadop" | "comma" | "str" | "partial" | "frac"
  | "lparen" | "rparen" | "lbrack" | "rbrack" | "lbrace" | "rbrace" | "langle" | "rangle"
  | "bar_open" | "bar_close" | "norm_open" | "norm_close"
  | "other" // `:` `=` `;` `ℝ` …: never part of an expression
  | "invalid"; // carries its own message

export type Post =
  | { readonly kind: "T" }
  | { readonly kind: "inv" }
  | { readonly kind: "invT" }
  | { readonly kind: "pow"; readonly n: number; readonly d: number }
  /** X.^2 (X ⊙ X), x.^(1/2) (√ of each entry). */
  | { readonly kind: "entrywise pow"; readonly n: number; readonly d: number }
  /** x^{n}, σ^{2(d−q)}: an exponent that is an expression, its raw tokens (normalised offsets) read again as one. */
  | { readonly kind: "powexpr"; readonly raw: readonly RawToken[]; readonly bodyStart: number };

/** A token as nearley sees it. Offsets are UTF-16 offsets into the original (unnormalised) text. */
export interface Tok {
  type: TokType;
  /** As written in the original text. */
  text: string;
  start: number;
  end: number;
  /** sym: canonical name. */
  name?: string;
  /** num: the exact value; `int` when written as an integer literal. */
  num?: { n: number; d: number; int: boolean };
  /** fn, fnp: canonical function name. */
  fn?: string;
  /** fn norm2: "2"; norm_close: the norm's subscript. */
  sub?: string;
  /** fn grad written ∇_X: the variable. */
  wrt?: { name: string; start: number; end: number };
  /** fn grad of a second derivative (∇²_x, ∂²L/∂x∂yᵀ): the second variable. */
  then?: { name: string; start: number; end: number };
  post?: Post;
  /** hadop: hadamard, hdiv or kron. */
  op?: string;
  /** identity written I_n, ones 𝟙_n. */
  dim?: Dim;
  /** invalid: the message. */
  error?: string;
}

/** What a token is made of: its kind and span, and what applies of the rest. */
type TokFields = Pick<Tok, "type" | "text" | "start" | "end"> & Partial<Tok>;

/**
 * Every token is made here, with every field (undefined where it does not apply): one hidden
 * class for the parser's many reads (literals of different fields, and fields added later, made
 * them megamorphic, and V8's optimized parser code was thrown away as each new kind came along).
 */
export function token(t: TokFields): Tok {
  return { type: t.type, text: t.text, start: t.start, end: t.end, name: t.name, num: t.num, fn: t.fn, sub: t.sub, wrt: t.wrt, then: t.then, post: t.post, op: t.op, dim: t.dim, error: t.error };
}

// ---------------------------------------------------------------- names and functions

/** ASCII and LaTeX names of Greek letters, with LaTeX's variant forms read as the plain letter. */
const GREEK_NAMES = table<string>({
  ...Object.fromEntries(Object.entries(GREEK).map(([letter, name]) => [name, letter])),
  varepsilon: "ε", vartheta: "θ", varkappa: "κ", varpi: "π", varrho: "ρ", varsigma: "σ", varphi: "φ",
});
/** Unicode variant forms read as the plain letter (ϵ and ε are one symbol). */
const GREEK_VARIANTS = table<string>({ ϵ: "ε", ϑ: "θ", ϕ: "φ", ϖ: "π", ϱ: "ρ", ς: "σ", ϰ: "κ" });
const GREEK_WORDS = new Set(Object.keys(GREEK_NAMES));
const LONGEST_GREEK_WORD = Math.max(...[...GREEK_WORDS].map((w) => w.length));

export const greekLetter = (c: string): string => GREEK_VARIANTS[c] ?? c;

interface FunctionWord {
  readonly fn: string;
  readonly sub?: string;
}

/** Every word that names a function, with its canonical name. */
const FUNCTION_WORDS = new Map<string, FunctionWord>();
FUNCTION_WORDS.set("norm2", { fn: "norm", sub: "2" });
FUNCTION_WORDS.set("inv", { fn: "inv" });
FUNCTION_WORDS.set("grad", { fn: "grad" });

/** LaTeX commands that name functions: \log \det \sqrt \tr …, \sin \cos \tanh. */
const FUNCTION_COMMANDS = new Map<string, FunctionWord>();

/** Function words of two letters or more, longest first: `logdetK` is refused as logdet + K. */
let FUNCTION_PREFIXES: string[] = [];

readEachFunction((f) => {
  for (const w of f.words) FUNCTION_WORDS.set(w, { fn: f.fn });
  for (const l of f.latex) if (/^\\[A-Za-z]+$/.test(l)) FUNCTION_COMMANDS.set(l.slice(1), { fn: f.fn });
  FUNCTION_PREFIXES = [...FUNCTION_WORDS.keys()].filter((w) => w.length >= 2).sort((a, b) => b.length - a.length);
});
export const isFunctionWord = (w: string): boolean => FUNCTION_WORDS.has(w);

/** The canonical name of one symbol written as a word (`alpha`, `x`, a declared name), or undefined. */
export function symbolWord(word: string, names: ReadonlySet<string>): string | undefined {
  if (GREEK_NAMES[word]) return GREEK_NAMES[word];
  if (names.has(word)) return word;
  if (/^[A-Za-z]$/.test(word)) return word;
  return undefined;
}

/** A subscript's text (`1`, `{ij}`, `\alpha`, `₁₂`) as it goes into a name, or undefined. */
export function subscriptText(raw: RawToken): string | undefined {
  if (raw.type === "subu") return [...raw.text].map((c) => SUBSCRIPT_CHARS[c]).join("");
  let body = raw.text.slice(1).trim();
  if (body.startsWith("{")) body = body.slice(1, -1).trim();
  if (/^[A-Za-z0-9]+$/.test(body)) return body;
  if (body.startsWith("\\") && GREEK_NAMES[body.slice(1)]) return GREEK_NAMES[body.slice(1)];
  if (/^[\u0391-\u03A9\u03B1-\u03C9\u03D1\u03D5\u03D6\u03F0\u03F1\u03F5]$/u.test(body)) return greekLetter(body);
  // \nabla_{\mathbf w}, x_{\hat\imath}: a font or mark around one symbol
  return body.startsWith("\\") ? markedName(body) : undefined;
}

/** \nabla_{w_2}, \nabla_{\mathbf{W}_{1}}: a subscripted name as the variable (w_2, W_1). */
function subscriptedName(raw: RawToken): string | undefined {
  const body = raw.text.slice(1).trim();
  const m = /^\{\s*([^{}_]*(?:\{[^{}]*\})?)\s*_\s*(?:\{\s*([A-Za-z0-9]+)\s*\}|([A-Za-z0-9]))\s*\}$/.exec(body);
  if (!m) return undefined;
  const base = /^[A-Za-z]$/.test(m[1]!) ? m[1] : markedName(m[1]!);
  return base === undefined ? undefined : `${base}_${m[2] ?? m[3]}`;
}

/** Edit distance, for "did you mean". */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++)
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length]!;
}

export function unknownFunctionMessage(word: string): string {
  let best = "";
  let bestD = Infinity;
  for (const w of FUNCTION_WORDS.keys()) {
    const d = editDistance(word.toLowerCase(), w.toLowerCase());
    if (d < bestD) [best, bestD] = [w, d];
  }
  if (bestD <= Math.max(1, Math.floor(word.length / 3)))
    return `unknown function \`${word}\`: did you mean \`${best}\`?`;
  return `unknown function \`${word}\`: known functions are tr, det, logdet, log, exp, sqrt, norm, softmax, …`;
}

// ---------------------------------------------------------------- LaTeX commands

const MODIFIERS = table<"open" | "close" | "plain">({
  left: "open", right: "close", middle: "plain",
  bigl: "open", Bigl: "open", biggl: "open", Biggl: "open",
  bigr: "close", Bigr: "close", biggr: "close", Biggr: "close",
  big: "plain", Big: "plain", bigg: "plain", Bigg: "plain",
});
const LAYOUT_COMMANDS = new Set(["quad", "qquad", "displaystyle", "textstyle", "scriptstyle", "thinspace", "medspace", "thickspace", "negthinspace", "enspace"]);
const MULOP_COMMANDS = new Set(["cdot", "times", "ast"]);
const HADOP_COMMANDS = table<string>({ odot: "hadamard", circ: "hadamard", oslash: "hdiv", otimes: "kron" });

/** Fonts: \mathbf{x} is x. (\mathbb{R} and \mathbf{1} are read in classify.) */
// \bold and \Bbb are KaTeX's and MathJax's spellings of \mathbf and \mathbb
const FONTS = new Set(["mathbf", "boldsymbol", "bm", "bold", "vec", "pmb", "mathbb", "mathbbm", "Bbb"]);

/**
 * The symbol a font or mark command names (`\hat{\mathbf{x}}`, `\boldsymbol\mu`,
 * `\mathcal{L}`, `\bar x`), or undefined when its argument is not one symbol.
 */
function markedName(text: string): string | undefined {
  const t = text.trim();
  if (t.startsWith("{") && t.endsWith("}")) return markedName(t.slice(1, -1));
  if (/^[A-Za-z]$/.test(t)) return t;
  if (/^\p{Script=Greek}$/u.test(t)) return greekLetter(t);
  const m = /^\\([A-Za-z]+)\s*([^]*)$/.exec(t);
  if (!m) return undefined;
  const [, cmd, arg] = m as unknown as [string, string, string];
  if (arg === "") return GREEK_NAMES[cmd] ?? (cmd === "ell" ? "ℓ" : undefined);
  if (FONTS.has(cmd)) return markedName(arg);
  const inner = markedName(arg);
  if (inner === undefined) return undefined;
  if (cmd === "mathcal" || cmd === "mathscr") return scriptCapital(inner);
  const mark = LATEX_MARKS[cmd];
  return mark && !/[a-z]$/.test(inner.replace(/^./u, "")) ? marked(inner, mark) : undefined;
}

/**
 * A superscript that is part of a name: `^{(1)}` `^{[1]}` (a layer: the name's subscript, W^{(1)}
 * is W₁) → "1"; `^{\prime}` → "prime"; otherwise undefined.
 */
function nameSuperscript(text: string): string | undefined {
  const braced = /^\{\s*([^]*?)\s*\}$/.exec(text.slice(1).trim());
  const body = braced?.[1] ?? text.slice(1).trim();
  if (/^\\prime$/.test(body)) return "prime";
  // x^(2) is a square; only braces make a layer
  if (!braced) return undefined;
  return /^(?:\(\s*([A-Za-z0-9]+)\s*\)|\[\s*([A-Za-z0-9]+)\s*\])$/.exec(body)?.slice(1).find((g) => g !== undefined);
}

/** A bar-like delimiter before pairing. */
interface Bar {
  readonly kind: "bar" | "dbar" | "norm";
  /** `\left|` `\lvert` open, `\right|` `\rvert` close; plain bars are decided by pairing. */
  readonly side: "open" | "close" | "plain";
}

/** A word before splitting. */
interface Word {
  readonly text: string;
  /** normalised offset of the word's first letter */
  readonly at: number;
  /** original span of the whole token (with \mathrm{…} around it) */
  readonly start: number;
  end: number;
  readonly wrapped: boolean;
  sub?: string;
  /** x′: the mark of its last letter */
  mark?: Mark;
}

type Item =
  | { readonly k: "tok"; readonly tok: Tok }
  | { readonly k: "word"; readonly word: Word }
  | { readonly k: "bar"; readonly bar: Bar; readonly start: number; readonly end: number; readonly text: string }
  | { readonly k: "sub"; readonly sub: string | undefined; readonly start: number; readonly end: number; readonly text: string };

/** Word-split pieces, remembered for the dL/dX rule. */
interface Piece {
  readonly word: number;
  readonly index: number;
  readonly count: number;
}

export interface TokenOptions {
  readonly names: ReadonlySet<string>;
}

/**
 * Brackets nest at most this deep: every stage after the reader holds a tree this deep (and
 * src/api.ts as many unary operations on one path), tried in test/deep.test.ts; the benchmark's
 * 1,000 nested inverses in a trace are 1,001 levels.
 */
export const NESTING_LIMIT = 1024;

/**
 * The grammar's tokens for the raw tokens of one expression. Throws MatcalcError only
 * for nesting deeper than NESTING_LIMIT levels; every other problem is an `invalid` token.
 * `unclosed` receives the openers left open at the end, innermost last.
 */
export function expressionTokens(
  raw: readonly RawToken[],
  src: Normalized,
  options: TokenOptions,
): { tokens: Tok[]; unclosed: Tok[] } {
  const items = classify(powersOfE(raw, src, options.names), src);
  const pieces = new Map<Tok, Piece>();
  let toks = sigmoidCalls(splitWords(items, src, options.names, pieces), options.names);
  toks = derivatives(toks, pieces);
  toks = fracArguments(toks);
  const { tokens: paired, unclosed } = pair(toks);
  const out = subscripts(paired, src);
  ambiguity(out, src);
  return { tokens: out, unclosed };
}

// ---------------------------------------------------------------- e^{…} is exp

/**
 * `e^{x}` and `\mathrm{e}^{x}` with no symbol `e` declared: `\exp{x}`, the exponent lexed again
 * as an expression (its raw tokens in place of the superscript).
 */
function powersOfE(raw: readonly RawToken[], src: Normalized, names: ReadonlySet<string>): readonly RawToken[] {
  if (names.has("e") || !raw.some((r) => r.type === "sup")) return raw;
  const out: RawToken[] = [];
  for (let i = 0; i < raw.length; i++) {
    const r = raw[i]!;
    const s = raw[i + 1];
    const isE = (r.type === "word" && r.text === "e") || (r.type === "texword" && /^\\(?:mathrm|rm|text)\s*\{\s*e\s*\}$/.test(r.text));
    if (!isE || s?.type !== "sup" || s.start !== r.end || isTransposeOrName(s)) {
      out.push(r);
      continue;
    }
    const inner = /^\^\s*[{(]?/.exec(s.text)![0].length;
    const bodyStart = s.start + inner;
    const bodyEnd = /[})]$/.test(s.text) && inner > 1 ? s.end - 1 : s.end;
    out.push({ type: "cmd", text: "\\exp", start: r.start, end: r.end });
    out.push({ type: "lbrace", text: "{", start: s.start, end: bodyStart });
    for (const t of lex(src.text.slice(bodyStart, bodyEnd))) out.push({ ...t, start: t.start + bodyStart, end: t.end + bodyStart });
    out.push({ type: "rbrace", text: "}", start: bodyEnd, end: s.end });
    i++;
  }
  return out;
}

/** eᵀ, e^{\prime}, e^{(1)}: a vector e, not exp. */
function isTransposeOrName(sup: RawToken): boolean {
  const post = superscript(sup);
  return (typeof post === "object" && (post.kind === "T" || post.kind === "invT")) || nameSuperscript(sup.text) !== undefined;
}

// ---------------------------------------------------------------- (a) classify, drop layout

/** The raw tokens of one expression as items: grammar tokens, and words, bars and subscripts still to place. */
function classify(raw: readonly RawToken[], src: Normalized): Item[] {
  const reader = new Classifier(raw, src);
  for (let i = 0; i < raw.length; i++) if (!isLayout(raw[i]!)) i = reader.read(i);
  return reader.items;
}

/**
 * Reads raw tokens into items, one kind of raw token a method. Each reader takes the index of
 * its raw token and returns the index of the last raw token it used (`\left(` and `∇_X` use two).
 */
class Classifier {
  readonly items: Item[] = [];
  constructor(
    private readonly raw: readonly RawToken[],
    private readonly src: Normalized,
  ) {}

  read(i: number): number {
    const r = this.raw[i]!;
    switch (r.type) {
      case "texword":
        this.latexWord(r);
        break;
      case "texbold":
        this.fontOrMark(r);
        break;
      case "marked":
        this.sym(r, combinedName(r.text, greekLetter)!);
        break;
      case "letterlike":
        this.sym(r, r.text);
        break;
      case "frac2": {
        const [p, q] = r.text.match(/[0-9]/g)!.map(Number) as [number, number];
        if (q === 0) this.invalid(r, "division by zero");
        else this.push(this.tok("num", r, { num: { n: p, d: q, int: false } }));
        break;
      }
      case "cmd":
        return this.command(i, r);
      case "cmdsym":
        return this.commandSymbol(i, r);
      case "sup":
      case "caret":
      case "supT":
      case "supinvT":
      case "supnum":
      case "supword":
        this.superscriptOrName(i, r);
        break;
      case "sub":
      case "subu":
      case "underscore":
        this.subscriptOrName(i, r);
        break;
      case "dstr":
        this.push(this.tok("str", r, { name: r.text.slice(1, -1) }));
        break;
      case "quote":
        return this.quote(i, r);
      case "vulgar": {
        const [n, d] = VULGAR[r.text]!;
        this.push(this.tok("num", r, { num: { n, d, int: false } }));
        break;
      }
      case "dbar":
      case "bar":
      case "norm":
        this.items.push({ k: "bar", bar: { kind: r.type, side: "plain" }, ...this.at(r) });
        break;
      case "hadop":
        this.push(this.tok("hadop", r, { op: r.text === "./" || r.text === "⊘" ? "hdiv" : r.text === "⊗" ? "kron" : "hadamard" }));
        break;
      case "dotsup": {
        const power = entrywisePower(r.text);
        if (typeof power === "string") this.invalid(r, power);
        else this.push(this.tok("post", r, { post: power }));
        break;
      }
      case "number": {
        const value = decimal(r.text);
        if (typeof value === "string") this.invalid(r, value);
        else this.push(this.tok("num", r, { num: value }));
        break;
      }
      case "plus": case "minus": case "mulop": case "slash": case "comma":
      case "lparen": case "rparen": case "lbrack": case "rbrack": case "lbrace": case "rbrace":
      case "langle": case "rangle": case "partial":
        this.push(this.tok(r.type, r));
        break;
      case "nabla":
        return this.nabla(i, r);
      case "sqrt":
        this.push(this.tok("fn", r, { fn: "sqrt" }));
        break;
      case "ones":
        this.push(this.tok("ones", r));
        break;
      case "word":
        this.word(r, r.text, r.start, false);
        break;
      case "greek":
        this.sym(r, greekLetter(r.text));
        break;
      case "assign": case "colon": case "semi": case "eq": case "real": case "in":
        this.push(this.tok("other", r));
        break;
      case "invalid":
        this.invalid(r, `unexpected character \`${printable(r.text)}\``);
        break;
      default:
        this.invalid(r, `unexpected \`${r.text}\``);
    }
    return i;
  }

  /** \mathrm{tr}, \operatorname{logdet}, \text{W1}: a function, or a word to split. */
  private latexWord(r: RawToken): void {
    const open = r.text.indexOf("{");
    const content = r.text.slice(open + 1, -1).trim();
    const contentAt = r.start + r.text.indexOf(content, open);
    const fw = FUNCTION_WORDS.get(content);
    if (fw) this.push(this.tok("fn", r, { fn: fw.fn, sub: fw.sub }));
    else if (r.text.startsWith("\\operatorname")) this.invalid(r, unknownFunctionMessage(content));
    else if (/^[A-Za-z]+(?:[0-9]+[A-Za-z]*)*$/.test(content)) this.word(r, content, contentAt, true);
    else this.invalid(r, `unexpected \`${r.text}\``);
  }

  /** \mathbf{x}, \mathbf{1}, \mathbb{R}, \hat{y}, \mathcal{L}: a font around a word, or a mark on one symbol. */
  private fontOrMark(r: RawToken): void {
    const m = /^\\([A-Za-z]+)[ \t]*\{?\s*([^{}]*?)\s*\}?$/.exec(r.text);
    const [, cmd, content] = (m ?? ["", "", "\\"]) as [string, string, string];
    const contentAt = r.start + r.text.lastIndexOf(content);
    if (!FONTS.has(cmd) || content.startsWith("\\")) {
      // a mark (\hat{y}, \mathcal{L}) or a font around something other than letters
      const name = markedName(r.text);
      if (name === undefined) this.invalid(r, `unexpected \`${r.text}\`: a mark or font takes one symbol, such as \\hat{y}`);
      else this.sym(r, name);
    } else if (content === "1") this.push(this.tok("ones", r));
    else if (content === "0") this.push(this.tok("num", r, { num: { n: 0, d: 1, int: true } }));
    else if (content === "R" && (cmd.startsWith("mathbb") || cmd === "Bbb")) this.push(this.tok("other", r));
    else if (content === "E" && (cmd.startsWith("mathbb") || cmd === "Bbb")) this.invalid(r, "not supported: an expectation (\\mathbb{E}): write the expression inside it");
    else if (/^[A-Za-z]+$/.test(content)) this.word(r, content, contentAt, true);
    else this.invalid(r, `unexpected \`${r.text}\``);
  }

  /** \alpha \log \cdot \odot \frac \partial \nabla \left …: the command's token. */
  private command(i: number, r: RawToken): number {
    const name = r.text.slice(1);
    const fw = FUNCTION_COMMANDS.get(name) ?? FUNCTION_WORDS.get(name);
    if (GREEK_NAMES[name]) this.sym(r, GREEK_NAMES[name]!);
    else if (name === "ell") this.sym(r, "ℓ");
    else if (fw) this.push(this.tok("fn", r, { fn: fw.fn, sub: fw.sub }));
    else if (MULOP_COMMANDS.has(name)) this.push(this.tok("mulop", r));
    else if (HADOP_COMMANDS[name]) this.push(this.tok("hadop", r, { op: HADOP_COMMANDS[name] }));
    else if (/^[dtc]?frac$/.test(name)) this.push(this.tok("frac", r));
    else if (name === "partial") this.push(this.tok("partial", r));
    else if (name === "nabla") return this.nabla(i, r);
    else if (MODIFIERS[name]) return this.delimiter(i, r, MODIFIERS[name]!);
    else if (DELIMITER_COMMANDS.has(name)) return this.delimiter(i - 1, r, "plain");
    else if (["in", "coloneqq", "coloneq", "R", "reals", "Reals"].includes(name)) this.push(this.tok("other", r));
    else if (name === "top" || name === "intercal") this.invalid(r, `unexpected \`${r.text}\`: write X^\\top for a transpose`);
    else this.invalid(r, `unknown command \`${r.text}\``);
    return i;
  }

  /** \| is a norm bar; \{ \} are braces that print, read as a group (\exp\{…\}); \, \; \: \! \  are layout (isLayout). */
  private commandSymbol(i: number, r: RawToken): number {
    if (r.text === "\\|") return this.delimiter(i - 1, r, "plain");
    if (r.text === "\\{") this.push(this.tok("lbrace", r));
    else if (r.text === "\\}") this.push(this.tok("rbrace", r));
    return i;
  }

  /** A superscript: part of the name before it (W^{(1)} is W₁, x^{\prime} is x′), or a postfix operator. */
  private superscriptOrName(i: number, r: RawToken): void {
    const name = r.type === "sup" ? nameSuperscript(r.text) : undefined;
    if (name === "prime" && this.primeFunction(i)) return;
    if (name !== undefined && this.adjacentName(i)) {
      if (name === "prime") this.markLast("prime");
      else this.subscriptLast(name, r);
      return;
    }
    const post = superscript(r);
    if (typeof post === "string") this.invalid(r, post);
    else this.push(this.tok("post", r, { post }));
  }

  /** A subscript right after a word or Greek letter (no space between) is part of its name; else an item to place. */
  private subscriptOrName(i: number, r: RawToken): void {
    const text = r.type === "underscore" ? undefined : subscriptText(r);
    // 𝟙_n, \mathbf{1}_{n}: the ones vector of that length, as I_n is the identity
    const last = this.lastItem();
    if (text !== undefined && last?.k === "tok" && last.tok.type === "ones" && last.tok.dim === undefined && !isLayout(this.raw[i - 1]!) && /^(?:[0-9]+|[A-Za-z])$/.test(text)) {
      last.tok.dim = /^[0-9]+$/.test(text) ? Number(text) : text;
      last.tok.end = this.src.toOriginal(r.end);
      last.tok.text = this.src.original.slice(last.tok.start, last.tok.end);
      return;
    }
    if (text === undefined || !this.adjacentName(i) || !this.subscriptLast(text, r)) this.items.push({ k: "sub", sub: text, ...this.at(r) });
  }

  /** x′ (a prime, not an apostrophe) right after a name is a new name; after `,` or `(` a quote opens a string: norm(X, 'fro'); elsewhere it is a transpose. */
  private quote(i: number, r: RawToken): number {
    if (this.primeFunction(i)) return i;
    if (r.text === "′" && this.adjacentName(i)) {
      this.markLast("prime");
      return i;
    }
    const last = this.lastItem();
    if (last?.k !== "tok" || (last.tok.type !== "comma" && last.tok.type !== "lparen")) {
      this.push(this.tok("post", r, { post: { kind: "T" } }));
      return i;
    }
    let j = i + 1;
    while (j < this.raw.length && this.raw[j]!.type !== "quote" && this.raw[j]!.type !== "nl") j++;
    if (j >= this.raw.length || this.raw[j]!.type !== "quote") {
      this.invalid(r, "unterminated string: expected a closing `'`");
      return this.raw.length;
    }
    this.push(this.tok("str", r, { name: this.src.text.slice(r.end, this.raw[j]!.start).trim() }, this.raw[j]!));
    return j;
  }

  /** \left( \bigr] \lvert \| …: one delimiter token; returns the index of its last raw token. */
  private delimiter(i: number, mod: RawToken, side: "open" | "close" | "plain"): number {
    const j = this.nextSignificant(i + 1);
    const d = this.raw[j];
    const name = d?.type === "cmd" ? d.text.slice(1) : d?.text;
    const kind = d && DELIMITERS[name!];
    if (!d || !kind) {
      this.invalid(mod, `\`${mod.text}\` must be followed by a delimiter such as ( ) [ ] |`);
      return i;
    }
    // \lvert \rVert carry their own side
    const own = name === "lvert" || name === "lVert" ? "open" : name === "rvert" || name === "rVert" ? "close" : "plain";
    const s = side === "plain" ? own : side;
    if (kind === "bar" || kind === "norm") this.items.push({ k: "bar", bar: { kind, side: s }, ...this.at(mod, d) });
    else if (s !== "plain" && s !== (kind.startsWith("l") ? "open" : "close"))
      this.invalid(mod, `\`${this.src.text.slice(mod.start, d.end)}\` does not fit: write \\left( … \\right)`, d);
    else this.push(this.tok(kind, mod, undefined, d));
    return j;
  }

  /** ∇_X: a function of one factor, with the variable X; ∇²_X, ∇_X^2 the Hessian. */
  private nabla(i: number, r: RawToken): number {
    const raw = this.raw;
    const isSquare = (t: RawToken | undefined) => t !== undefined && /^(?:\^\s*\{?\s*2\s*\}?|²)$/.test(t.text);
    const squareFirst = isSquare(raw[i + 1]);
    const s = raw[squareFirst ? i + 2 : i + 1];
    const square = squareFirst || isSquare(raw[i + 2]);
    const name = s && (s.type === "sub" || s.type === "subu") ? (subscriptText(s) ?? subscriptedName(s)) : undefined;
    if (!s || name === undefined) {
      this.invalid(r, `write the variable as a subscript: \`${r.text}_X L\``);
      return i;
    }
    const w = this.at(s);
    const wrt = { name: GREEK_NAMES[name] ?? name, start: w.start + (s.type === "sub" ? 1 : 0), end: w.end };
    this.push(this.tok("fn", r, { fn: "grad", wrt, then: square ? wrt : undefined }, square && !squareFirst ? raw[i + 2]! : s));
    return square ? i + 2 : i + 1;
  }

  // ------------------------------------------------ helpers: spans, items, the name before

  private at(r: RawToken, r2: RawToken = r) {
    const start = this.src.toOriginal(r.start);
    const end = this.src.toOriginal(r2.end);
    return { start, end, text: this.src.original.slice(start, end) };
  }

  private tok(type: TokType, r: RawToken, extra?: Partial<Tok>, r2: RawToken = r): Tok {
    const { start, end, text } = this.at(r, r2);
    return token({ type, text, start, end, ...extra });
  }

  private push(t: Tok): void {
    this.items.push({ k: "tok", tok: t });
  }

  private invalid(r: RawToken, error: string, r2: RawToken = r): void {
    this.push(this.tok("invalid", r, { error }, r2));
  }

  private sym(r: RawToken, name: string): void {
    this.push(this.tok("sym", r, { name }));
  }

  private word(r: RawToken, text: string, textAt: number, wrapped: boolean): void {
    this.items.push({ k: "word", word: { start: this.src.toOriginal(r.start), end: this.src.toOriginal(r.end), text, at: textAt, wrapped, sub: undefined } });
  }

  /** The index of the next raw token that is not layout, from i. */
  private nextSignificant(i: number): number {
    while (i < this.raw.length && isLayout(this.raw[i]!)) i++;
    return i;
  }

  private lastItem(): Item | undefined {
    return this.items[this.items.length - 1];
  }

  /** Whether raw token i directly follows (no space) a word or a symbol that can take a subscript or mark. */
  private adjacentName(i: number): boolean {
    const prevRaw = this.raw[i - 1];
    const last = this.lastItem();
    return !!prevRaw && !isLayout(prevRaw) && (last?.k === "word" || (last?.k === "tok" && last.tok.type === "sym"));
  }

  /** The last name takes subscript `text` (raw token r); false when it has one already. */
  private subscriptLast(text: string, r: RawToken): boolean {
    const last = this.lastItem()!;
    if (last.k === "word") {
      if (last.word.sub !== undefined) return false;
      last.word.sub = text;
      last.word.end = this.src.toOriginal(r.end);
    } else if (last.k === "tok") {
      if (last.tok.name!.includes("_")) return false;
      last.tok.name += "_" + text;
      last.tok.end = this.src.toOriginal(r.end);
      last.tok.text = this.src.original.slice(last.tok.start, last.tok.end);
    }
    return true;
  }

  /**
   * tanh′, \tanh', sigmoid^{\prime}: a prime right after a function is its derivative (f′(u),
   * entry by entry), never a transpose or a mark that is dropped. False when raw token i does
   * not follow a function.
   */
  private primeFunction(i: number): boolean {
    const prevRaw = this.raw[i - 1];
    const last = this.lastItem();
    if (!prevRaw || isLayout(prevRaw)) return false;
    if (last?.k === "word" && FUNCTION_WORDS.has(last.word.text) && last.word.mark === undefined) {
      last.word.mark = "prime";
      last.word.end = this.at(this.raw[i]!).end;
      return true;
    }
    if (last?.k !== "tok" || last.tok.type !== "fn" || last.tok.fn === "prime" || last.tok.fn === "grad") return false;
    const { end, text } = this.at(this.raw[i]!);
    Object.assign(last.tok, { fn: "prime", sub: last.tok.fn, end, text: last.tok.text + text });
    return true;
  }

  private markLast(mark: Mark): void {
    const last = this.lastItem()!;
    if (last.k === "word") last.word.mark = mark;
    else if (last.k === "tok") last.tok.name = marked(last.tok.name!, mark);
  }
}

const DELIMITERS = table<TokType | "bar" | "norm">({
  "(": "lparen", ")": "rparen", "[": "lbrack", "]": "rbrack", "⟨": "langle", "⟩": "rangle", "〈": "langle", "〉": "rangle",
  langle: "langle", rangle: "rangle", "|": "bar", "\\|": "norm", "‖": "norm", "∥": "norm",
  vert: "bar", lvert: "bar", rvert: "bar", Vert: "norm", lVert: "norm", rVert: "norm",
});
const DELIMITER_COMMANDS = new Set(["vert", "lvert", "rvert", "Vert", "lVert", "rVert", "langle", "rangle"]);

const VULGAR = table<[number, number]>({
  "½": [1, 2], "⅓": [1, 3], "⅔": [2, 3], "¼": [1, 4], "¾": [3, 4], "⅕": [1, 5], "⅖": [2, 5], "⅗": [3, 5],
  "⅘": [4, 5], "⅙": [1, 6], "⅚": [5, 6], "⅐": [1, 7], "⅛": [1, 8], "⅜": [3, 8], "⅝": [5, 8], "⅞": [7, 8],
  "⅑": [1, 9], "⅒": [1, 10],
});

export function isLayout(r: RawToken): boolean {
  switch (r.type) {
    case "ws": case "nl": case "comment": case "tilde":
      return true;
    case "cmdsym":
      return r.text !== "\\|" && r.text !== "\\{" && r.text !== "\\}";
    case "cmd":
      return LAYOUT_COMMANDS.has(r.text.slice(1));
    default:
      return false;
  }
}

function printable(c: string): string {
  return /^[\p{L}\p{N}\p{P}\p{S}]$/u.test(c) ? c : `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;
}

const SUP_UNICODE = table<string>({ "⁰": "0", "¹": "1", "²": "2", "³": "3", "⁴": "4", "⁵": "5", "⁶": "6", "⁷": "7", "⁸": "8", "⁹": "9", "⁻": "-", "⁺": "" });

/** The meaning of a superscript token, or an error message. */
export function superscript(r: RawToken): Post | string {
  switch (r.type) {
    case "supT":
      return { kind: "T" };
    case "supinvT":
      return { kind: "invT" };
    case "supnum":
      return power([...r.text].map((c) => SUP_UNICODE[c]).join(""), r.text) ?? `unsupported exponent \`${r.text}\``;
    case "supword":
      // αⁿ, σ²ᵏ: superscript letters (one UTF-16 unit each, as their plain letters are)
      return exponentExpression([...r.text].map((c) => (c === "⁻" ? "-" : SUPERSCRIPT_CHARS[c] ?? c)).join(""), r.start);
    case "caret":
      return "unexpected `^`: write X^T, X^{-1}, X^{-T} or a number exponent such as x^2";
    case "sup": {
      let body = r.text.slice(1).trim();
      if ((body.startsWith("{") && body.endsWith("}")) || (body.startsWith("(") && body.endsWith(")"))) body = body.slice(1, -1);
      // ^{\!\top}, ^{\mathsf T}: spacing and a font around T do not change it
      body = body.replace(/\\[!,;: ]/g, "").replace(/\\(?:mathsf|mathrm|rm|mathbf|text|textsf)\s*\{?\s*T\s*\}?/g, "T").replace(/\s+/g, "");
      const minus = body.startsWith("-");
      const rest = minus ? body.slice(1) : body;
      if (/^(?:T|\\top|\\intercal|⊤|\\mathsf\{T\}|\\mathrm\{T\}|\\rm\{T\}|\\mathbf\{T\}|\\[Tt])$/.test(rest))
        return minus ? { kind: "invT" } : { kind: "T" };
      return power(body, r.text) ?? expressionPower(r);
    }
    default:
      return `unexpected superscript \`${r.text}\``;
  }
}

function power(body: string, written: string): Post | string | undefined {
  const p = rationalPower(body);
  if (p === undefined) return undefined;
  return (typeof p !== "string" && p.kind === "pow" && exponentTooLarge(p.n, p.d, written)) || p;
}

/** `^{…}` or `^(…)` or `^n` whose body is not a number: the body lexed again, to be read as an expression. */
function expressionPower(r: RawToken): Post {
  const inner = /^\^\s*[{(]?/.exec(r.text)![0].length;
  const bodyEnd = /[})]$/.test(r.text) && inner > 1 ? r.text.length - 1 : r.text.length;
  return exponentExpression(r.text.slice(inner, bodyEnd), r.start + inner);
}

/** The exponent `body`, which starts at `bodyStart`, as raw tokens to be read as an expression. */
function exponentExpression(body: string, bodyStart: number): Post {
  return { kind: "powexpr", raw: lex(body).map((t) => ({ ...t, start: t.start + bodyStart, end: t.end + bodyStart })), bodyStart };
}

/** X.^2, x.^{1/2}: a positive whole power (up to 12) or ½, entry by entry. */
function entrywisePower(text: string): Post | string {
  let body = text.slice(2).trim();
  if ((body.startsWith("{") && body.endsWith("}")) || (body.startsWith("(") && body.endsWith(")"))) body = body.slice(1, -1).trim();
  const p = rationalPower(body);
  const fits = typeof p === "object" && p.kind === "pow" && ((p.d === 1 && p.n >= 1 && p.n <= LARGEST_ENTRYWISE_POWER) || (p.n === 1 && p.d === 2));
  return fits ? { kind: "entrywise pow", n: p.n, d: p.d } : `not supported: the entrywise power \`${text}\`: write a whole power from 1 to ${LARGEST_ENTRYWISE_POWER} (X.^2 is X ⊙ X) or .^(1/2) (√ of each entry)`;
}

/** X.^12 is eleven ⊙ products; past that, write it otherwise. */
const LARGEST_ENTRYWISE_POWER = 12;

function rationalPower(body: string): Post | string | undefined {
  if (body === "-1") return { kind: "inv" };
  let m = /^(-?)\\[dt]?frac\{?([0-9]+)\}?\{?([0-9]+)\}?$/.exec(body) ?? /^(-?)([0-9]+)\/([0-9]+)$/.exec(body);
  if (m) {
    const n = Number(m[2]) * (m[1] ? -1 : 1);
    const d = Number(m[3]);
    if (d === 0) return "division by zero in the exponent";
    if (Number.isSafeInteger(n) && Number.isSafeInteger(d)) return { kind: "pow", n, d };
  }
  m = /^(-?)([0-9]+(?:\.[0-9]+)?)$/.exec(body);
  if (m) {
    const v = decimal(m[2]!);
    if (typeof v !== "string") return { kind: "pow", n: m[1] ? -v.n : v.n, d: v.d };
  }
  return undefined;
}

// ---------------------------------------------------------------- (b) split words

function splitWords(items: readonly Item[], src: Normalized, names: ReadonlySet<string>, pieces: Map<Tok, Piece>): (Tok | Item)[] {
  const splitter = new WordSplitter(src, names, pieces);
  const out: (Tok | Item)[] = [];
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    if (item.k === "tok") out.push(item.tok);
    else if (item.k !== "word") out.push(item);
    else {
      const next = items[i + 1];
      const beforeParen = next?.k === "tok" && next.tok.type === "lparen";
      for (const t of splitter.split(item.word, beforeParen)) out.push(t);
    }
  }
  return out;
}

/** A piece of a word: a Greek or declared name, a run of digits, or one letter. */
interface Letters {
  readonly kind: "sym" | "num" | "identity";
  readonly text: string;
  /** offset in the word */
  readonly from: number;
  readonly name: string;
}

/** Splits words into tokens, and records in `pieces` which word each token came from (for dL/dX). */
class WordSplitter {
  /**
   * No name is longer than the longest Greek word or declared name: a run of 6,000 letters is
   * not searched for 6,000-letter names at each of its letters. Found only for a word longer
   * than a Greek word (most are a letter or two): 1,000 definitions are each read with all the
   * names before them, and going through them for each would make reading them quadratic.
   */
  private longest: number | undefined;
  private words = 0;

  constructor(
    private readonly src: Normalized,
    private readonly names: ReadonlySet<string>,
    private readonly pieces: Map<Tok, Piece>,
  ) {}

  private longestName(): number {
    if (this.longest === undefined) {
      let longest = LONGEST_GREEK_WORD;
      for (const n of this.names) longest = Math.max(longest, n.length);
      this.longest = longest;
    }
    return this.longest;
  }

  split(w: Word, beforeParen: boolean): Tok[] {
    const id = this.words++;
    const whole = this.asOneToken(w, beforeParen);
    if (whole) return whole.type === "sym" || whole.type === "ones" ? this.record(id, [whole]) : [whole];
    const found = this.letters(w.text);
    const refusal = this.refusal(w, found, beforeParen);
    if (refusal) return [this.whole(w, { type: "invalid", error: refusal })];
    const toks = this.tokensOf(w, found);
    const error = this.markAndSubscript(w, toks[toks.length - 1]!);
    return error ? [this.whole(w, { type: "invalid", error })] : this.record(id, toks);
  }

  /** A function word, `ones`, a letterlike word (`ell`) or a declared name: the whole word, or an error. */
  private asOneToken(w: Word, beforeParen: boolean): Tok | undefined {
    const fw = FUNCTION_WORDS.get(w.text);
    if (fw) {
      // grad_w L, as plain text writes ∇_w L
      if (w.sub !== undefined && fw.fn === "grad" && w.mark === undefined) return this.whole(w, { type: "fn", fn: "grad", wrt: { name: GREEK_NAMES[w.sub] ?? w.sub, start: w.start, end: w.end } });
      if (w.sub !== undefined) return this.whole(w, { type: "invalid", error: `unexpected subscript on the function \`${w.text}\`` });
      if (w.mark === "prime") return this.whole(w, { type: "fn", fn: "prime", sub: fw.fn });
      if (w.mark !== undefined) return this.whole(w, { type: "invalid", error: `unexpected mark on the function \`${w.text}\`` });
      return this.whole(w, { type: "fn", fn: fw.fn, sub: fw.sub });
    }
    if (w.text === "ones") {
      if (beforeParen) return this.whole(w, { type: "invalid", error: "`ones` is the ones vector and takes no arguments: write `ones` or 𝟙" });
      if (w.sub !== undefined) return this.whole(w, { type: "invalid", error: "unexpected subscript on `ones`" });
      return this.whole(w, { type: "ones" });
    }
    const letterlike = LETTERLIKE_WORDS.get(w.text);
    const text = letterlike ?? (w.mark === undefined ? w.text : marked(w.text, w.mark));
    const withSub = w.sub === undefined ? text : `${text}_${w.sub}`;
    if (letterlike || this.names.has(withSub) || this.names.has(text)) return this.whole(w, { name: withSub });
    return undefined;
  }

  /** The word split greedily: Greek names and declared names (longest), digits, single letters. */
  private letters(text: string): Letters[] {
    const found: Letters[] = [];
    for (let p = 0; p < text.length; ) {
      const long = this.longestNameAt(text, p);
      if (long) {
        found.push({ kind: "sym", text: long, from: p, name: GREEK_NAMES[long] ?? long });
        p += long.length;
      } else if (/[0-9]/.test(text[p]!)) {
        const digits = /^[0-9]+/.exec(text.slice(p))![0];
        found.push({ kind: "num", text: digits, from: p, name: digits });
        p += digits.length;
      } else {
        const c = text[p]!;
        found.push({ kind: c === "I" && !this.names.has("I") ? "identity" : "sym", text: c, from: p, name: c });
        p += 1;
      }
    }
    return found;
  }

  /**
   * The longest Greek word or declared multi-letter name (a word, may contain digits) at p.
   * Tried by length rather than by listing the names: a --where may declare thousands.
   */
  private longestNameAt(text: string, p: number): string | undefined {
    const room = text.length - p;
    for (let end = room <= LONGEST_GREEK_WORD ? text.length : Math.min(text.length, p + this.longestName()); end > p; end--) {
      const s = text.slice(p, end);
      if (GREEK_WORDS.has(s) || (s.length > 1 && this.names.has(s) && /^[A-Za-z][A-Za-z0-9]*$/.test(s))) return s;
    }
    return undefined;
  }

  /** An unknown function before `(`; `trA`, `logx`: a function name run into a symbol is refused, never read as t·r·A. */
  private refusal(w: Word, found: readonly Letters[], beforeParen: boolean): string | undefined {
    const allNamed = found.every((f) => f.kind === "sym" && (f.text.length > 1 || this.names.has(f.text)));
    if (beforeParen && w.text.replace(/[0-9]/g, "").length >= 2 && !allNamed) return unknownFunctionMessage(w.text);
    const prefix = found[0]!.text.length === 1 && w.text.length > 1 && FUNCTION_PREFIXES.find((f) => w.text.startsWith(f));
    if (!prefix) return undefined;
    const rest = w.text.slice(prefix.length);
    return `\`${w.text}\` starts with the function \`${prefix}\`: write \`${prefix} ${rest}\` or \`${prefix}(${rest})\`, or put spaces between single-letter symbols`;
  }

  /** A token per piece, at its own span (the whole token's when one piece fills a \mathrm{…}). */
  private tokensOf(w: Word, found: readonly Letters[]): Tok[] {
    const { src } = this;
    return found.map((f) => {
      const start = found.length === 1 && w.wrapped ? w.start : src.toOriginal(w.at + f.from);
      const end = found.length === 1 && w.wrapped ? w.end : src.toOriginal(w.at + f.from + f.text.length);
      const base = { start, end, text: src.original.slice(start, end) };
      if (f.kind === "num" && !Number.isSafeInteger(Number(f.text))) return token({ type: "invalid", ...base, error: tooManyDigits(f.text) });
      if (f.kind === "num") return token({ type: "num", ...base, num: { n: Number(f.text), d: 1, int: true } });
      if (f.kind === "identity") return token({ type: "identity", ...base });
      return token({ type: "sym", ...base, name: f.name });
    });
  }

  /** The word's mark (x′) and subscript (x_1, I_n) go to its last piece; an error where that cannot take them. */
  private markAndSubscript(w: Word, last: Tok): string | undefined {
    if (w.mark !== undefined) {
      if (last.type !== "sym") return `unexpected mark on \`${last.text}\``;
      last.name = marked(last.name!, w.mark);
    }
    if (w.sub !== undefined) {
      last.end = w.end;
      last.text = this.src.original.slice(last.start, last.end);
      if (last.type === "sym") last.name += "_" + w.sub;
      else if (last.type === "identity") last.dim = /^[0-9]+$/.test(w.sub) ? Number(w.sub) : w.sub;
      else return `unexpected subscript on \`${last.text}\``;
    }
    return undefined;
  }

  private whole(w: Word, extra: Partial<Tok>): Tok {
    return token({ type: "sym", start: w.start, end: w.end, text: this.src.original.slice(w.start, w.end), ...extra });
  }

  private record(word: number, toks: Tok[]): Tok[] {
    toks.forEach((t, index) => this.pieces.set(t, { word, index, count: toks.length }));
    return toks;
  }
}

// ---------------------------------------------------------------- derivatives: dL/dX, \frac{dL}{dX}

/** Is there a `d` + one symbol at i (`dL`, `d\alpha`, `\mathrm{d}x`)? */
function dUnit(toks: readonly (Tok | Item)[], i: number, pieces: Map<Tok, Piece>): boolean {
  const d = toks[i];
  const s = toks[i + 1];
  if (!isTok(d) || !isTok(s) || d.type !== "sym" || d.name !== "d" || s.type !== "sym") return false;
  const pd = pieces.get(d);
  const ps = pieces.get(s);
  if (pd && pd.count === 2 && pd.index === 0) return ps?.word === pd.word && ps.index === 1;
  return (!pd || pd.count === 1) && (!ps || ps.count === 1);
}

const isTok = (t: Tok | Item | undefined): t is Tok => t !== undefined && "type" in t;

function derivatives(toks: (Tok | Item)[], pieces: Map<Tok, Piece>): (Tok | Item)[] {
  const is = (i: number, type: TokType) => {
    const t = toks[i];
    return isTok(t) && t.type === type;
  };
  const partial = (i: number) => {
    const d = toks[i] as Tok;
    toks[i] = token({ ...d, type: "partial", name: undefined });
  };
  for (let i = 0; i < toks.length; i++) {
    const second = secondDerivative(toks, i);
    if (second) {
      toks.splice(i, second.length, ...second.tokens);
      i += second.tokens.length - 1;
      continue;
    }
    if (dUnit(toks, i, pieces) && is(i + 2, "slash") && dUnit(toks, i + 3, pieces)) {
      partial(i);
      partial(i + 3);
      i += 4;
    } else if (is(i, "frac") && is(i + 1, "lbrace") && dUnit(toks, i + 2, pieces)) {
      if (is(i + 4, "rbrace") && is(i + 5, "lbrace") && dUnit(toks, i + 6, pieces) && is(i + 8, "rbrace")) {
        partial(i + 2);
        partial(i + 6);
        i += 8;
      } else {
        // \frac{dW^T}{dW}: a derivative of an expression, which is not read as d·Wᵀ/(d·W)
        let j = i + 1;
        for (let depth = 0; j < toks.length; j++) {
          if (is(j, "lbrace")) depth++;
          else if (is(j, "rbrace") && --depth === 0) break;
        }
        if (is(j + 1, "lbrace") && dUnit(toks, j + 2, pieces)) {
          const d = toks[i + 2] as Tok;
          toks[i + 2] = token({ ...d, type: "invalid", error: "only derivatives of one symbol by one symbol can be written: \\frac{dL}{dX}" });
        }
      }
    }
  }
  return toks;
}

/**
 * `\frac{\partial^2 L}{\partial x\,\partial x^\top}`, `\frac{\partial^2 L}{\partial x \partial y^T}`,
 * `\frac{\partial^2 f}{\partial x^2}`: the Hessian-like second derivative of one symbol, as the
 * tokens of ∇²L (a grad whose variables are x then y) applied to (L). `length` raw items are replaced.
 */
function secondDerivative(toks: readonly (Tok | Item)[], i: number): { length: number; tokens: Tok[] } | undefined {
  // asked at every token: most are not a \frac
  const at = toks[i];
  if (!isTok(at) || at.type !== "frac") return undefined;
  const t = (k: number): Tok | undefined => (isTok(toks[k]) ? (toks[k] as Tok) : undefined);
  const type = (k: number) => t(k)?.type;
  const squared = (k: number) => {
    const p = type(k) === "post" ? t(k)!.post : undefined;
    return p?.kind === "pow" && p.n === 2 && p.d === 1;
  };
  if (type(i) !== "frac" || type(i + 1) !== "lbrace" || type(i + 2) !== "partial" || !squared(i + 3) || type(i + 4) !== "sym" || type(i + 5) !== "rbrace" || type(i + 6) !== "lbrace" || type(i + 7) !== "partial" || type(i + 8) !== "sym") return undefined;
  const of = t(i + 4)!;
  const first = t(i + 8)!;
  let k = i + 9;
  let second = first;
  if (squared(k)) k++;
  else {
    // ∂x ∂yᵀ: the transpose says the layout, which is the Hessian's anyway
    if (type(k) === "post" && t(k)!.post!.kind === "T") k++;
    if (type(k) !== "partial" || type(k + 1) !== "sym") return undefined;
    second = t(k + 1)!;
    k += 2;
    if (type(k) === "post" && t(k)!.post!.kind === "T") k++;
  }
  if (type(k) !== "rbrace") return undefined;
  const close = t(k)!;
  const frac = t(i)!;
  const variable = (v: Tok) => ({ name: v.name!, start: v.start, end: v.end });
  return {
    length: k - i + 1,
    tokens: [
      token({ type: "fnp", text: "", start: frac.start, end: frac.start, fn: "grad", wrt: variable(first), then: variable(second) }),
      token({ type: "lparen", text: "", start: of.start, end: of.start }),
      of,
      token({ type: "rparen", text: "", start: close.end, end: close.end }),
    ],
  };
}

/** `\frac ab`, `\frac a{b}`: an argument without braces is one letter or digit. */
function fracArguments(toks: (Tok | Item)[]): (Tok | Item)[] {
  const out: (Tok | Item)[] = [];
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i]!;
    out.push(t);
    if (!isTok(t) || t.type !== "frac") continue;
    for (let arg = 0; arg < 2; arg++) {
      const a = toks[i + 1];
      if (!isTok(a)) break;
      if (a.type === "lbrace") {
        let depth = 0;
        let j = i + 1;
        for (; j < toks.length; j++) {
          const b = toks[j]!;
          if (isTok(b) && b.type === "lbrace") depth++;
          else if (isTok(b) && b.type === "rbrace" && --depth === 0) break;
        }
        for (let k = i + 1; k <= j && k < toks.length; k++) out.push(toks[k]!);
        i = j;
      } else if (["sym", "num", "identity", "ones"].includes(a.type) && [...a.text].length === 1 || (a.type === "sym" && /^\\[A-Za-z]+$/.test(a.text))) {
        out.push(token({ type: "lbrace", text: "{", start: a.start, end: a.start }), a, token({ type: "rbrace", text: "}", start: a.end, end: a.end }));
        i += 1;
      } else break;
    }
  }
  return out;
}

// ---------------------------------------------------------------- (c) pair brackets and bars

/** Each opening token type and the type that closes it. */
export const CLOSER_OF: Partial<Record<TokType, TokType>> = { lparen: "rparen", lbrack: "rbrack", lbrace: "rbrace", langle: "rangle", bar_open: "bar_close", norm_open: "norm_close" };
const CLOSERS = new Set<TokType>(["rparen", "rbrack", "rbrace", "rangle", "bar_close", "norm_close"]);
const ENDS_OPERAND = new Set<TokType>(["sym", "num", "identity", "ones", "rparen", "rbrack", "rbrace", "rangle", "post", "bar_close", "norm_close"]);

function pair(items: readonly (Tok | Item)[]): { tokens: (Tok | Item)[]; unclosed: Tok[] } {
  const out: (Tok | Item)[] = [];
  /** directed: opened by \left| \lvert \bigl|, closed only by \right| \rvert \bigr| */
  const stack: { tok: Tok; directed: boolean }[] = [];
  let prev: Tok | Item | undefined;
  const canEnd = () => prev !== undefined && (isTok(prev) ? ENDS_OPERAND.has(prev.type) : prev.k === "sub");
  const open = (t: Tok, directed = false) => {
    if (stack.length >= NESTING_LIMIT)
      throw new MatcalcError(`nested more than ${NESTING_LIMIT} levels deep: not supported`, { start: t.start, end: t.end });
    stack.push({ tok: t, directed });
    emit(t);
  };
  const close = (t: Tok) => {
    const top = stack[stack.length - 1];
    if (top && CLOSER_OF[top.tok.type] === t.type) stack.pop();
    emit(t);
  };
  const emit = (t: Tok | Item) => {
    out.push(t);
    prev = t;
  };
  for (const it of items) {
    if (isTok(it)) {
      if (CLOSER_OF[it.type]) open(it);
      else if (CLOSERS.has(it.type)) close(it);
      else emit(it);
      continue;
    }
    if (it.k !== "bar") {
      emit(it);
      continue;
    }
    const { bar } = it;
    const kind = bar.kind === "norm" ? "norm" : "bar";
    const mk = (type: TokType, start = it.start, end = it.end): Tok => ({ type, start, end, text: it.text.length === end - start ? it.text : it.text.slice(start - it.start, end - it.start) });
    // a bar opened with a direction (\left| \lvert \bigl|) is closed only by one with a direction
    if (bar.side === "open") open(mk(`${kind}_open`), true);
    else if (bar.side === "close") close(mk(`${kind}_close`));
    else {
      const top = stack[stack.length - 1];
      const closes = (type: TokType) => top !== undefined && top.tok.type === type && !top.directed && canEnd();
      if (bar.kind === "dbar") {
        if (closes("bar_open")) {
          // |A||B|: the first bar closes |A|, the second is read again
          close(mk("bar_close", it.start, it.start + 1));
          const again = stack[stack.length - 1];
          const second = mk("bar_close", it.start + 1, it.end);
          if (again && again.tok.type === "bar_open" && !again.directed) close(second);
          else open(token({ ...second, type: "bar_open" }));
        } else if (closes("norm_open")) close(mk("norm_close"));
        else open(mk("norm_open"));
      } else if (closes(`${kind}_open`)) close(mk(`${kind}_close`));
      else open(mk(`${kind}_open`));
    }
  }
  return { tokens: out, unclosed: stack.map((s) => s.tok) };
}

// ---------------------------------------------------------------- subscripts of norms, functions with parentheses

/** A norm's order as written (`‖x‖₂`, `‖X‖_F`, `norm(X, 'fro')`) → the AST's `sub`. */
export const NORM_ORDERS = table<string>({ "2": "2", "1": "1", F: "F", f: "F", fro: "F", Fro: "F" });

function subscripts(items: readonly (Tok | Item)[], src: Normalized): Tok[] {
  const out: Tok[] = [];
  for (const it of items) {
    if (isTok(it)) {
      const prev = out[out.length - 1];
      // a function directly followed by a bracket takes its arguments there: tr(X), \sqrt{x}
      if (prev?.type === "fn" && (it.type === "lparen" || it.type === "lbrack" || it.type === "lbrace")) {
        prev.type = "fnp";
        if (it.type === "lbrack" && prev.text.startsWith("\\sqrt")) {
          out.push(token({ ...it, type: "invalid", error: "not supported: roots other than the square root" }));
          continue;
        }
      }
      out.push(it);
      continue;
    }
    if (it.k !== "sub") throw new Error("unreachable: unpaired bar");
    const prev = out[out.length - 1];
    const norm = it.sub === undefined ? undefined : NORM_ORDERS[it.sub];
    const beforePower = out[out.length - 2];
    if (prev?.type === "norm_close" && prev.sub === undefined && norm !== undefined) {
      prev.sub = norm;
      prev.end = it.end;
      prev.text += it.text;
    } else if (prev?.type === "post" && beforePower?.type === "norm_close" && beforePower.sub === undefined && norm !== undefined) {
      // ‖X‖²_F is ‖X‖_F²: the order is the norm's, the span the power's
      beforePower.sub = norm;
      prev.end = it.end;
      prev.text = src.original.slice(prev.start, prev.end);
    } else if (prev?.type === "norm_close")
      out.push(token({ type: "invalid", start: it.start, end: it.end, text: it.text, error: `unsupported norm \`${it.text}\`: write ‖x‖₂, ‖X‖_F or ‖x‖₁` }));
    else if (prev?.type === "fn" && prev.fn === "sum")
      out.push(token({ type: "invalid", start: it.start, end: it.end, text: it.text, error: `not supported: a sum over an index (\`${prev.text}${it.text}\`); write it with vectors and matrices: Σᵢ xᵢ is 𝟙ᵀx or sum(x), Σᵢⱼ xᵢAᵢⱼxⱼ is xᵀAx` }));
    else out.push(token({ type: "invalid", start: it.start, end: it.end, text: it.text, error: `unexpected subscript \`${it.text}\`` }));
  }
  return out;
}

// ---------------------------------------------------------------- tr AB: never guess

const STARTS_FACTOR = new Set<TokType>(["sym", "num", "identity", "ones", "fn", "fnp", "lparen", "lbrack", "lbrace", "langle", "bar_open", "norm_open", "frac", "partial"]);

/**
 * A function without parentheses takes one factor. When that factor is a bare symbol or number
 * and another factor follows (`tr AB`, `det X Y`), the reader cannot tell tr(AB) from tr(A)·B:
 * the next factor becomes an error.
 */
function ambiguity(toks: Tok[], src: Normalized): void {
  for (let i = 0; i < toks.length; i++) {
    const f = toks[i]!;
    const a = toks[i + 1];
    if (f.type !== "fn" || !a || !["sym", "num", "identity", "ones"].includes(a.type)) continue;
    let j = i + 2;
    while (toks[j]?.type === "post") j++;
    const u = toks[j];
    if (!u || !STARTS_FACTOR.has(u.type)) continue;
    const end = factorEnd(toks, j);
    if (a.type === "num" && j === i + 2 && u.type === "sym" && u.name === "π" && !STARTS_FACTOR.has(toks[end + 1]?.type ?? "invalid")) {
      // \log 2\pi: the constant log(2π), as every Gaussian's normaliser writes it
      f.type = "fnp";
      toks.splice(end + 1, 0, token({ type: "rparen", text: "", start: toks[end]!.end, end: toks[end]!.end }));
      toks.splice(i + 1, 0, token({ type: "lparen", text: "", start: a.start, end: a.start }));
      continue;
    }
    const arg = src.original.slice(a.start, toks[j - 1]!.end);
    const next = src.original.slice(u.start, toks[end]!.end);
    toks[j] = token({ ...u, type: "invalid", error: `ambiguous: write ${f.text}(${arg} ${next}) or ${f.text}(${arg}) ${next}` });
  }
}

/** The index of the last token of the factor that starts at toks[j] (its brackets and postfixes). */
function factorEnd(toks: readonly Tok[], j: number): number {
  let k = j;
  if (toks[k]!.type === "fnp") k++;
  if (CLOSER_OF[toks[k]?.type ?? "invalid"]) {
    for (let depth = 0; k < toks.length; k++) {
      if (CLOSER_OF[toks[k]!.type]) depth++;
      else if (CLOSERS.has(toks[k]!.type) && --depth === 0) break;
    }
  }
  k = Math.min(k, toks.length - 1);
  while (toks[k + 1]?.type === "post") k++;
  return k;
}

const SIGMA_PRIME = marked("σ", "prime");

/**
 * σ(…) with σ undeclared is the logistic sigmoid (a declared σ is a scalar: σ(x − μ) a product);
 * σ′(…), σ'(…) and σ^{\prime}(…) its derivative.
 */
function sigmoidCalls(toks: (Tok | Item)[], names: ReadonlySet<string>): (Tok | Item)[] {
  if (names.has("σ")) return toks;
  const out: (Tok | Item)[] = [];
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i]!;
    const next = toks[i + 1];
    if (isTok(t) && t.type === "sym" && t.name === "σ" && isTok(next) && next.type === "lparen") out.push(token({ ...t, type: "fn", fn: "sigmoid", name: undefined }));
    else if (isTok(t) && t.type === "sym" && t.name === SIGMA_PRIME && !names.has(SIGMA_PRIME) && isTok(next) && next.type === "lparen")
      out.push(token({ ...t, type: "fn", fn: "prime", sub: "sigmoid", name: undefined }));
    else if (isTok(t) && t.type === "sym" && t.name === "σ" && isTok(next) && next.type === "post" && next.text === "'" && next.start === t.end && isTok(toks[i + 2]) && (toks[i + 2] as Tok).type === "lparen") {
      out.push(token({ ...t, type: "fn", fn: "prime", sub: "sigmoid", name: undefined, end: next.end, text: t.text + next.text }));
      i++;
    } else out.push(t);
  }
  return out;
}

// ---------------------------------------------------------------- the stream nearley reads

/** A nearley lexer over precomputed tokens. */
export class TokenStream {
  private i = 0;
  constructor(private readonly toks: readonly Tok[]) {}
  reset(): void {
    this.i = 0;
  }
  next(): Tok | undefined {
    return this.toks[this.i++];
  }
  save(): object {
    return {};
  }
  formatError(): string {
    return "syntax error";
  }
  has(_type: string): boolean {
    return true;
  }
}

/** The lexer object compiled into the grammar: every %type is a token type of this file. */
export const grammarLexer = new TokenStream([]);
