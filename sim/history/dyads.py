"""Who fought whom, year by year: the COW Inter-State War Data v4.0 as directed dyad-years.

This is the independent record the back-test's labels are checked against (the labels
themselves come from the Reiter-Stam-Horowitz war list, :mod:`sim.history.wars`). It also
says which states COW codes as a war's initiators, the side-level coding the reliability
literature uses to tell an attacked state from one that began its war.
"""

from __future__ import annotations

from functools import cache

import pandas as pd

from sim.history.cow import data_table

DYADS = "cow_war_inter_v4_dyad_year_peacesciencer.csv"

Pair = tuple[int, int, int]  # (state, opponent, year)


@cache
def _table() -> pd.DataFrame:
    t = data_table(DYADS)
    codes = ["warnum", "ccode1", "ccode2", "year", "initiator1"]
    return t[codes].astype(int)


@cache
def at_war(war: int) -> frozenset[Pair]:
    """Return every (state, opponent, year) of one COW war (both directions)."""
    t = _table()
    t = t[t["warnum"] == war]
    return frozenset(zip(t["ccode1"], t["ccode2"], t["year"], strict=True))


@cache
def initiators(war: int) -> frozenset[int]:
    """Return the states COW codes as initiators of one war."""
    t = _table()
    return frozenset(t[(t["warnum"] == war) & (t["initiator1"] == 1)]["ccode1"].tolist())


@cache
def wars() -> tuple[int, ...]:
    """Return the COW war numbers in the file."""
    return tuple(sorted(_table()["warnum"].unique().tolist()))


def matching(pairs: frozenset[Pair]) -> tuple[int, ...]:
    """Return the COW wars that share at least one dyad-year with ``pairs``."""
    return tuple(w for w in wars() if at_war(w) & pairs)
