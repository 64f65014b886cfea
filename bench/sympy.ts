// matcalc's parsed expression as SymPy matrix-expression code, for the side-by-side with SymPy.
//
// Symbols become MatrixSymbol (vectors n×1) or real Symbol; dimension names become positive
// integer Symbols, the same ones the shapes use (so −D/2·log|K| knows D). Definitions are
// substituted (SymPy has none), except the variable itself when it is a definition (the
// adjoint: K held free). A 1×1 product used as a scalar (xᵀAx) is wrapped in Trace, SymPy's
// idiom for a scalar from a matrix product. Anything without a SymPy counterpart throws.
import type { Dim, Expr } from "../src/ast.js";
import type { Context } from "../src/context.js";
import { symbolName } from "../src/print/names.js";
import { shapeOf } from "../src/shapes/infer.js";
import { isScalar } from "../src/shapes/shape.js";

export interface SympyProgram {
  /** Python statements defining `expr`, `wrt` and `ARGS` (the free symbols, in `args` order). */
  readonly code: string;
  readonly args: readonly SympyArg[];
}

export interface SympyArg {
  /** The matcalc name (canonical). */
  readonly name: string;
  readonly kind: "matrix" | "scalar" | "dim";
  /** For "dim": the resolved dimension's name. */
  readonly dim?: string;
}

interface Translated {
  readonly code: string;
  /** A SymPy MatrixExpr (as opposed to a scalar Expr). */
  readonly matrix: boolean;
}

const SCALAR_FUNCTIONS: Record<string, (a: string) => string> = {
  log: (a) => `sp.log(${a})`,
  exp: (a) => `sp.exp(${a})`,
  sqrt: (a) => `sp.sqrt(${a})`,
  abs: (a) => `sp.Abs(${a})`,
  sin: (a) => `sp.sin(${a})`,
  cos: (a) => `sp.cos(${a})`,
  tanh: (a) => `sp.tanh(${a})`,
  sigmoid: (a) => `(1/(1 + sp.exp(-(${a}))))`,
  softplus: (a) => `sp.log(1 + sp.exp(${a}))`,
};

