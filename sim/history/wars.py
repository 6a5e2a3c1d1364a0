"""The interstate wars of 1816-2003 as dated attacks, and who fought whom in each.

The war list is COW's Inter-State War data v4.0 as revised by Reiter, Stam & Horowitz (2016):
each larger war is cut into dyadic wars, each with the state that began it (its initiator),
the state it attacked (its target) and the day each entered, and with lists of the states
fighting beside each. :func:`attacks` returns every such attack; :func:`belligerence` says,
for one larger war, which pairs of states fought on opposite sides (or together) and from
which day.

The side lists carry errors and cannot order a switch of sides within a year, so a listed
state counts only where COW's own dyad-years (:mod:`sim.history.dyads`) agree: a listed
opponent must be at war with that state in that year, and a listed companion must not be.
What is dropped is kept in :attr:`Belligerence.dropped`, so that it can be audited.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache

import pandas as pd

from sim.history import dyads
from sim.history.cow import data_table

WARS = "cow_interstate_war_v4_by_war_year.csv"
CORRECTIONS = "cow_war_list_corrections.csv"
"""Codes in the war list that contradict the state names beside them: the name decides."""
DATES = "war_list_dates.csv"
"""Days of entry the sources correct, each with its source (the war list's day is kept beside)."""
ADDITIONS = "war_list_additions.csv"
"""Attacks COW v4.0 codes and the war list omits, with their days and sources."""
REVIEW = "war_list_review.csv"
"""Attacked states COW v4.0 codes that the war list does not attack, with the reason kept."""
NEVER = dt.date(9999, 12, 31)
AGAINST, BESIDE = "against", "beside"


def day_of(year: int, month: float, day: float, *, last: bool = False) -> dt.date:
    """Return a date from COW's year, month and day; a missing part is the first (or last)."""
    m = int(month) if _known(month) else (12 if last else 1)
    d = int(day) if _known(day) else (31 if last else 1)
    while True:
        try:
            return dt.date(int(year), m, d)
        except ValueError:  # the 31st of a shorter month
            d -= 1


def _known(part: float) -> bool:
    return bool(part == part and part > 0)  # COW writes a missing part as NA or -9


@dataclass(frozen=True)
class Attack:
    """One state's attack on another: a dyadic war of a larger war, with its days."""

    war: int  # the larger war
    war_name: str
    attack: int  # the dyadic war's id in the list
    name: str
    attacker: int  # COW codes
    target: int
    day: dt.date  # the attacker's entry into this dyadic war
    last_day: dt.date
    opens: bool  # the attacker began a war of its own, not joining one under way


@cache
def _rows() -> pd.DataFrame:
    """Return the war list's rows, its miscoded states corrected (see ``CORRECTIONS``)."""
    rows = data_table(WARS).copy()
    named = [c for c in rows.columns if c.endswith("name") and c.replace("name", "ccode") in rows]
    for fix in data_table(CORRECTIONS).itertuples(index=False):
        for column in named:
            code = column.replace("name", "ccode")
            wrong = (rows[column] == fix.name) & (rows[code] == fix.wrong)
            rows[code] = rows[code].mask(wrong, fix.right)
    rows = _redated(rows)
    added = data_table(ADDITIONS).drop(columns="source")
    if len(added):
        rows = pd.concat([rows, added], ignore_index=True)[list(rows.columns)]
    return rows.sort_values(["init_war_id", "year"], kind="stable")


def _redated(rows: pd.DataFrame) -> pd.DataFrame:
    """Return the war list with the days of entry that ``DATES`` corrects."""
    rows = rows.copy()
    fixes = data_table(DATES)
    for column in ("month_entry", "day_entry"):
        right = {
            (int(w), int(y)): float(v)
            for w, y, v in zip(fixes["init_war_id"], fixes["year"], fixes[column], strict=True)
        }
        keys = zip(rows["init_war_id"].astype(int), rows["year"].astype(int), strict=True)
        rows[column] = [right.get(k, v) for k, v in zip(keys, rows[column], strict=True)]
    return rows


def _lists(row: pd.Series, prefix: str) -> list[int]:
    cols = [c for c in row.index if c.startswith(prefix) and c.endswith("ccode")]
    return [int(row[c]) for c in cols if row[c] == row[c]]


@cache
def attacks() -> tuple[Attack, ...]:
    """Return every attack of the war list, in the order of the list."""
    found = []
    for attack, part in _rows().groupby("init_war_id", sort=True):
        first, last = part.iloc[0], part.iloc[-1]
        found.append(
            Attack(
                war=int(first["larger_war_id"]),
                war_name=str(first["larger_war_name"]),
                attack=int(str(attack)),
                name=str(first["init_war_name"]),
                attacker=int(first["init_ccode"]),
                target=int(first["target_ccode"]),
                day=day_of(first["year"], first["month_entry"], first["day_entry"]),
                last_day=_exit(last),
                opens=not bool(first["joiner"]),
            )
        )
    return tuple(found)


def _exit(row: pd.Series) -> dt.date:
    stop = day_of(row["year"], row["month_exit"], row["day_exit"], last=True)
    if row["month_exit02"] == row["month_exit02"]:  # a second spell in the same year
        stop = max(stop, day_of(row["year"], row["month_exit02"], row["day_exit02"], last=True))
    return stop


@dataclass(frozen=True)
class Listed:
    """One pair of states the war list relates, and from when."""

    a: int
    b: int
    relation: str  # AGAINST (``a`` on the attacking side of the row) or BESIDE
    day: dt.date
    year: int
    attack: int  # the dyadic war whose row says so
    direct: bool  # initiator and target of that row, not a side list


@dataclass
class Belligerence:
    """Who fought whom in one larger war, and from which day."""

    war: int
    pairs: dict[tuple[int, int, str], dt.date] = field(default_factory=dict)
    sources: dict[tuple[int, int, str], int] = field(default_factory=dict)
    assaults: dict[tuple[int, int], dt.date] = field(default_factory=dict)
    entry: dict[int, dt.date] = field(default_factory=dict)
    exit: dict[int, dt.date] = field(default_factory=dict)
    cow_wars: tuple[int, ...] = ()
    dropped: list[Listed] = field(default_factory=list)

    def first(self, a: int, b: int, relation: str) -> dt.date | None:
        """Return the first day ``a`` and ``b`` fought against (or beside) each other."""
        return self.pairs.get((min(a, b), max(a, b), relation))

    def source(self, a: int, b: int, relation: str) -> int | None:
        """Return the dyadic war whose row first relates ``a`` and ``b`` so."""
        return self.sources.get((min(a, b), max(a, b), relation))

    def assault(self, a: int, b: int) -> dt.date | None:
        """Return the first day ``a`` was on the attacking side of a dyadic war against ``b``."""
        return self.assaults.get((a, b))

    def opponents(self, state: int, by: dt.date = NEVER) -> frozenset[int]:
        """Return the states at war with ``state`` by a day."""
        return frozenset(
            b if a == state else a
            for (a, b, rel), day in self.pairs.items()
            if rel == AGAINST and day <= by and state in (a, b)
        )

    def _add(self, item: Listed) -> None:
        key = (min(item.a, item.b), max(item.a, item.b), item.relation)
        if item.day < self.pairs.get(key, NEVER):
            self.pairs[key] = item.day
            self.sources[key] = item.attack
        if item.relation == AGAINST and item.day < self.assaults.get((item.a, item.b), NEVER):
            self.assaults[(item.a, item.b)] = item.day
        for s in (item.a, item.b):
            self.entry[s] = min(self.entry.get(s, NEVER), item.day)


@cache
def belligerence(war: int) -> Belligerence:
    """Return who fought whom in one larger war, the side lists checked against COW."""
    rows = _rows()[_rows()["larger_war_id"] == war]
    own = _own_spells(rows)
    listed = list(_listed(rows, own))
    direct = frozenset((x.a, x.b, year) for x in listed if x.direct for year in _years(x, own))
    cow_wars = dyads.matching(direct | {(b, a, y) for a, b, y in direct})
    confirmed = frozenset().union(*(dyads.at_war(w) for w in cow_wars))
    result = Belligerence(war, cow_wars=cow_wars)
    for item in listed:
        if item.direct or _agrees(item, confirmed):
            result._add(item)
        else:
            result.dropped.append(item)
    last_year: dict[int, int] = {}
    for item in listed:
        for s in (item.a, item.b):
            last_year[s] = max(last_year.get(s, 0), item.year)
    result.exit = {s: own[s][1] if s in own else dt.date(y, 12, 31) for s, y in last_year.items()}
    return result


def _years(item: Listed, own: dict[int, tuple[dt.date, dt.date]]) -> range:
    stop = own.get(item.a, (item.day, item.day))[1]
    return range(item.day.year, max(stop.year, item.day.year) + 1)


def _agrees(item: Listed, confirmed: frozenset[tuple[int, int, int]]) -> bool:
    """Whether COW's dyad-years bear out a side list's entry in its year."""
    at_war = (item.a, item.b, item.year) in confirmed
    return at_war if item.relation == AGAINST else not at_war


def _own_spells(rows: pd.DataFrame) -> dict[int, tuple[dt.date, dt.date]]:
    """Return each initiator's and target's first entry and last exit in the war."""
    spells: dict[int, tuple[dt.date, dt.date]] = {}
    for _, part in rows.groupby("init_war_id", sort=True):
        first, last = part.iloc[0], part.iloc[-1]
        start = day_of(first["year"], first["month_entry"], first["day_entry"])
        stop = _exit(last)
        for s in (int(first["init_ccode"]), int(first["target_ccode"])):
            old = spells.get(s, (NEVER, dt.date.min))
            spells[s] = (min(old[0], start), max(old[1], stop))
    return spells


def _listed(rows: pd.DataFrame, own: dict[int, tuple[dt.date, dt.date]]) -> Iterator[Listed]:
    """Yield every pair each row relates, dated by the row and by the states' own entries."""
    for attack, part in rows.groupby("init_war_id", sort=True):
        first_year = int(part["year"].min())
        for _, row in part.iterrows():
            year = int(row["year"])
            start = (
                day_of(year, row["month_entry"], row["day_entry"])
                if year == first_year
                else dt.date(year, 1, 1)
            )
            yield from _row_pairs(row, int(str(attack)), year, start, own)


def _row_pairs(
    row: pd.Series,
    attack: int,
    year: int,
    start: dt.date,
    own: dict[int, tuple[dt.date, dt.date]],
) -> Iterator[Listed]:
    i, t = int(row["init_ccode"]), int(row["target_ccode"])
    allies, advs = _lists(row, "ally"), _lists(row, "adv")
    yield Listed(i, t, AGAINST, start, year, attack, True)
    related = [(i, x, BESIDE) for x in allies] + [(t, x, BESIDE) for x in advs]
    related += [(x, t, AGAINST) for x in allies] + [(i, x, AGAINST) for x in advs]
    related += [(x, y, AGAINST) for x in allies for y in advs]
    for a, b, relation in related:
        if a != b:
            day = max(start, own.get(a, (start,))[0], own.get(b, (start,))[0])
            yield Listed(a, b, relation, day, year, attack, False)
