"""The treaty terms a historian meets, as fields: each changes an outcome, each refuses misuse.

A member's reservation against a named state (``member_terms.X.not_against``), a duty chained
on another guarantor's fighting (``conditions.after``), a count of attackers that are major
powers (``attackers_at_least: {count, major: true}``), a mandate's protection of a state not
party to it (``protects``) and a narrow sea between two states (``narrow_seas``). Each test
sets the synthetic war beside the same scenario without the field, so that it fails if the
field has no effect.
"""

from __future__ import annotations

import numpy as np
import pytest

from sim.model.world import build
from sim.scenario.loading import load

from synthetic import decisions, of, write
from test_terms import NEVER

THREE = {"members": ["GRT", "OTH", "PAR"]}
EVERY = {"events": {"attack": {"calls": "every_period"}}}


def pact(**fields) -> dict:
    """Return changes to the synthetic scenario's defence pact (GRT and PAR)."""
    return {"commitments": {"pact": fields}}


def covered_for(tmp_path, changes, runs: int = 2, **params) -> dict[str, set[bool]]:
    """Return, for each guarantor called for PAR, whether its calls were covered."""
    d = decisions(write(tmp_path, changes), runs, **params)
    d = d[d["partner"] == "PAR"]
    return {g: set(rows["covered"]) for g, rows in d.groupby("guarantor")}


# --- a member's reservation against a named state --------------------------------------------


def test_a_reservation_against_the_attacker_excuses_that_member_alone(tmp_path):
    reserved = pact(
        **THREE, member_terms={"GRT": {"not_against": ["ADV"], "source": "its declaration"}}
    )
    assert covered_for(tmp_path, reserved) == {"GRT": {False}, "OTH": {True}}
    assert covered_for(tmp_path, pact(**THREE)) == {"GRT": {True}, "OTH": {True}}


def test_a_reservation_against_a_state_beside_the_attacker_holds_when_it_fights(tmp_path):
    reserved = pact(member_terms={"GRT": {"not_against": ["ALY"], "source": "its declaration"}})
    assert covered_for(tmp_path, reserved) == {"GRT": {True}}
    backed = {**reserved, "events": {"attack": {"backers": ["ALY"]}}}
    assert covered_for(tmp_path, backed) == {"GRT": {False}}


def test_explain_says_a_members_reservation(tmp_path, main):
    reserved = pact(member_terms={"GRT": {"not_against": ["ADV"], "source": "its declaration"}})
    code, out, _ = main("explain", str(write(tmp_path, reserved)), "1", "--runs", "2")
    assert code == 0 and "pact: GRT's duty does not hold against ADV" in out, out


def test_a_reserved_member_is_not_triggered_where_it_would_have_violated(tmp_path):
    reserved = pact(member_terms={"GRT": {"not_against": ["ADV"], "source": "its declaration"}})
    rows = of(decisions(write(tmp_path, reserved), 4, **NEVER))
    plain = of(decisions(write(tmp_path), 4, **NEVER))
    assert rows["outcome"].eq("not_triggered").all() and rows["value_treaty_text"].eq(0).all()
    assert "violated" in set(plain["outcome"]) and plain["value_treaty_text"].gt(0).all()
    assert rows["p_honour"].mean() < plain["p_honour"].mean()


# --- a duty chained on another guarantor ------------------------------------------------------


CHAINED = {
    "name": "OTH's guarantee of PAR, once GRT fights",
    "kind": "guarantee",
    "members": ["OTH", "PAR"],
    "guarantors": ["OTH"],
    "conditions": {"after": ["GRT"], "source": "synthetic"},
    "source": "synthetic",
}


def test_a_chained_guarantee_holds_once_the_named_guarantor_fights_already(tmp_path, main):
    chained = {"commitments": {"chained": CHAINED}}
    assert covered_for(tmp_path, chained)["OTH"] == {False}  # GRT decides in the same period
    code, out, _ = main("explain", str(write(tmp_path, chained)), "OTH", "--runs", "2")
    assert code == 0 and "chained: holds once GRT fights for PAR" in out, out
    beside = {**chained, "events": {"attack": {"defender_backers": ["GRT"]}}}
    assert covered_for(tmp_path, beside)["OTH"] == {True}
    unchained = {"commitments": {"chained": {**CHAINED, "conditions": None}}}
    assert covered_for(tmp_path, unchained)["OTH"] == {True}


