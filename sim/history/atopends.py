"""How ATOP's alliances began and ended, each end in the model's words.

The alliance level of ATOP v4.01 gives each alliance's dates (``begyr/begmo/begday``,
``endyr/endmo/endday``) and whether it was still in force when the data end (``ineffect``);
the member level gives, for each member's exit, how it left (``termmode``) and why
(``termcaus``). The ATOP codebook could not be found, so the codes' meanings here are
inferred from their cross-tabulation and from cases checked by hand (docs/ODD.md 3.13):
:data:`TERMMODE` and :data:`TERMCAUS` say what each code is taken to mean, and
:data:`MAPPING` turns a pair of codes into one of the model's end reasons with the
confidence of that reading. A pair that cannot be read with confidence is ``other``.

An alliance's reason is read from the member exits on its end date (the exits that ended
it; in v4.01 they never disagree). An alliance still in force in 2016 is censored there.
"""

from __future__ import annotations

import datetime as dt
from functools import cache

import numpy as np
import pandas as pd

from sim.history import obligations
from sim.history.cow import NMC, data_table
from sim.history.wars import day_of

ALLIANCES, MEMBERS = "atop_v4_01_alliance_level.csv", "atop_v4_01_member_level.csv"
DATA_END = dt.date(2016, 12, 31)
"""The last day ATOP v4.01 covers: alliances still in force are censored here."""

TERMMODE = {
    0: "in force at the end of the data",
    1: "expired at its term and was not renewed",
    2: "replaced by a new or revised treaty (inside an alliance: a new phase, not an end)",
    3: "ended early by a member's choice: withdrawal, denunciation, violation",
    4: "a member lost its independence",
    5: "its purpose was fulfilled",
    6: "its members were defeated in a war with an outside state",
}
TERMCAUS = {
    0: "not ended",
    1: "renegotiation or replacement",
    2: "a member's loss of independence",
    3: "goals achieved, the threat gone",
    4: "a change in the members' interests or relations",
    5: "unclear",
    6: "war between members",
    7: "war with an outside state: defeat, switching sides, no aid",
    8: "other, often a member's revolution",
}
NO_CODE = -1
"""``termcaus`` left empty (two member rows)."""

MAPPING: dict[tuple[int, int], tuple[str, str]] = {
    (5, 3): ("threat_gone", "high"),
    (3, 3): ("threat_gone", "medium"),
    (3, 4): ("balance_shifted", "medium"),
    (3, 6): ("violated", "high"),
    (3, 7): ("violated", "medium"),
    (1, 3): ("lapsed", "high"),
    (1, 4): ("lapsed", "high"),
    (1, NO_CODE): ("lapsed", "high"),
    (4, 2): ("member_gone", "high"),
    (6, 7): ("member_gone", "medium"),
    (2, 1): ("renegotiated", "high"),
    (2, 4): ("renegotiated", "medium"),
    (1, 1): ("renegotiated", "medium"),
    (3, 5): ("other", "low"),
    (3, 8): ("other", "low"),
    (6, 8): ("other", "low"),
}
"""(termmode, termcaus) -> (the model's end reason, how confidently the codes say so)."""
UNREAD = ("other", "none")
"""An ended alliance whose codes :data:`MAPPING` does not read (one: coded as in force)."""
REASONS = ("threat_gone", "balance_shifted", "violated", "lapsed", "member_gone")
"""The end reasons the model and ATOP share; ``renegotiated`` and ``other`` are ATOP's only."""
KINDS = dict(
    zip(
        obligations.KINDS,
        ("defence_pact", "offence_pact", "neutrality", "non_aggression", "consultation"),
        strict=True,
    )
)
"""ATOP's obligations, strongest first (as :data:`sim.history.obligations.KINDS` orders them),
and the kind each makes of an alliance."""


def reason_of(termmode: int, termcaus: int) -> tuple[str, str]:
    """Return the model's end reason for a pair of ATOP codes, and the reading's confidence."""
    return MAPPING.get((termmode, termcaus), UNREAD)


