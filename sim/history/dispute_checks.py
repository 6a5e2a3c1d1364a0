"""The dispute labels after 1945 checked against UCDP/PRIO's record of who sent troops.

UCDP/PRIO's Armed Conflict Dataset (v25.1, via peacesciencer) lists for each conflict-year the
states on each side (``gwno_a``, ``gwno_b``) and the states that supported a side with troops
(``gwno_a_2nd``, ``gwno_b_2nd``), one row per combination. Where a scored dispute case of 1946
or later falls in an *interstate* UCDP conflict active in the case's year with the target on
one side and its adversary on the other (both cover the same fight), :func:`ucdp_check` says
whether UCDP puts the guarantor on the target's side that year, as a secondary party with
troops (or a primary one), beside the MID label, so that the disagreements can be counted.
Year-level: UCDP does not say whether the guarantor came within the dispute's window.

UCDP codes states by Gleditsch and Ward; :func:`cow_code` maps the few that differ from COW
in these years: unified Germany (GW 260, COW 255 from 1991), unified Yemen (GW 678, COW 679
from 1991) and Serbia (GW 340, COW 345). GW and COW agree on Vietnam (816, and 817 for the
Republic of Vietnam) and on the others that appear here.
"""

from __future__ import annotations

from functools import cache

import pandas as pd

from sim.history.cow import data_table

UCDP = "ucdp_armed_conflict_v25_1_peacesciencer.csv"
FIRST_YEAR = 1946
OTHER = {"a": "b", "b": "a"}
"""UCDP/PRIO's first year."""


def cow_code(gw: int, year: int) -> int:
    """Return the COW code of a Gleditsch-Ward state code in a year."""
    if gw == 260 and year >= 1991:
        return 255
    if gw == 678 and year >= 1991:
        return 679
    return 345 if gw == 340 else gw


@cache
def sides() -> pd.DataFrame:
    """Return each interstate conflict-year's states by side and role, in COW codes.

    Columns: ``conflict_id``, ``year``, ``side`` (``a`` or ``b``), ``role`` (``primary``
    or ``secondary``), ``ccode``.
    """
    t = data_table(UCDP)
    t = t[t["type_of_conflict"] == "interstate"]
    parts = []
    for column, side, role in (
        ("gwno_a", "a", "primary"),
        ("gwno_a_2nd", "a", "secondary"),
        ("gwno_b", "b", "primary"),
        ("gwno_b_2nd", "b", "secondary"),
    ):
        rows = t[t[column].notna()]
        codes = [cow_code(int(g), int(y)) for g, y in zip(rows[column], rows["year"], strict=True)]
        parts.append(
            pd.DataFrame(
                {
                    "conflict_id": rows["conflict_id"].astype(int),
                    "year": rows["year"].astype(int),
                    "side": side,
                    "role": role,
                    "ccode": codes,
                }
            )
        )
    return pd.concat(parts, ignore_index=True).drop_duplicates().reset_index(drop=True)


def ucdp_check(cases: pd.DataFrame) -> pd.DataFrame:
    """Return the scored cases of 1946 on that UCDP also covers, with UCDP's reading.

    A case is covered where an interstate conflict active in its year has the target on one
    side and its adversary on the other. Added columns: ``ucdp_conflicts`` (';'-joined ids),
    ``ucdp_role`` (the guarantor's role on the target's side: ``secondary``, ``primary`` or
    "") and ``ucdp_beside``; ``agrees`` compares ``ucdp_beside`` with ``honoured_ever``
    (the MID label at any time in the dispute, as UCDP's year cannot tell a window).
    """
    scored = cases[cases["scored"] & (cases["year"] >= FIRST_YEAR)]
    places = _places()
    columns = ("year", "partner_code", "adversary_code", "guarantor_code")
    keys = zip(*(scored[c].to_numpy(int).tolist() for c in columns), strict=True)
    rows = [_reading(places.get(year, {}), p, a, g) for year, p, a, g in keys]
    found = pd.DataFrame(rows, columns=["ucdp_conflicts", "ucdp_role"], index=scored.index)
    out = scored.join(found)
    out = out[out["ucdp_conflicts"] != ""].copy()
    out["ucdp_beside"] = out["ucdp_role"] != ""
    out["agrees"] = out["ucdp_beside"].to_numpy(bool) == out["honoured_ever"].to_numpy(bool)
    return out


@cache
def _places() -> dict[int, dict[int, set[tuple[int, str, str]]]]:
    """Return, by year and state, the (conflict, side, role) places it held."""
    places: dict[int, dict[int, set[tuple[int, str, str]]]] = {}
    s = sides()
    columns = [s[c].tolist() for c in ("year", "ccode", "conflict_id", "side", "role")]
    for year, code, cid, side, role in zip(*columns, strict=True):
        places.setdefault(year, {}).setdefault(code, set()).add((cid, side, role))
    return places


def _reading(year: dict[int, set[tuple[int, str, str]]], p: int, a: int, g: int) -> tuple[str, str]:
    theirs = {(cid, side) for cid, side, _ in year.get(a, set())}
    fights = {(cid, side) for cid, side, _ in year.get(p, set()) if (cid, OTHER[side]) in theirs}
    if not fights:
        return "", ""
    roles = {role for cid, side, role in year.get(g, set()) if (cid, side) in fights}
    role = "secondary" if "secondary" in roles else ("primary" if roles else "")
    return ";".join(str(c) for c in sorted({cid for cid, _ in fights})), role


__all__ = ["FIRST_YEAR", "UCDP", "cow_code", "sides", "ucdp_check"]
