// Reverse-mode derivative rules, one identity a line, in matcalc's notation.
//
//   rule(F, A, R, source)  reads: if F is part of the expression and G = ∂L/∂F (G has F's shape),
//                          then the operand A of F receives R, its share of ∂L/∂A.
//
// Single letters are metavariables: Greek ones match scalars only, Latin ones anything; `^k`
// stands for any numeric exponent. The first rule whose F matches a node is the one applied, so
// the scalar cases of a product come before the matrix product. MC (n) is equation n of
// Petersen & Pedersen, The Matrix Cookbook (version of November 15, 2012). test/rules.test.ts
// discovers every line and checks it against finite differences.

import { rule } from "../src/derive/rule.js";

export const DERIVATIVE_RULES = [
  rule("A + B", "A", "G", "MC (35)"),
  rule("−A", "A", "−G", "MC (34)"),
  rule("α A", "α", "tr(GᵀA)", "MC (34), (36)"),
  rule("α A", "A", "αG", "MC (34)"),
  rule("A α", "A", "αG", "MC (34)"),
  rule("A α", "α", "tr(GᵀA)", "MC (34), (36)"),
  rule("A B", "A", "GBᵀ", "MC (37)"),
  rule("A B", "B", "AᵀG", "MC (37)"),
  rule("A / α", "A", "G / α", "MC (34)"),
  rule("A / α", "α", "−tr(GᵀA) / α²", "MC (34), quotient rule"),
  rule("Aᵀ", "A", "Gᵀ", "MC (44)"),
  rule("A⁻¹", "A", "−A⁻ᵀGA⁻ᵀ", "MC (40); the adjoint form below MC (64)"),
  rule("tr(A)", "A", "G I", "MC (36)"),
  rule("|A|", "A", "G |A| A⁻ᵀ", "MC (42), (49)"),
  rule("log|A|", "A", "G A⁻ᵀ", "MC (43), (57)"),
  rule("‖A‖²", "A", "2G A", "‖A‖² = tr(AᵀA), MC (36), (37), (44)"),
  rule("‖A‖", "A", "G A / ‖A‖", "‖A‖² = tr(AᵀA), MC (36), (37), (44)"),
  rule("α^k", "α", "k G α^k / α", "power rule"),
  rule("log(α)", "α", "G / α", "d log α = dα / α"),
  rule("exp(α)", "α", "G exp(α)", "d exp α = exp α dα"),
  rule("√α", "α", "G / (2√α)", "d √α = dα / (2√α)"),
  rule("abs(α)", "α", "G α / abs(α)", "d|α| = sign(α) dα, for α ≠ 0"),
];
