// A document's own LaTeX macros, expanded before it is read (NOTATION.md, "As people write it"):
//
//   \DeclareMathOperator{\tr}{tr}              \tr         → \operatorname{tr}   (also starred)
//   \newcommand{\R}{\mathbb{R}}                \R          → \mathbb{R}           (\renewcommand,
//   \newcommand\x{\mathbf{x}}                  \x          → \mathbf{x}            \providecommand too)
//   \newcommand{\norm}[1]{\lVert #1 \rVert}    \norm{Xw}   → \lVert Xw \rVert
//   \newcommand{\pd}[2][x]{\frac{∂#2}{∂#1}}     \pd{f}      → \frac{∂f}{∂x}, \pd[w]{f} by w
//   \def\vv#1{\mathbf{#1}}                     \vv x       → \mathbf{x}
//
// An argument is a brace group or one token, as TeX reads it. \input is never followed. The
// definitions themselves are blanked. The expanded text is longer than the file: `origin` maps an
// offset in it back to the file (every character of an expansion maps to the macro it replaced).
import { MatcalcError } from "../errors.js";
import { matchingBrace } from "./text.js";

export interface Expanded {
  readonly text: string;
  /** The offset in the file of an offset in `text`. */
  readonly origin: (offset: number) => number;
}

interface Macro {
  readonly body: string;
  /** How many arguments it takes (#1 … #9). */
  readonly arity: number;
  /** The first argument's value when `[…]` does not give it (\newcommand{\pd}[2][x]{…}). */
  readonly optional?: string;
}

const DEFINITION = /\\(?:(?:re)?newcommand|providecommand|DeclareMathOperator|def)(\*?)\s*/y;
/** Expansions within expansions, at most this deep (a macro that uses itself stops here). */
const DEPTH = 8;
/** Characters all expansions of a document may add up to (a file is at most 1 MB). */
const LONGEST_EXPANSION = 2_000_000;

export function expandMacros(text: string): Expanded {
  const { macros, definitions } = readDefinitions(text);
  return macros.size === 0 ? { text, origin: (o) => o } : expandUses(text, macros, definitions);
}

/** A macro's definition: its name, the macro, and the stretch of the file it takes. */
interface Definition {
  readonly name: string;
  readonly macro: Macro;
  readonly start: number;
  readonly end: number;
}

/** The macros the text defines, and where their definitions stand. */
function readDefinitions(text: string): { macros: Map<string, Macro>; definitions: [number, number][] } {
  const macros = new Map<string, Macro>();
  const definitions: [number, number][] = [];
  for (let i = text.indexOf("\\"); i >= 0; i = text.indexOf("\\", i + 1)) {
    const d = definitionAt(text, i);
    if (!d) continue;
    macros.set(d.name, d.macro);
    definitions.push([d.start, d.end]);
    i = d.end - 1;
  }
  return { macros, definitions };
}

