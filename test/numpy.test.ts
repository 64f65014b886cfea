// --format numpy: the generated module, run by python3 with NumPy, agrees with central finite
// differences of its own value() — computed in Python, independent of the engine's evaluator —
// and value() agrees with the engine's evaluation of the original expression. Skipped (and
// reported as skipped) where python3 with numpy is absent.
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { derive, numpyModule, evaluate, instanceWhereDefined, seededRng } from "../src/index.js";
import { symbolName } from "../src/print/names.js";
import { factorsOf } from "../src/shapes/shape.js";

const hasNumpy = spawnSync("python3", ["-c", "import numpy"], { encoding: "utf8" }).status === 0;

const PROBLEMS = [
  ["½‖WᵀWx − x‖²", "W", "W: m×n, x: n"],
  ["−D/2 log|K|", "X", "X: m×n, Y: m×D, α, β: scalar, K := αXXᵀ + β⁻¹I"],
  ["−½ tr(K⁻¹YYᵀ)", "X", "X: m×n, Y: m×D, α, β: scalar, K := αXXᵀ + β⁻¹I"],
  ["−D/2 log|K| − ½ tr(K⁻¹YYᵀ)", "X", "X: m×n, Y: m×D, α, β: scalar, K := αXXᵀ + β⁻¹I"],
  ["−D/2 log|K| − ½ tr(K⁻¹YYᵀ)", "α", "X: m×n, Y: m×D, α, β: scalar, K := αXXᵀ + β⁻¹I"],
  ["xᵀAx + log(xᵀx)", "x", "A: n×n, x: n"],
  ["‖Xw − y‖² + λ‖w‖²", "w", "X: m×n, w: n, y: m, λ: scalar"],
  ["sum(softplus(Xw)) − tᵀXw + ‖w‖₁", "w", "X: m×n, w: n, t: m"],
  ["logsumexp(Wx) − yᵀWx", "W", "W: m×n, x: n, y: m"],
  ["⟨A, X ⊙ B⟩ + sum(tanh(diag(X))) + tr(A ⊗ X)", "X", "A, B, X: n×n"],
  ["𝟙ᵀrelu(Wx) + sum(exp(x) ⊘ (𝟙 + x ⊙ x))", "x", "W: m×n, x: n"],
] as const;

const CHECK = `
import importlib.util, json, sys
import numpy as np
spec = importlib.util.spec_from_file_location("generated", sys.argv[1])
mod = importlib.util.module_from_spec(spec); spec.loader.exec_module(mod)
args = {k: np.array(v, dtype=float) if isinstance(v, list) else float(v) for k, v in json.loads(sys.argv[2]).items()}
wrt = sys.argv[3]
g = np.asarray(mod.derivative(**args), dtype=float)
x = np.asarray(args[wrt], dtype=float)
fd = np.zeros(x.shape if x.shape else ())
for idx in np.ndindex(*x.shape):
    h = 1e-5 * max(1.0, abs(float(x[idx]) if x.shape else float(x)))
    def at(d):
        y = x.copy(); 
        if x.shape: y[idx] += d
        else: y = x + d
        a = dict(args); a[wrt] = y if x.shape else float(y)
        return mod.value(**a)
    val = (at(h) - at(-h)) / (2 * h)
    if x.shape: fd[idx] = val
    else: fd = np.asarray(val)
print(json.dumps({"value": mod.value(**args), "error": float(np.max(np.abs(g - fd))), "scale": float(max(1.0, np.max(np.abs(fd)))), "shape": list(g.shape)}))
`;

describe.skipIf(!hasNumpy)("NumPy modules (python3 with numpy)", () => {
  const dir = mkdtempSync(join(tmpdir(), "matcalc-numpy-"));
  const checker = join(dir, "check.py");
  writeFileSync(checker, CHECK);

  it.each(PROBLEMS)("%s by %s", (text, wrt, where) => {
    const r = derive(text, { wrt, where });
    const file = join(dir, `m${Math.random().toString(36).slice(2)}.py`);
    const module = numpyModule(r.expression, r.gradient, r.wrt, r.ctx, text);
    writeFileSync(file, module);
    const params = /def value\((.*)\):/.exec(module)![1]!.split(", ");

    const inst = instanceWhereDefined(r.ctx, [r.expression, r.gradient], seededRng(7));
    const args: Record<string, number | number[] | number[][]> = {};
    for (const [name, value] of inst.values) {
      if (!params.includes(symbolName(name, "numpy"))) continue;
      const info = r.ctx.symbols.get(name)!;
      const [rows, cols] = r.ctx.dims.resolveShape(info.shape);
      args[symbolName(name, "numpy")] = rows === 1 && cols === 1 ? value.get(0, 0) : cols === 1 ? value.getColumn(0) : value.to2DArray();
    }
    // A dimension no argument carries (D of −D/2 log|K| without Y) is passed as a number.
    for (const [name, size] of inst.sizes) if (params.includes(name) && !(name in args)) args[name] = size;
    expect(Object.keys(args).sort()).toEqual([...params].sort());
    const run = spawnSync("python3", [checker, file, JSON.stringify(args), symbolName(wrt === "α" ? "α" : r.wrt, "numpy")], { encoding: "utf8" });
    expect(run.stderr).toBe("");
    const out = JSON.parse(run.stdout);
    expect(out.error / out.scale).toBeLessThan(1e-6);
    expect(Math.abs(out.value - evaluate(r.expression, inst).get(0, 0))).toBeLessThan(1e-9 * Math.max(1, Math.abs(out.value)));
  });
});

