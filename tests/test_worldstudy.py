"""Studies of the open world: the back-test's, survival's and reliability's figures as metrics.

A point runs the open world with one parameter set; its figures are the ones the commands
print, named by their place in the JSON (``backtest.pre1945.brier``). The same study gives
the same table on one process, two, and a Dask cluster.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest

from sim.analysis import sensitivity, tuning, worldstudy
from sim.errors import InputError
from sim.history import worldrun
from sim.model.params import Params

from conftest import cli

SPAN = (1816, 1870)
"""A short span that still holds scored wars (1859, 1864, 1866), so the tests stay quick."""


def _target(sections: tuple[str, ...] = ("backtest",)) -> worldstudy.WorldTarget:
    return worldstudy.WorldTarget(*SPAN, {}, 1, 5, sections)


def test_flatten_names_every_number_by_its_place():
    report = {"pre1945": {"brier": 0.2, "n": 3, "bins": [{"n": 1}], "ok": True, "gone": None}}
    assert worldstudy.flatten(report, "backtest") == {
        "backtest.pre1945.brier": 0.2,
        "backtest.pre1945.n": 3.0,
        "backtest.pre1945.bins.0.n": 1.0,
        "backtest.pre1945.ok": 1.0,
        "backtest.pre1945.gone": pytest.approx(math.nan, nan_ok=True),
    }


def test_a_metric_is_checked_before_any_point_runs():
    assert worldstudy.check_metric("backtest.pre1945.brier") == ("backtest",)
    assert worldstudy.check_metric("survival.pre1945.median") == ("survival",)
    assert worldstudy.check_metric("reliability.simulated.pre1945.leeds.pooled") == ("reliability",)
    for bad in ("brier", "backtest", "backtest.1816.brier", "scorecard.pre1945.brier"):
        with pytest.raises(InputError, match=r"SECTION\.ERA\.FIGURE"):
            worldstudy.check_metric(bad)


def test_a_point_records_the_figures_the_commands_report():
    """Each section is what ``world``/``backtest`` compute for the same run and seed."""
    target = _target(("backtest", "reliability", "survival"))
    job = tuning.Job(0, {"w_sites": 2.0})
    record = target.evaluate(job)
    params = Params().replace(w_sites=2.0)
    result = worldrun.run(worldstudy._world(*SPAN), params, tuning.point_seed(5, 0), 1)
    summary = worldrun.summary(result)
    for section in ("backtest", "reliability"):
        expected = worldstudy.flatten(summary[section], section)
        assert expected  # the section has figures to compare
        found = {k: record[k] for k in expected}
        np.testing.assert_equal(found, expected)
    assert record["w_sites"] == 2.0 and record["point"] == 0
    assert record["survival.pre1945.median"] > 0  # the simulated median duration, years


def test_the_same_world_study_on_one_process_two_and_a_dask_cluster(tmp_path):
    """A Sobol design at tiny N: identical points whatever runs them (seeded by index)."""
    from distributed import Client, LocalCluster

    design = sensitivity.design("sobol", ["w_sites", "w_distance"], 1, 7, second_order=True)
    assert len(design.jobs) == sensitivity.design_size("sobol", 2, 1, True) == 6
    tables = []
    for name, workers in (("one", 1), ("two", 2)):
        store = tuning.PointStore(tmp_path / name, "key")
        with tuning.executor_for(workers, None) as executor:
            tables.append(tuning.sweep(executor, _target(), design.jobs, store))
    with (
        LocalCluster(n_workers=2, threads_per_worker=1, processes=True) as cluster,
        Client(cluster) as client,
    ):
        store = tuning.PointStore(tmp_path / "dask", "key")
        tables.append(tuning.sweep(client.get_executor(), _target(), design.jobs, store))
    pd.testing.assert_frame_equal(tables[0], tables[1])
    pd.testing.assert_frame_equal(tables[0], tables[2])
    brier = tables[0].sort_values("point")["backtest.pre1945.brier"].to_numpy()
    assert np.isfinite(brier).all() and len(set(brier.round(12))) > 1  # parameters move it
    indices = sensitivity.analyse(design, brier, 7)
    assert {"S1", "ST", "S2:w_sites", "S2:w_distance"} <= set(indices.columns)


def test_sensitivity_world_on_the_command_line(tmp_path):
    out = tmp_path / "study"
    args = ["sensitivity", "world", "--vary", "w_sites,w_distance", "--samples", "1"]
    args += ["--years", f"{SPAN[0]}:{SPAN[1]}", "--out", str(out), "--json"]
    done = cli(*args, "--metric", "backtest.pre1945.brier")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["metric"] == "backtest.pre1945.brier"
    assert set(report["indices"]) == {"w_sites", "w_distance"}
    again = cli(*args, "--metric", "backtest.pre1945.brier")  # resumes: every point is kept
    assert json.loads(again.stdout)["indices"] == report["indices"]


@pytest.mark.parametrize(
    ("extra", "says"),
    [
        (["--metric", "backtest.1900.brier"], "SECTION.ERA.FIGURE"),
        (["--overlay", "karabakh_attack_on_armenia"], "no overlay with world"),
        (["--years", "1900:1850"], "FIRST no later than LAST"),
    ],
)
def test_bad_input_to_a_world_study_is_one_line(tmp_path, extra, says):
    done = cli("sweep", "world", "--param", "w_sites=0:1:2", "--out", str(tmp_path / "s"), *extra)
    assert done.returncode == 2 and says in done.stderr and "Traceback" not in done.stderr


def test_years_are_refused_for_a_scenario(tmp_path):
    done = cli(
        "sweep", "karabakh_2020", "--param", "w_sites=0:1:2", "--years", "1816:1900",
        "--out", str(tmp_path / "s"),
    )  # fmt: skip
    assert done.returncode == 2 and "only the open world has years" in done.stderr


def test_a_world_metric_is_labelled_by_its_name():
    from sim.plots.studies import metric_label

    assert metric_label("survival.pre1945.median") == "survival pre1945 median"
    assert metric_label("p_honour:war:RUS:ARM") == "P(honour): RUS for ARM (war)"
