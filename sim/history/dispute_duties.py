"""Who was bound to a dispute's target on its day, 1816-2010, on what terms, as known then.

To the end of 2003 this is the war back-test's reading, unchanged: ATOP v4.01's member-level
obligations in force on the morning of the day (:func:`sim.history.obligations.duties_to`),
with their conditions. From :data:`V5_FROM` on, as the issue asks, who was bound and by
which type of obligation comes from ATOP v5.1's directed dyad-years (``ccode1`` owes
``ccode2``): the year before the day's (:func:`sim.history.clock.known_year`, the clock's
rule for a figure dated by the year), the strongest type held (defence, offence, neutrality,
non-aggression, consultation). The dyad-years carry no conditions and no alliance id, so:

* where ATOP v4.01 holds the same state bound to the same target by the same type of
  obligation that morning, the v4.01 row stands (its alliance, members and conditions);
  v4.01's member rows run past 2003 (entries to 2016), so this is most dyads;
* otherwise the duty's alliance is unknown (``atopid`` 0, ``members`` 0) and a defence or
  neutrality duty's conditions are :data:`UNKNOWN_V5`, set apart as ``undecided`` are (an
  offence duty is still not invoked; non-aggression and consultation carry no conditions
  in ATOP and count as met, as they do in :func:`sim.history.obligations.conditions`).
"""

from __future__ import annotations

import datetime as dt
from functools import cache

import numpy as np
import pandas as pd

from sim.history import obligations
from sim.history.clock import known_year
from sim.history.cow import data_table
from sim.history.obligations import KIND_NAMES, KINDS, MET, NOT_INVOKED, Invocation

V5 = "atop_v5_1_directed_dyad_year.csv"
V5_FROM = 2004
"""The first year whose obligations are read from ATOP v5.1's dyad-years."""
UNKNOWN_V5 = "unknown_v5"
"""The conditions of a duty known only from ATOP v5.1's dyad-years: not in the data."""
V4_SOURCE, V5_SOURCE, BOTH_SOURCE = "ATOP v4.01", "ATOP v5.1", "ATOP v5.1; terms ATOP v4.01"


@cache
def _dyad_years() -> pd.DataFrame:
    """Return ATOP v5.1's directed dyad-years with each dyad's strongest obligation."""
    t = data_table(V5)
    held = t[[f"atop_{k}" for k in KINDS]].to_numpy() == 1
    strongest = np.where(held.any(axis=1), held.argmax(axis=1), -1)
    kind = np.array([KIND_NAMES[k] for k in KINDS] + [""])[strongest]
    out = pd.DataFrame(
        {"member": t["ccode1"].astype(int), "partner": t["ccode2"].astype(int), "kind": kind}
    )
    out["year"] = t["year"].astype(int)
    return out[out["kind"] != ""]


@cache
def _members() -> tuple[pd.DataFrame, dict[str, np.ndarray]]:
    """Return ATOP v4.01's member rows and their columns as arrays (days as ordinals)."""
    m = obligations.members()
    rank = {KIND_NAMES[k]: i for i, k in enumerate(KINDS)}
    arrays = {
        "entry": np.array([d.toordinal() for d in m["entry"]]),
        "exit": np.array([d.toordinal() for d in m["exit"]]),
        "member": m["member"].to_numpy(int),
        "atopid": m["atopid"].to_numpy(int),
        "rank": m["kind"].map(rank).to_numpy(int),
    }
    return m, arrays


def _live(day: dt.date) -> np.ndarray:
    _, a = _members()
    d = day.toordinal()
    return np.asarray((a["entry"] < d) & (a["exit"] >= d))


def v4_duties(partner: int, day: dt.date) -> pd.DataFrame:
    """Return :func:`obligations.duties_to` (ATOP v4.01), computed over arrays for speed.

    The same rows in the same order: each state bound to ``partner`` as ``day`` opens, once,
    by its strongest obligation (then the lowest ATOP id).
    """
    m, a = _members()
    live = _live(day)
    pacts = np.unique(a["atopid"][live & (a["member"] == partner)])
    bound = np.flatnonzero(live & np.isin(a["atopid"], pacts) & (a["member"] != partner))
    order = bound[np.lexsort((a["atopid"][bound], a["rank"][bound], a["member"][bound]))]
    _, first = np.unique(a["member"][order], return_index=True)
    return m.iloc[order[np.sort(first)]]


@cache
def duties_on(partner: int, day: dt.date) -> pd.DataFrame:
    """Return each state bound to ``partner`` as ``day`` opens, with its strongest obligation.

    The rows are ATOP v4.01 member rows (columns of :func:`obligations.members`) with a
    ``source`` column; from :data:`V5_FROM`, rows known only from ATOP v5.1 have
    ``atopid`` 0 and no condition columns set. Do not modify the returned frame (cached).
    """
    v4 = v4_duties(partner, day).assign(source=V4_SOURCE)
    if day.year < V5_FROM:
        return v4
    dyads = _dyad_years()
    known = dyads[(dyads["year"] == known_year(day.year)) & (dyads["partner"] == partner)]
    types = dict(zip(known["member"], known["kind"], strict=True))
    match = [types.get(m) == k for m, k in zip(v4["member"], v4["kind"], strict=True)]
    same = v4[np.array(match, dtype=bool)]
    fresh = known[~known["member"].isin(same["member"])]
    new = pd.DataFrame({"member": fresh["member"], "kind": fresh["kind"]}).assign(
        atopid=0, source=V5_SOURCE
    )
    rows = pd.concat([same.assign(source=BOTH_SOURCE), new], ignore_index=True)
    return rows.sort_values("member", kind="stable").reset_index(drop=True)


@cache
def bound_on(partner: int, day: dt.date) -> frozenset[int]:
    """Return the states bound to ``partner`` as ``day`` opens not to fight it or to fight for it.

    Every obligation but consultation counts, as in :func:`obligations.bound_states`.
    """
    duties = duties_on(partner, day)
    return frozenset(duties.loc[duties["kind"] != "consultation", "member"].astype(int).tolist())


def conditions_on(duty: pd.Series, call: Invocation) -> tuple[str, str]:
    """Return whether an attack met a duty's conditions, and why (see the module's text)."""
    if duty["source"] != V5_SOURCE:
        return obligations.conditions(duty, call)
    if duty["kind"] == "offence":
        return NOT_INVOKED, "an offence duty is called by the partner's own attack"
    if duty["kind"] in ("defence", "neutrality"):
        return UNKNOWN_V5, "ATOP v5.1 dyad-years: the conditions are not in the data"
    return MET, ""


@cache
def members_of(atopid: int, day: dt.date) -> int:
    """Return an alliance's members in force as ``day`` opens (0: the alliance is unknown)."""
    if not atopid:
        return 0
    _, a = _members()
    return int(np.unique(a["member"][_live(day) & (a["atopid"] == atopid)]).size)


__all__ = [
    "UNKNOWN_V5",
    "V5",
    "V5_FROM",
    "bound_on",
    "conditions_on",
    "duties_on",
    "members_of",
    "v4_duties",
]
