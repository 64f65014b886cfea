// The expression tree every stage shares: parser → shapes → derivative → simplifier → printers.
// One uniform node type keeps pattern matching (rules/) and rewriting generic.

import { type Span, unsupported } from "./errors.js";

// A node's position is a Span, defined with the errors that point at it (errors sit below the tree).
export type { Span };

/** An exact rational, numerator and denominator coprime, denominator > 0. */
export interface Rational {
  readonly n: number;
  readonly d: number;
}

export type Op =
  | "sym" // a symbol: matrix, vector, scalar or dimension name (name)
  | "num" // an exact rational constant (value)
  | "identity" // I; its size (dim) is filled in by shape inference
  | "add" // n-ary sum, args.length ≥ 2
  | "neg" // −a
  | "mul" // binary product; scalar·anything or a matrix product, decided by shapes
  | "div" // a / s with s scalar
  | "transpose" // aᵀ
  | "inv" // a⁻¹
  | "pow" // a^k: args [base, exponent], the exponent a "num"
  | "call"; // a named function: fn, args (tr, det, logdet, log, norm, abs, sqrt, …)

export interface Expr {
  readonly op: Op;
  readonly args: readonly Expr[];
  /** "sym": canonical name — Greek as Unicode ("α"), subscripts after "_" ("x_1", "x_ij"). */
  readonly name?: string;
  /** "num": the value. */
  readonly value?: Rational;
  /** "call": the function's canonical name (see src/operators). */
  readonly fn?: string;
  /** "call" norm: "2", "F" or "1" as written; undefined when no subscript. */
  readonly sub?: string;
  /** "identity": its size once inferred (a dimension name or a number). */
  readonly dim?: Dim;
  /** Where this node came from in the source, when it came from a source. */
  readonly span?: Span;
}

/** A dimension: a name (m, n, D, or a fresh "?1") or a literal size. */
export type Dim = string | number;

// ---------- constructors ----------

export function rational(n: number, d = 1): Rational {
  if (d === 0) throw new Error("rational with zero denominator");
  // a refusal, not a rounding: every coefficient matcalc prints is exact
  if (!Number.isSafeInteger(n) || !Number.isSafeInteger(d)) throw unsupported("a number beyond exact arithmetic (more than 15 digits, or a product of such numbers)");
  const g = gcd(Math.abs(n), Math.abs(d)) || 1;
  const s = d < 0 ? -1 : 1;
  return { n: small((s * n) / g), d: small((s * d) / g) };
}

/**
 * An integer as a small integer where it is one (−0 as 0): a quotient is a double to V8, and a
 * double stored in a field makes every rational's fields boxed doubles, and all arithmetic on them.
 */
const small = (x: number): number => {
  const i = x | 0;
  return i === x ? i : x;
};

export function gcd(a: number, b: number): number {
  while (b) {
    const r = a % b;
    a = b;
    b = r;
  }
  return a;
}

/**
 * The children of every leaf: one array, never written (children are replaced by copying), of the
 * kind the others are (cut from a one-element array: an empty literal is an array of small integers to V8).
 */
const NO_ARGS: readonly Expr[] = [undefined].slice(0, 0) as unknown as Expr[];

/**
 * A node with every field, in one order (undefined where it does not apply). Every stage reads
 * op and args of nodes made in many places; V8 keeps those reads fast only while the nodes share
 * one hidden class, which objects with different sets of fields do not, and while their children
 * are arrays of one kind: `args` is taken as it is only from the constructors below, which write
 * it out; an array from elsewhere is copied (see `packed`).
 */
const make = (op: Op, args: readonly Expr[], name?: string, value?: Rational, fn?: string, sub?: string, dim?: Dim, span?: Span): Expr => ({
  op,
  args,
  name,
  value,
  fn,
  sub,
  dim,
  span,
});

export const node = (op: Op, args: readonly Expr[], name?: string, value?: Rational, fn?: string, sub?: string, dim?: Dim, span?: Span): Expr =>
  make(op, packed(args), name, value, fn, sub, dim, span);

