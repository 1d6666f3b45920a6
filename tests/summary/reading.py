"""Event files read back with the tensorboard package, the way TensorBoard reads them."""

from tensorboard import context
from tensorboard.backend.event_processing import (data_provider, plugin_event_accumulator,
                                                  plugin_event_multiplexer)
from tensorboard.util import tensor_util


def scalars(logdir):
    """{run: {tag: [(step, value)]}} as the Scalars dashboard gets them (run '.' is logdir
    itself, 'train' its train/ subdirectory, ...)."""
    multiplexer = plugin_event_multiplexer.EventMultiplexer()
    multiplexer.AddRunsFromDirectory(str(logdir))
    multiplexer.Reload()
    provider = data_provider.MultiplexerDataProvider(multiplexer, str(logdir))
    found = provider.read_scalars(context.RequestContext(), experiment_id="",
                                  plugin_name="scalars", downsample=100_000)
    return {run: {tag: [(d.step, d.value) for d in data] for tag, data in tags.items()}
            for run, tags in found.items()}


def accumulator(logdir):
    """One run's events, loaded."""
    events = plugin_event_accumulator.EventAccumulator(str(logdir), size_guidance={
        plugin_event_accumulator.TENSORS: 0})
    events.Reload()
    return events


def tensors(logdir, tag):
    """[(step, NumPy value)] of a tag's summaries in one run."""
    return [(e.step, tensor_util.make_ndarray(e.tensor_proto))
            for e in accumulator(logdir).Tensors(tag)]


def plugin_of(logdir, tag):
    return accumulator(logdir).SummaryMetadata(tag).plugin_data.plugin_name
