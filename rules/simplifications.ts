// Rewrites the simplifier applies locally, one a line: name, pattern, replacement, condition.
// Single letters are metavariables (Greek: scalars only). Each rewrite preserves the value;
// test/rules.test.ts discovers every line and checks it numerically. The runner applies them
// bottom-up under explicit limits (src/simplify/rewrite.ts); which of several equal forms is
// shown is decided by the cost in src/simplify/cost.ts, not by these rules.

import { rewrite } from "../src/simplify/rewrite.js";

export const SIMPLIFICATIONS = [
  rewrite("double transpose", "(Aᵀ)ᵀ", "A"),
  rewrite("transpose of a scalar", "αᵀ", "α"),
  rewrite("symmetric", "Aᵀ", "A", "A symmetric"),
  rewrite("transpose of a product", "(A B)ᵀ", "BᵀAᵀ"),
  rewrite("transpose of a negation", "(−A)ᵀ", "−Aᵀ"),
  rewrite("transpose of a quotient", "(A / α)ᵀ", "Aᵀ / α"),
  rewrite("inverse of a transpose", "(Aᵀ)⁻¹", "(A⁻¹)ᵀ"),
  rewrite("double inverse", "(A⁻¹)⁻¹", "A"),
  rewrite("double negation", "−(−A)", "A"),
  rewrite("one times", "1 A", "A"),
  rewrite("times one", "A 1", "A"),
  rewrite("identity times", "I A", "A", "A not scalar"),
  rewrite("times identity", "A I", "A", "A not scalar"),
  rewrite("divide by one", "A / 1", "A"),
  rewrite("negation out of a left factor", "(−A) B", "−(A B)"),
  rewrite("negation out of a right factor", "A (−B)", "−(A B)"),
  rewrite("scalar to the front", "A α", "α A", "A not scalar"),
  rewrite("scalars together", "α (β A)", "(α β) A", "A not scalar"),
  rewrite("scalar out of a left factor", "(α A) B", "α (A B)", "A not scalar"),
  rewrite("scalar out of a right factor", "A (α B)", "α (A B)", "B not scalar"),
  rewrite("scalar out of a transpose", "(α A)ᵀ", "α Aᵀ"),
  rewrite("trace of a transpose", "tr(Aᵀ)", "tr(A)"),
  rewrite("determinant of a transpose", "|Aᵀ|", "|A|"),
  rewrite("log-determinant of a transpose", "log|Aᵀ|", "log|A|"),
  rewrite("quotient of a quotient", "(A / α) / β", "A / (α β)"),
  rewrite("scalar times a quotient", "α (A / β)", "(α A) / β"),
];
