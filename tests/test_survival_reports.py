"""What the survival commands say beside their numbers: tests between sets, fragile models."""

from __future__ import annotations

import json

import pandas as pd

from sim.analysis import survival
from sim.plots import survival as survival_plots

from test_survival import hand_made


def test_a_cox_model_on_few_events_is_flagged():
    spells = hand_made()
    notes = survival.cox_warnings(spells, survival.cox(spells))
    assert any(n.startswith("only 4 ended alliances for 3 covariates") for n in notes)


def test_an_extreme_hazard_ratio_is_flagged_not_reported_as_an_effect():
    spells = pd.DataFrame({"ended": [True] * 200})
    table = pd.DataFrame({"hazard_ratio": [1_228_612.0, 0.9]}, index=["log_ratio", "nuclear"])
    (note,) = survival.cox_warnings(spells, table)
    assert "log_ratio is 1.23e+06" in note and "separates" in note


def test_two_sets_of_spells_are_tested_against_each_other():
    spells = hand_made()
    same = survival.compare_sets(spells, spells)
    assert same["statistic"] < 1e-9 and same["p_value"] > 0.99
    later = spells.assign(duration=spells["duration"] * 10)
    assert survival.compare_sets(spells, later)["p_value"] < same["p_value"]


def test_historical_curves_differ_from_simulated_by_more_than_colour():
    groups = survival.kaplan_meier(hand_made(), "era", "ATOP v4.01: ")
    groups += survival.kaplan_meier(hand_made(), "era", "simulated: ")
    styles = {g.name: "--" for g in groups if g.name.startswith("ATOP")}
    ax = survival_plots.survival(groups, "compare", styles).axes[0]
    steps = [line for line in ax.lines if line.get_label().startswith(("ATOP", "simulated"))]
    assert {line.get_linestyle() for line in steps if line.get_label().startswith("ATOP")} == {"--"}
    assert {line.get_linestyle() for line in steps if line.get_label().startswith("sim")} == {"-"}
    ticks = [line for line in ax.lines if line.get_marker() == "|" and len(line.get_xdata())]
    assert ticks, "censored spells are marked on the curves"


def test_survival_compare_prints_a_log_rank_test_and_the_cox_warnings(tmp_path, main):
    out = tmp_path / "run"
    assert main("run", "karabakh_2020", "--runs", "20", "--out", str(out))[0] == 0
    code, text, err = main("survival", str(out), "--compare", "--out", str(tmp_path / "s"))
    assert code == 0, err
    assert "simulated vs ATOP v4.01 defence pacts: log-rank chi2" in text
    code, found, _ = main("survival", str(out), "--compare", "--json", "--out", str(tmp_path))
    report = json.loads(found)
    assert report["comparison"]["sets"] == ["simulated", "ATOP v4.01 defence pacts"]
    assert 0 <= report["comparison"]["p_value"] <= 1
    assert all("warnings" in a for a in report["analyses"].values())


def test_survival_figures_are_named_by_what_they_cover(tmp_path, main):
    for name in ("first", "second"):
        assert main("run", "karabakh_2020", "--runs", "5", "--out", str(tmp_path / name))[0] == 0
    figures = str(tmp_path / "figures")
    for args in (
        (str(tmp_path / "first"),),
        (str(tmp_path / "second"), "--by", "kind"),
        ("--data", "atop"),
    ):
        assert main("survival", *args, "--out", figures)[0] == 0
    assert {p.name for p in (tmp_path / "figures").glob("survival_*.png")} == {
        "survival_first.png",
        "survival_second_by_kind.png",
        "survival_atop.png",
    }
