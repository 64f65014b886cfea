// Chapter 2 of The Matrix Cookbook (Petersen & Pedersen, version of November 15, 2012),
// equations (32)–(144), one row each: covered — with the corpus problems (test/corpus/problems.ts)
// that derive it and are checked against finite differences — or not covered, and why.
// test/cookbook.test.ts checks every row and renders docs/cookbook-coverage.md from this table.
// Statements are paraphrased in matcalc's notation.

export interface CookbookRow {
  /** Equation number. */
  readonly eq: number;
  /** §, and what the equation states. */
  readonly section: string;
  readonly statement: string;
  /** Corpus problem ids that derive it (covered), or the reason it is not covered. */
  readonly covered?: readonly string[];
  readonly why?: string;
  /** A remark on how it is covered. */
  readonly note?: string;
}

const INDEX = "index notation: matcalc derives whole vectors and matrices; the entries of this identity are the entries of a matrix form it derives";
const COMPLEX = "complex matrices (ᴴ, conjugates): matcalc is real";
const STRUCTURED = "derivatives that respect a structure (symmetric, diagonal, Toeplitz): matcalc takes the entries of a structured matrix as independent, as NOTATION.md says, and notes it";

export const COOKBOOK_CHAPTER_2: readonly CookbookRow[] = [
  { eq: 32, section: "2", statement: "∂Xₖₗ/∂Xᵢⱼ = δᵢₖδₗⱼ (the entries are independent)", why: `the definition of the derivative of entries; ${INDEX}` },
  { eq: 33, section: "2", statement: "∂A = 0 for a constant A", covered: ["mc-33-constant-term"] },
  { eq: 34, section: "2", statement: "∂(αX) = α∂X", covered: ["mc-34-scaled-trace"] },
  { eq: 35, section: "2", statement: "∂(X + Y) = ∂X + ∂Y", covered: ["mc-35-sum-of-traces"] },
  { eq: 36, section: "2", statement: "∂tr(X) = tr(∂X)", covered: ["mc-99-trace-X"] },
  { eq: 37, section: "2", statement: "∂(XY) = (∂X)Y + X(∂Y)", covered: ["mc-101-trace-AXB", "jac-outer-product"] },
  { eq: 38, section: "2", statement: "∂(X ⊙ Y) = (∂X) ⊙ Y + X ⊙ (∂Y)", covered: ["mc-38-hadamard-inner", "mc-38-hadamard-square", "jac-hadamard"] },
  { eq: 39, section: "2", statement: "∂(X ⊗ Y) = (∂X) ⊗ Y + X ⊗ (∂Y)", covered: ["mc-39-trace-kron-product", "mc-120-trace-kron-XX"], note: "inside a trace (tr(A ⊗ B) = tr(A)tr(B)); elsewhere the adjoint of ⊗ has no matrix form and is refused" },
  { eq: 40, section: "2", statement: "∂(X⁻¹) = −X⁻¹(∂X)X⁻¹", covered: ["mc-61-aXinvb", "mc-60-vec-inverse"] },
  { eq: 41, section: "2", statement: "∂det(X) = tr(adj(X)∂X)", covered: ["mc-49-det-X"], note: "for invertible X, where adj(X) = det(X)X⁻¹; matcalc has no adjugate" },
  { eq: 42, section: "2", statement: "∂det(X) = det(X)tr(X⁻¹∂X)", covered: ["mc-49-det-X"] },
  { eq: 43, section: "2", statement: "∂log det(X) = tr(X⁻¹∂X)", covered: ["mc-57-logdet-X"] },
  { eq: 44, section: "2", statement: "∂Xᵀ = (∂X)ᵀ", covered: ["mc-71-aXtb"] },
  { eq: 45, section: "2", statement: "∂Xᴴ = (∂X)ᴴ", why: COMPLEX },
  { eq: 46, section: "2.1.1", statement: "∂det(Y)/∂x = det(Y)tr(Y⁻¹∂Y/∂x)", covered: ["mc-46-det-by-scalar", "sc-det-scaled"] },
  { eq: 47, section: "2.1.1", statement: "Σₖ (∂det(X)/∂Xᵢₖ)Xⱼₖ = δᵢⱼ det(X)", why: `a property of the gradient (49), not a derivative to compute; ${INDEX}` },
  { eq: 48, section: "2.1.1", statement: "∂²det(Y)/∂x² = det(Y)(tr(Y⁻¹∂²Y/∂x²) + tr(Y⁻¹∂Y/∂x)² − tr(Y⁻¹(∂Y/∂x)Y⁻¹(∂Y/∂x)))", covered: ["mc-48-det-second-derivative"], note: "Y affine in x, so ∂²Y/∂x² = 0" },
  { eq: 49, section: "2.1.1", statement: "∂det(X)/∂X = det(X)X⁻ᵀ", covered: ["mc-49-det-X", "mc-49-det-Xt"] },
  { eq: 50, section: "2.1.1", statement: "Σₖ (∂det(X)/∂Xᵢₖ)Xⱼₖ = δᵢⱼ det(X), for the gradient (49)", why: `a property of the gradient, not a derivative to compute; ${INDEX}` },
  { eq: 51, section: "2.1.1", statement: "∂det(AXB)/∂X = det(AXB)X⁻ᵀ", covered: ["mc-51-det-AXB", "mc-51-logdet-AXB"] },
  { eq: 52, section: "2.1.1", statement: "∂det(XᵀAX)/∂X = 2det(XᵀAX)X⁻ᵀ, X square", covered: ["mc-52-det-XtAX-square"] },
  { eq: 53, section: "2.1.1", statement: "∂det(XᵀAX)/∂X = 2det(XᵀAX)AX(XᵀAX)⁻¹, A symmetric", covered: ["mc-53-det-XtAX-symmetric"] },
  { eq: 54, section: "2.1.1", statement: "∂det(XᵀAX)/∂X = det(XᵀAX)(AX(XᵀAX)⁻¹ + AᵀX(XᵀAᵀX)⁻¹)", covered: ["mc-54-det-XtAX"] },
  { eq: 55, section: "2.1.1", statement: "∂log det(XᵀX)/∂X = 2(X⁺)ᵀ", covered: ["mc-55-logdet-XtX", "mc-55-logdet-XtX-square"], note: "(X⁺)ᵀ written X(XᵀX)⁻¹" },
  { eq: 56, section: "2.1.1", statement: "∂log det(XᵀX)/∂X⁺ = −2Xᵀ", why: "a derivative by the pseudo-inverse X⁺ taken as its own variable; matcalc has no pseudo-inverse" },
  { eq: 57, section: "2.1.1", statement: "∂log|det(X)|/∂X = X⁻ᵀ", covered: ["mc-57-logdet-X"] },
  { eq: 58, section: "2.1.1", statement: "∂det(Xᵏ)/∂X = k det(Xᵏ)X⁻ᵀ", covered: ["mc-58-det-X3"] },
  { eq: 59, section: "2.2", statement: "∂Y⁻¹/∂x = −Y⁻¹(∂Y/∂x)Y⁻¹", covered: ["mc-59-inverse-by-scalar"] },
  { eq: 60, section: "2.2", statement: "∂(X⁻¹)ₖₗ/∂Xᵢⱼ = −(X⁻¹)ₖᵢ(X⁻¹)ⱼₗ", covered: ["mc-60-vec-inverse"], note: "as the vec–Kronecker matrix ∂vec(X⁻¹)/∂vec(X) = −X⁻ᵀ ⊗ X⁻¹, whose entries these are" },
  { eq: 61, section: "2.2", statement: "∂aᵀX⁻¹b/∂X = −X⁻ᵀabᵀX⁻ᵀ", covered: ["mc-61-aXinvb", "mc-61-aXinvTb"] },
  { eq: 62, section: "2.2", statement: "∂det(X⁻¹)/∂X = −det(X⁻¹)X⁻ᵀ", covered: ["mc-62-det-Xinv"] },
  { eq: 63, section: "2.2", statement: "∂tr(AX⁻¹B)/∂X = −(X⁻¹BAX⁻¹)ᵀ", covered: ["mc-63-trace-AXinvB"] },
  { eq: 64, section: "2.2", statement: "∂tr((X + A)⁻¹)/∂X = −((X + A)⁻¹(X + A)⁻¹)ᵀ", covered: ["mc-64-trace-inv-XplusA"] },
  { eq: 65, section: "2.3", statement: "∂(Σᵢ eigᵢ(X))/∂X = ∂tr(X)/∂X = I", covered: ["mc-99-trace-X"], note: "as tr(X); matcalc has no eigenvalues" },
  { eq: 66, section: "2.3", statement: "∂(Πᵢ eigᵢ(X))/∂X = ∂det(X)/∂X = det(X)X⁻ᵀ", covered: ["mc-49-det-X"], note: "as det(X); matcalc has no eigenvalues" },
  { eq: 67, section: "2.3", statement: "∂λᵢ = vᵢᵀ(∂A)vᵢ, A symmetric", why: "eigenvalues and eigenvectors are not in the notation" },
  { eq: 68, section: "2.3", statement: "∂vᵢ = (λᵢI − A)⁺(∂A)vᵢ", why: "eigenvectors and pseudo-inverses are not in the notation" },
  { eq: 69, section: "2.4.1", statement: "∂xᵀa/∂x = ∂aᵀx/∂x = a", covered: ["mc-69-ax", "mc-69-xa"] },
  { eq: 70, section: "2.4.1", statement: "∂aᵀXb/∂X = abᵀ", covered: ["mc-70-aXb"] },
  { eq: 71, section: "2.4.1", statement: "∂aᵀXᵀb/∂X = baᵀ", covered: ["mc-71-aXtb"] },
  { eq: 72, section: "2.4.1", statement: "∂aᵀXa/∂X = ∂aᵀXᵀa/∂X = aaᵀ", covered: ["mc-72-aXa"] },
  { eq: 73, section: "2.4.1", statement: "∂X/∂Xᵢⱼ = Jⁱʲ (the single-entry matrix)", why: `single-entry matrices; ${INDEX} (∂vec(X)/∂vec(X) = I)` },
  { eq: 74, section: "2.4.1", statement: "∂(XA)ᵢⱼ/∂Xₘₙ = δᵢₘAₙⱼ = (JᵐⁿA)ᵢⱼ", covered: ["mc-74-vec-XA"], note: "as ∂vec(XA)/∂vec(X) = Aᵀ ⊗ I, whose entries these are" },
  { eq: 75, section: "2.4.1", statement: "∂(XᵀA)ᵢⱼ/∂Xₘₙ = δᵢₙAₘⱼ = (JⁿᵐA)ᵢⱼ", why: "as a matrix, ∂vec(XᵀA)/∂vec(X) needs the commutation matrix K, which matcalc does not print (it refuses)" },
  { eq: 76, section: "2.4.2", statement: "∂(Σₖₗₘₙ XₖₗXₘₙ)/∂Xᵢⱼ = 2Σₖₗ Xₖₗ", covered: ["mc-76-sum-squared"], note: "in matrix form: ∂sum(X)²/∂X = 2sum(X)𝟙𝟙ᵀ" },
  { eq: 77, section: "2.4.2", statement: "∂bᵀXᵀXc/∂X = X(bcᵀ + cbᵀ)", covered: ["mc-77-bXtXc"] },
  { eq: 78, section: "2.4.2", statement: "∂(Bx + b)ᵀC(Dx + d)/∂x = BᵀC(Dx + d) + DᵀCᵀ(Bx + b)", covered: ["mc-78-affine-quadratic-form"] },
  { eq: 79, section: "2.4.2", statement: "∂(XᵀBX)ₖₗ/∂Xᵢⱼ = δₗⱼ(XᵀB)ₖᵢ + δₖⱼ(BX)ᵢₗ", why: "as a matrix, ∂vec(XᵀBX)/∂vec(X) needs the commutation matrix K, which matcalc does not print (it refuses)" },
  { eq: 80, section: "2.4.2", statement: "∂(XᵀBX)/∂Xᵢⱼ = XᵀBJⁱʲ + JʲⁱBX", why: "single-entry matrices; as a matrix it needs the commutation matrix K (refused)" },
  { eq: 81, section: "2.4.2", statement: "∂xᵀBx/∂x = (B + Bᵀ)x", covered: ["mc-81-xBx"] },
  { eq: 82, section: "2.4.2", statement: "∂bᵀXᵀDXc/∂X = DᵀXbcᵀ + DXcbᵀ", covered: ["mc-82-bXtDXc"] },
  { eq: 83, section: "2.4.2", statement: "∂(Xb + c)ᵀD(Xb + c)/∂X = (D + Dᵀ)(Xb + c)bᵀ", covered: ["mc-83-XbcDXbc"] },
  { eq: 84, section: "2.4.2", statement: "∂(x − As)ᵀW(x − As)/∂s = −2AᵀW(x − As), W symmetric", covered: ["mc-84-weighted-by-s"] },
  { eq: 85, section: "2.4.2", statement: "∂(x − s)ᵀW(x − s)/∂x = 2W(x − s), W symmetric", covered: ["mc-85-weighted-by-x"] },
  { eq: 86, section: "2.4.2", statement: "∂(x − s)ᵀW(x − s)/∂s = −2W(x − s), W symmetric", covered: ["mc-86-weighted-by-s"] },
  { eq: 87, section: "2.4.2", statement: "∂(x − As)ᵀW(x − As)/∂x = 2W(x − As), W symmetric", covered: ["mc-87-weighted-by-x"] },
  { eq: 88, section: "2.4.2", statement: "∂(x − As)ᵀW(x − As)/∂A = −2W(x − As)sᵀ, W symmetric", covered: ["mc-88-weighted-by-A"] },
  { eq: 89, section: "2.4.2", statement: "∂(a − xᴴb)²/∂x = −2b(a − xᴴb)*", why: COMPLEX },
  { eq: 90, section: "2.4.3", statement: "∂(Xⁿ)ₖₗ/∂Xᵢⱼ = Σᵣ (XʳJⁱʲXⁿ⁻¹⁻ʳ)ₖₗ", covered: ["mc-90-vec-X3"], note: "n = 3, as ∂vec(X³)/∂vec(X) = Σᵣ (Xʳ)ᵀ ⊗ X²⁻ʳ" },
  { eq: 91, section: "2.4.3", statement: "∂aᵀXⁿb/∂X = Σᵣ (Xʳ)ᵀabᵀ(Xⁿ⁻¹⁻ʳ)ᵀ", covered: ["mc-91-aX3b"], note: "n = 3" },
  { eq: 92, section: "2.4.3", statement: "∂aᵀ(Xⁿ)ᵀXⁿb/∂X", covered: ["mc-92-aX2tX2b"], note: "n = 2" },
  { eq: 93, section: "2.4.3", statement: "∂sᵀAr/∂x for functions s(x), r(x)", why: "s and r are unspecified functions, which the notation has not; for given s and r it is derived (mc-78-affine-quadratic-form)" },
  { eq: 94, section: "2.4.3", statement: "∂/∂x (Ax)ᵀ(Ax)/((Bx)ᵀ(Bx))", covered: ["mc-94-rayleigh-quotient"] },
  { eq: 95, section: "2.4.3", statement: "… = 2AᵀAx/(xᵀBᵀBx) − 2xᵀAᵀAx·BᵀBx/(xᵀBᵀBx)²", covered: ["mc-94-rayleigh-quotient"] },
  { eq: 96, section: "2.4.4", statement: "f = xᵀAx + bᵀx", covered: ["mc-96-quadratic-plus-linear"] },
  { eq: 97, section: "2.4.4", statement: "∇ₓf = (A + Aᵀ)x + b", covered: ["mc-96-quadratic-plus-linear"] },
  { eq: 98, section: "2.4.4", statement: "∂²f/∂x∂xᵀ = A + Aᵀ", covered: ["mc-98-hessian-quadratic", "mc-98-hessian-quadratic-symmetric"] },
  { eq: 99, section: "2.5.1", statement: "∂tr(X)/∂X = I", covered: ["mc-99-trace-X"] },
  { eq: 100, section: "2.5.1", statement: "∂tr(XA)/∂X = Aᵀ", covered: ["mc-100-trace-XA"] },
  { eq: 101, section: "2.5.1", statement: "∂tr(AXB)/∂X = AᵀBᵀ", covered: ["mc-101-trace-AXB"] },
  { eq: 102, section: "2.5.1", statement: "∂tr(AXᵀB)/∂X = BA", covered: ["mc-102-trace-AXtB"] },
  { eq: 103, section: "2.5.1", statement: "∂tr(XᵀA)/∂X = A", covered: ["mc-103-trace-XtA"] },
  { eq: 104, section: "2.5.1", statement: "∂tr(AXᵀ)/∂X = A", covered: ["mc-104-trace-AXt"] },
  { eq: 105, section: "2.5.1", statement: "∂tr(A ⊗ X)/∂X = tr(A)I", covered: ["mc-105-trace-kron"] },
  { eq: 106, section: "2.5.2", statement: "∂tr(X²)/∂X = 2Xᵀ", covered: ["mc-106-trace-X2"] },
  { eq: 107, section: "2.5.2", statement: "∂tr(X²B)/∂X = (XB + BX)ᵀ", covered: ["mc-107-trace-X2B"] },
  { eq: 108, section: "2.5.2", statement: "∂tr(XᵀBX)/∂X = BX + BᵀX", covered: ["mc-108-trace-XtBX"] },
  { eq: 109, section: "2.5.2", statement: "∂tr(BXXᵀ)/∂X = BX + BᵀX", covered: ["mc-109-trace-BXXt"] },
  { eq: 110, section: "2.5.2", statement: "∂tr(XXᵀB)/∂X = BX + BᵀX", covered: ["mc-110-trace-XXtB"] },
  { eq: 111, section: "2.5.2", statement: "∂tr(XBXᵀ)/∂X = XBᵀ + XB", covered: ["mc-111-trace-XBXt"] },
  { eq: 112, section: "2.5.2", statement: "∂tr(BXᵀX)/∂X = XBᵀ + XB", covered: ["mc-112-trace-BXtX"] },
  { eq: 113, section: "2.5.2", statement: "∂tr(XᵀXB)/∂X = XBᵀ + XB", covered: ["mc-113-trace-XtXB"] },
  { eq: 114, section: "2.5.2", statement: "∂tr(AXBX)/∂X = AᵀXᵀBᵀ + BᵀXᵀAᵀ", covered: ["mc-114-trace-AXBX"] },
  { eq: 115, section: "2.5.2", statement: "∂tr(XᵀX)/∂X = ∂tr(XXᵀ)/∂X = 2X", covered: ["mc-115-trace-XtX"] },
  { eq: 116, section: "2.5.2", statement: "∂tr(BᵀXᵀCXB)/∂X = CᵀXBBᵀ + CXBBᵀ", covered: ["mc-116-trace-BtXtCXB"] },
  { eq: 117, section: "2.5.2", statement: "∂tr(XᵀBXC)/∂X = BXC + BᵀXCᵀ", covered: ["mc-117-trace-XtBXC"] },
  { eq: 118, section: "2.5.2", statement: "∂tr(AXBXᵀC)/∂X = AᵀCᵀXBᵀ + CAXB", covered: ["mc-118-trace-AXBXtC", "mc-118-trace-XAXtB"] },
  { eq: 119, section: "2.5.2", statement: "∂tr((AXB + C)(AXB + C)ᵀ)/∂X = 2Aᵀ(AXB + C)Bᵀ", covered: ["mc-119-trace-AXBC", "mc-119-frobenius-AX-B"] },
  { eq: 120, section: "2.5.2", statement: "∂tr(X ⊗ X)/∂X = ∂tr(X)tr(X)/∂X = 2tr(X)I", covered: ["mc-120-trace-kron-XX", "mc-120-trace-squared"] },
  { eq: 121, section: "2.5.3", statement: "∂tr(Xᵏ)/∂X = k(Xᵏ⁻¹)ᵀ", covered: ["mc-121-trace-X3", "mc-121-trace-Xinv2"] },
  { eq: 122, section: "2.5.3", statement: "∂tr(AXᵏ)/∂X = Σᵣ (XʳAXᵏ⁻ʳ⁻¹)ᵀ", covered: ["mc-122-trace-AX3"] },
  { eq: 123, section: "2.5.3", statement: "∂tr(BᵀXᵀCXXᵀCXB)/∂X", covered: ["mc-123-trace-quartic"] },
  { eq: 124, section: "2.5.4", statement: "∂tr(AX⁻¹B)/∂X = −(X⁻¹BAX⁻¹)ᵀ", covered: ["mc-124-trace-inverse", "mc-63-trace-AXinvB"] },
  { eq: 125, section: "2.5.4", statement: "∂tr((XᵀCX)⁻¹A)/∂X = −CX(XᵀCX)⁻¹(A + Aᵀ)(XᵀCX)⁻¹, C symmetric", covered: ["mc-125-trace-inv-XtCX-A"] },
  { eq: 126, section: "2.5.4", statement: "∂tr((XᵀCX)⁻¹(XᵀBX))/∂X, B, C symmetric", covered: ["mc-126-trace-inv-XtCX-XtBX"] },
  { eq: 127, section: "2.5.4", statement: "∂tr((A + XᵀCX)⁻¹(XᵀBX))/∂X, B, C symmetric", covered: ["mc-127-trace-inv-A-XtCX-XtBX"] },
  { eq: 128, section: "2.5.4", statement: "∂tr(sin(X))/∂X = cos(X)ᵀ", why: "sin(X) there is the matrix sine; in matcalc sin of a matrix is entrywise (NOTATION.md), whose trace has the derivative I ⊙ cos(X), not cos(X)ᵀ — matcalc has no matrix functions" },
  { eq: 129, section: "2.6.1", statement: "∂‖x − a‖₂/∂x = (x − a)/‖x − a‖₂", covered: ["mc-129-norm-x-minus-a", "mc-129-norm-x"] },
  { eq: 130, section: "2.6.1", statement: "∂/∂x (x − a)/‖x − a‖₂ = I/‖x − a‖₂ − (x − a)(x − a)ᵀ/‖x − a‖₂³", covered: ["mc-130-normalized-vector", "mc-130-hessian-norm"] },
  { eq: 131, section: "2.6.1", statement: "∂‖x‖₂²/∂x = ∂xᵀx/∂x = 2x", covered: ["mc-131-norm2-squared", "mc-131-xtx", "mc-131-hessian-squared-norm"] },
  { eq: 132, section: "2.7.1", statement: "∂‖X‖_F²/∂X = 2X", covered: ["mc-132-frobenius-squared"] },
  { eq: 133, section: "2.8", statement: "df/dAᵢⱼ = tr((∂f/∂A)ᵀ ∂A/∂Aᵢⱼ) for a structured A", why: STRUCTURED },
  { eq: 134, section: "2.8", statement: "the structure matrix Sⁱʲ = ∂A/∂Aᵢⱼ", why: STRUCTURED },
  { eq: 135, section: "2.8.1", statement: "the chain rule ∂g(U)/∂Xᵢⱼ = tr((∂g(U)/∂U)ᵀ ∂U/∂Xᵢⱼ)", covered: ["seed-1d-definitions", "seed-2e-X"], note: "through definitions (U := …): U collects its adjoint ∂g/∂U and passes it on" },
  { eq: 136, section: "2.8.1", statement: "the chain rule, written with single-entry matrices", why: INDEX },
  { eq: 137, section: "2.8.2", statement: "the structure matrix of a symmetric A: Sⁱʲ = Jⁱʲ + Jʲⁱ − JⁱʲJⁱʲ", why: STRUCTURED },
  { eq: 138, section: "2.8.2", statement: "df/dA = ∂f/∂A + (∂f/∂A)ᵀ − diag(∂f/∂A), A symmetric", why: STRUCTURED },
  { eq: 139, section: "2.8.2", statement: "∂tr(AX)/∂X = A + Aᵀ − (A ⊙ I), X symmetric", why: STRUCTURED },
  { eq: 140, section: "2.8.2", statement: "∂det(X)/∂X = det(X)(2X⁻¹ − (X⁻¹ ⊙ I)), X symmetric", why: STRUCTURED },
  { eq: 141, section: "2.8.2", statement: "∂log det(X)/∂X = 2X⁻¹ − (X⁻¹ ⊙ I), X symmetric", why: STRUCTURED },
  { eq: 142, section: "2.8.3", statement: "∂tr(AX)/∂X = A ⊙ I, X diagonal", why: STRUCTURED },
  { eq: 143, section: "2.8.4", statement: "∂tr(AT)/∂T = α(A), T Toeplitz", why: STRUCTURED },
  { eq: 144, section: "2.8.4", statement: "∂tr(AT)/∂T = α(A) + α(A)ᵀ − α(A) ⊙ I, T symmetric Toeplitz", why: STRUCTURED },
];

