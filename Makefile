# The README's two commands: `make run` and `make test`. Both set up .venv/ first if needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

PORT ?= 8000
CHROMIUM := /usr/bin/chromium

.PHONY: setup setup-browser run test test-all lint typecheck bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

setup: $(STAMP)

## Debian's chromium for the browser tests (Playwright's own download cannot work offline).
## Not fatal here: without it, tests/test_web.py fails loudly under CI=true and skips elsewhere.
setup-browser:
	@if [ ! -x $(CHROMIUM) ]; then \
	  if [ "$$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi; \
	  echo "installing chromium for the browser tests (apt-get)"; \
	  $$sudo apt-get update -qq && $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium \
	    || echo "WARNING: could not install chromium; the browser tests cannot run" >&2; \
	fi

## Start the service with the web app on http://127.0.0.1:$(PORT)/ and print a sign-in link.
## (The CLI example: `st-nlp review examples/home_visit_note.txt`.)
run: setup
	$(BIN)/st-nlp serve --host 127.0.0.1 --port $(PORT) --local-web-key

## The whole fast test suite, plus lint, type checks and corpus validation.
test: setup setup-browser
	$(BIN)/ruff check st_nlp service tests
	$(BIN)/ruff format --check st_nlp service tests
	$(BIN)/mypy st_nlp service
	$(BIN)/st-nlp data validate
	$(BIN)/python -m pytest

## Everything, including slow tests (training, full evaluation).
test-all: setup setup-browser
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
