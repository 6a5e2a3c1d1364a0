"""Survival analysis against values worked out by hand, and on the real alliances."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from sim.analysis import survival

from conftest import cli


def hand_made() -> pd.DataFrame:
    # six alliances: durations 1, 2, 2+, 3, 4, 5+ (+ = still in force, censored)
    spells = pd.DataFrame(
        {
            "id": list("abcdef"),
            "duration": [1.0, 2.0, 2.0, 3.0, 4.0, 5.0],
            "ended": [True, True, False, True, True, False],
            "kind": ["defence_pact"] * 6,
            "ratio": [1, 2, 8, 9, 1, 10],
            "start_year": [1900, 1900, 1950, 1950, 1900, 1950],
            "reason": [
                "threat_gone",
                "not_useful",
                "censored",
                "threat_gone",
                "not_useful",
                "censored",
            ],
            "threat_change": [0.1, 0.2, 0.0, -0.1, 0.3, 0.0],
            "nuclear_patron": [0, 0, 1, 1, 0, 1],
            "source": "hand",
        }
    )
    return survival._describe(spells)


def test_kaplan_meier_matches_the_product_limit_worked_by_hand():
    group = survival.kaplan_meier(hand_made())[0]
    s = group.fitter.survival_function_.iloc[:, 0]
    # at risk 6, 1 ends at t=1: 5/6; at t=2, 5 at risk, 1 ends (1 censored): 5/6 * 4/5 = 2/3;
    # at t=3, 3 at risk, 1 ends: 2/3 * 2/3 = 4/9; at t=4, 2 at risk, 1 ends: 4/9 * 1/2 = 2/9
    assert s.loc[1.0] == pytest.approx(5 / 6)
    assert s.loc[2.0] == pytest.approx(2 / 3)
    assert s.loc[3.0] == pytest.approx(4 / 9)
    assert s.loc[4.0] == pytest.approx(2 / 9)
    assert group.median == 3.0  # the first time survival falls to 0.5 or below
    assert (group.n, group.events) == (6, 4)


def test_groups_and_the_log_rank_test():
    groups = survival.kaplan_meier(hand_made(), "era")
    assert [g.name for g in groups] == ["1945 and after", "before 1945"]
    test = survival.logrank(hand_made(), "era")
    assert test["groups"] == 2 and 0 <= test["p_value"] <= 1


def test_competing_risks_add_up_to_one_minus_survival():
    spells = hand_made()
    curves = survival.cumulative_incidence(spells)
    assert set(curves) == {"threat_gone", "not_useful"}
    total = sum(c.iloc[:, 0].reindex([4.0], method="ffill").iloc[0] for c in curves.values())
    km = survival.kaplan_meier(spells)[0].fitter.survival_function_.iloc[:, 0].loc[4.0]
    assert total == pytest.approx(1 - km)


def test_atop_medians_are_computed_from_the_data():
    spells = survival.from_atop()
    assert len(spells) == 745
    early = spells[spells["start_year"] < 1945]
    assert survival.kaplan_meier(early)[0].median == pytest.approx(5.5, abs=0.5)
    pacts = early[early["kind"] == "defence_pact"]
    assert survival.kaplan_meier(pacts)[0].median == pytest.approx(4.3, abs=0.5)


def test_cox_model_reports_hazard_ratios():
    table = survival.cox(survival.from_atop())
    assert {"log_ratio", "nuclear_patron"} <= set(table.index)
    assert (table["lower"] <= table["hazard_ratio"]).all()
    assert (table["hazard_ratio"] <= table["upper"]).all()


def test_survival_cli_compares_simulated_with_history(tmp_path):
    run = tmp_path / "wwii"
    assert cli("run", "wwii_coalition_1942_1948", "--runs", "20", "--out", str(run)).returncode == 0
    out = tmp_path / "figures"
    result = cli("survival", str(run), "--compare", "--by", "era", "--out", str(out), "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    names = {g["name"] for g in report["groups"]}
    assert "simulated: before 1945" in names and "ATOP v4.01: 1945 and after" in names
    for g in report["groups"]:
        assert {"name", "n", "events", "median", "median_lower", "median_upper"} <= set(g)
    assert report["figures"] and all(Path(p).exists() for p in report["figures"])


def test_survival_cli_needs_something_to_analyse():
    result = cli("survival")
    assert result.returncode == 2 and "expected run folders" in result.stderr


def test_a_run_sets_alliances_give_the_spells_of_its_run_folder(tmp_path):
    from conftest import runs_of

    runset = runs_of("wwii_coalition_1942_1948", runs=10)
    folder = tmp_path / "wwii"
    assert cli("run", "wwii_coalition_1942_1948", "--runs", "10", "--seed", "7",
               "--out", str(folder)).returncode == 0  # fmt: skip
    spells = survival.from_alliances(runset.alliances)
    pd.testing.assert_frame_equal(spells, survival.from_runs([folder]), check_dtype=False)
    assert len(spells) == len(runset.alliances) and spells["ended"].any()
