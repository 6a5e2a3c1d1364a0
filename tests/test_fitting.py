"""The kernel's weights fitted to history: the fit, its prior, its held-out scores, the CLI."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest

from sim.history import fitting
from sim.model.decide import FACTORS
from sim.model.params import Params

from conftest import cli

K = len(fitting.FITTED)


def _design(rng: np.random.Generator, truth: np.ndarray, n: int = 4000) -> fitting.Design:
    x = rng.uniform(0, 1, (n, K)) * np.array([1.0, *[f.sign for f in FACTORS if f.weight][1:]])
    x[:, 0] = 1.0
    y = rng.random(n) < 1 / (1 + np.exp(-(x @ truth)))
    return fitting.Design(x, y, np.repeat(np.arange(n // 40), 40))


def test_the_fit_recovers_the_weights_that_made_the_data():
    rng = np.random.default_rng(1)
    truth = fitting.weights_of(Params())
    truth[fitting.FITTED.index("w_buffer")] = 4.0  # not the prior's centre
    design = _design(rng, truth, n=20000)
    weak = fitting.Prior.of(sd=100.0, held=())
    found = fitting.fit(design, weak)
    assert abs(found[fitting.FITTED.index("w_buffer")] - 4.0) < 0.6
    assert np.allclose(found, truth, atol=0.8)


def test_a_weight_the_cases_cannot_inform_or_the_theory_holds_stays_at_the_essays_value():
    rng = np.random.default_rng(2)
    design = _design(rng, fitting.weights_of(Params()))
    sites = fitting.FITTED.index("w_sites")
    design.x[:, sites] = 0.0  # no case has sites at stake
    found = fitting.fit(design, fitting.Prior.of(sd=1.0))
    assert found[sites] == fitting.ESSAY["w_sites"]
    for name in fitting.HELD:
        assert found[fitting.FITTED.index(name)] == fitting.ESSAY[name]
    free = fitting.fit(design, fitting.Prior.of(sd=1.0, held=()))
    assert free[fitting.FITTED.index("w_treaty")] != fitting.ESSAY["w_treaty"]


def test_fitted_weights_keep_the_signs_the_propositions_require():
    rng = np.random.default_rng(3)
    truth = fitting.weights_of(Params())
    design = _design(rng, truth)
    flipped = dataclasses.replace(design, y=~design.y)  # data that want every sign reversed
    found = fitting.fit(flipped, fitting.Prior.of(sd=100.0, held=()))
    assert (found[1:] >= 0).all(), "a stake never lowers P(honour), a cost never raises it"


def test_held_out_probabilities_never_see_their_wars_labels():
    rng = np.random.default_rng(4)
    design = _design(rng, fitting.weights_of(Params()), n=800)
    prior = fitting.Prior.of(sd=1.0)
    before = fitting.cross_validated(design, prior)
    war = design.wars == design.wars[0]
    flipped = dataclasses.replace(design, y=np.where(war, ~design.y, design.y))
    after = fitting.cross_validated(flipped, prior)
    assert np.allclose(before[war], after[war])
    assert not np.allclose(before[~war], after[~war])


def test_the_bootstrap_interval_holds_the_fit():
    rng = np.random.default_rng(5)
    design = _design(rng, fitting.weights_of(Params()), n=800)
    prior = fitting.Prior.of(sd=1.0)
    found = fitting.fit(design, prior)
    interval = fitting.bootstrap(design, prior, runs=40)
    assert ((interval[:, 0] <= found + 1e-9) & (found <= interval[:, 1] + 1e-9)).all()


def test_the_spread_is_chosen_by_held_out_log_loss_and_zero_keeps_the_essay():
    rng = np.random.default_rng(6)
    truth = fitting.weights_of(Params())
    truth[fitting.FITTED.index("w_buffer")] = 9.0  # far from the essay's 3
    chosen, losses = fitting.choose_spread(_design(rng, truth, n=1200))
    assert set(losses) == set(fitting.SPREADS) and chosen > 0.0
    assert losses[chosen] == min(losses.values())
    design = _design(rng, truth, n=200)
    assert np.array_equal(fitting.fit(design, fitting.Prior.of(sd=0.0)), fitting.Prior.of().mean)


def test_tune_mle_fits_1816_1944_and_writes_what_run_reads(tmp_path):
    out = tmp_path / "fitted.yaml"
    args = ("tune", "--target", "backtest", "--method", "mle", "--runs", "1", "--out", str(out))
    result = cli(*args, "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert set(report["fitted"]) == set(fitting.FITTED)
    assert report["scores"]["fitted_cross_validated"]["auc"] > 0.5
    assert set(report["out_of_sample"]) == {"defaults", "fitted"}
    run = cli("run", "karabakh_2020", "--runs", "5", "--params", str(out))
    assert run.returncode == 0, run.stderr
    wrong = cli("tune", "--target", "scenarios", "--method", "mle")
    assert wrong.returncode == 2 and "backtest" in wrong.stderr


@pytest.mark.parametrize("name", ["w_partner_danger", "w_adversary_near"])
def test_the_new_stakes_are_declared_weights_of_the_kernel(name):
    assert name in fitting.FITTED
    assert any(f.weight == name and f.group == "stake" for f in FACTORS)