/**
 * The children as an array V8 keeps packed, with objects: `xs.map(f)` in optimized code, an
 * empty literal or JSON's `[]` give other kinds of array, and every function that reads children
 * would be compiled again on meeting a kind it had not seen.
 */
function packed(args: readonly Expr[]): readonly Expr[] {
  switch (args.length) {
    case 0:
      return NO_ARGS;
    case 1:
      return [args[0]!];
    case 2:
      return [args[0]!, args[1]!];
  }
  const out: Expr[] = [];
  for (let i = 0; i < args.length; i++) out.push(args[i]!);
  return out;
}

/** The node with other children (a spread `{ ...e, args }` would give it another hidden class). */
export const withArgs = (e: Expr, args: readonly Expr[]): Expr => node(e.op, args, e.name, e.value, e.fn, e.sub, e.dim, e.span);

/** The node made again with every field (a pattern read from JSON, a literal made elsewhere). */
export const uniform = (e: Expr): Expr => mapBottomUp(e, (n) => node(n.op, n.args, n.name, n.value, n.fn, n.sub, n.dim, n.span));

export const sym = (name: string, span?: Span): Expr => make("sym", NO_ARGS, name, undefined, undefined, undefined, undefined, span);
export const num = (n: number, d = 1, span?: Span): Expr => make("num", NO_ARGS, undefined, rational(n, d), undefined, undefined, undefined, span);
export const identity = (dim?: Dim, span?: Span): Expr => make("identity", NO_ARGS, undefined, undefined, undefined, undefined, dim, span);
/** 𝟙 of length dim (a column of ones; its length is inferred when not given). */
export const ones = (dim?: Dim, span?: Span): Expr => make("call", NO_ARGS, undefined, undefined, "ones", undefined, dim, span);
export const add = (terms: readonly Expr[], span?: Span): Expr =>
  terms.length === 1 ? terms[0]! : node("add", terms, undefined, undefined, undefined, undefined, undefined, span);
export const neg = (a: Expr, span?: Span): Expr => make("neg", [a], undefined, undefined, undefined, undefined, undefined, span);
export const mul = (a: Expr, b: Expr, span?: Span): Expr => make("mul", [a, b], undefined, undefined, undefined, undefined, undefined, span);
export const div = (a: Expr, b: Expr, span?: Span): Expr => make("div", [a, b], undefined, undefined, undefined, undefined, undefined, span);
export const transpose = (a: Expr, span?: Span): Expr => make("transpose", [a], undefined, undefined, undefined, undefined, undefined, span);
export const inv = (a: Expr, span?: Span): Expr => make("inv", [a], undefined, undefined, undefined, undefined, undefined, span);
export const pow = (a: Expr, k: Expr, span?: Span): Expr => make("pow", [a, k], undefined, undefined, undefined, undefined, undefined, span);
export const call = (fn: string, args: readonly Expr[], span?: Span, sub?: string): Expr => node("call", args, undefined, undefined, fn, sub, undefined, span);

export const isZero = (e: Expr): boolean => e.op === "num" && e.value!.n === 0;

/** Left-associated product of several factors. */
export function product(factors: readonly Expr[]): Expr {
  if (factors.length === 0) return num(1);
  return factors.reduce((acc, f) => mul(acc, f));
}

/** Structural equality, ignoring spans; pairs compared from a stack (trees may be 10,000 deep). */
export function equal(a: Expr, b: Expr): boolean {
  // most comparisons end at the roots: the stack is made only below them
  if (a === b) return true;
  if (!sameNode(a, b)) return false;
  if (a.args.length === 0) return true;
  const pairs: Expr[] = [a, b];
  while (pairs.length) {
    const y = pairs.pop()!;
    const x = pairs.pop()!;
    if (x === y) continue;
    if (!sameNode(x, y)) return false;
    for (let i = x.args.length - 1; i >= 0; i--) pairs.push(x.args[i]!, y.args[i]!);
  }
  return true;
}

/** The same node but for its children (which have the same number). */
function sameNode(x: Expr, y: Expr): boolean {
  return (
    x.op === y.op && x.name === y.name && x.fn === y.fn && x.sub === y.sub && x.dim === y.dim && x.value?.n === y.value?.n && x.value?.d === y.value?.d && x.args.length === y.args.length
  );
}

