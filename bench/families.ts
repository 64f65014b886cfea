// The scaling families of the benchmark: one problem per size n, in ASCII spelling with braced
// subscripts (A_{17}). Each is a scalar function whose derivative a reader expects to grow
// linearly with n.

export interface Problem {
  readonly text: string;
  readonly wrt: string;
  readonly where: string;
}

export interface Family {
  readonly id: string;
  /** As the issue names it. */
  readonly title: string;
  /** Not one of the issue's families: measured beside one to explain its figures (no verdict of its own). */
  readonly supplementary?: true;
  /** Its sizes, where not SIZES. */
  readonly sizes?: readonly number[];
  readonly make: (n: number) => Problem;
}

export const SIZES = [10, 30, 100, 300, 1000] as const;

const seq = (n: number, f: (i: number) => string): string[] => Array.from({ length: n }, (_, i) => f(i + 1));
const A = (i: number) => `A_{${i}}`;

export const FAMILIES: readonly Family[] = [
  {
    id: "trace-chain",
    title: "tr(A₁A₂⋯AₙX) by X",
    make: (n) => ({
      text: `tr(${seq(n, A).join("*")}*X)`,
      wrt: "X",
      where: `${seq(n, A).join(", ")}, X: m×m`,
    }),
  },
  {
    id: "deep-linear",
    title: "‖Wₙ⋯W₂W₁x − y‖² by W₁",
    make: (n) => ({
      text: `norm2(${seq(n, (i) => `W_{${n + 1 - i}}`).join("*")}*x - y)^2`,
      wrt: "W_{1}",
      where: `${seq(n, (i) => `W_{${i}}`).join(", ")}: m×m, x, y: m`,
    }),
  },
  {
    id: "sum-quadratic",
    title: "Σᵢ xᵀAᵢx by x (n terms)",
    make: (n) => ({
      text: seq(n, (i) => `x'*${A(i)}*x`).join(" + "),
      wrt: "x",
      where: `${seq(n, A).join(", ")}: m×m, x: m`,
    }),
  },
  {
    id: "logdet-sum",
    title: "log|K| by X, K := Σᵢ XᵀAᵢX (n terms, Aᵢ spd)",
    make: (n) => ({
      text: "log|K|",
      wrt: "X",
      where: `X: m×m, ${seq(n, A).join(", ")}: m×m spd, K := ${seq(n, (i) => `X'*${A(i)}*X`).join(" + ")}`,
    }),
  },
  {
    id: "nested-inverse",
    title: "tr((Aₙ + (⋯(A₁ + X)⁻¹⋯)⁻¹)⁻¹) by X (n nested inverses)",
    make: (n) => {
      let s = "X";
      for (let i = 1; i <= n; i++) s = `inv(${A(i)} + ${s})`;
      return { text: `tr(${s})`, wrt: "X", where: `X, ${seq(n, A).join(", ")}: m×m` };
    },
  },
  {
    id: "nested-inverse-named",
    title: "the same with each inverse named: tr(Mₙ) by X, M₁ := (A₁ + X)⁻¹, Mₖ := (Aₖ + Mₖ₋₁)⁻¹",
    supplementary: true,
    make: (n) => ({
      text: `tr(M_{${n}})`,
      wrt: "X",
      where: [
        `X, ${seq(n, A).join(", ")}: m×m`,
        "M_{1} := inv(A_{1} + X)",
        ...seq(n - 1, (i) => `M_{${i + 1}} := inv(${A(i + 1)} + M_{${i}})`),
      ].join(", "),
    }),
  },
  {
    id: "definition-chain",
    title: "cₙᵀcₙ by W, c₁ := Wx, cᵢ := Aᵢcᵢ₋₁ (a chain of n definitions)",
    make: (n) => ({
      text: `c_{${n}}'*c_{${n}}`,
      wrt: "W",
      where: [
        `W, ${seq(n, A).join(", ")}: m×m, x: m`,
        "c_{1} := W*x",
        ...seq(n - 1, (i) => `c_{${i + 1}} := ${A(i + 1)}*c_{${i}}`),
      ].join(", "),
    }),
  },
];
