// Derivatives inside a claim, replaced by their values (NOTATION.md, "Asking for a derivative"):
//
//   ∂L/∂X, dL/dX, \frac{\partial L}{\partial X}, \nabla_X L   L scalar: the gradient, with the
//        adjoint meaning when X is a definition (X held free, definitions kept as symbols)
//   ∂L/∂K⁻¹, \frac{\partial L}{\partial K^{-1}}   by an expression: the adjoint of that
//        sub-expression, wherever it occurs as written in L and in the definitions L uses
//   \frac{\partial tr(XA)}{\partial X}, ∂tr(XA)/∂X   of an expression
//   ∂c/∂d · G (or G · ∂c/∂d), c a vector or matrix and G of c's shape: the chain rule written
//        by hand, Σᵢⱼ Gᵢⱼ ∂cᵢⱼ/∂d, i.e. ∂tr(Gᵀc)/∂d with G held constant
//
// The parser reads derivatives of one symbol by one symbol; the other forms are cut out of
// the text here (replaced by a placeholder name of at most the same length, padded with
// spaces, so that positions do not move) and parsed piece by piece.
import { type Expr, type Span, call, key, mapBottomUp, mul, postorder, product, sym, transpose, node, withArgs } from "../ast.js";
import type { Context, SymbolInfo } from "../context.js";
import { gradient, withDerivativesWrittenOut } from "../derive/gradient.js";
import { derivative, hessian } from "../derive/jacobian.js";
import { MatcalcError } from "../errors.js";
import { formatExpr } from "../print/expression.js";
import { inferShapes, shapeOf } from "../shapes/infer.js";
import { type Shape, isScalar } from "../shapes/shape.js";
import { simplifyLocally } from "../simplify/simplify.js";
import { isSymmetric } from "../simplify/symmetry.js";
import { parseExpression } from "../syntax/parse.js";
import { sameShape } from "./equality.js";
import { matchingBrace } from "./text.js";

// ---------------------------------------------------------------- reading

interface Cut {
  readonly start: number;
  readonly end: number;
  readonly name: string;
  readonly f: { text: string; start: number };
  readonly v: { text: string; start: number };
  /** 2: a Hessian ∂²f/∂x∂xᵀ (read as the derivative of the gradient). */
  readonly order?: 2;
}

const PLACEHOLDER = "Qdv";
const LETTERS = "abcdefghijklmnopqrstuvwxyz";
const placeholderName = (i: number): string => PLACEHOLDER + LETTERS[Math.floor(i / 26) % 26] + LETTERS[i % 26];

/**
 * Parse one side of a claim. Spans are relative to `text`; a MatcalcError carries `text` as
 * its source. Derivatives stay `grad` calls (the variable may be an expression here).
 */
export function parseSide(text: string, names: ReadonlySet<string>): Expr {
  const cuts = findCuts(text);
  if (cuts.length === 0) return fixPostfixVariables(parseExpression(text, { names }), text);
  let replaced = text;
  // a space before the stand-in keeps it apart from a command before it (\odot\frac{…}{…})
  for (const c of cuts) replaced = replaced.slice(0, c.start) + ` ${c.name}`.padEnd(c.end - c.start, " ") + replaced.slice(c.end);
  const all = new Set(names);
  for (const c of cuts) all.add(c.name);
  let parsed: Expr;
  try {
    parsed = parseOrRelocate(replaced, all, text, 0);
  } catch (err) {
    // a message names the derivative as written, never its stand-in
    if (!(err instanceof MatcalcError)) throw err;
    const written = (m: string) => cuts.reduce((acc, c) => acc.split(c.name).join(text.slice(c.start, c.end).trim()), m);
    throw new MatcalcError(written(err.message), err.span, err.source, err.category);
  }
  const byName = new Map<string, Expr>();
  for (const c of cuts) {
    const f = parseOrRelocate(c.f.text, names, text, c.f.start);
    const v = parseOrRelocate(c.v.text, names, text, c.v.start);
    const span = { start: c.start, end: c.end };
    byName.set(c.name, c.order === 2 ? call("grad", [call("grad", [f, v], span), v], span) : call("grad", [f, v], span));
  }
  const out = mapBottomUp(parsed, (n) => (n.op === "sym" && byName.has(n.name!) ? byName.get(n.name!)! : n));
  return fixPostfixVariables(out, text);
}

