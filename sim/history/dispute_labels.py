"""The militarized disputes' record: who was a target of force, on which day, and who joined it.

The GML corrected MID data (Gibler, Miller & Little 2016; v2.2.1 via peacesciencer) list each
dispute's participants with their own start days, their side (side A took the first action),
whether each was an originator (in the dispute from its first day) or a joiner, and each
participant's highest action (MID codebook: 7 show of force, 11 fortify a border, 14 occupy
territory, 16 attack, 17 clash, 20 begin an interstate war, 21 join one).

A *target* is a participant against which the other side used force in earnest: the other
side's highest action (the most any of its participants did) reaches a threshold
(:data:`ATTACK`, an attack, by default), or the dispute had deaths. Its day is its own start
day: where the day is unknown (-9), peacesciencer's imputed ``dummy_stday`` stands in (the
month is always known in v2.2.1). The data give a participant's highest action, not the day
it was reached: a joiner's label is read from the day it joined.

What a state did when a target was struck (:func:`answer`) follows the war back-test's reading
of the war list (:func:`sim.history.invocations.label`): ``beside`` if its first episode in the
dispute from that day on was on the target's side, ``against`` if on the other side, ``out``
if none; ``already`` a participant before the day (``co_belligerent`` on the target's side,
``enemy`` on the other). The "fought" label asks for a highest action of :data:`FOUGHT`
(an attack) or more on the target's side: a show of force or an alert beside an ally is
support, not fighting for it, and is the second label (``joined``: any militarized action,
highest action 1 or more).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from typing import NamedTuple

import numpy as np
import pandas as pd

from sim.history.cow import data_table
from sim.history.invocations import SELF_DEFENCE_DAYS
from sim.history.wars import AGAINST, BESIDE, day_of

PARTICIPANTS = "gml_mid_participants_v2_2_1_peacesciencer.csv"
DISPUTES = "gml_mid_disputes_v2_2_1_peacesciencer.csv"
ATTACK = 16
"""MID highest action 16, an attack: the default threshold of force used in earnest."""
FOUGHT = 16
"""A joiner's highest action from which it fought beside the target (an attack or more)."""
MILITARIZED = 1
"""A joiner's highest action from which its joining was militarized (a threat or more)."""
THRESHOLDS: dict[int | None, str] = {
    7: "show of force",
    11: "fortify border",
    14: "occupation of territory",
    16: "attack",
    17: "clash",
    20: "interstate war",
    None: "deaths only",
}
"""The thresholds the case count is reported under, most inclusive first (None: deaths only).

MID highest action 19 (use of CBR weapons) never occurs in the data, so war begins at 20."""
OUT = "out"
EPOCH = dt.date(1816, 1, 1)
"""The origin of :func:`attack_id`'s day count."""


@cache
def participants() -> pd.DataFrame:
    """Return every participant episode with its side, action and start day (ISO).

    The day is the participant's own; where its day is unknown, peacesciencer's imputed
    ``dummy_stday``; where its month is unknown, the first of the dispute's start month.

    Columns: ``dispnum``, ``ccode``, ``side`` (1 = side A), ``orig``, ``hiact``, ``start``.
    """
    p = data_table(PARTICIPANTS)
    opened = data_table(DISPUTES).set_index("dispnum")[["styear", "stmon"]]
    dispute = opened.reindex(p["dispnum"]).to_numpy()
    known = (p["stmon"] > 0).to_numpy()
    year = np.where(known, p["styear"], dispute[:, 0])
    month = np.where(known, p["stmon"], dispute[:, 1])
    day = np.where(known & (p["stday"] > 0), p["stday"], p["dummy_stday"])
    day = np.where(known, day, 1)  # the month unknown: the dispute's own start
    start = [day_of(int(y), m, d).isoformat() for y, m, d in zip(year, month, day, strict=True)]
    return pd.DataFrame(
        {
            "dispnum": p["dispnum"].astype(int),
            "ccode": p["ccode"].astype(int),
            "side": p["sidea"].astype(int),
            "orig": p["orig"].astype(int),
            "hiact": p["hiact"].astype(int),
            "start": start,
        }
    )


@cache
def disputes() -> pd.DataFrame:
    """Return each dispute's fatality level and highest action, indexed by ``dispnum``."""
    d = data_table(DISPUTES)
    return pd.DataFrame(
        {"fatality": d["fatality"].to_numpy(int), "hiact": d["hiact"].to_numpy(int)},
        index=pd.Index(d["dispnum"].astype(int), name="dispnum"),
    )


class Episode(NamedTuple):
    """One participant episode of a dispute."""

    ccode: int
    side: int  # 1: side A
    orig: int  # 1: an originator
    hiact: int
    start: str  # ISO day


@cache
def episodes() -> dict[int, tuple[Episode, ...]]:
    """Return each dispute's participant episodes, in the order they began."""
    table = participants().sort_values(["dispnum", "start", "side", "ccode"], kind="stable")
    found: dict[int, list[Episode]] = {}
    columns = ("dispnum", "ccode", "side", "orig", "hiact")
    num, code, side, orig, hiact = (table[c].to_numpy(int).tolist() for c in columns)
    for i, start in enumerate(table["start"].tolist()):
        found.setdefault(num[i], []).append(Episode(code[i], side[i], orig[i], hiact[i], start))
    return {k: tuple(v) for k, v in found.items()}


