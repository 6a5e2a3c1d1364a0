"""The dispute back-test's cases: every obligation a use of force called, 1816-2010.

The war back-test (:mod:`sim.history.invocations`) has a few hundred cases from a few dozen
wars. The militarized disputes give thousands. A case is a *target* of a dispute against
which the other side used force in earnest (:func:`sim.history.dispute_labels.targets`: an
attack or more, or deaths), on its own first day in the dispute, and a state holding an ATOP
obligation to it as that day opened (:func:`sim.history.dispute_duties.duties_on`: ATOP
v4.01 to 2003, ATOP v5.1's dyad-years from 2004). The columns are the war cases' where they
mean the same: ``war`` is the dispute's number, ``attack`` a stable id of the (dispute,
target, day), ``partner`` the target, ``adversary`` the first of the other side's
participants in by the day, the others its co-attackers.

The label (:func:`sim.history.dispute_labels.answer`): ``honoured`` is "joined the target's
side with a highest action of 16 (an attack) or more within :data:`PRIMARY_WINDOW` days of
the target's day"; the same within 30 days, a year and at any time in the dispute is kept
beside it; ``joined`` is any militarized joining of its side within the primary window (the
second label). ``kept`` scores each duty by its own terms, as Leeds (2003) did: a defence or
offence duty by fighting beside the target, a neutrality or non-aggression duty by not
joining the other side. Why 16: below it lie threats, shows of force, alerts, mobilisations,
border violations, blockades, occupations and seizures (MID codebook), which a state can
make beside an ally without fighting for it; the ``joined`` label keeps them. The same
threshold makes a target: :func:`thresholds` counts the cases each threshold gives (the
lower ones add seizures of fishing boats and border violations, easy negatives). The data
date a joiner's entry, not its highest action: the window runs to its entry.

Where the obligations come from, and what is assumed of ATOP v5.1's types from 2004 (the
conditions of ATOP v4.01's row for the same pair and type where one is in force, otherwise
``unknown_v5``, set apart as ``undecided``): :mod:`sim.history.dispute_duties`. The states
no treaty bound: :func:`bystanders` (:mod:`sim.history.dispute_bystanders`).

The set-apart reasons are the war back-test's, tried in its order (:data:`APART`):
``not_invoked`` (an offence duty), ``not_met`` (the conditions read as the war back-test
reads them, :func:`sim.history.obligations.conditions`), ``both_sides`` (bound to one of the
attackers too), ``co_belligerent`` (a participant on the target's side before its day),
``self_defence`` (an originator on the target's side from its day or within
:data:`SELF_DEFENCE_DAYS` after: a target itself), ``enemy`` (a participant on the other side
before the day), ``partner_began`` (the target is an originator on side A, the side that took
the first action), ``undecided`` (conditions the data cannot decide, or unknown from ATOP
v5.1) and ``no_duty_to_fight`` (neutrality, non-aggression, consultation). A state among the
attackers on the target's day is no case, as in the war back-test.

Not read here (the war back-test's ``fighting_elsewhere``): a guarantor already fighting the
attacker in another dispute. :func:`ucdp_check` compares the labels after 1945 with UCDP/PRIO
(:mod:`sim.history.dispute_checks`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from sim.history import dispute_duties, dispute_labels, obligations
from sim.history.cow import kept_on_disk
from sim.history.dispute_bystanders import bystanders
from sim.history.dispute_checks import ucdp_check
from sim.history.dispute_labels import (
    ATTACK,
    THRESHOLDS,
    Answer,
    Episode,
    answer,
    attack_id,
    attackers,
    targets,
)
from sim.history.invocations import APART, PRIMARY_WINDOW, SELF_DEFENCE_DAYS, WINDOWS, within
from sim.history.obligations import NOT_INVOKED, NOT_MET, UNDECIDED, Invocation
from sim.history.wars import AGAINST, BESIDE


@dataclass(frozen=True)
class DisputeCase:
    """One obligation a use of force in a dispute called, and what its holder did."""

    war: int  # the dispute's number (MID)
    war_name: str
    attack: int  # a stable id of (dispute, target, day)
    attack_name: str
    day: str  # ISO date: the target's first day in the dispute
    year: int
    guarantor: str
    partner: str  # the target
    adversary: str
    guarantor_code: int
    partner_code: int
    adversary_code: int
    co_attackers: str
    co_attacker_codes: str
    atopid: int  # 0: known only from ATOP v5.1's dyad-years
    members: int
    obligation: str
    conditions: str  # met, not_met, undecided, not_invoked, unknown_v5
    condition_notes: str
    alliance_source: str  # ATOP v4.01, ATOP v5.1, or v5.1 with v4.01's terms
    partner_began: bool
    both_sides: bool
    already: str
    outcome: str  # beside, against, out
    acted: str
    delay_days: float
    honoured: bool  # fought (highest action 16+) beside the target within PRIMARY_WINDOW days
    honoured_30d: bool
    honoured_90d: bool
    honoured_1y: bool
    honoured_ever: bool
    joined: bool  # any militarized joining of the target's side within PRIMARY_WINDOW days
    struck: str
    kept: float
    apart: str
    scored: bool
    dispute_hiact: int
    fatality: int
    threshold_met: str


CASE_COLUMNS = tuple(DisputeCase.__dataclass_fields__)


@kept_on_disk
def cases(threshold: int | None = ATTACK) -> pd.DataFrame:
    """Return every dispute case of 1816-2010, in dispute order.

    Args:
        threshold: the other side's highest action that makes a target (None: deaths only).
    """
    found = dispute_labels.episodes()
    rows = [dict(vars(c)) for t in targets(threshold).itertuples() for c in _cases_of(t, found)]
    table = pd.DataFrame(rows, columns=list(CASE_COLUMNS))
    once = ["war", "guarantor_code", "partner_code", "day"]
    return table.drop_duplicates(once, keep="first").reset_index(drop=True)


def _cases_of(t: Any, found: dict[int, tuple[Episode, ...]]) -> list[DisputeCase]:
    eps = found[t.dispnum]
    p, side, when = int(t.ccode), int(t.side), str(t.start)
    day = dt.date.fromisoformat(when)
    foes = attackers(eps, side, when)
    began = side == 1 and int(t.orig) == 1
    call = Invocation(foes[0], frozenset(foes), began)
    against = frozenset().union(*(dispute_duties.bound_on(a, day) for a in foes))
    on_day = {e.ccode for e in eps if e.side != side and e.start == when}
    out = []
    for duty in dispute_duties.duty_rows(p, day):
        g = int(duty["member"])
        if g == p or g in on_day:  # the guarantor is itself among the day's attackers
            continue
        status, notes = dispute_duties.conditions_on(duty, call)
        got = answer(eps, g, side, when)
        out.append(_case(t, duty, g, foes, call, status, notes, g in against, got))
    return out


def _case(
    t: Any,
    duty: dict[str, Any],
    g: int,
    foes: list[int],
    call: Invocation,
    status: str,
    notes: str,
    both_sides: bool,
    got: Answer,
) -> DisputeCase:
    names = obligations.abbreviations()
    num, p, when = int(t.dispnum), int(t.ccode), str(t.start)
    day = dt.date.fromisoformat(when)
    a, kind = foes[0], str(duty["kind"])
    fresh = not got.already
    delay = float((dt.date.fromisoformat(got.acted) - day).days) if got.acted else float("nan")
    delay = delay if fresh else float("nan")
    fought = fresh and got.fought == got.fought

    def name(code: int) -> str:
        return names.get(code, str(code))

    atopid = int(duty["atopid"])
    apart = _apart(status, kind, both_sides, got, call.partner_began)
    return DisputeCase(
        war=num,
        war_name=f"MID {num}",
        attack=attack_id(num, p, day),
        attack_name=f"{name(a)} against {name(p)}",
        day=when,
        year=day.year,
        guarantor=name(g),
        partner=name(p),
        adversary=name(a),
        guarantor_code=g,
        partner_code=p,
        adversary_code=a,
        co_attackers=";".join(sorted(name(f) for f in foes[1:])),
        co_attacker_codes=";".join(str(f) for f in sorted(foes[1:])),
        atopid=atopid,
        members=dispute_duties.members_of(atopid, day),
        obligation=kind,
        conditions=status,
        condition_notes=notes,
        alliance_source=str(duty["source"]),
        partner_began=call.partner_began,
        both_sides=both_sides,
        already=got.already,
        outcome=got.outcome,
        acted=got.acted,
        delay_days=delay,
        honoured=within(fought, got.fought, PRIMARY_WINDOW),
        honoured_30d=within(fought, got.fought, WINDOWS["30d"]),
        honoured_90d=within(fought, got.fought, WINDOWS["90d"]),
        honoured_1y=within(fought, got.fought, WINDOWS["1y"]),
        honoured_ever=fought,
        joined=within(fresh and got.joined == got.joined, got.joined, PRIMARY_WINDOW),
        struck=got.struck,
        kept=_kept(kind, got),
        apart=apart,
        scored=apart == "",
        dispute_hiact=int(t.dispute_hiact),
        fatality=int(t.fatality),
        threshold_met=str(t.threshold_met),
    )


def _apart(status: str, kind: str, both_sides: bool, got: Answer, began: bool) -> str:
    reasons = {
        "not_invoked": status == NOT_INVOKED,
        "not_met": status == NOT_MET,
        "both_sides": both_sides,
        "co_belligerent": got.already == "co_belligerent",
        "self_defence": got.struck != "",
        "enemy": got.already == "enemy",
        "partner_began": began,
        "undecided": status in (UNDECIDED, dispute_duties.UNKNOWN_V5),
        "no_duty_to_fight": kind not in ("defence", "offence"),
    }
    return next((name for name in APART if reasons[name]), "")


def _kept(kind: str, got: Answer) -> float:
    """Whether a duty's own terms were kept (Leeds): fight beside, or stay off the other side."""
    if kind in ("defence", "offence"):
        return float(got.outcome == BESIDE and got.hiact >= dispute_labels.FOUGHT)
    if kind in ("neutrality", "non_aggression"):
        return float(got.outcome != AGAINST)
    return float("nan")


