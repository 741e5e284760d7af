# Two commands on a fresh machine with only python3: `make demo` and `make test`.
# Each creates .venv and installs the pinned dependencies (constraints.txt) on first use.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt

.DEFAULT_GOAL := help
.PHONY: help test lint typecheck pytest docs demo bench mutation clean lock

help:
	@echo "make test      every gate: ruff, mypy --strict, pytest (100% branch coverage, doctests), docs"
	@echo "make demo      run the bundled example scenario as a timeline"
	@echo "make bench     benchmarks against peers, printed as ratios"
	@echo "make docs      build the Sphinx site with warnings as errors"
	@echo "make mutation  mutation testing with mutmut"

$(VENV)/.installed: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(PIP) -e '.[dev]'
	@touch $@

$(VENV)/.bench: $(VENV)/.installed
	$(PIP) -e '.[dev,bench]'
	@touch $@

$(VENV)/.mutation: $(VENV)/.installed
	$(PIP) -e '.[dev,mutation]'
	@touch $@

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(VENV)/.installed
	$(BIN)/mypy

pytest: $(VENV)/.installed
	$(BIN)/pytest -n auto --dist worksteal

docs: $(VENV)/.installed
	$(BIN)/sphinx-build -W --keep-going -q -b html docs docs/_build/html

test: lint typecheck pytest docs

demo: $(VENV)/.installed
	$(BIN)/premier-policy demo

bench: $(VENV)/.bench
	$(BIN)/python bench/run.py

mutation: $(VENV)/.mutation
	$(BIN)/python tools/mutation.py

# Re-pin after changing pyproject.toml's dependencies (needs the network).
lock:
	rm -rf /tmp/premier-lock && $(PYTHON) -m venv /tmp/premier-lock
	/tmp/premier-lock/bin/python -m pip install --quiet -e '.[dev,bench,mutation]'
	/tmp/premier-lock/bin/python -m pip freeze --exclude-editable | grep -v '^-e' > constraints.txt

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis docs/_build mutants .coverage
