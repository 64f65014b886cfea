import type { Expr, Rational } from "../ast.js";
import { type Context, type MemoKey, memoOf } from "../context.js";
import { FUNCTIONS, functionSpec } from "../functions/index.js";
import type { Format, PrintShapes } from "../functions/spec.js";
import { shapeOf } from "../shapes/infer.js";
import { type Shape, isScalar } from "../shapes/shape.js";
import { GREEK } from "../greek.js";
import { LETTERLIKE, nameParts } from "../syntax/names.js";
import { symbolName } from "./names.js";

// Unicode, LaTeX and ASCII from one printer: the three differ only in their spellings (the
// tables below); brackets are decided by precedence, the same for all three.

export type TextFormat = Exclude<Format, "numpy">;

const enum Level {
  Sum = 1,
  Unary = 2,
  /** a ⊙ b, a ⊘ b, a ⊗ b: looser than a product (A ⊙ BX is A ⊙ (BX)) */
  Entrywise = 3,
  Product = 4,
  Postfix = 5,
  Atom = 6,
}

type Wrapping = readonly [before: string, after: string];

interface Spelling {
  plus: string;
  minus: string;
  negate: string;
  /** What goes between two juxtaposed factors, read from the end of the left one and the start of the right one (EDGE characters each). */
  between: (leftEnd: string, rightStart: string, a: Expr, b: Expr) => string;
  divide: (top: string, bottom: string) => string;
  /** What is written before and after an operand: brackets, and the postfix marks. */
  group: Wrapping;
  transpose: Wrapping;
  inverse: Wrapping;
  inverseTranspose: Wrapping;
  power: (s: string, k: Rational) => string;
  /** a^b with b an expression, printed as `exponent`. */
  powerOf: (s: string, exponent: string) => string;
  number: (q: Rational) => string;
  identity: string;
  /** Whether a divided form already delimits itself (LaTeX \frac). */
  fracIsAtom: boolean;
}

const SUPERSCRIPT: Record<string, string> = { "0": "⁰", "1": "¹", "2": "²", "3": "³", "4": "⁴", "5": "⁵", "6": "⁶", "7": "⁷", "8": "⁸", "9": "⁹", "-": "⁻" };
const VULGAR: Record<string, string> = { "1/2": "½", "1/3": "⅓", "2/3": "⅔", "1/4": "¼", "3/4": "¾", "1/5": "⅕", "1/6": "⅙", "1/8": "⅛" };

/**
 * Juxtaposition needs a separator where the two sides would run together: a space before a
 * function's name (α tr(X), not αtr(X)), a dot between numbers or next to a multi-letter name.
 * `left` and `right` are the ends of the two sides that meet (EDGE characters of each).
 */
function juxtapose(left: string, right: string, a: Expr, b: Expr): string {
  if (left.endsWith("·")) return "";
  if (/^[A-Za-z]{2,}/.test(right) && b.op !== "sym" && leftmostLeaf(b).op !== "sym") return " ";
  const wordy = (e: Expr) => e.op === "sym" && [...nameParts(e.name!).base].length > 1 && !GREEK[e.name!];
  if (wordy(rightmostLeaf(a)) || wordy(leftmostLeaf(b))) return "·";
  if (/\p{N}$/u.test(left) && /^[\p{N}.]/u.test(right) && !left.endsWith("𝟙") && !right.startsWith("𝟙")) return "·";
  // A2x(Ax)ᵀ would read as a function A2x: a digit after a letter is set apart.
  if (/[A-Za-z]$/.test(left) && /^\p{N}/u.test(right)) return "·";
  if (spellsWordAcross(left, right)) return "·";
  return "";
}

/**
 * Words the reader takes whole: n·u written nu reads as ν, t·r(X) as a trace. Juxtaposed
 * letters that spell one across the junction are set apart.
 */
const READ_WHOLE: readonly string[] = [
  ...Object.values(GREEK),
  ...FUNCTIONS.flatMap((f) => f.words),
  ...LETTERLIKE.values(),
  "ones",
  "where",
].filter((w) => /^[A-Za-z]{2,}$/.test(w));
const LONGEST_WORD = Math.max(...READ_WHOLE.map((w) => w.length));

function spellsWordAcross(left: string, right: string): boolean {
  const before = /[A-Za-z]+$/.exec(left.slice(-LONGEST_WORD))?.[0];
  const after = /^[A-Za-z]+/.exec(right.slice(0, LONGEST_WORD))?.[0];
  if (!before || !after) return false;
  const run = before + after;
  return READ_WHOLE.some((w) => {
    for (let i = run.indexOf(w); i >= 0; i = run.indexOf(w, i + 1)) if (i < before.length && i + w.length > before.length) return true;
    return false;
  });
}

