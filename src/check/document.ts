// Reading a derivation file into items: declarations, definitions, lines of math, section
// breaks, and stretches that cannot be read (with the reason). Three formats:
//
//   plain     NOTATION.md's check format: one statement a line, `#`/`%` comments, `let`, `:=`,
//             `A = B = C`, a line starting with `=` continues the chain above, `---` a section
//   latex     .tex: math in $$…$$, \[…\], equation/align/gather/multline environments; `&`
//             and `\\` split steps; `% let …` comment lines declare; \section starts a section
//   markdown  .md: the same math, `% let …` lines or `<!-- let … -->` declare; headings and
//             horizontal rules start a section; fenced code is skipped (```math is math)
//
// Layout is blanked in place (same length), so every offset stays an offset into the file.
import { isFunctionWord } from "../syntax/tokens.js";
import { Blanker, type Piece, assignAt, isBlank, matchingBrace, pieceAt, splitTopLevel, trimPiece } from "./text.js";

export type Format = "plain" | "latex" | "markdown";

export function formatOf(fileName: string): Format {
  const lower = fileName.toLowerCase();
  if (lower.endsWith(".tex") || lower.endsWith(".latex")) return "latex";
  if (lower.endsWith(".md") || lower.endsWith(".markdown")) return "markdown";
  return "plain";
}

export type Item =
  /** `let …` (the piece includes the word `let`, or starts after `%`/`<!--`). */
  | { readonly kind: "declare"; readonly piece: Piece }
  /** `K := …` */
  | { readonly kind: "define"; readonly name: Piece; readonly body: Piece }
  /** An equation line, perhaps starting with `=` (it continues the chain above). */
  | { readonly kind: "math"; readonly piece: Piece }
  | { readonly kind: "section"; readonly at: number }
  | { readonly kind: "unreadable"; readonly piece: Piece; readonly reason: string };

export interface Document {
  readonly items: readonly Item[];
  /** The file text with comments and layout blanked (same length as the file). */
  readonly blanked: string;
}

export function readDocument(text: string, format: Format): Document {
  return format === "plain" ? readPlain(text) : readTex(text, format);
}

// ---------------------------------------------------------------- plain

