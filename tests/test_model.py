"""The model: reproducible runs, records that agree with the model's state, events that act."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from sim.model.alliance_model import AllianceModel
from sim.model.params import Params
from sim.model.world import Calendar, build
from sim.results.runs import replication_rngs
from sim.scenario.loading import load

from conftest import SCENARIOS, runs_of


def test_same_seed_same_results_other_seed_other_draws():
    a = runs_of("karabakh_2020", "karabakh_attack_on_armenia", runs=30, seed=11)
    b = runs_of("karabakh_2020", "karabakh_attack_on_armenia", runs=30, seed=11)
    c = runs_of("karabakh_2020", "karabakh_attack_on_armenia", runs=30, seed=12)
    pd.testing.assert_frame_equal(a.decisions, b.decisions)
    pd.testing.assert_frame_equal(a.alliances, b.alliances)
    pd.testing.assert_frame_equal(a.states, b.states)
    assert not np.allclose(a.decisions["p_honour"], c.decisions["p_honour"])


def test_a_replication_does_not_depend_on_the_others():
    """Run r draws the same numbers whether 5 or 50 runs are made."""
    few = runs_of("karabakh_2020", runs=5, seed=4)
    many = runs_of("karabakh_2020", runs=50, seed=4)
    pd.testing.assert_frame_equal(few.decisions, many.decisions[many.decisions["run"] < 5])


def test_a_replications_stream_is_the_seeds_child_made_alone():
    """Replication i draws from SeedSequence(seed).spawn's i-th child, wherever its chunk."""
    spawned = np.random.SeedSequence(11).spawn(30)
    alone = replication_rngs(11, 30, 25)
    assert len(alone) == 5
    for rng, child in zip(alone, spawned[25:], strict=True):
        assert rng.random(4).tolist() == np.random.default_rng(child).random(4).tolist()


def test_agents_are_mesa_agents_with_figures_from_the_model():
    world = build(load(SCENARIOS / "karabakh_2020.yaml"))
    model = AllianceModel(world, Params(), rng=replication_rngs(0, 1)[0])
    model.step()
    rus = next(a for a in model.agents if a.state_id == "RUS")
    assert rus.nuclear and rus.power == world.power[0, world.index("RUS")]
    assert rus.effective_power == rus.power * (1 + Params().nuclear_bonus)
    assert len(model.agents) == world.n


def test_alliance_records_agree_with_the_book_at_the_end():
    world = build(load(SCENARIOS / "wwii_coalition_1942_1948.yaml"))
    model = AllianceModel(world, Params(), rng=replication_rngs(5, 1)[0])
    model.run()
    rows = {r["alliance"]: r for r in model.alliance_rows()}
    for row, alliance in enumerate(model.book.ids):
        if alliance in rows:
            assert rows[alliance]["ended"] == (model.book.ends[row] >= 0)
    assert model.period == world.calendar.n_periods - 1


def test_a_formed_alliance_records_its_shape_and_threat_when_it_forms():
    """Its capability ratio, patron and threat at the start are its members', not defaults."""
    world = build(load(SCENARIOS / "wwii_coalition_1942_1948.yaml"))
    formed = 0
    for rng in replication_rngs(3, 20):
        # a floor and a baseline at which the scenario's threats make alliances, whatever the
        # calibrated defaults
        forming = Params().replace(formation_floor=0.0, formation_baseline=-2.0)
        model = AllianceModel(world, forming, rng=rng)
        for _ in range(world.calendar.n_periods):
            known = len(model.book.ids)
            model.step()
            for row in range(known, len(model.book.ids)):
                inside = model.book.members[row]
                power = model.effective_power()[inside]
                assert model.book.ratio[row] == power.max() / power.min()
                assert model.book.threat_start[row] == model.demand[inside].mean()
                assert model.book.symmetric[row]  # formed as equals
                formed += 1
    assert formed >= 10


