"""The vectorised kernel gives the same probabilities as a plain per-pair implementation."""

from __future__ import annotations

import numpy as np
import pytest

from sim.model.decide import FACTOR_NAMES, FACTORS, score, signed_weights
from sim.model.params import Params

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


def test_an_adversary_on_the_border_moves_a_conventional_guarantor_not_a_nuclear_one():
    import dataclasses

    calls, s = random_world(np.random.default_rng(3), n=8, territories=8, sites=0, k=4)
    g, a = calls.guarantor, calls.adversary
    apart, touching = s.borders.copy(), s.borders.copy()
    apart[g, a] = apart[a, g] = False
    touching[g, a] = touching[a, g] = True
    at = FACTOR_NAMES.index("border_threat")

    def p(borders, nuclear) -> np.ndarray:
        world = dataclasses.replace(s, borders=borders, near=borders, nuclear=nuclear)
        return score(calls, world, Params(), np.zeros(len(calls))).p_honour

    none, every = np.zeros(len(s.power), bool), np.ones(len(s.power), bool)
    assert (p(touching, none) > p(apart, none)).all()
    gain_conventional = p(touching, none) - p(apart, none)
    gain_nuclear = p(touching, every) - p(apart, every)
    assert (gain_nuclear < gain_conventional).all(), "the bomb removes most of the threat (P4)"
    off = Params().replace(w_border_threat=0.0)
    flat = dataclasses.replace(s, borders=touching, near=touching, nuclear=none)
    assert (score(calls, flat, off, np.zeros(len(calls))).contributions[:, at] == 0).all()


def test_a_pacts_text_is_thinned_by_its_other_guarantors():
    from sim.model.decide import diluted

    one = np.array([1.0])
    params = Params()
    assert diluted(one, np.array([1.0]), params)[0] == 1.0, "a bilateral pact binds fully"
    wide = diluted(one, np.array([19.0]), params)[0]
    assert wide < diluted(one, np.array([3.0]), params)[0] < 1.0
    assert diluted(one, np.array([19.0]), params.replace(text_dilution=0.0))[0] == 1.0


def test_reach_lowers_the_cost_of_distance_for_a_stronger_guarantor():
    import dataclasses

    calls, s = random_world(np.random.default_rng(8), n=10, k=6)
    at = FACTOR_NAMES.index("distance")
    weak, strong = s.power.copy(), s.power.copy()
    weak[calls.guarantor] = 0.001
    strong[calls.guarantor] = 0.5

    def cost(power, params):
        world = dataclasses.replace(s, power=power)
        return score(calls, world, params, np.zeros(len(calls))).values[:, at]

    assert (cost(strong, Params()) < cost(weak, Params())).all()
    flat = Params().replace(reach_discount=0.0)
    assert np.allclose(cost(strong, flat), cost(weak, flat))