/** A key equal for structurally equal trees (spans ignored). */
export function key(e: Expr): string {
  if (e.op === "sym") return e.name!;
  let k = keys.get(e);
  if (k === undefined) {
    // the children's keys first, from a stack: trees may be 10,000 deep
    if (!e.args.every((a) => a.op === "sym" || keys.has(a)))
      for (const n of distinctPostorder(e, (x) => x.op === "sym" || keys.has(x))) if (n !== e) keys.set(n, keyOf(n));
    keys.set(e, (k = keyOf(e)));
  }
  return k;
}

/**
 * key(e).length when it is at most `limit`, else some number above `limit`: whether a key is
 * short, told without building a long one (a 1,000-factor chain's key is as long as the chain).
 */
export function keyLengthUpTo(e: Expr, limit: number): number {
  const known = e.op === "sym" ? e.name! : e.op === "num" || e.op === "identity" ? keyOf(e) : keys.get(e);
  if (known !== undefined) return known.length;
  let n = (e.op === "call" ? e.fn!.length + (e.sub ? 1 + e.sub.length : 0) + (e.dim !== undefined ? String(e.dim).length + 2 : 0) : e.op.length) + 2;
  n += Math.max(0, e.args.length - 1);
  for (let i = 0; i < e.args.length; i++) {
    if (n > limit) return n;
    n += keyLengthUpTo(e.args[i]!, limit - n);
  }
  return n;
}

// Nodes are immutable: a node's key is made once, from its children's keys, so that keying the
// many candidate forms that share a long subexpression does not rebuild its string each time.
const keys = new WeakMap<Expr, string>();

function keyOf(e: Expr): string {
  switch (e.op) {
    case "num":
      return e.value!.d === 1 ? `${e.value!.n}` : `${e.value!.n}/${e.value!.d}`;
    case "identity":
      return `I[${e.dim ?? "?"}]`;
    case "call":
      return `${e.fn}${e.sub ? "_" + e.sub : ""}${e.dim !== undefined ? `[${e.dim}]` : ""}(${e.args.map(key).join(",")})`;
    default:
      return `${e.op}(${e.args.map(key).join(",")})`;
  }
}

/**
 * One number per distinct structure (equal exactly when key() is), built from the children's
 * numbers: hash-consing, linear in the distinct nodes of a graph that shares subtrees, where
 * comparing key() strings of every subtree is quadratic (the 190 nested inverses' gradient is
 * 1,519 objects, 109,438 nodes as a tree). One per run: the numbers mean nothing across runs.
 * With `sumsInAnyOrder`, sums whose terms differ only in order are one structure (for a
 * question whose answer the order of terms cannot change).
 */
export class StructureIds {
  constructor(private readonly options: { readonly sumsInAnyOrder?: boolean } = {}) {}

  private readonly byNode = new Map<Expr, number>();
  /** A node of each structure, by its number; numbers are given children first. */
  readonly nodes: Expr[] = [];
  readonly children: (readonly number[])[] = [];
  // A structure is found by a number hashed from its own key's number and its children's: a
  // signature string per node (made, then hashed by the Map) cost a microsecond a node.
  /** Each structure's own key (ownKey), numbered. */
  private readonly owns: number[] = [];
  private readonly ownNumbers = new Map<string, number>();
  private readonly symbolNumbers = new Map<string, number>();
  /** The last structure with a hash, and for each structure the one before it with its hash (−1: none). */
  private readonly byHash = new Map<number, number>();
  private readonly sameHash: number[] = [];

  of(root: Expr): number {
    // mostly asked of a node whose number was given with its parent's (the NumPy planner asks each node it prints)
    const known = this.byNode.get(root);
    if (known !== undefined) return known;
    // Depth first from a stack (trees may be 10,000 deep), each node numbered after its children,
    // the last child first, as numbers have always been given; the numbers of the children done
    // wait on a stack of their own: one Map lookup per edge, none asked twice.
    const path: Expr[] = [root];
    const next: number[] = [root.args.length - 1];
    const done: number[] = [];
    while (path.length) {
      const top = path.length - 1;
      const n = path[top]!;
      const i = next[top]!;
      if (i >= 0) {
        next[top] = i - 1;
        const a = n.args[i]!;
        const k = this.byNode.get(a);
        if (k === undefined) path.push(a), next.push(a.args.length - 1);
        else done.push(k);
        continue;
      }
      path.pop();
      next.pop();
      const k = this.numbered(n, done);
      this.byNode.set(n, k);
      done.push(k);
    }
    return done[0]!;
  }

