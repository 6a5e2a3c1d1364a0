"""The dispute back-test's cases: enough of them, read on the clock, set apart as the wars'.

The real-data tests build the whole table once (about 15 seconds). The rules are checked on
a tiny synthetic record written into a private copy of the packaged data (as
``tests/test_clock.py`` does): one dispute of 1900 and a handful of alliances, so that each
rule has exactly one case to decide.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim.history import cow, dispute_checks, dispute_duties, disputes, obligations
from sim.history.dispute_labels import Episode, answer
from sim.history.invocations import APART

from conftest import clear_caches


@pytest.fixture(scope="module")
def cases() -> pd.DataFrame:
    return disputes.cases()


def test_the_disputes_give_well_over_a_thousand_scored_cases_in_every_era(cases):
    scored = cases[cases["scored"]]
    after = scored[scored["year"] >= 1945]
    assert len(scored) >= 1000
    assert scored["war"].nunique() >= 300
    assert len(after) >= 100 and after["war"].nunique() >= 100
    assert scored["year"].min() < 1900 and scored["year"].max() > 2003
    assert set(cases["apart"]) - {""} <= set(APART)
    assert cases.duplicated(["war", "guarantor_code", "partner_code", "day"]).sum() == 0


def test_every_case_held_its_obligation_on_the_morning_of_its_day(cases):
    early = cases[cases["year"] < dispute_duties.V5_FROM].sample(200, random_state=1)
    for _, case in early.iterrows():
        day = dt.date.fromisoformat(case["day"])
        bound = obligations.duties_to(int(case["partner_code"]), day)
        assert int(case["guarantor_code"]) in set(bound["member"].astype(int))


def test_the_array_reading_of_atop_gives_the_same_duties_as_the_obligations_module():
    rng = np.random.default_rng(7)
    states = obligations.members()["member"].unique()
    for _ in range(150):
        partner = int(rng.choice(states))
        day = dt.date(1816, 1, 1) + dt.timedelta(days=int(rng.integers(0, 73000)))
        assert dispute_duties.v4_duties(partner, day).equals(obligations.duties_to(partner, day))


def test_a_lower_threshold_of_force_never_gives_fewer_cases():
    table = disputes.thresholds()
    for column in ("targets", "cases", "disputes", "scored", "scored_disputes"):
        assert (np.diff(table[column].to_numpy()) <= 0).all(), column
    attack = table[table["threshold"] == 16].iloc[0]
    assert attack["cases"] == len(disputes.cases())


def test_the_ucdp_check_reads_only_scored_cases_after_1945_that_it_covers(cases):
    checked = disputes.ucdp_check(cases)
    assert len(checked) > 0
    assert checked["scored"].all() and (checked["year"] >= 1946).all()
    assert (checked["ucdp_conflicts"] != "").all()
    assert (checked["agrees"] == (checked["ucdp_beside"] == checked["honoured_ever"])).all()


def test_gleditsch_ward_codes_that_differ_from_cow_are_mapped():
    assert dispute_checks.cow_code(260, 1985) == 260
    assert dispute_checks.cow_code(260, 1999) == 255
    assert dispute_checks.cow_code(678, 1995) == 679
    assert dispute_checks.cow_code(340, 2008) == 345
    assert dispute_checks.cow_code(816, 1970) == 816


def test_an_originator_beside_the_target_was_struck_itself():
    day = "1900-06-10"
    eps = (
        Episode(210, 1, 1, 16, day),
        Episode(211, 0, 1, 0, day),
        Episode(230, 0, 1, 17, "1900-06-12"),
        Episode(235, 0, 0, 17, "1900-06-12"),
    )
    assert answer(eps, 230, 0, day).struck == "1900-06-12"
    assert answer(eps, 235, 0, day).struck == ""  # a joiner fought for the target
    assert answer(eps, 235, 0, day).fought == 2.0
    assert answer(eps, 210, 0, "1900-06-11").already == "enemy"


# --- a synthetic record --------------------------------------------------------------

DAY = dt.date(1900, 6, 10)
X, Y, W, Z, V, U = 211, 210, 235, 220, 230, 200
"""The target, its attacker, a late joiner, a new ally, an ally struck too, an ally of both."""


@pytest.fixture
def synthetic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A private copy of the packaged data with one dispute and a few alliances."""
    folder = tmp_path / "datasets"
    shutil.copytree(cow.DATASETS, folder)
    _write_dispute(folder)
    _write_alliances(folder)
    clear_caches()
    monkeypatch.setattr(cow, "DATASETS", folder)
    yield folder
    clear_caches()


def _write_dispute(folder: Path) -> None:
    late = DAY + dt.timedelta(days=174)
    struck = DAY + dt.timedelta(days=2)
    rows = [  # ccode, side A, originator, highest action, start
        (Y, 1, 1, 16, DAY),
        (X, 0, 1, 0, DAY),
        (V, 0, 1, 17, struck),
        (W, 0, 0, 17, late),
    ]
    header = pd.read_csv(folder / "gml_mid_participants_v2_2_1_peacesciencer.csv", nrows=0)
    table = pd.DataFrame(
        [
            {
                "dispnum": 9901, "ccode": c, "styear": d.year, "stmon": d.month,
                "stday": d.day, "endyear": 1901, "endmon": 1, "endday": 1,
                "dummy_stday": d.day, "dummy_endday": 1, "sidea": a, "hiact": h, "orig": o,
            }
            for c, a, o, h, d in rows
        ]
    )  # fmt: skip
    table.reindex(columns=header.columns).to_csv(
        folder / "gml_mid_participants_v2_2_1_peacesciencer.csv", index=False
    )
    header = pd.read_csv(folder / "gml_mid_disputes_v2_2_1_peacesciencer.csv", nrows=0)
    row = {"dispnum": 9901, "styear": 1900, "stmon": 6, "fatality": 0, "hiact": 17}
    pd.DataFrame([row]).reindex(columns=header.columns).to_csv(
        folder / "gml_mid_disputes_v2_2_1_peacesciencer.csv", index=False
    )


