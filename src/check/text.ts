// Text helpers for reading derivation files. Everything keeps UTF-16 offsets into the file:
// what is ignored (comments, layout, notes) is blanked with spaces of the same length, so a
// position found in a piece plus the piece's start is a position in the file.

/** A stretch of the (blanked) file text: `text` is the file's [start, start + text.length). */
export interface Piece {
  readonly text: string;
  readonly start: number;
}

export const pieceAt = (source: string, start: number, end: number): Piece => ({ text: source.slice(start, end), start });

/** The piece without its leading and trailing white space (offsets kept). */
export function trimPiece(p: Piece): Piece {
  const lead = p.text.length - p.text.trimStart().length;
  const text = p.text.trim();
  return { text, start: p.start + lead };
}

export const isBlank = (p: Piece): boolean => p.text.trim() === "";

/** A mutable copy of a text in which ranges are replaced by spaces (new lines kept). */
export class Blanker {
  private chars: string[];
  private joined: string | undefined;
  constructor(text: string) {
    this.chars = text.split("");
    this.joined = text;
  }
  blank(from: number, to: number): void {
    for (let i = Math.max(0, from); i < Math.min(to, this.chars.length); i++)
      if (this.chars[i] !== "\n" && this.chars[i] !== "\r" && this.chars[i] !== " ") {
        this.chars[i] = " ";
        this.joined = undefined;
      }
  }
  get text(): string {
    return (this.joined ??= this.chars.join(""));
  }
}

const OPEN = new Set(["(", "[", "{", "⟨"]);
const CLOSE = new Set([")", "]", "}", "⟩"]);

/**
 * Split a piece at the places where `at(text, i)` returns the length of a separator and the
 * bracket depth is 0. The separators are left out; every part keeps its offset.
 */
export function splitTopLevel(p: Piece, at: (text: string, i: number) => number): Piece[] {
  const out: Piece[] = [];
  let depth = 0;
  let from = 0;
  const t = p.text;
  for (let i = 0; i < t.length; i++) {
    const c = t[i]!;
    if (c === "\\" && i + 1 < t.length && (t[i + 1] === "{" || t[i + 1] === "}")) {
      depth += t[i + 1] === "{" ? 1 : -1;
      i++;
      continue;
    }
    if (OPEN.has(c)) depth++;
    else if (CLOSE.has(c)) depth = Math.max(0, depth - 1);
    else if (depth === 0) {
      const n = at(t, i);
      if (n > 0) {
        out.push({ text: t.slice(from, i), start: p.start + from });
        from = i + n;
        i += n - 1;
      }
    }
  }
  out.push({ text: t.slice(from), start: p.start + from });
  return out;
}

/** `=` that is an equation's, not part of `:=`, `==`, `<=`, `>=`, `!=`, `=:`. */
export function equalsAt(t: string, i: number): number {
  if (t[i] !== "=") return 0;
  const before = t[i - 1];
  const after = t[i + 1];
  if (before === ":" || before === "<" || before === ">" || before === "!" || before === "=" || after === "=" || after === ":") return 0;
  return 1;
}

/** `:=`, `≔`, `\coloneqq`, `\coloneq`, `\triangleq`, `\stackrel{def}{=}`-free definitions. */
export function assignAt(t: string, i: number): number {
  if (t.startsWith(":=", i)) return 2;
  if (t[i] === "≔") return 1;
  for (const cmd of ["\\coloneqq", "\\coloneq", "\\triangleq", "\\eqqcolon"]) if (t.startsWith(cmd, i) && !/[A-Za-z]/.test(t[i + cmd.length] ?? "")) return cmd.length;
  return 0;
}

/** The index of the brace matching the `{` at `open` (or -1). */
export function matchingBrace(t: string, open: number): number {
  let depth = 0;
  for (let i = open; i < t.length; i++) {
    const c = t[i];
    if (c === "\\") {
      i++;
      continue;
    }
    if (c === "{") depth++;
    else if (c === "}" && --depth === 0) return i;
  }
  return -1;
}

/** Line (1-based) and column (1-based, in code points) of an offset. */
export function lineColumn(source: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < source.length; i++)
    if (source[i] === "\n") {
      line++;
      lineStart = i + 1;
    }
  return { line, column: [...source.slice(lineStart, offset)].length + 1 };
}

/** A fast line index for many lookups. */
export class Lines {
  private starts: number[] = [0];
  constructor(private readonly source: string) {
    for (let i = 0; i < source.length; i++) if (source[i] === "\n") this.starts.push(i + 1);
  }
  at(offset: number): { line: number; column: number } {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: [...this.source.slice(this.starts[lo]!, offset)].length + 1 };
  }
}

/** A short hash of a string (FNV-1a), for reproducible random seeds. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