/** docs/cookbook-coverage.md, from the table. */
export function renderCoverage(rows: readonly CookbookRow[]): string {
  const covered = rows.filter((r) => r.covered).length;
  const escape = (s: string) => s.replaceAll("|", "\\|");
  const lines = [
    "# The Matrix Cookbook, chapter 2: what matcalc covers",
    "",
    "<!-- Generated from test/corpus/cookbook.ts by test/cookbook.test.ts (UPDATE_DOCS=1 npx vitest run test/cookbook.test.ts); do not edit by hand. -->",
    "",
    "Equations (32)–(144) of Petersen & Pedersen, *The Matrix Cookbook* (version of November 15, 2012),",
    "one row each, paraphrased in matcalc's notation. A covered row names the corpus problems",
    "(`test/corpus/problems.ts`) that derive it; `npm test` checks each of them, in its Unicode,",
    "ASCII and LaTeX spellings, against central finite differences of the function, checks the",
    "textbook answer the same way, and checks that matcalc's answer is no larger than it.",
    "",
    `Covered: ${covered} of ${rows.length}.`,
    "",
    "| eq. | § | statement | covered by / why not |",
    "|---|---|---|---|",
    ...rows.map((r) => {
      const right = r.covered
        ? `✓ ${r.covered.map((id) => `\`${id}\``).join(", ")}${r.note ? ` — ${r.note}` : ""}`
        : `not covered: ${r.why}`;
      return `| (${r.eq}) | ${r.section} | ${escape(r.statement)} | ${escape(right)} |`;
    }),
    "",
    "Conventions that decide some rows:",
    "",
    "- A derivative by a symmetric, spd or diagonal matrix takes its entries as independent (NOTATION.md),",
    "  so the structured derivatives of §2.8 are not what matcalc computes; it says so in a note.",
    "- Functions of a matrix (log, exp, sin, …) are entrywise, as in NumPy; matrix functions are not built.",
    "- Derivatives of matrices by matrices are written ∂vec(F)/∂vec(X) with vec stacking columns; where that",
    "  needs the commutation matrix K (vec(Xᵀ) = K vec(X)), matcalc refuses rather than print K.",
    "",
  ];
  return lines.join("\n");
}
