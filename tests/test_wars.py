"""Who is at war, and when (issue 18, items 6 and 9).

Wars already running when a scenario starts; a war that asks its bound states again each
period, so that a late joiner's decision is recorded when it comes; several attackers and
theatres in one war; backers that fight apart from suppliers that do not; events before or
after the period's decisions.
"""

from __future__ import annotations

import numpy as np

from sim.analysis import scorecard, summary
from sim.model.alliance_model import AllianceModel
from sim.model.params import Params
from sim.model.world import build
from sim.results.runs import replication_rngs
from sim.scenario.loading import load

from synthetic import decisions, of, runs, write
from test_terms import ALWAYS, NEVER

RUNNING = {"events": {"attack": {"at": "1999-10-01", "running": True}}}
EACH = {"events": {"attack": {"calls": "every_period"}}}


def model_of(path, periods: int = 0, **params: float) -> AllianceModel:
    """Return a model of a scenario file, run for ``periods``."""
    world, changed = build(load(path)), Params().replace(**params)
    model = AllianceModel(world, changed, rng=replication_rngs(0, 1)[0])
    if periods:
        model.run_for(periods)
    return model


def test_a_running_war_has_its_sides_at_war_before_the_first_period(tmp_path):
    model = model_of(write(tmp_path, RUNNING))
    w = model.world
    assert model.at_war()[w.index("ADV"), w.index("PAR")]
    assert not model_of(write(tmp_path)).at_war().any()


def test_a_running_war_that_asks_once_asked_before_the_start(tmp_path):
    assert decisions(write(tmp_path, RUNNING), 2).empty
    asking = {"events": {"attack": {**RUNNING["events"]["attack"], "calls": "every_period"}}}
    rows = of(decisions(write(tmp_path, asking), 2, **NEVER))
    assert sorted(set(rows["period"])) == [0, 1, 2, 3, 4, 5]


def test_a_war_that_asks_each_period_asks_until_the_guarantor_fights(tmp_path):
    path = write(tmp_path, EACH)
    staying_out = of(decisions(path, 2, **NEVER))
    assert sorted(set(staying_out["period"])) == [1, 2, 3, 4, 5]
    fighting = of(decisions(path, 2, **ALWAYS))
    assert fighting["period"].tolist() == [1, 1], "one who fights is in the war: not asked again"
    once = of(decisions(write(tmp_path), 2, **NEVER))
    assert once["period"].tolist() == [1, 1]


def test_a_late_joiners_decision_is_recorded_when_its_commitment_comes(tmp_path):
    late = {**EACH, "commitments": {"pact": {"since": "2000-04-01"}}}
    rows = of(decisions(write(tmp_path, late), 2, **NEVER))
    assert rows["period"].min() == 3 and rows["date"].iloc[0] == "2000-04"


def test_the_scorecard_scores_fighting_by_a_date_over_the_periods_asked(tmp_path):
    path = write(tmp_path, EACH)
    # a pact left unhonoured in February is still there to be honoured in March; the partner
    # loses an army in April, and the guarantor reads the war afresh
    lost = {"kind": "power", "at": "2000-04-01", "state": "PAR", "factor": 0.9, "source": "s"}
    path = write(tmp_path, {**EACH, "events": {**EACH["events"], "lost": lost}})
    rs = runs(path, 200, w_buffer=0.0, end_on_violation=0.0)
    rows = of(rs.decisions)
    by_march = rows[rows["period"] <= 2]
    p_march, p_june = summary.p_fought(by_march), summary.p_fought(rows)
    assert 0.0 < p_march < p_june < 1.0
    assert p_march == by_march.groupby("run")["fought"].any().mean()
    first = rows[rows["period"] == 1]
    assert p_march == first["fought"].mean(), "asked again unchanged, it decides as it did"
    assert summary.p_fought(rows[rows["period"] == 1].head(0)) == 0.0
    assert summary.decisions(rs)["p_honour"].iloc[0] == p_june
    cases = scorecard.cases_of(rs)
    assert cases == [], "a synthetic scenario has no history to score"


