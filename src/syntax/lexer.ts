// The moo lexer: raw tokens of all three spellings (Unicode, ASCII, LaTeX), before any
// interpretation. tokens.ts turns these into the grammar's tokens.
import moo from "moo";
import { LETTERLIKE_CLASS } from "./names.js";

/** A raw token. Offsets are UTF-16 offsets into the NFC-normalised text. */
export interface RawToken {
  readonly type: RawType;
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

export type RawType =
  | "nl" | "ws" | "comment"
  | "texword" | "texbold" | "frac2" | "cmd" | "cmdsym"
  | "sup" | "caret" | "sub" | "underscore"
  | "assign" | "colon" | "dstr"
  | "supinvT" | "supT" | "supword" | "supnum" | "subu" | "vulgar"
  | "dbar" | "bar" | "norm" | "hadop" | "dotsup"
  | "number" | "plus" | "minus" | "mulop" | "slash"
  | "lparen" | "rparen" | "lbrack" | "rbrack" | "lbrace" | "rbrace" | "langle" | "rangle"
  | "comma" | "semi" | "eq" | "quote" | "partial" | "nabla" | "sqrt" | "ones" | "real" | "in" | "tilde"
  | "word" | "greek" | "marked" | "letterlike" | "invalid";

/** A lookup table without Object.prototype: `table.constructor` is undefined, as it should be. */
export const table = <T>(entries: Record<string, T>): Readonly<Record<string, T | undefined>> =>
  Object.assign(Object.create(null) as Record<string, T>, entries);

/** Unicode superscript letters (not ᵀ, which is the transpose) and digits, as plain text. */
export const SUPERSCRIPT_CHARS = table({
  "⁰": "0", "¹": "1", "²": "2", "³": "3", "⁴": "4", "⁵": "5", "⁶": "6", "⁷": "7", "⁸": "8", "⁹": "9",
  ᵃ: "a", ᵇ: "b", ᶜ: "c", ᵈ: "d", ᵉ: "e", ᶠ: "f", ᵍ: "g", ʰ: "h", ⁱ: "i", ʲ: "j", ᵏ: "k", ˡ: "l", ᵐ: "m",
  ⁿ: "n", ᵒ: "o", ᵖ: "p", ʳ: "r", ˢ: "s", ᵗ: "t", ᵘ: "u", ᵛ: "v", ʷ: "w", ˣ: "x", ʸ: "y", ᶻ: "z",
  ᴬ: "A", ᴮ: "B", ᴰ: "D", ᴱ: "E", ᴳ: "G", ᴴ: "H", ᴵ: "I", ᴶ: "J", ᴷ: "K", ᴸ: "L", ᴹ: "M", ᴺ: "N",
  ᴼ: "O", ᴾ: "P", ᴿ: "R", ᵁ: "U", ⱽ: "V", ᵂ: "W",
});
const SUP_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹";
const SUP_LETTERS = Object.keys(SUPERSCRIPT_CHARS).filter((c) => !SUP_DIGITS.includes(c)).join("");

/** Unicode subscripts, as plain text. */
export const SUBSCRIPT_CHARS = table({
  "₀": "0", "₁": "1", "₂": "2", "₃": "3", "₄": "4", "₅": "5", "₆": "6", "₇": "7", "₈": "8", "₉": "9",
  ₐ: "a", ₑ: "e", ₒ: "o", ₓ: "x", ₕ: "h", ₖ: "k", ₗ: "l", ₘ: "m", ₙ: "n", ₚ: "p", ₛ: "s", ₜ: "t",
  ᵢ: "i", ⱼ: "j", ᵣ: "r", ᵤ: "u", ᵥ: "v",
});
const SUB_CHARS = Object.keys(SUBSCRIPT_CHARS).join("");

const GREEK_CLASS = "[\\u0391-\\u03A1\\u03A3-\\u03A9\\u03B1-\\u03C9\\u03D1\\u03D5\\u03D6\\u03F0\\u03F1\\u03F5]";
/** Combining hat, tilde, macron and overline. */
const COMBINING_MARKS = "\\u0302\\u0303\\u0304\\u0305";
/** Latin letters with a hat, tilde or bar as one character after NFC (ŷ â ē ñ …). */
const PRECOMPOSED = [..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"]
  .flatMap((l) => ["\u0302", "\u0303", "\u0304"].map((m) => (l + m).normalize("NFC")))
  .filter((c) => c.length === 1)
  .join("");

// Every regex carries the u flag (moo requires all or none). Literal rules come before the
// regexes that could also match them: moo takes the first rule that matches.
export const RULES = {
  nl: { match: /\r\n|\r|\n/u, lineBreaks: true },
  ws: /[ \t\f\v\u00a0\u1680\u2000-\u200b\u202f\u205f\u3000\ufeff]+/u,
  comment: /[#%][^\r\n]*/u,
  // \operatorname{tr}, \mathrm{d}, \text{tr}: a word
  texword: /\\(?:operatorname\*?|mathrm|textrm|textit|text|mathit|mathsf|rm)[ \t]*\{[^{}\r\n]*\}/u,
  // fonts and marks with their argument: \mathbf{1}, \mathbf x, \mathbb{R}, \boldsymbol\alpha,
  // \hat{\mathbf{x}}, \bar x, \mathcal{L} (braces nest two deep)
  texbold: /\\(?:mathbf|boldsymbol|bm|bold|vec|mathbb|mathbbm|Bbb|pmb|mathcal|mathscr|hat|widehat|bar|overline|tilde|widetilde)(?![A-Za-z])[ \t]*(?:\{(?:[^{}\r\n]|\{(?:[^{}\r\n]|\{[^{}\r\n]*\})*\})*\}|[A-Za-z0-9]|\\[A-Za-z]+)/u,
  // \frac12, \tfrac 1 2: each argument one digit
  frac2: /\\[dtc]?frac[ \t]*[0-9][ \t]*[0-9]/u,
  cmd: /\\[A-Za-z]+/u,
  cmdsym: /\\[,;:! |{}]/u,
  // a superscript: ^T ^\top ^{-1} ^{1/2} ^-1 ^2 ^n ^(m x n) ^{m \times n}
  sup: /\^[ \t]*(?:\{(?:[^{}\r\n]|\{[^{}\r\n]*\})*\}|\((?:[^()\r\n]|\([^()\r\n]*\))*\)|-?[ \t]*(?:[0-9]+(?:\.[0-9]+)?|\\(?:mathsf|mathrm|rm|mathbf|text|textsf)[ \t]*T(?![A-Za-z])|\\[A-Za-z]+(?:\{[^{}\r\n]*\})?|[A-Za-z⊤]))/u,
  caret: "^",
  // a subscript: _1 _{ij} _F _\alpha
  sub: /_[ \t]*(?:\{(?:[^{}\r\n]|\{[^{}\r\n]*\})*\}|[A-Za-z0-9]|\\[A-Za-z]+)/u,
  underscore: "_",
  assign: [":=", "≔", "∶="],
  colon: [":", "∶"],
  dstr: /"[^"\r\n]*"/u,
  supinvT: "⁻ᵀ",
  supT: "ᵀ",
  supword: new RegExp(`[⁻${SUP_DIGITS}${SUP_LETTERS}]*[${SUP_LETTERS}][${SUP_DIGITS}${SUP_LETTERS}]*`, "u"),
  supnum: /[⁻⁺]?[⁰¹²³⁴⁵⁶⁷⁸⁹]+/u,
  subu: new RegExp(`[${SUB_CHARS}]+`, "u"),
  vulgar: /[½⅓⅔¼¾⅕⅖⅗⅘⅙⅚⅐⅛⅜⅝⅞⅑⅒]/u,
  dbar: "||",
  bar: ["|", "∣"],
  norm: ["‖", "∥"],
  hadop: [".*", "./", "⊙", "∘", "⊘", "⊗"],
  // an entrywise power, as MATLAB and matrixcalculus.org write it: X.^2, x.^{1/2}
  dotsup: /\.\^[ \t]*(?:\{[^{}\r\n]*\}|\([^()\r\n]*\)|-?[0-9]+(?:\.[0-9]+)?)/u,
  number: /[0-9]+(?:\.[0-9]+)?|\.[0-9]+/u,
  plus: "+",
  minus: ["-", "−"],
  mulop: ["·", "⋅", "*", "×", "∙"],
  slash: "/",
  lparen: "(",
  rparen: ")",
  lbrack: "[",
  rbrack: "]",
  lbrace: "{",
  rbrace: "}",
  langle: ["⟨", "〈"],
  rangle: ["⟩", "〉"],
  comma: ",",
  semi: ";",
  eq: "=",
  quote: ["'", "′", "’"],
  partial: "∂",
  nabla: "∇",
  sqrt: "√",
  ones: "𝟙",
  real: "ℝ",
  in: "∈",
  tilde: "~",
  // a letter with a mark: x̄ ŷ (precomposed or combining), α̂
  marked: new RegExp(`(?:[A-Za-z]|${GREEK_CLASS})[${COMBINING_MARKS}]|[${PRECOMPOSED}]`, "u"),
  // ℓ, ℒ 𝒳: letters of their own
  letterlike: new RegExp(`[${LETTERLIKE_CLASS}]`, "u"),
  // a run of Latin letters, possibly with digits inside (W1, norm2); not `x2.5`, and not a
  // letter that carries a mark (x̄)
  word: new RegExp(`(?:[A-Za-z](?![${COMBINING_MARKS}]))+(?:[0-9]+(?!\\.[0-9])(?:[A-Za-z](?![${COMBINING_MARKS}]))*)*`, "u"),
  greek: new RegExp(GREEK_CLASS, "u"),
  invalid: { match: /[^]/u, lineBreaks: true },
} satisfies Record<RawType, moo.Rule | moo.Rule[] | moo.Rules[string]>;

const lexer = moo.compile(RULES);

/**
 * The characters a rule's match can begin with, for the rules with a regex (a literal's is its
 * first character). A class too wide only costs a try; one too narrow would skip the rule, so
 * each is read off its regex above (test/syntax/lexer.test.ts compares with moo's tokens).
 */
const FIRST_CHARACTERS: Partial<Record<RawType, RegExp>> = {
  nl: /[\r\n]/,
  ws: /[ \t\f\v\u00a0\u1680\u2000-\u200b\u202f\u205f\u3000\ufeff]/,
  comment: /[#%]/,
  texword: /\\/,
  texbold: /\\/,
  frac2: /\\/,
  cmd: /\\/,
  cmdsym: /\\/,
  sup: /\^/,
  sub: /_/,
  dstr: /"/,
  supword: new RegExp(`[⁻${SUP_DIGITS}${SUP_LETTERS}]`, "u"),
  supnum: new RegExp(`[⁻⁺${SUP_DIGITS}]`, "u"),
  subu: new RegExp(`[${SUB_CHARS}]`, "u"),
  vulgar: RULES.vulgar,
  number: /[0-9.]/,
  dotsup: /\./,
  marked: new RegExp(`[A-Za-z${PRECOMPOSED}]|${GREEK_CLASS}`, "u"),
  letterlike: new RegExp(`[${LETTERLIKE_CLASS}]`, "u"),
  word: /[A-Za-z]/,
  greek: new RegExp(GREEK_CLASS, "u"),
};

type RuleMatch = string | RegExp | readonly (string | RegExp)[] | { readonly match: RegExp };
const matchOf = (rule: RuleMatch): readonly (string | RegExp)[] => (typeof rule === "string" || rule instanceof RegExp ? [rule] : "match" in rule ? [rule.match] : rule);

/** Each rule alone, sticky, its literals longest first as moo orders them. */
const STICKY = Object.fromEntries(
  Object.entries(RULES as Record<RawType, RuleMatch>).map(([type, rule]) => {
    const parts = [...matchOf(rule)].sort((a, b) => (typeof a === "string" && typeof b === "string" ? b.length - a.length : 0));
    const source = parts.map((p) => (typeof p === "string" ? p.replace(/[-/\\^$*+?.()|[\]{}]/g, (x) => (x === "-" ? "\\x2d" : `\\${x}`)) : p.source)).join("|");
    return [type, new RegExp(`(?:${source})`, "uy")];
  }),
) as Record<RawType, RegExp>;

/** A rule that can match from a character: its type and its sticky regex. */
interface Candidate {
  readonly type: RawType;
  readonly re: RegExp;
}

/** By a character's code (one UTF-16 unit of the BMP): the rules that can match from it, in moo's order. */
const candidates = new Map<number, readonly Candidate[]>();

function candidatesOf(code: number): readonly Candidate[] {
  let known = candidates.get(code);
  if (!known) {
    const c = String.fromCharCode(code);
    known = (Object.keys(RULES) as RawType[])
      .filter((type) => {
        if (type === "invalid") return false;
        const first = FIRST_CHARACTERS[type];
        if (first) return first.test(c);
        return matchOf(RULES[type] as RuleMatch).some((m) => typeof m === "string" && m.startsWith(c));
      })
      .map((type) => ({ type, re: STICKY[type] }));
    candidates.set(code, known);
  }
  return known;
}

/**
 * Lex NFC-normalised text into raw tokens. Never throws: unknown characters are `invalid` tokens.
 * At each position only the rules that can begin with its character are tried, each alone: moo's
 * one regex of every rule makes an array of all their groups per token, the largest allocation
 * of reading an expression. What none of them takes (a character outside the BMP, an invalid
 * one) is moo's to read, from there.
 */
export function lex(text: string): RawToken[] {
  const out: RawToken[] = [];
  let i = 0;
  next: while (i < text.length) {
    const code = text.charCodeAt(i);
    if (code < 0xd800 || code > 0xdfff)
      for (const { type, re } of candidatesOf(code)) {
        re.lastIndex = i;
        if (re.test(text)) {
          out.push({ type, text: text.slice(i, re.lastIndex), start: i, end: re.lastIndex });
          i = re.lastIndex;
          continue next;
        }
      }
    lexer.reset(text.slice(i));
    const t = lexer.next()!;
    out.push({ type: t.type as RawType, text: t.text, start: i, end: i + t.text.length });
    i += t.text.length;
  }
  return out;
}

/** The input NFC-normalised, with a map from normalised offsets back to the original text's. */
export interface Normalized {
  readonly text: string;
  readonly original: string;
  /** The original UTF-16 offset of a normalised offset. */
  toOriginal(offset: number): number;
}

/**
 * Characters that look like another one and are read as it (NOTATION.md, "As people write it"):
 * dashes are minus, `∗` is `*`, full-width forms and the mathematical bold, italic, sans-serif
 * and monospace alphabets are plain Latin and Greek letters. Listed explicitly: NFKC would
 * also flatten superscripts, ½ and 𝟙, which mean something here. Script letters are not a
 * font but a name of their own (\mathcal{L}), and double-struck ones are ℝ and 𝟙.
 */
const LOOKALIKES: ReadonlyMap<string, string> = (() => {
  const map = new Map<string, string>([["–", "-"], ["—", "-"], ["‒", "-"], ["∗", "*"], ["ℎ", "h"]]);
  for (let c = 0xff01; c <= 0xff5e; c++) map.set(String.fromCodePoint(c), String.fromCodePoint(c - 0xfee0));
  const latin = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  // bold, italic, bold italic; sans-serif, sans bold, sans italic, sans bold italic; monospace
  for (const alphabet of [0, 1, 2, 8, 9, 10, 11, 12])
    [...latin].forEach((l, i) => map.set(String.fromCodePoint(0x1d400 + 52 * alphabet + i), l));
  // Greek: bold, italic, bold italic, sans bold, sans bold italic; 58 letters each
  const greek = [..."ΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡΘΣΤΥΦΧΨΩ∇αβγδεζηθικλμνξοπρςστυφχψω∂ϵϑϰϕϱϖ"];
  for (let alphabet = 0; alphabet < 5; alphabet++)
    greek.forEach((l, i) => map.set(String.fromCodePoint(0x1d6a8 + 58 * alphabet + i), l));
  return map;
})();
const HAS_LOOKALIKE = new RegExp(`[${[...LOOKALIKES.keys()].join("").replace(/[-\\\]^]/g, "\\$&")}]`, "u");
const readAs = (piece: string): string => (HAS_LOOKALIKE.test(piece) ? [...piece].map((c) => LOOKALIKES.get(c) ?? c).join("") : piece);

/**
 * NFC (never NFKC: it would turn `Wᵀ⁻¹½` into `WT−11⁄2`), with look-alike characters read as
 * what they look like. Clusters (a character and the combining marks after it) are normalised
 * one by one so that each normalised offset maps back to the start of its cluster in the original.
 */
export function normalize(original: string): Normalized {
  const whole = original.normalize("NFC");
  if (whole === original && !HAS_LOOKALIKE.test(original)) return { text: original, original, toOriginal: (i) => i };
  const starts: number[] = []; // normalised offset → original offset
  let text = "";
  const cluster = /[^]\p{M}*/gsu;
  for (let m = cluster.exec(original); m; m = cluster.exec(original)) {
    const piece = readAs(m[0].normalize("NFC"));
    for (let k = 0; k < piece.length; k++) starts.push(m.index);
    text += piece;
  }
  starts.push(original.length);
  return { text, original, toOriginal: (i) => starts[Math.max(0, Math.min(i, starts.length - 1))]! };
}
