"""Bad scenario files give one clear message: file, field path, line, what was expected."""

from __future__ import annotations

import pytest

from sim.errors import ScenarioError
from sim.scenario.loading import load, revise

from conftest import COUNTERFACTUALS, SCENARIOS, cli


def _error(path) -> ScenarioError:
    with pytest.raises(ScenarioError) as caught:
        load(path)
    return caught.value


def _line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


CASES = {
    # name: (edit of karabakh_2020.yaml, expected path, words in the message, text on the line)
    "unknown field": (
        lambda t: t.replace("    loyalty: 0.8\n", "    loyalty: 0.8\n    loyality: 0.9\n"),
        "states.ARM.loyality",
        "unknown field",
        "loyality: 0.9",
    ),
    "wrong type": (
        lambda t: t.replace(
            "    nuclear: true\n    capital: {city: Moscow",
            "    nuclear: maybe\n    capital: {city: Moscow",
        ),
        "states.RUS.nuclear",
        "valid boolean",
        "nuclear: maybe",
    ),
    "out of range": (
        lambda t: t.replace("power: 0.00058645511", "power: 1.7"),
        "states.ARM.power",
        "less than or equal to 1",
        "power: 1.7",
    ),
    "unknown state in a commitment": (
        lambda t: t.replace(
            "members: [RUS, ARM, BLR, KZK, KYR, TAJ]\n    covers",
            "members: [RUS, ARM, BLR, KZK, XYZ, TAJ]\n    covers",
        ),
        "commitments.csto.members[4]",
        "expected a state id",
        "members: [RUS, ARM, BLR, KZK, XYZ",
    ),
    "event before the start": (
        lambda t: t.replace("at: 2020-09-27", "at: 2019-09-27"),
        "events.offensive_2020.at",
        "within the scenario",
        "at: 2019-09-27",
    ),
    "missing field": (
        lambda t: t.replace("    theatre: NKR\n", ""),
        "events.offensive_2020.theatre",
        "required field is missing",
        "offensive_2020:",
    ),
    "unknown theatre": (
        lambda t: t.replace("    theatre: NKR\n", "    theatre: Artsakh\n"),
        "events.offensive_2020.theatre",
        "expected a territory id",
        "theatre: Artsakh",
    ),
    "a guarantor that is not a member": (
        lambda t: t.replace("guarantors: [RUS]", "guarantors: [TUR]"),
        "commitments.gyumri_basing.guarantors[0]",
        "expected a member",
        "guarantors: [TUR]",
    ),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_each_bad_scenario_names_file_path_and_line(case, scenario_copy):
    edit, path, words, on_line = CASES[case]
    original = (SCENARIOS / "karabakh_2020.yaml").read_text()
    edited = edit(original)
    assert edited != original, "the edit must change the file"
    file = scenario_copy("karabakh_2020", edit)
    error = _error(file)
    assert error.file == str(file)
    assert error.path == path
    assert words in str(error)
    assert error.line == _line_of(edited, on_line)


def test_yaml_syntax_error_gives_the_line(scenario_copy):
    file = scenario_copy(
        "karabakh_2020", lambda t: t.replace("borders: [AZE, TUR]", "borders: [AZE, TUR")
    )
    error = _error(file)
    assert "YAML syntax error" in str(error) and error.line is not None
    assert f"{file}, line " in str(error)


def test_python_tags_are_refused_and_never_evaluated(scenario_copy, tmp_path):
    marker = tmp_path / "evaluated"
    file = scenario_copy(
        "karabakh_2020",
        lambda t: t.replace(
            'title: "Karabakh 2020: the 44-day war"',
            f"title: !!python/object/apply:os.system ['touch {marker}']",
        ),
    )
    error = _error(file)
    assert "tags are not allowed" in str(error) and error.path == "title"
    assert not marker.exists()


def test_yaml_1_2_keeps_no_as_a_string(scenario_copy):
    """Under YAML 1.1, NO would be read as false; a state id NO must fail as an id, not a bool."""
    file = scenario_copy(
        "karabakh_2020", lambda t: t.replace("borders: [AZE, TUR]", "borders: [AZE, NO]")
    )
    error = _error(file)
    assert error.path == "states.ARM.borders[1]" and "'NO'" in str(error)


def test_an_empty_file_is_an_error(tmp_path):
    empty = tmp_path / "empty.yaml"
    empty.write_text("")
    assert "expected a mapping" in str(_error(empty))


def test_overlay_errors_point_into_the_overlay(tmp_path):
    overlay = tmp_path / "bad.yaml"
    overlay.write_text(
        "title: t\nsummary: s\napplies_to: karabakh_2020\nset:\n  events:\n    offensive_2020:\n"
        "      scale: 3\n"
    )
    with pytest.raises(ScenarioError) as caught:
        load(SCENARIOS / "karabakh_2020.yaml", [overlay])
    assert caught.value.file == str(overlay)
    assert caught.value.path == "events.offensive_2020.scale"
    assert caught.value.line == 7


def test_overlay_remove_of_a_missing_path(tmp_path):
    overlay = tmp_path / "bad.yaml"
    overlay.write_text(
        "title: t\nsummary: s\napplies_to: karabakh_2020\nremove:\n  - sites.nowhere\n"
    )
    with pytest.raises(ScenarioError) as caught:
        load(SCENARIOS / "karabakh_2020.yaml", [overlay])
    assert caught.value.path == "remove[0]" and caught.value.line == 5


def test_an_overlay_cannot_reach_outside_the_scenarios_folder(tmp_path):
    overlay = tmp_path / "escape.yaml"
    overlay.write_text("title: t\nsummary: s\napplies_to: ../../etc/passwd\n")
    with pytest.raises(ScenarioError) as caught:
        load(overlay)
    assert caught.value.path == "applies_to"


def test_a_counterfactual_runs_by_itself_and_drops_history():
    scenario = load(COUNTERFACTUALS / "karabakh_attack_on_armenia.yaml")
    assert scenario.name == "karabakh_2020" and scenario.counterfactual
    assert scenario.spec.history is None
    assert scenario.spec.events["offensive_2020"].theatre == "ARM"


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_cli_prints_one_line_and_exits_2(case, scenario_copy):
    file = scenario_copy("karabakh_2020", CASES[case][0])
    result = cli("run", str(file), "--runs", "2")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {file}, line ")
    assert CASES[case][1] in lines[0]


def test_changes_revise_a_scenario_as_an_overlay_file_does():
    base = load(SCENARIOS / "karabakh_2020.yaml")
    moved = revise(base, {"events": {"offensive_2020": {"theatre": "ARM", "scale": 1.0}}}, "web")
    assert moved.spec == load(COUNTERFACTUALS / "karabakh_attack_on_armenia.yaml").spec
    assert moved.counterfactual and moved.overlays == ("web",) and moved.spec.history is None
    assert revise(base, {}, "web") is base
    stronger = revise(base, {"states": {"RUS": {"power": 0.05}}}, "web")
    assert stronger.spec.states["RUS"].power == 0.05 and base.spec.states["RUS"].power < 0.05


@pytest.mark.parametrize(
    ("changes", "path", "expected"),
    [
        ({"states": {"RUS": {"power": 1.5}}}, "states.RUS.power", "less than or equal to 1"),
        ({"events": {"offensive_2020": {"theatre": "XX"}}}, "events.offensive_2020.theatre",
         "expected a territory id"),
        ({"sites": {"gyumri_102": {"value": "high"}}}, "sites.gyumri_102.value", "valid number"),
    ],
)  # fmt: skip
def test_bad_changes_name_their_source_and_field(changes, path, expected):
    with pytest.raises(ScenarioError) as caught:
        revise(load(SCENARIOS / "karabakh_2020.yaml"), changes, "changes in the web view")
    assert caught.value.file == "changes in the web view" and caught.value.path == path
    assert expected in str(caught.value)
