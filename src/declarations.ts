// Building a context from declarations and definitions: each definition's shape is inferred
// and its symmetry decided (by normal forms) as it is added, so this sits above the simplifier,
// while the context itself (src/context.ts) is plain data every stage reads.
import { type Expr, type Statement, symbols } from "./ast.js";
import { type Context, type SymbolInfo, constrain, declareDimension, declaredShape } from "./context.js";
import { MatcalcError } from "./errors.js";
import { inferShapes } from "./shapes/infer.js";
import { Dims } from "./shapes/shape.js";
import { isSymmetric } from "./simplify/symmetry.js";

/**
 * The context of a list of declarations and definitions, in order. `broadcast`: definitions are
 * typed input (a scalar added to a vector is added to each entry), and what that reads is said in
 * `notes`.
 */
export function buildContext(statements: readonly Statement[], source?: string, options: { readonly broadcast?: boolean; readonly notes?: string[] } = {}): Context {
  const ctx: Context = { symbols: new Map(), dims: new Dims(), definitionOrder: [], memo: new Map() };
  for (const s of statements) {
    if (s.kind === "declare") {
      const shape = declaredShape(s, source);
      for (const { name, span } of s.names) {
        const known = ctx.symbols.get(name);
        if (known?.declared) throw new MatcalcError(`\`${name}\` is declared twice`, span, source, "name");
        ctx.symbols.set(name, { name, shape, properties: new Set(s.properties), declared: true });
      }
      for (const d of shape) if (typeof d === "string") declareDimension(ctx, d);
    } else if (s.kind === "constrain") constrain(ctx, s, source);
    else {
      if (ctx.symbols.get(s.name)?.declared || ctx.symbols.get(s.name)?.definition)
        throw new MatcalcError(`\`${s.name}\` is already declared or defined`, s.span, source, "name");
      if (symbols(s.expr).has(s.name))
        throw new MatcalcError(`\`${s.name}\` is defined in terms of itself`, s.span, source, "name");
      const notes = define(ctx, s.name, s.expr, source, options);
      options.notes?.push(...notes.map((n) => `in ${s.name} := …, ${n}`));
    }
  }
  return ctx;
}

/**
 * name := expr, its shape checked and its symmetry inferred (αXXᵀ + β⁻¹I is symmetric).
 * `broadcast`: a scalar added to a vector is added to each entry (as `check` reads homework).
 */
export function define(ctx: Context, name: string, expr: Expr, source?: string, options: { readonly broadcast?: boolean } = {}): readonly string[] {
  const { expr: typed, shape, notes } = inferShapes(expr, ctx, source, { broadcast: options.broadcast });
  const info: SymbolInfo = { name, shape, properties: new Set(), definition: typed, declared: true };
  ctx.symbols.set(name, info);
  ctx.definitionOrder.push(name);
  if (shape[0] === shape[1] && isSymmetric(typed, ctx)) info.properties.add("symmetric");
  return notes;
}