def _write_alliances(folder: Path) -> None:
    name = "atop_v4_01_member_level.csv"
    template = pd.read_csv(folder / name)
    obligations_and_terms = [c for c in template.columns if c not in ("atopid", "member")]
    base = template.iloc[0].copy()
    base[obligations_and_terms] = 0
    before = DAY - dt.timedelta(days=30)
    pacts = [  # atopid, members, entry day
        (9001, (X, W), before),
        (9002, (X, Z), DAY),  # signed on the day of the attack: no case
        (9003, (X, V), before),
        (9004, (X, U), before),
        (9005, (Y, U), before),  # U is bound to the attacker too
    ]
    rows = []
    for atopid, members, entry in pacts:
        for member in members:
            row = base.copy()
            row[["atopid", "member", "defense"]] = [atopid, member, 1]
            row[["yrent", "moent", "dayent"]] = [entry.year, entry.month, entry.day]
            rows.append(row)
    pd.DataFrame(rows).to_csv(folder / name, index=False)


def _case(table: pd.DataFrame, guarantor: int) -> pd.Series:
    found = table[(table["partner_code"] == X) & (table["guarantor_code"] == guarantor)]
    assert len(found) == 1, f"one case of {guarantor} for {X} expected, got {len(found)}"
    return found.iloc[0]


def test_an_alliance_signed_on_the_targets_day_is_not_a_case(synthetic):
    table = disputes.cases()
    assert set(table.loc[table["partner_code"] == X, "guarantor_code"]) == {W, V, U}
    assert Z not in set(table["guarantor_code"])


def test_a_joiner_after_the_window_is_not_honoured_but_honoured_ever(synthetic):
    late = _case(disputes.cases(), W)
    assert late["scored"] and late["outcome"] == "beside" and late["delay_days"] == 174
    assert not late["honoured"] and not late["honoured_90d"] and not late["joined"]
    assert late["honoured_1y"] and late["honoured_ever"]


def test_an_originator_on_the_targets_side_is_set_apart_as_self_defence(synthetic):
    struck = _case(disputes.cases(), V)
    assert struck["apart"] == "self_defence" and struck["struck"] == "1900-06-12"
    assert not struck["scored"]


def test_a_guarantor_bound_to_the_attacker_too_is_set_apart_as_both_sides(synthetic):
    both = _case(disputes.cases(), U)
    assert both["both_sides"] and both["apart"] == "both_sides"


def test_a_bystander_holds_no_obligation_to_the_target(synthetic):
    found = disputes.bystanders()
    on_x = found[found["partner_code"] == X]
    assert not set(on_x["guarantor_code"]) & {W, V, U, Y}
    assert Z in set(on_x["guarantor_code"])  # its alliance was signed on the day: no duty
    assert set(on_x["why"]) <= {"a major power", "near the attacker", "near the partner"}


@pytest.fixture
def dyad_years(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A private copy of the packaged data whose ATOP v5.1 dyad-years bind Belgium anew."""
    folder = tmp_path / "datasets"
    shutil.copytree(cow.DATASETS, folder)
    header = pd.read_csv(folder / dispute_duties.V5, nrows=0)
    rows = [  # ccode1 owes ccode2, year, kind
        (235, X, 2005, "atop_defense"),  # Portugal: a NATO ally in ATOP v4.01 too
        (220, X, 2005, "atop_neutral"),  # France: NATO in v4.01, neutrality here
        (710, X, 2005, "atop_defense"),  # China: no v4.01 row
        (230, X, 2006, "atop_defense"),  # Spain: only from the case's own year
    ]
    table = pd.DataFrame([{"ccode1": a, "ccode2": b, "year": y, kind: 1} for a, b, y, kind in rows])
    table.reindex(columns=header.columns).fillna(0).astype(int).to_csv(
        folder / dispute_duties.V5, index=False
    )
    clear_caches()
    monkeypatch.setattr(cow, "DATASETS", folder)
    yield folder
    clear_caches()


def test_from_2004_the_dyad_years_of_the_year_before_say_who_was_bound(dyad_years):
    day = dt.date(2006, 3, 1)
    rows = {r["member"]: r for r in dispute_duties.duty_rows(X, day)}
    assert set(rows) == {235, 220, 710}  # not Spain: its dyad-year is the case's own year
    assert rows[235]["source"] == "ATOP v5.1; terms ATOP v4.01" and rows[235]["atopid"] > 0
    assert rows[220]["kind"] == "neutrality" and rows[220]["source"] == "ATOP v5.1"
    call = obligations.Invocation(Y, frozenset({Y}), False)
    assert dispute_duties.conditions_on(rows[710], call)[0] == dispute_duties.UNKNOWN_V5
    assert dispute_duties.bound_on(X, day) == frozenset({235, 220, 710})