/** \newcommand{\R}{\mathbb{R}} (or \R without braces, with [n] arguments, \DeclareMathOperator, \def\R#1{…}) at i. */
function definitionAt(text: string, i: number): Definition | undefined {
  DEFINITION.lastIndex = i;
  const d = DEFINITION.exec(text);
  if (!d) return undefined;
  const operator = d[0].startsWith("\\DeclareMathOperator");
  const def = d[0].startsWith("\\def");
  let at = i + d[0].length;
  // the name: {\R} or \R
  let name: string | undefined;
  if (text[at] === "{" && !def) {
    const close = matchingBrace(text, at);
    const inner = close < 0 ? "" : text.slice(at + 1, close).trim();
    if (/^\\[A-Za-z]+$/.test(inner)) name = inner.slice(1);
    at = close + 1;
  } else {
    const m = /^\\([A-Za-z]+)/.exec(text.slice(at));
    if (m) {
      name = m[1];
      at += m[0].length;
    }
  }
  if (!name || at <= 0) return undefined;
  let arity = 0;
  let optional: string | undefined;
  if (def) {
    // \def\name#1#2{…}: parameters in order, undelimited
    const params = /^(?:#(\d))*/.exec(text.slice(at))![0];
    arity = params.length / 2;
    if (![...params.matchAll(/#(\d)/g)].every((m, k) => Number(m[1]) === k + 1)) return undefined;
    at += params.length;
  } else {
    const count = /^\s*\[\s*(\d)\s*\]/.exec(text.slice(at));
    if (count) {
      arity = Number(count[1]);
      at += count[0].length;
      const first = /^\s*\[/.exec(text.slice(at));
      if (first) {
        const close = matchingBracket(text, at + first[0].length - 1);
        if (close < 0) return undefined;
        optional = text.slice(at + first[0].length, close);
        at = close + 1;
      }
    }
  }
  while (/\s/.test(text[at] ?? "")) at++;
  if (text[at] !== "{") return undefined;
  const close = matchingBrace(text, at);
  if (close < 0) return undefined;
  const body = text.slice(at + 1, close);
  if ([...body.matchAll(/#(\d)/g)].some((m) => Number(m[1]) < 1 || Number(m[1]) > arity)) return undefined;
  return { name, macro: { body: operator ? `\\operatorname${d[1]}{${body.trim()}}` : body, arity, optional }, start: i, end: close + 1 };
}

/** The `]` closing the `[` at i, brace groups inside skipped; -1 when none. */
function matchingBracket(text: string, i: number): number {
  for (let k = i + 1; k < text.length; k++) {
    if (text[k] === "{") {
      k = matchingBrace(text, k);
      if (k < 0) return -1;
    } else if (text[k] === "]") return k;
  }
  return -1;
}

/**
 * The use of a macro whose name ends at `at` in s: its body with the arguments put in, and where
 * the use ends; undefined when its arguments are not all there.
 */
function useAt(s: string, at: number, macro: Macro): { replaced: string; end: number } | undefined {
  const args: string[] = [];
  let k = at;
  if (macro.optional !== undefined) {
    let j = k;
    while (/\s/.test(s[j] ?? "")) j++;
    if (s[j] === "[") {
      const close = matchingBracket(s, j);
      if (close < 0) return undefined;
      args.push(s.slice(j + 1, close));
      k = close + 1;
    } else args.push(macro.optional);
  }
  while (args.length < macro.arity) {
    while (/\s/.test(s[k] ?? "")) k++;
    if (k >= s.length) return undefined;
    if (s[k] === "{") {
      const close = matchingBrace(s, k);
      if (close < 0) return undefined;
      args.push(s.slice(k + 1, close));
      k = close + 1;
    } else {
      const token = /^\\(?:[A-Za-z]+|.)|^[\s\S]/u.exec(s.slice(k))![0];
      if (token === "}") return undefined;
      args.push(token);
      k += token.length;
    }
  }
  const replaced = macro.body.replace(/#(\d)/g, (_, n: string) => args[Number(n) - 1]!);
  // a letter after the use is not glued to the body's last command: \norm{x}y is ‖x‖y
  return { replaced: /^[A-Za-z]/.test(s[k] ?? "") && /\\[A-Za-z]+$/.test(replaced) ? `${replaced} ` : replaced, end: k };
}

/** The text with the definitions blanked and every use expanded, and the file offset of each character. */
function expandUses(text: string, macros: ReadonlyMap<string, Macro>, definitions: readonly [number, number][]): Expanded {
  const use = new RegExp(`\\\\(${[...macros.keys()].sort((a, b) => b.length - a.length).join("|")})(?![A-Za-z])`, "g");
  // a macro that repeats its argument, nested, grows the text exponentially: past this many
  // characters of expansions the file is refused where the use that grew too far is
  let room = LONGEST_EXPANSION;
  let at = 0;
  const expand = (s: string, depth: number): string => {
    if (depth >= DEPTH) return s;
    let out = "";
    let from = 0;
    for (const m of s.matchAll(use)) {
      if (m.index < from) continue;
      const u = useAt(s, m.index + m[0].length, macros.get(m[1]!)!);
      if (!u) continue;
      room -= u.replaced.length;
      if (room < 0) throw new MatcalcError(`not supported: the document's macros expand to more than ${LONGEST_EXPANSION.toLocaleString("en")} characters`, { start: at, end: at + 1 }, text, "unsupported");
      out += s.slice(from, m.index) + expand(u.replaced, depth + 1);
      from = u.end;
    }
    return out + s.slice(from);
  };

  // the output, piece by piece, with the file offset of each output character
  let out = "";
  const origins: number[] = [];
  const copy = (from: number, to: number, blank: boolean) => {
    for (let k = from; k < to; k++) {
      const c = text[k]!;
      out += blank && c !== "\n" ? " " : c;
      origins.push(k);
    }
  };
  const pieces: { s: number; e: number; expansion?: string }[] = definitions.map(([s, e]) => ({ s, e }));
  let after = 0;
  for (const m of text.matchAll(use)) {
    if (m.index < after || definitions.some(([s, e]) => m.index >= s && m.index < e)) continue;
    const u = useAt(text, m.index + m[0].length, macros.get(m[1]!)!);
    if (!u) continue;
    at = m.index;
    pieces.push({ s: m.index, e: u.end, expansion: expand(u.replaced, 1) });
    after = u.end;
  }
  pieces.sort((a, b) => a.s - b.s);
  let from = 0;
  for (const p of pieces) {
    if (p.s < from) continue;
    copy(from, p.s, false);
    if (p.expansion === undefined) copy(p.s, p.e, true);
    else {
      out += p.expansion;
      for (let k = 0; k < p.expansion.length; k++) origins.push(p.s);
    }
    from = p.e;
  }
  copy(from, text.length, false);
  origins.push(text.length);
  return { text: out, origin: (o) => origins[Math.max(0, Math.min(o, origins.length - 1))]! };
}
