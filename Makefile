# make demo: set up .venv and run the main job.  make test: set up .venv and run the tests.
# make bench: benchmark eagerflow against NumPy, TensorFlow and PyTorch (docs/performance.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test bench clean

demo: $(VENV)/.installed
	sh scripts/get_fashion_mnist.sh
	$(BIN)/python examples/main.py

test: $(VENV)/.installed-test
	$(BIN)/python -m pytest

# make bench BENCH_ARGS="--quick --only mlp": see `python -m bench --help` and docs/performance.md
bench: $(VENV)/.installed
	sh scripts/get_fashion_mnist.sh
	$(BIN)/python -m bench $(BENCH_ARGS)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@ $(VENV)/.installed

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .hypothesis
