"""Rolling-origin forecasts read nothing of the decade they forecast, or of any later one."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from sim.history import fitting, recordsituation, rolling
from sim.model.params import Params


def _synthetic(n_per_decade: int = 30, seed: int = 0) -> rolling.Cases:
    """Cases 1860-2009 whose outcome follows one factor (the buffer) and noise."""
    rng = np.random.default_rng(seed)
    years = np.repeat(np.arange(1860, 2010, 10), n_per_decade) + rng.integers(
        0, 10, 15 * n_per_decade
    )
    k = len(fitting.FITTED)
    x = rng.normal(0.0, 0.3, (len(years), k))
    x[:, fitting.FITTED.index("baseline")] = 1.0
    stake = fitting.FITTED.index("w_buffer")
    x[:, stake] = rng.uniform(0, 1, len(years))
    y = rng.uniform(size=len(years)) < 1 / (1 + np.exp(-(6 * x[:, stake] - 3)))
    events = np.array([f"e{i // 3}" for i in range(len(years))])
    design = fitting.Design(x, y, events)
    covariates = rng.normal(size=(len(years), 5))
    return rolling.Cases(design, covariates, rng.normal(size=len(years)), years)


@pytest.fixture(scope="module")
def forecast() -> tuple[rolling.Cases, dict[str, np.ndarray]]:
    cases = _synthetic()
    return cases, rolling.rolling(cases)


def test_a_decade_is_forecast_by_a_fit_on_the_decades_before_it_only(forecast):
    cases, before = forecast
    late = cases.year >= 1990
    flipped = fitting.Design(
        cases.design.x, np.where(late, ~cases.design.y, cases.design.y), cases.design.wars
    )
    after = rolling.rolling(rolling.Cases(flipped, cases.covariates, cases.distance, cases.year))
    early = cases.year < 1990
    for name in before:
        assert np.allclose(before[name][early], after[name][early], equal_nan=True), name
    assert not np.allclose(before["model"][cases.year >= 2000], after["model"][cases.year >= 2000])
    assert np.isnan(before["model"][cases.year < rolling.FIRST_DECADE]).all()


def test_a_factor_that_decides_the_outcome_beats_the_base_rate_out_of_sample(forecast):
    cases, p = forecast
    report = rolling.report(cases, p)
    for era in rolling.ERAS:
        entry = report[era]
        assert entry["auc"] > entry["references"]["base_rate"]["auc"] + 0.1
        assert entry["brier"] < entry["references"]["base_rate"]["brier"]
        assert entry["auc_interval"][0] <= entry["auc"] <= entry["auc_interval"][1]


def test_the_records_situation_reads_the_morning_of_its_day():
    day = dt.date(1914, 8, 3)
    s = recordsituation.situation_on(day, Params())
    at = {c: i for i, c in enumerate(recordsituation.codes())}
    fra, ger, rus, aus = at[220], at[255], at[365], at[300]
    assert s.at_war[ger, rus] and s.at_war[aus, rus], "at war since 1 August"
    assert not s.at_war[ger, fra], "Germany declared war on France on the 3rd: not yet"
    assert s.defence_partners[rus, fra] and s.defence_partners[fra, rus], (
        "the Franco-Russian alliance"
    )
    assert s.relations[ger, rus] < -0.5 and s.power[ger] > s.power[fra] > 0
    alive = recordsituation.members_on(dt.date(1948, 5, 15))
    assert alive[at[666]] and not recordsituation.members_on(dt.date(1948, 5, 14))[at[666]]


def test_cases_a_day_apart_are_scored_in_their_own_mornings():
    table = pd.DataFrame(
        {
            "war": [1, 1], "attack": [1, 2], "guarantor": ["FRN", "FRN"], "partner": ["RUS", "RUS"],
            "day": ["1914-08-01", "1914-08-04"], "guarantor_code": [220, 220],
            "partner_code": [365, 365], "adversary_code": [255, 255], "co_attacker_codes": ["", ""],
            "conditions": ["met", "met"], "obligation": ["defence", "defence"], "members": [2, 2],
        }
    )  # fmt: skip
    scored = recordsituation.score_cases(table, Params())
    own_war = scored["value_own_war"].to_numpy()
    assert own_war[0] == pytest.approx(0.0) and own_war[1] > 0.0, (
        "France at war with Germany by the 4th"
    )


def test_the_second_label_scores_a_disputes_any_militarized_joining_and_a_wars_fought():
    """``--label joined``: a dispute's case is scored by ``joined``, a war's keeps its label."""
    from sim.history.forecasting import labelled

    table = pd.DataFrame(
        {
            "source": ["dispute", "dispute", "war", "war"],
            "honoured": [False, True, True, False],
            "joined": [True, True, np.nan, np.nan],
        }
    )
    assert labelled(table, "honoured")["honoured"].tolist() == [False, True, True, False]
    assert labelled(table, "joined")["honoured"].tolist() == [True, True, True, False]


def test_a_label_without_a_scale_or_in_a_trial_is_refused(main):
    """``--label`` goes with ``--scale`` and never into a trial, whose rule was fixed on one."""
    code, _, err = main("backtest", "--label", "joined")
    assert code == 2 and "add --scale" in err
    code, _, err = main("backtest", "--trial", "--scale", "both", "--label", "joined")
    assert code == 2 and "fixed on the honoured label" in err