@cache
def targets(threshold: int | None = ATTACK) -> pd.DataFrame:
    """Return every participant against which the other side used force in earnest.

    Args:
        threshold: the other side's highest action that counts (None: only deaths count).

    Returns:
        The target episodes (columns of :func:`participants`) with ``other_hiact`` (the
        other side's highest action), ``fatality``, ``dispute_hiact`` and
        ``threshold_met`` (``hiact``, ``deaths`` or ``hiact;deaths``), in dispute order.
    """
    p = participants()
    top = p.groupby(["dispnum", "side"])["hiact"].max()
    other = top.reindex(pd.MultiIndex.from_arrays([p["dispnum"], 1 - p["side"]])).to_numpy()
    other = np.nan_to_num(other.astype(float), nan=-1.0)
    info = disputes().reindex(p["dispnum"])
    deaths = info["fatality"].to_numpy() > 0
    force = other >= threshold if threshold is not None else np.zeros(len(p), dtype=bool)
    met = np.select([force & deaths, force, deaths], ["hiact;deaths", "hiact", "deaths"], "")
    out = p.assign(
        other_hiact=other.astype(int),
        fatality=info["fatality"].to_numpy(),
        dispute_hiact=info["hiact"].to_numpy(),
        threshold_met=met,
    )
    out = out[force | deaths].sort_values(["dispnum", "start", "ccode"], kind="stable")
    return out.reset_index(drop=True)


def attackers(episodes: tuple[Episode, ...], side: int, day: str) -> list[int]:
    """Return the other side's participants in by ``day``, the first to begin first.

    The first is the target's adversary. Where none of the other side had begun by the day
    (a date the data impute), its first participant stands in.
    """
    them = [e for e in episodes if e.side != side]
    began = [e for e in them if e.start <= day]
    chosen = began or [e for e in them if e.start == min(x.start for x in them)]
    order = sorted(chosen, key=lambda e: (e.start, -e.orig, -e.hiact, e.ccode))
    return list(dict.fromkeys(e.ccode for e in order))


def attack_id(dispute: int, target: int, day: dt.date) -> int:
    """Return the stable id of a dispute's target on a day."""
    return (dispute * 1000 + target) * 100_000 + (day - EPOCH).days


@dataclass(frozen=True)
class Answer:
    """What a state did in a dispute when a target was struck, read from its episodes."""

    outcome: str  # beside, against, out
    acted: str  # ISO day of the episode that decided the outcome, or ""
    already: str  # "", co_belligerent, enemy
    fought: float  # days from the target's day to its first fighting beside it (NaN: never)
    joined: float  # days to its first militarized joining of the target's side (NaN: never)
    struck: str  # ISO day it was itself a target beside the target (an originator), or ""
    hiact: int  # its highest action on the target's side (-1: none)


def answer(episodes: tuple[Episode, ...], g: int, side: int, day: str) -> Answer:
    """Return what ``g`` did in a dispute whose participant on ``side`` was struck on ``day``."""
    own = [e for e in episodes if e.ccode == g]
    if not own:
        return Answer(OUT, "", "", float("nan"), float("nan"), "", -1)
    before = [e for e in own if e.start < day]
    first = min(before or own, key=lambda e: e.start)
    outcome = BESIDE if first.side == side else AGAINST
    already = "" if not before else ("co_belligerent" if outcome == BESIDE else "enemy")
    beside = [e for e in own if e.side == side]
    later = [e for e in beside if e.start >= day]
    return Answer(
        outcome=outcome,
        acted=first.start,
        already=already,
        fought=_delay([e for e in later if e.hiact >= FOUGHT], day),
        joined=_delay([e for e in later if e.hiact >= MILITARIZED], day),
        struck=_struck(beside, day),
        hiact=max((e.hiact for e in beside), default=-1),
    )


def _delay(rows: list[Episode], day: str) -> float:
    if not rows:
        return float("nan")
    first = min(e.start for e in rows)
    return float((dt.date.fromisoformat(first) - dt.date.fromisoformat(day)).days)


def _struck(beside: list[Episode], day: str) -> str:
    """Return the day ``g`` was an originator beside the target within the self-defence days."""
    last = (dt.date.fromisoformat(day) + dt.timedelta(days=SELF_DEFENCE_DAYS)).isoformat()
    hit = [e.start for e in beside if e.orig == 1 and day <= e.start <= last]
    return min(hit, default="")


__all__ = [
    "ATTACK",
    "DISPUTES",
    "FOUGHT",
    "MILITARIZED",
    "PARTICIPANTS",
    "THRESHOLDS",
    "Answer",
    "Episode",
    "answer",
    "attack_id",
    "attackers",
    "disputes",
    "episodes",
    "participants",
    "targets",
]
