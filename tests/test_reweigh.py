"""Weighing kept runs again gives the very tables a full replication under the new weights gives.

Only the runs whose course moves are run again (:mod:`sim.results.reweigh`); the others keep
their rows with their P recomputed. A slider of the web view takes this road.
"""

from __future__ import annotations

import pandas as pd
import pytest

import sim
from sim.model.params import Params
from sim.results import reweigh
from sim.results.runs import replicate
from sim.scenario.loading import load

from conftest import SCENARIOS

RUNS = 40
CHANGES = [
    {"w_sites": 7.5},  # a stake: can change who is asked as well as who fights
    {"w_adversary": 0.5, "baseline": -0.5},
    {"w_distance": 3.0, "supply_margin": 2.5},
    {"w_buffer": 0.0, "w_border_threat": 3.0, "w_rival_gain": 6.0},
]


@pytest.fixture(scope="module")
def cases() -> dict[str, reweigh.Kept]:
    folder = SCENARIOS / "counterfactuals"
    scenarios = {
        "karabakh": load(
            SCENARIOS / "karabakh_2020.yaml", [folder / "karabakh_attack_on_armenia.yaml"]
        ),
        "balkans": load(SCENARIOS / "balkan_league_1912.yaml"),
    }
    return {k: reweigh.replicate_kept(s, Params(), seed=3, runs=RUNS) for k, s in scenarios.items()}


def _equal(a: sim.RunSet, b: sim.RunSet) -> None:
    for name in ("decisions", "alliances", "states", "system", "outcomes"):
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name), check_exact=True)


def test_kept_runs_are_the_replications(cases):
    kept = cases["karabakh"]
    _equal(kept.runset, replicate(kept.runset.scenario, Params(), seed=3, runs=RUNS))


@pytest.mark.parametrize("name", ["karabakh", "balkans"])
@pytest.mark.parametrize("change", CHANGES, ids=[",".join(c) for c in CHANGES])
def test_weighing_again_equals_replicating_afresh(cases, name, change):
    kept = cases[name]
    params = Params().replace(**change)
    again = reweigh.reweighed(kept, params)
    assert again is not None
    _equal(again.runset, replicate(kept.runset.scenario, params, seed=3, runs=RUNS))


def test_only_the_runs_whose_course_moves_are_run_again(cases, runs_made):
    kept = cases["balkans"]
    made = runs_made
    reweigh.reweighed(kept, Params().replace(w_treaty=0.41))
    assert len(made) < RUNS // 2  # a small change moves few runs
    reweigh.reweighed(kept, Params().replace(baseline=-4.0))
    assert len(made) > RUNS // 2  # a large one moves many


def test_any_other_change_is_replicated_afresh(cases):
    assert reweigh.reweighed(cases["karabakh"], Params().replace(technology=0.5)) is None


def test_random_changes_of_every_weight_equal_replicating_afresh():
    """Weights drawn at random over their ranges, in a war that asks each period (Lebanon)."""
    import numpy as np

    from sim.model.params import specs

    rng = np.random.default_rng(11)
    scenario = load(SCENARIOS / "lebanon_1958.yaml")
    kept = reweigh.replicate_kept(scenario, Params(), seed=5, runs=20)
    ranges = {s.name: (s.low, s.high) for s in specs() if s.name in reweigh.WEIGHTS}
    for _ in range(4):
        names = rng.choice(sorted(ranges), size=3, replace=False)
        change = {n: float(rng.uniform(*ranges[n])) for n in names}
        params = Params().replace(**change)
        again = reweigh.reweighed(kept, params)
        assert again is not None
        _equal(again.runset, replicate(scenario, params, seed=5, runs=20))
        kept = again  # weighed again from the last result, as a slider moves on


def test_a_stake_weight_that_asks_another_state_runs_again_what_it_moves(tmp_path):
    """Other's stake in the theatre falls short of the floor at the essay's weight, not at 10."""
    from synthetic import write

    path = write(tmp_path, {"territories": {"PAR": {"value_to": {"OTH": 0.2}}}})
    scenario = load(path)
    kept = reweigh.replicate_kept(scenario, Params(), seed=2, runs=10)
    assert "OTH" not in set(kept.runset.decisions["guarantor"])
    params = Params().replace(w_theatre_value=10.0)
    again = reweigh.reweighed(kept, params)
    assert again is not None and "OTH" in set(again.runset.decisions["guarantor"])
    _equal(again.runset, replicate(scenario, params, seed=2, runs=10))


def test_a_state_asked_from_both_sides_of_a_war_in_one_period_is_run_again():
    """Which side it takes turns on the order of its P: the run is counted as moved."""
    from sim.model.decide import FACTOR_NAMES, weighed

    row = {f"value_{n}": 0.0 for n in FACTOR_NAMES}
    row |= {"value_baseline": 1.0, "run": 0, "period": 1, "war": "w", "guarantor": "G"}
    row |= {"draw": 0.1, "fought": True, "supplied": False, "p_honour": 0.7, "p_supply": 0.1}
    both = pd.DataFrame([{**row, "side": "defender"}, {**row, "side": "attacker", "run": 0}])
    one = pd.DataFrame([{**row, "side": "defender"}, {**row, "side": "defender"}])
    params = Params().replace(baseline=1.0)  # every call drawn to fight, as recorded
    assert reweigh._moved_runs(both, weighed(reweigh._values(both), params)) == {0}
    assert reweigh._moved_runs(one, weighed(reweigh._values(one), params)) == set()