function leftmostLeaf(e: Expr): Expr {
  while ((e.op === "mul" || e.op === "div" || e.op === "pow") && e.args.length) e = e.args[0]!;
  return e;
}

function rightmostLeaf(e: Expr): Expr {
  while (e.op === "mul") e = e.args[1]!;
  return e;
}

const SPELLINGS: Record<TextFormat, Spelling> = {
  unicode: {
    plus: " + ",
    minus: " − ",
    negate: "−",
    between: juxtapose,
    divide: (t, b) => `${t}/${b}`,
    group: ["(", ")"],
    transpose: ["", "ᵀ"],
    inverse: ["", "⁻¹"],
    inverseTranspose: ["", "⁻ᵀ"],
    power: (s, k) =>
      k.d === 1 ? s + [...String(k.n)].map((c) => SUPERSCRIPT[c]).join("") : `${s}^(${k.n}/${k.d})`,
    powerOf: (s, b) => (/^[A-Za-z]$/.test(b) ? `${s}^${b}` : `${s}^(${b})`),
    number: (q) => (q.d === 1 ? String(q.n) : VULGAR[`${q.n}/${q.d}`] ?? `${q.n}/${q.d}`),
    identity: "I",
    fracIsAtom: false,
  },
  latex: {
    plus: " + ",
    minus: " - ",
    negate: "-",
    between: (l, r) => (/^\d/.test(r) && /\d$/.test(l) ? " \\cdot " : " "),
    divide: (t, b) => `\\frac{${t}}{${b}}`,
    group: ["\\left(", "\\right)"],
    transpose: ["", "^{\\top}"],
    inverse: ["", "^{-1}"],
    inverseTranspose: ["", "^{-\\top}"],
    power: (s, k) => `${s}^{${k.d === 1 ? k.n : `${k.n}/${k.d}`}}`,
    powerOf: (s, b) => `${s}^{${b}}`,
    number: (q) => (q.d === 1 ? String(q.n) : `\\frac{${q.n}}{${q.d}}`),
    identity: "I",
    fracIsAtom: true,
  },
  ascii: {
    plus: " + ",
    minus: " - ",
    negate: "-",
    between: () => "*",
    divide: (t, b) => `${t}/${b}`,
    group: ["(", ")"],
    transpose: ["", "'"],
    inverse: ["inv(", ")"],
    inverseTranspose: ["inv(", ")'"],
    power: (s, k) => (k.d === 1 ? `${s}^${k.n < 0 ? `(${k.n})` : k.n}` : `${s}^(${k.n}/${k.d})`),
    powerOf: (s, b) => (/^[A-Za-z]$/.test(b) ? `${s}^${b}` : `${s}^(${b})`),
    number: (q) => (q.d === 1 ? String(q.n) : `${q.n}/${q.d}`),
    identity: "I",
    fracIsAtom: false,
  },
};

/**
 * Whether a·b, read as the factors a reader sees (a/α shows a's; LaTeX's \frac hides them),
 * multiplied left to right, conforms at every step (a 1×1 is a scalar).
 */
function readsLeftToRight(a: Expr, b: Expr, format: TextFormat, ctx: Context): boolean {
  try {
    return fold(b, fold(a, FRESH, format, ctx), format, ctx) !== FAIL;
  } catch {
    return false; // shapes unknown here (the seed 𝒢 of a Jacobian's steps): keep the brackets
  }
}

// The left-to-right product as a state machine, so that a long chain is checked once, not again
// at every level of its brackets: FRESH before the first factor or after a scalar, FAIL once two
// factors do not conform, else whether the rows are 1 (a row times a column is a scalar again)
// and the columns. A subproduct's outcome depends only on that state: it is kept per state.
type FoldState = string;
const FRESH = "fresh";
const FAIL = "fail";
const FOLDS: MemoKey<Map<TextFormat, WeakMap<Expr, Map<FoldState, FoldState>>>> = { name: "printed folds", empty: () => new Map() };

function fold(e: Expr, state: FoldState, format: TextFormat, ctx: Context): FoldState {
  if (state === FAIL) return FAIL;
  if (e.op === "div" && format !== "latex") return fold(e.args[0]!, state, format, ctx);
  if (e.op !== "mul") return step(state, shapeOf(e, ctx));
  const byFormat = memoOf(ctx, FOLDS);
  let byNode = byFormat.get(format);
  if (!byNode) byFormat.set(format, (byNode = new WeakMap()));
  let known = byNode.get(e);
  if (!known) byNode.set(e, (known = new Map()));
  let out = known.get(state);
  if (out === undefined) known.set(state, (out = fold(e.args[1]!, fold(e.args[0]!, state, format, ctx), format, ctx)));
  return out;
}

