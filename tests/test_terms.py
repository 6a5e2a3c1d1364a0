"""Each term of a commitment changes who is called, and whether a call is covered, as it says.

Every test sets the same war beside a commitment whose terms cover it and one whose terms do
not (issue 18, items 1-5): against whom, on which conditions, of which kind, with which
members' reservations and dates, and whether the partner invoked it.
"""

from __future__ import annotations

import pytest

from sim.model.alliance_model import AllianceModel
from sim.model.params import Params
from sim.model.world import build
from sim.results.runs import replication_rngs
from sim.scenario.loading import load

from synthetic import decisions, of, runs, write

PACT = "pact"
ALWAYS = {"baseline": 3.0, "w_buffer": 10.0, "w_adversary": 0.0, "perception_noise": 0.0}
NEVER = {
    "baseline": -5.0,
    "w_buffer": 0.0,
    "w_sites": 0.0,
    "w_border_threat": 0.0,
    "w_adversary": 10.0,
    "perception_noise": 0.0,
    "end_on_violation": 0.0,
}


def covered(tmp_path, changes, guarantor="GRT", partner="PAR") -> bool:
    """Whether the guarantor's calls for the partner are covered (the same in every run)."""
    rows = of(decisions(write(tmp_path, changes), 2), guarantor, partner)
    assert len(rows) and rows["covered"].nunique() == 1
    return bool(rows["covered"].iloc[0])


def term(**fields) -> dict:
    return {"commitments": {PACT: fields}}


# --- 1. against whom, and on which conditions --------------------------------------------


def test_against_a_named_state_covers_only_that_states_attack(tmp_path):
    assert covered(tmp_path, term(against=["ADV"]))
    assert not covered(tmp_path, term(against=["OTH"]))


def test_against_a_described_group_covers_its_members_attacks(tmp_path):
    groups = {"bloc": {"name": "the bloc", "members": ["ADV", "ALY"], "source": "synthetic"}}
    assert covered(tmp_path, {"groups": groups, **term(against={"groups": ["bloc"]})})
    groups["bloc"]["members"] = ["ALY"]
    assert not covered(tmp_path, {"groups": groups, **term(against={"groups": ["bloc"]})})


def test_against_the_allies_of_a_state_covers_an_attack_by_its_ally(tmp_path):
    alliance = {
        "adv_oth": {
            "name": "ADV and OTH",
            "kind": "defence_pact",
            "members": ["ADV", "OTH"],
            "source": "synthetic",
        }
    }
    against = term(against={"states": ["OTH"], "allies_of": ["OTH"]})
    assert not covered(tmp_path, against)
    assert covered(tmp_path, {**against, "commitments": {**against["commitments"], **alliance}})


def test_unprovoked_covers_an_attack_the_partner_did_not_provoke(tmp_path):
    unprovoked = term(conditions={"unprovoked": True})
    assert covered(tmp_path, unprovoked)
    provoked = {**unprovoked, "events": {"attack": {"provoked": True}}}
    assert not covered(tmp_path, provoked)
    assert covered(tmp_path, {"events": {"attack": {"provoked": True}}})  # no condition


def test_two_attackers_needed_covers_only_a_coalition(tmp_path):
    two = term(conditions={"attackers_at_least": 2})
    assert not covered(tmp_path, two)
    backed = {**two, "events": {"attack": {"backers": ["ALY"]}}}
    assert covered(tmp_path, backed)
    supplied = {**two, "events": {"attack": {"suppliers": ["ALY"]}}}  # a supplier does not attack
    assert not covered(tmp_path, supplied)


def test_an_area_covers_only_theatres_inside_it(tmp_path):
    north = term(conditions={"area": {"name": "north of the equator", "south": 0.0}})
    assert covered(tmp_path, north)
    assert not covered(tmp_path, {**north, "events": {"attack": {"theatre": "FAR"}}})


def test_a_commitment_for_one_war_is_not_called_by_another(tmp_path):
    assert covered(tmp_path, term(conditions={"war": "attack"}))
    other = {
        "kind": "crisis",
        "at": "2000-01-05",
        "attacker": "OTH",
        "defender": "ALY",
        "theatre": "OTH",
        "source": "synthetic",
    }
    assert not covered(tmp_path, {"events": {"other": other}, **term(conditions={"war": "other"})})


# --- 2. kinds: guarantee, declaration, offence pact, neutrality, non-aggression, mandate ---