export function sympyProgram(expression: Expr, wrt: string, ctx: Context): SympyProgram {
  const lines: string[] = [];
  const dims = new Map<string, string>(); // resolved dim name → python variable
  const declared = new Map<string, SympyArg>(); // matcalc name → arg
  const defined = new Set<string>();
  const pyName = (name: string) => `v_${symbolName(name, "numpy").replace(/\W/g, "_")}`;

  const dim = (d: Dim): string => {
    const r = ctx.dims.resolve(d);
    if (typeof r === "number") return String(r);
    const known = dims.get(r);
    if (known) return known;
    const v = `d_${r.replace(/\W/g, "_")}`;
    dims.set(r, v);
    lines.push(`${v} = sp.Symbol(${JSON.stringify(r.replace(/\W/g, "_"))}, integer=True, positive=True)`);
    return v;
  };

  const symbol = (name: string): Translated => {
    const info = ctx.symbols.get(name);
    if (!info) throw new Error(`unknown symbol ${name}`);
    if (info.dimension) {
      const v = dim(name);
      const r = ctx.dims.resolve(name);
      if (typeof r === "string" && !declared.has(name)) declared.set(name, { name, kind: "dim", dim: r });
      return { code: v, matrix: false };
    }
    const v = pyName(name);
    if (info.definition && name !== wrt) {
      if (!defined.has(name)) {
        const t = translate(info.definition);
        lines.push(`${v} = ${t.code}`);
        defined.add(name);
      }
      return { code: v, matrix: !isScalar(ctx.dims.resolveShape(info.shape)) };
    }
    const shape = ctx.dims.resolveShape(info.shape);
    if (!declared.has(name)) {
      if (isScalar(shape)) {
        lines.push(`${v} = sp.Symbol(${JSON.stringify(symbolName(name, "numpy"))}, real=True)`);
        declared.set(name, { name, kind: "scalar" });
      } else {
        lines.push(`${v} = sp.MatrixSymbol(${JSON.stringify(symbolName(name, "numpy"))}, ${dim(shape[0])}, ${dim(shape[1])})`);
        declared.set(name, { name, kind: "matrix" });
      }
    }
    return { code: v, matrix: !isScalar(shape) };
  };

  const memo = new Map<Expr, Translated>();
  const translate = (e: Expr): Translated => {
    const known = memo.get(e);
    if (known) return known;
    const result = translateNode(e);
    memo.set(e, result);
    return result;
  };

  const scalarShaped = (e: Expr) => isScalar(shapeOf(e, ctx));

  const translateNode = (e: Expr): Translated => {
    const args = () => e.args.map(translate);
    switch (e.op) {
      case "sym":
        return symbol(e.name!);
      case "num":
        return { code: e.value!.d === 1 ? `sp.Integer(${e.value!.n})` : `sp.Rational(${e.value!.n}, ${e.value!.d})`, matrix: false };
      case "identity":
        return { code: `sp.Identity(${dim(e.dim!)})`, matrix: true };
      case "add":
        return { code: `(${args().map((a) => a.code).join(" + ")})`, matrix: !scalarShaped(e) };
      case "neg": {
        const [a] = args();
        return { code: `(-${a!.code})`, matrix: a!.matrix };
      }
      case "mul": {
        const [a, b] = args() as [Translated, Translated];
        if (a.matrix && b.matrix && scalarShaped(e)) return { code: `sp.Trace(${a.code}*${b.code})`, matrix: false };
        return { code: `(${a.code}*${b.code})`, matrix: a.matrix || b.matrix };
      }
      case "div": {
        const [a, b] = args() as [Translated, Translated];
        return { code: `(${a.code}/${b.code})`, matrix: a.matrix };
      }
      case "transpose": {
        const [a] = args();
        return a!.matrix ? { code: `${a!.code}.T`, matrix: true } : a!;
      }
      case "inv": {
        const [a] = args();
        return a!.matrix ? { code: `sp.Inverse(${a!.code})`, matrix: true } : { code: `(1/${a!.code})`, matrix: false };
      }
      case "pow": {
        const [a] = args();
        const k = e.args[1]!.value!;
        const exponent = k.d === 1 ? String(k.n) : `sp.Rational(${k.n}, ${k.d})`;
        return a!.matrix ? { code: `sp.MatPow(${a!.code}, ${exponent})`, matrix: true } : { code: `(${a!.code})**(${exponent})`, matrix: false };
      }
      case "call": {
        const a = args();
        const fn = e.fn!;
        if (fn === "tr") return { code: `sp.Trace(${a[0]!.code})`, matrix: false };
        if (fn === "det") return { code: `sp.Determinant(${a[0]!.code})`, matrix: false };
        if (fn === "logdet") return { code: `sp.log(sp.Determinant(${a[0]!.code}))`, matrix: false };
        if (fn === "norm") {
          if (e.sub === "1") throw new Error("no SymPy translation for ‖·‖₁");
          const x = a[0]!;
          return x.matrix ? { code: `sp.sqrt(sp.Trace(${x.code}.T*${x.code}))`, matrix: false } : { code: `sp.Abs(${x.code})`, matrix: false };
        }
        const f = SCALAR_FUNCTIONS[fn];
        if (f && a.length === 1 && !a[0]!.matrix) return { code: f(a[0]!.code), matrix: false };
        throw new Error(`no SymPy translation for ${fn}${a.some((x) => x.matrix) ? " of a matrix" : ""}`);
      }
    }
  };

  const body = translate(expression);
  lines.push(`expr = ${body.code}`);
  lines.push(`wrt = ${symbol(wrt).code}`);
  const args = [...declared.values()];
  lines.push(`ARGS = [${args.map((a) => (a.kind === "dim" ? dim(a.name) : pyName(a.name))).join(", ")}]`);
  // Dimensions that only size matrices are arguments too (Identity(m) needs m).
  const dimArgs = [...dims.keys()].filter((d) => !args.some((a) => a.kind === "dim" && a.dim === d));
  for (const d of dimArgs) lines.push(`ARGS.append(${dims.get(d)})`);
  return { code: lines.join("\n"), args: [...args, ...dimArgs.map((d) => ({ name: d, kind: "dim" as const, dim: d }))] };
}
