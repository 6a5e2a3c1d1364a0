"""The war list audited against COW's own dyad-years: every attacked state in both.

COW's Inter-State War v4.0 dyad-years (:mod:`sim.history.dyads`) code, for each war, the side
that began it. A state on the other side was attacked; the war list (:mod:`sim.history.wars`)
should hold an attack on it, or an attack of its own, by its first year in the war. Each
state that it does not is either added (``war_list_additions.csv``, with its day and source)
or kept out with a reviewed reason (``war_list_review.csv``); :func:`unreviewed` lists any
left, and the test suite asks that none is.
"""

from __future__ import annotations

import pandas as pd

from sim.history import wars
from sim.history.cow import data_table

DYADS = "cow_war_inter_v4_dyad_year_peacesciencer.csv"


def discrepancies() -> pd.DataFrame:
    """Return every state COW codes as attacked that the war list neither attacks nor joins.

    Columns: ``cow_war``, ``target``, ``first_year`` (its first year in the war).
    """
    listed = _listed_by_cow_war()
    dyads = data_table(DYADS)
    attacked = dyads[dyads["initiator1"] == 1]
    found = []
    for key, part in attacked.groupby(["warnum", "ccode2"]):
        war, target = (int(str(k).split(".")[0]) for k in tuple(key))
        first = int(part["year"].min())
        years = listed.get(war, {}).get(target, [])
        if not any(year <= first for year in years):
            found.append((war, target, first))
    return pd.DataFrame(found, columns=["cow_war", "target", "first_year"])


def _listed_by_cow_war() -> dict[int, dict[int, list[int]]]:
    """Return, by COW war, the years each state is attacked or attacks in the war list."""
    found: dict[int, dict[int, list[int]]] = {}
    for attack in wars.attacks():
        for cow_war in wars.belligerence(attack.war).cow_wars:
            states = found.setdefault(int(cow_war), {})
            for state in (attack.attacker, attack.target):
                states.setdefault(state, []).append(attack.day.year)
    return found


def unreviewed() -> pd.DataFrame:
    """Return the discrepancies that ``war_list_review.csv`` does not explain."""
    review = data_table(wars.REVIEW)[["cow_war", "target", "first_year"]]
    merged = discrepancies().merge(review, how="left", indicator=True)
    return merged[merged["_merge"] == "left_only"].drop(columns="_merge")


def stale() -> pd.DataFrame:
    """Return the reviewed rows that no longer match a discrepancy (to be removed)."""
    review = data_table(wars.REVIEW)
    merged = review.merge(discrepancies(), how="left", indicator=True)
    return merged[merged["_merge"] == "left_only"].drop(columns="_merge")
