"""Invariants over random worlds (hypothesis): probabilities, monotonicity, records."""

from __future__ import annotations

import dataclasses

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.synthetic import synthetic
from sim.model.alliance_model import AllianceModel
from sim.model.decide import FACTOR_NAMES, score
from sim.model.params import Params
from sim.model.world import build
from sim.results.runs import replication_rngs

from oracle import random_world

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
worlds = st.builds(
    lambda seed, n, k: random_world(np.random.default_rng(seed), n=n, k=k),
    st.integers(0, 2**32 - 1),
    st.integers(4, 30),
    st.integers(1, 25),
)
noises = st.integers(0, 2**32 - 1).map(lambda s: np.random.default_rng(s).normal(0, 0.3, 25))


def p_of(calls, situation, noise, params=None):
    return score(calls, situation, params or Params(), noise[: len(calls)]).p_honour


@SETTINGS
@given(worlds, noises)
def test_every_probability_lies_in_0_1(world, noise):
    calls, situation = world
    p = p_of(calls, situation, noise)
    assert np.all((p >= 0) & (p <= 1)) and np.all(np.isfinite(p))


@SETTINGS
@given(worlds, noises, st.floats(0.0, 4.0))
def test_the_three_outcomes_are_probabilities_that_add_up_and_fighting_ignores_the_margin(
    world, noise, margin
):
    calls, situation = world
    params = Params().replace(supply_margin=margin)
    s = score(calls, situation, params, noise[: len(calls)])
    assert np.all(s.p_supply >= -1e-12) and np.all(s.p_stay_out >= 0)
    assert np.allclose(s.p_honour + s.p_supply + s.p_stay_out, 1.0)
    assert np.array_equal(s.p_honour, p_of(calls, situation, noise))


@SETTINGS
@given(worlds, noises, st.floats(1.01, 3.0))
def test_a_larger_stake_never_lowers_p_honour(world, noise, factor):
    calls, situation = world
    richer = dataclasses.replace(situation, site_value=np.clip(situation.site_value * factor, 0, 1))
    assert np.all(p_of(calls, richer, noise) >= p_of(calls, situation, noise) - 1e-12)


@SETTINGS
@given(worlds, noises, st.floats(1.01, 10.0))
def test_a_stronger_adversary_is_a_greater_cost_and_a_greater_danger_to_the_partner(
    world, noise, factor
):
    """A stronger attacker is a greater cost and a greater danger to the partner (#16).

    With the partner's danger weighed at zero, a stronger adversary never raises P(honour):
    its strength then counts only as a cost.
    """
    calls, situation = world
    a = int(calls.adversary[0])
    power = situation.power.copy()
    power[a] *= factor
    stronger = dataclasses.replace(situation, power=power)
    # only the calls against that adversary, where it is neither guarantor nor partner
    mask = (calls.adversary == a) & (calls.guarantor != a) & (calls.partner != a)
    cost_only = Params().replace(w_partner_danger=0.0)
    before, after = (
        p_of(calls, situation, noise, cost_only),
        p_of(calls, stronger, noise, cost_only),
    )
    assert np.all(after[mask] <= before[mask] + 1e-12)
    names = list(FACTOR_NAMES)
    old = score(calls, situation, Params(), noise[: len(calls)]).values[mask]
    new = score(calls, stronger, Params(), noise[: len(calls)]).values[mask]
    for grows in ("adversary_strength", "partner_danger"):
        assert np.all(new[:, names.index(grows)] >= old[:, names.index(grows)] - 1e-12)


@SETTINGS
@given(worlds, noises)
def test_a_nuclear_backer_never_raises_p_honour(world, noise):
    calls, situation = world
    k = 0
    backers = np.flatnonzero(calls.backers[k])
    if backers.size == 0:
        return
    nuclear = situation.nuclear.copy()
    nuclear[backers] = True
    armed = dataclasses.replace(situation, nuclear=nuclear)
    involved = np.isin(calls.guarantor, backers) | np.isin(calls.partner, backers)
    before, after = p_of(calls, situation, noise), p_of(calls, armed, noise)
    assert np.all(after[~involved] <= before[~involved] + 1e-12)


@SETTINGS
@given(worlds, noises, st.floats(1.01, 5.0))
def test_greater_distance_never_raises_p_honour(world, noise, factor):
    calls, situation = world
    farther = dataclasses.replace(situation, theatre_km=situation.theatre_km * factor)
    assert np.all(p_of(calls, farther, noise) <= p_of(calls, situation, noise) + 1e-12)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(5, 40), st.integers(0, 10_000), st.integers(0, 10_000))