def test_a_chained_guarantee_asked_again_holds_from_the_period_its_guarantor_joins(tmp_path):
    joins = {
        "kind": "join_war",
        "at": "2000-04-05",
        "war": "attack",
        "state": "GRT",
        "side": "defender",
        "source": "synthetic",
    }
    changes = {
        "commitments": {"pact": None, "chained": CHAINED},
        "events": {"attack": {"calls": "every_period"}, "joins": joins},
    }
    d = of(decisions(write(tmp_path, changes), 2, **NEVER), "OTH")
    by_period = d.groupby("period")["covered"].agg(set).to_dict()
    assert by_period == {1: {False}, 2: {False}, 3: {True}, 4: {True}, 5: {True}}  # Feb-June


# --- a count of attackers that are major powers ----------------------------------------------


@pytest.mark.parametrize(
    ("majors", "count", "covered"),
    [
        (["ADV", "ALY"], {"count": 2, "major": True}, True),
        (["ADV"], {"count": 2, "major": True}, False),
        (["ADV"], {"count": 1, "major": True}, True),
        ([], 2, True),  # the plain number counts any state
        (["ALY"], {"count": 2, "major": False}, True),
    ],
)
def test_attackers_at_least_counts_major_powers_when_it_says_so(tmp_path, majors, count, covered):
    states = {sid: {"major": True} for sid in majors}
    states["OTH"] = {"major": True}  # a major power that does not attack never counts
    changes = {
        "states": states,
        **pact(conditions={"attackers_at_least": count, "source": "Art. 1"}),
        "events": {"attack": {"backers": ["ALY"]}},
    }
    assert covered_for(tmp_path, changes) == {"GRT": {covered}}


def test_explain_says_a_count_of_major_attackers(tmp_path, main):
    majors = pact(conditions={"attackers_at_least": {"count": 1, "major": True}})
    changes = {"states": {"ADV": {"major": True}}, **majors}
    code, out, _ = main("explain", str(write(tmp_path, changes)), "1", "--runs", "2")
    assert code == 0 and "pact: holds if at least 1 major power fights PAR" in out, out


# --- a mandate's protection of a state not party to it ---------------------------------------


def test_a_mandate_that_protects_a_state_calls_its_guarantors_when_that_state_is_attacked(
    tmp_path, main
):
    mandate = {
        "name": "a peacekeeping mandate",
        "kind": "mandate",
        "members": ["GRT", "OTH", "ALY"],
        "guarantors": ["GRT", "OTH"],
        "source": "a resolution",
    }
    unprotected = {"commitments": {"pact": None, "un": mandate}}
    assert covered_for(tmp_path, unprotected) == {}
    protected = {"commitments": {"pact": None, "un": {**mandate, "protects": ["PAR"]}}}
    d = decisions(write(tmp_path, protected), 2)
    assert set(d["guarantor"]) == {"GRT", "OTH"} and set(d["partner"]) == {"PAR"}
    assert d["duty"].eq("none").all() and not d["covered"].any()
    code, out, _ = main("explain", str(write(tmp_path, protected)), "1", "--runs", "2")
    assert code == 0 and "un (mandate) binds" in out and "un: protects PAR" in out, out


# --- narrow seas -------------------------------------------------------------------------------


def test_a_narrow_sea_makes_two_states_near_but_not_neighbours_by_land(tmp_path):
    sea = {"narrow_seas": [["GRT", "ADV"]]}
    world = build(load(write(tmp_path, sea)))
    g, a = world.index("GRT"), world.index("ADV")
    assert world.near_in(3)[g, a] and world.near_in(3)[a, g] and not world.borders_in(3)[g, a]
    across = of(decisions(write(tmp_path, sea), 2))
    plain = of(decisions(write(tmp_path), 2))
    assert across["value_border_threat"].gt(0).all() and plain["value_border_threat"].eq(0).all()
    assert np.allclose(across["value_buffer"], plain["value_buffer"])
    assert across["p_honour"].mean() > plain["p_honour"].mean()