function step(state: FoldState, s: Shape): FoldState {
  if (state === FRESH) return isScalar(s) ? FRESH : `${s[0] === 1}|${s[1]}`;
  if (isScalar(s)) return state;
  const bar = state.indexOf("|");
  const rowsAreOne = state.slice(0, bar) === "true";
  if (state.slice(bar + 1) !== String(s[0])) return FAIL;
  return rowsAreOne && s[1] === 1 ? FRESH : `${rowsAreOne}|${s[1]}`;
}

/** Whether a node is printed as an infix operator (A ⊙ B) in this format. */
function isInfix(e: Expr, format: TextFormat): boolean {
  return e.op === "call" && !!functionSpec(e.fn!)?.infix?.includes(format);
}

/**
 * `name(…)` or `\name\left(…\right)` with the bracket after the name closing at the end: a
 * function applied to a bracketed argument, an atom for the grammar.
 */
function wrappedInParentheses(text: string): boolean {
  const latex = /^\\(?:operatorname\{[A-Za-z]+\}|[A-Za-z]+)\\left\(/.exec(text)?.[0].length;
  if (latex !== undefined) {
    if (!text.endsWith("\\right)")) return false;
    let depth = 1;
    for (const m of text.slice(latex).matchAll(/\\left|\\right/g)) {
      depth += m[0] === "\\left" ? 1 : -1;
      if (depth === 0) return m.index! + latex + "\\right)".length === text.length;
    }
    return false;
  }
  const open = /^(?:[A-Za-z]+|√)\(/u.exec(text)?.[0].length;
  if (open === undefined || !text.endsWith(")")) return false;
  let depth = 1;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === "(" || c === "[" || c === "{") depth++;
    else if (c === ")" || c === "]" || c === "}") depth--;
    if (depth === 0) return i === text.length - 1;
  }
  return false;
}

/** The shapes of a call's arguments and result, when the context knows them. */
function callShapes(e: Expr, ctx: Context): PrintShapes | undefined {
  try {
    return { args: e.args.map((a) => shapeOf(a, ctx)), result: shapeOf(e, ctx) };
  } catch {
    return undefined;
  }
}

/** Print an expression in one of the text formats. */
export function formatExpr(e: Expr, format: TextFormat, ctx?: Context): string {
  return print(e, format, ctx).text;
}

interface Printed {
  text: string;
  level: Level;
  /** The first and last EDGE characters of text, where it was made by concatenation (see joined). */
  head?: string;
  tail?: string;
}

/** How much of each side a juxtaposition reads (spellsWordAcross the most). */
const EDGE = Math.max(LONGEST_WORD, 2);
const headOf = (p: Printed): string => p.head ?? p.text.slice(0, EDGE);
const tailOf = (p: Printed): string => p.tail ?? p.text.slice(-EDGE);
const literal = (text: string): Printed => ({ text, level: Level.Atom });
const SHORT_TEXT = 4 * EDGE;

/**
 * Printed texts one after another, with the edges of the whole. Reading the end of a text made
 * by `+` copies it whole (V8 flattens the rope), and a chain of n factors reads the end of its
 * left part at each of its n products: the edges are made from the pieces' edges instead.
 */
function joined(pieces: readonly Printed[], level: Level): Printed {
  let text = "";
  for (let i = 0; i < pieces.length; i++) text += pieces[i]!.text;
  // a short text is read where it is needed (copying it costs little)
  if (text.length <= SHORT_TEXT) return { text, level };
  let head = "";
  for (let i = 0; i < pieces.length && head.length < EDGE; i++) head += headOf(pieces[i]!);
  let tail = "";
  for (let i = pieces.length - 1; i >= 0 && tail.length < EDGE; i--) tail = tailOf(pieces[i]!) + tail;
  return { text, level, head: head.slice(0, EDGE), tail: tail.slice(-EDGE) };
}

/** inner between a wrapping's two parts (brackets, ᵀ, ⁻¹), its edges kept. */
function around([before, after]: Wrapping, inner: Printed, level: Level): Printed {
  return joined([literal(before), inner, literal(after)], level);
}

