"""Bad input, fuzzed: mutated real scenario files, parameter files and --set values either load
or fail with the clear message; never a traceback, a crash or a hang."""

from __future__ import annotations

import io
import os
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim import cli
from sim.errors import InputError, ParameterError, ScenarioError
from sim.model.params import load_file, parse_assignment
from sim.results.runs import replicate
from sim.scenario.loading import load, scenario_files

from conftest import COUNTERFACTUALS, SCENARIOS

FILES = [*scenario_files(SCENARIOS), *sorted(COUNTERFACTUALS.glob("*.yaml"))]
TOKENS = [
    "-1",
    "1.7",
    "abc",
    "1e400",
    "[",
    "]",
    "{",
    "}",
    "null",
    "~",
    "2030-01-01",
    "1800",
    "NO",
    "ZZZ",
    "!!python/object/apply:os.system ['true']",
    "&a x",
    "*a",
    "''",
    ":",
    "- x",
    "0",
    "true",
    "RUS",
    "members",
    "\t",
    "\x00",
    "é",
    "99999999999999999999",
]
SETTINGS = settings(
    max_examples=120 * max(1, int(os.environ.get("ALLIANCE_SIM_FUZZ", "1") or 1)),  # make fuzz
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@st.composite
def mutated(draw):
    path = draw(st.sampled_from(FILES))
    lines = path.read_text(encoding="utf-8").splitlines()
    for _ in range(draw(st.integers(1, 3))):
        i = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["delete", "duplicate", "value", "token", "indent", "cut"]))
        if action == "delete":
            del lines[i]
        elif action == "duplicate":
            lines.insert(i, lines[i])
        elif action == "value" and ":" in lines[i]:
            key = lines[i].split(":", 1)[0]
            lines[i] = f"{key}: {draw(st.sampled_from(TOKENS))}"
        elif action == "token":
            lines[i] = lines[i] + " " + draw(st.sampled_from(TOKENS))
        elif action == "indent":
            lines[i] = " " + lines[i]
        else:
            lines = lines[:i]
        if not lines:
            lines = [""]
    return path, "\n".join(lines) + "\n"


@SETTINGS
@given(mutated())
def test_mutated_scenarios_load_or_fail_clearly(tmp_path_factory, case):
    path, text = case
    folder = tmp_path_factory.mktemp("fuzz")
    if path.parent.name == "counterfactuals":  # keep the base reachable, as in the library
        folder = folder / "counterfactuals"
        folder.mkdir()
        for base in scenario_files(SCENARIOS):
            (folder.parent / base.name).write_text(base.read_text())
    target = folder / path.name
    target.write_text(text, encoding="utf-8", errors="surrogateescape")
    try:
        scenario = load(target)
    except ScenarioError as error:
        assert str(target) in str(error) or "scenarios" in error.file
        assert "\n" not in str(error)
        return
    # what loads must also run
    rs = replicate(scenario, __import__("sim.model.params").model.params.Params(), seed=0, runs=2)
    if len(rs.decisions):
        assert rs.decisions["p_honour"].between(0, 1).all()


@settings(max_examples=100, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["w_sites", "technology", "bogus", "baseline", "3.10"]),
        st.one_of(
            st.floats(allow_nan=True),
            st.text(max_size=5),
            st.booleans(),
            st.integers(-10, 10),
            st.none(),
        ),
        max_size=4,
    )
)
def test_parameter_files_load_or_fail_clearly(tmp_path_factory, mapping):
    path = tmp_path_factory.mktemp("p") / "params.yaml"
    path.write_text("".join(f"{k}: {v!r}\n" for k, v in mapping.items()) or "{}\n")
    try:
        loaded = load_file(path)
    except ParameterError as error:
        assert str(path) in str(error)
        return
    assert set(loaded) <= {"w_sites", "technology", "baseline"}


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=30))
def test_set_values_parse_or_fail_clearly(text):
    try:
        name, value = parse_assignment(text)
    except ParameterError as error:
        assert str(error).startswith("--set")
        return
    assert isinstance(value, float) and name


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(mutated())
def test_the_cli_exits_0_or_2_without_a_traceback(tmp_path_factory, case):
    path, text = case
    if path.parent.name == "counterfactuals":
        return
    target = tmp_path_factory.mktemp("cli") / path.name
    target.write_text(text, encoding="utf-8", errors="surrogateescape")
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = cli.main(["run", str(target), "--runs", "2"])
    assert code in (0, 2)
    if code == 2:
        assert err.getvalue().startswith("error: ") and err.getvalue().count("\n") == 1


def test_input_errors_are_one_class_of_exception():
    assert issubclass(ScenarioError, InputError) and issubclass(ParameterError, InputError)
    assert Path(__file__).exists()


def test_the_bad_input_catalogue_is_current():
    import catalogue

    committed = (Path(__file__).resolve().parent.parent / "docs" / "bad_input.md").read_text()
    assert catalogue.catalogue() == committed, (
        "run: .venv/bin/python tests/catalogue.py > docs/bad_input.md"
    )
