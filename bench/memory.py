"""Peak resident memory (ru_maxrss) of a fresh process that loads Fashion-MNIST and trains
the MLP with SGD for one epoch (of the same fraction as the MLP rows)."""

import resource

from . import mlp
from .training import fit_seconds, subset

ROWS = [("peak_rss", "peak RSS, MLP training process", "MB")]


def measure(framework, module, ctx):
    x, y, _ = subset(*ctx.train, ctx.fractions["mlp"])
    fit_seconds(framework, module, mlp.SPEC, "sgd", x, y, 32)
    return {"peak_rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}
