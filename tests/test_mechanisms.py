"""Which mechanisms carry over: each factor alone, and the model without it, by era."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from sim.history import mechanisms
from sim.model.decide import FACTOR_NAMES


def _cases(rng: np.random.Generator, year: int, n: int) -> pd.DataFrame:
    """Cases whose outcome follows the buffer stake; distance is noise; loyalty constant."""
    buffer = rng.random(n)
    honoured = rng.random(n) < buffer
    frame = {name: np.zeros(n) for f in FACTOR_NAMES for name in (f"value_{f}", f"contrib_{f}")}
    frame.update(
        value_buffer=buffer,
        contrib_buffer=4.0 * buffer,
        value_distance=rng.random(n),
        contrib_distance=-0.5 * rng.random(n),
        value_loyalty=np.full(n, 0.5),
        contrib_loyalty=np.full(n, 0.15),
        contrib_baseline=np.full(n, -2.0),
    )
    table = pd.DataFrame(frame)
    logits = table[[f"contrib_{f}" for f in FACTOR_NAMES]].sum(axis=1)
    return table.assign(
        year=year, scored=True, honoured=honoured, p_model=1 / (1 + np.exp(-logits))
    )


def test_a_factor_that_decides_in_both_eras_carries_over_and_noise_does_not():
    rng = np.random.default_rng(1)
    cases = pd.concat([_cases(rng, 1900, 400), _cases(rng, 1980, 400)], ignore_index=True)
    found = mechanisms.report(cases)
    buffer, distance = found["factors"]["buffer"], found["factors"]["distance"]
    assert buffer["pre1945"]["auc_alone"] > 0.7 and buffer["post1945"]["auc_alone"] > 0.7
    assert buffer["ranks_both_eras"] and buffer["helps_after_1945"]
    model_auc = found["model"]["post1945"]["auc"]
    assert buffer["post1945"]["without"]["auc"] < model_auc - 0.1
    assert abs(distance["post1945"]["auc_alone"] - 0.5) < 0.1
    loyalty = found["factors"]["loyalty"]
    assert math.isnan(loyalty["pre1945"]["auc_alone"]) and not loyalty["ranks_both_eras"]
    assert "baseline" not in found["factors"] and "perception" not in found["factors"]


def test_unscored_cases_are_left_out():
    rng = np.random.default_rng(2)
    cases = pd.concat([_cases(rng, 1900, 200), _cases(rng, 1980, 200)], ignore_index=True)
    flipped = cases.assign(scored=cases.index % 2 == 0)
    flipped.loc[~flipped["scored"], "honoured"] = ~flipped.loc[~flipped["scored"], "honoured"]
    kept = cases[flipped["scored"]]
    assert mechanisms.report(flipped) == mechanisms.report(kept)