def test_several_attackers_and_theatres_call_the_guarantor_for_each_front(tmp_path):
    fronts = {"events": {"attack": {"fronts": [{"attacker": "ALY", "theatre": "FAR"}]}}}
    d = of(decisions(write(tmp_path, fronts), 2))
    assert sorted(set(zip(d["adversary"], d["theatre"], strict=True))) == [
        ("ADV", "PAR"),
        ("ALY", "FAR"),
    ]
    alone = of(decisions(write(tmp_path), 2))["value_adversary_strength"].iloc[0]
    together = d[d["adversary"] == "ADV"]["value_adversary_strength"].iloc[0]
    assert together > alone, "the other attacker fights beside the adversary"
    model = model_of(write(tmp_path, fronts), 2)
    w = model.world
    assert model.at_war()[w.index("ALY"), w.index("PAR")]


def test_backers_fight_and_suppliers_only_supply(tmp_path):
    war = {"events": {"attack": {"backers": ["ALY"], "suppliers": ["OTH"]}}}
    model = model_of(write(tmp_path, war), 2, **NEVER)
    front = model.wars["attack"].fronts()[0]
    called = model.summons._called(front)
    calls = model.summons._calls(called)
    w = model.world
    assert calls.backers[0, w.index("ALY")] and not calls.backers[0, w.index("OTH")]
    assert calls.suppliers[0, w.index("OTH")] and not calls.suppliers[0, w.index("ALY")]
    at_war = model.at_war()
    assert not at_war[w.index("OTH")].any(), "a supplier is at war with no one"


def test_a_state_joins_a_war_to_fight_or_to_supply(tmp_path):
    joins = {
        "events": {
            "fights": {
                "kind": "join_war",
                "at": "2000-03-01",
                "war": "attack",
                "state": "ALY",
                "side": "attacker",
                "theatre": "FAR",
                "source": "synthetic",
            },
            "supplies": {
                "kind": "join_war",
                "at": "2000-03-01",
                "war": "attack",
                "state": "OTH",
                "side": "attacker",
                "role": "supplying",
                "source": "synthetic",
            },
        }
    }
    model = model_of(write(tmp_path, joins), 3)
    war, w = model.wars["attack"], model.world
    assert w.index("ALY") in war.camp(0) and w.index("OTH") in war.suppliers
    assert model.at_war()[w.index("ALY"), w.index("PAR")]
    assert not model.at_war()[w.index("OTH")].any()
    assert (w.index("ALY"), w.index("PAR"), w.territory_ids.index("FAR"), False) in (
        war.fronts_opened
    )


def test_an_event_after_the_decisions_does_not_weigh_on_them(tmp_path):
    friendship = {
        "kind": "relation",
        "at": "2000-02-01",
        "between": ["GRT", "ADV"],
        "value": 0.9,
        "source": "synthetic",
    }
    before = of(decisions(write(tmp_path, {"events": {"friends": friendship}}), 2))
    assert np.allclose(before["value_relations_with_adversary"], 0.9)
    later = {"events": {"friends": {**friendship, "timing": "after_decisions"}}}
    path = write(tmp_path, later)
    after = of(decisions(path, 2))
    assert np.allclose(after["value_relations_with_adversary"], 0.0)
    model = model_of(path, 2)
    assert model.relations[model.world.index("GRT"), model.world.index("ADV")] == 0.9


def test_a_state_at_war_with_the_partner_is_not_asked_to_fight_for_it(tmp_path):
    feud = {
        "kind": "war",
        "at": "1999-11-01",
        "running": True,
        "attacker": "GRT",
        "defender": "PAR",
        "theatre": "PAR",
        "source": "synthetic",
    }
    assert of(decisions(write(tmp_path, {"events": {"feud": feud}}), 2)).empty
    assert not of(decisions(write(tmp_path), 2)).empty


def test_a_war_begun_after_the_decisions_is_first_asked_the_next_period(tmp_path):
    later = {"events": {"attack": {"timing": "after_decisions"}}}
    rows = of(decisions(write(tmp_path, later), 2, **NEVER))
    assert rows["period"].tolist() == [2, 2], (
        "begun in February after its decisions: asked in March"
    )
    model = model_of(write(tmp_path, later), 2)
    w = model.world
    assert model.at_war()[w.index("ADV"), w.index("PAR")], "at war from February all the same"
