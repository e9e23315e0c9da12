# The two commands of the README are the contract: `make book` and `make test`.
# Both set everything up from a fresh clone (Debian, Python 3.11) before they run.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
JB_FLAGS ?= -n -W --keep-going
PORT   ?= 8000

export PATH := $(CURDIR)/$(BIN):$(PATH)

.PHONY: book test setup serve lint format pins bench clean

RULES_JSON := autograder/js/rules.json

setup: $(STAMP) $(RULES_JSON)

$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

# The judge's rules compiled for the browser and Node engines (generated, not committed).
$(RULES_JSON): autograder/rules.yml $(wildcard autograder/lexicons/*) $(STAMP)
	$(BIN)/python -m autograder.export_rules

## Build the static site into _build/html (warnings are errors).
book: setup
	$(BIN)/jupyter-book build . --builder html $(JB_FLAGS)

## Lint, format check, then the whole test suite (it builds the book itself).
test: setup lint
	$(BIN)/python -m pytest

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## Preview the built site on http://localhost:$(PORT)/
serve: book
	$(BIN)/python -m http.server --bind 127.0.0.1 --directory _build/html $(PORT)

## Regenerate the exact pins in requirements.txt from requirements.in.
pins: setup
	$(BIN)/pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links \
		-o requirements.txt requirements.in

bench: book
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf _build
