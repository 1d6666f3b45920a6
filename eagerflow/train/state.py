"""The `checkpoint` state file a checkpoint directory keeps, in TF's text format:

    model_checkpoint_path: "ckpt-3"
    all_model_checkpoint_paths: "ckpt-2"
    all_model_checkpoint_paths: "ckpt-3"
    all_model_checkpoint_timestamps: 1700000000.5
    ...
    last_preserved_timestamp: 1699999990.25

Paths are written relative to the directory and read back joined to it.
"""

import os
import re
import warnings

from ..util import atomic_file

STATE_FILENAME = "checkpoint"
_LINE = re.compile(r'^\s*(\w+)\s*:\s*(?:"((?:[^"\\]|\\.)*)"|([-+0-9.eE]+|inf|nan))\s*$')


class CheckpointState:
    """What a `checkpoint` file records (TF's CheckpointState fields)."""

    def __init__(self, model_checkpoint_path, all_model_checkpoint_paths=(),
                 all_model_checkpoint_timestamps=(), last_preserved_timestamp=0.0):
        self.model_checkpoint_path = model_checkpoint_path
        self.all_model_checkpoint_paths = list(all_model_checkpoint_paths)
        self.all_model_checkpoint_timestamps = list(all_model_checkpoint_timestamps)
        self.last_preserved_timestamp = last_preserved_timestamp

    def __repr__(self):
        return (f"CheckpointState(model_checkpoint_path={self.model_checkpoint_path!r}, "
                f"all_model_checkpoint_paths={self.all_model_checkpoint_paths!r})")


def _quote(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _unquote(text):
    return re.sub(r"\\(.)", r"\1", text)


def write_state(directory, latest, paths, timestamps=(), last_preserved_timestamp=None):
    """Records `latest` and `paths` (oldest first) in `directory`'s state file."""
    state_file = os.path.join(directory, STATE_FILENAME)
    if os.path.abspath(latest) == os.path.abspath(state_file):
        raise RuntimeError(f"Save path '{latest}' conflicts with path used for checkpoint "
                           f"state. Please use a different save path.")

    def relative(path):
        return os.path.relpath(os.path.abspath(path), os.path.abspath(directory))

    lines = [f"model_checkpoint_path: {_quote(relative(latest))}"]
    lines += [f"all_model_checkpoint_paths: {_quote(relative(p))}" for p in paths]
    lines += [f"all_model_checkpoint_timestamps: {t!r}" for t in timestamps]
    if last_preserved_timestamp is not None:
        lines.append(f"last_preserved_timestamp: {last_preserved_timestamp!r}")
    atomic_file.atomic_write_text(state_file, "\n".join(lines) + "\n")


def get_checkpoint_state(checkpoint_dir, latest_filename=None):
    """The CheckpointState in `checkpoint_dir`, or None without a readable state file (an
    unreadable one is reported with a warning, as TF logs it)."""
    checkpoint_dir = os.fspath(checkpoint_dir)
    state_file = os.path.join(checkpoint_dir, latest_filename or STATE_FILENAME)
    if not os.path.isfile(state_file):
        return None
    fields = {"all_model_checkpoint_paths": [], "all_model_checkpoint_timestamps": []}
    try:
        with open(state_file, encoding="utf-8") as handle:
            for number, line in enumerate(handle, 1):
                if not line.strip():
                    continue
                match = _LINE.match(line)
                if match is None:
                    raise ValueError(f"line {number} is not `field: value`: {line.strip()!r}")
                name, text, number_text = match.groups()
                value = _unquote(text) if text is not None else float(number_text)
                if isinstance(fields.get(name), list):
                    fields[name].append(value)
                else:
                    fields[name] = value
    except (OSError, UnicodeDecodeError, ValueError) as error:
        warnings.warn(f"{state_file}: {error}; checkpoint state ignored.", stacklevel=2)
        return None
    latest = fields.get("model_checkpoint_path")
    if not latest:
        raise ValueError(f"Invalid checkpoint state loaded from {checkpoint_dir}")

    def absolute(path):
        return path if os.path.isabs(path) else os.path.join(checkpoint_dir, path)

    return CheckpointState(absolute(latest),
                           [absolute(p) for p in fields["all_model_checkpoint_paths"]],
                           fields["all_model_checkpoint_timestamps"],
                           fields.get("last_preserved_timestamp", 0.0))


def latest_checkpoint(checkpoint_dir, latest_filename=None):
    """The prefix of the newest checkpoint recorded in `checkpoint_dir`, or None when
    there is none (or its index file is gone)."""
    state = get_checkpoint_state(checkpoint_dir, latest_filename)
    if state is not None and os.path.exists(state.model_checkpoint_path + ".index"):
        return state.model_checkpoint_path
    return None
