import type { Matrix } from "ml-matrix";
import type { Context } from "../context.js";

/**
 * Sizes of the (resolved) dimension names and values of the free symbols.
 * Treat an instance as immutable: evaluation memoises definitions per instance object;
 * to change a value, make a new one with `withValue`.
 */
export interface Instance {
  sizes: Map<string, number>;
  values: Map<string, Matrix>;
  ctx: Context;
}
