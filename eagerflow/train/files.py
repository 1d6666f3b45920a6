"""Checkpoint files: `<prefix>.index` (JSON: the object graph, each value's key, shape
and dtype) and `<prefix>.data-00000-of-00001` (a NumPy .npz of the values, read with
allow_pickle=False).

The names are TF's, so code that looks for `prefix + ".index"` works, but the contents
are eagerflow's own: neither TF's binary tensor-bundle format nor readable by TF. Each
file is written atomically (a temporary file renamed into place), the data before the
index; both carry the same random token, so an index read beside data from another save
(one interrupted while overwriting a prefix) is reported, never silently mixed.
"""

import os

import numpy as np

from .. import dtypes, errors
from ..framework.variables import Variable
from ..util import atomic_file
from .graph import VALUE_SUFFIX
from .state import latest_checkpoint

FORMAT = "eagerflow-checkpoint"
VERSION = 1
DATA_SUFFIX = ".data-00000-of-00001"
_TOKEN = "token"  # the data file's entry holding the save's token (node entries are numbers)
_ZIP_MAGIC = b"PK\x03\x04"


def write(prefix, graph):
    """Writes the values of the variables in `graph` (an ObjectGraph) under `prefix`."""
    import json  # here, not at module level: `import eagerflow` stays fast
    import uuid

    token = uuid.uuid4().hex
    nodes, arrays = [], {_TOKEN: np.array(token)}
    for node, obj in enumerate(graph.objects):
        entry = {"path": graph.paths[node], "children": graph.edges[node]}
        if isinstance(obj, Variable):
            if obj.dtype == dtypes.string:
                raise errors.UnimplementedError(
                    f"Cannot checkpoint variable {obj.name} ({graph.paths[node]}): string "
                    f"variables are not supported by eagerflow checkpoints.")
            value = arrays[str(node)] = np.asarray(obj.numpy())
            entry["variable"] = {"key": graph.paths[node] + VALUE_SUFFIX,
                                 "shape": list(np.shape(value)), "dtype": obj.dtype.name}
        if node in graph.slots:
            entry["slots"] = graph.slots[node]
        nodes.append(entry)
    directory = os.path.dirname(os.path.abspath(prefix))
    os.makedirs(directory, exist_ok=True)

    def write_data(temporary):
        with open(temporary, "wb") as handle:
            np.savez(handle, **arrays)

    data_path = prefix + DATA_SUFFIX
    new_prefix = not os.path.exists(data_path)
    atomic_file.atomic_write(data_path, write_data)
    try:
        atomic_file.atomic_write_text(prefix + ".index", json.dumps(
            {"format": FORMAT, "version": VERSION, "token": token, "nodes": nodes}))
    except BaseException:
        if new_prefix:  # no index will ever describe it
            os.remove(data_path)
        raise


class CheckpointReader:
    """A checkpoint read into memory (`tf.train.load_checkpoint`'s reader): the object
    graph (`nodes`) and every value, by node and by key."""

    def __init__(self, prefix):
        self.prefix = prefix
        index = _read_index(prefix)
        self.nodes = index["nodes"]
        self._keys = {node["variable"]["key"]: i for i, node in enumerate(self.nodes)
                      if "variable" in node}
        self.values = _read_data(prefix, index)

    def get_variable_to_shape_map(self):
        return {key: list(self.nodes[i]["variable"]["shape"]) for key, i in self._keys.items()}

    def get_variable_to_dtype_map(self):
        return {key: dtypes.as_dtype(self.nodes[i]["variable"]["dtype"])
                for key, i in self._keys.items()}

    def has_tensor(self, key):
        return key in self._keys

    def get_tensor(self, key):
        if key not in self._keys:
            raise errors.NotFoundError(f"Key {key} not found in checkpoint {self.prefix}")
        return self.values[self._keys[key]].copy()


