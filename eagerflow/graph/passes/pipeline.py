"""The optimization pipeline: the passes in order, each verified, with a report of what
each changed. Passes can be turned off with TF's option names
(tf.config.optimizer.set_experimental_options), and elementwise fusion, which TF leaves
to XLA, with 'elementwise_fusion'."""

from collections import Counter

from .common_subexpressions import eliminate_common_subexpressions
from .constant_folding import fold_constants
from .dead_code import eliminate_dead_nodes
from .elementwise_fusion import fuse_elementwise
from .fusion import fuse_patterns
from .loss_fusion import fuse_losses
from .pool_gradients import mask_before_pool_gradients
from .simplify import simplify_arithmetic
from .verify import verify

# (option name: TF's where one maps, pass name, pass)
PASSES = (
    ("constant_folding", "constant folding", fold_constants),
    ("arithmetic_optimization", "arithmetic simplification", simplify_arithmetic),
    ("arithmetic_optimization", "common-subexpression elimination",
     eliminate_common_subexpressions),
    ("disable_model_pruning", "dead-node elimination", eliminate_dead_nodes),
    ("remapping", "fusion", fuse_patterns),
    ("remapping", "loss fusion", fuse_losses),
    ("remapping", "pool-gradient masking", mask_before_pool_gradients),
    ("elementwise_fusion", "elementwise fusion", fuse_elementwise),
)

options = {}


def set_experimental_options(new_options):
    """TF's switches: {'constant_folding': False, ...}; 'disable_meta_optimizer': True
    turns every pass off, 'disable_model_pruning': True keeps dead nodes."""
    options.update(new_options)


def get_experimental_options():
    return dict(options)


def _enabled(option):
    if options.get("disable_meta_optimizer"):
        return False
    if option == "disable_model_pruning":
        return not options.get(option, False)
    return options.get(option, True)


def optimize(program):
    """(optimized program, report lines)."""
    report = []
    verify(program, after="tracing")
    for option, name, run in PASSES:
        if not _enabled(option):
            report.append(f"{name}: off")
            continue
        before = Counter(node.type for node in program.graph.nodes)
        program = run(program)
        verify(program, after=name)
        after = Counter(node.type for node in program.graph.nodes)
        report.append(f"{name}: {sum(before.values())} → {sum(after.values())} nodes"
                      + _changes(before, after))
    return program, report


def _changes(before, after):
    removed = before - after
    added = after - before
    parts = [f"-{n} {kind}" for kind, n in sorted(removed.items())]
    parts += [f"+{n} {kind}" for kind, n in sorted(added.items())]
    return f" ({', '.join(parts)})" if parts else ""
