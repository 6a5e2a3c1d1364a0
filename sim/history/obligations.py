"""ATOP's obligations at the member level: who owed what to whom, on which day, on what terms.

Each member of an ATOP alliance carries its own obligations (ATOP v4.01 member level:
defence, offence, neutrality, non-aggression, consultation), its own entry and exit days,
and its own conditions. :func:`duties_to` returns, for a state on a day, every other state
bound to it then and the strongest obligation each held; :func:`conditions` says whether
a duty's conditions were met by an attack, as far as the data can tell.

The condition codes are ATOP's (member level): ``defcoadv`` (only against a named
adversary, whose COW code is in ``statthr1``/``statthr2``), ``defconum`` (only if several
states attack), ``defconpr`` (only if the ally did not provoke the war), ``defcoloc`` (only in
an area), ``defcocon`` (only in a named conflict) and ``defcodem`` (only if a demand is
refused); neutrality duties carry the same with the ``neu`` prefix. The data say who
attacked and how many, so the first three can be decided; the area, the conflict and the
demand cannot, and such a duty is ``undecided``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd

from sim.history.cow import data_table
from sim.history.wars import NEVER, day_of

MEMBERS = "atop_v4_01_member_level.csv"
KINDS = ("defense", "offense", "neutral", "nonagg", "consul")
"""ATOP's obligation types, strongest first: a state bound several ways counts by the first."""
KIND_NAMES = {
    "defense": "defence",
    "offense": "offence",
    "neutral": "neutrality",
    "nonagg": "non_aggression",
    "consul": "consultation",
}
MET, NOT_MET, UNDECIDED, NOT_INVOKED = "met", "not_met", "undecided", "not_invoked"
_ORDER = {MET: 0, UNDECIDED: 1, NOT_MET: 2}


@cache
def members() -> pd.DataFrame:
    """Return ATOP's member rows with their entry and exit days and strongest obligation."""
    m = data_table(MEMBERS).copy()
    m["entry"] = [
        day_of(y, mo, d) for y, mo, d in zip(m["yrent"], m["moent"], m["dayent"], strict=True)
    ]
    m["exit"] = [
        NEVER if y <= 0 else day_of(y, mo, d, last=True)
        for y, mo, d in zip(m["yrexit"], m["moexit"], m["dayexit"], strict=True)
    ]
    held = m[list(KINDS)].to_numpy() == 1
    strongest = np.where(held.any(axis=1), held.argmax(axis=1), -1)
    m["kind"] = [KIND_NAMES[KINDS[k]] if k >= 0 else "" for k in strongest]
    return m[m["kind"] != ""].reset_index(drop=True)


def in_force(day: dt.date) -> pd.DataFrame:
    """Return the member rows in force as ``day`` opens, as known the day before.

    A member counts if it entered before the day (an alliance signed on the day of an attack
    is no obligation the attack called) and is not known to have left before it.
    """
    m = members()
    return m[(m["entry"] < day) & (m["exit"] >= day)]


def members_on(atopid: int, day: dt.date) -> int:
    """Return how many members an alliance had in force as a day opens."""
    live = in_force(day)
    return int(live[live["atopid"] == atopid]["member"].nunique())


def duties_to(partner: int, day: dt.date) -> pd.DataFrame:
    """Return, for each state bound to ``partner`` on a day, its strongest obligation's row.

    A state bound by several alliances counts once, by its strongest obligation (defence
    before offence, neutrality, non-aggression and consultation; the lower ATOP id first).
    """
    live = in_force(day)
    pacts = live[live["member"] == partner]["atopid"]
    bound = live[live["atopid"].isin(pacts) & (live["member"] != partner)]
    rank = bound["kind"].map({KIND_NAMES[k]: i for i, k in enumerate(KINDS)})
    order = bound.assign(rank=rank).sort_values(["member", "rank", "atopid"], kind="stable")
    return order.drop_duplicates("member").drop(columns="rank")


def bound_states(partner: int, day: dt.date) -> frozenset[int]:
    """Return the states bound to ``partner`` on a day not to fight it, or to fight for it.

    Every obligation but consultation counts: defence, offence, neutrality, non-aggression.
    """
    duties = duties_to(partner, day)
    held = duties[duties["kind"] != "consultation"]
    return frozenset(held["member"].astype(int).tolist())


@dataclass(frozen=True)
class Invocation:
    """What the data say of an attack on a partner, as a duty's conditions read it."""

    attacker: int
    attackers: frozenset[int]  # every state at war with the partner that day
    partner_began: bool


def conditions(duty: pd.Series, call: Invocation) -> tuple[str, str]:
    """Return whether a duty's conditions were met by an attack on its partner, and why.

    The answer is ``met``, ``not_met``, ``undecided`` (a condition the data cannot
    decide) or ``not_invoked`` (an offence duty: an attack on the partner does not call
    it). Non-aggression and consultation duties carry no conditions here.
    """
    kind = duty["kind"]
    if kind == "offence":
        return NOT_INVOKED, "an offence duty is called by the partner's own attack"
    if kind not in ("defence", "neutrality"):
        return MET, ""
    prefix = "def" if kind == "defence" else "neu"
    checks = [_adversary(duty, prefix, call), _number(duty, prefix, call)]
    checks += [_provoked(duty, prefix, call), *_undecidable(duty, prefix)]
    found = [f for f in checks if f is not None]
    status = max((s for s, _ in found), key=_ORDER.__getitem__, default=MET)
    return status, "; ".join(note for _, note in found)


def _adversary(duty: pd.Series, prefix: str, call: Invocation) -> tuple[str, str] | None:
    if not duty[f"{prefix}coadv"]:
        return None
    named = {int(x) for x in (duty["statthr1"], duty["statthr2"]) if x == x and x > 2}
    if not named:
        return UNDECIDED, "only against an adversary the data do not name"
    if call.attacker in named:
        return MET, f"only against {_codes(named)}: the attacker"
    return NOT_MET, f"only against {_codes(named)}"


def _number(duty: pd.Series, prefix: str, call: Invocation) -> tuple[str, str] | None:
    if not duty[f"{prefix}conum"]:
        return None
    n = len(call.attackers)
    return (MET if n >= 2 else NOT_MET), f"only against several attackers ({n})"


def _provoked(duty: pd.Series, prefix: str, call: Invocation) -> tuple[str, str] | None:
    column = f"{prefix}conpr"
    if column not in duty.index or not duty[column]:
        return None
    if call.partner_began:
        return NOT_MET, "only if unprovoked: the partner began the war"
    return MET, "only if unprovoked"


def _undecidable(duty: pd.Series, prefix: str) -> list[tuple[str, str]]:
    terms = {"coloc": "only in an area", "cocon": "only in a named conflict"}
    terms["codem"] = "only if a demand is refused"
    return [(UNDECIDED, text) for code, text in terms.items() if duty[f"{prefix}{code}"]]


def _codes(codes: set[int]) -> str:
    names = abbreviations()
    return "/".join(names.get(c, str(c)) for c in sorted(codes))


@cache
def abbreviations() -> dict[int, str]:
    """Return each COW code's state abbreviation."""
    states = data_table("cow_states2016.csv").drop_duplicates("ccode")
    return dict(zip(states["ccode"].astype(int), states["stateabb"].astype(str), strict=True))
