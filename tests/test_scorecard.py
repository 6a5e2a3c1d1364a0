"""The history scorecard: every outcome of every history block, scored and summed."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pandas as pd

from sim.analysis.scorecard import cases_of, scorecard
from sim.analysis.summary import p_fought
from sim.model.params import Params
from sim.results.runs import replicate
from sim.scenario.loading import load

from conftest import SCENARIOS, cli

INTEREST = Path(__file__).resolve().parent / "scenarios_interest"


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
    decisions = [c for c in out["cases"] if " fights for " in c["what"]]
    assert {c["bound"] for c in decisions} == {True, False}, "each decision says if a duty bound"
    for case in decisions:
        assert "history: fought, duty not triggered" not in case["detail"], case
    montenegro = next(c for c in decisions if c["what"].startswith("MNG fights for YUG"))
    assert montenegro["bound"] is False and montenegro["history"] == 1


def test_p_fought_over_all_runs_counts_a_run_not_asked_as_not_fought():
    asked = pd.DataFrame({"run": [0, 2], "p_honour": [0.8, 0.6], "fought": [True, False]})
    assert p_fought(asked) == 0.7
    assert p_fought(asked, runs=4) == 0.35
    again = pd.DataFrame({"run": [0, 0, 1], "p_honour": [0.5] * 3, "fought": [False, True, False]})
    assert p_fought(again) == 0.5
    assert p_fought(again, runs=4) == 0.25


def test_an_unbound_decision_is_scored_over_every_run():
    """A run in which the state no duty bound was not asked is a run in which it did not fight."""
    runset = replicate(load(INTEREST / "distant_stake_high.yaml"), Params(), seed=0, runs=10)
    d = runset.decisions
    major = d[d["guarantor"] == "MAJ"]
    assert major["run"].nunique() == 10
    kept = d[~((d["guarantor"] == "MAJ") & (d["run"] >= 5))]
    (full,) = cases_of(runset)
    (half,) = cases_of(dataclasses.replace(runset, decisions=kept))
    assert full.bound is False and half.bound is False
    assert abs(full.p_model - major["p_honour"].mean()) < 1e-12
    expected = major.loc[major["run"] < 5, "p_honour"].sum() / 10
    assert abs(half.p_model - expected) < 1e-12
    assert "asked in 50% of runs" in half.detail


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
