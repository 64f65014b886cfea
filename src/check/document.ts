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
import { splitWhere } from "../syntax/where.js";
import { expandMacros } from "./macros.js";
import { Blanker, type Piece, assignAt, equalsAt, isBlank, matchingBrace, pieceAt, splitTopLevel, trimPiece } from "./text.js";

export type Format = "plain" | "latex" | "markdown";

export function formatOf(fileName: string): Format {
  const lower = fileName.toLowerCase();
  if (lower.endsWith(".tex") || lower.endsWith(".latex")) return "latex";
  if (lower.endsWith(".md") || lower.endsWith(".markdown")) return "markdown";
  return "plain";
}

export type Item =
  /**
   * `let …` (the piece includes the word `let`, or starts after `%`/`<!--`), or a declaration in
   * prose (`prose`: "Let $X \in \mathbb{R}^{n\times d}$", with the properties the sentence gives it).
   */
  | { readonly kind: "declare"; readonly piece: Piece; readonly prose?: { readonly properties: readonly string[] }; readonly display?: boolean }
  /** `K := …`; in prose ("with $A = XᵀX + λI$") only when the name is new, and never an error */
  | { readonly kind: "define"; readonly name: Piece; readonly body: Piece; readonly prose?: boolean }
  /**
   * An equation line, perhaps starting with `=` (it continues the chain above); `condition`, the
   * sentence before its display when that sentence may state a condition ("If $A$ is symmetric, …").
   */
  | { readonly kind: "math"; readonly piece: Piece; readonly condition?: string }
  /** A heading (level 1 is the highest: \part, `#`) or a break (`---`, level 0 in plain files, 7 in Markdown). */
  | { readonly kind: "section"; readonly at: number; readonly level: number }
  | { readonly kind: "unreadable"; readonly piece: Piece; readonly reason: string };

export interface Document {
  readonly items: readonly Item[];
  /** The file text, its macros expanded, with comments and layout blanked. */
  readonly blanked: string;
  /** The offset in the file of an offset in `blanked` (they differ after a macro's expansion). */
  readonly origin: (offset: number) => number;
}

export function readDocument(text: string, format: Format): Document {
  if (format === "plain") return { ...readPlain(text), origin: (o) => o };
  const expanded = expandMacros(text);
  return { ...readTex(expanded.text, format), origin: expanded.origin };
}

// ---------------------------------------------------------------- plain

function readPlain(text: string): Omit<Document, "origin"> {
  const b = new Blanker(text);
  const items: Item[] = [];
  let start = 0;
  for (const raw of text.split("\n")) {
    const end = start + raw.length;
    const comment = raw.search(/[#%]/);
    if (comment >= 0) b.blank(start + comment, end);
    // The line as blanked, without joining the whole file again for each line (5,000 comment
    // lines would take seconds).
    let line = trimPiece({ text: comment >= 0 ? raw.slice(0, comment) : raw, start });
    // "(a) d/dx (aᵀx) = a", "2. …": a label before a claim is not part of it (numbered steps of
    // one derivation are labelled so too: the label starts no problem)
    const label = LABELLED_LINE.exec(line.text);
    if (label && line.text.includes("=")) line = trimPiece({ text: line.text.slice(label[0].length), start: line.start + label[0].length });
    if (line.text !== "") {
      const heading = PLAIN_HEADING.exec(line.text);
      if (/^-{3,}$/.test(line.text)) items.push({ kind: "section", at: line.start, level: 0 });
      else if (LET.test(line.text)) items.push({ kind: "declare", piece: line });
      else if (heading && !line.text.includes("=")) items.push({ kind: "section", at: line.start, level: heading[1] ? 1 : 2 });
      else if (!isPlainProse(line.text)) items.push(...withWhere(line));
    }
    start = end + 1;
  }
  return { items, blanked: b.text };
}

/**
 * "Problem 2.", "Exercise 3: …", "Q1", "Question 4 (10 points)" (a problem: a section of its own,
 * whose names may be declared and defined again); "(a)", "Part b)", "b." (a part of one).
 */
const PLAIN_HEADING = /^(?:(problem|exercise|question|task|q)\s*\d+[a-z]?\b|(?:part\s+)?\(?[a-h]\)(?=\s|$)|part\s+[a-h]\b|[a-h]\.(?=\s|$))/i;

/** A label before a claim on its line: "(a) ", "b) ", "2. ", "Q3: ". */
const LABELLED_LINE = /^(?:\d{1,2}[.)]|q\d+[.:)]?|(?:problem|exercise|question)\s*\d+[.:)]?|\(?[a-h]\)|[a-h]\.)\s+/i;