GUARANTEE = {
    "name": "guarantee",
    "kind": "guarantee",
    "members": ["GRT", "OTH", "PAR"],
    "guarantors": ["GRT", "OTH"],
    "source": "synthetic",
}
ON_GRT = {"events": {"attack": {"defender": "GRT", "theatre": "GRT"}}}


def test_a_guarantee_binds_its_guarantors_to_the_guaranteed_not_to_each_other(tmp_path):
    d = decisions(write(tmp_path, {"commitments": {PACT: GUARANTEE}}), 2)
    assert set(d["guarantor"]) == {"GRT", "OTH"} and set(d["partner"]) == {"PAR"}
    assert d["covered"].all()
    on_grt = decisions(write(tmp_path, {"commitments": {PACT: GUARANTEE}, **ON_GRT}), 2)
    assert on_grt.empty, "a guarantor is not the other guarantor's partner"
    as_pact = {**GUARANTEE, "kind": "defence_pact", "guarantors": None}
    mutual = decisions(write(tmp_path, {"commitments": {PACT: as_pact}, **ON_GRT}), 2)
    assert set(of(mutual, "OTH", "GRT")["covered"]) == {True}


def test_a_declaration_is_called_with_its_own_weaker_text(tmp_path):
    declaration = {**GUARANTEE, "kind": "declaration", "members": ["GRT", "PAR"]}
    declaration["guarantors"] = ["GRT"]
    rows = of(decisions(write(tmp_path, {"commitments": {PACT: declaration}}), 2))
    assert rows["covered"].all() and rows["duty"].eq("defend").all()
    assert rows["value_treaty_text"].eq(Params().text_declaration).all()
    assert Params().text_declaration < Params().text_defence_pact


def test_an_offence_pact_covers_the_partners_own_attack_a_defence_pact_does_not(tmp_path):
    attack_by_par = {"events": {"attack": {"attacker": "PAR", "defender": "ADV", "theatre": "ADV"}}}
    assert not covered(tmp_path, attack_by_par)
    assert covered(tmp_path, {**attack_by_par, **term(kind="offence_pact")})


@pytest.mark.parametrize("kind", ["neutrality", "non_aggression"])
def test_a_pact_not_to_fight_calls_no_one_and_ends_violated_when_broken(tmp_path, kind):
    pact = {"kind": kind, "members": ["ADV", "PAR"]}
    rs = runs(write(tmp_path, term(**pact)), 2)
    assert not rs.decisions["bound"].any(), "no duty to fight: no one a pact binds is called"
    row = rs.alliances[rs.alliances["alliance"] == PACT]
    assert row["reason"].eq("violated").all() and row["end"].eq("2000-02").all()
    breach = rs.outcomes[rs.outcomes["kind"] == "pact"]
    assert breach["state"].eq("ADV").all() and not breach["result"].any()


def test_a_neutrality_pact_is_broken_by_the_state_that_joins_the_war(tmp_path):
    pacts = {
        PACT: {"name": "pact", "kind": "defence_pact", "members": ["GRT", "PAR"], "source": "s"},
        "neutral": {
            "name": "neutral",
            "kind": "neutrality",
            "members": ["GRT", "ADV"],
            "source": "s",
        },
    }
    rs = runs(write(tmp_path, {"commitments": pacts}), 2, **ALWAYS)
    assert of(rs.decisions)["fought"].all()
    breach = rs.outcomes[rs.outcomes["kind"] == "pact"]
    assert breach["state"].eq("GRT").all() and len(breach) == 2
    held = runs(write(tmp_path, {"commitments": pacts}), 2, **NEVER)
    assert held.outcomes.empty or not (held.outcomes["kind"] == "pact").any()


def test_a_mandate_calls_its_holders_with_no_duty_to_defend(tmp_path):
    mandate = {**GUARANTEE, "kind": "mandate", "members": ["GRT", "PAR"], "guarantors": ["GRT"]}
    site = {
        "blue_helmets": {
            "name": "a peacekeeping contingent",
            "holder": "GRT",
            "territory": "PAR",
            "kind": "peacekeeping",
            "value": 0.3,
            "under": PACT,
            "source": "synthetic",
        }
    }
    path = write(tmp_path, {"commitments": {PACT: mandate}, "sites": site})
    rows = of(decisions(path, 4, **NEVER))
    assert rows["duty"].eq("none").all() and not rows["covered"].any()
    assert rows["outcome"].eq("not_triggered").all() and rows["duty_kept"].all()
    assert build(load(path)).site_mandate.tolist() == [0]
    assert runs(path, 1).alliances.empty, "a mandate (its only commitment) is no alliance"


