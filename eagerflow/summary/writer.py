"""Summary writers and the summary state: the default writer, the default step and the
recording condition, kept per thread as TF keeps them.

A file writer appends `Event` records to an event file through tensorboardX's
record writer; the file is flushed when `max_queue` events are pending, when
`flush_millis` have passed since the last flush (checked as events arrive; there is no
background thread), on `flush()`, on leaving `as_default()` and on `close()`.
"""

import contextlib
import itertools
import os
import threading
import time
import weakref

import numpy as np

from ..framework import context
from ..framework.convert import convert_to_tensor
from ..framework.variables import Variable
from . import graph_def, protos

_file_numbers = itertools.count()


class _State(threading.local):
    def __init__(self):
        self.writer = None
        self.step = None
        self.condition = True  # record_if's: a bool, a (symbolic) bool tensor or a callable


state = _State()


class SummaryWriter:
    """The writer interface; this base does nothing (the no-op writer is one)."""

    def set_as_default(self, step=None):
        """Makes this the default writer from now on (and `step` the default step)."""

    @contextlib.contextmanager
    def as_default(self, step=None):
        """Makes this the default writer (and `step`, if given, the default step) inside the
        block, then restores the previous ones; the writer is flushed on leaving it."""
        yield self

    def init(self):
        """Opens the writer's event file (creation already did)."""

    def flush(self):
        """Writes pending events to disk (inside a graph: each time the graph runs)."""

    def close(self):
        """Flushes and closes the writer; it writes no more."""


class _NoopSummaryWriter(SummaryWriter):
    """Never becomes the default writer, so summary ops under it write nothing."""


class _FileSummaryWriter(SummaryWriter):
    """Writes TensorBoard event files into `logdir`."""

    _closed = False

    def __init__(self, logdir, max_queue, flush_millis, filename_suffix):
        self._logdir = os.fspath(logdir)
        self._max_queue = 10 if max_queue is None else int(max_queue)
        self._flush_seconds = (120_000 if flush_millis is None else flush_millis) / 1000
        self._suffix = ".v2" if filename_suffix is None else filename_suffix
        self._file = None
        self.init()

    def set_as_default(self, step=None):
        self._check_open()
        state.writer = self
        if step is not None:
            state.step = step

    @contextlib.contextmanager
    def as_default(self, step=None):
        self._check_open()
        previous = state.writer, state.step
        state.writer = self
        if step is not None:
            state.step = step
        try:
            yield self
            self.flush()
        finally:
            state.writer, state.step = previous

    def init(self):
        self._check_open()
        if self._file is not None:
            return
        protos.module("event_pb2")  # the clear ImportError when tensorboardX is missing
        from tensorboardX import event_file_writer, record_writer
        record_writer.directory_check(self._logdir)
        # The pid and a counter keep writers started in the same second apart.
        suffix = f".{os.getpid()}.{next(_file_numbers)}{self._suffix}"
        self._file = event_file_writer.EventsWriter(os.path.join(self._logdir, "events"),
                                                    suffix)
        self._pending = 0
        self._flushed_at = time.monotonic()
        self._finalizer = weakref.finalize(self, self._file.close)

    def _write(self, tag, array, step, metadata):
        summary_pb2 = protos.module("summary_pb2")
        value = summary_pb2.Summary.Value(tag=tag, tensor=protos.tensor_proto(array),
                                          metadata=_metadata_proto(metadata))
        self._add_event(protos.module("event_pb2").Event(
            step=step, summary=summary_pb2.Summary(value=[value])))

    def _write_graph(self, graph):
        if not hasattr(graph, "SerializeToString"):
            graph = graph_def.to_graph_def(graph)
        self._add_event(protos.module("event_pb2").Event(
            step=0, graph_def=graph.SerializeToString()))

    def _add_event(self, event):
        self._check_open()
        event.wall_time = time.time()
        self._file.write_event(event)
        self._pending += 1
        if self._pending >= self._max_queue or \
                time.monotonic() - self._flushed_at >= self._flush_seconds:
            self._flush_now()

    def flush(self):
        graph = context.current_graph()
        if graph is None:
            self._flush_now()
            return

        def run(values):
            self._flush_now()
            return ()
        graph._add("FlushSummaryWriter", [], {}, [], run, stateful=True)

    def _flush_now(self):
        if not self._closed:
            self._file.flush()
            self._pending = 0
            self._flushed_at = time.monotonic()

    def close(self):
        if not self._closed:
            self._flush_now()
            self._finalizer()
            self._closed = True

    def _check_open(self):
        if self._closed:
            raise RuntimeError("SummaryWriter is already closed")

    def __repr__(self):
        return f"<tf.summary.SummaryWriter logdir={self._logdir!r}>"


