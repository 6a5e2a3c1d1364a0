"""States no treaty bound: who might have come to an attacked state's aid, and who did.

The back-test's main cases are invoked obligations (:mod:`sim.history.invocations`). The
essay's claim is that interests, not texts, decide; so the same question is put to the
states an attack concerned although no obligation bound them. Following Siverson & Starr
(1991), opportunity and willingness: for each attack of the war list, every state near the
attacked partner or its attacker (a land border or at most 24 miles of water, COW Direct
Contiguity), and every major power (COW Major Powers), that held no ATOP obligation to the
partner that day and was not yet in the war. Its label is what it did while the partner was
at war: intervened on its side, attacked it, or stayed out (the same reading of the war list
as the invocations'); ``intervened`` is on the same clock as the invocations' label (fought
beside the partner within :data:`~sim.history.invocations.PRIMARY_WINDOW` days), and a state
the partner's attackers struck within a week of the partner fought for itself and is not a
bystander. These cases are scored apart from the invoked obligations.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

import pandas as pd

from sim.history import obligations
from sim.history.covariates import NEAR_WATER, major_powers, near_states
from sim.history.cow import kept_on_disk
from sim.history.invocations import PRIMARY_WINDOW, label, self_defence, within
from sim.history.wars import BESIDE, Attack, attacks, belligerence


@dataclass(frozen=True)
class Bystander:
    """One state an attack concerned that no obligation bound to the attacked partner."""

    war: int
    war_name: str
    attack: int
    attack_name: str
    day: str
    year: int
    guarantor: str  # the state asked (named as the kernel names it)
    partner: str
    adversary: str
    guarantor_code: int
    partner_code: int
    adversary_code: int
    co_attacker_codes: str
    why: str  # near the partner, near the attacker, or a major power
    outcome: str  # beside (intervened), against, out
    intervened: bool
    obligation: str = ""  # none: the kernel reads no text
    conditions: str = "none"
    members: int = 0


BYSTANDER_COLUMNS = tuple(Bystander.__dataclass_fields__)


@kept_on_disk
def bystanders() -> pd.DataFrame:
    """Return every bystander of every attack of 1816-2003, in the order of the war list."""
    rows = [asdict(b) for attack in attacks() for b in _of(attack)]
    return pd.DataFrame(rows, columns=list(BYSTANDER_COLUMNS))


def _of(attack: Attack) -> list[Bystander]:
    war = belligerence(attack.war)
    p, a, day = attack.target, attack.attacker, attack.day
    foes = war.opponents(p, by=day) | {a}
    bound = set(obligations.duties_to(p, day)["member"].astype(int).tolist())
    reasons = concerned(p, a, day)
    names = obligations.abbreviations()
    found = []
    for g, why in sorted(reasons.items()):
        if g in bound or g in foes or g == p or war.entry.get(g, dt.date.max) < day:
            continue
        if self_defence(war, g, foes, day) is not None:
            continue
        outcome, acted, _, _ = label(war, g, p, foes, day)
        delay = float((acted - day).days) if acted else float("nan")
        found.append(
            Bystander(
                attack.war, attack.war_name, attack.attack, attack.name, day.isoformat(),
                day.year, names.get(g, str(g)), names.get(p, str(p)), names.get(a, str(a)),
                g, p, a, ";".join(str(f) for f in sorted(foes - {a})), why, outcome,
                within(outcome == BESIDE, delay, PRIMARY_WINDOW),
            )
        )  # fmt: skip
    return found


def concerned(p: int, a: int, day: dt.date) -> dict[int, str]:
    """Return the states an attack concerned, each with why: proximity, or major power.

    Opportunity and willingness (Siverson & Starr 1991), as known on the morning of ``day``:
    the major powers, and the states near the attacker ``a`` or the partner ``p``.
    """
    reasons = {g: "a major power" for g in major_powers(day)}
    reasons |= {g: "near the attacker" for g in near_states(a, day, NEAR_WATER)}
    reasons |= {g: "near the partner" for g in near_states(p, day, NEAR_WATER)}
    reasons.pop(p, None)
    reasons.pop(a, None)
    return reasons