# --- 3. members' own terms: reservations and dates ------------------------------------------


def test_a_reservation_to_consult_is_kept_without_fighting(tmp_path):
    reserved = term(member_terms={"GRT": {"duty": "consult", "source": "a reservation"}})
    rows = of(decisions(write(tmp_path, reserved), 4, **NEVER))
    assert rows["duty"].eq("consult").all() and rows["triggered"].any()
    assert rows["value_treaty_text"].eq(Params().text_consultation).all()
    assert not rows["fought"].any() and rows["duty_kept"].all()
    assert set(rows.loc[rows["triggered"], "outcome"]) == {"honoured"}
    plain = of(decisions(write(tmp_path), 4, **NEVER))
    assert set(plain.loc[plain["triggered"], "outcome"]) == {"violated"}
    assert not plain.loc[plain["triggered"], "duty_kept"].any()


@pytest.mark.parametrize(
    ("terms", "called"),
    [
        ({"joined": "2000-04-01"}, False),
        ({"joined": "2000-01-15"}, True),
        ({"left": "2000-01-20"}, False),
        ({"left": "2000-03-01"}, True),
    ],
)
def test_a_member_is_bound_only_between_its_own_dates(tmp_path, terms, called):
    dated = term(member_terms={"GRT": {**terms, "source": "its accession or exit"}})
    assert (not of(decisions(write(tmp_path, dated), 2)).empty) is called


def test_a_commitment_ends_on_its_date_and_when_its_members_leave(tmp_path):
    expiring = runs(write(tmp_path, term(until="2000-04-01")), 2).alliances
    assert expiring["reason"].eq("expired").all() and expiring["end"].eq("2000-04").all()
    leaving = term(member_terms={"PAR": {"left": "2000-05-01", "source": "its exit"}})
    left = runs(write(tmp_path, leaving), 2).alliances
    assert left["reason"].eq("members_left").all() and left["end"].eq("2000-05").all()


# --- 5. invocation, apart from the conditions -------------------------------------------------


RECORDED = {"events": {"attack": {"invocations": "recorded"}}}


def invocation(**fields) -> dict:
    event = {"kind": "invocation", "at": "2000-02-11", "partner": "PAR", "commitment": PACT}
    return {"asks": {**event, "source": "synthetic", **fields}}


def test_a_recorded_invocation_triggers_and_its_absence_does_not(tmp_path):
    silent = of(decisions(write(tmp_path, RECORDED), 4))
    assert silent["covered"].all() and not silent["invoked"].any()
    assert silent["outcome"].eq("not_triggered").all()
    asked = {"events": {**RECORDED["events"], **invocation()}}
    rows = of(decisions(write(tmp_path, asked), 4))
    assert rows["invoked"].all() and rows["triggered"].all()
    others = {"events": {**RECORDED["events"], **invocation(guarantors=["GRT"])}}
    assert of(decisions(write(tmp_path, others), 2))["invoked"].all()


def test_an_invocation_in_one_war_does_not_invoke_the_commitment_in_another(tmp_path):
    second = {
        "kind": "war",
        "at": "2000-04-10",
        "attacker": "ALY",
        "defender": "PAR",
        "theatre": "FAR",
        "invocations": "recorded",
        "source": "synthetic",
    }
    events = {**RECORDED["events"], "second": second, **invocation(war="attack")}
    d = of(decisions(write(tmp_path, {"events": events}), 2))
    assert d.loc[d["war"] == "attack", "invoked"].all()
    assert not d.loc[d["war"] == "second", "invoked"].any()
    anywhere = {**RECORDED["events"], "second": second, **invocation()}
    assert of(decisions(write(tmp_path, {"events": anywhere}), 2))["invoked"].all()


def test_an_invocation_of_another_guarantor_does_not_invoke_this_one(tmp_path):
    pact = {"members": ["GRT", "OTH", "PAR"]}
    asked = {"events": {**RECORDED["events"], **invocation(guarantors=["OTH"])}, **term(**pact)}
    d = decisions(write(tmp_path, asked), 2)
    assert of(d, "OTH")["invoked"].all() and not of(d, "GRT")["invoked"].any()


def test_the_model_step_keeps_the_recorded_invocations(tmp_path):
    path = write(tmp_path, {"events": {**RECORDED["events"], **invocation()}})
    world = build(load(path))
    model = AllianceModel(world, Params(), rng=replication_rngs(0, 1)[0])
    model.run_for(2)
    assert model.invocations == {(world.index("PAR"), 0, -1, "")}