def thresholds() -> pd.DataFrame:
    """Return how many targets, cases and disputes each threshold of force gives.

    The cases are built once, at the most inclusive threshold, and each threshold keeps
    those whose target it makes (a target at a higher threshold is one at every lower one).

    One row per threshold of :data:`~sim.history.dispute_labels.THRESHOLDS`, most inclusive
    first: ``threshold`` (the other side's highest action; -1 for deaths only), ``name``,
    ``targets``, ``cases``, ``disputes`` (with a case), ``scored``, ``scored_disputes``,
    ``honoured`` (scored and honoured).
    """
    widest = cases(min(level for level in THRESHOLDS if level is not None))
    keys = list(zip(widest["war"], widest["partner_code"], widest["day"], strict=True))
    rows = []
    for level, label in THRESHOLDS.items():
        found = targets(level)
        chosen = set(zip(found["dispnum"], found["ccode"], found["start"], strict=True))
        table = widest[np.array([k in chosen for k in keys], dtype=bool)]
        scored = table[table["scored"]]
        rows.append(
            {
                "threshold": -1 if level is None else level,
                "name": label,
                "targets": len(found),
                "cases": len(table),
                "disputes": table["war"].nunique(),
                "scored": len(scored),
                "scored_disputes": scored["war"].nunique(),
                "honoured": int(scored["honoured"].sum()),
            }
        )
    return pd.DataFrame(rows)


__all__ = [
    "CASE_COLUMNS",
    "PRIMARY_WINDOW",
    "SELF_DEFENCE_DAYS",
    "DisputeCase",
    "attack_id",
    "bystanders",
    "cases",
    "thresholds",
    "ucdp_check",
]
