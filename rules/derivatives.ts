// Reverse-mode derivative rules, one identity a line, in matcalc's notation.
//
//   rule(F, A, R, source)  reads: if F is part of the expression and G = ∂L/∂F (G has F's shape),
//                          then the operand A of F receives R, its share of ∂L/∂A.
//
// Single letters are metavariables: Greek ones match scalars only, lower-case Latin ones (but k)
// column vectors only, upper-case Latin ones anything; `^k` stands for any numeric exponent, k for a number. The
// first rule whose F matches a node (and whose share takes the operand's shape) is the one
// applied, so the scalar and vector cases come before the general one. A rule may reach below
// F's operand (‖A‖², tr(A ⊗ B)); every rule of the same F reaching under one operand applies.
// MC (n) is equation n of Petersen & Pedersen, The Matrix Cookbook (version of November 15, 2012).
// test/rules.test.ts discovers every line and checks it against finite differences.
//
// Kinks: at 0, relu and |·| have no derivative; the rules give a subgradient (relu′(0) = step(0)
// = 0, |·|′(0) = sign(0) = 0), as PyTorch and JAX do. step and sign have derivative 0 away from 0.

import { type AdjointRule, rule } from "../src/pattern/rule.js";

/** With A, C of one shape: (A ⊗ B)ᵀ(C ⊗ D) = AᵀC ⊗ BᵀD and tr(P ⊗ Q) = tr(P)tr(Q). */
const KRONECKER_INNER = "⟨A ⊗ B, C ⊗ D⟩ = ⟨A, C⟩⟨B, D⟩, MC §10.2.1: (A ⊗ B)(C ⊗ D) = AC ⊗ BD, tr(A ⊗ B) = tr(A)tr(B)";

