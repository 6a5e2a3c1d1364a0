"""Property-based tests of bad input (hypothesis), beside the example-based fuzz.

* Scenario documents are generated from the pydantic schema itself (its JSON schema: every
  model, field, type, range, pattern and kind of event) and then damaged: a field dropped,
  renamed or given a value of another type, the text cut short or broken. Whatever comes of
  it, ``validate`` and ``run`` exit 0 or 2, with ``error:`` lines naming the file, never a
  traceback.
* Argument vectors for every command are drawn from the parser itself: its commands, their
  options and positionals, with values that are any text. Each works, or fails in one line
  with exit code 2.

Each runs a fixed, small number of examples in ``make test``; ``make fuzz`` runs the longer
campaign (``ALLIANCE_SIM_FUZZ`` multiplies every budget).
"""

from __future__ import annotations

import io
import os
import re
import tempfile
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from sim import cli
from sim.scenario.schema import OverlaySpec, ScenarioSpec

from test_fuzz_cli import WorkStarted as FuzzWorkStarted
from test_fuzz_cli import no_work  # noqa: F401  (the fixture that stops each command's work)

SCALE = max(1, int(os.environ.get("ALLIANCE_SIM_FUZZ", "1") or 1))
"""How many times the examples of ``make test`` to run (``make fuzz`` sets it)."""


def budget(examples: int) -> settings:
    """The settings of a property: its examples times :data:`SCALE`, no deadline."""
    return settings(
        max_examples=examples * SCALE,
        deadline=None,
        phases=[Phase.explicit, Phase.reuse, Phase.generate],  # the failing example as found:
        # shrinking a scenario document can take minutes
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.function_scoped_fixture,
            HealthCheck.data_too_large,
            HealthCheck.filter_too_much,
        ],
    )


# --- documents from the schema ---------------------------------------------------------------


class Documents:
    """Hypothesis strategies for the documents a JSON schema (pydantic's) describes."""

    def __init__(self, schema: dict[str, Any], depth: int = 6) -> None:
        self.defs = schema.get("$defs", {})
        self.root = schema
        self.depth = depth

    def document(self) -> st.SearchStrategy[Any]:
        """The strategy of the root model's documents."""
        return self.of(self.root, self.depth)

    def of(self, node: dict[str, Any], depth: int) -> st.SearchStrategy[Any]:
        """The strategy of one schema node."""
        if not isinstance(node, dict):  # ``true``: any value
            return self._scalar({})
        if "$ref" in node:
            return self.of(self.defs[node["$ref"].rsplit("/", 1)[1]], depth)
        for key in ("anyOf", "oneOf"):
            if key in node:
                return st.one_of([self.of(option, depth) for option in node[key]])
        if "const" in node:
            return st.just(node["const"])
        if "enum" in node:
            return st.sampled_from(node["enum"])
        kind = node.get("type")
        if kind == "object" or "properties" in node:
            return self._object(node, depth)
        if kind == "array":
            return self._array(node, depth)
        return self._scalar(node)

    def _object(self, node: dict[str, Any], depth: int) -> st.SearchStrategy[Any]:
        if "properties" in node:
            required = set(node.get("required", ()))
            fields = {name: self.of(field, depth - 1) for name, field in node["properties"].items()}
            optional = sorted(set(fields) - required)

            @st.composite
            def model(draw: Any) -> dict[str, Any]:
                chosen = draw(st.sets(st.sampled_from(optional))) if optional and depth > 0 else []
                return {n: draw(fields[n]) for n in [*sorted(required), *sorted(chosen)]}

            return model()
        if depth <= 0:
            return st.just({})
        patterns = node.get("patternProperties", {})
        if patterns:
            pattern, value = next(iter(patterns.items()))
            keys: st.SearchStrategy[Any] = st.from_regex(pattern, fullmatch=True)
        else:
            value = node.get("additionalProperties") or {}
            keys = st.integers(1800, 2100)  # a series by year
        return st.dictionaries(keys, self.of(value, depth - 1), max_size=3)

    def _array(self, node: dict[str, Any], depth: int) -> st.SearchStrategy[Any]:
        if "prefixItems" in node:
            return st.tuples(*(self.of(item, depth - 1) for item in node["prefixItems"])).map(list)
        low = node.get("minItems", 0)
        if depth <= 0:
            return st.just([]) if not low else st.nothing()
        return st.lists(self.of(node.get("items", {}), depth - 1), min_size=low, max_size=low + 2)

    def _scalar(self, node: dict[str, Any]) -> st.SearchStrategy[Any]:
        kind = node.get("type")
        if kind == "boolean":
            return st.booleans()
        if kind == "integer":
            return st.integers(node.get("minimum", -5), node.get("maximum", 3000))
        if kind == "number":
            low = node.get("minimum", node.get("exclusiveMinimum", -2.0))
            high = node.get("maximum", node.get("exclusiveMaximum", 2.0))
            return st.floats(low, high, allow_nan=False).filter(
                lambda x: x != node.get("exclusiveMinimum")
            )
        if node.get("format") == "date":
            return st.dates().map(str) | st.integers(1800, 2100)
        if "pattern" in node:
            return st.from_regex(node["pattern"], fullmatch=True)
        if kind == "string":
            return st.text(min_size=node.get("minLength", 0), max_size=12)
        return st.none() | st.booleans() | st.integers() | st.text(max_size=5)  # any value


