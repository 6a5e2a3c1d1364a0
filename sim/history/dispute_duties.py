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
from typing import Any

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
    return _members()[0].iloc[_v4_rows(partner, day)]


def _v4_rows(partner: int, day: dt.date) -> np.ndarray:
    """Return the positions of :func:`v4_duties`'s rows among ATOP v4.01's member rows."""
    _, a = _members()
    live = _live(day)
    pacts = np.unique(a["atopid"][live & (a["member"] == partner)])
    bound = np.flatnonzero(live & np.isin(a["atopid"], pacts) & (a["member"] != partner))
    order = bound[np.lexsort((a["atopid"][bound], a["rank"][bound], a["member"][bound]))]
    _, first = np.unique(a["member"][order], return_index=True)
    return np.asarray(order[np.sort(first)])


@cache
def _records() -> tuple[dict[str, Any], ...]:
    """Return ATOP v4.01's member rows as mappings, in :func:`obligations.members` order."""
    m = obligations.members()
    columns = list(m.columns)
    return tuple(dict(zip(columns, row, strict=True)) for row in m.itertuples(index=False))


@cache
def duty_rows(partner: int, day: dt.date) -> tuple[dict[str, Any], ...]:
    """Return each state bound to ``partner`` as ``day`` opens, with its strongest obligation.

    Each row is an ATOP v4.01 member row (the columns of :func:`obligations.members`) as a
    mapping with a ``source``; from :data:`V5_FROM`, a row known only from ATOP v5.1 has
    just ``member``, ``kind``, ``atopid`` 0 and ``source``. Ordered by member.
    """
    rows = _records()
    v4 = [rows[i] | {"source": V4_SOURCE} for i in _v4_rows(partner, day)]
    if day.year < V5_FROM:
        return tuple(v4)
    dyads = _dyad_years()
    known = dyads[(dyads["year"] == known_year(day.year)) & (dyads["partner"] == partner)]
    types = dict(zip(known["member"].tolist(), known["kind"].tolist(), strict=True))
    same = [r | {"source": BOTH_SOURCE} for r in v4 if types.get(r["member"]) == r["kind"]]
    held = {r["member"] for r in same}
    fresh = [
        {"member": m, "kind": k, "atopid": 0, "source": V5_SOURCE}
        for m, k in types.items()
        if m not in held
    ]
    return tuple(sorted(same + fresh, key=lambda r: r["member"]))


def duties_on(partner: int, day: dt.date) -> pd.DataFrame:
    """Return :func:`duty_rows` as a table."""
    return pd.DataFrame(list(duty_rows(partner, day)))


@cache
def bound_on(partner: int, day: dt.date) -> frozenset[int]:
    """Return the states bound to ``partner`` as ``day`` opens not to fight it or to fight for it.

    Every obligation but consultation counts, as in :func:`obligations.bound_states`.
    """
    if day.year < V5_FROM:
        _, a = _members()
        rows = _v4_rows(partner, day)
        held = rows[a["rank"][rows] != KINDS.index("consul")]
        return frozenset(a["member"][held].tolist())
    duties = duty_rows(partner, day)
    return frozenset(int(r["member"]) for r in duties if r["kind"] != "consultation")


def conditions_on(duty: dict[str, Any], call: Invocation) -> tuple[str, str]:
    """Return whether an attack met a duty's conditions, and why (see the module's text).

    ``duty`` is a row of :func:`duties_on` as a mapping (``to_dict("records")``).
    """
    if duty["source"] != V5_SOURCE:
        if duty["kind"] in ("defence", "neutrality"):
            return obligations.conditions(pd.Series(duty), call)
        return obligations.conditions(pd.Series({"kind": duty["kind"]}), call)
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
    "duty_rows",
    "members_of",
    "v4_duties",
]
