import { Matrix } from "ml-matrix";
import { type FunctionSpec, type LinearMaps, type LinearTerm, byName } from "./spec.js";
import { SCALAR, type Shape, isScalar, shapeError, showShape } from "../shapes/shape.js";
import { type Expr, call, mul, product, transpose } from "../ast.js";
import { unsupported } from "../errors.js";

/**
 * diag both ways (NOTATION.md): diag(x) of a column vector is the diagonal matrix with x on its
 * diagonal; diag(X) of a square matrix is the column of its diagonal. A row vector is refused
 * (is diag(xᵀ) a 1×1 matrix or a diagonal one?); diag(α) of a scalar is α.
 */
// Its NumPy spelling depends on the argument's shape (below).
const PRINTED = byName("diag", () => "");

const SELECTION = "∂diag(X)/∂vec(X) is a selection matrix, which matcalc does not print";

/** diag(L g rᵀ) = diag(r)·L·g and diag(l gᵀ Rᵀ) = diag(l)·R·g for a column vector g. */
function linearTerms(node: Expr, _s: Shape, maps: LinearMaps): LinearTerm[] {
  const arg = node.args[0]!;
  const through = maps.shape(arg)[1] !== 1 ? throughDiagonal(arg, maps) : undefined;
  if (through) return through;
  if (maps.shape(arg)[1] === 1) throw unsupported("diag(v) of a vector inside a matrix-valued derivative: ∂vec(diag(v)) is a selection matrix, which matcalc does not print", node.span);
  if (maps.seedShape[1] !== 1) throw unsupported(SELECTION, node.span);
  return maps.terms(arg).map((t): LinearTerm => {
    if (t.kind === "M") throw unsupported(SELECTION, node.span);
    maps.cite(t.kind === "G" ? "the diagonal of a rank-one product" : "the diagonal of a transposed rank-one product");
    const [rest, other] = t.kind === "G" ? [t.L, t.R] : [t.R, t.L];
    const diagonal = other ? call("diag", [other]) : undefined;
    return { kind: "G", L: diagonal ? (rest ? mul(diagonal, rest) : diagonal) : rest };
  });
}

/**
 * diag(P·diag(v)·Q) = (P ⊙ Qᵀ)·v for a column v linear in G (entry i is Σₖ Pᵢₖ vₖ Qₖᵢ), and
 * diag(P·diag(v)) = diag(P) ⊙ v: the Hessian through a diagonal, log|S + diag(x)| by x twice.
 */
function throughDiagonal(arg: Expr, maps: LinearMaps): LinearTerm[] | undefined {
  const factors = productFactors(arg);
  const at = factors.findIndex((f) => f.op === "call" && f.fn === "diag" && maps.containsSeed(f) && maps.shape(f.args[0]!)[1] === 1);
  if (at < 0 || factors.some((f, j) => j !== at && maps.containsSeed(f))) return undefined;
  const v = factors[at]!.args[0]!;
  const before = factors.slice(0, at);
  const after = factors.slice(at + 1);
  if (!before.length && !after.length) return maps.terms(v);
  maps.cite("the diagonal of a product through a diagonal matrix");
  if (!after.length) return maps.scaled(v, call("diag", [product(before)]), maps.shape(v), false);
  if (!before.length) return maps.scaled(v, call("diag", [product(after)]), maps.shape(v), false);
  return maps.terms(mul(call("hadamard", [product(before), transpose(product(after))]), v));
}

/** The factors of a chain of products, left to right. */
function productFactors(e: Expr): Expr[] {
  return e.op === "mul" ? [...productFactors(e.args[0]!), ...productFactors(e.args[1]!)] : [e];
}

export const diag: FunctionSpec = {
  fn: "diag",
  words: ["diag"],
  latex: [],
  arity: 1,
  algebra: { linear: "each argument", transposeInvariant: true, symmetric: true, linearTerms },
  shape: ([a], dims, node) => {
    const s = dims.resolveShape(a!);
    if (isScalar(s)) return SCALAR;
    if (s[1] === 1) return [s[0], s[0]];
    if (s[0] === 1) throw shapeError("diag needs a column vector or a square matrix, not a row vector: transpose it first", node.span);
    if (!dims.unify(s[0], s[1])) throw shapeError(`diag needs a column vector or a square matrix, but its argument is ${showShape(s)}`, node.span);
    return [s[0], 1];
  },
  evaluate: ([a]) => {
    const m = a!;
    if (m.columns === 1) {
      const out = Matrix.zeros(m.rows, m.rows);
      for (let i = 0; i < m.rows; i++) out.set(i, i, m.get(i, 0));
      return out;
    }
    const out = new Matrix(m.rows, 1);
    for (let i = 0; i < m.rows; i++) out.set(i, 0, m.get(i, i));
    return out;
  },
  print: (format, [a], _node, shapes) =>
    format === "numpy"
      ? // Vectors are n×1 columns in the generated code.
        shapes && shapes.args[0]![1] !== 1 ? `np.diag(${a}).reshape(-1, 1)` : `np.diagflat(${a})`
      : PRINTED[format](a!),
};