def test_a_narrow_sea_holds_between_its_dates(tmp_path):
    dated = {"between": ["GRT", "ADV"], "since": "2000-03-01", "until": "2000-05-01"}
    world = build(load(write(tmp_path, {"narrow_seas": [dated]})))
    g, a = world.index("GRT"), world.index("ADV")
    assert [bool(world.near_in(t)[g, a]) for t in range(6)] == [0, 0, 1, 1, 0, 0]
    d = of(decisions(write(tmp_path, {"narrow_seas": [dated], **EVERY}), 2, **NEVER))
    threat = d.groupby("period")["value_border_threat"].max()
    assert threat[1] == 0 and threat[2] > 0 and threat[3] > 0 and threat[4] == 0


def test_a_narrow_sea_may_carry_its_source(tmp_path):
    sea = {"narrow_seas": [{"between": ["GRT", "ADV"], "source": "COW contiguity, type 3"}]}
    world = build(load(write(tmp_path, sea)))
    assert world.near_in(0)[world.index("GRT"), world.index("ADV")]


# --- validate: every misuse names its file, line and field -------------------------------------


RESERVED = {"not_against": ["ADV"], "source": "s"}
MANDATE = {
    "name": "a mandate",
    "kind": "mandate",
    "members": ["GRT", "PAR"],
    "guarantors": ["GRT"],
    "source": "a resolution",
}
BAD = {
    # name: (changes, the field path the error names, words in it)
    "a reservation against an unknown state": (
        pact(member_terms={"GRT": {"not_against": ["XYZ"], "source": "s"}}),
        "commitments.pact.member_terms.GRT.not_against[0]",
        "expected a state id",
    ),
    "a reservation against the member itself": (
        pact(member_terms={"GRT": {"not_against": ["GRT"], "source": "s"}}),
        "commitments.pact.member_terms.GRT.not_against[0]",
        "other than the member itself",
    ),
    "a reservation on a mandate": (
        {"commitments": {"pact": {**MANDATE, "member_terms": {"GRT": RESERVED}}}},
        "commitments.pact.member_terms.GRT.not_against",
        "no reservation",
    ),
    "a reservation that is not a list": (
        pact(member_terms={"GRT": {"not_against": "ADV", "source": "s"}}),
        "commitments.pact.member_terms.GRT.not_against",
        "valid list",
    ),
    "a chain on an unknown state": (
        pact(conditions={"after": ["XYZ"]}),
        "commitments.pact.conditions.after[0]",
        "expected a state id",
    ),
    "a chain on the commitment's own guarantor": (
        pact(conditions={"after": ["GRT"]}),
        "commitments.pact.conditions.after[0]",
        "wait on itself",
    ),
    "a chain on the protected state": (
        {"commitments": {"chained": {**CHAINED, "conditions": {"after": ["PAR"]}}}},
        "commitments.chained.conditions.after[0]",
        "not a state this commitment protects",
    ),
    "more major attackers than majors": (
        {
            "states": {"ADV": {"major": True}},
            **pact(conditions={"attackers_at_least": {"count": 2, "major": True}}),
        },
        "commitments.pact.conditions.attackers_at_least.count",
        "expected at most 1",
    ),
    "a count of majors that is not a number": (
        pact(conditions={"attackers_at_least": {"count": "two", "major": True}}),
        "commitments.pact.conditions.attackers_at_least.count",
        "valid integer",
    ),
    "an unknown field beside the count": (
        pact(conditions={"attackers_at_least": {"count": 2, "great": True}}),
        "commitments.pact.conditions.attackers_at_least.great",
        "unknown field",
    ),
    "a major non-state actor": (
        {"states": {"ADV": {"actor": "non_state", "major": True}}},
        "states.ADV.major",
        "non-state actor",
    ),
    "major not a boolean": (
        {"states": {"ADV": {"major": "yes"}}},
        "states.ADV.major",
        "valid boolean",
    ),
    "protects on a defence pact": (
        pact(protects=["OTH"]),
        "commitments.pact.protects",
        "only on a commitment of kind mandate",
    ),
    "protects an unknown state": (
        {"commitments": {"pact": {**MANDATE, "protects": ["XYZ"]}}},
        "commitments.pact.protects[0]",
        "expected a state id",
    ),
    "protects a party to the mandate": (
        {"commitments": {"pact": {**MANDATE, "protects": ["PAR"]}}},
        "commitments.pact.protects[0]",
        "not party to the mandate",
    ),
    "a narrow sea to an unknown state": (
        {"narrow_seas": [["GRT", "XYZ"]]},
        "narrow_seas[0].between[1]",
        "expected a state id",
    ),
    "a narrow sea from a state to itself": (
        {"narrow_seas": [["GRT", "GRT"]]},
        "narrow_seas[0].between",
        "two different states",
    ),
    "a narrow sea given twice": (
        {"narrow_seas": [["GRT", "ADV"], {"between": ["ADV", "GRT"], "source": "s"}]},
        "narrow_seas[1].between",
        "each pair of states once",
    ),
    "a narrow sea that ends before it begins": (
        {"narrow_seas": [{"between": ["GRT", "ADV"], "since": "2000-03", "until": "2000-02"}]},
        "narrow_seas[0].until",
        "expected a date after since",
    ),
    "a narrow sea of three states": (
        {"narrow_seas": [["GRT", "ADV", "PAR"]]},
        "narrow_seas[0]",
        "2 items",
    ),
}