def _read_index(prefix):
    import json

    path = prefix + ".index"
    if os.path.isdir(prefix):
        raise errors.NotFoundError(
            f"{prefix} is a directory, not a checkpoint prefix; pass a prefix such as "
            f"tf.train.latest_checkpoint({prefix!r}).")
    if not os.path.exists(path):
        raise errors.NotFoundError(f"Failed to find any matching files for {prefix}: there is "
                                   f"no checkpoint index file {path}.")
    try:
        with open(path, encoding="utf-8") as handle:
            index = json.load(handle)
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise errors.DataLossError(f"Checkpoint index file {path} is unreadable or corrupt "
                                   f"({error}).") from None
    if not isinstance(index, dict) or index.get("format") != FORMAT:
        raise errors.DataLossError(
            f"{path} is not an eagerflow checkpoint index (TF's binary tensor-bundle "
            f"checkpoints cannot be read).")
    if index.get("version") != VERSION:
        raise errors.DataLossError(f"Checkpoint index file {path} has version "
                                   f"{index.get('version')}; this eagerflow reads {VERSION}.")
    return index


def _read_data(prefix, index):
    """{node: array} of the index's variables, checked against what the index says."""
    path = prefix + DATA_SUFFIX
    if not os.path.exists(path):
        raise errors.NotFoundError(f"Checkpoint data file {path} is missing (its index "
                                   f"{prefix}.index exists).")
    nodes = {i: node["variable"] for i, node in enumerate(index["nodes"]) if "variable" in node}
    try:
        with open(path, "rb") as handle:
            if handle.read(len(_ZIP_MAGIC)) != _ZIP_MAGIC:
                raise ValueError("not a NumPy .npz archive")
        with np.load(path, allow_pickle=False) as data:
            token = str(data[_TOKEN]) if _TOKEN in data.files else None
            values = {node: data[str(node)] for node in nodes}
    except KeyError as error:
        raise errors.DataLossError(f"Checkpoint data file {path} lacks the value "
                                   f"{error} that its index lists.") from None
    except Exception as error:  # noqa: BLE001  (zip, npy header and I/O errors alike)
        raise errors.DataLossError(f"Checkpoint data file {path} is unreadable or corrupt "
                                   f"({type(error).__name__}: {error}).") from None
    if token != index.get("token"):
        raise errors.DataLossError(f"Checkpoint data file {path} was written by another save "
                                   f"than its index {prefix}.index (a save interrupted?).")
    for node, spec in nodes.items():
        shape, dtype = list(values[node].shape), dtypes.as_dtype(values[node].dtype).name
        if shape != spec["shape"] or dtype != spec["dtype"]:
            raise errors.DataLossError(
                f"Checkpoint data file {path} holds {spec['key']} with shape {shape} and dtype "
                f"{dtype}, but its index says {spec['shape']} and {spec['dtype']}.")
    return values


def resolve(ckpt_dir_or_file):
    """A checkpoint prefix: `ckpt_dir_or_file` itself, or a directory's latest checkpoint."""
    path = os.fspath(ckpt_dir_or_file)
    if os.path.isdir(path):
        latest = latest_checkpoint(path)
        if latest is None:
            raise ValueError(f"Couldn't find 'checkpoint' file or checkpoints in given "
                             f"directory {path}")
        return latest
    return path


def load_checkpoint(ckpt_dir_or_file):
    """A CheckpointReader for a checkpoint prefix or a directory's latest checkpoint."""
    return CheckpointReader(resolve(ckpt_dir_or_file))


def list_variables(ckpt_dir_or_file):
    """[(key, shape)] of every value in the checkpoint, sorted by key."""
    shapes = load_checkpoint(ckpt_dir_or_file).get_variable_to_shape_map()
    return sorted(shapes.items())


def load_variable(ckpt_dir_or_file, name):
    """The value saved under key `name` (a trailing ':0' is ignored), as a NumPy array."""
    if name.endswith(":0"):
        name = name[:-2]
    return load_checkpoint(ckpt_dir_or_file).get_tensor(name)
