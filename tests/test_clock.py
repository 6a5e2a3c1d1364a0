"""No hindsight: a case reads only the record as it stood on the morning of its attack.

Two proofs, each able to fail if a leak comes back:

* the record physically cut at the day before a case (every dated source table truncated,
  ends after it blanked), rebuilt from scratch, gives every case of that day the same
  probability and the same value and contribution of every factor as the whole record does;
* a war planted between a guarantor and the attacker one day after the attack changes no
  case of that day and no replayed year's relations.

What is not cut, and why: COW's dyad-years (year-level; they only confirm the war list's side
lists and code who began a war, which is known on its first day) are cut at the end of the
case's year before, plus the case's year; the state system (the open world's membership is by
year: a state counts in every year it was a member for any part of, docs/ODD.md 3.11) is cut
at the end of the case's year. The labels' review table is about outcomes, which the model
never reads.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim.history import clock, cow, openworld, relations, wars, worldrun
from sim.history.kernelcases import FIGURES
from sim.model.params import Params

from conftest import clear_caches

DAYS = ("1866-06-23", "1914-08-03", "1967-06-05")
"""Case days where the old year-level reading leaked (Bavaria 1866, France 1914, Syria 1967)."""


@pytest.fixture
def datasets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A private copy of the packaged data that the history layer reads instead."""
    folder = tmp_path / "datasets"
    shutil.copytree(cow.DATASETS, folder)
    clear_caches()
    monkeypatch.setattr(cow, "DATASETS", folder)
    yield folder
    clear_caches()


def _cases_on(day: str, seed: int = 0) -> pd.DataFrame:
    year = int(day[:4])
    run = worldrun.run(openworld.build(year, year), Params(), seed=seed)
    found = run.case_runs[run.case_runs["attack"].isin(run.cases["attack"])]
    days = run.cases.set_index(["war", "attack", "guarantor", "partner"])["day"]
    keys = list(
        zip(found["war"], found["attack"], found["guarantor"], found["partner"], strict=True)
    )
    on_day = np.array([days.get(k) == day for k in keys], dtype=bool)
    return found[on_day].sort_values(["attack", "guarantor", "partner"]).reset_index(drop=True)


def _the_whole_record_written_out(folder: Path) -> None:
    """Write the war list with its corrections and additions applied, and no amendment left."""
    rows = wars._rows()
    rows.to_csv(folder / wars.WARS, index=False)
    for name in (wars.CORRECTIONS, wars.DATES, wars.ADDITIONS):
        header = pd.read_csv(folder / name, nrows=0)
        header.to_csv(folder / name, index=False)


def _truncate(folder: Path, day: dt.date, question: tuple[int, ...]) -> None:
    """Cut every dated table of ``folder`` at the day before ``day`` (see the module's text).

    ``question`` is the partners attacked on ``day``: the attacks on them that day are the
    question put to their guarantors and stay.
    """
    _war_list(folder, day, question)
    _alliances(folder, day)
    month = clock.month_before(day)
    contiguity = pd.read_csv(folder / "cow_contdir_v3_2.csv")
    contiguity = contiguity[contiguity["begin"] <= month]
    contiguity.loc[contiguity["end"] >= month, "end"] = cow.CONTIGUITY_END
    contiguity.to_csv(folder / "cow_contdir_v3_2.csv", index=False)
    _cut_years(folder, cow.NMC, "year", day.year - 1)
    _cut_years(folder, "nuclear_weapons_status_bleek_owid.csv", "Year", day.year - 1)
    _cut_years(folder, "cow_war_inter_v4_dyad_year_peacesciencer.csv", "year", day.year)
    _cut_years(folder, "cow_states2016.csv", "styear", day.year)
    _dated(folder, "cow_capitals_geocoded_peacesciencer.csv", "stdate", "enddate", day)
    majors = pd.read_csv(folder / "cow_majors2016.csv")
    start = pd.to_datetime(
        majors[["styear", "stmonth", "stday"]].set_axis(["year", "month", "day"], axis=1)
    )
    majors = majors[start.dt.date < day]
    end = pd.to_datetime(
        majors[["endyear", "endmonth", "endday"]].set_axis(["year", "month", "day"], axis=1)
    )
    majors.loc[end.dt.date >= day, ["endyear", "endmonth", "endday"]] = [2016, 12, 31]
    majors.to_csv(folder / "cow_majors2016.csv", index=False)


def _cut_years(folder: Path, name: str, column: str, last: int) -> None:
    table = pd.read_csv(folder / name)
    table[table[column] <= last].to_csv(folder / name, index=False)


def _dated(folder: Path, name: str, start: str, end: str, day: dt.date) -> None:
    table = pd.read_csv(folder / name)
    table = table[table[start] < day.isoformat()]
    table.loc[table[end] >= day.isoformat(), end] = "9999-12-31"
    table.to_csv(folder / name, index=False)