SCENARIOS = Documents(ScenarioSpec.model_json_schema())
OVERLAYS = Documents(OverlaySpec.model_json_schema())
JUNK = st.sampled_from(
    [None, "", "no", "NO", "2", "3.10", -1, 0, 1e400, float("nan"), [], {}, [1, 2], True,
     "R\nUS", "x" * 300, "2020-02-30", {"a": {"b": []}}]
)  # fmt: skip


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path into a document: its keys and indices, at every depth."""
    found = [prefix] if prefix else []
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found += _paths(value, (*prefix, i))
    return found


@st.composite
def damaged(draw: Any, documents: Documents) -> str:
    """A document from the schema, damaged once or more, as the text of a YAML file."""
    document = draw(documents.document())
    for _ in range(draw(st.integers(0, 3))):
        paths = _paths(document)
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent = document
        for key in path[:-1]:
            parent = parent[key]
        how = draw(st.sampled_from(["drop", "junk", "rename"]))
        if how == "drop":
            del parent[path[-1]]
        elif how == "junk" or isinstance(parent, list):
            parent[path[-1]] = draw(JUNK)
        else:
            parent[f"{path[-1]}{draw(st.sampled_from(['x', '_', 'S']))}"] = parent.pop(path[-1])
    text = _dump(document)
    cut = draw(st.sampled_from(["none", "none", "truncate", "tab", "colon"]))
    at = draw(st.integers(0, max(0, len(text) - 1)))
    if cut == "truncate":
        text = text[:at]
    elif cut == "tab":
        text = text[:at] + "\t" + text[at:]
    elif cut == "colon":
        text = text[:at] + ": - [" + text[at:]
    return text


def _dump(document: Any) -> str:
    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    stream = io.StringIO()
    yaml.dump(document, stream)
    return stream.getvalue()


class WorkStarted(BaseException):
    """Raised where a command's real work would begin: its input was accepted."""


@pytest.fixture
def no_runs(monkeypatch):
    """Stop ``run`` where its replications would start."""
    from sim.results import runs

    def stop(*args: Any, **kwargs: Any) -> None:
        raise WorkStarted

    monkeypatch.setattr(runs, "replicate", stop)  # the command line imports it on first use


def run_main(argv: list[str]) -> tuple[int | None, str]:
    """Run the command line here; its exit code (None: its work started) and standard error."""
    err = io.StringIO()
    with redirect_stdout(io.StringIO()), redirect_stderr(err):
        try:
            code: int | None = cli.main(argv)
        except WorkStarted:
            code = None
    return code, err.getvalue()


