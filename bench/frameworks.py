"""Imports one framework with THREADS threads and describes the BLAS it runs on.

Names: "eagerflow", "numpy" (the hand-written floor), "tensorflow", "torch".
TensorFlow and PyTorch live only in the comparison interpreter (.bench-venv).
"""

import importlib
import importlib.metadata

from . import THREADS

LABELS = {"eagerflow": "eagerflow", "numpy": "NumPy floor", "tensorflow": "TensorFlow",
          "torch": "PyTorch"}


def load(name):
    """The framework's module, configured for THREADS threads."""
    module = importlib.import_module(name)
    if name == "tensorflow":
        module.config.threading.set_intra_op_parallelism_threads(THREADS)
        module.config.threading.set_inter_op_parallelism_threads(THREADS)
    elif name == "torch":
        module.set_num_threads(THREADS)
        module.set_num_interop_threads(THREADS)
    return module


def describe(name):
    """Version, kernel library and thread pools of a loaded framework, as one line."""
    import numpy
    module = importlib.import_module(name)
    version = getattr(module, "__version__", None) or importlib.metadata.version(name)
    return (f"{LABELS[name]} ({name} {version}): {_kernels(name, module)}; "
            f"pools seen by threadpoolctl: {_pools()}; NumPy {numpy.__version__}")


def _kernels(name, module):
    if name == "torch":
        build = module.__config__.show()
        blas = build.split("BLAS_INFO=")[1].split(",")[0] if "BLAS_INFO=" in build else "?"
        return (f"ATen on BLAS {blas} + oneDNN, {module.get_num_threads()} intra-op / "
                f"{module.get_num_interop_threads()} inter-op threads")
    if name == "tensorflow":
        threading = module.config.threading
        return (f"Eigen + oneDNN kernels, {threading.get_intra_op_parallelism_threads()} "
                f"intra-op / {threading.get_inter_op_parallelism_threads()} inter-op threads")
    return "NumPy kernels"


def _pools():
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return "threadpoolctl not installed"
    return ", ".join(sorted({f"{p['internal_api']} {p.get('version') or ''}".strip()
                             + f" ({p['num_threads']} threads)"
                             for p in threadpool_info()})) or "none"
