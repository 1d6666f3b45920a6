"""Runs one benchmark for one framework in this process and prints its results as JSON.

    python -m bench.worker FRAMEWORK BENCHMARK OPTIONS_JSON

The driver (bench/__main__.py) starts one worker per (framework, benchmark), with
eagerflow's Python for eagerflow and the NumPy floor and the comparison Python for
TensorFlow and PyTorch, so each measurement gets a fresh process.
"""

import functools
import importlib
import json
import sys

from . import data, frameworks

BENCHMARKS = ["mlp", "cnn", "calls", "dispatch", "graph", "memory", "startup"]


class Context:
    """What a benchmark may use: the data (loaded on first use) and the run's options."""

    def __init__(self, options):
        self.data_path = options["data"]
        self.fractions = options["fractions"]
        self.repeats = options["repeats"]

    @functools.cached_property
    def _arrays(self):
        return data.load(self.data_path)

    @property
    def train(self):
        return self._arrays[0]

    @property
    def test(self):
        return self._arrays[1]

    def extrapolation(self, count):
        """The note for a time measured on `count` of the 60,000 training images."""
        total = len(self.train[0])
        return None if count == total else f"{count} of {total} images, scaled"


def main(framework, benchmark, options):
    module = frameworks.load(framework)
    bench = importlib.import_module(f"bench.{benchmark}")
    results = bench.measure(framework, module, Context(options))
    print(json.dumps({"results": results, "about": frameworks.describe(framework)}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], json.loads(sys.argv[3]))