function readPlain(text: string): Document {
  const b = new Blanker(text);
  const items: Item[] = [];
  let start = 0;
  for (const raw of text.split("\n")) {
    const end = start + raw.length;
    const comment = raw.search(/[#%]/);
    if (comment >= 0) b.blank(start + comment, end);
    // The line as blanked, without joining the whole file again for each line (5,000 comment
    // lines would take seconds).
    const line = trimPiece({ text: comment >= 0 ? raw.slice(0, comment) : raw, start });
    if (line.text !== "") {
      if (/^-{3,}$/.test(line.text)) items.push({ kind: "section", at: line.start });
      else if (LET.test(line.text)) items.push({ kind: "declare", piece: line });
      else items.push(mathItem(line));
    }
    start = end + 1;
  }
  return { items, blanked: b.text };
}

/** A line of math: a definition when it has a top-level `:=`, else an equation line. */
function mathItem(p: Piece): Item {
  const parts = splitTopLevel(p, assignAt);
  if (parts.length === 1) return { kind: "math", piece: p };
  if (parts.length > 2) return { kind: "unreadable", piece: p, reason: "more than one `:=` on a line" };
  return { kind: "define", name: trimPiece(parts[0]!), body: trimPiece(parts[1]!) };
}

// ---------------------------------------------------------------- LaTeX and Markdown

/** Display math delimiters, opening and closing ($…$ inline is prose). */
const DISPLAY_MATH: readonly (readonly [string, string])[] = [
  ["$$", "$$"],
  ["\\[", "\\]"],
];
/** `let …` opens a declaration line (in a comment of a .tex or .md file, or a plain line). */
const LET = /^\s*let(?![\p{L}\p{N}_])/u;

/** Past alignat's (or alignedat's) column count {n}, if there is one at `at`. */
function afterColumnCount(t: string, at: number): number {
  const arg = /\s*\{[^{}]*\}/y;
  arg.lastIndex = at;
  const a = arg.exec(t);
  return a ? at + a[0].length : at;
}

const MATH_ENVIRONMENTS = ["equation", "align", "gather", "multline", "eqnarray", "displaymath", "flalign", "alignat"];
const INNER_ENVIRONMENTS = ["aligned", "split", "gathered", "alignedat"];
const MATRIX_ENVIRONMENT = /\\begin\s*\{\s*((?:[pbBvV]|small)?matrix|array|cases)\*?\s*\}/;

/** Why a piece with a matrix written out entry by entry cannot be read (undefined when it has none). */
export function matrixNote(text: string): string | undefined {
  const m = MATRIX_ENVIRONMENT.exec(text);
  return m ? `a matrix written out entry by entry (\\begin{${m[1]}}) cannot be checked; write it with symbols` : undefined;
}
const TEXT_COMMANDS = /\\(?:text|textrm|textit|textbf|textsf|textnormal|mbox|hbox|intertext|shortintertext)\s*\{/y;
const ARROWS = /\\(?:rightarrow|Rightarrow|longrightarrow|Longrightarrow|implies|therefore|iff|Leftrightarrow|to|mapsto)(?![A-Za-z])/y;
const DROPPED = /\\(?:nonumber|notag|displaystyle|textstyle|qquad|quad|hfill|hspace\*?\s*\{[^{}]*\}|vspace\*?\s*\{[^{}]*\}|label\s*\{[^{}]*\}|tag\*?\s*\{[^{}]*\}|left\s*\.|right\s*\.)/y;

interface Region {
  readonly start: number;
  readonly end: number;
}

function readTex(text: string, format: Format): Document {
  const b = new Blanker(text);
  const items: { at: number; item: Item }[] = [];
  const add = (item: Item, at: number) => items.push({ at, item });
  const declareIfLet = (content: Piece, at: number) => {
    if (LET.test(content.text)) add({ kind: "declare", piece: trimPiece(content) }, at);
  };

  // comments: `% let …` declares; other comments are blanked
  let lineStart = 0;
  for (const raw of text.split("\n")) {
    const end = lineStart + raw.length;
    let c = -1;
    if (format === "latex") {
      for (let i = 0; i < raw.length; i++)
        if (raw[i] === "%" && !escaped(raw, i)) {
          c = i;
          break;
        }
    } else if (/^\s*%/.test(raw)) c = raw.indexOf("%");
    if (c >= 0) {
      const content = pieceAt(text, lineStart + c + 1, end);
      declareIfLet(content, lineStart + c);
      b.blank(lineStart + c, end);
    }
    lineStart = end + 1;
  }
  if (format === "markdown")
    for (const m of text.matchAll(/<!--([\s\S]*?)-->/g)) {
      const content = pieceAt(text, m.index + 4, m.index + 4 + m[1]!.length);
      declareIfLet(content, m.index);
      b.blank(m.index, m.index + m[0].length);
    }

  // sections and math regions, in one scan of the comment-free text
  const t = b.text;
  const regions: Region[] = [];
  let atLineStart = true;
  for (let i = 0; i < t.length; ) {
    if (atLineStart && format === "markdown") {
      const eol = t.indexOf("\n", i) < 0 ? t.length : t.indexOf("\n", i);
      const line = t.slice(i, eol);
      const fence = /^\s*(`{3,}|~{3,})\s*([A-Za-z]*)/.exec(line);
      if (fence) {
        const close = findFenceEnd(t, eol, fence[1]!);
        if (fence[2] === "math") regions.push({ start: Math.min(eol + 1, t.length), end: close.contentEnd });
        i = close.next;
        continue;
      }
      if (/^\s{0,3}#{1,6}(\s|$)/.test(line) || /^\s{0,3}(-{3,}|\*{3,}|_{3,})\s*$/.test(line)) add({ kind: "section", at: i }, i);
    }
    atLineStart = false;
    const c = t[i]!;
    if (c === "\n") {
      atLineStart = true;
      i++;
      continue;
    }
    if (c === "\\" && t[i + 1] === "$") {
      i += 2;
      continue;
    }
    const display = DISPLAY_MATH.find(([open]) => t.startsWith(open, i));
    if (display) {
      const [open, closer] = display;
      const close = t.indexOf(closer, i + open.length);
      regions.push({ start: i + open.length, end: close < 0 ? t.length : close });
      i = close < 0 ? t.length : close + closer.length;
      continue;
    }
    if (c === "$") {
      // inline math is prose, not a step: skip it
      let j = i + 1;
      while (j < t.length && !(t[j] === "$" && t[j - 1] !== "\\") && t[j] !== "\n") j++;
      i = j + 1;
      continue;
    }
    if (c === "\\") {
      const begin = /\\begin\s*\{\s*([A-Za-z]+)\*?\s*\}/y;
      begin.lastIndex = i;
      const m = begin.exec(t);
      if (m && MATH_ENVIRONMENTS.includes(m[1]!)) {
        const endRe = new RegExp(`\\\\end\\s*\\{\\s*${m[1]}\\*?\\s*\\}`, "g");
        endRe.lastIndex = i + m[0].length;
        const e = endRe.exec(t);
        let start = i + m[0].length;
        if (m[1] === "alignat") {
          start = afterColumnCount(t, start);
        }
        regions.push({ start, end: e ? e.index : t.length });
        i = e ? e.index + e[0].length : t.length;
        continue;
      }
      const section = /\\(?:part|chapter|section|subsection|subsubsection)\*?\s*[[{]/y;
      section.lastIndex = i;
      if (format === "latex" && section.test(t)) add({ kind: "section", at: i }, i);
    }
    i++;
  }

  for (const r of regions) for (const { item, at } of readRegion(b, r)) add(item, at);
  items.sort((x, y) => x.at - y.at);
  return { items: items.map((x) => x.item), blanked: b.text };
}

function escaped(s: string, i: number): boolean {
  let n = 0;
  for (let j = i - 1; j >= 0 && s[j] === "\\"; j--) n++;
  return n % 2 === 1;
}

function findFenceEnd(t: string, from: number, fence: string): { contentEnd: number; next: number } {
  const re = new RegExp(`^\\s*${fence[0] === "`" ? "`" : "~"}{${fence.length},}\\s*$`, "m");
  const rest = t.slice(from + 1);
  const m = re.exec(rest);
  if (!m) return { contentEnd: t.length, next: t.length };
  const contentEnd = from + 1 + m.index;
  return { contentEnd, next: contentEnd + m[0].length };
}

/** The items of one math region: layout blanked, rows split at `\\`, `&` dropped. */
function readRegion(b: Blanker, r: Region): { item: Item; at: number }[] {
  const original = b.text.slice(r.start, r.end);
  if (isBlank({ text: original, start: r.start })) return [];
  blankLayout(b, r);
  const t = b.text;
  const out: { item: Item; at: number }[] = [];
  for (const row of rows(t, r)) {
    // a note after an arrow (→ trick from before) is not part of the equation
    for (let i = row.start; i < row.end; i++) {
      ARROWS.lastIndex = i;
      if (t[i] === "\\" && ARROWS.test(t)) {
        b.blank(i, row.end);
        break;
      }
    }
    for (let i = row.start; i < row.end; i++) if (t[i] === "&" && t[i - 1] !== "\\") b.blank(i, i + 1);
    let p = trimPiece(pieceAt(b.text, row.start, row.end));
    // trailing punctuation: "= c."
    while (p.text.length && /[.,;]$/.test(p.text) && !/\\[.,;]$/.test(p.text)) {
      b.blank(p.start + p.text.length - 1, p.start + p.text.length);
      p = trimPiece(pieceAt(b.text, row.start, row.end));
    }
    if (p.text === "") continue;
    for (const part of quadSplit(p)) out.push({ item: mathItem(part), at: part.start });
  }
  return out;
}

/** Blank \boxed{…}, \underbrace{…}_{…}, \text{note}, \label, \nonumber, aligned environments, … */
function blankLayout(b: Blanker, r: Region): void {
  const t = b.text;
  for (let i = r.start; i < r.end; i++) {
    if (t[i] !== "\\") continue;
    const env = /\\(begin|end)\s*\{\s*([A-Za-z]+)\*?\s*\}/y;
    env.lastIndex = i;
    const e = env.exec(t);
    if (e && INNER_ENVIRONMENTS.includes(e[2]!)) {
      let end = i + e[0].length;
      if (e[1] === "begin" && e[2] === "alignedat") {
        end = afterColumnCount(t, end);
      }
      b.blank(i, end);
      i = end - 1;
      continue;
    }
    const wrap = /\\(boxed|underbrace|overbrace|underline|overline|displaystyle|mathstrut|phantom|color\s*\{[^{}]*\})\s*\{/y;
    wrap.lastIndex = i;
    const w = wrap.exec(t);
    if (w) {
      const open = i + w[0].length - 1;
      const close = matchingBrace(t, open);
      if (close < 0 || close > r.end) continue;
      if (w[1] === "phantom") {
        b.blank(i, close + 1);
        continue;
      }
      b.blank(i, open + 1);
      b.blank(close, close + 1);
      if (w[1] === "underbrace" || w[1] === "overbrace") {
        // the label: _{m \times n} or ^{…}, or a single token
        const label = /\s*[_^]\s*/y;
        label.lastIndex = close + 1;
        const l = label.exec(t);
        if (l) {
          const at = close + 1 + l[0].length;
          const end = t[at] === "{" ? matchingBrace(t, at) + 1 : t[at] === "\\" ? at + (/^\\[A-Za-z]+/.exec(t.slice(at))?.[0].length ?? 1) : at + 1;
          if (end > at) b.blank(close + 1, Math.min(end, r.end));
        }
      }
      continue;
    }
    TEXT_COMMANDS.lastIndex = i;
    const tx = TEXT_COMMANDS.exec(t);
    if (tx) {
      const open = i + tx[0].length - 1;
      const close = matchingBrace(t, open);
      if (close < 0 || close > r.end) continue;
      const content = t.slice(open + 1, close).trim();
      // \text{tr}(X) is the trace; \text{(trick from formal notes)} is a note
      if (!isFunctionWord(content)) b.blank(i, close + 1);
      i = close;
      continue;
    }
    DROPPED.lastIndex = i;
    const d = DROPPED.exec(t);
    if (d && !/^\\q?quad/.test(d[0])) b.blank(i, i + d[0].length);
  }
  // brackets left empty by a dropped note: "(\text{trick from formal notes})"
  const after = b.text;
  for (const m of after.slice(r.start, r.end).matchAll(/\(\s*\)|\[\s*\]/g)) b.blank(r.start + m.index, r.start + m.index + m[0].length);
}

/** Rows of a region: split at `\\` outside braces and environments (a `\\[2pt]` spacing is dropped). */
function rows(t: string, r: Region): Region[] {
  const out: Region[] = [];
  let depth = 0;
  let from = r.start;
  for (let i = r.start; i < r.end; i++) {
    const c = t[i];
    if (c === "\\" && (t.startsWith("\\begin", i) || t.startsWith("\\end", i)) && !/[A-Za-z]/.test(t[i + (t[i + 1] === "b" ? 6 : 4)] ?? "")) {
      depth += t[i + 1] === "b" ? 1 : -1;
      continue;
    }
    if (c === "\\" && t[i + 1] === "\\") {
      if (depth === 0) {
        out.push({ start: from, end: i });
        let next = i + 2;
        const spacing = /\s*\[[^\]]*\]/y;
        spacing.lastIndex = next;
        const s = spacing.exec(t);
        if (s) next += s[0].length;
        from = next;
        i = next - 1;
      } else i++;
      continue;
    }
    if (c === "\\") {
      i++;
      continue;
    }
    if (c === "{") depth++;
    else if (c === "}") depth = Math.max(0, depth - 1);
  }
  out.push({ start: from, end: r.end });
  return out;
}

/** `A = B \quad C = D` is two equations; a `\quad` elsewhere is only space. */
function quadSplit(p: Piece): Piece[] {
  const parts = splitTopLevel(p, (s, i) => {
    const m = /\\q?quad(?![A-Za-z])|\\hspace\s*\{[^{}]*\}/y;
    m.lastIndex = i;
    return m.exec(s)?.[0].length ?? 0;
  });
  if (parts.length === 1) return [p];
  const hasEquals = (q: Piece) => splitTopLevel(q, (s, i) => (s[i] === "=" && s[i - 1] !== ":" ? 1 : 0)).length > 1;
  // group parts: a part without `=` belongs to the equation before it
  const groups: Piece[][] = [];
  for (const part of parts) {
    if (isBlank(part)) continue;
    if (groups.length === 0 || hasEquals(part)) groups.push([part]);
    else groups[groups.length - 1]!.push(part);
  }
  if (groups.length <= 1) return [p];
  const source = p.text;
  return groups.map((g) => {
    const first = g[0]!;
    const last = g[g.length - 1]!;
    return trimPiece({ text: source.slice(first.start - p.start, last.start - p.start + last.text.length), start: first.start });
  });
}
