/** The seed homework's problems (../shared/seeds), run by `matcalc example`. */
export const EXAMPLES = [
  {
    title: "1(d) a linear autoencoder's loss, by W",
    expression: "½‖WᵀWx − x‖²",
    wrt: "W",
    where: "W: m×n, x: n",
  },
  {
    title: "2(b) the log-determinant term of the GP-LVM likelihood, by X",
    expression: "−D/2 log|K|",
    wrt: "X",
    where: "X: m×n, Y: m×D, α, β: scalar, K := αXXᵀ + β⁻¹I",
  },
  {
    title: "2(d) the trace term, by X",
    expression: "−½ tr(K⁻¹YYᵀ)",
    wrt: "X",
    where: "X: m×n, Y: m×D, α, β: scalar, K := αXXᵀ + β⁻¹I",
  },
  {
    title: "2(e) the whole log-likelihood, by X (the seed's last line has the sign of DK⁻¹ wrong)",
    expression: "−D/2 log|K| − ½ tr(K⁻¹YYᵀ)",
    wrt: "X",
    where: "X: m×n, Y: m×D, α, β: scalar, K := αXXᵀ + β⁻¹I",
  },
  {
    title: "the same in LaTeX",
    expression: "-\\frac{D}{2}\\log\\left|K\\right| - \\frac{1}{2}\\operatorname{tr}\\left(K^{-1} Y Y^\\top\\right)",
    wrt: "X",
    where: "X \\in \\mathbb{R}^{m \\times n}, Y \\in \\mathbb{R}^{m \\times D}, \\alpha, \\beta \\in \\mathbb{R}, K := \\alpha X X^\\top + \\beta^{-1} I",
  },
] as const;