def check_lines(argv: list[str], code: int | None, err: str, file: str, most: int) -> None:
    """Exit 0 or 2 (or the work started); each failure an ``error:`` line naming ``file``."""
    assert code in (None, 0, 2), (argv, code, err)
    assert "Traceback" not in err and "internal error" not in err, (argv, err)
    if code == 2:
        lines = err.splitlines()
        assert 1 <= len(lines) <= most, (argv, err)
        for line in lines:
            assert line.startswith(f"error: {file}"), (argv, line)


@budget(40)
@given(damaged(SCENARIOS))
def test_damaged_scenarios_from_the_schema_validate_or_fail_naming_the_file(no_runs, text):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "generated.yaml"
        path.write_text(text, encoding="utf-8")
        code, err = run_main(["validate", str(path)])
        check_lines(["validate"], code, err, str(path), most=10_000)
        code_run, err_run = run_main(["run", str(path), "--runs", "1"])
        check_lines(["run"], code_run, err_run, str(path), most=1)
        assert (code == 0) == (code_run is None), (code, code_run, err, err_run)


@budget(25)
@given(damaged(OVERLAYS))
def test_damaged_overlays_from_the_schema_fail_naming_the_overlay(no_runs, text):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "scenarios"
        (folder / "counterfactuals").mkdir(parents=True)
        path = folder / "counterfactuals" / "generated.yaml"
        path.write_text(text, encoding="utf-8")
        code, err = run_main(["run", "karabakh_2020", "--runs", "1", "--overlay", str(path)])
        assert code in (None, 2), err
        if code == 2 and "applies_to" not in err:  # a base that is not there is named by name
            check_lines(["run"], code, err, str(path), most=1)


# --- argument vectors from the parser ---------------------------------------------------------

PARSER = cli._parser()
SUBCOMMANDS = next(a for a in PARSER._actions if getattr(a, "choices", None)).choices
WORDS = st.sampled_from(
    ["karabakh_2020", "eaeu_institution", "0", "1", "-1", "2", "nan", "inf", "1e9", "", "-",
     "--", ".", "/", "/dev/null", "/proc/x", "x" * 300, "RUS", "w_sites=1:2:2", "a=b", "é"]
)  # fmt: skip
TEXT = st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), max_size=20)


@st.composite
def argument_vectors(draw: Any) -> list[str]:
    """A command and any of its options and positionals, each with any value."""
    command = draw(st.sampled_from(sorted(SUBCOMMANDS)))
    argv = [command]
    for action in SUBCOMMANDS[command]._actions:
        if action.option_strings and action.option_strings[0] in ("-h", "--help"):
            continue
        if not draw(st.booleans()):
            continue
        value = draw(WORDS | TEXT | st.sampled_from(list(action.choices or ["x"])))
        if action.option_strings:
            flag = draw(st.sampled_from(action.option_strings))
            argv += [flag] if action.nargs == 0 else [flag, value]
        else:
            argv.append(value)
    if draw(st.integers(0, 9)) == 0:
        argv.insert(draw(st.integers(0, len(argv))), draw(TEXT))
    return argv


@budget(60)
@given(argument_vectors())
@pytest.mark.usefixtures("no_work")
def test_any_argument_vector_works_or_fails_in_one_line(argv):
    with tempfile.TemporaryDirectory() as tmp:
        cwd = os.getcwd()
        os.chdir(tmp)
        try:
            err = io.StringIO()
            with redirect_stdout(io.StringIO()), redirect_stderr(err):
                try:
                    code: int | None = cli.main(argv)
                except (FuzzWorkStarted, WorkStarted):
                    code = None
        finally:
            os.chdir(cwd)
    text = err.getvalue()
    assert code in (None, 0, 2), (argv, code, text)
    assert "Traceback" not in text and "internal error" not in text, (argv, text)
    if code == 2:
        lines = text.splitlines()
        most = max(1, len(argv) - 1) if argv[0] == "validate" else 1
        assert 1 <= len(lines) <= most and all(line.startswith("error: ") for line in lines), (
            argv,
            text,
        )
    assert not re.search(r"\bWarning\b", text), (argv, text)
