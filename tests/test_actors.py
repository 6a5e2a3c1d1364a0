"""Actors, places and per-pair figures (issue 18, items 7 and 8).

Non-state actors and states outside the COW system take part but form no alliances by the
model's rules; a site can serve under a mandate's flag; loyalty can be towards one patron
and not another; a territory can be worth something to a state that does not own it.
"""

from __future__ import annotations

import numpy as np

from sim.model.world import build
from sim.scenario.loading import load

from synthetic import decisions, of, runs, write


def test_non_state_actors_and_states_outside_the_system_form_no_alliances(scenario_copy):
    def formed(edit=lambda t: t) -> set[str]:
        # a floor the scenario's threats reach, whatever the calibrated defaults
        rs = runs(scenario_copy("sanctions", edit), 30, seed=11, formation_floor=0.08)
        a = rs.alliances
        return set() if a.empty else set(a.loc[a["origin"] == "formed", "members"])

    assert "IRQ;YUG" in formed(), "Iraq and Yugoslavia ally in the scenario as written"
    as_actor = formed(lambda t: t.replace("  YUG:\n", "  YUG:\n    actor: non_state\n"))
    assert not any("YUG" in m for m in as_actor)
    outside = formed(lambda t: t.replace("  IRQ:\n", "  IRQ:\n    in_system: false\n"))
    assert not any("IRQ" in m for m in outside)


def test_loyalty_towards_one_patron_and_not_another(tmp_path):
    three = {"commitments": {"pact": {"members": ["GRT", "OTH", "PAR"]}}}
    loyal = {**three, "states": {"PAR": {"loyalty": 0.0, "loyalty_to": {"GRT": 1.0}}}}
    d = decisions(write(tmp_path, loyal), 2)
    assert of(d, "GRT")["value_loyalty"].eq(1.0).all()
    assert of(d, "OTH")["value_loyalty"].eq(0.0).all()
    world = build(load(write(tmp_path, loyal)))
    assert world.loyalty.shape == (world.n, world.n)


def test_a_territorys_value_to_another_state_is_compiled(tmp_path):
    world = build(load(write(tmp_path, {"territories": {"PAR": {"value_to": {"GRT": 0.8}}}})))
    value_to = world.territory_value_to
    assert value_to.shape == (world.n, len(world.territory_ids))
    assert value_to[world.index("GRT"), world.territory_ids.index("PAR")] == 0.8
    assert np.count_nonzero(value_to) == 1


def test_the_suppliers_of_a_war_reach_the_kernels_calls(tmp_path):
    """Item 6's suppliers and item 8's value_to are the scenario's; the kernel reads them."""
    world = build(load(write(tmp_path, {"events": {"attack": {"suppliers": ["OTH"]}}})))
    assert world.events[1][0][1].suppliers == ["OTH"]


def test_a_theatre_worth_something_to_the_guarantor_raises_its_readiness(tmp_path):
    """Editing a territory's ``value_to`` moves the guarantor's decision (issue 16, item 1)."""
    worth = {"territories": {"PAR": {"value_to": {"GRT": 0.8}}}}
    plain, valued = (of(decisions(write(tmp_path, c), 2)) for c in ({}, worth))
    assert plain["value_theatre_value"].eq(0.0).all()
    assert valued["value_theatre_value"].gt(0.0).all()
    assert (valued["p_honour"].to_numpy() > plain["p_honour"].to_numpy()).all()
    off = of(decisions(write(tmp_path, worth), 2, w_theatre_value=0.0))
    assert np.allclose(off["p_honour"], plain["p_honour"])


def test_a_supplier_strengthens_the_adversary_but_does_not_fight(tmp_path):
    """A supplier adds ``supply_share`` of its power to the adversary (issue 16, item 3)."""
    supplied = {"events": {"attack": {"suppliers": ["OTH"]}}}
    fought = {"events": {"attack": {"backers": ["OTH"]}}}
    plain, by_supply, by_arms = (
        of(decisions(write(tmp_path, c), 2)) for c in ({}, supplied, fought)
    )
    strength = [d["value_adversary_strength"].to_numpy() for d in (plain, by_supply, by_arms)]
    assert (strength[0] < strength[1]).all() and (strength[1] < strength[2]).all()
    assert by_supply["value_great_power_clash"].eq(plain["value_great_power_clash"]).all()
    assert (by_arms["value_great_power_clash"] > plain["value_great_power_clash"]).all()
    off = of(decisions(write(tmp_path, supplied), 2, supply_share=0.0))
    assert np.allclose(off["value_adversary_strength"], strength[0])