def test_defeat_cuts_power_and_ends_the_defeated_states_wars():
    world = build(load(SCENARIOS / "wwii_coalition_1942_1948.yaml"))
    model = AllianceModel(world, Params(), rng=replication_rngs(5, 1)[0])
    gmy = world.index("GMY")
    model.run_for(4)  # 1942..1945: the defeat fires in 1945
    assert model.power[gmy] == world.power[3, gmy] * Params().defeat_residual
    assert not model.at_war()[gmy].any()
    assert model.nuclear[world.index("USA")]


def test_calendar_periods_and_labels():
    months = Calendar(dt.date(2020, 9, 1), "month", 12)
    assert months.period_of(dt.date(2020, 11, 10)) == 2 and months.label(4) == "2021-01"
    quarters = Calendar(dt.date(1941, 1, 1), "quarter", 8)
    assert quarters.period_of(dt.date(1941, 12, 11)) == 3 and quarters.label(5) == "1942-Q2"
    assert Calendar(dt.date(1942, 1, 1), "year", 7).label(3) == "1945"


def test_power_series_is_carried_forward_where_the_data_stop():
    world = build(load(SCENARIOS / "wwii_coalition_1942_1948.yaml"))
    gmy = world.index("GMY")
    assert world.power[3, gmy] == world.power[6, gmy]  # 1945 figure carried to 1948


def test_a_crisis_calls_commitments_without_putting_anyone_at_war(scenario_copy):
    path = scenario_copy(
        "karabakh_2020", lambda t: t.replace("    kind: war\n", "    kind: crisis\n")
    )
    world = build(load(path))
    model = AllianceModel(world, Params(), rng=replication_rngs(1, 1)[0])
    model.step()
    assert set(model.decisions.table()["guarantor"]) == {"RUS", "BLR", "KZK", "KYR", "TAJ"}
    assert not model.at_war().any()


def test_agents_know_their_capital_borders_and_sites():
    world = build(load(SCENARIOS / "karabakh_2020.yaml"))
    model = AllianceModel(world, Params(), rng=replication_rngs(0, 1)[0])
    rus = next(a for a in model.agents if a.state_id == "RUS")
    assert rus.sites == ("gyumri_102",) and set(rus.borders) == {"AZE", "BLR", "KZK"}
    assert rus.capital == (55.625578, 37.606392)
    model.run_for(3)  # the ceasefire of November 2020 opens the peacekeepers' site
    assert rus.sites == ("gyumri_102", "rus_peacekeepers")


def test_a_state_no_treaty_binds_is_asked_when_its_interests_are_at_stake(tmp_path):
    """Russia's base stays, its treaties go: Russia is asked as an interested state (#16)."""
    from sim.model.params import Params
    from sim.results.runs import replicate
    from sim.scenario.loading import load

    from conftest import COUNTERFACTUALS, SCENARIOS

    untied = tmp_path / "untied.yaml"
    untied.write_text(
        "title: no treaty\nsummary: Russia's treaties with Armenia removed\n"
        "applies_to: karabakh_2020\n"
        "remove: [commitments.csto, commitments.rus_arm_1997, commitments.gyumri_basing]\n"
    )
    scenario = load(
        SCENARIOS / "karabakh_2020.yaml",
        [COUNTERFACTUALS / "karabakh_attack_on_armenia.yaml", untied],
    )
    runs = replicate(scenario, Params(), seed=3, runs=40)
    russia = runs.decisions[runs.decisions["guarantor"] == "RUS"]
    assert len(russia) == 40 and not russia["bound"].any()
    assert set(russia["outcome"]) <= {"intervened", "stayed_out"}
    assert (russia["outcome"] == "intervened").mean() > 0.5, "its base decides, not a text"
    deaf = replicate(scenario, Params().replace(interest_floor=10.0), seed=3, runs=5)
    asked = set(deaf.decisions["guarantor"]) if len(deaf.decisions) else set()
    assert "RUS" not in asked, "below the floor it is not asked"