/** Parse a stretch of `source` starting at `offset`: spans and errors relative to `source`. */
function parseOrRelocate(text: string, names: ReadonlySet<string>, source: string, offset: number): Expr {
  let e: Expr;
  try {
    e = parseExpression(text, { names });
  } catch (err) {
    if (err instanceof MatcalcError) {
      const span = err.span ? { start: err.span.start + offset, end: err.span.end + offset } : { start: offset, end: offset + text.length };
      throw new MatcalcError(err.message, span, source, err.category);
    }
    throw err;
  }
  if (offset === 0) return e;
  return mapBottomUp(e, (n) => (n.span ? node(n.op, n.args, n.name, n.value, n.fn, n.sub, n.dim, { start: n.span.start + offset, end: n.span.end + offset }) : n));
}

/** \frac{∂F}{∂V} and ∂F/∂V that the parser does not read: F or V not one symbol. */
function findCuts(text: string): Cut[] {
  const cuts: Cut[] = [];
  for (let i = 0; i < text.length; i++) {
    for (const read of DERIVATIVE_READERS) {
      const found = read(text, i);
      if (!found) continue;
      if (found.cut) cuts.push({ ...found.cut, name: placeholderName(cuts.length) });
      i = found.end - 1;
      break;
    }
  }
  // a placeholder must fit in the text it replaces
  return cuts.filter((c) => c.end - c.start >= PLACEHOLDER.length + 3);
}

/** A derivative written at an offset: where it ends, and the cut, unless the parser reads it as it is. */
interface Found {
  readonly end: number;
  readonly cut?: Omit<Cut, "name">;
}

/** The ways a derivative is written, tried in turn at each offset. */
const DERIVATIVE_READERS: readonly ((text: string, i: number) => Found | undefined)[] = [
  (text, i) => {
    const second = hessianAt(text, i);
    return second && { end: second.end, cut: { ...second, order: 2 } };
  },
  fractionAt,
  operatorAt,
  quotientAt,
  gradientAt,
];

/**
 * \nabla_x x^\top B x: ∇ with its variable applies to the rest of the side, as the operator form
 * \frac{\partial}{\partial x} does (to the bracket after it, if one follows).
 */
function gradientAt(text: string, i: number): Found | undefined {
  if (text[i] !== "\\" && text[i] !== "∇") return undefined;
  const cut = nablaApplied(text, i, NABLA);
  if (!cut) return undefined;
  // one symbol: the parser reads it as it is
  return isSimple(cut.f.text) ? { end: cut.end } : { end: cut.end, cut };
}

/** \frac{∂f}{∂x}, \frac{∂ tr(XA)}{∂X}, and the operator form \frac{∂}{∂x}(xᵀAx). */
function fractionAt(text: string, i: number): Found | undefined {
  const braces = fracAt(text, i);
  if (!braces) return undefined;
  const { o1, c1, o2, c2 } = braces;
  const num = marker(text, o1 + 1, c1);
  const den = marker(text, o2 + 1, c2);
  if (!num || !den || num.kind !== den.kind) return undefined;
  const f = { text: text.slice(num.rest, c1), start: num.rest };
  const v = { text: text.slice(den.rest, c2), start: den.rest };
  if (v.text.trim() === "") return undefined;
  if (f.text.trim() === "") {
    // the operator form \frac{\partial}{\partial x}(xᵀAx): the operand follows
    const operand = operandAfter(text, c2 + 1);
    if (!operand) return undefined;
    const end = operand.start + operand.text.length;
    return { end, cut: { start: i, end, f: operand, v } };
  }
  // one symbol by one symbol: the parser reads it
  if (isSimple(f.text) && isSimple(v.text)) return { end: c2 + 1 };
  return { end: c2 + 1, cut: { start: i, end: c2 + 1, f, v } };
}

const isSimple = (s: string) => /^\s*(?:[A-Za-z]|\\[A-Za-z]+|[\p{Script=Greek}])\s*(?:_\s*(?:\{[^{}]*\}|[A-Za-z0-9])|[₀-₉]+)?\s*$/u.test(s);

/** A plain `d` that begins a derivative (d/dx, d(xᵀAx)/dx): not the end of a word or a command. */
const plainD = (text: string, i: number) => text[i] === "d" && !/[\p{L}\p{N}\\_]/u.test(text[i - 1] ?? "");

