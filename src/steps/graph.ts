// The computation graph of a worked solution: the loss and the intermediate definitions a course
// would write down, from the loss to the variable (NOTATION.md, "Command line": --steps).
//
// The input's definitions keep their names (K stays K). Besides them, a subexpression that depends
// on the variable is named when
//   - it is the argument of a function that is not linear (‖·‖, log|·|, log, exp, tanh, softmax, …),
//     of an inverse, a power or a divisor, and is more than a symbol (with ᵀ, ⁻¹ or −): the
//     residual WᵀWx − x of ½‖WᵀWx − x‖², the Xw of sigmoid(Xw);
//   - or it occurs twice or more (the largest such piece): sigmoid(Xw) in a cross-entropy.
// Products, sums, traces and the other linear maps are not named: their adjoints are one rule
// each, and the seed homework's one name per node would make tr(AX) a page. Names are letters the
// input does not use, in order from the loss down (the seed's habit): lower case for scalars and
// vectors, upper case for matrices.
import { type Expr, key, postorder, sym, symbols, withArgs } from "../ast.js";
import type { Context } from "../context.js";
import { define } from "../declarations.js";
import { dependence } from "../derive/gradient.js";
import { foldDefinitions } from "../derive/fold.js";
import { topologicalOrder } from "../check/derivatives.js";
import { shapeOf } from "../shapes/infer.js";
import { isScalar, isVector } from "../shapes/shape.js";
import { functionSpec } from "../functions/index.js";
import { isLinearIn } from "../functions/spec.js";

export interface Graph {
  /** The input's context with the intermediates and the loss defined, each after what it uses. */
  readonly ctx: Context;
  /** The name of the expression differentiated (L, unless the input uses L). */
  readonly loss: string;
  /** The names introduced here (not the input's), in definition order. */
  readonly introduced: readonly string[];
  /** The names on a path from the loss to the variable, the loss first and the variable last. */
  readonly nodes: readonly string[];
  readonly wrt: string;
}

const LOSS_NAMES = ["L", "J", "E", "F", "f"];
const SMALL_LETTERS = [..."abcfhpqrsuvz", ..."gkmnortwxy"];
const CAPITALS = [..."PQRSTUVMNBCHZ", ..."ADEFJOW"];


export function buildGraph(expression: Expr, wrt: string, input: Context): Graph {
  const depends = dependence(wrt, input);
  const root = foldDefinitions(expression, input);
  const rewritten = input.definitionOrder.filter((n) => n !== wrt && depends(input.symbols.get(n)!.definition!));
  const trees = [root, ...rewritten.map((n) => input.symbols.get(n)!.definition!)];

  const count = new Map<string, number>();
  for (const t of trees) for (const n of postorder(t)) if (depends(n) && !isSimple(n)) count.set(key(n), (count.get(key(n)) ?? 0) + 1);
  const chosen = new Map<string, Expr>();
  const visit = (n: Expr, insideRepeated: boolean): void =>
    n.args.forEach((c, i) => {
      if (!depends(c)) return;
      const repeated = (count.get(key(c)) ?? 0) >= 2;
      if (!isSimple(c) && (nonlinearArgument(n, i) || (repeated && !insideRepeated)) && !chosen.has(key(c))) chosen.set(key(c), c);
      visit(c, insideRepeated || repeated);
    });
  trees.forEach((t) => visit(t, false));

  const taken = new Set(input.symbols.keys());
  const loss = LOSS_NAMES.find((n) => !taken.has(n)) ?? freshName(taken, CAPITALS);
  taken.add(loss);
  const names = new Map<string, string>();
  for (const [k, e] of chosen) {
    const shape = input.dims.resolveShape(shapeOf(e, input));
    const name = freshName(taken, isScalar(shape) || isVector(shape) ? SMALL_LETTERS : CAPITALS);
    taken.add(name);
    names.set(k, name);
  }
  const named = (e: Expr): Expr => {
    const name = names.get(key(e));
    return name ? sym(name) : e.args.length ? withArgs(e, e.args.map(named)) : e;
  };
  const inside = (e: Expr): Expr => (e.args.length ? withArgs(e, e.args.map(named)) : e);

  const bodies = new Map<string, Expr>();
  for (const n of input.definitionOrder) bodies.set(n, rewritten.includes(n) ? inside(input.symbols.get(n)!.definition!) : input.symbols.get(n)!.definition!);
  for (const [k, e] of chosen) bodies.set(names.get(k)!, inside(e));

  const ctx: Context = { symbols: new Map([...input.symbols].filter(([, info]) => !info.definition)), dims: input.dims, definitionOrder: [], memo: new Map() };
  for (const n of topologicalOrder([...bodies.keys()], (n) => bodies.get(n))) define(ctx, n, bodies.get(n)!);
  define(ctx, loss, named(root));

  const reaches = dependence(wrt, ctx);
  const used = new Set([loss]);
  const between: string[] = [];
  for (const n of [...ctx.definitionOrder].reverse()) {
    if (!used.has(n) || n === wrt) continue;
    if (n !== loss) between.push(n);
    for (const m of symbols(ctx.symbols.get(n)!.definition!)) if (reaches(sym(m))) used.add(m);
  }
  const ours = new Set(names.values());
  return { ctx, loss, introduced: ctx.definitionOrder.filter((n) => ours.has(n)), nodes: [loss, ...between, wrt], wrt };
}

/** A symbol, a number, I, or one with ᵀ, ⁻¹ or − applied: nothing to name. */
function isSimple(e: Expr): boolean {
  if (e.args.length === 0) return true;
  if (e.op === "transpose" || e.op === "inv" || e.op === "neg") return isSimple(e.args[0]!);
  return e.op === "call" && e.fn === "ones";
}

function nonlinearArgument(parent: Expr, i: number): boolean {
  switch (parent.op) {
    case "call":
      // Linear in it: naming the argument adds a line and explains nothing.
      return !isLinearIn(functionSpec(parent.fn!), i);
    case "inv":
      return true;
    case "pow": // ‖A‖² has a rule of its own
      return i === 0 && !(parent.args[0]!.op === "call" && parent.args[0]!.fn === "norm");
    case "div":
      return i === 1;
    default:
      return false;
  }
}

function freshName(used: ReadonlySet<string>, letters: readonly string[]): string {
  const free = letters.find((l) => !used.has(l));
  if (free) return free;
  for (let i = 1; ; i++) if (!used.has(`${letters[0]}_${i}`)) return `${letters[0]}_${i}`;
}