  /** The number of a node whose children's numbers end `done`, the first child's on top; they are taken off it. */
  private numbered(n: Expr, done: number[]): number {
    const own = this.ownNumber(n);
    const arity = n.args.length;
    // leaves, most structures, share one empty list; the others' lists are packed, as that one is
    // (V8 compiles what reads them for one kind of array), the first child's number on top of `done`
    let children: number[];
    if (arity === 0) children = NO_CHILDREN as number[];
    else if (arity === 1) children = [done.pop()!];
    else if (arity === 2) {
      const first = done.pop()!;
      children = [first, done.pop()!];
    } else {
      children = [];
      for (let i = 0; i < arity; i++) children.push(done.pop()!);
    }
    let h = own;
    // a pair put in order by hand: sort() allocates, and most sums have two terms
    if (this.options.sumsInAnyOrder && n.op === "add") {
      if (arity === 2) {
        if (children[0]! > children[1]!) children.reverse();
      } else children.sort((a, b) => a - b);
    }
    for (let i = 0; i < arity; i++) {
      h = Math.imul(h ^ children[i]!, 0x5bd1e995);
      h ^= h >>> 15;
    }
    // a small integer: V8 keeps those in a Map without a heap number each
    h >>>= 2;
    const first = this.byHash.get(h);
    for (let s = first ?? -1; s >= 0; s = this.sameHash[s]!) if (this.owns[s] === own && sameNumbers(this.children[s]!, children)) return s;
    const id = this.nodes.length;
    this.nodes.push(n);
    this.children.push(children);
    this.owns.push(own);
    this.sameHash.push(first ?? -1);
    this.byHash.set(h, id);
    return id;
  }

  private ownNumber(n: Expr): number {
    // a symbol by its name, in a table of its own; an operator by its name alone, which has no colon as the keys of the rest do
    const table = n.op === "sym" ? this.symbolNumbers : this.ownNumbers;
    const text = n.op === "sym" ? n.name! : n.op === "num" || n.op === "identity" || n.op === "call" ? `${n.op}:${ownKey(n)}` : n.op;
    let own = table.get(text);
    if (own === undefined) table.set(text, (own = this.ownNumbers.size + this.symbolNumbers.size));
    return own;
  }
}

const NO_CHILDREN: readonly number[] = [];

