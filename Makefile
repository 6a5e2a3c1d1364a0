# Two commands do all the set-up on a fresh machine: `make run` and `make test`.
PY := .venv/bin/python
SCENARIO ?= karabakh_2020

.PHONY: setup run test lint bench clean

setup:
	@scripts/bootstrap

run: setup
	$(PY) run.py run $(SCENARIO)

test: setup lint
	$(PY) -m pytest

lint: setup
	$(PY) -m ruff check sim tests run.py benchmarks
	$(PY) -m mypy
	.venv/bin/lint-imports

bench: setup
	$(PY) -m benchmarks

clean:
	rm -rf .venv .pytest_cache .mypy_cache .ruff_cache .import_linter_cache
