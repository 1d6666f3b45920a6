"""tf.train.CheckpointManager: numbered checkpoints in one directory, old ones deleted.

The manager's state (the checkpoints it keeps, with their times) lives in the
directory's `checkpoint` file, so a manager made again on the same directory carries on.
"""

import os
import time
from collections import OrderedDict

from ..framework import context
from .files import DATA_SUFFIX
from .state import get_checkpoint_state, write_state


class CheckpointManager:
    """Saves `checkpoint` as `<directory>/<checkpoint_name>-<n>`, keeping the newest
    `max_to_keep` (None: all), plus one every `keep_checkpoint_every_n_hours`."""

    def __init__(self, checkpoint, directory, max_to_keep=5, keep_checkpoint_every_n_hours=None,
                 checkpoint_name="ckpt", step_counter=None, checkpoint_interval=None,
                 init_fn=None):
        if max_to_keep is not None and max_to_keep <= 0:
            raise ValueError(f"Expected a positive integer or `None` for `max_to_keep`, got "
                             f"{max_to_keep}.")
        if checkpoint_interval is not None and step_counter is None:
            raise ValueError("`step_counter` should be passed if `checkpoint_interval` is not "
                             "None.")
        self._checkpoint = checkpoint
        self._max_to_keep = max_to_keep
        self._keep_checkpoint_every_n_hours = keep_checkpoint_every_n_hours
        self._directory = os.fspath(directory)
        self._prefix = os.path.join(self._directory, checkpoint_name)
        self._step_counter = step_counter
        self._checkpoint_interval = checkpoint_interval
        self._last_checkpoint_step = None
        self._init_fn = init_fn
        self._kept = OrderedDict()  # path -> time saved, oldest first
        now = time.time()
        recovered = get_checkpoint_state(self._directory)
        if recovered is None:
            self._latest_checkpoint = None
            self._last_preserved_timestamp = now - 1.0
            return
        self._latest_checkpoint = recovered.model_checkpoint_path
        self._last_preserved_timestamp = min(recovered.last_preserved_timestamp, now)
        times = recovered.all_model_checkpoint_timestamps or [
            self._last_preserved_timestamp] * len(recovered.all_model_checkpoint_paths)
        for path, saved in zip(recovered.all_model_checkpoint_paths, times):
            saved = min(saved, now)
            if saved > self._last_preserved_timestamp:
                self._kept[path] = saved

    @property
    def checkpoint(self):
        return self._checkpoint

    @property
    def directory(self):
        return self._directory

    @property
    def checkpoint_interval(self):
        return self._checkpoint_interval

    @property
    def latest_checkpoint(self):
        """The prefix of the newest checkpoint, for `Checkpoint.restore`; None if none."""
        return self._latest_checkpoint

    @property
    def checkpoints(self):
        """The managed checkpoints, oldest first (not those kept by
        `keep_checkpoint_every_n_hours`)."""
        return list(self._kept)

    def save(self, checkpoint_number=None, check_interval=True, options=None):
        """Saves a checkpoint numbered `checkpoint_number` (default: the checkpoint's
        save counter, which counts every save either way) and deletes those beyond
        `max_to_keep`; returns its path, or None when `checkpoint_interval` says it is
        too early (or this step was saved already)."""
        if self._checkpoint_interval is not None:
            step = int(self._step_counter.numpy())
            if self._last_checkpoint_step is not None:
                if step == self._last_checkpoint_step:
                    return None
                if check_interval and step < (self._last_checkpoint_step
                                              + self._checkpoint_interval):
                    return None
            self._last_checkpoint_step = step
        counter = self._checkpoint.save_counter
        with context.eager_mode():
            counter.assign_add(1)
        number = counter if checkpoint_number is None else checkpoint_number
        path = self._checkpoint.write(f"{self._prefix}-{int(number)}")
        self._kept.pop(path, None)
        self._kept[path] = time.time()
        self._latest_checkpoint = path
        self._record_state()  # the new checkpoint is recorded before anything is deleted
        self._sweep()
        self._record_state()
        return path

    def restore_or_initialize(self):
        """Restores the latest checkpoint and returns its path; without one, calls
        `init_fn` (if given) and returns None."""
        if self._latest_checkpoint is not None:
            self._checkpoint.restore(self._latest_checkpoint)
            return self._latest_checkpoint
        if self._init_fn is not None:
            self._init_fn()
        return None

    def _sweep(self):
        if not self._max_to_keep:
            return
        while len(self._kept) > self._max_to_keep:
            path, saved = self._kept.popitem(last=False)
            hours = self._keep_checkpoint_every_n_hours
            if hours and saved - hours * 3600.0 >= self._last_preserved_timestamp:
                self._last_preserved_timestamp = saved
                continue
            for suffix in (".index", DATA_SUFFIX):
                if os.path.exists(path + suffix):
                    os.remove(path + suffix)

    def _record_state(self):
        write_state(self._directory, self._latest_checkpoint, list(self._kept),
                    list(self._kept.values()), self._last_preserved_timestamp)
