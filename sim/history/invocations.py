"""The back-test's cases: every obligation an attack called, dated, conditioned and labelled.

A case is a state attacked in an interstate war (the target of each attack of the war list,
including states attacked after the war began, on the day of that attack) and another state
that held an ATOP obligation to it on that day (:mod:`sim.history.obligations`). Each case
keeps the obligation's type and conditions, whether the attack met them, and what the
guarantor did, from the war list (:mod:`sim.history.wars`):

* ``beside``: it went to war against the attacker, or another state then at war with the
  partner, after the attack and while the partner was still at war;
* ``against``: it attacked the partner in that time;
* ``out``: neither.

The label has a clock: ``honoured`` is "fought beside the partner within
:data:`PRIMARY_WINDOW` days of its attack" (entries years later, for reasons of their own, are
not the duty's answer: Greece entered the war of 1914 in June 1917); the same label within 30
days, a year and at any time in the war is kept beside it (:data:`WINDOWS`).

A guarantor that the partner's attackers struck too, on the partner's day or within
:data:`SELF_DEFENCE_DAYS` after it, fought for itself: it is set apart (``self_defence``) and
its own attack is never a factor of a decision about the partner. A duty that never required
fighting (neutrality, non-aggression, consultation) is scored by its own terms (``kept``, as
Leeds 2003 scored them), not in the "fought" score. Each guarantor-partner pair counts once
in a war on a day, however many states attacked the partner that day.

The main score counts a case only where the obligation was invoked: an offence duty is not
called by an attack on the partner; a duty whose conditions the attack did not meet, or
whose conditions the data cannot decide, was not (visibly) invoked; a guarantor bound to
the attacker too, or already at war when the partner was attacked (on its side, or
against its attacker in another war), did not come to its aid; and a partner that began the
war (COW codes it as the initiator, or it opened a war of its own before this attack) was
not attacked in a defence treaty's sense. Each such case stays in the table with the reason
it is set apart.

``label_check`` compares each label with COW's own dyad-years (:mod:`sim.history.dyads`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from functools import cache

import numpy as np
import pandas as pd

from sim.history import dyads, obligations
from sim.history.cow import data_table, kept_on_disk
from sim.history.obligations import MET, NOT_INVOKED, NOT_MET, UNDECIDED, Invocation
from sim.history.wars import AGAINST, BESIDE, NEVER, Attack, Belligerence, attacks, belligerence

SPLIT = 1945
OUT = "out"
REVIEW = "backtest_label_review.csv"
"""Every case whose war-list label COW's dyad-years contradict, with the label kept and why."""
PRIMARY_WINDOW = 90
"""Days after the partner's attack within which fighting beside it answers the duty."""
WINDOWS = {"30d": 30, "90d": 90, "1y": 365, "ever": None}
"""The windows the label is reported under, beside the primary one (None: any time in the war)."""
SELF_DEFENCE_DAYS = 7
"""Days after the partner's attack within which an attack on the guarantor is its own war."""
APART = {
    "not_invoked": "an offence duty: an attack on the partner does not call it",
    "not_met": "the attack did not meet the duty's conditions",
    "both_sides": "bound to the attacker as well",
    "co_belligerent": "already at war on the partner's side (or its attacker's enemy elsewhere)",
    "self_defence": "attacked by the partner's attackers itself, within a week of the partner",
    "enemy": "already at war against the partner",
    "partner_began": "the partner began the war",
    "undecided": "conditions the data cannot decide",
    "no_duty_to_fight": "a neutrality, non-aggression or consultation duty: scored by its terms",
}
"""Why a case is left out of the main score, in the order the reasons are tried."""


