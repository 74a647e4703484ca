# Shieldwall: every target creates .venv and installs the project first, so a fresh clone
# needs nothing but Python 3.11+ and make.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: run test lint eval bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev,bench]"
	# Semgrep in its own environment: its pins conflict with FastAPI's (see pyproject `code`).
	test -x $(VENV)/tools/semgrep/bin/semgrep || { $(PYTHON) -m venv $(VENV)/tools/semgrep && \
	  $(VENV)/tools/semgrep/bin/python -m pip install --quiet "semgrep==1.185.0"; }
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/shieldwall serve --host $(HOST) --port $(PORT)

test: $(STAMP)
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/ruff format --check src tests benchmarks scripts
	$(BIN)/mypy
	$(BIN)/pytest -m "not eval" -q

eval: $(STAMP)
	$(BIN)/pytest -m eval -q

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/ruff format --check src tests benchmarks scripts
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python benchmarks/ledger_bench.py
	$(BIN)/python benchmarks/gateway_bench.py
	$(BIN)/python benchmarks/protect_bench.py
	$(BIN)/python benchmarks/protect_filters_bench.py
	$(BIN)/python benchmarks/vuln_bench.py
	$(BIN)/python benchmarks/vuln_code_bench.py
	$(BIN)/python benchmarks/intel_bench.py
	$(BIN)/python benchmarks/detect_bench.py

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .hypothesis
