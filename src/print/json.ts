import type { DeriveResult } from "../result.js";
import type { Dim } from "../ast.js";
import type { Context } from "../context.js";
import { factorsOf, isFreshDim, showDim } from "../shapes/shape.js";
import { formatExpr } from "./expression.js";
import { symbolName } from "./names.js";
import { nameShared } from "./sharing.js";

/** NOTATION.md's JSON: at least derivative (ASCII), latex, unicode and shape. */
export function jsonResult(r: DeriveResult): string {
  const [rows, cols] = r.shape;
  const { body, where, ctx } = nameShared(r.gradient, r.ctx);
  return JSON.stringify({
    derivative: formatExpr(body, "ascii", ctx),
    latex: formatExpr(body, "latex", ctx),
    unicode: formatExpr(body, "unicode", ctx),
    ...(where.length && {
      where: where.map((d) => ({
        name: symbolName(d.name, "ascii"),
        unicode: formatExpr(d.expr, "unicode", ctx),
        latex: formatExpr(d.expr, "latex", ctx),
        ascii: formatExpr(d.expr, "ascii", ctx),
      })),
    }),
    shape: { rows: describeDim(rows, r.ctx), cols: describeDim(cols, r.ctx), kind: rows === 1 && cols === 1 ? "scalar" : cols === 1 ? "vector" : "matrix" },
    layout: r.layout,
    order: r.order,
    expression: formatExpr(r.expression, "unicode", r.ctx),
    wrt: symbolName(r.wrt, "ascii"),
    notes: r.notes,
    ...(r.verification && { checked: r.verification }),
  });
}

/**
 * A dimension the input names (m), a number, or one it leaves unnamed, told by the first symbol
 * that has it: len(x) of an undeclared vector, rows(A) or cols(A) of a matrix.
 */
function describeDim(d: Dim, ctx: Context): string {
  if (!factorsOf(d).some(isFreshDim)) return showDim(d);
  const told = new Map<Dim, string>();
  for (const info of ctx.symbols.values()) {
    if (info.dimension) continue;
    const [r, c] = ctx.dims.resolveShape(info.shape);
    const name = symbolName(info.name, "ascii");
    if (c === 1 && !told.has(r)) told.set(r, `len(${name})`);
    if (!told.has(r)) told.set(r, `rows(${name})`);
    if (!told.has(c)) told.set(c, `cols(${name})`);
  }
  return factorsOf(d)
    .map((f) => (isFreshDim(f) ? told.get(ctx.dims.resolve(f)) ?? "?" : showDim(f)))
    .join("·");
}
