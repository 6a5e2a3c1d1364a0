"""Support short of war (issue 32, item 5): a call's three outcomes, fight, supply or stay out.

The kernel's outcomes are ordered on one log-odds: P(fight) is its logistic, as before;
P(fight or supply) the logistic of it plus ``supply_margin``. A state that supplies becomes a
supplier of its partner's side, and its power counts (by ``supply_share``) in later calls.
History may code ``supplied``; the scorecard scores it where it does.
"""

from __future__ import annotations

import numpy as np
import pytest

from sim.analysis import scorecard, summary
from sim.errors import ScenarioError
from sim.model.alliance_model import AllianceModel
from sim.model.calls import Call, one_supplied_side
from sim.model.decide import FACTOR_NAMES
from sim.model.params import Params
from sim.model.war import War
from sim.model.world import build
from sim.results.runs import replication_rngs
from sim.scenario.loading import load

from synthetic import of, runs, write

EACH = {"events": {"attack": {"calls": "every_period"}}}
BACKED = {
    **EACH,
    "commitments": {
        "adv_pact": {
            "name": "a pact of the adversary's",
            "kind": "defence_pact",
            "members": ["OTH", "ADV"],
            "source": "synthetic",
        }
    },
}
"""OTH is bound to the adversary, and is asked for it each period of the war."""
SUPPLYING = {"baseline": -3.0, "supply_margin": 4.0, "end_on_violation": 0.0}
"""GRT seldom fights for PAR, and mostly supplies it."""


def test_the_three_outcomes_add_up_and_supplying_leaves_p_fight_as_it_was(tmp_path):
    path = write(tmp_path)
    wide = of(runs(path, 20, supply_margin=2.0).decisions)
    none = of(runs(path, 20, supply_margin=0.0).decisions)
    assert np.array_equal(wide["p_honour"], none["p_honour"])
    assert np.array_equal(wide["fought"], none["fought"]), "the same draws decide fighting"
    total = wide["p_honour"] + wide["p_supply"] + wide["p_stay_out"]
    assert np.allclose(total, 1.0) and (wide["p_supply"] > 0.05).all()
    logit = wide[[f"contrib_{f}" for f in FACTOR_NAMES]].sum(axis=1)
    assert np.allclose(wide["p_stay_out"], 1.0 - 1.0 / (1.0 + np.exp(-(logit + 2.0))))
    assert (none["p_supply"] == 0.0).all() and not none["supplied"].any()
    assert wide["supplied"].any() and not (wide["supplied"] & wide["fought"]).any()


def test_a_state_that_supplies_strengthens_its_partners_side_in_later_calls(tmp_path):
    path = write(tmp_path, BACKED)
    d = runs(path, 60, **SUPPLYING).decisions
    first = of(d).query("period == 1").set_index("run")
    oth = of(d, "OTH", "ADV").set_index(["run", "period"])["value_adversary_strength"]
    asked = oth.unstack().dropna()  # OTH stayed out or supplied: asked again in March
    grew = asked[2] > asked[1] + 1e-9
    supplied = first.loc[asked.index, "supplied"]
    out = ~supplied & ~first.loc[asked.index, "fought"]
    assert supplied.sum() > 10 and out.sum() > 3
    assert grew[supplied].all(), "GRT's arms strengthen PAR against OTH's ally"
    assert not grew[out].any()
    calm = runs(path, 60, **{**SUPPLYING, "supply_margin": 0.0}).decisions
    fought = of(calm).query("period == 1").set_index("run")["fought"]
    flat = of(calm, "OTH", "ADV").set_index(["run", "period"])["value_adversary_strength"]
    flat = flat.unstack().dropna()
    stayed = ~fought[flat.index]
    assert stayed.sum() > 30 and (flat[2] == flat[1])[stayed].all(), "no one supplies"


