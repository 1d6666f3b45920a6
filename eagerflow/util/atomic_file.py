"""Atomic file writes: a reader sees the old file or the new one, never half of one."""

import os


def atomic_write(filepath, write):
    """Calls write(temporary path) beside `filepath`, then renames it into place; a failed
    write leaves neither a partial file nor the temporary one."""
    import tempfile  # here, not at module level: `import eagerflow` stays fast

    directory = os.path.dirname(os.path.abspath(filepath))
    handle, temporary = tempfile.mkstemp(dir=directory, suffix=".tmp")
    os.close(handle)
    try:
        write(temporary)
        os.replace(temporary, filepath)
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)


def atomic_write_text(filepath, text):
    """Writes `text` (UTF-8) to `filepath` atomically."""
    def write(temporary):
        with open(temporary, "w", encoding="utf-8") as handle:
            handle.write(text)
    atomic_write(filepath, write)


def atomic_write_bytes(filepath, data):
    """Writes the bytes `data` to `filepath` atomically, flushed to disk before the
    rename so that a crash just after it still finds the whole file."""
    def write(temporary):
        with open(temporary, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    atomic_write(filepath, write)