/**
 * A line of a plain file that is prose: without `=` (it claims nothing) and in words ("Taking
 * the gradient:", "Solution."); a line in math without `=` claims nothing either.
 */
function isPlainProse(line: string): boolean {
  if (line.includes("=")) return false;
  if (/[A-Za-z]{2,}[.:?!]$/.test(line)) return true;
  // two words of three letters or more, one after the other, neither a function's name
  const isWord = (w: string | undefined) => w !== undefined && /^[A-Za-z]{3,}[,;]?$/.test(w) && !isFunctionWord(w.replace(/[,;]$/, ""));
  const tokens = line.split(/\s+/);
  return tokens.some((w, i) => i > 0 && isWord(w) && isWord(tokens[i - 1]));
}

/**
 * `∂L/∂W = (s − y)xᵀ, where s = softmax(Wx)`: the definitions after `where` come first, as lines
 * of their own (`s = …` defines s when s is new, and is a claim about s when it is not), then
 * the line without them.
 */
function withWhere(line: Piece): Item[] {
  const where = splitWhere(line.text);
  if (!where) return [mathItem(line)];
  const piece = (start: number, end: number) => trimPiece({ text: line.text.slice(start, end), start: line.start + start });
  return [...where.definitions.map((d) => mathItem(piece(d.name.start, d.expr.end))), mathItem(piece(where.body.start, where.body.end))];
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

/** How far after a declaration in prose its sentence is read for "symmetric", "positive definite". */
const SENTENCE_WINDOW = 120;
/** `X \in \mathbb{R}^{n\times d}`, `x ∈ ℝⁿ`, `\lambda > 0`: what inline math declares. */
const MEMBERSHIP = /\\in(?![A-Za-z])|∈/;
const POSITIVE = /^(.*?)\s*(?:>|\\gt(?![A-Za-z])|\\geq?(?![A-Za-z])|≥)\s*0$/s;

/** "a one-hot label", "a probability vector", "on the simplex": a vector that sums to one. */
const ONE_HOT = /\bone[- ]hot\b|\bprobability vector\b|\b(?:probability )?simplex\b/i;

/** `\mathbf{1}^\top y = 1`, `𝟙ᵀy = 1`, `\operatorname{sum}(y) = 1`: a vector's entries sum to one. */
const SUMS_TO_ONE = /^\s*(?:sum\s*\(|\\(?:operatorname|mathrm|text|textrm)\s*\{\s*sum\s*\}|[𝟙1]\s*ᵀ|(?:\\(?:mathbf|bold)\s*\{?\s*1\s*\}?|\\mathbb\s*\{?\s*1\s*\}?|𝟙|1)\s*\^)[^=]*=\s*1\s*$/u;

/**
 * A declaration in prose: inline math that says where names live, that a scalar is positive, or
 * that a vector sums to one.
 */
/**
 * `\sum_i y_i = 1`, `\sum_{i=1}^{k} \mathbf{y}_{i} = 1`, `Σᵢ yᵢ = 1`: the same, entry by entry (the
 * index under Σ and on y the same letter). The vector's name as written, or undefined.
 */
const ENTRY_SUM = /^\s*(?:\\(?:textstyle|displaystyle)\s*)?(?:\\sum|Σ|∑)(?:\\(?:no)?limits)?\s*(?:_\s*(?:\{\s*([a-z])\s*(?:=[^{}]*)?\}|([a-z]))|([ᵢⱼₖ]))\s*(?:\^\s*(?:\{[^{}]*\}|\\?\w+))?\s*(\\[A-Za-z]+\s*\{\s*[A-Za-z]\s*\}|\\[A-Za-z]+|[A-Za-z])\s*(?:_\s*(?:\{\s*([a-z])\s*\}|([a-z]))|([ᵢⱼₖ]))\s*=\s*1\s*$/u;

function entrySum(text: string): string | undefined {
  const m = ENTRY_SUM.exec(text);
  if (!m) return undefined;
  const index = m[1] ?? m[2] ?? m[3]!;
  const onVector = m[5] ?? m[6] ?? m[7]!;
  const same = index === onVector || "ᵢⱼₖ".indexOf(index) === "ijk".indexOf(onVector) || "ᵢⱼₖ".indexOf(onVector) === "ijk".indexOf(index);
  return same ? m[4] : undefined;
}

function proseDeclaration(inline: Piece, after: string): Item | undefined {
  const text = inline.text;
  if (SUMS_TO_ONE.test(text)) return { kind: "declare", piece: inline, prose: { properties: [] } };
  const summed = entrySum(text);
  if (summed) return { kind: "declare", piece: { text: `sum(${summed}) = 1`, start: inline.start }, prose: { properties: [] } };
  if (/[=<]|\\(?:le|leq|neq|approx|sim)(?![A-Za-z])/.test(text.replace(/\\geq?(?![A-Za-z])/g, ""))) return undefined;
  const positive = POSITIVE.exec(text);
  if (positive) {
    const names = positive[1]!;
    return { kind: "declare", piece: { text: `${names}: scalar`, start: inline.start }, prose: { properties: [] } };
  }
  if (!MEMBERSHIP.test(text)) return undefined;
  // \mathbb{S}^d_{++} (spd matrices), \mathbb{S}^d (symmetric)
  const cone = /\\mathbb\s*\{?\s*S\s*\}?\s*(?:\^\s*(\{[^{}]*\}|\w)\s*_\s*\{\s*\+\+\s*\}|_\s*\{\s*\+\+\s*\}\s*\^\s*(\{[^{}]*\}|\w)|\^\s*(\{[^{}]*\}|\w))/.exec(text);
  if (cone) {
    const n = (cone[1] ?? cone[2] ?? cone[3])!.replace(/[{}]/g, "");
    const replaced = text.slice(0, cone.index) + `\\mathbb{R}^{${n}\\times ${n}}` + text.slice(cone.index + cone[0].length);
    return { kind: "declare", piece: { text: replaced, start: inline.start }, prose: { properties: [cone[3] !== undefined ? "symmetric" : "spd"] } };
  }
  // "(not necessarily symmetric)", "non-symmetric": no property
  const sentence = after.split(/[.;$]|\n\s*\n/)[0]!.replace(/\b(?:not|non)\b[-\s]*(?:necessarily\s+)?[\w-]*/gi, "");
  const properties = /positive[- ]definite|\b(?:SPD|s\.p\.d)\b/i.test(sentence)
    ? ["spd"]
    : /\bsymmetric\b/i.test(sentence)
      ? ["symmetric"]
      : /\bdiagonal\b/i.test(sentence)
        ? ["diagonal"]
        : ONE_HOT.test(sentence)
          ? ["sums to one"]
          : [];
  return { kind: "declare", piece: inline, prose: { properties } };
}

/**
 * "(a) $\frac{\partial}{\partial x} a^T x = a$": inline math whose left side is a derivative is a
 * claim like a display's (other inline equations are prose: "with $A = XᵀX + λI$").
 */
function inlineClaim(inline: Piece, condition: string | undefined, leadIn: string | undefined): Item | undefined {
  const parts = splitTopLevel(inline, equalsAt);
  if (parts.length < 2 || !/\\partial(?![A-Za-z])|∂|\\nabla(?![A-Za-z])|∇/.test(parts[0]!.text)) return undefined;
  if (stationarity(parts, leadIn)) return undefined;
  const item = mathItem(inline);
  return item.kind === "math" && condition ? { ...item, condition } : item;
}

/**
 * The sentence that leads into math at offset i ("If $A$ is symmetric, this becomes:"), and the
 * condition the math is under: that sentence when it has a word that may state one, else the
 * words after the math (from `after`) when they begin with one.
 */
function surroundings(t: string, i: number, regions: readonly Region[], after?: number): { leadIn?: string; condition?: string } {
  const leadIn = sentenceInto(t, i, regions);
  const condition = leadIn !== undefined && MAY_STATE_A_CONDITION.test(leadIn) ? leadIn : after === undefined ? undefined : conditionAfter(t, after);
  return { leadIn, condition };
}

/**
 * "Setting the gradient to zero gives $\nabla f(x) = 0$", "$$\nabla_w L = 0 \implies w = …$$": an
 * equation that asks where a derivative vanishes, not a claim that it does.
 */
function stationarity(parts: readonly Piece[], leadIn: string | undefined, arrowed = false): boolean {
  return parts.length >= 2 && ZERO.test(parts.at(-1)!.text) && /\\partial(?![A-Za-z])|∂|\\nabla(?![A-Za-z])|∇/.test(parts[0]!.text) && (arrowed || (leadIn !== undefined && STATIONARY.test(leadIn)));
}

/** The equation without its last `= 0` where that asks where a derivative vanishes (∇f = Ax − b = 0 ⟹ …); undefined when nothing is left to claim. */
function withoutStationarity(b: Blanker, eq: Piece, leadIn: string | undefined, arrowed: boolean): Piece | undefined {
  const parts = splitTopLevel(eq, equalsAt).map(trimPiece);
  if (!stationarity(parts, leadIn, arrowed)) return eq;
  if (parts.length === 2) return undefined;
  const zero = parts.at(-1)!;
  const equals = b.text.lastIndexOf("=", zero.start);
  b.blank(equals, zero.start + zero.text.length);
  return trimPiece({ text: eq.text.slice(0, equals - eq.start), start: eq.start });
}

const ZERO = /^\s*(?:0|\\(?:mathbf|bm|boldsymbol|vec)\s*\{?\s*0\s*\}?|𝟎)\s*$/;
const STATIONARY = /\b(?:set|sets|setting|solv\w*|equat\w*|stationar\w*|optim\w*|minimi[sz]\w*|maximi[sz]\w*|critical|first[- ]order)\b/i;

/** The sentence that leads into math at offset i, back to a full stop, a colon, a blank line or the math before it; undefined when it ended before the math. */
function sentenceInto(t: string, i: number, regions: readonly Region[]): string | undefined {
  let end = i;
  while (end > 0 && /[\s:,]/.test(t[end - 1]!)) end--;
  // a sentence that ended before the math is not about it; one that leads into it ("If $A$ is
  // symmetric, this becomes") is, across a blank line too
  if (t[end - 1] === ".") return undefined;
  // after the math before it, and not further back than a sentence goes (a file of thousands of
  // displays is read in time linear in its length)
  const head = t.slice(Math.max(regions.at(-1)?.end ?? 0, end - SENTENCE_LOOKBACK), end);
  const from = Math.max(0, ...[". ", ":", ".\n"].map((s) => head.lastIndexOf(s) + 1), head.search(/\n\s*\n(?![\s\S]*\n\s*\n)/) + 1);
  // the closing delimiter of the math before it is not part of the sentence
  return dollarInline(head.slice(from).replace(/^\s*(?:\$\$|\\\]|\\end\s*\{[^{}]*\}|`{3,}|~{3,})/, ""));
}

const SENTENCE_LOOKBACK = 300;

/** Inline math written \(…\) as $…$, the form conditions are read in. */
const dollarInline = (sentence: string): string => sentence.replace(/\\\((.*?)\\\)/g, (_, math: string) => `$${math}$`);

/** "$$∇f = 2Ax$$ if $A$ is symmetric.": the words after math, when they begin with a condition. */
function conditionAfter(t: string, i: number): string | undefined {
  const rest = t.slice(i, i + SENTENCE_WINDOW);
  const end = Math.min(...[". ", ".\n", "\n\n", "$$", "\\[", "\\begin"].map((s) => (rest.indexOf(s) < 0 ? rest.length : rest.indexOf(s))));
  const sentence = dollarInline(rest.slice(0, end).replace(/\.$/, ""));
  // in lower case: "If …" after the math starts the next sentence, about the math after it
  return /^[\s,;(]*(?:if|when|whenever|assuming|provided|for|since|because|as|where)\b/.test(sentence) ? sentence : undefined;
}

const MAY_STATE_A_CONDITION = /\b(?:if|when|whenever|assuming|assume|suppose|provided|in the case|for|since|because|as|given|where)\b/i;

/**
 * "Let $z = Xw$", "with $A = XᵀX + λI$", "Quadratic form $f = xᵀAx$": a definition in prose (of a
 * name only, and only where display math does not define it: check.ts).
 */
function proseDefinition(inline: Piece): Item | undefined {
  const parts = splitTopLevel(inline, (t, i) => equalsAt(t, i) || assignAt(t, i));
  // "$b = \|c\|^2 = c^T c$": the first right side defines b (the rest restates it)
  if (parts.length < 2 || parts.some(isBlank)) return undefined;
  return { kind: "define", name: trimPiece(parts[0]!), body: trimPiece(parts[1]!), prose: true };
}

/** Past alignat's (or alignedat's) column count {n}, if there is one at `at`. */
function afterColumnCount(t: string, at: number): number {
  const arg = /\s*\{[^{}]*\}/y;
  arg.lastIndex = at;
  const a = arg.exec(t);
  return a ? at + a[0].length : at;
}

const MATH_ENVIRONMENTS = ["equation", "align", "gather", "multline", "eqnarray", "displaymath", "flalign", "alignat"];
// inside a display: MathJax and KaTeX take $$\begin{align}…\end{align}$$ as Jupyter users write it
const INNER_ENVIRONMENTS = ["aligned", "split", "gathered", "alignedat", ...MATH_ENVIRONMENTS];
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
  /** The sentence before it, when it has a word that may make it a condition (src/check/conditions.ts). */
  readonly condition?: string;
  /** The sentence that leads into it ("Setting the gradient to zero gives"). */
  readonly leadIn?: string;
}

function readTex(text: string, format: Format): Omit<Document, "origin"> {
  const b = new Blanker(text);
  const items: { at: number; item: Item }[] = [];
  const add: Add = (item, at) => items.push({ at, item });
  readComments(text, format, b, add);
  for (const r of scanTex(b.text, format, add)) for (const { item, at } of readRegion(b, r)) add(item, at);
  items.sort((x, y) => x.at - y.at);
  return { items: items.map((x) => x.item), blanked: b.text };
}

type Add = (item: Item, at: number) => void;

/** Comments: `% let …` (and in Markdown `<!-- let … -->`) declares; every comment is blanked. */
function readComments(text: string, format: Format, b: Blanker, add: Add): void {
  const declareIfLet = (content: Piece, at: number) => {
    if (LET.test(content.text)) add({ kind: "declare", piece: trimPiece(content) }, at);
  };
  let lineStart = 0;
  for (const raw of text.split("\n")) {
    const end = lineStart + raw.length;
    // `%` starts a comment in LaTeX and in a notebook's MathJax alike; in Markdown a `% let`
    // declares only at the start of a line
    let c = -1;
    for (let i = 0; i < raw.length; i++)
      if (raw[i] === "%" && !escaped(raw, i)) {
        c = i;
        break;
      }
    if (c >= 0) {
      const content = pieceAt(text, lineStart + c + 1, end);
      if (format === "latex" || /^\s*$/.test(raw.slice(0, c))) declareIfLet(content, lineStart + c);
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
}

/** Sections and math regions, in one scan of the comment-free text t; inline math is prose, but may declare. */
function scanTex(t: string, format: Format, add: Add): Region[] {
  const regions: Region[] = [];
  let atLineStart = true;
  for (let i = 0; i < t.length; ) {
    if (atLineStart && format === "markdown") {
      const fenced = markdownLineStart(t, i, regions, add);
      if (fenced !== undefined) {
        i = fenced;
        continue;
      }
    }
    if (atLineStart) {
      const label = LABEL_LINE.exec(t.slice(i, t.indexOf("\n", i) < 0 ? t.length : t.indexOf("\n", i)));
      if (label) add({ kind: "section", at: i, level: label[1] ? LABEL_LEVEL : LABEL_LEVEL + 1 }, i);
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
      const { leadIn, condition } = surroundings(t, i, regions, close < 0 ? undefined : close + closer.length);
      regions.push({ start: i + open.length, end: close < 0 ? t.length : close, condition, leadIn });
      i = close < 0 ? t.length : close + closer.length;
      continue;
    }
    const parenthesized = c === "\\" && t[i + 1] === "(";
    if (c === "$" || parenthesized) {
      // inline math ($…$, or \(…\) as MathJax writes it) is prose, not a step; but "Let $X \in
      // \mathbb{R}^{n\times d}$" declares
      const open = parenthesized ? 2 : 1;
      let j = i + open;
      if (parenthesized) {
        j = t.indexOf("\\)", j);
        // not closed in its paragraph: not math
        if (j < 0 || t.slice(i, j).includes("\n\n")) {
          i += 2;
          continue;
        }
      } else while (j < t.length && !(t[j] === "$" && t[j - 1] !== "\\") && t[j] !== "\n") j++;
      const after = j + open;
      const inline = trimPiece(pieceAt(t, i + open, Math.min(j, t.length)));
      const { leadIn, condition } = surroundings(t, i, regions, after);
      const item = inlineClaim(inline, condition, leadIn) ?? proseDeclaration(inline, t.slice(after, after + SENTENCE_WINDOW)) ?? proseDefinition(inline);
      if (item) add(item, i);
      i = after;
      continue;
    }
    if (c === "\\") {
      const after = environmentAt(t, i, regions);
      if (after !== undefined) {
        i = after;
        continue;
      }
      const section = /\\(part|chapter|section|subsection|subsubsection)\*?\s*[[{]/y;
      section.lastIndex = i;
      const s = format === "latex" ? section.exec(t) : null;
      if (s) add({ kind: "section", at: i, level: ["part", "chapter", "section", "subsection", "subsubsection"].indexOf(s[1]!) + 1 }, i);
    }
    i++;
  }
  return regions;
}

/**
 * A line that is only a problem's or a part's label, as pasted homework numbers them: "1.",
 * "2)", "**Problem 3**", "Exercise 2:", "Q4" (a problem), "a.", "(b)", "Part c" (a part). It starts
 * a section as a heading does, so that a later problem may define its names again.
 */
const LABEL_LINE = /^\s*(?:\*\*|__|\\textbf\s*\{)?\s*(?:((?:problem|exercise|question|task)\s*\d+[a-z]?|q\s*\d+|\d{1,2})|(?:part\s*)?(?:\(?[a-h]\)|[a-h]\.|[ivx]{1,4}\.|\([ivx]{1,4}\))|part\s+[a-h])\s*[.):]?\s*(?:\*\*|__|\})?\s*$/i;
/** Labels sit below the document's own headings (levels 1–7), problems above parts. */
const LABEL_LEVEL = 8;

/**
 * A Markdown line at i: a fenced block (a ```math block is a region) returns where the scan goes
 * on after it; a heading or a horizontal rule is a section, and the line is scanned on.
 */
function markdownLineStart(t: string, i: number, regions: Region[], add: Add): number | undefined {
  const eol = t.indexOf("\n", i) < 0 ? t.length : t.indexOf("\n", i);
  const line = t.slice(i, eol);
  const fence = /^\s*(`{3,}|~{3,})\s*([A-Za-z]*)/.exec(line);
  if (fence) {
    const close = findFenceEnd(t, eol, fence[1]!);
    if (fence[2] === "math") regions.push({ start: Math.min(eol + 1, t.length), end: close.contentEnd, ...surroundings(t, i, regions) });
    return close.next;
  }
  const heading = /^\s{0,3}(#{1,6})(\s|$)/.exec(line);
  if (heading) add({ kind: "section", at: i, level: heading[1]!.length }, i);
  else if (/^\s{0,3}(-{3,}|\*{3,}|_{3,})\s*$/.test(line)) add({ kind: "section", at: i, level: 7 }, i);
  return undefined;
}

/** `\begin{align}…\end{align}` (a math environment) at i: a region, and where the scan goes on after it. */
function environmentAt(t: string, i: number, regions: Region[]): number | undefined {
  const begin = /\\begin\s*\{\s*([A-Za-z]+)\*?\s*\}/y;
  begin.lastIndex = i;
  const m = begin.exec(t);
  if (!m || !MATH_ENVIRONMENTS.includes(m[1]!)) return undefined;
  const endRe = new RegExp(`\\\\end\\s*\\{\\s*${m[1]}\\*?\\s*\\}`, "g");
  endRe.lastIndex = i + m[0].length;
  const e = endRe.exec(t);
  const start = m[1] === "alignat" ? afterColumnCount(t, i + m[0].length) : i + m[0].length;
  regions.push({ start, end: e ? e.index : t.length, ...surroundings(t, i, regions) });
  return e ? e.index + e[0].length : t.length;
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
  const notes = blankLayout(b, r);
  const t = b.text;
  const out: { item: Item; at: number }[] = [];
  for (const row of rows(t, r)) {
    // a note after an arrow (→ trick from before) is not part of the equation
    let arrowed = false;
    for (let i = row.start; i < row.end; i++) {
      ARROWS.lastIndex = i;
      if (t[i] === "\\" && ARROWS.test(t)) {
        b.blank(i, row.end);
        arrowed = true;
        break;
      }
    }
    for (let i = row.start; i < row.end; i++) if (t[i] === "&" && t[i - 1] !== "\\") b.blank(i, i + 1);
    const note = conditionNote(b, row, notes);
    let p = trimPiece(pieceAt(b.text, row.start, row.end));
    // trailing punctuation: "= c."
    while (p.text.length && /[.,;]$/.test(p.text) && !/\\[.,;]$/.test(p.text)) {
      b.blank(p.start + p.text.length - 1, p.start + p.text.length);
      p = trimPiece(pieceAt(b.text, row.start, row.end));
    }
    if (p.text === "") continue;
    const parts = equations(p, notes);
    // a note's condition is the equation's it follows; the display's sentence is every equation's
    const conditioned = note && parts.filter((part) => part.start < note.at).at(-1);
    for (const part of parts) {
      const eq = withoutStationarity(b, withoutMembership(b, part), r.leadIn, arrowed);
      if (!eq) continue;
      const item = !hasEquals(eq) && MEMBERSHIP.test(eq.text) ? ({ kind: "declare", piece: eq, display: true } as const) : mathItem(eq);
      const condition = part === conditioned ? note!.condition : r.condition;
      out.push({ item: item.kind === "math" && condition ? { ...item, condition } : item, at: eq.start });
    }
  }
  return out;
}

/**
 * `∇f = 2Ax \quad \text{if } A = A^\top`, `\text{for symmetric } A`: a note in a row that states a
 * condition, with the math after it, which is blanked (it is the condition, not a claim). The
 * condition as a sentence, as prose would write it ("if $A = A^\top$"), and where the note is;
 * undefined when the row has none.
 */
function conditionNote(b: Blanker, row: Region, notes: ReadonlyMap<number, string>): { condition: string; at: number } | undefined {
  for (const [at, content] of notes) {
    if (at < row.start || at >= row.end || !CONDITION_NOTE.test(content)) continue;
    const math = b.text.slice(at, row.end).trim().replace(/[.,;]$/, "");
    b.blank(at, row.end);
    return { condition: math ? `${content} $${math}$` : content, at };
  }
  return undefined;
}

/** Not "where": `\text{where } r = Wx − y` defines r for the claim (withWhere's business). */
const CONDITION_NOTE = /^[\s,;(]*(?:if|when|whenever|assuming|provided|for|since|because|as)\b/i;

/**
 * Blank \boxed{…}, \underbrace{…}_{…}, \text{note}, \label, \nonumber, aligned environments, …;
 * the offsets where a note was (a note separates two equations: `A = B \text{and} C = D`).
 */
function blankLayout(b: Blanker, r: Region): Map<number, string> {
  const notes = new Map<number, string>();
  // the text as it was before this region's layout was blanked
  const t = b.text;
  for (let i = r.start; i < r.end; i++) {
    if (t[i] !== "\\") continue;
    for (const read of LAYOUT) {
      const last = read(b, t, r, i, notes);
      if (last !== undefined) {
        i = last;
        break;
      }
    }
  }
  // brackets left empty by a dropped note: "(\text{trick from formal notes})"
  const after = b.text;
  for (const m of after.slice(r.start, r.end).matchAll(/\(\s*\)|\[\s*\]/g)) b.blank(r.start + m.index, r.start + m.index + m[0].length);
  return notes;
}

/** A layout command at the backslash at i, blanked: the last offset read, or none when it is not one. */
type LayoutReader = (b: Blanker, t: string, r: Region, i: number, notes: Map<number, string>) => number | undefined;

/** \begin{aligned} and \end{aligned}, and the other environments inside math. */
const innerEnvironment: LayoutReader = (b, t, _r, i) => {
  const env = /\\(begin|end)\s*\{\s*([A-Za-z]+)\*?\s*\}/y;
  env.lastIndex = i;
  const e = env.exec(t);
  if (!e || !INNER_ENVIRONMENTS.includes(e[2]!)) return undefined;
  const end = e[1] === "begin" && (e[2] === "alignedat" || e[2] === "alignat") ? afterColumnCount(t, i + e[0].length) : i + e[0].length;
  b.blank(i, end);
  return end - 1;
};

/** \boxed{…}, \underbrace{…}_{label}, \color{red}{…}: the command goes, its content stays (a \phantom's goes too). */
const wrapper: LayoutReader = (b, t, r, i) => {
  const wrap = /\\(boxed|underbrace|overbrace|underline|overline|displaystyle|mathstrut|phantom|color\s*\{[^{}]*\})\s*\{/y;
  wrap.lastIndex = i;
  const w = wrap.exec(t);
  if (!w) return undefined;
  const open = i + w[0].length - 1;
  const close = matchingBrace(t, open);
  if (close < 0 || close > r.end) return i;
  if (w[1] === "phantom") {
    b.blank(i, close + 1);
    return i;
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
  return i;
};

/** \text{…}: a note, blanked and remembered, unless it is a function's name (\text{tr}(X)). */
const textNote: LayoutReader = (b, t, r, i, notes) => {
  TEXT_COMMANDS.lastIndex = i;
  const tx = TEXT_COMMANDS.exec(t);
  if (!tx) return undefined;
  const open = i + tx[0].length - 1;
  const close = matchingBrace(t, open);
  if (close < 0 || close > r.end) return i;
  const content = t.slice(open + 1, close).trim();
  // \text{tr}(X) is the trace; \text{(trick from formal notes)} is a note
  if (isFunctionWord(content)) return close;
  // a remark with math inside: \text{(when } 1ᵀy = 1\text{)} is a note as a whole
  let end = close + 1;
  const opened = (content.match(/\(/g) ?? []).length - (content.match(/\)/g) ?? []).length;
  if (opened > 0) {
    const closing = /\\text\s*\{[^{}]*\)[^{}]*\}/g;
    closing.lastIndex = end;
    const c = closing.exec(t);
    if (c && c.index + c[0].length <= r.end && !t.slice(end, c.index).includes("\\\\")) end = c.index + c[0].length;
  }
  b.blank(i, end);
  notes.set(i, end === close + 1 ? content : remarkAsProse(t.slice(i, end)));
  return end - 1;
};

/** `\text{(for symmetric } A\text{)}` as prose would write it: "(for symmetric $A$)". */
function remarkAsProse(remark: string): string {
  let out = "";
  let from = 0;
  for (const m of remark.matchAll(/\\text\s*\{([^{}]*)\}/g)) {
    const math = remark.slice(from, m.index).trim();
    out += (math ? ` $${math}$ ` : "") + m[1]!;
    from = m.index + m[0].length;
  }
  return out.replace(/\s+/g, " ").trim();
}

/** \label{…}, \nonumber, \tag{…}, spacing: dropped (\quad is kept: it may separate two equations). */
const dropped: LayoutReader = (b, t, _r, i) => {
  DROPPED.lastIndex = i;
  const d = DROPPED.exec(t);
  if (!d) return undefined;
  if (!/^\\q?quad/.test(d[0])) b.blank(i, i + d[0].length);
  return i;
};

/** The layout commands, in the order they are tried at each backslash. */
const LAYOUT: readonly LayoutReader[] = [innerEnvironment, wrapper, textNote, dropped];

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

/** Whether a piece has an `=` or a `:=` at the top level (an equation or a definition). */
function hasEquals(q: Piece): boolean {
  return splitTopLevel(q, (t, i) => equalsAt(t, i) || assignAt(t, i)).length > 1;
}

type Separator = "space" | "punctuation" | "note";

/**
 * The equations of a row: `A = B, \qquad C = D`, `A = B;\ C = D`, `A = B \text{and} C = D` are
 * two. A stretch without `=` after `\quad` or `,` belongs to the equation before it; after a note
 * it is part of the note (`\text{since } A \text{ is symmetric}`); a stretch that declares
 * (`x \in \mathbb{R}^n`) stands alone.
 */
function equations(p: Piece, notes: ReadonlyMap<number, unknown>): Piece[] {
  const separators = new Map<number, Separator>();
  const parts = splitTopLevel(p, (s, i) => {
    if (notes.has(p.start + i)) {
      separators.set(i + 1, "note");
      return 1;
    }
    if (s[i] === "," || s[i] === ";") {
      if (s[i - 1] === "\\") return 0; // \, and \; are spaces
      separators.set(i + 1, "punctuation");
      return 1;
    }
    const m = /\\q?quad(?![A-Za-z])|\\hspace\s*\{[^{}]*\}/y;
    m.lastIndex = i;
    const n = m.exec(s)?.[0].length ?? 0;
    if (n) separators.set(i + n, "space");
    return n;
  });
  if (parts.length === 1) return [p];
  const groups: Piece[][] = [];
  const alone: Piece[] = [];
  for (const part of parts) {
    if (isBlank(part)) continue;
    const after = separators.get(part.start - p.start);
    if (hasEquals(part) || groups.length === 0) groups.push([part]);
    else if (MEMBERSHIP.test(part.text)) alone.push(trimPiece(part));
    else if (after !== "note") groups[groups.length - 1]!.push(part);
  }
  const source = p.text;
  return [
    ...groups.map((g) => {
      const first = g[0]!;
      const last = g[g.length - 1]!;
      return trimPiece({ text: source.slice(first.start - p.start, last.start - p.start + last.text.length), start: first.start });
    }),
    ...alone,
  ].sort((x, y) => x.start - y.start);
}

/** `z = Xw \in \mathbb{R}^n`: the shape said after an equation is a remark (blanked). */
function withoutMembership(b: Blanker, p: Piece): Piece {
  if (!hasEquals(p)) return p;
  const m = /\s*(?:\\in(?![A-Za-z])|∈)\s*(?:\\(?:mathbb|Bbb)\s*\{?\s*R\s*\}?|ℝ)[^=]*$/.exec(p.text);
  if (!m) return p;
  b.blank(p.start + m.index, p.start + p.text.length);
  return trimPiece({ text: p.text.slice(0, m.index), start: p.start });
}