/** The operator form ∂/∂x (xᵀAx), and in plain text d/dx (xᵀAx). */
function operatorAt(text: string, i: number): Found | undefined {
  if (text[i] !== "∂" && !plainD(text, i)) return undefined;
  const head = (text[i] === "∂" ? /^∂\s*\/\s*∂/ : /^d\s*\/\s*d(?=[A-Za-z\\\p{Script=Greek}])/u).exec(text.slice(i))?.[0];
  if (!head) return undefined;
  const v = VARIABLE;
  v.lastIndex = i + head.length;
  const vm = v.exec(text);
  if (!vm) return undefined;
  const operand = operandAfter(text, i + head.length + vm[0].length);
  if (!operand) return undefined;
  const end = operand.start + operand.text.length;
  return { end, cut: { start: i, end, f: operand, v: { text: vm[0], start: i + head.length } } };
}

/** ∂tr(XA)/∂X, ∂(xᵀAx)/∂x, and in plain text d(xᵀAx)/dx: a bracketed function over ∂ (d) and a variable. */
function quotientAt(text: string, i: number): Found | undefined {
  const by = text[i] === "∂" ? "∂" : plainD(text, i) ? "d" : undefined;
  if (!by) return undefined;
  let j = i + 1;
  while (text[j] === " ") j++;
  const word = /[A-Za-z]*\s*\(/y;
  word.lastIndex = j;
  const w = word.exec(text);
  if (!w) return undefined;
  const open = j + w[0].length - 1;
  const close = matchingParen(text, open);
  if (close < 0) return undefined;
  let k = close + 1;
  while (text[k] === " ") k++;
  if (text[k] !== "/") return undefined;
  k++;
  while (text[k] === " ") k++;
  if (text[k] !== by) return undefined;
  const v = VARIABLE;
  v.lastIndex = k + 1;
  const vm = v.exec(text);
  if (!vm) return undefined;
  const end = k + 1 + vm[0].length;
  return { end, cut: { start: i, end, f: { text: text.slice(j, close + 1), start: j }, v: { text: vm[0], start: k + 1 } } };
}

/** A variable in LaTeX: x, \mathbf{x}, \mathbf x, \boldsymbol\theta, x_1 (fonts and spaces ignored when two are compared). */
const LATEX_VARIABLE = String.raw`(?:\\(?:mathbf|boldsymbol|bm|bold|vec|mathit)\s*(?:\{\s*(?:\\[A-Za-z]+|[A-Za-z])\s*\}|\\[A-Za-z]+|[A-Za-z])|\\[A-Za-z]+|[A-Za-z\p{Script=Greek}])(?:_\s*(?:\{[^{}]*\}|[A-Za-z0-9]))?`;
const TRANSPOSED = String.raw`\s*(?:\^\s*(?:\{\s*(?:\\top|T|\\intercal|\\mathsf\s*\{?T\}?|\\mathrm\s*\{?T\}?|\\!\s*\\top)\s*\}|\\top|T|\\intercal)|ᵀ)`;
const THIN = String.raw`(?:\s|\\[,;:!]|\\q?quad)*`;
/** The denominator of a Hessian: ∂x∂xᵀ, ∂x ∂x^\top, ∂x^2, ∂x² (the two variables the same). */
const HESSIAN_DENOMINATOR = new RegExp(
  String.raw`^${THIN}(?:\\partial|∂)${THIN}(${LATEX_VARIABLE})${THIN}(?:(?:\\partial|∂)${THIN}(${LATEX_VARIABLE})(?:${TRANSPOSED})?|\^\s*\{?\s*2\s*\}?|²)${THIN}$`,
  "u",
);
/** `\frac{…}{…}` (or \dfrac, \tfrac) at i: the offsets of its four braces, when both groups close. */
function fracAt(text: string, i: number): { o1: number; c1: number; o2: number; c2: number } | undefined {
  const m = /\\[dt]?frac\s*\{/y;
  m.lastIndex = i;
  const head = m.exec(text);
  if (!head) return undefined;
  const o1 = i + head[0].length - 1;
  const c1 = matchingBrace(text, o1);
  if (c1 < 0) return undefined;
  const o2 = text.slice(c1 + 1).search(/\S/) + c1 + 1;
  if (text[o2] !== "{") return undefined;
  const c2 = matchingBrace(text, o2);
  return c2 < 0 ? undefined : { o1, c1, o2, c2 };
}

const SECOND = String.raw`(?:\\partial|∂)\s*(?:\^\s*\{?\s*2\s*\}?|²)`;
/** ∂²f/∂x∂xᵀ, and in plain text d²f/dx dxᵀ, d^2f/dx dx': the second derivative over `by` twice. */
const secondBySlash = (second: string, by: string) =>
  new RegExp(String.raw`${second}\s*(\(.*?\)|${LATEX_VARIABLE})\s*/\s*(${by}\s*(${LATEX_VARIABLE})\s*(?:${by}\s*(${LATEX_VARIABLE})(?:${TRANSPOSED}|')?|²|\^\s*\{?2\}?))`, "uy");
const SECOND_BY_SLASH = secondBySlash(SECOND, "∂");
const PLAIN_SECOND_BY_SLASH = secondBySlash(String.raw`d\s*(?:\^\s*\{?\s*2\s*\}?|²)`, "d");

/**
 * A Hessian at i: \frac{\partial^2 f}{\partial x \partial x^\top}, \frac{\partial^2 f}{\partial x^2},
 * ∂²f/∂x∂xᵀ, \nabla^2_x f, \nabla_x^2 f, ∇²_x f.
 */
function hessianAt(text: string, i: number): Omit<Cut, "name" | "order"> | undefined {
  const same = (a: string, b: string | undefined) => b === undefined || bare(a) === bare(b);
  const braces = fracAt(text, i);
  if (braces) {
    const { o1, c1, o2, c2 } = braces;
    const head = new RegExp(String.raw`^\s*${SECOND}`, "y").exec(text.slice(o1 + 1, c1));
    if (!head) return undefined;
    const den = HESSIAN_DENOMINATOR.exec(text.slice(o2 + 1, c2));
    if (!den || !same(den[1]!, den[2])) return undefined;
    const fStart = o1 + 1 + head[0].length;
    let f = { text: text.slice(fStart, c1), start: fStart };
    let end = c2 + 1;
    if (f.text.trim() === "") {
      const operand = operandAfter(text, end);
      if (!operand) return undefined;
      f = operand;
      end = operand.start + operand.text.length;
    }
    return { start: i, end, f, v: { text: den[1]!, start: o2 + 1 + den[0].indexOf(den[1]!) } };
  }
  // ∂²f/∂x∂xᵀ, and in plain text d²f/dx dxᵀ, d^2f/dx dx' (d not inside a word)
  const slash = text[i] === "d" && !/[A-Za-z\\]/.test(text[i - 1] ?? "") ? PLAIN_SECOND_BY_SLASH : SECOND_BY_SLASH;
  slash.lastIndex = i;
  const u = slash.exec(text);
  if (u) {
    if (!same(u[3]!, u[4])) return undefined;
    const fStart = text.indexOf(u[1]!, i);
    return { start: i, end: i + u[0].length, f: { text: u[1]!, start: fStart }, v: { text: u[3]!, start: text.indexOf(u[3]!, fStart + u[1]!.length) } };
  }
  // \nabla^2_x f, \nabla_x^2 f, ∇²_x f
  return nablaApplied(text, i, NABLA_SQUARED);
}

const NABLA_SQUARED = new RegExp(String.raw`(?:\\nabla|∇)\s*(?:(?:\^\s*\{?\s*2\s*\}?|²)\s*_\s*(\{[^{}]*\}|${LATEX_VARIABLE})|_\s*(\{[^{}]*\}|${LATEX_VARIABLE})\s*(?:\^\s*\{?\s*2\s*\}?|²))`, "uy");
const NABLA = new RegExp(String.raw`(?:\\nabla(?![A-Za-z])|∇)\s*_\s*(\{[^{}]*\}|${LATEX_VARIABLE})(?!\s*(?:\^|²))`, "uy");

/** ∇ and its variable, as `pattern` matches them at i, applied to the bracket after them, else to the rest of the side. */
function nablaApplied(text: string, i: number, pattern: RegExp): Omit<Cut, "name" | "order"> | undefined {
  pattern.lastIndex = i;
  const n = pattern.exec(text);
  if (!n) return undefined;
  const variable = (n[1] ?? n[2])!;
  const operand = operandAfter(text, i + n[0].length);
  if (!operand) return undefined;
  const inner = variable.startsWith("{") ? variable.slice(1, -1) : variable;
  return { start: i, end: operand.start + operand.text.length, f: operand, v: { text: inner, start: text.indexOf(inner, i) } };
}

/** A variable's text without fonts, braces and spaces: \mathbf{x} and \mathbf x are x. */
function bare(v: string): string {
  return v.replace(/\\(?:mathbf|boldsymbol|bm|bold|vec|mathit)(?![A-Za-z])/g, "").replace(/[\s{}]/g, "");
}

/** The variable of ∂…/∂V written in Unicode: a symbol, perhaps with a subscript and ⁻¹, ᵀ, ^{-1}. */
const VARIABLE = /\s*(?:(?:vec|\\operatorname\s*\{\s*vec\s*\}|\\mathrm\s*\{\s*vec\s*\})\s*\(\s*[A-Za-z]\s*\)|[A-Za-z]|\\[A-Za-z]+|[\p{Script=Greek}])(?:_\s*(?:\{[^{}]*\}|[A-Za-z0-9])|[₀-₉]+)?(?:⁻¹|⁻ᵀ|ᵀ|\^\s*\{[^{}]*\}|\^\s*-?\s*[0-9A-Za-z]|\^\\top)?/uy;

/**
 * What a derivative operator applies to: a bracketed group right after it (`(…)`, `\left(…\right)`,
 * `[…]`), else the rest of the side.
 */
function operandAfter(text: string, from: number): { text: string; start: number } | undefined {
  let k = from;
  while (k < text.length && /\s/.test(text[k]!)) k++;
  if (k >= text.length) return undefined;
  const sized = /^\\(?:left|bigl?|Bigl?|biggl?|Biggl?)(?![A-Za-z])\s*/.exec(text.slice(k));
  const open = k + (sized ? sized[0].length : 0);
  if (text[open] === "(" || text[open] === "[") {
    let depth = 0;
    for (let j = open; j < text.length; j++) {
      const c = text[j]!;
      if (c === "(" || c === "[" || c === "{") depth++;
      else if ((c === ")" || c === "]" || c === "}") && --depth === 0) return { text: text.slice(k, j + 1), start: k };
    }
    return undefined;
  }
  const rest = text.slice(k).trimEnd();
  return rest ? { text: rest, start: k } : undefined;
}

function marker(text: string, from: number, to: number): { kind: "partial" | "d"; rest: number } | undefined {
  const s = text.slice(from, to);
  const lead = s.length - s.trimStart().length;
  const t = s.trimStart();
  const partial = /^(?:\\partial(?![A-Za-z])|∂)/.exec(t);
  if (partial) return { kind: "partial", rest: from + lead + partial[0].length };
  // \frac{d}{dx}: a d alone is the operator's
  const d = /^(?:\\mathrm\s*\{\s*d\s*\}|d(?=[\sA-Za-z\\(]|$))/.exec(t);
  if (d) return { kind: "d", rest: from + lead + d[0].length };
  return undefined;
}

function matchingParen(t: string, open: number): number {
  let depth = 0;
  for (let i = open; i < t.length; i++) {
    if (t[i] === "(") depth++;
    else if (t[i] === ")" && --depth === 0) return i;
  }
  return -1;
}

/**
 * The parser reads ∂L/∂K⁻¹ as (∂L/∂K)⁻¹. Written without brackets, and not after a \frac's
 * closing brace, the postfix belongs to the variable: the derivative by K⁻¹.
 */
function fixPostfixVariables(e: Expr, text: string): Expr {
  return mapBottomUp(e, (n) => {
    if (n.op !== "inv" && n.op !== "transpose") return n;
    // the chain of postfixes down to a grad
    const chain: Expr[] = [];
    let g: Expr = n;
    while ((g.op === "inv" || g.op === "transpose") && g.span && g.args[0]!.span && g.span.start === g.args[0]!.span.start) {
      chain.push(g);
      g = g.args[0]!;
    }
    if (g.op !== "call" || g.fn !== "grad" || !g.span || chain.length === 0) return n;
    if (text[g.span.end - 1] === "}" || text[g.span.end - 1] === ")") return n;
    if (g.args[1]!.op !== "sym") return n;
    let v: Expr = g.args[1]!;
    for (const p of chain.reverse()) v = { op: p.op, args: [v], span: { start: g.args[1]!.span?.start ?? p.span!.start, end: p.span!.end } };
    return call("grad", [g.args[0]!, v], n.span);
  });
}

// ---------------------------------------------------------------- values

type Resolved = { readonly expr: Expr } | { readonly jacobian: { readonly y: Expr; readonly x: Expr; readonly span?: Span } };

/**
 * Derivatives replaced by their values, in one section's context. Gradients are cached: the
 * same ∂L/∂c is asked for on many lines.
 */
export class Derivatives {
  private cache = new Map<string, Expr>();
  private fresh = 0;
  /** How many Jacobians have been made into matrices (for `resolve`). */
  private jacobians = 0;

  constructor(private readonly ctx: Context) {}

  /**
   * The expression with every derivative replaced by its value, shapes inferred; `jacobian` when
   * a Jacobian (or Hessian, or vec–Kronecker matrix) stands in it as a matrix of its own.
   */
  resolve(e: Expr, source: string): { expr: Expr; derivatives: number; jacobian: boolean } {
    let count = 0;
    for (const n of postorder(e)) if (n.op === "call" && n.fn === "grad") count++;
    // a scalar added to a vector is added to each entry, as homework writes h ⊙ (1 − h)
    if (count === 0) return { expr: withDerivativesWrittenOut(inferShapes(e, this.ctx, source, { broadcast: true }).expr, this.ctx, source), derivatives: 0, jacobian: false };
    const before = this.jacobians;
    const r = this.walk(e, source);
    const expr = "jacobian" in r ? this.jacobianOf(r.jacobian, source) : r.expr;
    return { expr: withDerivativesWrittenOut(inferShapes(expr, this.ctx, source, { broadcast: true }).expr, this.ctx, source), derivatives: count, jacobian: this.jacobians > before };
  }

  private walk(e: Expr, source: string): Resolved {
    if (e.op === "call" && e.fn === "grad") return this.derivative(e, source);
    if (e.op === "mul") return { expr: this.product(e, source) };
    if (!e.args.length) return { expr: e };
    const args = e.args.map((a) => {
      const r = this.walk(a, source);
      return "jacobian" in r ? this.jacobianOf(r.jacobian, source) : r.expr;
    });
    return { expr: args.every((a, i) => a === e.args[i]) ? e : withArgs(e, args) };
  }

  private product(e: Expr, source: string): Expr {
    const factors: Expr[] = [];
    const flatten = (n: Expr) => {
      if (n.op === "mul") n.args.forEach(flatten);
      else factors.push(n);
    };
    flatten(e);
    const resolved = factors.map((f) => this.walk(f, source));
    const out: Expr[] = [];
    for (let i = 0; i < resolved.length; i++) {
      const r = resolved[i]!;
      if (!("jacobian" in r)) {
        out.push(r.expr);
        continue;
      }
      const { y, x } = r.jacobian;
      const want = shapeOf(y, this.ctx);
      const next = resolved[i + 1];
      if (next && "expr" in next && this.fits(next.expr, want, source)) {
        out.push(this.chainRule(y, x, next.expr, source));
        i++;
      } else if (out.length && this.fits(out[out.length - 1]!, want, source)) {
        out.push(this.chainRule(y, x, out.pop()!, source));
      } else out.push(this.jacobianOf(r.jacobian, source));
    }
    return product(out);
  }

  private fits(g: Expr, want: Shape, source: string): boolean {
    return sameShape(inferShapes(g, this.ctx, source).shape, want, this.ctx);
  }

  /**
   * ∂y/∂x as a matrix of its own (NOTATION.md's layouts): the Jacobian J_ij = ∂y_i/∂x_j of
   * vectors, ∂vec(F)/∂vec(X) when written so, ∂F/∂α by a scalar, and the Hessian ∂²f/∂x∂xᵀ
   * (written as the derivative of a gradient). A matrix by a matrix written without vec is a
   * 4-tensor: not supported.
   */
  private jacobianOf(j: { y: Expr; x: Expr; span?: Span }, source: string): Expr {
    const show = (e: Expr) => formatExpr(e, "unicode", this.ctx);
    const fail = (why: string) => new MatcalcError(`not supported: ∂${show(j.y)}/∂${show(j.x)}: ${why}`, j.span, source, "unsupported");
    const vecOf = (e: Expr) => (e.op === "call" && e.fn === "vec" ? e.args[0]! : undefined);
    const variable = vecOf(j.x) ?? j.x;
    if (variable.op !== "sym") throw fail("a Jacobian is taken by a symbol (or vec of one)");
    const name = variable.name!;
    const hessianOf = j.y.op === "call" && j.y.fn === "grad" && key(j.y.args[1]!) === key(variable) ? j.y.args[0]! : undefined;
    const y = hessianOf ?? vecOf(j.y) ?? j.y;
    const k = `jacobian:${hessianOf ? "2" : "1"}|${key(y)}|${name}`;
    let value = this.cache.get(k);
    if (!value) {
      const F = this.ctx.dims.resolveShape(shapeOf(y, this.ctx));
      const X = this.ctx.dims.resolveShape(this.ctx.symbols.get(name)!.shape);
      const flat = (s: Shape, vec: boolean) => vec || s[1] === 1;
      if (!hessianOf && !isScalar(X) && !(flat(F, vecOf(j.y) !== undefined) && flat(X, vecOf(j.x) !== undefined)))
        throw fail("the derivative of a matrix, or by a matrix, has no matrix form; write ∂vec(F)/∂vec(X) for its vec–Kronecker form");
      if (hessianOf && !flat(X, vecOf(j.x) !== undefined)) throw fail("a Hessian by a matrix is taken by vec(X): write it ∂²f/∂vec(X)∂vec(X)ᵀ");
      const d = hessianOf ? hessian(y, name, this.ctx) : derivative(y, name, this.ctx);
      value = inferShapes(simplifyLocally(inferShapes(d.derivative, this.ctx).expr, this.ctx), this.ctx).expr;
      this.cache.set(k, value);
    }
    this.jacobians++;
    return value;
  }

  private derivative(e: Expr, source: string): Resolved {
    const [f, v] = e.args as [Expr, Expr];
    // ∂/∂x of ∂f/∂x (a Hessian) is the one derivative of a derivative read
    const second = f.op === "call" && f.fn === "grad" && key(f.args[1]!) === key(v) ? f : undefined;
    for (const n of postorder(second ? second.args[0]! : f))
      if (n.op === "call" && n.fn === "grad")
        throw new MatcalcError("not supported: a derivative of a derivative", e.span, source, "unsupported");
    const inner = second ? second.args[0]! : f;
    // a name used before without a declaration has an inferred shape, but no value to differentiate
    const known = inner.op === "sym" ? this.ctx.symbols.get(inner.name!) : undefined;
    if (inner.op === "sym" && (!known || (!known.definition && !known.declared)))
      throw new MatcalcError(`\`${inner.name}\` is not defined: define it first (\`${inner.name} := …\` or \`${inner.name} = …\`)`, inner.span ?? e.span, source, "name");
    // a variable that is not declared takes the shape its use in f gives it: ∂(Wx)/∂x
    const typedInner = inferShapes(inner, this.ctx, source);
    if (second) {
      if (!isScalar(typedInner.shape)) throw new MatcalcError("not supported: a second derivative of a vector or matrix (a third-order array)", e.span, source, "unsupported");
      return { jacobian: { y: { ...second, args: [typedInner.expr, v] }, x: v, span: e.span } };
    }
    if (v.op === "sym") {
      const info = this.ctx.symbols.get(v.name!);
      if (!info) throw new MatcalcError(`\`${v.name}\` is not declared or defined`, v.span ?? e.span, source, "name");
      if (info.dimension) throw new MatcalcError(`\`${v.name}\` is a dimension, not a variable`, v.span ?? e.span, source, "name");
    }
    const typedF = typedInner;
    const typedV = v.op === "sym" ? v : inferShapes(v, this.ctx, source).expr;
    if (!isScalar(typedF.shape)) return { jacobian: { y: typedF.expr, x: typedV, span: e.span } };
    // ∂f/∂vec(X): the gradient, stacked
    if (typedV.op === "call" && typedV.fn === "vec" && typedV.args[0]!.op === "sym")
      return { expr: call("vec", [this.gradientOf(typedF.expr, typedV.args[0]!)]) };
    try {
      return { expr: this.gradientOf(typedF.expr, typedV) };
    } catch (err) {
      if (err instanceof MatcalcError && err.source === undefined) throw new MatcalcError(err.message, err.span ?? e.span, source, err.category);
      throw err;
    }
  }

  /** ∂f/∂v of a scalar f: v a symbol, or an expression (its adjoint, as written in f). */
  gradientOf(f: Expr, v: Expr): Expr {
    const k = `${key(f)}|${key(v)}`;
    const known = this.cache.get(k);
    if (known) return known;
    const value = v.op === "sym" ? simplifyLocally(gradient(f, v.name!, this.ctx).gradient, this.ctx) : this.byExpression(f, v);
    const typed = inferShapes(value, this.ctx).expr;
    this.cache.set(k, typed);
    return typed;
  }

  /** Σᵢⱼ Gᵢⱼ ∂yᵢⱼ/∂x = ∂tr(Gᵀy)/∂x with G held constant. */
  private chainRule(y: Expr, x: Expr, g: Expr, source: string): Expr {
    const k = `vjp:${key(y)}|${key(x)}|${key(g)}`;
    const known = this.cache.get(k);
    if (known) return known;
    const phi = this.freshName();
    const shape = this.ctx.dims.resolveShape(shapeOf(g, this.ctx));
    const info: SymbolInfo = { name: phi, shape, properties: new Set(), declared: true };
    this.ctx.symbols.set(phi, info);
    let value: Expr;
    try {
      // Gᵀy is already a scalar for a vector y; tr(Gᵀy) for a matrix
      const inner = inferShapes(shape[1] === 1 ? mul(transpose(sym(phi)), y) : call("tr", [mul(transpose(sym(phi)), y)]), this.ctx, source).expr;
      value = this.gradientOf(inner, x);
    } finally {
      this.ctx.symbols.delete(phi);
    }
    const out = inferShapes(substitute(value, phi, g), this.ctx).expr;
    this.cache.set(k, out);
    return out;
  }

  /** The adjoint of the sub-expression v of f: v held free wherever it is written. */
  private byExpression(f: Expr, v: Expr): Expr {
    const ctx = this.ctx;
    const target = key(v);
    const psi = this.freshName();
    const replace = (e: Expr) => mapBottomUp(e, (n) => (key(n) === target ? sym(psi) : n));
    const symbols = new Map(ctx.symbols);
    let changed = false;
    for (const name of ctx.definitionOrder) {
      const info = symbols.get(name)!;
      const d = replace(info.definition!);
      if (d !== info.definition) {
        symbols.set(name, { ...info, definition: d });
        changed = true;
      }
    }
    const f2 = replace(f);
    if (!changed && f2 === f)
      throw new MatcalcError(
        `${formatExpr(v, "unicode", ctx)} does not occur as written in ${formatExpr(f, "unicode", ctx)} or its definitions`,
        v.span,
        undefined,
        "unsupported",
      );
    const properties = new Set<"symmetric">();
    if (isSymmetric(v, ctx)) properties.add("symmetric");
    symbols.set(psi, { name: psi, shape: shapeOf(v, ctx), properties, definition: v, declared: true });
    const order = topologicalOrder([...ctx.definitionOrder, psi], (n) => symbols.get(n)?.definition);
    const clone: Context = { symbols, dims: ctx.dims, definitionOrder: order, memo: new Map() };
    const g = gradient(inferShapes(f2, clone).expr, psi, clone);
    return simplifyLocally(inferShapes(substitute(g.gradient, psi, v), ctx).expr, ctx);
  }

  private freshName(): string {
    return `⟪${++this.fresh}⟫`;
  }
}

export function substitute(e: Expr, name: string, value: Expr): Expr {
  return mapBottomUp(e, (n) => (n.op === "sym" && n.name === name ? value : n));
}

/** Names ordered so that each comes after the names its definition uses. */
export function topologicalOrder(names: readonly string[], definitionOf: (name: string) => Expr | undefined): string[] {
  const set = new Set(names);
  const out: string[] = [];
  const state = new Map<string, 1 | 2>();
  const visit = (n: string) => {
    if (state.get(n) === 2) return;
    if (state.get(n) === 1) return; // a cycle: reported by the caller
    state.set(n, 1);
    const d = definitionOf(n);
    if (d) for (const m of postorder(d)) if (m.op === "sym" && set.has(m.name!) && m.name !== n) visit(m.name!);
    state.set(n, 2);
    out.push(n);
  };
  for (const n of names) visit(n);
  return out;
}
