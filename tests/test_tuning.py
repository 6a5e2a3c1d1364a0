"""Sweeps, sensitivity and calibration: same results on any executor, resumable, honest."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from sim.analysis import calibration, tuning
from sim.errors import ParameterError
from sim.history import worldrun
from sim.model.params import Params

from conftest import SCENARIOS, cli, interrupt_when

STATIC = str(SCENARIOS / "counterfactuals" / "technology_and_threat_static.yaml")


def _target(runs: int = 4) -> tuning.Target:
    return tuning.Target(STATIC, (), {}, runs, 3)


def _jobs() -> list[tuning.Job]:
    return tuning.grid(
        [tuning.parse_range("technology=0:0.9:3"), tuning.parse_range("threat_level=0.5:1.5:2")]
    )


def test_a_grid_has_every_combination_and_ranges_are_checked():
    jobs = _jobs()
    assert len(jobs) == 6 and jobs[0].values == {"technology": 0.0, "threat_level": 0.5}
    with pytest.raises(ParameterError, match=r"between 0 and 0\.95"):
        tuning.parse_range("technology=0:1:11")
    lhs = tuning.latin_hypercube([("w_sites", [0.0, 10.0]), ("w_distance", [0.0, 3.0])], 5, 1)
    assert len(lhs) == 5 and all(0 <= j.values["w_sites"] <= 10 for j in lhs)


def test_the_same_points_on_one_worker_two_workers_and_a_dask_cluster(tmp_path):
    from distributed import Client, LocalCluster

    tables = []
    for name, make in (
        ("one", lambda: tuning.executor_for(1, None)),
        ("two", lambda: tuning.executor_for(2, None)),
    ):
        store = tuning.PointStore(tmp_path / name, "key")
        with make() as executor:
            tables.append(tuning.sweep(executor, _target(), _jobs(), store))
    with (
        LocalCluster(n_workers=1, threads_per_worker=1, processes=False) as cluster,
        Client(cluster) as client,
    ):
        store = tuning.PointStore(tmp_path / "dask", "key")
        tables.append(tuning.sweep(client.get_executor(), _target(), _jobs(), store))
    pd.testing.assert_frame_equal(tables[0], tables[1])
    pd.testing.assert_frame_equal(tables[0], tables[2])
    # the P7 pattern shows in the sweep: more technology, less readiness to fight
    t = tables[0].groupby("technology")["p_honour:early_crisis:GPA:CLI"].mean()
    assert t.iloc[0] > t.iloc[-1]


def test_an_interrupted_sweep_keeps_its_points_and_resumes(tmp_path):
    out = tmp_path / "sweep"
    args = [
        "sweep",
        STATIC,
        "--param",
        "technology=0:0.9:10",
        "--param",
        "w_sites=0:10:4",
        "--runs",
        "10",
        "--out",
        str(out),
    ]
    code, err = interrupt_when(args, lambda: len(list((out / "points").glob("*.parquet"))) >= 3)
    assert code == 130
    kept = len(list((out / "points").glob("*.parquet")))
    assert 3 <= kept < 40 and not list(out.rglob("*.tmp"))
    assert "points kept in" in err and "run the same command again to resume" in err
    resumed = cli(*args)
    assert resumed.returncode == 0, resumed.stderr
    assert "resumed: " in resumed.stderr and "of 40 points kept in" in resumed.stderr
    assert cli(*args[:-1], str(tmp_path / "whole")).returncode == 0
    assert (out / "points.parquet").read_bytes() == (
        tmp_path / "whole" / "points.parquet"
    ).read_bytes()
    assert (out / "heatmap.png").exists()


def test_sensitivity_reports_indices_and_warns_on_small_samples(tmp_path):
    result = cli(
        "sensitivity",
        STATIC,
        "--method",
        "sobol",
        "--samples",
        "8",
        "--runs",
        "3",
        "--vary",
        "w_sites,technology",
        "--out",
        str(tmp_path / "sobol"),
        "--json",
    )
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert set(out["indices"]) == {"w_sites", "technology"}
    assert {"S1", "S1_conf", "ST", "ST_conf"} <= set(out["indices"]["w_sites"])
    assert any("small for stable Sobol" in w for w in out["warnings"])
    morris = cli(
        "sensitivity",
        STATIC,
        "--method",
        "morris",
        "--samples",
        "4",
        "--runs",
        "3",
        "--vary",
        "w_sites,technology",
        "--out",
        str(tmp_path / "m"),
        "--json",
    )
    assert morris.returncode == 0 and "mu_star" in json.loads(morris.stdout)["indices"]["w_sites"]


def _shared_study(folder, journal, tuned, *, runs: int) -> list[str]:
    """Arguments of `tune` on two parameters, with a study kept in a journal file."""
    return [
        "tune",
        "--dir",
        str(folder),
        "--runs",
        str(runs),
        "--tune",
        "baseline,w_sites",
        "--storage",
        str(journal),
        "--out",
        str(tuned),
        "--force",
        "--json",
    ]


def test_tune_writes_parameters_that_run_reads_and_a_shared_study_accumulates(tmp_path):
    folder = tmp_path / "scenarios"
    folder.mkdir()
    for name in ("karabakh_2020", "suez_1956"):
        (folder / f"{name}.yaml").write_text((SCENARIOS / f"{name}.yaml").read_text())
    tuned, journal = tmp_path / "tuned.yaml", tmp_path / "study.journal"
    common = _shared_study(folder, journal, tuned, runs=3)
    first = cli(*common, "--trials", "3")
    assert first.returncode == 0, first.stderr
    report = json.loads(first.stdout)
    assert report["trials"] == 3 and report["tuned_brier"] <= report["default_brier"] + 0.05
    assert any(p.endswith("tuned_history.png") for p in report["figures"])
    second = json.loads(cli(*common, "--trials", "5").stdout)
    assert second["trials"] == 5  # the study in the journal resumed from three
    assert cli("run", "karabakh_2020", "--runs", "3", "--params", str(tuned)).returncode == 0
    cv = json.loads(
        cli(
            "tune",
            "--dir",
            str(folder),
            "--runs",
            "3",
            "--trials",
            "2",
            "--tune",
            "baseline",
            "--cv",
            "--out",
            str(tmp_path / "t2.yaml"),
            "--json",
        ).stdout
    )
    assert {row["held_out"] for row in cv["cross_validation"]} == {"karabakh_2020", "suez_1956"}


def test_tune_against_the_back_test_sees_only_1816_1944_and_reports_the_rest(tmp_path):
    calls = []
    real = worldrun.run

    def spy(built, params, seed):
        calls.append(built.end)
        return real(built, params, seed)

    loss = calibration.backtest_loss(seed=0)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(worldrun, "run", spy)
        first = loss(Params())
        changed = loss(Params().replace(w_buffer=0.0))
    assert calls == [1944, 1944], "tuning never runs past 1944"
    assert first != changed, "the loss depends on the parameters it tunes"
    tuned = tmp_path / "tuned.yaml"
    args = ["tune", "--target", "backtest", "--trials", "2", "--tune", "w_buffer", "--force"]
    result = cli(*args, "--out", str(tuned), "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["target"] == "backtest" and tuned.exists()
    assert set(report["out_of_sample"]) == {"defaults", "tuned"}
    assert report["out_of_sample"]["defaults"]["n"] > 80  # the defence duties invoked 1945-2003


def test_an_interrupted_tune_keeps_its_trials_in_the_journal_and_resumes(tmp_path):
    folder = tmp_path / "scenarios"
    folder.mkdir()
    (folder / "suez_1956.yaml").write_text((SCENARIOS / "suez_1956.yaml").read_text())
    journal, tuned = tmp_path / "study.journal", tmp_path / "tuned.yaml"
    args = _shared_study(folder, journal, tuned, runs=2)

    def some_trials_done() -> bool:
        return journal.exists() and journal.read_text().count('"state":1,') >= 3

    code, err = interrupt_when([*args, "--trials", "400"], some_trials_done)
    assert code == 130 and "Traceback" not in err, err
    assert "of 400 trials kept in the study alliance-sim in" in err
    assert not tuned.exists() and not list(tmp_path.glob("*.tmp")), "no partial result"
    result = cli(*args, "--trials", "6")
    assert result.returncode == 0, result.stderr
    assert "resumed: " in result.stderr and "of 6 trials kept" in result.stderr
    assert tuned.exists()
    # the kept trials count towards the six: the rerun only ran the rest
    assert journal.read_text().count('"state":1,') == 6  # complete trials


def _two_scenarios(folder, *names):
    folder.mkdir()
    for name in names:
        (folder / f"{name}.yaml").write_text((SCENARIOS / f"{name}.yaml").read_text())
    return folder


def test_tune_refuses_to_write_values_worse_than_the_defaults_unless_forced(tmp_path, main):
    folder = _two_scenarios(tmp_path / "scenarios", "karabakh_2020", "suez_1956")
    tuned = tmp_path / "tuned.yaml"
    args = ["tune", "--dir", str(folder), "--runs", "2", "--trials", "1", "--tune", "baseline"]
    code, out, err = main(*args, "--out", str(tuned), "--json")
    report = json.loads(out)
    assert report["tuned_brier"] > report["default_brier"], "seed 0's first trial is worse"
    assert code == 1 and not tuned.exists() and report["file"] is None
    assert err.startswith("not written: the tuned Brier") and "--force" in err
    code, out, err = main(*args, "--out", str(tuned), "--force")
    assert code == 0 and tuned.exists() and f"wrote {tuned}" in out


def test_tune_cv_holds_out_only_scenarios_with_history(tmp_path, main):
    folder = _two_scenarios(
        tmp_path / "scenarios", "karabakh_2020", "suez_1956", "technology_and_threat"
    )
    args = ["tune", "--dir", str(folder), "--runs", "2", "--trials", "2", "--tune", "baseline"]
    code, out, err = main(*args, "--cv", "--force", "--out", str(tmp_path / "t.yaml"), "--json")
    assert code == 0, err
    held = {row["held_out"] for row in json.loads(out)["cross_validation"]}
    assert held == {"karabakh_2020", "suez_1956"}, "the synthetic scenario has no history"
    code, _, err = main("tune", "--target", "backtest", "--cv")
    assert code == 2 and "needs --target scenarios" in err


def test_sweep_lhs_takes_low_high_and_a_grid_asks_for_steps(tmp_path, main):
    lhs = ("--param", "technology=0:0.9", "--param", "w_sites=0:10", "--lhs", "4")
    code, out, err = main("sweep", STATIC, *lhs, "--runs", "2", "--out", str(tmp_path / "l"))
    assert code == 0, err
    assert (tmp_path / "l" / "scatter.png").exists() and "4 points" in out
    grid = ("--param", "technology=0:0.9", "--out", str(tmp_path / "g"))
    code, _, err = main("sweep", STATIC, *grid)
    assert code == 2 and "a grid needs NAME=LOW:HIGH:STEPS" in err


def test_sensitivity_names_its_parameters_and_its_figures(tmp_path, main):
    base = ("sensitivity", STATIC, "--method", "morris", "--samples", "2", "--runs", "2")
    code, out, err = main(*base, "--out", str(tmp_path))
    assert code == 0, err
    assert out.startswith("varying w_sites, w_distance, technology (the default set")
    assert f"wrote {tmp_path / 'morris_mu_sigma.png'}" in out
    code, _, err = main(*base, "--params", "w_sites,technology")
    assert code == 2 and "give the parameters to vary with --vary" in err


def test_a_misspelt_parameter_gets_the_closest_names(main):
    for args in (
        ("run", "karabakh_2020", "--set", "w_site=4"),
        ("tune", "--tune", "w_site"),
        ("sweep", STATIC, "--param", "w_site=0:1:2"),
    ):
        code, _, err = main(*args)
        assert code == 2 and "did you mean w_sites" in err, args


def test_survival_calibration_reads_no_year_after_1944():
    from sim.analysis import survival

    calls = []
    real_alliances = worldrun.alliances

    def spy(built, params, seed, runs=1):
        calls.append((built.start, built.end))
        return real_alliances(built, params, seed, runs)

    loss = calibration.survival_loss(seed=0, runs=1)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(worldrun, "alliances", spy)
        first = loss(Params())
        changed = loss(Params().replace(dissolution_baseline=-2.0))
    assert calls == [(1816, 1944), (1816, 1944)], "the open world is never run past 1944"
    assert first != changed, "the distance depends on the parameters it tunes"
    # ATOP as the fit sees it: rewrite every end after 1944 and every later alliance, and
    # the target does not move
    atop = survival.from_atop()
    late_end = (atop["start"] + atop["duration"]) > 1945.0
    scrambled = atop.assign(
        duration=atop["duration"].where(~late_end, atop["duration"] + 7.0),
        cause=atop["cause"].where(~late_end, "violated"),
        start_year=atop["start_year"].where(atop["start_year"] < 1945, 1950),
    )
    target = calibration.moments.Target.of(calibration.real_cohort())
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(survival, "from_atop", lambda: scrambled)
        assert calibration.moments.Target.of(calibration.real_cohort()) == target
    seen = calibration.real_cohort()
    assert len(seen) == 104 and (seen["start"] + seen["duration"]).max() <= 1945.0


def test_the_calibration_runs_are_the_world_runs_without_the_back_test():
    from sim.history import openworld

    built = openworld.build(1900, 1920)
    runs = worldrun.run(built, Params(), seed=4, runs=2).table("alliances")
    plain = worldrun.alliances(built, Params(), seed=4, runs=2)
    pd.testing.assert_frame_equal(runs.reset_index(drop=True), plain.reset_index(drop=True))


def test_the_survival_fit_s_standard_errors_are_those_of_a_minimum_distance_estimator():
    from dataclasses import dataclass

    @dataclass
    class Linear:  # moments linear in two parameters; a third moves nothing
        def gaps(self, p: Params) -> dict[str, float]:
            return {
                "a": (p.formation_baseline + 8.0) / 0.5,  # slope 2 per unit
                "b": (p.w_common_threat - 40.0) / 10.0,  # slope 0.1 per unit
                "c": 0.0 * p.beaten_half_life,
            }

    values = {"formation_baseline": -8.0, "w_common_threat": 40.0, "beaten_half_life": 5.0}
    errors = calibration.standard_errors(Linear(), lambda p: p, values, runs=4)
    assert errors["formation_baseline"] == pytest.approx(0.5 * np.sqrt(1.25))
    assert errors["w_common_threat"] == pytest.approx(10.0 * np.sqrt(1.25))
    assert errors["beaten_half_life"] == np.inf, "a parameter no moment moves is not identified"


def test_the_survival_fit_is_bounded_by_p5():
    """An alliance whose common threat is gone ends at even odds a year or sooner (P5): the
    criterion charges a fit that lets it linger, and nothing where the bound holds."""

    class Flat:
        def distance(self, _cohort: object) -> float:
            return 1.0

    criterion = calibration.survival_criterion(Flat(), lambda p: p)  # type: ignore[arg-type]
    holds = Params().replace(dissolution_baseline=-8.0, w_threat_gone=8.5)
    lingers = Params().replace(dissolution_baseline=-8.0, w_threat_gone=7.5)
    assert calibration.p5_violation(holds) == 0.0 and criterion(holds) == 1.0
    assert calibration.p5_violation(lingers) == pytest.approx(0.5)
    assert criterion(lingers) == pytest.approx(1.0 + (0.5 / calibration.P5_SCALE) ** 2)
    # the defaults, fitted under the bound, keep it (within the criterion's scale)
    assert calibration.p5_violation(Params()) < calibration.P5_SCALE
