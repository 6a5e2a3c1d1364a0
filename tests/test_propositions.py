"""The essay's propositions, each shown under default parameters and broken by switching
off (or reversing) the mechanism behind it. Issue 3 covers P1-P5 and P8 with its two cases;
the remaining propositions come with their scenarios."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.model import AllianceModel
from sim.params import Params
from sim.runs import replicate, replication_rngs
from sim.scenario import load
from sim.world import build

from conftest import SCENARIOS, decision, runs_of

ATTACK = "karabakh_attack_on_armenia"
NO_BASE = "karabakh_attack_on_armenia_no_base"


def p_russia(*overlays: str, **changes: float) -> float:
    return float(
        decision(runs_of("karabakh_2020", *overlays, runs=60, **changes), "RUS")["p_honour"].mean()
    )


def test_P1_no_true_allies_a_treaty_alone_does_not_make_a_nuclear_power_fight():
    # the treaties cover the attack on Armenia proper, yet without a base of its own at risk
    # Russia does not fight...
    assert p_russia(NO_BASE) < 0.2
    # ...unless treaty text weighed as much as a vital interest
    assert p_russia(NO_BASE, w_treaty=6.0) > 0.5


def test_P2_the_exception_is_its_own_vital_interest_through_geography():
    with_base, without = p_russia(ATTACK), p_russia(NO_BASE)
    assert with_base > 0.5 > 0.2 > without
    # switch off the weight of sites, and the base no longer makes the difference
    assert abs(p_russia(ATTACK, w_sites=0.0) - p_russia(NO_BASE, w_sites=0.0)) < 0.05


def _with_loyalty(tmp_path: Path, loyalty: float) -> Path:
    overlay = tmp_path / f"loyalty_{loyalty}.yaml"
    overlay.write_text(
        f"title: loyalty\nsummary: ARM's loyalty set to {loyalty}\napplies_to: karabakh_2020\n"
        f"set:\n  states:\n    ARM:\n      loyalty: {loyalty}\n  events:\n    offensive_2020:\n"
        "      theatre: ARM\n      scale: 1.0\n"
    )
    return overlay


def _p_with_loyalty(tmp_path: Path, loyalty: float, **changes: float) -> float:
    scenario = load(SCENARIOS / "karabakh_2020.yaml", [_with_loyalty(tmp_path, loyalty)])
    rs = replicate(scenario, Params().replace(**changes), seed=7, runs=60)
    return float(decision(rs, "RUS")["p_honour"].mean())


def test_P3_loyalty_moves_the_patron_only_a_little(tmp_path):
    shift = _p_with_loyalty(tmp_path, 1.0) - _p_with_loyalty(tmp_path, 0.0)
    assert 0 < shift < 0.1
    # were loyalty weighed like a stake, the same change would swing the decision
    big = _p_with_loyalty(tmp_path, 1.0, w_loyalty=6.0) - _p_with_loyalty(
        tmp_path, 0.0, w_loyalty=6.0
    )
    assert big > 0.3


P4_WORLD = """
title: "Two equal powers under one threat, one of them nuclear"
summary: "A synthetic test world for P4."
period: year
start: 2000
end: 2002
states:
  AAA:
    {name: Nuclear, power: 0.05, nuclear: true, capital: {city: a, lat: 50, lng: 40}, source: s}
  BBB: {name: Conventional, power: 0.05, capital: {city: b, lat: 50, lng: 20}, source: synthetic}
  CCC: {name: Threat, power: 0.10, capital: {city: c, lat: 50, lng: 30}, source: synthetic}
territories:
  T: {name: t, owner: CCC, lat: 50, lng: 30, source: synthetic}
relations:
  - {between: [AAA, CCC], value: -1, source: synthetic}
  - {between: [BBB, CCC], value: -1, source: synthetic}
"""


def _demand(tmp_path: Path, **changes: float) -> dict[str, float]:
    path = tmp_path / "p4.yaml"
    path.write_text(P4_WORLD)
    world = build(load(path))
    model = AllianceModel(world, Params().replace(**changes), rng=replication_rngs(0, 1)[0])
    model.step()
    return {a.state_id: a.demand_for_allies for a in model.agents}


def test_P4_a_nuclear_power_needs_allies_less_than_an_equal_conventional_one(tmp_path):
    demand = _demand(tmp_path)
    assert demand["AAA"] < 0.2 * demand["BBB"]
    # if nuclear arms neither deterred nor weighed, the two equal states would need allies equally
    same = _demand(tmp_path, nuclear_deterrence=0.0, nuclear_bonus=0.0)
    assert same["AAA"] == pytest.approx(same["BBB"], rel=0.05)


def _coalition_survives(**changes: float) -> float:
    rs = runs_of("wwii_coalition_1942_1948", runs=60, **changes)
    a = rs.alliances
    return float((~a[a["alliance"] == "grand_alliance"]["ended"]).mean())


def test_P5_an_alliance_of_equals_ends_when_the_common_enemy_is_beaten():
    assert _coalition_survives() < 0.05
    # if neither the enemy's defeat nor the shifted balance counted, it would hold
    assert _coalition_survives(w_threat_gone=0.0, w_balance_shift=0.0) > 0.85


def test_P8_a_junior_partner_gets_support_only_where_its_region_serves_the_patron():
    in_karabakh, on_armenia = p_russia(), p_russia(ATTACK)
    assert in_karabakh < 0.1 and on_armenia > 0.5
    # if the patron's base counted as fully exposed wherever its partner fights, the
    # region's context would no longer matter as much: support in Karabakh rises sharply
    assert p_russia(site_spillover=1.0, w_sites=15.0) > 5 * in_karabakh
