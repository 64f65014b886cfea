import type { Expr } from "../ast.js";
import { type Dims, type Shape, shapeError, showShape } from "../shapes/shape.js";

export function requireSquare(what: string, s: Shape, dims: Dims, node: Expr): void {
  if (!dims.unify(s[0], s[1]))
    throw shapeError(`${what} needs a square matrix, but its argument is ${showShape(dims.resolveShape(s))}`, node.span);
}
