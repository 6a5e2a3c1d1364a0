"""Bad input in the fields of issue 18, and checking files without running them (item 10).

Each new field refuses bad input with one message naming its file, field path and line;
``run.py validate`` lists every problem of every file; ``check`` reports a bad file and
scores the others.
"""

from __future__ import annotations

import pytest

from sim.errors import ScenarioError
from sim.scenario.loading import load, problems

from conftest import SCENARIOS, cli
from synthetic import write

MANDATE = {
    "name": "a mandate",
    "kind": "mandate",
    "members": ["GRT", "PAR"],
    "guarantors": ["GRT"],
    "source": "a resolution",
}
SITE = {
    "name": "blue helmets",
    "holder": "GRT",
    "territory": "PAR",
    "kind": "peacekeeping",
    "value": 0.3,
    "under": "un",
    "source": "synthetic",
}

BAD = {
    # name: (changes, the field path the error names, words in it)
    "loyalty to an unknown state": (
        {"states": {"PAR": {"loyalty_to": {"XYZ": 0.5}}}},
        "states.PAR.loyalty_to.XYZ",
        "expected a state id",
    ),
    "a nuclear non-state actor": (
        {"states": {"ADV": {"actor": "non_state", "nuclear": True}}},
        "states.ADV.nuclear",
        "non-state actor",
    ),
    "value to an unknown state": (
        {"territories": {"PAR": {"value_to": {"XYZ": 0.5}}}},
        "territories.PAR.value_to.XYZ",
        "expected a state id",
    ),
    "a site under what is not a mandate": (
        {"sites": {"s": {**SITE, "under": "pact"}}},
        "sites.s.under",
        "mandate",
    ),
    "a site under a mandate its holder does not give": (
        {"commitments": {"un": MANDATE}, "sites": {"s": {**SITE, "holder": "OTH"}}},
        "sites.s.holder",
        "guarantor of the mandate",
    ),
    "against an unknown group": (
        {"commitments": {"pact": {"against": {"groups": ["reds"]}}}},
        "commitments.pact.against.groups[0]",
        "group id",
    ),
    "a beneficiary that is not a member": (
        {"commitments": {"pact": {"beneficiaries": ["ADV"]}}},
        "commitments.pact.beneficiaries[0]",
        "member",
    ),
    "a guarantee without guarantors": (
        {"commitments": {"pact": {"kind": "guarantee"}}},
        "commitments.pact.guarantors",
        "one-way",
    ),
    "terms of a state that is not a member": (
        {"commitments": {"pact": {"member_terms": {"OTH": {"duty": "consult", "source": "s"}}}}},
        "commitments.pact.member_terms.OTH",
        "member",
    ),
    "a reservation on a pact not to fight": (
        {
            "commitments": {
                "pact": {
                    "kind": "neutrality",
                    "member_terms": {"GRT": {"duty": "consult", "source": "s"}},
                }
            }
        },
        "commitments.pact.member_terms.GRT.duty",
        "no reservation",
    ),
    "a condition naming no war": (
        {"commitments": {"pact": {"conditions": {"war": "nowhere"}}}},
        "commitments.pact.conditions.war",
        "war event",
    ),
    "a running war that begins inside the case": (
        {"events": {"attack": {"running": True}}},
        "events.attack.at",
        "running war",
    ),
    "an invocation by a state that may not invoke": (
        {
            "events": {
                "asks": {
                    "kind": "invocation",
                    "at": "2000-02-01",
                    "partner": "ADV",
                    "commitment": "pact",
                    "source": "s",
                }
            }
        },
        "events.asks.partner",
        "may invoke",
    ),
    "an invocation in what is not a war": (
        {
            "events": {
                "asks": {
                    "kind": "invocation",
                    "at": "2000-02-11",
                    "partner": "PAR",
                    "commitment": "pact",
                    "war": "nowar",
                    "source": "s",
                }
            }
        },
        "events.asks.war",
        "war event",
    ),
    "joining a war that is not one": (
        {
            "events": {
                "joins": {
                    "kind": "join_war",
                    "at": "2000-03-01",
                    "war": "nowar",
                    "state": "ALY",
                    "side": "attacker",
                    "source": "s",
                }
            }
        },
        "events.joins.war",
        "war event",
    ),
    "a front with one state on both sides": (
        {"events": {"attack": {"fronts": [{"attacker": "PAR", "theatre": "FAR"}]}}},
        "events.attack.fronts[0].defender",
        "other than the attacker",
    ),
}


@pytest.mark.parametrize("case", BAD, ids=list(BAD))
def test_each_new_field_refuses_bad_input_with_its_path(tmp_path, case):
    changes, path, words = BAD[case]
    file = write(tmp_path, changes)
    with pytest.raises(ScenarioError) as caught:
        load(file)
    assert caught.value.path == path and words in str(caught.value)
    assert caught.value.line is not None


def test_validate_lists_every_problem_of_every_file_and_exits_2(tmp_path):
    two = write(tmp_path, {"states": {"PAR": {"power": 3.0}, "ADV": {"loyalty": 2.0}}}, "two")
    refs = write(
        tmp_path,
        {
            "commitments": {
                "pact": {"beneficiaries": ["ADV"], "member_terms": {"OTH": {"source": "s"}}}
            }
        },
        "refs",
    )
    good = write(tmp_path, {}, "good")
    assert len(problems(two)) == 2 and len(problems(refs)) == 2 and problems(good) == []
    result = cli("validate", str(two), str(refs), str(good))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    errors = result.stderr.strip().splitlines()
    assert len(errors) == 4 and all(e.startswith("error: ") for e in errors)
    assert {"states.PAR.power", "states.ADV.loyalty"} <= {e.split(": ")[2] for e in errors}
    assert result.stdout.strip() == f"ok: {good}"
    assert cli("validate", str(good)).returncode == 0


def test_check_reports_a_bad_file_and_scores_the_others(tmp_path):
    folder = tmp_path / "scenarios"
    folder.mkdir()
    (folder / "suez_1956.yaml").write_text((SCENARIOS / "suez_1956.yaml").read_text())
    (folder / "broken.yaml").write_text("title: [\n")
    result = cli("check", "--dir", str(folder), "--runs", "2")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.strip().startswith(f"error: {folder / 'broken.yaml'}, line ")
    assert "suez_1956" in result.stdout and "outcomes on the right side" in result.stdout
