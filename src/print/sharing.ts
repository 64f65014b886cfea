// Named subexpressions (NOTATION.md, "Asking for a derivative"): an answer that uses a piece
// twice names it once, as a textbook does, `Kᵀ(diag(s) − ssᵀ)V(Vᵀs − y)/√d, where s =
// softmax(Kq/√d)`. The derivative engine shares subtrees in memory (the 190 nested inverses'
// gradient is 1,519 objects that print as 109,438 nodes), so the pieces are found on that graph,
// in time linear in its distinct nodes: each distinct subexpression gets an integer id made from
// its children's ids (hash-consing), never a key string as long as the subtree.
import { type Expr, StructureIds, sym, withArgs } from "../ast.js";
import { type Context, type SymbolInfo, extendedContext } from "../context.js";
import { shapeOf } from "../shapes/infer.js";
import { factorsOf, isScalar, isVector } from "../shapes/shape.js";
import { type TextFormat, formatExpr } from "./expression.js";
import { symbolName } from "./names.js";

export interface Definition {
  readonly name: string;
  readonly expr: Expr;
}

export interface SharedAnswer {
  /** The answer with each named piece replaced by its name. */
  readonly body: Expr;
  /** The named pieces, each after the pieces it uses. */
  readonly where: readonly Definition[];
  /** The answer's context with the named pieces defined (to print and read them). */
  readonly ctx: Context;
}

/** The functions whose value a textbook calls h (an activation) or s (softmax). */
const ACTIVATIONS = new Set(["sigmoid", "tanh", "relu", "softplus"]);
const NAMED_WHEN_TWICE = new Set([...ACTIVATIONS, "softmax", "exp", "log", "logsumexp"]);
const SMALL_LETTERS = [..."uvwzrgpqabc"];
const CAPITALS = [..."MNPQRSTUGH"];

/**
 * Names each piece of the answer that a reader would otherwise read again: one that occurs twice
 * or more in the printed answer, once the larger pieces around it are named, and that either
 * makes the answer shorter when named (counting the where clause) or is an activation, softmax
 * or other entrywise function of more than a symbol (h = sigmoid(Xw) in a Hessian). Never a
 * symbol with ᵀ, ⁻¹ or −: naming Xᵀ or K⁻¹ saves nothing.
 */
export function nameShared(answer: Expr, ctx: Context): SharedAnswer {
  if (nothingToName(answer)) return { body: answer, where: [], ctx };
  const ids = new StructureIds();
  const root = ids.of(answer);
  const { nodes, children } = ids;
  // ids are made children first, so counting down from the root visits parents before children
  const occurrences = new Array<number>(nodes.length).fill(0);
  const size = nodes.map(() => 0);
  for (let v = 0; v <= root; v++) size[v] = Math.min(1 + children[v]!.reduce((w, c) => w + size[c]!, 0), Number.MAX_SAFE_INTEGER);
  occurrences[root] = 1;
  const named = new Set<number>();
  for (let v = root; v >= 0; v--) {
    const n = occurrences[v]!;
    if (n === 0) continue;
    if (v !== root && n >= 2 && !isSimple(nodes[v]!) && (savesNodes(n, size[v]!) || isEntrywiseOfMore(nodes[v]!))) named.add(v);
    const below = children[v]!;
    for (let i = 0; i < below.length; i++) occurrences[below[i]!] += named.has(v) ? 1 : n;
  }
  if (named.size === 0) return { body: answer, where: [], ctx };

  const order = [...named].sort((a, b) => a - b);
  const names = chooseNames(order.map((v) => nodes[v]!), ctx);
  const rebuilt = new Map<number, Expr>();
  const rebuild = (v: number): Expr => {
    const done = rebuilt.get(v);
    if (done) return done;
    const e = nodes[v]!;
    const made = e.args.length ? withArgs(e, children[v]!.map((c) => (named.has(c) ? sym(names.get(c)!) : rebuild(c)))) : e;
    rebuilt.set(v, made);
    return made;
  };
  for (let v = 0; v <= root; v++) if (occurrences[v]) rebuild(v);
  const where = order.map((v) => ({ name: names.get(v)!, expr: rebuilt.get(v)! }));
  return { body: rebuilt.get(root)!, where, ctx: withDefinitions(ctx, where) };

  function chooseNames(pieces: readonly Expr[], context: Context): Map<number, string> {
    // the input's names: its symbols and its dimensions (N in X: N×D is not free to name a piece)
    const taken = new Set(context.symbols.keys());
    for (const info of context.symbols.values())
      for (const d of context.dims.resolveShape(info.shape)) for (const f of factorsOf(d)) if (typeof f === "string") taken.add(f);
    const out = new Map<number, string>();
    const generic: number[] = [];
    order.forEach((v, i) => {
      const e = pieces[i]!;
      const natural = e.op === "call" ? (e.fn === "softmax" ? "s" : ACTIVATIONS.has(e.fn!) ? "h" : undefined) : undefined;
      if (natural && !taken.has(natural)) {
        taken.add(natural);
        out.set(v, natural);
      } else generic.push(v);
    });
    // a few pieces get letters of their own; a family of them (the nested inverses) one letter, numbered
    if (generic.length <= 3) {
      for (const v of generic) {
        const name = freshLetter(taken, lettersFor(nodes[v]!, context));
        taken.add(name);
        out.set(v, name);
      }
    } else {
      const letter = freshLetter(taken, CAPITALS, (l) => generic.every((_, i) => !taken.has(`${l}_${i + 1}`)));
      generic.forEach((v, i) => out.set(v, `${letter}_${i + 1}`));
    }
    return out;
  }
}

