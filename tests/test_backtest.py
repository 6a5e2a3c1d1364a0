"""The back-test against every interstate war: its parts checked by hand, its report whole."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from sim.history import backtest

from conftest import cli


def test_auc_matches_a_hand_count():
    p = np.array([0.9, 0.8, 0.3, 0.2, 0.6])
    y = np.array([True, False, True, False, False])
    # positive-negative pairs ranked right: (0.9 > 0.8, 0.2, 0.6) = 3; (0.3 > 0.2) = 1 -> 4 of 6
    assert backtest.auc(p, y) == pytest.approx(4 / 6)
    assert backtest.metrics(p, y)["brier"] == pytest.approx(np.mean((p - y) ** 2))


def test_sides_are_two_coloured_from_initiators_targets_and_their_allies():
    part = pd.DataFrame(
        {
            "init_ccode": [1, 4],
            "target_ccode": [2, 2],
            "ally1ccode": [3, np.nan],
            "adv2ccode": [5, np.nan],
        }
    )
    side = backtest._sides(part)
    assert side[1] == side[3] == side[4] and side[2] == side[5] and side[1] != side[2]


def test_defence_obligations_follow_atop_membership_years():
    # the Triple Alliance (Germany 255, Austria-Hungary 300, Italy 325) was in force in 1900
    assert {300, 325} <= set(backtest.bound_to(255, 1900))
    assert 325 not in backtest.bound_to(255, 1880)  # Italy joined only in 1882


def test_the_report_gives_both_periods_and_both_baselines(history_run):
    table = history_run.cases
    assert len(table) > 500 and table["p_model"].between(0, 1).all()
    report = backtest.report(table)
    for period in ("pre1945", "post1945"):
        found = report[period]
        assert {"n", "accuracy", "brier", "auc"} <= set(found)
        assert set(found["baselines"]) == {"treaty_only", "power_only"}
        # treaty-only says every bound state joins: its accuracy is the share that did
        share = table[(table["year"] < 1945) == (period == "pre1945")]["joined"].mean()
        assert found["baselines"]["treaty_only"]["accuracy"] == pytest.approx(share)
    assert report["pre1945"]["n"] + report["post1945"]["n"] == len(table)


def test_a_case_is_every_living_bound_state_and_what_it_did():
    # 1914: Austria-Hungary (300) attacks Serbia (345); Germany (255) was bound to Austria
    war = next(w for w in backtest.wars() if w.name == "WorldWarI")
    cases = backtest.war_cases(war, alive=lambda code: True)
    germany = [c for c in cases if c.guarantor == 255 and c.partner == 300]
    assert germany and germany[0].joined and not germany[0].triggered  # Austria attacked
    without = backtest.war_cases(war, alive=lambda code: code != 255)
    assert not [c for c in without if c.guarantor == 255], "a state outside the system is no case"


def test_metrics_of_no_cases_are_not_numbers():
    empty = backtest.metrics(np.zeros(0), np.zeros(0, bool))
    assert empty["n"] == 0 and np.isnan(empty["brier"]) and np.isnan(empty["auc"])


def test_backtest_cli_json():
    result = cli("backtest", "--json")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert set(out["backtest"]) == {"pre1945", "post1945"}
    assert {"leeds", "sabrosky"} <= set(out["reliability"])
