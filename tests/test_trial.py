"""A mechanism on trial is judged on 1870-1944 alone, and read from the record of its morning."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from sim.history import candidates, recordsituation, trial
from sim.model.decide import FACTORS
from sim.model.params import Params

SIGNED = [f for f in FACTORS if f.weight]


def _cases(seed: int = 0, per_decade: int = 40) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Cases 1850-1999 whose outcome follows a hidden stake, and two mechanisms on trial.

    ``hidden`` is that stake (signed +); ``noise`` carries nothing. The kernel's own factors are
    noise too, so only ``hidden`` can improve its forecasts.
    """
    rng = np.random.default_rng(seed)
    years = np.repeat(np.arange(1850, 2000, 10), per_decade) + rng.integers(0, 10, 15 * per_decade)
    table = pd.DataFrame({f"value_{f.name}": rng.uniform(0, 0.2, len(years)) for f in SIGNED})
    table["value_baseline"] = 1.0
    hidden = rng.uniform(0, 1, len(years))
    table["honoured"] = rng.uniform(size=len(years)) < 1 / (1 + np.exp(-(8 * hidden - 5)))
    table["year"] = years
    table["event"] = table["war"] = [f"e{i // 2}" for i in range(len(years))]
    values = pd.DataFrame({"hidden": hidden, "noise": rng.uniform(0, 1, len(years))})
    return table, values


@pytest.fixture(scope="module")
def judged() -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    table, values = _cases()
    return table, values, trial.judge(table, values)


def test_a_mechanism_that_carries_the_outcome_is_adopted_and_noise_is_not(judged):
    _, _, found = judged
    hidden, noise = found["mechanisms"]["hidden"], found["mechanisms"]["noise"]
    assert hidden["adopted"] and hidden["gain"]["log_loss"] < -0.01
    assert hidden["log_loss_gain_interval"][1] < 0.0
    assert not noise["adopted"]
    years = judged[0]["year"]
    assert found["kernel"]["n"] == int(((years >= 1870) & (years <= 1944)).sum())


def test_nothing_after_1944_can_move_a_verdict(judged):
    table, values, found = judged
    later = table["year"] >= 1945
    changed = table.copy()
    changed.loc[later, "honoured"] = ~changed.loc[later, "honoured"]
    changed.loc[later, "value_buffer"] = 9.0
    planted = values.copy()
    planted.loc[later, "noise"] = changed.loc[later, "honoured"].astype(float) * 5
    assert trial.judge(changed, planted) == found


def test_major_powers_count_from_the_day_after_their_spell_begins():
    usa = recordsituation.codes().index(2)
    assert not candidates.majors_on(dt.date(1898, 8, 13))[usa]
    assert candidates.majors_on(dt.date(1898, 8, 14))[usa]


def test_the_conquest_norm_counts_an_exit_from_the_day_after_it():
    index, _, last = recordsituation.membership()
    ended = dt.date.fromordinal(int(last[index == recordsituation.codes().index(245)].min()))
    assert candidates.conquest_rate(ended + dt.timedelta(days=1)) > candidates.conquest_rate(ended)


def _case(day: str, guarantor: int, partner: int, adversary: int, co: str = "") -> dict:
    return {
        "day": day,
        "guarantor_code": guarantor,
        "partner_code": partner,
        "adversary_code": adversary,
        "co_attacker_codes": co,
    }


def test_forces_are_tied_up_elsewhere_only_by_wars_with_other_states_begun_before():
    # 6 April 1941: the war list has Britain (200) at war with Germany (255), Italy (325) and
    # France (220). Against the three its forces are not elsewhere; against Bulgaria (355) they are.
    rows = [
        _case("1941-04-06", 200, 350, 255, "325;220"),
        _case("1941-04-06", 200, 350, 355),
        _case("1939-09-03", 200, 290, 255),  # the war with Germany begins that day: not yet
    ]
    found = candidates.values(pd.DataFrame(rows), Params())["forces_elsewhere"]
    assert found[0] == 0.0
    assert found[1] < -0.5
    assert found[2] == 0.0