@dataclass(frozen=True)
class Case:
    """One obligation an attack called, and what its holder did."""

    war: int
    war_name: str
    attack: int
    attack_name: str
    day: str  # ISO date of the attack on the partner
    year: int
    guarantor: str
    partner: str
    adversary: str
    guarantor_code: int
    partner_code: int
    adversary_code: int
    co_attackers: str  # other states at war with the partner that day, ';'-joined
    co_attacker_codes: str  # their COW codes, ';'-joined
    atopid: int
    members: int  # the alliance's members in force that day
    obligation: str  # defence, offence, neutrality, non_aggression, consultation
    conditions: str  # met, not_met, undecided, not_invoked
    condition_notes: str
    partner_began: bool
    both_sides: bool
    already: str  # "", co_belligerent, enemy
    outcome: str  # beside, out, against
    acted: str  # ISO date of the guarantor's entry that decided the label, or ""
    delay_days: float
    honoured: bool  # fought beside the partner within PRIMARY_WINDOW days of its attack
    honoured_30d: bool
    honoured_90d: bool
    honoured_1y: bool
    honoured_ever: bool  # fought beside the partner at any time in the war after its attack
    struck: str  # ISO date the partner's attackers struck the guarantor itself, or ""
    kept: float  # the duty's own terms kept (Leeds): 1, 0, or NaN for consultation
    apart: str  # the reason it is left out of the main score, or ""
    scored: bool
    label_source: str  # the war list's attack whose row decided the label
    war_list_outcome: str  # the label the war list gives
    cow_outcome: str  # the label COW's dyad-years give
    label_review: str  # where the two differ: the reviewed reason (see REVIEW)
    cow_wars: str


CASE_COLUMNS = tuple(Case.__dataclass_fields__)


@kept_on_disk
def cases() -> pd.DataFrame:
    """Return every case of 1816-2003 as a table, in the order of the war list.

    A guarantor-partner pair counts once in a war on a day: the partner's other attackers
    that day are the first attacker's co-attackers.
    """
    rows = [asdict(c) for attack in attacks() for c in _cases_of(attack)]
    table = pd.DataFrame(rows, columns=list(CASE_COLUMNS))
    once = ["war", "guarantor_code", "partner_code", "day"]
    return table.drop_duplicates(once, keep="first").reset_index(drop=True)


def _cases_of(attack: Attack) -> list[Case]:
    war = belligerence(attack.war)
    p, a, day = attack.target, attack.attacker, attack.day
    foes = war.opponents(p, by=day) | {a}
    call = Invocation(a, foes, partner_began(attack, war))
    duties = obligations.duties_to(p, day)
    against_attacker = obligations.bound_states(a, day)
    found = []
    for _, duty in duties.iterrows():
        g = int(duty["member"])
        if g in foes:  # the guarantor is itself among the attackers
            continue
        status, notes = obligations.conditions(duty, call)
        found.append(_case(attack, war, duty, g, foes, call, status, notes, g in against_attacker))
    return found


def partner_began(attack: Attack, war: Belligerence) -> bool:
    """Whether the attacked state began the war: COW's initiator, or it opened a war first."""
    p = attack.target
    opened = any(
        b.war == attack.war
        and b.attacker == p
        and b.opens
        and (b.day < attack.day or (b.day == attack.day and b.target == attack.attacker))
        for b in attacks()
    )
    return opened or any(p in dyads.initiators(w) for w in _cow_wars_of(attack, war))


def _cow_wars_of(attack: Attack, war: Belligerence) -> list[int]:
    """Return the COW wars in which the attack's own pair fought that year.

    A larger war of the war list can span several COW wars (the First World War and the
    Russian Civil War, say); the initiator that counts is the one of the attack's own war.
    Where COW has no such pair (a state the war list adds to a coalition), every COW war the
    larger war matches counts.
    """
    pair = {(attack.attacker, attack.target, attack.day.year)}
    pair.add((attack.target, attack.attacker, attack.day.year))
    own = [w for w in war.cow_wars if pair & dyads.at_war(w)]
    return own or list(war.cow_wars)