@cache
def alliances() -> pd.DataFrame:
    """Return one row per ATOP alliance: its dates, how it ended, its kind and its shape.

    Columns: ``atopid``, ``start`` and ``end`` (dates; ``end`` is the censoring day for an
    alliance in force), ``ended``, ``years``, ``start_year``, ``termmode``, ``termcaus``,
    ``reason``, ``confidence``, ``kind`` (its strongest obligation), ``defence`` (some
    member owes defence), ``wartime``, ``bilateral``, ``threats`` (the states it names as
    its threat, COW codes), ``ratio`` (the strongest to the weakest founding member's CINC
    in its first year) and ``nuclear_patron`` (its strongest founding member was nuclear).
    """
    a = data_table(ALLIANCES)
    start = [day_of(y, m, d) for y, m, d in zip(a["begyr"], a["begmo"], a["begday"], strict=True)]
    ended = (a["ineffect"] == 0).to_numpy()
    end = [
        day_of(y, m, d, last=True) if e else DATA_END
        for y, m, d, e in zip(a["endyr"], a["endmo"], a["endday"], ended, strict=True)
    ]
    codes = _final_codes(a, end, ended)
    ratio, nuclear = _shape(a)
    table = pd.DataFrame(
        {
            "atopid": a["atopid"].astype(int),
            "start": start,
            "end": end,
            "ended": ended,
            "years": [max((e - s).days, 1) / 365.25 for s, e in zip(start, end, strict=True)],
            "start_year": a["begyr"].astype(int),
            "kind": [_kind(row) for row in a[list(KINDS)].itertuples(index=False)],
            "defence": (a["defense"] == 1).to_numpy(),
            "wartime": (a["wartime"] == 1).to_numpy(),
            "bilateral": (a["bilat"] == 1).to_numpy(),
            "threats": [_threats(x, y) for x, y in zip(a["statthr1"], a["statthr2"], strict=True)],
            "ratio": ratio,
            "nuclear_patron": nuclear,
        }
    )
    return table.join(codes)


def _kind(row: tuple[float, ...]) -> str:
    for held, kind in zip(row, KINDS.values(), strict=True):
        if held == 1:
            return kind
    return "other"


def _threats(*codes: float) -> tuple[int, ...]:
    return tuple(int(c) for c in codes if c == c and c > 0)


def _final_codes(a: pd.DataFrame, end: list[dt.date], ended: np.ndarray) -> pd.DataFrame:
    """Return each alliance's ending codes, read from the member exits on its end date."""
    m = data_table(MEMBERS)
    exits = pd.DataFrame(
        {
            "atopid": m["atopid"],
            "exit": [
                day_of(y, mo, d, last=True) if y > 0 else None
                for y, mo, d in zip(m["yrexit"], m["moexit"], m["dayexit"], strict=True)
            ],
            "termmode": m["termmode"].fillna(0).astype(int),
            "termcaus": m["termcaus"].fillna(NO_CODE).astype(int),
        }
    )
    ends = pd.DataFrame({"atopid": a["atopid"], "end": end, "ended": ended})
    final = exits.merge(ends, on="atopid")
    final = final[final["ended"] & (final["exit"] == final["end"])]
    first = final.groupby("atopid")[["termmode", "termcaus"]].first()
    codes = first.reindex(a["atopid"]).fillna(0).astype(int).reset_index(drop=True)
    read = [
        reason_of(t, c) if e else ("censored", "high")
        for t, c, e in zip(codes["termmode"], codes["termcaus"], ended, strict=True)
    ]
    return codes.assign(reason=[r for r, _ in read], confidence=[c for _, c in read])


def _shape(a: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Return each alliance's founding members' CINC ratio and whether the strongest was nuclear.

    The founding members are those that entered in the alliance's first year; CINC is that
    year's, or the next year's or the one after (the capabilities data begin in 1816).
    """
    m = data_table(MEMBERS)
    m = m.merge(a[["atopid", "begyr"]], on="atopid")
    founders = m[m["yrent"] == m["begyr"]].drop_duplicates(["atopid", "member"])
    nmc = data_table(NMC)
    cinc = nmc[nmc["cinc"] > 0].set_index(["ccode", "year"])["cinc"]
    bleek = data_table("nuclear_weapons_status_bleek_owid.csv")
    bleek = bleek[bleek["nuclear_weapons_possession"] == 1]
    armed = set(zip(bleek["ccode"].astype(int), bleek["Year"].astype(int), strict=True))
    figures = founders.assign(
        cinc=[_cinc(cinc, c, y) for c, y in zip(founders["member"], founders["begyr"], strict=True)]
    ).dropna(subset=["cinc"])
    by = figures.groupby("atopid")["cinc"]
    ratio = (by.max() / by.min()).where(by.count() >= 2)
    strongest = figures.loc[by.idxmax()]
    pairs = zip(strongest["member"], strongest["begyr"], strict=True)
    nuclear = pd.Series(
        [(int(c), int(y)) in armed for c, y in pairs], index=strongest["atopid"].to_numpy()
    )
    ids = a["atopid"]
    return ratio.reindex(ids).to_numpy(float), nuclear.reindex(ids, fill_value=False).to_numpy(bool)


def _cinc(cinc: pd.Series, state: int, year: int) -> float:
    for y in (year, year + 1, year + 2):
        if (state, y) in cinc.index:
            return float(cinc[(state, y)])
    return float("nan")


@cache
def memberships() -> pd.DataFrame:
    """Return every member's years in each alliance: ``atopid``, ``state``, ``first``, ``last``.

    A member still in at the end of the data is in until 2016; a member with several
    phases in one alliance has a row for each.
    """
    m = data_table(MEMBERS)
    return pd.DataFrame(
        {
            "atopid": m["atopid"].astype(int),
            "state": m["member"].astype(int),
            "first": m["yrent"].astype(int),
            "last": np.where(m["yrexit"] > 0, m["yrexit"], DATA_END.year).astype(int),
        }
    )
