# The two commands of the README: `make serve` and `make test`. Each sets up what it needs, in
# one venv: `make serve` only the runtime dependencies, `make test` the dev and bench extras too.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
RUNTIME := $(VENV)/.runtime
STAMP := $(VENV)/.installed

.PHONY: serve test test-fast lint install bytecode

# The project's own modules compiled to bytecode (__pycache__, ignored by git): with
# PYTHONDONTWRITEBYTECODE set, as on this project's machines, Python never caches them, and
# every process (each CLI command, server, query worker and benchmark child the tests start)
# compiled them again from source: about 0.2 s of CPU a process. Stale files are never read
# (Python checks each against its source); this recompiles only what changed.
bytecode: | $(BIN)/python
	@$(BIN)/python -m compileall -q -j 0 api graph loaders ontology

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# what `wsiskg serve` needs, nothing more
$(RUNTIME): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $(RUNTIME)

# the tests, the linters and the benchmarks' systems (the runtime with them)
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	touch $(STAMP) $(RUNTIME)

install: $(STAMP)

serve: $(RUNTIME) bytecode
	$(BIN)/wsiskg serve

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# two xdist workers, each module on one (its module-scoped server started once), the
# longest modules first (tests/conftest.py orders them); the 25 slowest in the log. The
# schema fuzzing runs in a pytest of its own (under --dist loadscope schemathesis runs its
# per-operation subtests only in part: 355 requests instead of 1346, 2026-12-05), beside the
# other, its output printed when it ends; the target fails if either fails. Both share one
# folder (WSISKG_TESTS_SHARED, tests/conftest.py): the store of the built-in data is loaded
# once for the three processes.
FUZZ_LOG := $(VENV)/fuzz.log
# pytest with the two plugins the suite uses, named rather than found through entry points:
# pytest marks every package of an entry-point plugin (schemathesis, hypothesis, anyio ...)
# for assertion rewriting, about 4 s of each worker's start; and the rewritten test modules
# cached in __pycache__ (PYTHONDONTWRITEBYTECODE would have each run rewrite them, 6 s)
PYTEST := env -u PYTHONDONTWRITEBYTECODE PYTEST_DISABLE_PLUGIN_AUTOLOAD=1 $(BIN)/python -m pytest -p xdist.plugin -p _hypothesis_pytestplugin
test: lint bytecode
	@$(BIN)/python -m compileall -q -j 0 bench
	@shared=$$(mktemp -d -t wsiskg-tests-XXXXXX); export WSISKG_TESTS_SHARED=$$shared; \
	$(BIN)/python -m pytest tests/test_fuzz_api.py > $(FUZZ_LOG) 2>&1 & fuzz=$$!; \
	$(PYTEST) -n 2 --dist loadscope --no-loadscope-reorder --durations=25 --ignore=tests/test_fuzz_api.py; \
	status=$$?; wait $$fuzz; fuzz_status=$$?; rm -rf "$$shared"; \
	echo "--- schema fuzzing (tests/test_fuzz_api.py) ---"; cat $(FUZZ_LOG); \
	test $$status -eq 0 && test $$fuzz_status -eq 0

# what runs in one process only (no servers, no browser, no CLI child): a quick check before
# `make test`, which CI runs; on two xdist workers (one: 5:09 here, two: 2:52-3:03; since
# the staged write's entailments run as CONSTRUCT + bulk_extend 2:07, lint 2 s warm, 15 s
# cold; 2026-12-07)
test-fast: lint bytecode
	$(PYTEST) -n 2 --dist loadscope -m "not processes and not slow" -q
