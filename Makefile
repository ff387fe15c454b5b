# Every target bootstraps .venv itself: a fresh machine needs only Python 3.11.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: generate test validate spec-diff lint typecheck bench clean

# spec-diff compares spec/ with its version at BASE: the merge base with main unless given.
BASE ?= $(shell git merge-base HEAD origin/main 2>/dev/null || git merge-base HEAD main 2>/dev/null || echo HEAD)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

generate: $(STAMP)
	$(BIN)/python -m generator generate

validate: $(STAMP)
	$(BIN)/python -m generator validate

test: $(STAMP)
	$(BIN)/python -m pytest

spec-diff: $(STAMP)
	$(BIN)/python -m generator diff --base $(BASE) --fail-on breaking

lint: $(STAMP)
	$(BIN)/ruff check generator tests generated
	$(BIN)/ruff format --check generator tests bench
	$(BIN)/mypy generator

typecheck: $(STAMP)
	cd generated && ../$(BIN)/mypy --strict fine_tuning_client fine_tuning_stubs

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet openai
	$(BIN)/python bench/client.py
	$(BIN)/python bench/spec_diff.py

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache
