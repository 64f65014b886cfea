// An answer as matcalc prints it, read back (NOTATION.md, "Asking for a derivative"):
// `E, where s = F, t = G` is E with the definitions s := F and t := G; in LaTeX
// `E \quad\text{where } s = F,\; t = G`. Only the split is found here, as offsets into the
// text, so that every error in a piece keeps its position in the whole.
import type { Span } from "../ast.js";

export interface WhereClause {
  readonly body: Span;
  readonly definitions: readonly { readonly name: Span; readonly expr: Span }[];
}

/** `, where`, `\quad\text{where }`, `\text{ where}`: the word outside any bracket. */
const WHERE = /(?:,\s*|\s*\\q?quad\s*|\s+)(?:\\text\{\s*where\s*\}|\\mathrm\{\s*where\s*\}|where\b)\s*/g;
/** What may sit between two definitions besides the comma: LaTeX spaces, `and`. */
const SEPARATOR = /^(?:\s|\\[;,:! ]|\\q?quad\b|\\text\{\s*and\s*\}|and\b)*/;

export function splitWhere(text: string): WhereClause | undefined {
  // every spelling of WHERE has the word (most texts have none: a derivation reads this first)
  if (!text.includes("where")) return undefined;
  const depth = depths(text);
  let at: RegExpExecArray | undefined;
  for (const m of text.matchAll(WHERE)) if (depth[m.index] === 0) at = m as RegExpExecArray;
  if (!at) return undefined;
  const definitions: { name: Span; expr: Span }[] = [];
  const start = at.index + at[0].length;
  for (const piece of topLevelPieces(text, start, depth)) {
    const lead = SEPARATOR.exec(text.slice(piece.start, piece.end))![0].length;
    const from = piece.start + lead;
    const eq = text.indexOf("=", from);
    if (eq < 0 || eq >= piece.end) return undefined;
    const colon = text[eq - 1] === ":" ? 1 : 0;
    definitions.push({ name: { start: from, end: eq - colon }, expr: { start: eq + 1, end: piece.end } });
  }
  return definitions.length ? { body: { start: 0, end: at.index }, definitions } : undefined;
}

/** The text with everything outside `span` blanked, offsets kept (errors point into the whole). */
export function only(text: string, span: Span): string {
  return text.slice(0, span.start).replace(/[^\n]/g, " ") + text.slice(span.start, span.end);
}

/** Bracket depth before each offset: ( [ { open, ) ] } close. */
function depths(text: string): number[] {
  const out: number[] = [];
  let d = 0;
  for (let i = 0; i < text.length; i++) {
    out.push(d);
    const c = text[i]!;
    if (c === "(" || c === "[" || c === "{") d++;
    else if ((c === ")" || c === "]" || c === "}") && d > 0) d--;
  }
  out.push(d);
  return out;
}

/** The pieces between commas and semicolons at depth 0, from `start` on. */
function topLevelPieces(text: string, start: number, depth: readonly number[]): Span[] {
  const out: Span[] = [];
  let from = start;
  for (let i = start; i < text.length; i++)
    if ((text[i] === "," || text[i] === ";") && depth[i] === 0 && text[i - 1] !== "\\") {
      out.push({ start: from, end: i });
      from = i + 1;
    }
  out.push({ start: from, end: text.length });
  return out.filter((p) => text.slice(p.start, p.end).trim() !== "");
}