def _case(
    attack: Attack,
    war: Belligerence,
    duty: pd.Series,
    g: int,
    foes: frozenset[int],
    call: Invocation,
    status: str,
    notes: str,
    both_sides: bool,
) -> Case:
    names = obligations.abbreviations()
    p, a, day = attack.target, attack.attacker, attack.day
    outcome, acted, already, source = label(war, g, p, foes, day)
    if not already and fighting_elsewhere(attack.war, g, a, day):
        already = "co_belligerent"
    listed, cow = outcome, cow_label(war, g, p, foes, war.exit.get(p, day).year)
    review = reviewed().get((attack.attack, names.get(g, str(g)), names.get(p, str(p))))
    if review is not None and review["keep"] == "cow":
        outcome, acted, source = cow, None, None
    kind = str(duty["kind"])
    struck = self_defence(war, g, foes, day)
    apart = _apart(status, kind, both_sides, already, struck is not None, call.partner_began)
    delay = float((acted - day).days) if acted and not already else float("nan")
    fought = outcome == BESIDE and not already
    return Case(
        war=attack.war,
        war_name=attack.war_name,
        attack=attack.attack,
        attack_name=attack.name,
        day=day.isoformat(),
        year=day.year,
        guarantor=names.get(g, str(g)),
        partner=names.get(p, str(p)),
        adversary=names.get(a, str(a)),
        guarantor_code=g,
        partner_code=p,
        adversary_code=a,
        co_attackers=";".join(sorted(names.get(f, str(f)) for f in foes - {a})),
        co_attacker_codes=";".join(str(f) for f in sorted(foes - {a})),
        atopid=int(duty["atopid"]),
        members=obligations.members_on(int(duty["atopid"]), day),
        obligation=kind,
        conditions=status,
        condition_notes=notes,
        partner_began=call.partner_began,
        both_sides=both_sides,
        already=already,
        outcome=outcome,
        acted=acted.isoformat() if acted else "",
        delay_days=delay,
        honoured=within(fought, delay, PRIMARY_WINDOW),
        honoured_30d=within(fought, delay, WINDOWS["30d"]),
        honoured_90d=within(fought, delay, WINDOWS["90d"]),
        honoured_1y=within(fought, delay, WINDOWS["1y"]),
        honoured_ever=fought,
        struck=struck.isoformat() if struck is not None else "",
        kept=_kept(kind, outcome),
        apart=apart,
        scored=apart == "",
        label_source=_source(war, source) if review is None or review["keep"] != "cow" else "COW",
        war_list_outcome=listed,
        cow_outcome=cow,
        label_review=review["reason"] if review is not None else "",
        cow_wars=";".join(str(w) for w in war.cow_wars),
    )


def within(fought: bool, delay: float, window: int | None) -> bool:
    """Whether a guarantor fought beside its partner within ``window`` days (None: ever)."""
    return fought and (window is None or delay <= window)


def self_defence(war: Belligerence, g: int, foes: frozenset[int], day: dt.date) -> dt.date | None:
    """Return the day the partner's attackers struck ``g`` itself, if within the window.

    An attack of the war list on ``g`` (``g`` the target of a dyadic war of the same larger war
    whose initiator is at war with the partner), on the partner's day or within
    :data:`SELF_DEFENCE_DAYS` after it, makes ``g``'s war its own; earlier ones leave it
    already at war (``co_belligerent``). A side list naming ``g`` is no attack on it: Britain,
    which declared war on Germany on 4 August 1914, was not struck by it.
    """
    struck = [
        x.day
        for x in attacks()
        if x.war == war.war and x.target == g and x.attacker in foes
        and 0 <= (x.day - day).days <= SELF_DEFENCE_DAYS
    ]  # fmt: skip
    return min(struck, default=None)


def label(
    war: Belligerence, g: int, p: int, foes: frozenset[int], day: dt.date
) -> tuple[str, dt.date | None, str, tuple[int, int, str] | None]:
    """Return what ``g`` did when ``p`` was attacked by ``foes`` on ``day``.

    Returns (outcome, the day it entered, ``already`` at war: ``co_belligerent``, ``enemy``
    or "", the pair whose row decides).
    """
    beside = _earliest(war, [(g, f, AGAINST) for f in foes])
    against = _attacked(war, g, p)
    entry = war.entry.get(g, NEVER)
    if entry < day:
        if beside[0] < day and beside[0] <= against[0]:
            return BESIDE, beside[0], "co_belligerent", beside[1]
        if against[0] < day:
            return AGAINST, against[0], "enemy", against[1]
    end = war.exit.get(p, NEVER)
    acts = [(when, kind, pair) for kind, (when, pair) in ((BESIDE, beside), (AGAINST, against))]
    acts = sorted(x for x in acts if day <= x[0] <= end)
    if not acts:
        return OUT, None, "", None
    when, kind, pair = acts[0]
    return kind, when, "", pair


def fighting_elsewhere(war: int, g: int, a: int, day: dt.date) -> bool:
    """Whether ``g`` was already fighting ``a`` on ``day`` in another war of the war list.

    Such a guarantor is the partner's co-belligerent in all but the war's name: it cannot
    come to the partner's aid against an enemy it already fights (China against Japan when
    Japan struck the Soviet Union in 1938 and 1939).
    """
    for other in _belligerences():
        began = other.first(g, a, AGAINST)
        before = other.war != war and began is not None and began < day
        if before and min(other.exit.get(g, NEVER), other.exit.get(a, NEVER)) >= day:
            return True
    return False


