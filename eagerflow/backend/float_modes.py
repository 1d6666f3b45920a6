"""Subnormal floats flushed to zero while compiled code runs, as in TF's CPU kernels.

TF computes with the x86 FTZ and DAZ bits of MXCSR set: a result below the smallest
normal float becomes zero, and so does such an input. Besides matching TF's numbers this
matters for speed: an elementwise NumPy pass slows down 10-20x when part of its data is
subnormal, which is what Adam's first moment becomes for weights whose gradient stays
zero (the border pixels of an image), a few hundred steps into training.

The bits belong to the calling thread; `flush_subnormals` sets them and returns the mode
to give back to `restore`, so NumPy code outside eagerflow keeps IEEE arithmetic. They
are set through glibc's fegetmode/fesetmode on x86-64 Linux; elsewhere both functions do
nothing and subnormals stay as IEEE arithmetic makes them.
"""

import ctypes
import os
import sys
import threading

_FTZ_DAZ = 0x8000 | 0x0040  # MXCSR's flush-to-zero and denormals-are-zero bits


class _FloatMode(ctypes.Structure):
    """glibc's femode_t on x86-64: the x87 control word and MXCSR."""
    _fields_ = [("control_word", ctypes.c_ushort), ("reserved", ctypes.c_ushort),
                ("mxcsr", ctypes.c_uint)]


def _mode_functions():
    if sys.platform != "linux" or os.uname().machine != "x86_64":
        return None, None
    try:
        libm = ctypes.CDLL("libm.so.6")
        return libm.fegetmode, libm.fesetmode
    except (OSError, AttributeError):  # not glibc, or one older than 2.25
        return None, None


_get_mode, _set_mode = _mode_functions()


class _Buffers(threading.local):
    """Per-thread mode structs, made once: a call then costs three C calls, not
    allocations (it runs around every compiled function call)."""

    def __init__(self):
        self.probe, self.flushed, self.restored = _FloatMode(), _FloatMode(), _FloatMode()
        self.refs = tuple(ctypes.byref(x) for x in (self.probe, self.flushed, self.restored))


_buffers = _Buffers()


def flush_subnormals():
    """Sets flush-to-zero in this thread; returns the mode `restore` takes back, or None
    when there is nothing to restore (already set, or an unsupported platform)."""
    if _get_mode is None:
        return None
    buffers = _buffers
    probe_ref, flushed_ref, _ = buffers.refs
    _get_mode(probe_ref)
    probe, flushed = buffers.probe, buffers.flushed
    mxcsr = probe.mxcsr
    if mxcsr & _FTZ_DAZ == _FTZ_DAZ:
        return None
    flushed.control_word, flushed.mxcsr = probe.control_word, mxcsr | _FTZ_DAZ
    _set_mode(flushed_ref)
    return probe.control_word, mxcsr


def restore(saved):
    """Gives back the mode `flush_subnormals` replaced."""
    if saved is not None:
        buffers = _buffers
        buffers.restored.control_word, buffers.restored.mxcsr = saved
        _set_mode(buffers.refs[2])


def supported():
    """Whether this platform's compiled code flushes subnormals."""
    return _get_mode is not None
