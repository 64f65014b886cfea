"""The cost of generated code (run by bench/run.ts): for each NumPy module matcalc printed, the
time of derivative(**args) divided by the time of value(**args), at several sizes.

Input: a JSON file (argv[1]) {"sizes": [...], "repeats": R, "modules": [{id, file, wrt, params}]};
each param is {name, kind: "scalar"|"dim"|"array", rows, cols, properties}. Every dimension
name gets the size S. Values: scalars in [0.5, 1.5], vectors and matrices N(0, 1/S), spd
matrices BBᵀ/S + I, symmetric ones (B + Bᵀ)/2. Each timing is the median over R samples of
enough calls to take about 50 ms, value and derivative sampled alternately. A directional
finite difference of value() checks derivative() at the same point. Where bench/numpy_reference.py
has hand-written code for a module, it is timed and checked the same way ("reference"). Output:
one JSON line per module and size.
"""
import importlib.util
import json
import sys
import time
import types

import numpy as np

from numpy_reference import REFERENCES


def make_args(params, size, rng):
    args = {}
    for p in params:
        kind = p["kind"]
        if kind == "dim":
            args[p["name"]] = size
            continue
        if kind == "scalar":
            args[p["name"]] = float(0.5 + rng.random())
            continue
        rows = size if isinstance(p["rows"], str) else p["rows"]
        cols = size if isinstance(p["cols"], str) else p["cols"]
        props = set(p.get("properties", []))
        if cols == 1:
            args[p["name"]] = rng.standard_normal(rows)
        elif rows == cols and ("spd" in props):
            b = rng.standard_normal((rows, rows)) / np.sqrt(rows)
            args[p["name"]] = b @ b.T + np.eye(rows)
        elif rows == cols and "diagonal" in props:
            args[p["name"]] = np.diag(0.5 + rng.random(rows))
        elif rows == cols and "symmetric" in props:
            b = rng.standard_normal((rows, rows)) / np.sqrt(rows)
            args[p["name"]] = (b + b.T) / 2
        else:
            args[p["name"]] = rng.standard_normal((rows, cols)) / np.sqrt(cols)
    return args


def loops_for(f, args):
    """Calls per sample so that a sample takes about 50 ms (after a warm-up call)."""
    f(**args)  # warm-up (and the first place an error shows)
    t = time.perf_counter()
    f(**args)
    once = max(time.perf_counter() - t, 1e-7)
    return max(1, int(0.05 / once))


def sample(f, args, loops):
    t = time.perf_counter()
    for _ in range(loops):
        f(**args)
    return (time.perf_counter() - t) / loops


def interleaved(value, derivative, args, repeats):
    """Median time per call of each, their samples taken alternately (a change in the machine's
    load then weighs on both alike)."""
    lv, ld = loops_for(value, args), loops_for(derivative, args)
    vs, ds = [], []
    for _ in range(repeats):
        vs.append(sample(value, args, lv))
        ds.append(sample(derivative, args, ld))
    return float(np.median(vs)), lv, float(np.median(ds)), ld


def directional_check(mod, args, wrt, rng):
    if wrt not in args:
        return None  # a definition (the adjoint): value() cannot be moved along it
    x = args[wrt]
    g = np.asarray(mod.derivative(**args), dtype=float)
    if isinstance(x, float):
        v = 1.0
        h = 1e-6 * max(1.0, abs(x))
        plus, minus = dict(args), dict(args)
        plus[wrt], minus[wrt] = x + h, x - h
        fd = (mod.value(**plus) - mod.value(**minus)) / (2 * h)
        return abs(float(g.reshape(())) - fd) / max(1.0, abs(fd))
    v = rng.standard_normal(np.shape(x))
    h = 1e-6 * max(1.0, float(np.max(np.abs(x))))
    plus, minus = dict(args), dict(args)
    plus[wrt], minus[wrt] = x + h * v, x - h * v
    fd = (mod.value(**plus) - mod.value(**minus)) / (2 * h)
    exact = float(np.sum(g.reshape(np.shape(x)) * v))
    return abs(exact - fd) / max(1.0, abs(fd), abs(exact))


def main():
    with open(sys.argv[1], encoding="utf8") as fh:
        job = json.load(fh)
    print(json.dumps({"numpy": np.__version__, "python": sys.version.split()[0]}), flush=True)
    for m in job["modules"]:
        try:
            spec = importlib.util.spec_from_file_location("generated_" + m["id"].replace("-", "_"), m["file"])
            mod = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(mod)
        except Exception as err:  # noqa: BLE001 -- every failure is a finding
            for size in job["sizes"]:
                print(json.dumps({"id": m["id"], "size": size, "error": f"{type(err).__name__}: {err}"[:300]}), flush=True)
            continue
        for size in job["sizes"]:
            out = {"id": m["id"], "size": size}
            try:
                rng = np.random.default_rng(size)
                args = make_args(m["params"], size, rng)
                v = mod.value(**args)
                if not np.isfinite(v):
                    raise ValueError(f"value is {v} at this instance")
                out["value_s"], out["value_loops"], out["derivative_s"], out["derivative_loops"] = interleaved(mod.value, mod.derivative, args, job["repeats"])
                out["ratio"] = out["derivative_s"] / out["value_s"]
                out["check"] = directional_check(mod, args, m["wrt"], rng)
                if m["id"] in REFERENCES:
                    ref_value, ref_derivative = REFERENCES[m["id"]]
                    ref = types.SimpleNamespace(value=ref_value, derivative=ref_derivative)
                    timed = interleaved(ref.value, ref.derivative, args, job["repeats"])
                    out["reference"] = {"value_s": timed[0], "derivative_s": timed[2], "ratio": timed[2] / timed[0], "check": directional_check(ref, args, m["wrt"], rng)}
            except Exception as err:  # noqa: BLE001
                out["error"] = f"{type(err).__name__}: {err}"[:300]
            print(json.dumps(out), flush=True)


if __name__ == "__main__":
    main()