@pytest.mark.parametrize("case", BAD, ids=list(BAD))
def test_validate_refuses_each_misuse_with_file_line_and_field(tmp_path, main, case):
    changes, path, words = BAD[case]
    file = write(tmp_path, changes)
    code, _, err = main("validate", str(file))
    lines = err.strip().splitlines()
    assert code == 2 and len(lines) == 1 and "Traceback" not in err, err
    assert lines[0].startswith(f"error: {file}, line "), lines[0]
    assert f": {path}: " in lines[0] and words in lines[0], lines[0]


def test_validate_accepts_each_new_field(tmp_path, main):
    changes = {
        "states": {"ADV": {"major": True}, "ALY": {"major": True}},
        "narrow_seas": [
            ["GRT", "ADV"],
            {"between": ["OTH", "PAR"], "until": "2000-03", "source": "a spell"},
            {"between": ["OTH", "PAR"], "since": "2000-05", "source": "another spell"},
        ],
        "commitments": {
            "pact": {
                **THREE,
                "conditions": {"attackers_at_least": {"count": 2, "major": True}},
                "member_terms": {"OTH": {"not_against": ["ALY"], "source": "s"}},
            },
            "chained": CHAINED,
            "un": {**MANDATE, "members": ["GRT", "OTH"], "guarantors": ["GRT", "OTH"],
                   "protects": ["PAR"]},
        },
    }  # fmt: skip
    code, out, err = main("validate", str(write(tmp_path, changes)))
    assert code == 0 and err == "" and out.startswith("ok: ")


def test_figures_prints_major_status_and_narrow_seas_from_cow(main):
    code, out, err = main("figures", "1939", "UKG", "FRN", "POL")
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines.count("    major: true  # COW Major Powers (majors2016): 1816-1940") == 1  # FRN
    assert sum("major: true" in line for line in lines) == 2  # not Poland
    assert lines[-2:] == [
        "narrow_seas:",
        '  - {between: [UKG, FRN], source: "COW Direct Contiguity v3.2, type 3"}',
    ]
    code, out, _ = main("figures", "1946", "FRN", "POL")  # France off the list 1940-45: back
    assert code == 0 and "narrow_seas" not in out and "major: true" in out
