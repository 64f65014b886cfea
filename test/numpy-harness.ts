// Runs generated NumPy modules in python3 and measures them against truths computed in Python:
// central finite differences of the module's own value(), and of a hand transcription of the
// function when the case gives one (independent of everything matcalc printed). Used by the
// test/numpy-*.test.ts files; they skip where python3 with numpy is absent.
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DeriveResult } from "../src/index.js";
import { numpyModule } from "../src/index.js";
import { symbolName } from "../src/print/names.js";

export const hasNumpy = spawnSync("python3", ["-c", "import numpy"], { encoding: "utf8" }).status === 0;

/** An argument: a number, or a random array of a shape (spd: BBᵀ + nI; orthogonal: Q of a QR; shift: + shift·I). */
export type ArgSpec = number | { shape: number[]; spd?: boolean; orthogonal?: boolean; shift?: number; scale?: number; value?: number[] | number[][] };

export interface Job {
  readonly module: string;
  readonly args: Record<string, ArgSpec>;
  /** The variable's parameter name. */
  readonly wrt: string;
  /** A Python expression of the arguments (np available) computing the function by hand. */
  readonly hand?: string;
  readonly seed?: number;
  /** 2: derivative() is a Hessian by a scalar, compared with second differences. */
  readonly order?: 1 | 2;
}

export interface Outcome {
  readonly error?: string;
  readonly params?: { value: string[]; derivative: string[] };
  readonly value?: number;
  readonly valueType?: string;
  readonly derivative?: number | number[] | number[][];
  readonly derivativeType?: string;
  readonly derivativeShape?: number[];
  /** max |derivative − central difference of value()| / max(1, max |difference|). */
  readonly fdError?: number;
  readonly handValue?: number;
  /** The same against the central difference of the hand transcription. */
  readonly handError?: number;
}

const HARNESS = String.raw`
import importlib.util, inspect, json, sys, traceback
import numpy as np

def make(v, rng):
    if not isinstance(v, dict):
        return float(v)
    if "value" in v:
        return np.array(v["value"], dtype=float)
    shape = v["shape"]
    if v.get("orthogonal"):
        q, _ = np.linalg.qr(rng.standard_normal((shape[0], shape[0])))
        return q
    a = rng.standard_normal(shape) * v.get("scale", 1.0)
    if v.get("spd"):
        a = a @ a.T + shape[0] * np.eye(shape[0])
    if "shift" in v:
        a = a + v["shift"] * np.eye(shape[0])
    return a

def differences(f, x, g, order=1):
    """Central differences of f at x: every entry for small x, else along 3 random directions (compared with g)."""
    x = np.asarray(x, dtype=float)
    if order == 2:
        h = 1e-4 * max(1.0, abs(float(x)))
        fd = (f(x + h) - 2 * f(x) + f(x - h)) / h ** 2
        return abs(float(g) - fd) / max(1.0, abs(fd))
    if x.size <= 64:
        fd = np.zeros(x.shape)
        for idx in np.ndindex(*x.shape):
            h = 1e-5 * max(1.0, abs(float(x[idx])))
            e = np.zeros(x.shape); e[idx] = h
            fd[idx] = (f(x + e) - f(x - e)) / (2 * h)
        return np.max(np.abs(np.asarray(g, dtype=float).reshape(x.shape) - fd)) / max(1.0, float(np.max(np.abs(fd))))
    rng = np.random.default_rng(5)
    worst = 0.0
    for _ in range(3):
        v = rng.standard_normal(x.shape)
        h = 1e-5 * max(1.0, float(np.max(np.abs(x))))
        fd = (f(x + h * v) - f(x - h * v)) / (2 * h)
        exact = float(np.sum(np.asarray(g, dtype=float).reshape(x.shape) * v))
        worst = max(worst, abs(exact - fd) / max(1.0, abs(fd)))
    return worst

out = []
for i, job in enumerate(json.load(open(sys.argv[1]))):
    res = {}
    try:
        spec = importlib.util.spec_from_file_location("generated%d" % i, job["module"])
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        res["params"] = {"value": list(inspect.signature(mod.value).parameters), "derivative": list(inspect.signature(mod.derivative).parameters)}
        rng = np.random.default_rng(job.get("seed", 1))
        args = {k: make(v, rng) for k, v in job["args"].items()}
        wrt = job["wrt"]
        scalar_wrt = isinstance(args[wrt], float)
        value = mod.value(**args)
        res["valueType"] = type(value).__name__
        res["value"] = float(np.asarray(value).reshape(-1)[0])
        d = mod.derivative(**args)
        res["derivativeType"] = type(d).__name__
        res["derivativeShape"] = list(np.shape(d))
        res["derivative"] = np.asarray(d, dtype=float).tolist()
        def at(f):
            def g(x):
                a = dict(args)
                a[wrt] = float(x) if scalar_wrt else x
                return float(np.asarray(f(a)).reshape(()))
            return g
        order = job.get("order") or 1
        res["fdError"] = float(differences(at(lambda a: mod.value(**a)), args[wrt], d, order))
        if job.get("hand"):
            hand = lambda a: eval(job["hand"], {"np": np}, dict(a))
            res["handValue"] = float(np.asarray(hand(args)).reshape(()))
            res["handError"] = float(differences(at(hand), args[wrt], d, order))
    except Exception as err:
        res["error"] = "%s: %s" % (type(err).__name__, str(err)[:300])
    out.append(res)
print(json.dumps(out))
`;

const dir = hasNumpy ? mkdtempSync(join(tmpdir(), "matcalc-numpy-")) : "";
let files = 0;

/** The module of a derivation, written to a file. */
export function moduleFile(r: DeriveResult, title: string): { file: string; text: string } {
  const text = numpyModule(r.expression, r.gradient, r.wrt, r.ctx, title, { shape: r.shape, order: r.order });
  const file = join(dir, `m${++files}.py`);
  writeFileSync(file, text);
  return { file, text };
}

/** Runs the jobs in one python3 process. */
export function runJobs(jobs: readonly Job[]): Outcome[] {
  const harness = join(dir, "harness.py");
  writeFileSync(harness, HARNESS);
  const jobFile = join(dir, `jobs${++files}.json`);
  writeFileSync(jobFile, JSON.stringify(jobs));
  const run = spawnSync("python3", [harness, jobFile], { encoding: "utf8", maxBuffer: 1 << 28 });
  if (run.status !== 0) throw new Error(`python3 failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as Outcome[];
}

export const py = (name: string): string => symbolName(name, "numpy");
