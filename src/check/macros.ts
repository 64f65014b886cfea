// A document's own LaTeX macros, expanded before it is read (NOTATION.md, "As people write it"):
//
//   \DeclareMathOperator{\tr}{tr}        \tr  → \operatorname{tr}   (also the starred form)
//   \newcommand{\R}{\mathbb{R}}          \R   → \mathbb{R}            (\renewcommand,
//   \newcommand\x{\mathbf{x}}            \x   → \mathbf{x}             \providecommand too)
//
// Only macros without arguments are expanded; a macro with arguments, \def, and \input are left
// as they are (never executed, never followed). The definitions themselves are blanked. The
// expanded text is longer than the file: `origin` maps an offset in it back to the file (every
// character of an expansion maps to the macro it replaced).
import { matchingBrace } from "./text.js";

export interface Expanded {
  readonly text: string;
  /** The offset in the file of an offset in `text`. */
  readonly origin: (offset: number) => number;
}

const DEFINITION = /\\(?:(?:re)?newcommand|providecommand|DeclareMathOperator)(\*?)\s*/y;
/** Expansions within expansions, at most this deep (a macro that uses itself stops here). */
const DEPTH = 8;

export function expandMacros(text: string): Expanded {
  const { macros, definitions } = readDefinitions(text);
  return macros.size === 0 ? { text, origin: (o) => o } : expandUses(text, macros, definitions);
}

/** A macro's definition: its name, its body, and the stretch of the file it takes. */
interface Definition {
  readonly name: string;
  readonly body: string;
  readonly start: number;
  readonly end: number;
}

/** The macros the text defines without arguments, and where their definitions stand. */
function readDefinitions(text: string): { macros: Map<string, string>; definitions: [number, number][] } {
  const macros = new Map<string, string>();
  const definitions: [number, number][] = [];
  for (let i = text.indexOf("\\"); i >= 0; i = text.indexOf("\\", i + 1)) {
    const d = definitionAt(text, i);
    if (!d) continue;
    macros.set(d.name, d.body);
    definitions.push([d.start, d.end]);
    i = d.end - 1;
  }
  return { macros, definitions };
}

/** \newcommand{\R}{\mathbb{R}} (or \R without braces, or \DeclareMathOperator) at i; none for a macro with arguments. */
function definitionAt(text: string, i: number): Definition | undefined {
  DEFINITION.lastIndex = i;
  const d = DEFINITION.exec(text);
  if (!d) return undefined;
  const operator = d[0].startsWith("\\DeclareMathOperator");
  let at = i + d[0].length;
  // the name: {\R} or \R
  let name: string | undefined;
  if (text[at] === "{") {
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
  while (/\s/.test(text[at] ?? "")) at++;
  // `[` begins arguments: not expanded
  if (text[at] !== "{") return undefined;
  const close = matchingBrace(text, at);
  if (close < 0) return undefined;
  const body = text.slice(at + 1, close);
  if (/#\d/.test(body)) return undefined;
  return { name, body: operator ? `\\operatorname${d[1]}{${body.trim()}}` : body, start: i, end: close + 1 };
}

/** The text with the definitions blanked and every use expanded, and the file offset of each character. */
function expandUses(text: string, macros: ReadonlyMap<string, string>, definitions: readonly [number, number][]): Expanded {
  const use = new RegExp(`\\\\(${[...macros.keys()].sort((a, b) => b.length - a.length).join("|")})(?![A-Za-z])`, "g");
  const expand = (s: string, depth: number): string => (depth >= DEPTH ? s : s.replace(use, (_, n: string) => expand(macros.get(n)!, depth + 1)));

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
  let from = 0;
  const pieces = [...definitions.map(([s, e]) => ({ s, e, blank: true }))];
  for (const m of text.matchAll(use)) if (!definitions.some(([s, e]) => m.index >= s && m.index < e)) pieces.push({ s: m.index, e: m.index + m[0].length, blank: false });
  pieces.sort((a, b) => a.s - b.s);
  for (const p of pieces) {
    copy(from, p.s, false);
    if (p.blank) copy(p.s, p.e, true);
    else {
      const expansion = expand(text.slice(p.s, p.e), 0);
      out += expansion;
      for (let k = 0; k < expansion.length; k++) origins.push(p.s);
    }
    from = p.e;
  }
  copy(from, text.length, false);
  origins.push(text.length);
  return { text: out, origin: (o) => origins[Math.max(0, Math.min(o, origins.length - 1))]! };
}
