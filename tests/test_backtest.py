"""The back-test's scores and references, checked by hand; its report and CLI whole."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from sim.history import backtest, covariates, invocations, scores

from conftest import cli


def test_auc_and_brier_match_a_hand_count():
    p = np.array([0.9, 0.8, 0.3, 0.2, 0.6])
    y = np.array([True, False, True, False, False])
    # positive-negative pairs ranked right: (0.9 > 0.8, 0.2, 0.6) = 3; (0.3 > 0.2) = 1 -> 4 of 6
    assert scores.auc(p, y) == pytest.approx(4 / 6)
    found = scores.score(p, y)
    assert found["brier"] == pytest.approx(np.mean((p - y) ** 2))
    assert found["log_loss"] == pytest.approx(-np.mean(np.where(y, np.log(p), np.log(1 - p))))
    assert found["accuracy"] == pytest.approx(2 / 5)  # 0.9 and 0.2 on the right side of 0.5


def test_calibration_bins_hold_every_case_and_their_means():
    p = np.array([0.05, 0.1, 0.5, 0.55, 0.95])
    y = np.array([False, False, True, False, True])
    table = scores.calibration(p, y)
    assert sum(b["n"] for b in table) == len(p)
    middle = next(b for b in table if b["low"] <= 0.5 < b["high"])
    assert middle["predicted"] == pytest.approx(0.525) and middle["observed"] == 0.5


def test_calibration_intercept_and_slope_recover_a_known_miscalibration():
    rng = np.random.default_rng(0)
    truth = rng.normal(-1.0, 1.5, 20000)
    y = rng.random(truth.size) < 1 / (1 + np.exp(-truth))
    calibrated = 1 / (1 + np.exp(-truth))
    too_high = 1 / (1 + np.exp(-(truth + 1.0)))
    too_extreme = 1 / (1 + np.exp(-2.0 * truth))
    assert abs(scores.calibration_intercept(calibrated, y)) < 0.05
    assert scores.calibration_slope(calibrated, y) == pytest.approx(1.0, abs=0.05)
    assert scores.calibration_intercept(too_high, y) == pytest.approx(-1.0, abs=0.05)
    assert scores.calibration_slope(too_high, y) == pytest.approx(1.0, abs=0.05)
    assert scores.calibration_slope(too_extreme, y) == pytest.approx(0.5, abs=0.03)
    one_outcome = np.ones(3, bool)
    assert np.isnan(scores.calibration_intercept(np.full(3, 0.5), one_outcome))
    assert np.isnan(scores.calibration_slope(np.full(3, 0.5), one_outcome))


def test_recalibration_held_out_helps_only_where_every_war_shares_the_miscalibration():
    rng = np.random.default_rng(3)
    truth = rng.normal(-1.0, 1.5, 4000)
    y = rng.random(truth.size) < 1 / (1 + np.exp(-truth))
    wars = np.arange(truth.size) % 8
    too_high = 1 / (1 + np.exp(-(truth + 1.5)))
    found = scores.recalibrated_held_out(too_high, y, wars)
    assert found["level"] < found["none"] - 0.05 and found["level_and_slope"] < found["none"]
    calibrated = scores.recalibrated_held_out(1 / (1 + np.exp(-truth)), y, wars)
    assert calibrated["level"] > calibrated["none"] - 0.005  # nothing to gain
    empty = scores.recalibrated_held_out(np.zeros(0), np.zeros(0, bool), np.zeros(0))
    assert all(np.isnan(v) for v in empty.values())


def test_scores_of_no_cases_or_one_outcome_are_not_numbers():
    empty = scores.score(np.zeros(0), np.zeros(0, bool))
    assert empty["n"] == 0 and np.isnan(empty["brier"]) and np.isnan(empty["auc"])
    assert np.isnan(scores.auc(np.array([0.1, 0.9]), np.array([True, True])))


def test_the_interval_resamples_whole_wars():
    p = np.array([0.9, 0.1, 0.8, 0.2])
    y = np.array([True, False, True, False])
    one_war = scores.interval(p, y, np.array([1, 1, 1, 1]), scores.auc)
    assert np.isnan(one_war).all(), "one war cannot be resampled"
    low, high = scores.interval(p, y, np.array([1, 1, 2, 2]), scores.auc)
    assert low == high == 1.0  # every resample of these wars ranks perfectly


def test_the_logistic_reference_never_sees_the_held_out_wars_labels():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(60, 3))
    y = x[:, 0] + rng.normal(scale=0.5, size=60) > 0
    wars = np.repeat(np.arange(6), 10)
    before = scores.cross_validated(x, y, wars)
    flipped = y.copy()
    flipped[wars == 0] = ~flipped[wars == 0]
    after = scores.cross_validated(x, flipped, wars)
    assert np.allclose(before[wars == 0], after[wars == 0])
    assert not np.allclose(before[wars != 0], after[wars != 0])


def test_a_back_test_with_one_era_only_scores_it_and_leaves_the_other_empty(history_run):
    cases = history_run.cases
    late = backtest.report(cases[cases["year"] >= 1945])
    assert late["pre1945"]["n"] == 0 and late["post1945"]["n"] > 0
    assert np.isnan(late["post1945"]["auc_cv"]) and late["post1945"]["auc"] > 0.5
    assert "base_rate_transfer" not in late["post1945"]["references"]
    early = backtest.report(cases[cases["year"] < 1945])
    assert early["post1945"]["n"] == 0 and early["pre1945"]["auc_cv"] > 0.5


def test_references_on_the_real_cases():
    cases = invocations.cases()
    kept = cases[cases["scored"] & (cases["year"] < 1945)]
    refs = scores.references(kept, covariates.covariates(kept))
    y = kept["honoured"].to_numpy(float)
    assert np.allclose(refs["base_rate"], y.mean())
    assert ((refs["treaty_only"] == 1) == (kept["obligation"] == "defence").to_numpy()).all()
    assert refs["power_only"].min() >= 0 and refs["power_only"].max() <= 1
    assert np.isfinite(refs["logistic"]).all()


def test_the_report_scores_each_era_beside_its_references(history_run):
    report = backtest.report(history_run.cases)
    scored = backtest.scored(history_run.cases)
    assert report["pre1945"]["n"] + report["post1945"]["n"] == len(scored)
    for era in ("pre1945", "post1945"):
        found = report[era]
        assert {"n", "accuracy", "brier", "log_loss", "auc", "calibration"} <= set(found)
        assert {"calibration_intercept", "calibration_slope"} <= set(found)
        assert {"base_rate", "treaty_only", "power_only", "logistic"} <= set(found["references"])
        base = found["references"]["base_rate"]
        share = found["honoured"] / found["n"]
        assert base["brier"] == pytest.approx(share * (1 - share))
    assert "logistic_transfer" in report["post1945"]["references"]
    assert set(report["pre1945"]["recalibrated_held_out"]) == {"none", "level", "level_and_slope"}
    earlier = report["pre1945"]["honoured"] / report["pre1945"]["n"]
    late = report["post1945"]["honoured"] / report["post1945"]["n"]
    carried = report["post1945"]["references"]["base_rate_transfer"]["brier"]
    assert carried == pytest.approx(late * (1 - earlier) ** 2 + (1 - late) * earlier**2)


def test_backtest_cli_json_has_the_documented_names():
    result = cli("backtest", "--json")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert "NaN" not in result.stdout
    for era in ("pre1945", "post1945"):
        found = out["backtest"][era]
        assert {"n", "accuracy", "brier", "log_loss", "auc", "calibration"} <= set(found)
        for name in ("base_rate", "treaty_only", "power_only", "logistic"):
            assert {"n", "brier", "auc"} <= set(found["references"][name])
        for source in ("real", "simulated"):
            rel = out["reliability"][source][era]
            assert {"pooled", "defence", "neutrality", "non_aggression"} <= set(rel["leeds"])
            assert {"beside", "out", "against"} <= set(rel["sabrosky"])
    assert out["reliability"]["real"]["pre1945"]["leeds"]["pooled"] > 0
    survival = out["mechanisms"]["factors"]["survival"]
    assert {"sign", "ranks_both_eras", "helps_after_1945", "pre1945", "post1945"} <= set(survival)
    assert {"auc_alone", "without"} <= set(survival["post1945"])


def test_backtest_cases_lists_every_case_with_its_evidence():
    text = cli("backtest", "--cases")
    assert text.returncode == 0, text.stderr
    assert "WorldWarII" in text.stdout and "not_met" in text.stdout
    result = cli("backtest", "--cases", "--json")
    cases = pd.DataFrame(json.loads(result.stdout)["cases"])
    poland = cases[(cases["attack_name"] == "WW2_Ger_Pol_1939") & (cases["guarantor"] == "UKG")]
    assert len(poland) == 1
    row = poland.iloc[0]
    assert row["outcome"] == "beside" and row["atopid"] > 0 and 0 <= row["p_model"] <= 1
    assert row["label_source"].startswith("115")  # the war list's UK-Germany war of 1939


def test_the_case_list_knows_kuwait_the_clock_and_self_defence():
    """``backtest --cases --json``: Kuwait 1990, labels with a clock, self-defence set apart."""
    import json
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "run.py", "backtest", "--cases", "--json"],
        capture_output=True, text=True, check=True, timeout=600,
    )  # fmt: skip
    cases = json.loads(out.stdout)["cases"]

    def rows(guarantor: str | None, partner: str, year: int) -> list[dict]:
        return [
            c for c in cases
            if c["partner"] == partner and c["year"] == year
            and (guarantor is None or c["guarantor"] == guarantor)
        ]  # fmt: skip

    kuwait = rows(None, "KUW", 1990)
    assert kuwait and all(c["adversary"] == "IRQ" and c["day"] == "1990-08-02" for c in kuwait)
    greece = rows("GRC", "YUG", 1914)  # COW codes Serbia as YUG (345)
    assert greece and not any(c["honoured"] for c in greece), "Greece entered only in 1917"
    assert any(c["honoured_ever"] for c in greece), "though it fought in the end"
    for guarantor, partner, year in (("YUG", "GRC", 1941), ("EGY", "SYR", 1967)):
        found = rows(guarantor, partner, year)
        assert found and all(c["apart"] == "self_defence" for c in found), (guarantor, partner)


def test_backtest_as_rolling_forecasts_prints_every_era_with_its_references():
    """``backtest --scale wars --rolling --json``: the shape the dispute scale prints too."""
    import json
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "run.py", "backtest", "--scale", "wars", "--rolling", "--json"],
        capture_output=True, text=True, check=True, timeout=900,
    )  # fmt: skip
    found = json.loads(out.stdout)["backtest"]["wars"]
    figures = ("n", "disputes", "auc", "brier", "log_loss", "calibration_intercept")
    figures += ("calibration_slope", "auc_interval", "brier_interval")
    for era in ("pre1945", "cold_war", "post_cold_war", "transfer"):
        assert all(k in found[era] for k in figures), era
        refs = found[era]["references"]
        for name in ("base_rate", "distance_only", "best_single_factor", "logistic"):
            assert set(refs[name]) >= {"brier", "auc"}, (era, name)
    assert found["pre1945"]["n"] > 0 and found["cold_war"]["n"] > found["pre1945"]["n"]
    assert set(found["grouped_cv"]) >= {"pre1945", "cold_war"}


def test_backtest_trial_judges_every_candidate_on_1870_1944_by_its_rule():
    """``backtest --trial --json``: each mechanism's gain and a verdict that follows the rule."""
    import json
    import subprocess
    import sys

    from sim.history import candidates, trial

    out = subprocess.run(
        [sys.executable, "run.py", "backtest", "--trial", "--json"],
        capture_output=True, text=True, check=True, timeout=900,
    )  # fmt: skip
    found = json.loads(out.stdout)["trial"]
    assert found["kernel"]["n"] > 50 and found["kernel"]["honoured"] > 0
    assert set(found["mechanisms"]) == set(candidates.NAMES)
    for name, m in found["mechanisms"].items():
        both = m["gain"]["log_loss"] <= -trial.MARGIN and m["gain"]["brier"] <= -trial.MARGIN
        assert m["adopted"] == both, name
        assert m["n"] == found["kernel"]["n"], name
    assert found["mechanisms"]["guarantor_nuclear"]["cases_where_it_acts"] == 0  # none before 1945