export const DERIVATIVE_RULES: AdjointRule[] = [
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
  rule("tr((A ⊗ B)ᵀ(C ⊗ D))", "A", "G tr(DᵀB) C", KRONECKER_INNER),
  rule("tr((A ⊗ B)ᵀ(C ⊗ D))", "B", "G tr(CᵀA) D", KRONECKER_INNER),
  rule("tr((A ⊗ B)ᵀ(C ⊗ D))", "C", "G tr(BᵀD) A", KRONECKER_INNER),
  rule("tr((A ⊗ B)ᵀ(C ⊗ D))", "D", "G tr(AᵀC) B", KRONECKER_INNER),
  rule("tr(A ⊗ B)", "A", "G tr(B) I", "MC (105), (120): tr(A ⊗ B) = tr(A)tr(B)"),
  rule("tr(A ⊗ B)", "B", "G tr(A) I", "MC (105), (120): tr(A ⊗ B) = tr(A)tr(B)"),
  rule("tr(α)", "α", "G", "tr(α) = α of a 1×1"),
  rule("tr(A)", "A", "G I", "MC (36)"),
  rule("|A|", "A", "G |A| A⁻ᵀ", "MC (42), (49)"),
  rule("log|A|", "A", "G A⁻ᵀ", "MC (43), (57)"),
  rule("‖A‖²", "A", "2G A", "‖A‖² = tr(AᵀA), MC (36), (37), (44)"),
  rule("‖A‖", "A", "G A / ‖A‖", "‖A‖² = tr(AᵀA), MC (36), (37), (44)"),
  rule("‖a‖₁", "a", "G sign(a)", "‖x‖₁ = Σ|xᵢ|: d|x| = sign(x) dx"),
  rule("α^k", "α", "k G α^(k−1)", "power rule (α^k/α would be 0/0 at α = 0)"),
  rule("α^{β}", "α", "β G α^{β − 1}", "power rule, the exponent any scalar"),
  rule("α^{β}", "β", "G α^{β} log(α)", "d(α^β) = α^β log(α) dβ, for α > 0"),

  // Hadamard and inner products, sums, diagonals: all (bi)linear.
  rule("A ⊙ B", "A", "G ⊙ B", "MC (38)"),
  rule("A ⊙ B", "B", "G ⊙ A", "MC (38)"),
  rule("A ⊘ B", "A", "G ⊘ B", "MC (38), A ⊘ B = A ⊙ (1 ⊘ B)"),
  rule("A ⊘ B", "B", "−G ⊙ A ⊘ (B ⊙ B)", "MC (38), d(1/b) = −db/b²"),
  rule("⟨A ⊗ B, C ⊗ D⟩", "A", "G ⟨B, D⟩ C", KRONECKER_INNER),
  rule("⟨A ⊗ B, C ⊗ D⟩", "B", "G ⟨A, C⟩ D", KRONECKER_INNER),
  rule("⟨A ⊗ B, C ⊗ D⟩", "C", "G ⟨B, D⟩ A", KRONECKER_INNER),
  rule("⟨A ⊗ B, C ⊗ D⟩", "D", "G ⟨A, C⟩ B", KRONECKER_INNER),
  rule("a ⊗ b", "a", "(I ⊗ bᵀ) G", "a ⊗ b = (I ⊗ b)a, MC §10.2.1 (A ⊗ B)(C ⊗ D) = AC ⊗ BD"),
  rule("a ⊗ b", "b", "(aᵀ ⊗ I) G", "a ⊗ b = (a ⊗ I)b, MC §10.2.1 (A ⊗ B)(C ⊗ D) = AC ⊗ BD"),
  rule("⟨A, B⟩", "A", "G B", "⟨A, B⟩ = tr(AᵀB), MC (103)"),
  rule("⟨A, B⟩", "B", "G A", "⟨A, B⟩ = tr(AᵀB), MC (103)"),
  rule("sum(α)", "α", "G", "sum(α) = α"),
  rule("sum(a)", "a", "G𝟙", "sum(x) = 𝟙ᵀx, MC (69)"),
  rule("sum(aᵀ)", "a", "G𝟙", "sum(xᵀ) = 𝟙ᵀx, MC (69)"),
  rule("sum(A)", "A", "G𝟙𝟙ᵀ", "sum(X) = 𝟙ᵀX𝟙, MC (70)"),
  rule("vec(a)", "a", "G", "vec(x) = x for a column x"),
  rule("vec(aᵀ)", "a", "G", "vec(xᵀ) = x"),
  rule("diag(A)", "A", "diag(G)", "diag is linear; its adjoint is diag the other way (vector ↔ diagonal)"),

  // Functions of a scalar, then the same functions entry by entry.
  rule("log(α)", "α", "G / α", "d log α = dα / α"),
  rule("log(A)", "A", "G ⊘ A", "entrywise d log a = da / a"),
  rule("exp(α)", "α", "G exp(α)", "d exp α = exp α dα"),
  rule("exp(A)", "A", "G ⊙ exp(A)", "entrywise d exp a = exp a da"),
  rule("√α", "α", "G / (2√α)", "d √α = dα / (2√α)"),
  rule("√A", "A", "G ⊘ (2√A)", "entrywise d √a = da / (2√a)"),
  rule("abs(α)", "α", "G sign(α)", "d|α| = sign(α) dα; sign(0) = 0, a subgradient (α/|α| is NaN there)"),
  rule("abs(A)", "A", "G ⊙ sign(A)", "entrywise d|a| = sign(a) da; sign(0) = 0, a subgradient"),
  rule("sin(α)", "α", "G cos(α)", "d sin α = cos α dα"),
  rule("sin(A)", "A", "G ⊙ cos(A)", "entrywise d sin a = cos a da"),
  rule("cos(α)", "α", "−G sin(α)", "d cos α = −sin α dα"),
  rule("cos(A)", "A", "−G ⊙ sin(A)", "entrywise d cos a = −sin a da"),
  rule("tanh(α)", "α", "G(1 − tanh(α)²)", "d tanh α = (1 − tanh² α) dα"),
  rule("tanh(a)", "a", "G ⊙ (𝟙 − tanh(a) ⊙ tanh(a))", "entrywise d tanh a = (1 − tanh² a) da"),
  rule("tanh(A)", "A", "G − G ⊙ tanh(A) ⊙ tanh(A)", "entrywise d tanh a = (1 − tanh² a) da"),
  rule("sigmoid(α)", "α", "G sigmoid(α)(1 − sigmoid(α))", "σ′ = σ(1 − σ)"),
  rule("sigmoid(a)", "a", "G ⊙ sigmoid(a) ⊙ (𝟙 − sigmoid(a))", "entrywise σ′ = σ(1 − σ)"),
  rule("sigmoid(A)", "A", "G ⊙ sigmoid(A) − G ⊙ sigmoid(A) ⊙ sigmoid(A)", "entrywise σ′ = σ(1 − σ)"),
  rule("softplus(α)", "α", "G sigmoid(α)", "softplus′ = σ"),
  rule("softplus(A)", "A", "G ⊙ sigmoid(A)", "entrywise softplus′ = σ"),
  rule("relu(α)", "α", "G step(α)", "relu′ = step, relu′(0) := 0"),
  rule("relu(A)", "A", "G ⊙ step(A)", "entrywise relu′ = step, relu′(0) := 0"),
  rule("step(A)", "A", "0 G", "step′ = 0 away from 0"),
  rule("sign(A)", "A", "0 G", "sign′ = 0 away from 0"),

  // Vector functions.
  rule("softmax(a)", "a", "softmax(a) ⊙ G − softmax(a) softmax(a)ᵀ G", "∂softmax(x)/∂x = diag(s) − ssᵀ, Bishop PRML (4.106)"),
  rule("logsumexp(a)", "a", "G softmax(a)", "∂logsumexp(x)/∂x = softmax(x), Boyd & Vandenberghe §3.1.5"),
  rule("softmax(A)", "A", "(G − ((G ⊙ softmax(A))𝟙)𝟙ᵀ) ⊙ softmax(A)", "the vector rule on each row: row i gets (gᵢ − gᵢᵀsᵢ𝟙) ⊙ sᵢ"),
  rule("logsumexp(A)", "A", "(G𝟙ᵀ) ⊙ softmax(A)", "the vector rule on each row: row i gets gᵢ softmax(row i)"),
];

/**
 * Rules written outside this file (test/fixtures/): the batch keeps its order and goes before the
 * first rule of a node it shares, being more specific (tr(A^k) before tr(A)), else at the end.
 */
export function addDerivativeRules(...rules: AdjointRule[]): void {
  const head = (r: AdjointRule) => `${r.node.op} ${r.node.fn ?? ""}`;
  const heads = new Set(rules.map(head));
  const at = DERIVATIVE_RULES.findIndex((r) => heads.has(head(r)));
  DERIVATIVE_RULES.splice(at < 0 ? DERIVATIVE_RULES.length : at, 0, ...rules);
}
