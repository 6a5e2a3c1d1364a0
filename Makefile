# Two commands do all the set-up on a fresh machine: `make run` and `make test` (which also
# builds the documentation site, as CI does).
PY := .venv/bin/python
SCENARIO ?= karabakh_2020

.PHONY: setup run test lint docs bench clean

setup:
	@scripts/bootstrap

run: setup
	$(PY) run.py run $(SCENARIO)

test: setup lint docs
	$(PY) -m pytest

lint: setup
	$(PY) -m ruff check sim tests run.py benchmarks buildsys docs
	$(PY) -m mypy
	.venv/bin/lint-imports

# The documentation site, offline, into site/; a broken link or a stale page fails the build.
docs: setup
	NO_MKDOCS_2_WARNING=1 DISABLE_MKDOCS_2_WARNING=true .venv/bin/mkdocs build --strict --quiet

bench: setup
	$(PY) -m benchmarks

clean:
	rm -rf .venv site .pytest_cache .mypy_cache .ruff_cache .import_linter_cache
