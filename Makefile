# Two commands do all the set-up on a fresh machine: `make run` and `make test` (which also
# builds the documentation site, as CI does).
PY := .venv/bin/python
SCENARIO ?= karabakh_2020

.PHONY: setup run test fuzz load lint docs bench clean

setup:
	@scripts/bootstrap

run: setup
	$(PY) run.py run $(SCENARIO)

test: setup lint docs
	$(PY) -m pytest

# The longer bad-input campaign: every hypothesis fuzz and property test with 20 times the
# examples of `make test` (ALLIANCE_SIM_FUZZ multiplies each budget).
fuzz: setup
	ALLIANCE_SIM_FUZZ=20 $(PY) -m pytest tests/test_fuzz.py tests/test_fuzz_cli.py tests/test_fuzz_properties.py tests/test_bad_input_35.py

# The web server under load: 20 browser sessions at once, twice (minutes; needs Chromium).
load: setup
	ALLIANCE_SIM_LOAD=1 $(PY) -m pytest -s tests/test_web_load.py

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