def test_backtest_trial_refuses_a_single_scale():
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "run.py", "backtest", "--trial", "--scale", "wars"],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert out.returncode == 2 and "--trial" in out.stderr and "Traceback" not in out.stderr


def test_a_bystander_is_asked_by_the_models_own_rule_its_stakes_reaching_the_floor():
    """In the back-test as in the model, a state no treaty bound is asked only for its stakes."""
    import pandas as pd

    from sim.history import worldrun
    from sim.model.decide import FACTORS
    from sim.model.params import Params

    params = Params().replace(w_buffer=2.0)  # a weight that halves and doubles exactly
    row = {f"value_{f.name}": 0.0 for f in FACTORS}
    floor = params.interest_floor  # the buffer's stake, weighed: value x 2
    low = {**row, "value_buffer": (floor - 0.01) / 2, "p_model": 0.4}
    high = {**row, "value_buffer": (floor + 0.01) / 2, "p_model": 0.3}
    cost = {**row, "value_distance": 10.0, "value_buffer": floor / 2}
    cost["p_model"] = 0.2
    found = worldrun.screened(pd.DataFrame([low, high, cost]), params)
    assert found["asked"].tolist() == [0.0, 1.0, 1.0]  # costs do not decide who is asked
    assert found["p_model"].tolist() == [0.0, 0.3, 0.2]
    assert found["p_if_asked"].tolist() == [0.4, 0.3, 0.2]
