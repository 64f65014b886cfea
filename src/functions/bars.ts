/**
 * What |x| means (NOTATION.md): the absolute value of a scalar, the determinant of a square
 * matrix. Shape inference (from the operand's shape), rule patterns (from the metavariable's
 * kind) and evaluation (from the operand's value) all read the bars through this one place.
 */
export function barsMeaning(operandIsScalar: boolean): "abs" | "det" {
  return operandIsScalar ? "abs" : "det";
}
