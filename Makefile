# `make demo` and `make test` work on a fresh machine: each builds .venv from this repo's own files.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip install --disable-pip-version-check -c constraints.txt
DEMO_OUT ?= demo-output

.PHONY: demo test lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --disable-pip-version-check -q --upgrade pip

# Everything the test suite needs (torch, transformers, torchaudio included).
$(VENV)/.installed-test: $(BIN)/python pyproject.toml constraints.txt
	$(PIP) -e ".[all,test]"
	touch $@

# The demo needs no torch: image, text, audio and the CLI.
$(VENV)/.installed-demo: $(BIN)/python pyproject.toml constraints.txt
	$(PIP) -e ".[image,text,audio,cli]"
	touch $@

demo: $(VENV)/.installed-demo
	$(BIN)/multiaug demo --out $(DEMO_OUT)

test: $(VENV)/.installed-test
	$(BIN)/python -m pytest
	$(BIN)/python -m ruff check .

# Peer libraries for the speed comparisons in benchmarks/ (not part of CI).
$(VENV)/.installed-bench: $(VENV)/.installed-test
	$(PIP) -e ".[all,test,bench]"
	touch $@

bench: $(VENV)/.installed-bench
	OMP_NUM_THREADS=1 $(BIN)/python benchmarks/core_bench.py

lint: $(VENV)/.installed-test
	$(BIN)/python -m ruff check .

clean:
	rm -rf $(VENV) build dist *.egg-info $(DEMO_OUT)