def _metadata_proto(metadata):
    """A SummaryMetadata from a (plugin name, description, content) triple, serialized
    bytes, a SummaryMetadata of any protobuf copy (TensorFlow's, tensorboard's), or None."""
    summary_pb2 = protos.module("summary_pb2")
    if metadata is None:
        return summary_pb2.SummaryMetadata()
    if isinstance(metadata, tuple):
        return protos.summary_metadata(*metadata)
    if not isinstance(metadata, bytes):
        metadata = metadata.SerializeToString()
    return summary_pb2.SummaryMetadata.FromString(metadata)


def create_file_writer(logdir, max_queue=None, flush_millis=None, filename_suffix=None,
                       name=None):
    """A writer of TensorBoard event files in `logdir` (created if missing).

    Args:
        logdir: the directory of the event file.
        max_queue: events held before a flush (default 10).
        flush_millis: the longest time between flushes, in ms (default 120000).
        filename_suffix: the event file name's ending (default `.v2`).
        name: unused (TF's op name).

    Raises ImportError when tensorboardX is not installed."""
    return _FileSummaryWriter(logdir, max_queue, flush_millis, filename_suffix)


def create_noop_writer():
    """A writer that writes nothing (to switch summaries off without changing the code)."""
    return _NoopSummaryWriter()


def flush(writer=None, name=None):
    """Flushes `writer`, or the default writer when None."""
    writer = writer or state.writer
    if writer is not None:
        writer.flush()


@contextlib.contextmanager
def record_if(condition):
    """Summaries inside record only where `condition` holds: a bool, a bool tensor, or a
    callable returning one (called by each summary op). It replaces any outer condition."""
    previous = state.condition
    state.condition = condition
    try:
        yield
    finally:
        state.condition = previous


def should_record_summaries():
    """Whether summary ops here would record: a default writer exists and the record_if
    condition holds (a bool tensor; symbolic inside a graph when the condition is)."""
    if state.writer is None:
        return convert_to_tensor(False)
    condition = recording_condition()
    if isinstance(condition, bool):
        return convert_to_tensor(condition)
    return condition


def recording_condition():
    """The record_if condition now: True/False, or a tensor read when the graph runs."""
    condition = state.condition
    if callable(condition):
        condition = condition()
    if context.is_symbolic(condition):
        return condition
    if isinstance(condition, Variable) and context.current_graph() is not None:
        return context.current_graph().capture(condition)
    return bool(np.asarray(convert_to_tensor(condition)._value))


def set_step(step):
    """Sets the default step of summary ops: an int, a tensor or a tf.Variable (read when
    each op runs)."""
    state.step = step


def get_step():
    """The default step (None when unset)."""
    return state.step


def resolve_step(step):
    """`step`, else the default step; a ValueError when neither is set."""
    step = state.step if step is None else step
    if step is None:
        raise ValueError("No step set. Pass `step=` to the summary call, or set a default with "
                         "`writer.as_default(step=...)` or "
                         "`tf.summary.experimental.set_step(step)`.")
    return step