function sameNumbers(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** key() of the node without its children: what StructureIds adds to its children's numbers. */
function ownKey(e: Expr): string {
  switch (e.op) {
    case "num":
    case "identity":
      return keyOf(e);
    case "call":
      return `${e.fn}${e.sub ? "_" + e.sub : ""}${e.dim !== undefined ? `[${e.dim}]` : ""}()`;
    default:
      return e.op;
  }
}

/** Every node, children before parents, without recursion (trees may be 10,000 deep). */
export function postorder(root: Expr): Expr[] {
  const out: Expr[] = [];
  // two parallel stacks, not a stack of pairs: a pair per node was most of what this allocated
  const stack: Expr[] = [root];
  const seen: boolean[] = [false];
  while (stack.length) {
    const e = stack.pop()!;
    if (seen.pop()) out.push(e);
    else {
      stack.push(e), seen.push(true);
      for (let i = e.args.length - 1; i >= 0; i--) stack.push(e.args[i]!), seen.push(false);
    }
  }
  return out;
}

/**
 * The distinct nodes (by identity), children before parents, without recursion; a node that
 * `done` says is done is neither listed nor looked into.
 */
export function distinctPostorder(root: Expr, done: (e: Expr) => boolean = () => false): Expr[] {
  const out: Expr[] = [];
  if (done(root)) return out;
  // the path from the root, with the next child to look at on each: every edge looked along once
  // (a node on the path is not met again below it: the graph has no cycles)
  const seen = new Set<Expr>([root]);
  const path: Expr[] = [root];
  const next: number[] = [0];
  while (path.length) {
    const top = path.length - 1;
    const e = path[top]!;
    const i = next[top]!;
    if (i < e.args.length) {
      next[top] = i + 1;
      const a = e.args[i]!;
      if (!seen.has(a) && !done(a)) seen.add(a), path.push(a), next.push(0);
      continue;
    }
    path.pop();
    next.pop();
    out.push(e);
  }
  return out;
}

/** Rebuild a tree bottom-up with f applied to each node after its children, iteratively. */
export function mapBottomUp(root: Expr, f: (e: Expr) => Expr): Expr {
  const done = new Map<Expr, Expr>();
  // in postorder, a shared subtree once: a graph that shares subtrees may be far larger as a tree
  const stack: Expr[] = [root];
  while (stack.length) {
    const e = stack[stack.length - 1]!;
    if (done.has(e)) {
      stack.pop();
      continue;
    }
    const waiting = stack.length;
    for (let i = e.args.length - 1; i >= 0; i--) if (!done.has(e.args[i]!)) stack.push(e.args[i]!);
    if (stack.length > waiting) continue;
    stack.pop();
    // the children copied only when one of them changed: most nodes keep theirs
    let args: Expr[] | undefined;
    for (let i = 0; i < e.args.length; i++) {
      const a = done.get(e.args[i]!)!;
      if (a !== e.args[i]) (args ??= e.args.slice())[i] = a;
    }
    done.set(e, f(args ? withArgs(e, args) : e));
  }
  return done.get(root)!;
}

/**
 * Whether some node of e passes the test: each shared subtree once (a graph may be far larger as
 * a tree), left to right, a node before its children; stops at the first that passes.
 */
export function anyNode(e: Expr, test: (n: Expr) => boolean): boolean {
  const seen = new Set<Expr>();
  const stack = [e];
  while (stack.length) {
    const n = stack.pop()!;
    // a leaf is tested again rather than remembered: most nodes are leaves, and a parsed tree shares none
    if (n.args.length) {
      if (seen.has(n)) continue;
      seen.add(n);
    }
    if (test(n)) return true;
    for (let i = n.args.length - 1; i >= 0; i--) stack.push(n.args[i]!);
  }
  return false;
}

/** Names of the symbols in an expression, in the order they are first written. */
export function symbols(e: Expr): Set<string> {
  const out = new Set<string>();
  anyNode(e, (n) => {
    if (n.op === "sym") out.add(n.name!);
    return false;
  });
  return out;
}

export function withoutSpans(e: Expr): Expr {
  return mapBottomUp(e, (n) => {
    if (n.span === undefined) return n;
    return node(n.op, n.args, n.name, n.value, n.fn, n.sub, n.dim);
  });
}

// ---------- declarations and definitions (the --where text, `let` lines) ----------

/**
 * `positive` is for scalars: rewrites that need α > 0 (√(α²) = α) apply to them. `sums to one`
 * is for column vectors, declared by a constraint `sum(y) = 1` (a one-hot or probability vector).
 */
export type Property = "symmetric" | "spd" | "diagonal" | "positive" | "sums to one";

/** A declared shape: scalar, column vector (rows) or matrix (rows × cols). */
export type DeclaredShape =
  | { readonly kind: "scalar" }
  | { readonly kind: "vector"; readonly rows: Dim }
  | { readonly kind: "matrix"; readonly rows: Dim; readonly cols: Dim };

export type Statement =
  | {
      readonly kind: "declare";
      readonly names: readonly { readonly name: string; readonly span: Span }[];
      readonly shape: DeclaredShape;
      readonly properties: readonly Property[];
      readonly span: Span;
    }
  | { readonly kind: "define"; readonly name: string; readonly expr: Expr; readonly span: Span }
  /** `sum(y) = 1`, `𝟙ᵀy = 1`: a property of a name declared before (`names` is that one name). */
  | {
      readonly kind: "constrain";
      readonly names: readonly { readonly name: string; readonly span: Span }[];
      readonly property: "sums to one";
      readonly span: Span;
    };
