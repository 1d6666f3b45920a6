"""Runs eagerflow's benchmarks and prints a markdown table against a hand-written NumPy
floor, TensorFlow and PyTorch.

    python -m bench [--quick] [--only NAME] [--fraction F] [--compare PYTHON]

Every (framework, benchmark) pair runs in a fresh worker process (bench/worker.py).
"""

import argparse
import datetime
import importlib
import math
import os
import platform
import sys
import tempfile
import time

from . import THREADS, data, foreign, frameworks
from .worker import BENCHMARKS

ORDER = ["eagerflow", "numpy", "tensorflow", "torch"]
RATIOS = ["numpy", "tensorflow", "torch"]
SHORT = {"numpy": "NumPy", "tensorflow": "TF", "torch": "torch"}
# row -> (compared with, comparison, bound); "self" bounds eagerflow's own value
TARGETS = {"mlp_sgd": ("numpy", "<=", 1.15), "mlp_adam": ("numpy", "<=", 1.15),
           "cnn_32": ("tensorflow", "<=", 1.0), "cnn_128": ("tensorflow", "<=", 1.0),
           "mlp_predict": ("numpy", "<=", 1.2), "cnn_predict": ("numpy", "<=", 1.2),
           "model_call": ("torch", "<=", 1.0), "predict_call": ("torch", "<=", 1.0),
           "add_1": ("torch", "<=", 1.0), "add_32": ("torch", "<=", 1.0),
           "chain_speedup": ("self", ">=", 5.0), "peak_rss": ("numpy", "<=", 1.3),
           "import": ("self", "<=", 0.3)}
FULL = {"mlp": 1.0, "cnn": 0.25}
QUICK = {"mlp": 0.1, "cnn": 0.02}


def parse_args():
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", choices=BENCHMARKS, action="append",
                        help="run only this benchmark (repeatable)")
    parser.add_argument("--quick", action="store_true",
                        help="time a fraction of each epoch (MLP 10%%, CNN 2%%), scaled to a "
                             "full epoch, and repeat the imports 3 times, not 7")
    parser.add_argument("--fraction", type=float,
                        help="fraction of the 60k training images each timed epoch covers, "
                             "for both models (default: MLP 1, CNN 0.25)")
    parser.add_argument("--compare", help="a Python with tensorflow and/or torch "
                                          f"(default {foreign.DEFAULT_COMPARE})")
    parser.add_argument("--timeout", type=int, default=3600, help="seconds per worker")
    return parser.parse_args()


def main():
    args = parse_args()
    fractions = dict(QUICK if args.quick else FULL)
    if args.fraction:
        fractions = dict.fromkeys(fractions, args.fraction)
    pythons, skipped = foreign.interpreters(args.compare)
    names = [name for name in ORDER if name in pythons]
    results, about, errors = {name: {} for name in names}, {}, []
    with tempfile.TemporaryDirectory() as tmp:
        options = {"data": os.path.join(tmp, "fashion_mnist.npz"), "fractions": fractions,
                   "repeats": 3 if args.quick else 7}
        data.save(options["data"])
        for benchmark in args.only or BENCHMARKS:
            for name in names:
                start = time.perf_counter()
                print(f"{benchmark} / {name} ...", end=" ", file=sys.stderr, flush=True)
                out = foreign.run_worker(pythons[name], name, benchmark, options, args.timeout)
                print(f"{time.perf_counter() - start:.0f} s", file=sys.stderr)
                if "error" in out:
                    errors.append(f"{frameworks.LABELS[name]} / {benchmark}: {out['error']}")
                    continue
                results[name].update(out["results"])
                about[name] = out["about"]
    print_report(args, names, results, about, errors, skipped)


def print_report(args, names, results, about, errors, skipped):
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"eagerflow benchmarks, {datetime.date.today()}, {platform.machine()}, "
          f"{os.cpu_count()} CPUs (load average {load}), {THREADS} threads per framework"
          + (", --quick" if args.quick else ""))
    print()
    notes = []
    print(table(names, results, notes))
    print()
    for i, note in enumerate(notes, 1):
        print(f"- [{i}] {note}")
    for line in [about[name] for name in names if name in about] + errors + [skipped]:
        if line:
            print(f"- {line}")


def table(names, results, notes):
    head = ["benchmark", "unit"] + [frameworks.LABELS[n] for n in names]
    head += [f"ef / {SHORT[n]}" for n in RATIOS if n in names]
    lines = ["| " + " | ".join(head + ["target"]) + " |", "|" + "---|" * (len(head) + 1)]
    for benchmark in BENCHMARKS:
        for key, label, unit in importlib.import_module(f"bench.{benchmark}").ROWS:
            values = {n: value_and_note(results[n].get(key)) for n in names}
            if all(v is None for v, _ in values.values()):
                continue
            cells = [label, unit] + [cell(*values[n], notes) for n in names]
            ours = values["eagerflow"][0]
            for n in RATIOS:
                if n in names:
                    other = values[n][0]
                    cells.append(f"{ours / other:.2f}" if unit != "x" and ours and other
                                 else "")
            cells.append(verdict(key, values))
            lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def value_and_note(result):
    """A worker's value, a (value, note) pair, or {"error": ...} -> (value, note)."""
    if isinstance(result, dict):
        return None, result["error"]
    if isinstance(result, list):
        return tuple(result)
    return result, None


def cell(value, note, notes):
    text = "—" if value is None else fmt(value)
    if note:
        if note not in notes:
            notes.append(note)
        text += f" [{notes.index(note) + 1}]"
    return text


def fmt(value):
    """Three significant digits, never in exponent notation."""
    digits = 0 if value == 0 else max(0, 2 - math.floor(math.log10(abs(value))))
    return f"{value:.{digits}f}"


def verdict(key, values):
    if key not in TARGETS:
        return ""
    against, op, bound = TARGETS[key]
    ours = values["eagerflow"][0]
    other = 1.0 if against == "self" else values.get(against, (None, None))[0]
    what = (f"{op} {fmt(bound)}" if against == "self"
            else f"{op} {bound:g}x {SHORT[against]}")
    if ours is None or other is None:
        return f"{what} (n/a)"
    ratio = ours / other
    met = ratio <= bound if op == "<=" else ratio >= bound
    return f"{what} {'ok' if met else 'MISSED'}"


if __name__ == "__main__":
    main()