function print(e: Expr, format: TextFormat, ctx: Context | undefined): Printed {
  const s = SPELLINGS[format];
  const at = (x: Expr, min: Level): Printed => {
    const p = print(x, format, ctx);
    return p.level >= min ? p : around(s.group, p, Level.Atom);
  };
  switch (e.op) {
    case "sym":
      return { text: symbolName(e.name!, format), level: Level.Atom };
    case "num": {
      const q = e.value!;
      if (q.n < 0) return { text: s.negate + s.number({ n: -q.n, d: q.d }), level: Level.Unary };
      return { text: s.number(q), level: q.d === 1 || format === "latex" || format === "unicode" && VULGAR[`${q.n}/${q.d}`] ? Level.Atom : Level.Product };
    }
    case "identity":
      return { text: s.identity, level: Level.Atom };
    case "add": {
      const pieces: Printed[] = [];
      e.args.forEach((t, i) => {
        if (t.op === "neg") pieces.push(literal(i === 0 ? s.negate : s.minus), at(t.args[0]!, Level.Entrywise));
        else if (t.op === "num" && t.value!.n < 0) pieces.push(literal((i === 0 ? s.negate : s.minus) + s.number({ n: -t.value!.n, d: t.value!.d })));
        else pieces.push(literal(i === 0 ? "" : s.plus), at(t, Level.Entrywise));
      });
      return joined(pieces, Level.Sum);
    }
    case "neg":
      return joined([literal(s.negate), at(e.args[0]!, Level.Entrywise)], Level.Unary);
    case "mul": {
      const a = e.args[0]!;
      const b = e.args[1]!;
      // After a fraction a centred dot keeps D/2·K⁻¹ from reading as D/(2K⁻¹).
      const factor = at(a, isInfix(a, format) ? Level.Postfix : Level.Product);
      const left = a.op === "div" && format === "unicode" ? joined([factor, literal("·")], Level.Product) : factor;
      // a(bc) prints as abc when abc, read left to right, multiplies the same way (Axᵀx·x needs
      // its brackets: A·xᵀ does not conform); a negation or sum on the right is bracketed.
      // An infix call (A ⊙ B) next to a product is bracketed: (A ⊙ B)C, C(A ⊙ B).
      const right = at(b, (b.op === "mul" && !(ctx && readsLeftToRight(a, b, format, ctx))) || isInfix(b, format) ? Level.Postfix : Level.Product);
      return joined([left, literal(s.between(tailOf(left), headOf(right), a, b)), right], Level.Product);
    }
    case "div": {
      const a = e.args[0]!;
      const b = e.args[1]!;
      if (s.fracIsAtom) return { text: s.divide(print(a, format, ctx).text, print(b, format, ctx).text), level: Level.Atom };
      return { text: s.divide(at(a, Level.Product).text, at(b, Level.Postfix).text), level: Level.Product };
    }
    case "transpose": {
      const a = e.args[0]!;
      if (a.op === "inv") return around(s.inverseTranspose, at(a.args[0]!, Level.Atom), Level.Postfix);
      return around(s.transpose, at(a, Level.Atom), Level.Postfix);
    }
    case "inv":
      return format === "ascii" ? around(s.inverse, print(e.args[0]!, format, ctx), Level.Atom) : around(s.inverse, at(e.args[0]!, Level.Atom), Level.Postfix);
    case "pow":
      if (e.args[1]!.op !== "num") return { text: s.powerOf(at(e.args[0]!, Level.Atom).text, print(e.args[1]!, format, ctx).text), level: Level.Postfix };
      return { text: s.power(at(e.args[0]!, Level.Atom).text, e.args[1]!.value!), level: Level.Postfix };
    case "call": {
      const spec = functionSpec(e.fn!);
      if (!spec) throw new Error(`no printer for function ${e.fn}`);
      const shapes = ctx ? callShapes(e, ctx) : undefined;
      if (isInfix(e, format)) {
        // The grammar reads `Entrywise ⊙ Term`, left to right: a ⊙ b ⊙ c needs no brackets, and
        // anything but another such operator on the left is bracketed for the reader, (Wx) ⊙ y,
        // as a product on the right is, y ⊙ (Wx), though the grammar would not need it.
        const a = e.args[0]!;
      const b = e.args[1]!;
        const left = at(a, isInfix(a, format) ? Level.Entrywise : Level.Postfix);
        return { text: spec.print(format, [left.text, at(b, Level.Postfix).text], e, shapes), level: Level.Entrywise };
      }
      const text = spec.print(format, e.args.map((x) => print(x, format, ctx).text), e, shapes);
      // log|A|² would square |A|: a call that starts with its name (or √) is bracketed before a
      // postfix; ‖x‖, |X|, ⟨A, B⟩, 𝟙 and name(…) are delimited and are not.
      return { text, level: /^(?:‖|\||\\left|\(|⟨|𝟙$|ones$|\\mathbf\{1\}$)/u.test(text) || wrappedInParentheses(text) ? Level.Atom : Level.Product };
    }
  }
}