def _war_list(folder: Path, day: dt.date, question: tuple[int, ...]) -> None:
    """Cut the war list: rows begun from ``day`` on go (but the question), ends are blanked.

    A side list names the states that fought beside or against a row's pair; one whose own
    entry into the war came on or after ``day`` was not yet known to fight, and is blanked.
    """
    rows = pd.read_csv(folder / wars.WARS)
    entry = pd.Series(
        [
            wars.day_of(y, m, d)
            for y, m, d in zip(rows["year"], rows["month_entry"], rows["day_entry"], strict=True)
        ],
        index=rows.index,
    )
    joined = _own_entries(rows, entry)
    asked = (entry == day) & rows["target_ccode"].isin(question)
    rows = rows[(entry < day) | asked].copy()
    exits = [
        wars.day_of(y, m, d, last=True)
        for y, m, d in zip(rows["year"], rows["month_exit"], rows["day_exit"], strict=True)
    ]
    open_ = pd.Series(exits, index=rows.index) >= day
    rows.loc[open_, ["month_exit", "day_exit", "month_exit02", "day_exit02"]] = np.nan
    listed = [c for c in rows.columns if c.startswith(("ally", "adv")) and c.endswith("ccode")]
    for column in listed:
        late = [
            code == code and joined.get((w, int(code)), day) >= day
            for w, code in zip(rows["larger_war_id"], rows[column], strict=True)
        ]
        rows.loc[late, [column, column.replace("ccode", "name")]] = np.nan
    rows.to_csv(folder / wars.WARS, index=False)


def _own_entries(rows: pd.DataFrame, entry: pd.Series) -> dict[tuple[int, int], dt.date]:
    """Return each state's first day as initiator or target of a row, by larger war."""
    found: dict[tuple[int, int], dt.date] = {}
    for w, i, t, day in zip(
        rows["larger_war_id"], rows["init_ccode"], rows["target_ccode"], entry, strict=True
    ):
        for state in (int(i), int(t)):
            key = (int(w), state)
            found[key] = min(found.get(key, day), day)
    return found


def _alliances(folder: Path, day: dt.date) -> None:
    name = "atop_v4_01_member_level.csv"
    m = pd.read_csv(folder / name)
    entry = [
        wars.day_of(y, mo, d) for y, mo, d in zip(m["yrent"], m["moent"], m["dayent"], strict=True)
    ]
    m = m[pd.Series(entry, index=m.index) < day]
    exits = [
        wars.NEVER if y <= 0 else wars.day_of(y, mo, d, last=True)
        for y, mo, d in zip(m["yrexit"], m["moexit"], m["dayexit"], strict=True)
    ]
    m.loc[pd.Series(exits, index=m.index) >= day, ["yrexit", "moexit", "dayexit"]] = 0
    m.to_csv(folder / name, index=False)


def _same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    keys = ["attack", "guarantor", "partner"]
    assert len(a) > 0 and list(a[keys].itertuples(index=False)) == list(
        b[keys].itertuples(index=False)
    )
    for column in FIGURES:
        assert np.allclose(a[column], b[column], equal_nan=True), column


@pytest.mark.parametrize("day", DAYS)
def test_the_record_cut_at_the_day_before_gives_every_case_the_same_factors(
    datasets: Path, day: str
) -> None:
    whole = _cases_on(day)
    moment = dt.date.fromisoformat(day)
    partners = tuple(sorted({x.target for x in wars.attacks() if x.day == moment}))
    _the_whole_record_written_out(datasets)
    _truncate(datasets, moment, partners)
    clear_caches()
    cut = _cases_on(day)
    _same(whole, cut)


def _plant(folder: Path, attacker: int, target: int, day: dt.date) -> None:
    name = folder / wars.ADDITIONS
    table = pd.read_csv(name)
    planted = {
        "larger_war_name": "Planted", "larger_war_id": 999, "init_war_id": 999,
        "init_war_name": "Planted", "year": day.year, "init_name": "planted",
        "init_ccode": attacker, "target_name": "planted", "target_ccode": target,
        "month_entry": day.month, "day_entry": day.day, "month_exit": 12, "day_exit": 31,
        "joiner": 0, "source": "a test's fiction",
    }  # fmt: skip
    pd.concat([table, pd.DataFrame([planted])]).to_csv(name, index=False)


@pytest.mark.parametrize("day", DAYS)
def test_a_war_planted_the_day_after_changes_no_case_and_no_replayed_year(
    datasets: Path, day: str
) -> None:
    whole = _cases_on(day)
    year = int(day[:4])
    moment = dt.date.fromisoformat(day)
    later = moment + dt.timedelta(days=2)
    half_life = Params().rivalry_half_life
    before = openworld.build(year, year)
    on_the_day = relations.relations_on(before.codes, moment, half_life)
    two_days_on = relations.relations_on(before.codes, later, half_life)
    guarantors = whole["guarantor"].map({v: k for k, v in cow.abbreviations().items()})
    attacker = next(x.attacker for x in wars.attacks() if x.day == moment)
    for g in sorted(set(guarantors.astype(int)) - {attacker}):
        _plant(datasets, attacker, g, moment + dt.timedelta(days=1))
    clear_caches()
    after = openworld.build(year, year)
    assert before.world.data_relations is not None and after.world.data_relations is not None
    assert np.array_equal(
        before.world.data_relations.at(0, half_life), after.world.data_relations.at(0, half_life)
    )
    assert np.array_equal(on_the_day, relations.relations_on(after.codes, moment, half_life))
    assert not np.array_equal(  # the planted wars are read once they have begun
        two_days_on, relations.relations_on(after.codes, later, half_life)
    )
    _same(whole, _cases_on(day))
