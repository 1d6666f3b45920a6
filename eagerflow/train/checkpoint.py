"""tf.train.Checkpoint: saves and restores the objects it is given, by object graph.

`Checkpoint(model=model, optimizer=opt)` names its dependencies by keyword; values are
keyed by their path through the object graph (graph.py states the scheme), never by
variable names or creation order, so a fresh program built the same way restores them.
"""

import os

from .. import dtypes
from ..framework import context
from ..framework.variables import Variable
from . import files, restore, state, status
from .graph import ObjectGraph, children, is_trackable

_OWN_ATTRIBUTES = frozenset(("_root", "_save_counter", "_deferred_restorations"))


class Checkpoint:
    """Groups trackable objects (variables, tf.Modules, Keras layers, models and
    optimizers, other Checkpoints, and lists/dicts of these) for saving and restoring."""

    def __init__(self, root=None, **kwargs):
        object.__setattr__(self, "_save_counter", None)
        object.__setattr__(self, "_root", None)
        if root is not None:
            _check_trackable("root", root)
            object.__setattr__(self, "_root", root)
        for name, value in kwargs.items():
            _check_trackable(name, value)
            if root is not None and any(n == name and c is not value
                                        for n, c in children(root)):
                raise ValueError(f"Cannot create a Checkpoint with keyword argument {name} "
                                 f"if root.{name} already exists.")
            setattr(self, name, value)

    def __setattr__(self, name, value):
        object.__setattr__(self, name, value)
        waiters = self.__dict__.get("_deferred_restorations")
        if waiters is not None:
            waiters.notify(self)

    def _checkpoint_dependencies(self):
        """The edges of this checkpoint in the object graph (see graph.py)."""
        edges = children(self._root) if self._root is not None else []
        edges += [(name, value) for name, value in vars(self).items()
                  if name not in _OWN_ATTRIBUTES and is_trackable(value)]
        if self._save_counter is not None:
            edges.append(("save_counter", self._save_counter))
        return edges

    @property
    def save_counter(self):
        """An int64 variable counting `save()` calls; numbers the checkpoints (made on
        first use)."""
        return self._counter()

    def _counter(self):
        if self._save_counter is None:
            with context.eager_mode():
                object.__setattr__(self, "_save_counter", Variable(
                    0, dtype=dtypes.int64, trainable=False, name="save_counter"))
        return self._save_counter

    def write(self, file_prefix, options=None):
        """Writes a checkpoint at exactly `file_prefix` (no numbering, no state file);
        returns `file_prefix`."""
        file_prefix = os.fspath(file_prefix)
        files.write(file_prefix, ObjectGraph(self))
        return file_prefix

    def save(self, file_prefix, options=None):
        """Writes checkpoint `<file_prefix>-<save_counter>` (after counting this save)
        and records it in the directory's `checkpoint` state file; returns its path."""
        file_prefix = os.fspath(file_prefix)
        counter = self.save_counter
        with context.eager_mode():
            counter.assign_add(1)
        path = self.write(f"{file_prefix}-{int(counter.numpy())}")
        state.write_state(os.path.dirname(file_prefix) or ".", path, [path])
        return path

    def read(self, save_path, options=None):
        """Restores from a checkpoint made by `write` (the save counter is not expected
        in it); returns a load status."""
        return self._restore(save_path, expect_save_counter=False)

    def restore(self, save_path, options=None):
        """Restores from `save_path` (from `save`, or `tf.train.latest_checkpoint`) now,
        or for objects not created yet, when they are; returns a load status. With
        `save_path=None` nothing happens (a fresh start)."""
        if save_path is None:
            return status.InitializationOnlyStatus()
        self._counter()  # made now, so that it is restored too
        return self._restore(save_path, expect_save_counter=True)

    def _restore(self, save_path, expect_save_counter):
        reader = files.CheckpointReader(os.fspath(save_path))
        return status.CheckpointLoadStatus(restore.Restoration(reader, self),
                                           self._save_counter, expect_save_counter)


def _check_trackable(name, value):
    if not is_trackable(value):
        raise ValueError(f"`Checkpoint` was expecting {name} to be a trackable object (a "
                         f"tf.Variable, tf.Module, Keras layer, model or optimizer, a "
                         f"Checkpoint, or a list/dict of these), got {value!r}.")
