"""SymPy side by side (run by bench/run.ts): each problem's expression as SymPy matrix
expressions, differentiated by SymPy's diff and printed by str(), timed (cache cleared before
every run), and judged numerically: SymPy's answer, evaluated by substituting the values
(explicit matrices) and .doit(), is compared with central finite differences of the function computed by
matcalc's evaluator (bench/run.ts, which checks matcalc's answer against the same). SymPy's
expression is evaluated too, and compared with matcalc's value of the function, so that a
faulty translation shows.

Input: a JSON file (argv[1]) {"repeats": R, "timeout": seconds, "cases": [...]}; each case has
id, code (defines expr, wrt, ARGS), args (names/kinds in ARGS order), values (by name),
value (of the function), reference (finite differences, the variable's shape).
Output: one JSON line per case on stdout.
"""
import json
import signal
import sys
import time

import numpy as np
import sympy as sp
from sympy.core.cache import clear_cache


class Timeout(Exception):
    pass


def on_alarm(signum, frame):
    raise Timeout()


signal.signal(signal.SIGALRM, on_alarm)

TOLERANCE = 1e-5

def finite(x):
    return x if x is None or np.isfinite(x) else None


def substitute(e, subs):
    """The value of e with every symbol replaced by a number or an explicit matrix."""
    v = e.xreplace(subs)
    # Identity(4) + Matrix(...) stays unevaluated: make the special matrices explicit first.
    v = v.replace(lambda x: isinstance(x, (sp.Identity, sp.ZeroMatrix, sp.OneMatrix)) and x.shape[0].is_Integer, lambda x: sp.ImmutableMatrix(x.as_explicit()))
    v = v.doit()
    if isinstance(v, sp.ZeroMatrix) or v == 0:
        return 0.0
    if hasattr(v, "as_explicit"):
        v = v.as_explicit()
    if isinstance(v, sp.MatrixBase):
        return np.array(sp.N(v).tolist(), dtype=float)
    z = complex(sp.N(v))
    # log(det X) of a matrix with a negative determinant: its real part is log|det X|.
    return z.real


def unevaluated(e):
    """Names of unevaluated derivative objects in a result."""
    found = set()
    for node in sp.preorder_traversal(e):
        name = type(node).__name__
        if "Derivative" in name or name == "Subs":
            found.add(name)
    return sorted(found)


def as_array(x, shape):
    a = np.asarray(x, dtype=float)
    if a.size == int(np.prod(shape)) and a.shape != tuple(shape):
        if a.ndim == 2 and len(shape) == 2 and a.shape == (shape[1], shape[0]) and shape[0] != shape[1] and min(shape) > 1:
            raise ValueError(f"transposed layout {a.shape} for a variable of {tuple(shape)}")
        a = a.reshape(shape)
    if a.shape != tuple(shape):
        if a.size == 1:
            a = np.full(shape, float(a.reshape(())))
        else:
            raise ValueError(f"shape {a.shape}, the variable is {tuple(shape)}")
    return a


def relative_error(g, ref):
    return float(np.max(np.abs(g - ref)) / max(1.0, float(np.max(np.abs(ref)))))


def run_case(case, repeats, timeout):
    ns = {"sp": sp}
    exec(case["code"], ns)
    expr, wrt, ARGS = ns["expr"], ns["wrt"], ns["ARGS"]
    out = {"id": case["id"]}
    times = []
    result = None
    signal.alarm(timeout)
    try:
        for i in range(repeats):
            clear_cache()
            # derivative and printing, as matcalc's time has its answer printed
            t = time.perf_counter()
            result = sp.diff(expr, wrt)
            text = str(result)
            times.append((time.perf_counter() - t) * 1000)
            # A slow problem is measured fewer times.
            if sum(times) > 1000 * timeout / 4:
                break
        signal.alarm(0)
    except Timeout:
        out.update(verdict="timeout", detail=f"diff did not finish in {timeout} s", times=times)
        return out
    except Exception as err:  # noqa: BLE001 -- every failure is a finding
        signal.alarm(0)
        out.update(verdict="error", detail=f"{type(err).__name__}: {err}"[:300], times=times)
        return out
    out["times"] = times
    out["result"] = text[:300] + ("…" if len(text) > 300 else "")
    out["result_chars"] = len(text)

    # Numeric judgement at the values matcalc drew (definitions substituted), against central
    # finite differences of the function computed by matcalc's evaluator (bench/run.ts).
    subs = {}
    for a, sym in zip(case["args"], ARGS):
        v = case["values"][a["name"]]
        subs[sym] = sp.ImmutableMatrix(v) if a["kind"] == "matrix" else (sp.Integer(int(v)) if a["kind"] == "dim" else sp.Float(v))
    reference = np.array(case["reference"], dtype=float)
    shape = reference.shape
    signal.alarm(timeout)
    try:
        try:
            value = substitute(expr, subs)
            out["value_error"] = finite(abs(float(np.asarray(value).reshape(())) - case["value"]) / max(1.0, abs(case["value"])))
        except Exception as err:  # noqa: BLE001 -- the translation check is information only
            out["value_problem"] = f"{type(err).__name__}: {err}"[:200]
        missing = unevaluated(result)
        if missing:
            out.update(verdict="unevaluated", detail="left " + ", ".join(missing) + " in the result")
            return out
        got = as_array(substitute(result, subs), shape)
        err = relative_error(got, reference)
        out["sympy_error"] = finite(err)
        out["verdict"] = "ok" if err < TOLERANCE else "wrong"
        if err >= TOLERANCE:
            out["detail"] = f"relative error {err:.2g} against finite differences"
    except Timeout:
        out.update(verdict="unevaluated", detail=f"numeric evaluation did not finish in {timeout} s")
    except Exception as err:  # noqa: BLE001
        out.update(verdict="unevaluated", detail=f"not evaluable numerically: {type(err).__name__}: {err}"[:300])
    finally:
        signal.alarm(0)
    return out


def main():
    with open(sys.argv[1], encoding="utf8") as fh:
        job = json.load(fh)
    print(json.dumps({"sympy": sp.__version__, "numpy": np.__version__, "python": sys.version.split()[0]}), flush=True)
    for case in job["cases"]:
        try:
            out = run_case(case, job["repeats"], job["timeout"])
        except Exception as err:  # noqa: BLE001 -- the harness itself must not stop
            signal.alarm(0)
            out = {"id": case["id"], "verdict": "error", "detail": f"{type(err).__name__}: {err}"[:300], "times": []}
        print(json.dumps(out), flush=True)


if __name__ == "__main__":
    main()
