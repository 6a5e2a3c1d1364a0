"""Who won and who lost each interstate war, and in which year: COW's war outcomes.

COW's Inter-State War data v4.0 (the dyad-years, :mod:`sim.history.dyads`) code each
state's outcome in each war: 1 winner, 2 loser, 3 compromise, 4 transformed into another
war, 6 stalemate (and a few others). A state's year of an outcome is its last year in
that war. The open world tells the model who was beaten when a replayed war ends
(:mod:`sim.history.openworld`); the survival checks ask whether alliances end more often
after a member or their adversary was beaten (:mod:`sim.analysis.patterns`).
"""

from __future__ import annotations

from functools import cache

import pandas as pd

from sim.history.cow import data_table
from sim.history.dyads import DYADS

WINNER, LOSER = 1, 2


@cache
def outcomes() -> pd.DataFrame:
    """Return one row per state in each war: ``war``, ``state``, ``year`` (its last), ``outcome``.

    A state whose outcome changed over a war (five in the data) has its last year's.
    """
    t = data_table(DYADS)[["warnum", "ccode1", "year", "outcome1"]].dropna()
    t = t.astype(int).sort_values(["warnum", "ccode1", "year"], kind="stable")
    last = t.groupby(["warnum", "ccode1"], sort=True).tail(1)
    return pd.DataFrame(
        {
            "war": last["warnum"].to_numpy(),
            "state": last["ccode1"].to_numpy(),
            "year": last["year"].to_numpy(),
            "outcome": last["outcome1"].to_numpy(),
        }
    ).reset_index(drop=True)


@cache
def _dyads() -> pd.DataFrame:
    return data_table(DYADS)[["warnum", "ccode1", "ccode2", "year"]].dropna().astype(int)


def losers(attacker: int, target: int, first: int, last: int) -> frozenset[int]:
    """Return which of two states that fought each other in ``first``..``last`` lost that war.

    The war is COW's in which the pair was at war in those years (the war list numbers its
    wars its own way, so the pair and the years find COW's); a state lost it if COW codes
    it as a loser.
    """
    d = _dyads()
    pair = d[(d["ccode1"] == attacker) & (d["ccode2"] == target) & d["year"].between(first, last)]
    t = outcomes()
    found = t[t["war"].isin(pair["warnum"]) & t["state"].isin([attacker, target])]
    return frozenset(found.loc[found["outcome"] == LOSER, "state"].tolist())


def years_of(outcome: int) -> dict[int, tuple[int, ...]]:
    """Return, for each state, the years in which it ended a war with ``outcome``."""
    t = outcomes()
    t = t[t["outcome"] == outcome]
    found: dict[int, set[int]] = {}
    for state, year in zip(t["state"].tolist(), t["year"].tolist(), strict=True):
        found.setdefault(int(state), set()).add(int(year))
    return {state: tuple(sorted(years)) for state, years in found.items()}
