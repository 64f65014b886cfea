// The identities by which src/derive/jacobian.ts reads a Jacobian off the reverse-mode adjoint
// S(G) — a linear map of the seed G — one a line: name, one side, the other side, source.
// Single letters are metavariables as in rules/derivatives.ts (lower-case Latin: column vectors).
// jacobian.ts names the identity each of its steps rests on by its name, typed: a misspelled name
// does not compile. test/rules.test.ts discovers every line and checks that both sides are equal at
// random instances, and that some derivation of the corpus reaches it.
// MC (n) is equation n of The Matrix Cookbook (version of November 15, 2012).

// Kept as text: jacobian.ts only cites them by name, so they are not parsed at every start.
const identity = <Name extends string>(name: Name, from: string, to: string, source: string) => ({ name, text: { from, to }, source });

export const LINEAR_MAP_IDENTITIES = [
  identity("vec of a product", "vec(L G Rᵀ)", "(R ⊗ L) vec(G)", "MC (520)"),
  identity("vec of a transposed product, G a vector", "vec(l gᵀ Rᵀ)", "(R ⊗ l) g", "MC (520), with vec(gᵀ) = g"),
  identity("vec of a transposed product that is a vector", "vec(L Gᵀ r)", "(L ⊗ rᵀ) vec(G)", "MC (520): the commutation matrix drops out"),
  identity("vec of a product with a Kronecker factor", "vec(P E Q)", "(Qᵀ ⊗ P) vec(E)", "MC (520)"),
  identity("the transpose of a Kronecker product", "(A ⊗ B)ᵀ", "Aᵀ ⊗ Bᵀ", "MC §10.2.1"),
  identity("a Kronecker product of a column and a row", "a ⊗ bᵀ", "a bᵀ", "definition of ⊗"),
  identity("a Kronecker product of a row and a column", "bᵀ ⊗ a", "a bᵀ", "definition of ⊗"),
  identity("identities multiply", "I ⊗ I", "I", "definition of ⊗"),
  identity("a scalar linear form", "aᵀ G b", "vec(a bᵀ)ᵀ vec(G)", "⟨G, abᵀ⟩ = tr((abᵀ)ᵀG)"),
  identity("a linear form times a vector", "(aᵀ G b) c", "c aᵀ G b", "a scalar commutes"),
  identity("a linear form of any coefficient", "tr(Dᵀ G) c", "c vec(D)ᵀ vec(G)", "⟨G, D⟩ = vec(D)ᵀvec(G)"),
  identity("a Hadamard product of vectors", "d ⊙ g", "diag(d) g", "definition of ⊙"),
  identity("a Hadamard quotient of vectors", "g ⊘ d", "diag(d)⁻¹ g", "definition of ⊘"),
  identity("a Hadamard product of matrices", "vec(D ⊙ G)", "diag(vec(D)) vec(G)", "definition of ⊙"),
  identity("a diagonal matrix times a vector", "diag(v) q", "diag(q) v", "diag(v)q = v ⊙ q"),
  identity("a row times a diagonal matrix", "pᵀ diag(v)", "(diag(p) v)ᵀ", "pᵀdiag(v) = (p ⊙ v)ᵀ"),
  identity("the diagonal of a rank-one product", "diag(L g rᵀ)", "diag(r) L g", "diag(abᵀ) = a ⊙ b"),
  identity("the diagonal of a transposed rank-one product", "diag(l gᵀ Rᵀ)", "diag(l) R g", "diag(abᵀ) = a ⊙ b"),
  identity("the diagonal of a product through a diagonal matrix", "diag(P diag(g) Q)", "(P ⊙ Qᵀ) g", "diag(P diag(g) Q)ᵢ = Σₖ Pᵢₖ gₖ Qₖᵢ"),
];

export type LinearMapName = (typeof LINEAR_MAP_IDENTITIES)[number]["name"];

/** The identity of that name, as a derivation cites it: "left = right  [source]". */
export function citation(name: LinearMapName): string {
  const i = LINEAR_MAP_IDENTITIES.find((x) => x.name === name)!;
  return `${i.text.from} = ${i.text.to}  [${i.source}]`;
}
