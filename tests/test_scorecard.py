"""The history scorecard: every outcome of every history block, scored and summed."""

from __future__ import annotations

import json

from sim.analysis.scorecard import scorecard
from sim.model.params import Params

from conftest import SCENARIOS, cli


def test_scorecard_json_has_cases_and_a_summary():
    result = cli("check", "--runs", "20", "--json")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["summary"]["n"] == len(out["cases"]) > 30
    for case in out["cases"]:
        assert {"scenario", "what", "p_model", "history", "right"} <= set(case)
        assert 0.0 <= case["p_model"] <= 1.0
    right = sum(c["right"] for c in out["cases"])
    assert out["summary"]["right"] == right
    brier = sum((c["p_model"] - c["history"]) ** 2 for c in out["cases"]) / len(out["cases"])
    assert abs(out["summary"]["brier"] - brier) < 1e-12
    assert "P11" in out["propositions"]["russia_china"]


def test_every_proposition_is_demonstrated_by_some_scenario():
    card = scorecard([SCENARIOS / "karabakh_2020.yaml"], Params(), runs=5, seed=0)
    assert card.propositions == {"karabakh_2020": ["P1", "P2", "P3", "P8"]}
    result = cli("check", "--runs", "2", "--json")
    shown = {p for props in json.loads(result.stdout)["propositions"].values() for p in props}
    assert shown == {f"P{i}" for i in range(1, 13)}


def test_a_wrong_model_is_scored_wrong():
    """With an eagerness to fight, Russia fights for Armenia in Karabakh, against history."""
    card = scorecard([SCENARIOS / "karabakh_2020.yaml"], Params().replace(baseline=3.0), 20, 0)
    rus = next(c for c in card.cases if c.what.startswith("RUS fights"))
    assert rus.p_model > 0.5 and not rus.right and rus.brier > 0.25


def test_check_exits_non_zero_if_a_scenario_fails_to_load(tmp_path):
    folder = tmp_path / "scenarios"
    folder.mkdir()
    (folder / "broken.yaml").write_text("title: [unclosed\n")
    result = cli("check", "--dir", str(folder), "--runs", "2")
    assert result.returncode == 2 and "broken.yaml" in result.stderr
    assert "Traceback" not in result.stderr
