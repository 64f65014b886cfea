"""The cost of generated code (run by bench/run.ts): for each loss, matcalc's derivative(**args)
beside a hand-written NumPy gradient (bench/numpy_reference.py) and, where torch imports, PyTorch
autograd (forward + backward), at the sizes the job gives each dimension. BLAS on one thread
(set by the caller), float64.

Input: a JSON file (argv[1]) {"repeats": R, "losses": [{id, file, wrt, params, sizes}]}; each param
is {name, kind: "scalar"|"array", rows, cols}. Arrays are N(0, 1/cols), scalars in [0.5, 1.5].
Each time is the median of R samples of enough calls to take about 0.2 s, the candidates sampled
in turn (a change in the machine's load weighs on all alike). Both gradients are checked against a
directional central difference of the module's value() at the same point. Output: a JSON line
with the versions (and why `import torch` failed, where it did), then one per loss.
"""
import importlib.util
import json
import sys
import time

import numpy as np

from numpy_reference import HAND, torch_losses

try:
    import torch

    torch.set_num_threads(1)
    TORCH = torch_losses(torch)
    TORCH_ERROR = None
except ImportError as err:
    torch = None
    TORCH = {}
    TORCH_ERROR = f"{type(err).__name__}: {err}"


def make_args(params, sizes, rng):
    args = {}
    for p in params:
        if p["kind"] == "scalar":
            args[p["name"]] = float(0.5 + rng.random())
            continue
        rows = sizes[p["rows"]] if isinstance(p["rows"], str) else p["rows"]
        cols = sizes[p["cols"]] if isinstance(p["cols"], str) else p["cols"]
        args[p["name"]] = rng.standard_normal(rows if cols == 1 else (rows, cols)) / np.sqrt(cols)
    return args


def loops_for(f):
    f()
    t = time.perf_counter()
    f()
    return max(1, int(0.2 / max(time.perf_counter() - t, 1e-7)))


def timed(candidates, repeats):
    """Median seconds per call of each candidate, sampled in turn."""
    loops = {k: loops_for(f) for k, f in candidates.items()}
    samples = {k: [] for k in candidates}
    for _ in range(repeats):
        for k, f in candidates.items():
            t = time.perf_counter()
            for _ in range(loops[k]):
                f()
            samples[k].append((time.perf_counter() - t) / loops[k])
    return {k: float(np.median(v)) for k, v in samples.items()}


def directional_error(value, args, wrt, g, rng):
    x = args[wrt]
    v = rng.standard_normal(np.shape(x))
    h = 1e-6 * max(1.0, float(np.max(np.abs(x))))
    plus, minus = dict(args), dict(args)
    plus[wrt], minus[wrt] = x + h * v, x - h * v
    fd = (value(**plus) - value(**minus)) / (2 * h)
    exact = float(np.sum(np.asarray(g).reshape(np.shape(x)) * v))
    return abs(exact - fd) / max(1.0, abs(fd), abs(exact))


def torch_candidate(loss_id, args):
    wrt, loss = TORCH[loss_id]
    tensors = {k: torch.tensor(v, dtype=torch.float64) if isinstance(v, np.ndarray) else v for k, v in args.items()}

    def run():
        x = tensors[wrt].clone().requires_grad_(True)
        a = dict(tensors)
        a[wrt] = x
        loss(**a).backward()
        return x.grad

    return run


def main():
    with open(sys.argv[1], encoding="utf8") as fh:
        job = json.load(fh)
    print(json.dumps({"numpy": np.__version__, "python": sys.version.split()[0], "torch": torch.__version__ if torch else None, "torch_error": TORCH_ERROR}), flush=True)
    for loss in job["losses"]:
        out = {"id": loss["id"]}
        try:
            spec = importlib.util.spec_from_file_location("generated_" + loss["id"].replace("-", "_"), loss["file"])
            mod = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(mod)
            rng = np.random.default_rng(7)
            args = make_args(loss["params"], loss["sizes"], rng)
            hand = HAND[loss["id"]]
            candidates = {
                "generated": lambda: mod.derivative(**args),
                "hand": lambda: hand(**args),
            }
            if loss["id"] in TORCH:
                candidates["torch"] = torch_candidate(loss["id"], args)
            out.update({k + "_s": v for k, v in timed(candidates, job["repeats"]).items()})
            out["value_s"] = timed({"value": lambda: mod.value(**args)}, max(3, job["repeats"] // 2))["value"]
            out["check"] = directional_error(mod.value, args, loss["wrt"], mod.derivative(**args), rng)
            out["hand_check"] = directional_error(mod.value, args, loss["wrt"], hand(**args), rng)
        except Exception as err:  # noqa: BLE001 -- every failure is a finding
            out["error"] = f"{type(err).__name__}: {err}"[:300]
        print(json.dumps(out), flush=True)


if __name__ == "__main__":
    main()
