// Test helpers: Contexts built by hand (no parser needed) and ml-matrix conveniences.
import { Matrix } from "ml-matrix";
import type { Dim, Expr, Property } from "../../src/ast.js";
import type { Context, SymbolInfo } from "../../src/context.js";
import { Dims } from "../../src/shapes/shape.js";

export type Decl = [
  name: string,
  shape: [Dim, Dim],
  properties: Property[],
  extra?: { definition?: Expr; dimension?: boolean },
];

/** A Context from declarations like [["W", ["m", "n"], []], ["α", [1, 1], []]]. */
export function makeContext(decls: Decl[]): Context {
  const symbols = new Map<string, SymbolInfo>();
  const definitionOrder: string[] = [];
  for (const [name, shape, properties, extra] of decls) {
    symbols.set(name, {
      name,
      shape,
      properties: new Set(properties),
      definition: extra?.definition,
      dimension: extra?.dimension,
      declared: true,
    });
    if (extra?.definition) definitionOrder.push(name);
  }
  return { symbols, dims: new Dims(), definitionOrder, memo: new Map() };
}

export const scalarOf = (m: Matrix): number => {
  if (m.rows !== 1 || m.columns !== 1) throw new Error(`not a scalar: ${m.rows}×${m.columns}`);
  return m.get(0, 0);
};

/** max |a − b| over entries; Infinity for different shapes. */
export function maxDiff(a: Matrix, b: Matrix): number {
  if (a.rows !== b.rows || a.columns !== b.columns) return Infinity;
  let d = 0;
  for (let i = 0; i < a.rows; i++) for (let j = 0; j < a.columns; j++) d = Math.max(d, Math.abs(a.get(i, j) - b.get(i, j)));
  return d;
}

/** Kronecker product, by hand. */
export function kron(a: Matrix, b: Matrix): Matrix {
  const out = new Matrix(a.rows * b.rows, a.columns * b.columns);
  for (let i = 0; i < a.rows; i++)
    for (let j = 0; j < a.columns; j++)
      for (let k = 0; k < b.rows; k++)
        for (let l = 0; l < b.columns; l++) out.set(i * b.rows + k, j * b.columns + l, a.get(i, j) * b.get(k, l));
  return out;
}