def _synthetic(title: str, end: int) -> str:
    """The head of a synthetic world of 1900 to ``end`` whose first states are two equals."""
    return f"""
title: "{title}"
summary: "A synthetic world."
period: year
start: 1900
end: {end}
states:
  AAA: {{name: A, power: 0.05, capital: {{city: a, lat: 50, lng: 20}}, source: synthetic}}
  BBB: {{name: B, power: 0.05, capital: {{city: b, lat: 50, lng: 25}}, source: synthetic}}
"""


ALLIES_AT_WAR = (
    _synthetic("Two allies, one attacks the other", 1903)
    + """\
  CCC: {name: C, power: 0.05, capital: {city: c, lat: 50, lng: 30}, source: synthetic}
  DDD: {name: D, power: 0.30, capital: {city: d, lat: 52, lng: 25}, source: synthetic}
territories:
  TB: {name: b, owner: BBB, lat: 50, lng: 25, source: synthetic}
relations:
  - {between: [AAA, DDD], value: -1, source: "synthetic: the enemy that keeps the pacts alive"}
  - {between: [BBB, DDD], value: -1, source: synthetic}
  - {between: [CCC, DDD], value: -1, source: synthetic}
commitments:
  pact: {name: pact, kind: defence_pact, members: [AAA, BBB], covers: members, source: s}
  other: {name: other, kind: defence_pact, members: [AAA, CCC], covers: members, source: s}
events:
  attack: {kind: war, at: 1901, attacker: AAA, defender: BBB, theatre: TB, source: synthetic}
"""
)


def test_an_alliance_whose_members_fight_each_other_ends_violated(tmp_path):
    path = tmp_path / "allies_at_war.yaml"
    path.write_text(ALLIES_AT_WAR)
    from sim.results.runs import replicate

    no_new = Params().replace(w_common_threat=0.0, formation_baseline=-15.0)  # only these two
    a = replicate(load(path), no_new, seed=1, runs=10).alliances
    pact, other = a[a["alliance"] == "pact"], a[a["alliance"] == "other"]
    assert pact["ended"].all() and (pact["reason"] == "violated").all()
    assert (pact["end"] == "1901").all(), "it ends in the year the war begins"
    assert not (other["reason"] == "violated").any(), "an alliance between others is not touched"


def test_a_beaten_state_threatens_less_and_its_threat_comes_back():
    from sim.model import events
    from sim.scenario.schema import EndOfWarEvent

    world = build(load(SCENARIOS / "wwii_coalition_1942_1948.yaml"))
    model = AllianceModel(world, Params().replace(beaten_discount=0.5), rng=1)
    model.step()
    gmy, usa = world.index("GMY"), world.index("USA")
    war = next(eid for slot in world.events for eid, e in slot if e.kind == "war")
    end = EndOfWarEvent(
        kind="end_of_war", at=dt.date(1942, 6, 1), war=war, losers=["GMY"], source="test"
    )
    events.fire(model, "end", end)
    assert model.beaten[gmy] == 1.0 and model.beaten[usa] == 0.0
    from sim.model import formation

    o = model._opening(None, 1.0)
    hostile = np.ones((world.n, world.n))
    common = (o.power, hostile, o.relations, np.zeros_like(hostile, bool), o.nuclear)
    felt, _ = formation.pressure(*common, o.capital_km, model.params, 1.0, o.beaten)
    plain, _ = formation.pressure(*common, o.capital_km, model.params, 1.0)
    assert felt[usa, gmy] == pytest.approx(0.5 * plain[usa, gmy])
    assert felt[gmy, usa] == pytest.approx(plain[gmy, usa]), "only the beaten one's threat falls"
    model.step()
    half = Params().beaten_half_life
    assert model.beaten[gmy] == pytest.approx(0.5 ** (1 / half))