def test_records_agree_with_membership_at_every_period(n, world_seed, run_seed):
    world = build(synthetic(n, periods=6, seed=world_seed))
    model = AllianceModel(world, Params(), rng=replication_rngs(run_seed, 1)[0])
    in_force = []
    for _ in range(world.calendar.n_periods):
        model.step()
        in_force.append(set(np.array(model.book.ids)[model.book.alliances(model.period)]))
    records = model.alliance_rows()
    for t, alive in enumerate(in_force):
        recorded = {r["alliance"] for r in records if r["start_period"] <= t < r["end_period"]}
        assert recorded == alive, t
    for r in records:
        members = r["members"].split(";")
        assert len(members) == len(set(members)) >= 2  # no state allies with itself
    book = model.book
    for row in np.flatnonzero(book.symmetric & (book.origin_array() == "formed")):
        # an alliance of equals binds every member to every other, from start to end
        assert np.array_equal(book.members[row], book.guarantors[row])
    assert len(model.states_record.table()) == n * world.calendar.n_periods


@given(st.integers(2, 9), st.integers(0, 10_000), st.floats(0.0, 0.5))
def test_the_common_enemy_search_is_the_plain_definition(n, seed, floor):
    """For each eligible pair: the outsider maximising the lesser felt threat, if at the floor."""
    from sim.model.formation import _common_threats

    rng = np.random.default_rng(seed)
    felt = np.where(rng.random((n, n)) < 0.6, rng.random((n, n)).round(1), 0.0)
    np.fill_diagonal(felt, 0.0)
    among = rng.random((n, n)) < 0.7
    among = among & among.T & ~np.eye(n, dtype=bool)
    common, enemy = _common_threats(felt, floor, among)
    for i in range(n):
        for j in range(n):
            best, who = 0.0, 0
            for x in range(n):
                both = min(felt[i, x], felt[j, x])
                if among[i, j] and both >= max(floor, 1e-300) and both > best:
                    best, who = both, x
            assert common[i, j] == best and enemy[i, j] == who


@SETTINGS
@given(worlds, noises, st.integers(0, 2**32 - 1))
def test_a_supplier_adds_strength_but_brings_neither_its_bombs_nor_a_clash(world, noise, seed):
    """A state that only supplies the adversary adds to its strength (#16, item 3).

    Its nuclear arms and its weight in a great-power clash count only when it fights; with
    ``supply_share`` at zero, supplying changes nothing.
    """
    calls, situation = world
    rng = np.random.default_rng(seed)
    supplying = dataclasses.replace(calls, suppliers=rng.random(calls.suppliers.shape) < 0.5)
    bare = dataclasses.replace(calls, suppliers=np.zeros_like(calls.suppliers))
    names = list(FACTOR_NAMES)
    old, new = (score(c, situation, Params(), noise[: len(c)]).values for c in (bare, supplying))
    assert np.all(
        new[:, names.index("adversary_strength")]
        >= old[:, names.index("adversary_strength")] - 1e-12
    )
    for unmoved in ("nuclear_risk", "great_power_clash"):
        assert np.array_equal(new[:, names.index(unmoved)], old[:, names.index(unmoved)])
    off = Params().replace(supply_share=0.0)
    assert np.allclose(p_of(supplying, situation, noise, off), p_of(bare, situation, noise, off))


def test_a_supplier_that_counts_makes_the_adversary_stronger():
    """The supplier term is not vacuous: a strong supplier raises the adversary's strength."""
    calls, situation = random_world(np.random.default_rng(7), n=8, k=6)
    calls = dataclasses.replace(calls, backers=np.zeros_like(calls.backers))
    suppliers = np.zeros_like(calls.suppliers)
    for k in range(len(calls)):
        others = set(range(8)) - {
            int(calls.guarantor[k]),
            int(calls.partner[k]),
            int(calls.adversary[k]),
        }
        suppliers[k, min(others)] = True
    names = list(FACTOR_NAMES)
    bare = dataclasses.replace(calls, suppliers=np.zeros_like(suppliers))
    supplied = dataclasses.replace(calls, suppliers=suppliers)
    old, new = (score(c, situation, Params(), np.zeros(len(c))).values for c in (bare, supplied))
    assert np.all(
        new[:, names.index("adversary_strength")] > old[:, names.index("adversary_strength")]
    )


@SETTINGS
@given(worlds, noises, st.floats(0.05, 1.0))
def test_a_theatre_worth_more_to_the_guarantor_never_lowers_p_honour(world, noise, value):
    """A territory's ``value_to`` the guarantor is a stake (#16, item 1): never a cost."""
    calls, situation = world
    worth = situation.territory_value_to.copy()
    worth[calls.guarantor, calls.theatre] = np.maximum(worth[calls.guarantor, calls.theatre], value)
    richer = dataclasses.replace(situation, territory_value_to=worth)
    assert np.all(p_of(calls, richer, noise) >= p_of(calls, situation, noise) - 1e-12)
    off = Params().replace(w_theatre_value=0.0)
    assert np.allclose(p_of(calls, richer, noise, off), p_of(calls, situation, noise, off))