@cache
def _belligerences() -> tuple[Belligerence, ...]:
    return tuple(belligerence(w) for w in sorted({x.war for x in attacks()}))


def _earliest(
    war: Belligerence, pairs: list[tuple[int, int, str]]
) -> tuple[dt.date, tuple[int, int, str] | None]:
    found = [(war.first(*pair), pair) for pair in pairs]
    dated = [(when, pair) for when, pair in found if when is not None]
    return min(dated, default=(NEVER, None))


def _attacked(war: Belligerence, g: int, p: int) -> tuple[dt.date, tuple[int, int, str] | None]:
    """Return when ``g`` first attacked ``p`` (was on the attacking side of a war on it).

    Fighting the partner after the partner attacked it breaks no duty, so only ``g``'s own
    attack counts.
    """
    struck = war.assault(g, p)
    return (struck, (g, p, AGAINST)) if struck is not None else (NEVER, None)


def _source(war: Belligerence, pair: tuple[int, int, str] | None) -> str:
    if pair is None:
        return ""
    attack = war.source(*pair)
    names = {x.attack: x.name for x in attacks()}
    return f"{attack} {names[attack]}" if attack is not None else ""


def _apart(
    status: str, kind: str, both_sides: bool, already: str, struck: bool, began: bool
) -> str:
    reasons = {
        "not_invoked": status == NOT_INVOKED,
        "not_met": status == NOT_MET,
        "both_sides": both_sides,
        "co_belligerent": already == "co_belligerent",
        "self_defence": struck,
        "enemy": already == "enemy",
        "partner_began": began,
        "undecided": status == UNDECIDED,
        "no_duty_to_fight": kind not in ("defence", "offence"),
    }
    return next((name for name in APART if reasons[name]), "")


def _kept(kind: str, outcome: str) -> float:
    """Whether a duty's own terms were kept (Leeds): fight for a defence or offence duty."""
    if kind in ("defence", "offence"):
        return float(outcome == BESIDE)
    if kind in ("neutrality", "non_aggression"):
        return float(outcome != AGAINST)
    return float("nan")  # consultation: the data cannot tell


def cow_label(war: Belligerence, g: int, p: int, foes: frozenset[int], last_year: int) -> str:
    """Return the label COW's dyad-years give: the side of ``g``'s first year at war.

    ``both`` when it fought the partner and one of its attackers first in the same year.
    """
    pairs = frozenset().union(*(dyads.at_war(w) for w in war.cow_wars))
    against = min((y for a, b, y in pairs if a == g and b == p and y <= last_year), default=None)
    beside = min((y for a, b, y in pairs if a == g and b in foes and y <= last_year), default=None)
    if against is None and beside is None:
        return OUT
    if beside is None or (against is not None and against < beside):
        return AGAINST
    if against is None or beside < against:
        return BESIDE
    return "both"


@cache
def reviewed() -> dict[tuple[int, str, str], dict[str, str]]:
    """Return the reviewed disagreements by (attack, guarantor, partner)."""
    table = data_table(REVIEW)
    return {
        (int(r["attack"]), str(r["guarantor"]), str(r["partner"])): {
            k: str(r[k]) for k in ("war_list", "cow", "keep", "reason")
        }
        for _, r in table.iterrows()
    }


def label_check(table: pd.DataFrame) -> pd.DataFrame:
    """Return the cases whose war-list label COW's dyad-years contradict.

    A COW ``both`` (a switch of sides within one year, which year-level data cannot order)
    contradicts neither label.
    """
    listed, cow = table["war_list_outcome"], table["cow_outcome"]
    return table[(listed != cow) & (cow != "both")]


def era(year: pd.Series | np.ndarray) -> np.ndarray:
    """Return each year's era: ``pre1945`` or ``post1945``."""
    return np.where(np.asarray(year) < SPLIT, "pre1945", "post1945")


__all__ = [
    "APART",
    "CASE_COLUMNS",
    "MET",
    "PRIMARY_WINDOW",
    "SELF_DEFENCE_DAYS",
    "WINDOWS",
    "Case",
    "cases",
    "era",
    "label",
    "label_check",
    "self_defence",
]