/**
 * Whether no piece of the answer can be named, told without numbering its structures: a piece
 * used n ≥ 2 times that saves nodes has n·size ≥ 16 (2·10, 3·6, 4·4; see savesNodes), and the
 * uses of a piece are disjoint subtrees below the root, so an answer of 16 nodes or fewer (as a
 * tree) names only an entrywise function, and one without such a function names nothing.
 */
function nothingToName(answer: Expr): boolean {
  const stack = [answer];
  for (let nodes = 0; stack.length; nodes++) {
    const e = stack.pop()!;
    if (nodes === SMALLEST_NAMING_TREE - 1 || (e.op === "call" && NAMED_WHEN_TWICE.has(e.fn!))) return false;
    for (let i = 0; i < e.args.length; i++) stack.push(e.args[i]!);
  }
  return true;
}

const SMALLEST_NAMING_TREE = 17;

/**
 * Whether naming a piece of `size` nodes used `uses` times makes the printed answer smaller: each
 * use becomes one node, the piece is printed once, and its `, name = ` counts as DEFINITION_COST
 * nodes — set so that a piece used twice is named from 10 nodes up, not below
 * (XᵀAX, WᵀWx − x): a small piece reads better in place.
 */
const DEFINITION_COST = 7;
const savesNodes = (uses: number, size: number): boolean => uses * size > uses + size + DEFINITION_COST;

/** A symbol, a number, I, or one with ᵀ, ⁻¹ or − applied. */
function isSimple(e: Expr): boolean {
  if (e.args.length === 0) return true;
  if (e.op === "transpose" || e.op === "inv" || e.op === "neg") return isSimple(e.args[0]!);
  return e.op === "call" && e.fn === "ones";
}

/** sigmoid(Wx), softmax(Kq/√d): what a textbook names even when it occurs only twice. */
const isEntrywiseOfMore = (e: Expr): boolean => e.op === "call" && (NAMED_WHEN_TWICE.has(e.fn!)) && !isSimple(e.args[0]!);

function lettersFor(e: Expr, ctx: Context): readonly string[] {
  const shape = ctx.dims.resolveShape(shapeOf(e, ctx));
  return isScalar(shape) || isVector(shape) ? SMALL_LETTERS : CAPITALS;
}

function freshLetter(taken: ReadonlySet<string>, letters: readonly string[], fits: (l: string) => boolean = () => true): string {
  const free = letters.find((l) => !taken.has(l) && fits(l));
  if (free) return free;
  for (let i = 1; ; i++) if (!taken.has(`${letters[0]}_${i}`)) return `${letters[0]}_${i}`;
}

/** The context with each piece defined under its name (its shape from the piece). */
function withDefinitions(ctx: Context, where: readonly Definition[]): Context {
  const extended = extendedContext(ctx);
  for (const { name, expr } of where) {
    const info: SymbolInfo = { name, shape: shapeOf(expr, extended), properties: new Set(), definition: expr, declared: true };
    extended.symbols.set(name, info);
    extended.definitionOrder.push(name);
  }
  return extended;
}

const WHERE: Record<TextFormat, (body: string, definitions: readonly string[]) => string> = {
  unicode: (body, definitions) => `${body}, where ${definitions.join(", ")}`,
  ascii: (body, definitions) => `${body}, where ${definitions.join(", ")}`,
  latex: (body, definitions) => `${body} \\quad\\text{where } ${definitions.join(",\\; ")}`,
};

/** An answer as printed for a reader: its shared pieces named in a where clause. */
export function formatAnswer(answer: Expr, format: TextFormat, ctx: Context): string {
  const { body, where, ctx: named } = nameShared(answer, ctx);
  const text = formatExpr(body, format, named);
  if (where.length === 0) return text;
  return WHERE[format](text, where.map((d) => `${symbolName(d.name, format)} = ${formatExpr(d.expr, format, named)}`));
}
