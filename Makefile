# Every target bootstraps .venv itself: a fresh machine needs only Python 3.11.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: generate test validate lint typecheck bench clean

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

lint: $(STAMP)
	$(BIN)/ruff check generator tests generated
	$(BIN)/ruff format --check generator tests bench
	$(BIN)/mypy generator

typecheck: $(STAMP)
	cd generated && ../$(BIN)/mypy --strict fine_tuning_client fine_tuning_stubs

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet openai
	$(BIN)/python bench/client.py

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache
