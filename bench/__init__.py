"""eagerflow's benchmark harness: `python -m bench` (or `make bench`) prints the table.

Importing the package pins every BLAS/OpenMP pool to THREADS threads before NumPy (or
any framework) loads, and the worker processes inherit the setting.
"""

import os

THREADS = 2

for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_name] = str(THREADS)
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