def test_a_supplier_is_entered_on_its_partners_side_once(tmp_path):
    world, params = build(load(write(tmp_path, BACKED))), Params().replace(**SUPPLYING)
    for seed in range(6):
        model = AllianceModel(world, params, rng=replication_rngs(seed, 1)[0])
        model.run_for(4)
        war, d = model.wars["attack"], of(model.decisions.table())
        grt = world.index("GRT")
        assert (grt in war.defender_suppliers) == bool(d["supplied"].any())
        assert war.defender_suppliers.count(grt) <= 1 and grt not in war.suppliers


def _call(war: War, side: int, guarantor: int) -> Call:
    return Call(war.fronts()[1 - side], guarantor, False, 0.0, 0, None)


class _Scores:
    def __init__(self, p_honour: list[float], p_support: list[float]) -> None:
        self.p_honour, self.p_support = np.array(p_honour), np.array(p_support)


def test_a_state_supplies_one_side_of_a_war_at_most_and_never_the_side_it_fights():
    war = War("w", 0, 1, 0, 1.0, [])
    called = [_call(war, 1, 5), _call(war, 0, 5), _call(war, 1, 6), _call(war, 0, 6)]
    drawn = np.array([True, True, True, True])
    fights = np.array([False, False, True, False])
    scores = _Scores([0.1, 0.1, 0.5, 0.1], [0.4, 0.6, 0.9, 0.3])
    kept = one_supplied_side(called, drawn, fights, scores)
    assert kept.tolist() == [False, True, False, False]


def test_the_scorecard_scores_supplied_where_history_codes_it(tmp_path):
    coded = {
        "guarantor": "GRT",
        "partner": "PAR",
        "adversary": "ADV",
        "theatre": "PAR",
        "outcome": "violated",
        "fought": False,
        "supplied": True,
        "note": "arms, not troops",
        "source": "synthetic",
    }
    path = write(tmp_path, {"history": {"summary": "s", "decisions": [coded]}})
    rs = runs(path, 40, supply_margin=3.0)
    cases = scorecard.cases_of(rs)
    assert [c.what for c in cases] == [
        "GRT fights for PAR against ADV in PAR",
        "GRT supplies PAR against ADV in PAR without fighting",
    ]
    supply = cases[1]
    assert supply.history == 1 and supply.p_model == summary.p_supplied(of(rs.decisions))
    assert supply.p_model > 0.2 and "history: supplied" in supply.detail
    none = scorecard.cases_of(runs(path, 40, supply_margin=0.0))[1]
    assert none.p_model == 0.0 and not none.right


def test_validate_refuses_supplied_beside_fought(tmp_path, main):
    coded = {
        "guarantor": "GRT",
        "partner": "PAR",
        "adversary": "ADV",
        "theatre": "PAR",
        "outcome": "honoured",
        "fought": True,
        "supplied": True,
        "note": "n",
        "source": "s",
    }
    path = write(tmp_path, {"history": {"summary": "s", "decisions": [coded]}})
    with pytest.raises(ScenarioError) as caught:
        load(path)
    assert caught.value.path == "history.decisions[0].supplied" and caught.value.line
    assert "support short of war" in str(caught.value)
    code, _, err = main("validate", str(path))
    assert code == 2 and "history.decisions[0].supplied" in err and "Traceback" not in err
    coded["supplied"] = False
    load(write(tmp_path, {"history": {"summary": "s", "decisions": [coded]}}))


def test_run_prints_the_three_outcomes_and_explain_the_supply_margin(main):
    code, out, _ = main("run", "karabakh_2020", "--runs", "20")
    assert code == 0
    header = next(line for line in out.splitlines() if line.startswith("decision "))
    assert "P(fight)" in header and "P(supply)" in header and "P(stay out)" in header
    code, out, _ = main("explain", "karabakh_2020", "1", "--runs", "20")
    assert code == 0 and "P(supply) = " in out and "P(stay out) = " in out
    assert "supply_margin +1.00" in out
