import type { DeriveResult } from "../api.js";
import { showDim } from "../shapes/shape.js";
import { formatExpr } from "./expression.js";

/** NOTATION.md's JSON: at least derivative (ASCII), latex, unicode and shape. */
export function jsonResult(r: DeriveResult): string {
  const [rows, cols] = r.shape;
  return JSON.stringify({
    derivative: formatExpr(r.gradient, "ascii", r.ctx),
    latex: formatExpr(r.gradient, "latex", r.ctx),
    unicode: formatExpr(r.gradient, "unicode", r.ctx),
    shape: { rows: showDim(rows), cols: showDim(cols), kind: rows === 1 && cols === 1 ? "scalar" : cols === 1 ? "vector" : "matrix" },
    layout: r.layout,
    order: r.order,
    expression: formatExpr(r.expression, "unicode", r.ctx),
    wrt: formatExpr({ op: "sym", args: [], name: r.wrt }, "ascii"),
    notes: r.notes,
  });
}
