#!/bin/sh
# Creates .bench-venv with TensorFlow and PyTorch for the comparison columns of `make bench`.
# They are never eagerflow dependencies: eagerflow's own .venv and the tests never see them.
set -e
VENV=${BENCH_VENV:-.bench-venv}
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
"$VENV/bin/python" -m pip install -q tensorflow-cpu==2.21.0 torch==2.13.0 threadpoolctl psutil
