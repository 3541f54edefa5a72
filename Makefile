# The README's two commands: `make run` and `make test`. Both set up .venv/ first if needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup run test test-all lint typecheck bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

setup: $(STAMP)

## Review the bundled example note with the bundled default model.
run: setup
	$(BIN)/st-nlp review examples/home_visit_note.txt --format text

## The whole fast test suite, plus lint, type checks and corpus validation.
test: setup
	$(BIN)/ruff check st_nlp service tests
	$(BIN)/ruff format --check st_nlp service tests
	$(BIN)/mypy st_nlp service
	$(BIN)/st-nlp data validate
	$(BIN)/python -m pytest

## Everything, including slow tests (training, full evaluation).
test-all: setup
	$(BIN)/python -m pytest -m ""

## Performance benchmark (about 15-20 minutes on 2 cores); writes BENCHMARKS.md and .json.
bench: setup
	$(BIN)/st-nlp bench --out BENCHMARKS.md

lint: setup
	$(BIN)/ruff check st_nlp service tests
	$(BIN)/ruff format --check st_nlp service tests

typecheck: setup
	$(BIN)/mypy st_nlp service

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