OUTGROWN = """
title: "Two equals allied, one outgrows the other"
summary: "A synthetic world: the balance between two partners shifts while their enemy stays."
period: year
start: 1900
end: 1910
states:
  AAA:
    name: A
    power: {1900: 0.05, 1901: 0.05, 1902: 0.5}
    capital: {city: a, lat: 50, lng: 20}
    source: synthetic
  BBB: {name: B, power: 0.05, capital: {city: b, lat: 50, lng: 25}, source: synthetic}
  DDD: {name: D, power: 0.30, capital: {city: d, lat: 52, lng: 23}, source: synthetic}
territories:
  TB: {name: b, owner: BBB, lat: 50, lng: 25, source: synthetic}
relations:
  - {between: [AAA, DDD], value: -1, source: "synthetic: the enemy that keeps the pact alive"}
  - {between: [BBB, DDD], value: -1, source: synthetic}
commitments:
  pact: {name: pact, kind: defence_pact, members: [AAA, BBB], covers: members, source: s}
"""

ENEMY_BEATEN = (
    _synthetic("Two allies whose common enemy is beaten", 1910)
    + """\
  DDD: {name: D, power: 0.10, capital: {city: d, lat: 52, lng: 23}, source: synthetic}
territories:
  TA: {name: a, owner: AAA, lat: 50, lng: 20, source: synthetic}
commitments:
  pact: {name: pact, kind: defence_pact, members: [AAA, BBB], covers: members, source: s}
events:
  attack: {kind: war, at: 1901, attacker: DDD, defender: AAA, theatre: TA, source: synthetic}
  peace: {kind: end_of_war, at: 1902, war: attack, losers: [DDD], source: synthetic}
"""
)

MECHANISM = Params().replace(
    w_common_threat=0.0,  # no new alliance: only the pact
    formation_baseline=-15.0,
    dissolution_baseline=-4.5,  # the dissolution mechanism's figures, held whatever the defaults
    formation_floor=0.08,
    threat_floor=0.08,
    threat_kept=1.0,
    latent_hostility=0.11,
    w_threat_gone=7.0,
    w_balance_shift=4.0,
    balance_tolerance=1.5,
    beaten_discount=0.8,
    beaten_half_life=5.0,
    equal_weight_ratio=6.0,
    end_on_violation=0.0,  # a partner left alone in the war does not end the pact here
)


def _pact_reasons(tmp_path, text: str, **changes: float) -> pd.Series:
    from sim.results.runs import replicate

    path = tmp_path / "world.yaml"
    path.write_text(text)
    a = replicate(load(path), MECHANISM.replace(**changes), seed=1, runs=30).alliances
    return a.loc[a["alliance"] == "pact", "reason"]


def test_an_alliance_ends_when_one_partner_outgrows_the_other(tmp_path):
    # the grown partner also fears the enemy less, so its threat's loss is switched off here
    reasons = _pact_reasons(tmp_path, OUTGROWN, w_threat_gone=0.0)
    assert (reasons == "balance_shifted").mean() > 0.8
    # if a shifted balance did not count either, the pact would hold
    held = _pact_reasons(tmp_path, OUTGROWN, w_threat_gone=0.0, w_balance_shift=0.0)
    assert (held == "censored").mean() > 0.7 and not (held == "balance_shifted").any()


def test_a_threats_loss_is_measured_against_the_threat_the_alliance_began_with():
    """One formed against a great threat loses its reason as that threat halves, while one
    formed against a small threat keeps it at the same level; a first sight pushes nothing."""
    from sim.model.formation import equals_terms, threat_reference

    params = Params().replace(threat_kept=1.0, threat_floor=0.08, w_threat_gone=7.0)
    now, then = np.array([0.3, 0.3, 0.3]), np.array([0.6, 0.25, np.nan])
    reference = threat_reference(then, now, params)
    threat, _ = equals_terms(now, reference, np.zeros(3), np.zeros(3), params)
    assert threat == pytest.approx([3.5, 0.0, 0.0])
    # measured against threat_floor alone (as before issue 17's second fit), both would hold
    flat = threat_reference(np.zeros(3), now, params.replace(threat_floor=0.3))
    assert equals_terms(now, flat, np.zeros(3), np.zeros(3), params)[0] == pytest.approx(0.0)
    # an alliance made with no common threat has no reason from the start
    none = threat_reference(np.array([0.0]), np.array([0.0]), params)
    assert equals_terms(np.zeros(1), none, np.zeros(1), np.zeros(1), params)[0] == 7.0