// derivative() of a Jacobian, Hessian, ∂F/∂α or vec–Kronecker derivative: its shape is the
// result's (NOTATION.md), and its entries are the differences of value() in Python — column-major
// vec for matrices — never the engine's own numbers.
const CHECK_SHAPED = `
import importlib.util, json, sys
import numpy as np
spec = importlib.util.spec_from_file_location("generated", sys.argv[1])
mod = importlib.util.module_from_spec(spec); spec.loader.exec_module(mod)
args = {k: np.array(v, dtype=float) if isinstance(v, list) else float(v) for k, v in json.loads(sys.argv[2]).items()}
wrt, layout, order = sys.argv[3], sys.argv[4], int(sys.argv[5])
x0 = np.asarray(args[wrt], dtype=float)
vec = lambda a: np.asarray(a, dtype=float).reshape(-1, order="F")
def value_at(y):
    a = dict(args)
    a[wrt] = y.reshape(x0.shape, order="F") if x0.shape else float(y[0])
    return vec(mod.value(**a))
def jac_of(f, y0, h):
    cols = []
    for j in range(y0.size):
        e = np.zeros(y0.size); e[j] = h * max(1.0, abs(y0[j]))
        cols.append((f(y0 + e) - f(y0 - e)) / (2 * e[j]))
    return np.array(cols).T
y0 = vec(x0) if x0.shape else np.array([float(x0)])
if order == 2:
    expected = jac_of(lambda y: jac_of(value_at, y, 1e-4)[0], y0, 1e-4)
else:
    expected = jac_of(value_at, y0, 1e-6)
got = np.asarray(mod.derivative(**args), dtype=float)
shape = list(got.shape)
if order == 2 or layout in ("jacobian", "vec"): flat = got.reshape(expected.shape)
else: flat = vec(got).reshape(expected.shape)
print(json.dumps({"shape": shape, "error": float(np.max(np.abs(flat - expected))), "scale": float(max(1.0, np.max(np.abs(expected))))}))
`;

const SHAPED = [
  ["softmax(x)", "x", "x: n", 1],
  ["tanh(Wx + b)", "x", "W: m×n, x: n, b: m", 1],
  ["AXB", "X", "A: m×n, X: n×p, B: p×q", 1],
  ["sigmoid(Wx)", "W", "W: m×n, x: n", 1],
  ["(A + αB)⁻¹", "α", "A, B: n×n, α: scalar", 1],
  ["xᵀAx", "x", "A: n×n, x: n", 2],
  ["logsumexp(x)", "x", "x: n", 2],
  ["tr(XᵀAX)", "X", "A: n×n, X: n×p", 2],
] as const;

describe.skipIf(!hasNumpy)("NumPy modules of Jacobians and Hessians return the result's shape", () => {
  const dir = mkdtempSync(join(tmpdir(), "matcalc-numpy-"));
  const checker = join(dir, "check_shaped.py");
  writeFileSync(checker, CHECK_SHAPED);

  it.each(SHAPED)("%s by %s, where %s (order %s)", (text, wrt, where, order) => {
    const r = derive(text, { wrt, where, order });
    const file = join(dir, `m${Math.random().toString(36).slice(2)}.py`);
    const module = numpyModule(r.expression, r.gradient, r.wrt, r.ctx, text, { shape: r.shape, order: r.order });
    writeFileSync(file, module);
    const params = /def value\((.*)\):/.exec(module)![1]!.split(", ");
    const inst = instanceWhereDefined(r.ctx, [r.expression, r.gradient], seededRng(11));
    const args: Record<string, number | number[] | number[][]> = {};
    for (const [name, value] of inst.values) {
      if (!params.includes(symbolName(name, "numpy"))) continue;
      const [rows, cols] = r.ctx.dims.resolveShape(r.ctx.symbols.get(name)!.shape);
      args[symbolName(name, "numpy")] = rows === 1 && cols === 1 ? value.get(0, 0) : cols === 1 ? value.getColumn(0) : value.to2DArray();
    }
    const run = spawnSync("python3", [checker, file, JSON.stringify(args), symbolName(r.wrt, "numpy"), r.layout, String(r.order)], { encoding: "utf8" });
    expect(run.stderr).toBe("");
    const out = JSON.parse(run.stdout);
    // The shape NOTATION.md gives: a vector is 1-D, everything else 2-D, sized as r.shape says.
    const size = (d: string | number) => factorsOf(d).reduce<number>((n, f) => n * (typeof f === "number" ? f : inst.sizes.get(String(f))!), 1);
    const [rows, cols] = r.shape;
    expect(out.shape).toEqual(cols === 1 ? [size(rows)] : [size(rows), size(cols)]);
    expect(out.error / out.scale).toBeLessThan(1e-5);
  });
});

