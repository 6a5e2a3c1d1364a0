"""The one parameter declaration: defaults, ranges, overrides and their errors."""

from __future__ import annotations

import dataclasses

import pytest

from sim.errors import ParameterError
from sim.model import params

from conftest import cli


def test_every_parameter_is_declared_with_a_meaning_unit_and_range():
    for spec in params.specs():
        assert spec.meaning and spec.unit, spec.name
        assert spec.low <= spec.default <= spec.high, spec.name
    assert {f.name for f in dataclasses.fields(params.Params)} == set(params.SPECS)


def test_params_are_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        params.Params().w_sites = 1.0  # type: ignore[misc]


def test_replace_checks_the_range():
    assert params.Params().replace(w_sites=2.0).w_sites == 2.0
    with pytest.raises(ParameterError, match="between 0 and 15"):
        params.Params().replace(w_sites=99.0)


@pytest.mark.parametrize(
    "text, words",
    [
        ("w_sites", "expected name=value"),
        ("nonsense=1", "unknown parameter"),
        ("w_sites=abc", "expected a number"),
        ("technology=2", "between 0 and 0.95"),
        ("w_sites=nan", "finite number"),
    ],
)
def test_bad_assignments(text, words):
    with pytest.raises(ParameterError, match=words):
        params.parse_assignment(text)


def test_build_applies_file_then_assignments():
    built = params.build({"w_sites": 3.0, "technology": 0.5}, ["w_sites=4"])
    assert (built.w_sites, built.technology) == (4.0, 0.5)


def test_parameter_file_errors_give_the_line(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text("w_sites: 3\nw_buffer: -1\n")
    with pytest.raises(ParameterError) as caught:
        params.load_file(path)
    assert caught.value.line == 2 and caught.value.path == "w_buffer"


def test_cli_set_and_params_file_change_the_run(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text("w_sites: 0\n")
    result = cli(
        "run",
        "karabakh_2020",
        "--overlay",
        "scenarios/counterfactuals/karabakh_attack_on_armenia.yaml",
        "--runs",
        "20",
        "--params",
        str(path),
        "--json",
    )
    import json

    out = json.loads(result.stdout)
    assert out["parameters"]["w_sites"] == 0.0
    rus = next(d for d in out["decisions"] if d["guarantor"] == "RUS")
    assert rus["p_honour"] < 0.2  # without the sites' weight Russia no longer fights


def test_cli_bad_set_exits_2():
    result = cli("run", "karabakh_2020", "--runs", "2", "--set", "w_sites=-3")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.startswith("error: --set: w_sites: must be between 0 and 15")