def test_the_model_records_the_threat_each_alliance_of_equals_began_with(tmp_path):
    from sim.model import assessment, formation

    path = tmp_path / "world.yaml"
    path.write_text(ENEMY_BEATEN)
    model = AllianceModel(build(load(path)), MECHANISM, rng=replication_rngs(1, 1)[0])
    pact = model.book.ids.index("pact")
    model.run_for(1)
    began = model.book.common_then[pact]
    assert began > 0.0, "the pact's first period in force records its common threat"
    model.run_for(3)  # the enemy is beaten in 1902: its threat falls, the record stays
    members = model.book.members[[pact]]
    felt = assessment.assess(model._opening(None, 1.0), MECHANISM).felt
    assert formation.common_threat(members, felt)[0][0] < began
    assert model.book.common_then[pact] == began


def test_an_alliance_ends_when_its_common_enemy_is_beaten(tmp_path):
    reasons = _pact_reasons(tmp_path, ENEMY_BEATEN)
    assert (reasons == "threat_gone").mean() > 0.6
    # if a beaten enemy threatened as much as before, the pact would mostly hold (P5)
    held = _pact_reasons(tmp_path, ENEMY_BEATEN, beaten_discount=0.0)
    assert (held == "threat_gone").mean() < 0.15 and (held == "censored").mean() > 0.6


TORN = (
    _synthetic("A state allied to both sides of a war", 1902)
    + """\
  CCC:
    {name: C, power: 0.05, capital: {city: c, lat: 50, lng: 22}, borders: [BBB], source: synthetic}
territories:
  TB: {name: b, owner: BBB, lat: 50, lng: 25, source: synthetic}
commitments:
  with_a: {name: with a, kind: defence_pact, members: [AAA, CCC], covers: members, source: s}
  with_b: {name: with b, kind: defence_pact, members: [BBB, CCC], covers: members, source: s}
events:
  attack: {kind: war, at: 1901, attacker: AAA, defender: BBB, theatre: TB, source: synthetic}
"""
)

KEPT = {"formation_baseline": -15.0, "dissolution_baseline": -10.0, "w_threat_gone": 0.0}
"""No alliance forms, none dissolves: the scenario's pacts stand when the war comes."""


def test_a_state_called_by_both_sides_of_a_war_fights_on_one_at_most(tmp_path):
    from sim.results.runs import replicate

    path = tmp_path / "torn.yaml"
    path.write_text(TORN)
    eager = Params().replace(baseline=3.0, w_treaty=5.0, **KEPT)
    runs = replicate(load(path), eager, seed=2, runs=10)
    c = runs.decisions[runs.decisions["guarantor"] == "CCC"]
    fought = c[c["fought"]].groupby("run")["partner"].nunique()
    assert (c.groupby("run").size() == 2).all(), "both sides ask it"
    assert (c["p_honour"] > 0.5).all(), "drawn alone, it would often fight for both"
    assert len(fought) >= 5 and (fought == 1).all(), "it fights on one side at most"


def test_a_state_signs_one_new_alliance_a_period_its_likeliest():
    from sim.model.bonds import one_at_a_time

    formed = np.zeros((5, 5), dtype=bool)
    formed[0, 1] = formed[0, 2] = formed[1, 2] = formed[3, 4] = True
    chance = np.full((5, 5), 0.5)
    chance[0, 2] = 0.9
    assert one_at_a_time(formed, chance) == [(0, 2), (3, 4)], "0 takes 2; 1 waits"
    assert one_at_a_time(formed, np.full((5, 5), 0.5)) == [(0, 1), (3, 4)], "a tie: the first"


