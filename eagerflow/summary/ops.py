"""Summary ops: `write` and the scalar, histogram, text and image summaries in TF2's form
(a tensor whose metadata names the TensorBoard plugin that shows it), and `graph`.

Executing eagerly, an op writes at once. While a graph is built (a tf.function), it
becomes a stateful node that writes each time the graph runs, to the writer that was the
default when the graph was built, at the step read then (a tf.Variable step is read at
each run; a Python int is fixed), under the record_if condition (a callable is called
while building, so tensors it makes are read at run time); once that writer is closed,
the node writes nothing.

Each op returns a bool tensor: True when written; False without a default writer or when
the record_if condition is false.
"""

import numpy as np

from .. import dtypes
from ..framework import context
from ..framework.convert import convert_to_tensor
from ..framework.naming import scoped_name
from ..framework.tensor import wrap
from ..graph.ir import Graph
from ..ops.registry import Spec
from .protos import png
from .writer import recording_condition, resolve_step, state

DEFAULT_BUCKET_COUNT = 30


def write(tag, tensor, step=None, metadata=None, name=None):
    """Writes `tensor` (or the value of the callable `tensor`, called only when recording)
    under `tag` at `step`; `metadata` is a SummaryMetadata protobuf, its serialized bytes,
    or None."""
    return _record(tag, tensor, step, metadata, np.asarray)


def scalar(name, data, step=None, description=None):
    """Writes a real scalar (as float32) for TensorBoard's Scalars dashboard; the tag is
    `name` under the enclosing tf.name_scope."""
    def payload(array):
        if array.ndim:
            raise ValueError(f"tf.summary.scalar('{name}') needs a scalar; got shape "
                             f"{list(array.shape)}.")
        return array.astype(np.float32)
    return _record(scoped_name(name), data, step, ("scalars", description, b""), payload)


def histogram(name, data, step=None, buckets=None, description=None):
    """Writes the distribution of `data` as `buckets` (default 30) equal-width buckets
    spanning its minimum to maximum, for the Histograms and Distributions dashboards."""
    count = DEFAULT_BUCKET_COUNT if buckets is None else int(buckets)
    return _record(scoped_name(name), data, step, ("histograms", description, b""),
                   lambda array: _buckets(array, count))


def text(name, data, step=None, description=None):
    """Writes a string tensor (any shape; Markdown) for the Text dashboard."""
    def payload(array):
        if array.dtype.kind not in "OSU":
            raise TypeError(f"tf.summary.text('{name}') needs string data; got "
                            f"{array.dtype.name}.")
        return array
    return _record(scoped_name(name), data, step, ("text", description, b""), payload)


def image(name, data, step=None, max_outputs=3, description=None):
    """Writes up to `max_outputs` images from `data` [k, height, width, channels] (1 grey,
    2 grey+alpha, 3 RGB, 4 RGBA), as PNGs for the Images dashboard. uint8 data is taken as
    is; floats are scaled from [0, 1] to 0..255 and clipped; other integers rescaled from
    their range."""
    def payload(array):
        if array.ndim != 4 or not 1 <= array.shape[-1] <= 4:
            raise ValueError(f"tf.summary.image('{name}') needs data of shape [k, height, "
                             f"width, channels] with 1 to 4 channels; got shape "
                             f"{list(array.shape)}.")
        pngs = [png(picture) for picture in _as_uint8(array[:max_outputs])]
        return np.array([str(array.shape[2]).encode(), str(array.shape[1]).encode()] + pngs,
                        dtype=object)
    return _record(scoped_name(name), data, step, ("images", description, b""), payload)


def graph(graph_data):
    """Writes a graph (an eagerflow tf.Graph, or a GraphDef protobuf) as the run's graph,
    which TensorBoard's Graphs dashboard shows. Only when executing eagerly."""
    if context.current_graph() is not None:
        raise ValueError("tf.summary.graph() cannot be invoked inside a graph context.")
    writer = state.writer
    if writer is None or not recording_condition():
        return convert_to_tensor(False)
    if not isinstance(graph_data, Graph) and not hasattr(graph_data, "SerializeToString"):
        raise ValueError(f"tf.summary.graph() takes a tf.Graph or a GraphDef; got "
                         f"{type(graph_data).__name__}.")
    writer._write_graph(graph_data)
    return convert_to_tensor(True)


def _record(tag, data, step, metadata, payload):
    """`data` written under `tag` now, or by a node when the graph being built runs."""
    writer = state.writer
    if writer is None:
        return convert_to_tensor(False)
    step = resolve_step(step)
    condition = recording_condition()
    if condition is False:
        return convert_to_tensor(False)
    if callable(data):
        data = data()
    graph = context.current_graph()
    if graph is None:
        writer._write(tag, payload(_numpy(data)), int(_numpy(step)), metadata)
        return convert_to_tensor(True)
    inputs = [graph.capture(data), graph.capture(step)]
    if condition is not True:
        inputs.append(graph.capture(condition))

    def run(values):
        if writer._closed or len(values) > 2 and not values[2]._value:
            return (wrap(np.array(False)),)
        writer._write(tag, payload(np.asarray(values[0]._value)), int(values[1]._value),
                      metadata)
        return (wrap(np.array(True)),)
    return graph._add("WriteSummary", inputs, {"tag": tag}, [Spec((), dtypes.bool)], run,
                      stateful=True, name="write_summary").outputs[0]


def _numpy(value):
    if isinstance(value, bytes):  # kept whole: NumPy's bytes scalars drop trailing zeros
        array = np.empty((), dtype=object)
        array[()] = value
        return array
    return np.asarray(convert_to_tensor(value)._value)


def _buckets(values, count):
    """[count, 3] float64 rows (left edge, right edge, count), as TF2's histogram writes:
    equal widths from the minimum to the maximum (the last bucket closed); one repeated
    value puts everything in the last bucket; no data gives zeros."""
    values = values.reshape(-1).astype(np.float64)
    if count == 0 or values.size == 0:
        return np.zeros((count, 3))
    low, high = values.min(), values.max()
    if low == high:
        counts = np.zeros(count)
        counts[-1] = values.size
        return np.stack([np.full(count, high), np.full(count, high), counts], axis=1)
    counts, edges = np.histogram(values, bins=count, range=(low, high))
    return np.stack([edges[:-1], edges[1:], counts.astype(np.float64)], axis=1)


def _as_uint8(images):
    """Pixels as uint8 the way tf.image.convert_image_dtype saturates: floats times 255
    (rounded as TF does), integers shifted from their bit width."""
    kind = images.dtype.kind
    if kind == "f":
        return np.clip(np.nan_to_num(images) * 255.5, 0, 255).astype(np.uint8)
    if kind not in "iu":
        raise TypeError(f"tf.summary.image takes float or integer pixels; got "
                        f"{images.dtype.name}.")
    bits = images.dtype.itemsize * 8 - (kind == "i")
    wide = images.astype(np.int64)
    wide = wide >> (bits - 8) if bits >= 8 else wide << (8 - bits)
    return np.clip(wide, 0, 255).astype(np.uint8)
