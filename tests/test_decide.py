"""The vectorised kernel gives the same probabilities as a plain per-pair implementation."""

from __future__ import annotations

import numpy as np
import pytest

from sim.decide import FACTOR_NAMES, FACTORS, score, signed_weights
from sim.params import Params

from oracle import oracle, random_world


@pytest.mark.parametrize("seed", range(20))
def test_kernel_matches_the_plain_oracle(seed):
    rng = np.random.default_rng(seed)
    calls, situation = random_world(rng)
    params = Params().replace(technology=situation.technology)
    noise = rng.normal(0, 0.3, len(calls))
    scores = score(calls, situation, params, noise)
    np.testing.assert_allclose(scores.p_honour, oracle(calls, situation, params, noise), rtol=1e-10)


def test_contributions_are_value_times_signed_weight_and_sum_to_the_logit():
    rng = np.random.default_rng(1)
    calls, situation = random_world(rng)
    params = Params()
    scores = score(calls, situation, params, np.zeros(len(calls)))
    np.testing.assert_allclose(scores.contributions, scores.values * signed_weights(params))
    logit = np.log(scores.p_honour / (1 - scores.p_honour))
    np.testing.assert_allclose(scores.contributions.sum(axis=1), logit, rtol=1e-9, atol=1e-9)


def test_costs_push_against_and_stakes_towards():
    weights = dict(zip(FACTOR_NAMES, signed_weights(Params()), strict=True))
    for f in FACTORS:
        if f.group == "stake":
            assert weights[f.name] >= 0, f.name
        if f.group == "cost":
            assert weights[f.name] <= 0, f.name