CROWD = (
    _synthetic("Four small states and a great power hostile to all", 1902)
    + """\
  CCC: {name: C, power: 0.05, capital: {city: c, lat: 50, lng: 30}, source: synthetic}
  EEE: {name: E, power: 0.05, capital: {city: e, lat: 50, lng: 35}, source: synthetic}
  DDD: {name: D, power: 0.60, capital: {city: d, lat: 52, lng: 27}, source: synthetic}
territories:
  TA: {name: a, owner: AAA, lat: 50, lng: 20, source: synthetic}
relations:
  - {between: [AAA, DDD], value: -1, source: synthetic}
  - {between: [BBB, DDD], value: -1, source: synthetic}
  - {between: [CCC, DDD], value: -1, source: synthetic}
  - {between: [EEE, DDD], value: -1, source: synthetic}
"""
)


def _eager(tmp_path, text: str, **changes: float) -> AllianceModel:
    """A model of the world ``text`` whose states ally on any common threat, one year run."""
    path = tmp_path / "world.yaml"
    path.write_text(text)
    eager = Params().replace(formation_floor=0.0, formation_baseline=2.0, **changes)
    model = AllianceModel(build(load(path)), eager, rng=replication_rngs(4, 1)[0])
    model.step()
    return model


def _formed(model: AllianceModel) -> list[int]:
    """The book's rows of the alliances the model formed."""
    return [r for r, o in enumerate(model.book.origin) if o == "formed"]


def test_states_threatened_together_ally_in_pairs_not_all_at_once(tmp_path):
    model = _eager(tmp_path, CROWD)
    formed = _formed(model)
    per_state = model.book.members[formed].sum(axis=0)
    assert len(formed) == 2 and per_state.max() == 1, "two pairs the first year, not six"
    model.step()
    assert len(_formed(model)) >= 3, "the others follow in the years after"


def test_shortfall_is_the_log_of_the_enemy_over_the_pair_where_the_enemy_is_stronger():
    from sim.model.formation import shortfall

    power = np.array([0.05, 0.05, 0.45, 0.60])
    gap = shortfall(power, np.full((4, 4), 3))
    assert gap[0, 1] == pytest.approx(np.log(0.60 / 0.10)), "two weak states: far short"
    assert gap[0, 2] == pytest.approx(np.log(0.60 / 0.50)), "with a strong partner: close"
    assert shortfall(power, np.zeros((4, 4), dtype=np.int64))[2, 3] == 0.0, "stronger: none"


PATRON = (
    _synthetic("Two small states, a hostile great power and a great power it also threatens", 1902)
    + """\
  DDD: {name: D, power: 0.60, capital: {city: d, lat: 52, lng: 27}, source: synthetic}
  PPP: {name: P, power: 0.45, capital: {city: p, lat: 48, lng: 18}, source: synthetic}
territories:
  TA: {name: a, owner: AAA, lat: 50, lng: 20, source: synthetic}
relations:
  - {between: [AAA, DDD], value: -1, source: synthetic}
  - {between: [BBB, DDD], value: -1, source: synthetic}
  - {between: [PPP, DDD], value: -1, source: synthetic}
"""
)


@pytest.mark.parametrize("aggregation, partner", [(10.0, "PPP"), (0.0, "BBB")])
def test_a_small_state_under_a_great_threat_allies_with_strength_not_with_its_like(
    tmp_path, aggregation, partner
):
    # unequal pairs may ally, and a gentle slope of the common threat keeps the chances
    # from all rounding to 1
    model = _eager(
        tmp_path, PATRON, w_common_threat=10.0, equal_weight_ratio=50.0, w_aggregation=aggregation
    )
    ids = np.array(model.world.ids)
    members = {tuple(sorted(ids[model.book.members[r]])) for r in _formed(model)}
    assert members == {tuple(sorted(("AAA", partner)))}, members
