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

const hasNumpy = spawnSync("python3", ["-c", "import numpy"], { encoding: "utf8" }).status === 0;

const PROBLEMS = [
  ["½‖WᵀWx − x‖²", "W", "W: m×n, x: n"],
  ["−D/2 log|K|", "X", "X: m×n, Y: m×D, α, β: scalar, K := αXXᵀ + β⁻¹I"],
  ["−½ tr(K⁻¹YYᵀ)", "X", "X: m×n, Y: m×D, α, β: scalar, K := αXXᵀ + β⁻¹I"],
  ["−D/2 log|K| − ½ tr(K⁻¹YYᵀ)", "X", "X: m×n, Y: m×D, α, β: scalar, K := αXXᵀ + β⁻¹I"],
  ["−D/2 log|K| − ½ tr(K⁻¹YYᵀ)", "α", "X: m×n, Y: m×D, α, β: scalar, K := αXXᵀ + β⁻¹I"],
  ["xᵀAx + log(xᵀx)", "x", "A: n×n, x: n"],
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

it.skipIf(hasNumpy)("NumPy modules: skipped, python3 with numpy is not on this machine", () => {});
