"""States a use of force in a dispute concerned that no treaty bound: who came to the target's aid.

The dispute counterpart of :mod:`sim.history.interventions` (Siverson & Starr 1991,
opportunity and willingness): for each target of :func:`sim.history.dispute_labels.targets`,
every major power (COW Major Powers) and every state near the target or its adversary (a land
border or at most 24 miles of water, COW Direct Contiguity), as known on the morning of the
target's day, that held no ATOP obligation to the target then
(:func:`sim.history.dispute_duties.duty_rows`) and was neither a participant before the day
nor among its attackers. The rows are :class:`sim.history.interventions.Bystander`'s.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Any

import pandas as pd

from sim.history import dispute_duties, dispute_labels, obligations
from sim.history.cow import kept_on_disk
from sim.history.dispute_labels import ATTACK, Episode, answer, attack_id, attackers, targets
from sim.history.interventions import BYSTANDER_COLUMNS, Bystander, concerned
from sim.history.invocations import PRIMARY_WINDOW, within


@kept_on_disk
def bystanders(threshold: int | None = ATTACK) -> pd.DataFrame:
    """Return the states a use of force concerned that no obligation bound to its target.

    As for the wars (:mod:`sim.history.interventions`): every major power, and every state
    near the target or its adversary (a land border or at most 24 miles of water), that held
    no obligation to the target and was not a participant before its day nor among its
    attackers. ``intervened`` is the honoured label: it joined the target's side with a
    highest action of 16 or more within :data:`PRIMARY_WINDOW` days.
    """
    found = dispute_labels.episodes()
    rows = [
        dict(vars(b)) for t in targets(threshold).itertuples() for b in _bystanders_of(t, found)
    ]
    return pd.DataFrame(rows, columns=list(BYSTANDER_COLUMNS))


def _bystanders_of(t: Any, found: dict[int, tuple[Episode, ...]]) -> list[Bystander]:
    eps = found[t.dispnum]
    num, p, side, when = int(t.dispnum), int(t.ccode), int(t.side), str(t.start)
    day = dt.date.fromisoformat(when)
    foes = attackers(eps, side, when)
    a = foes[0]
    bound = {int(r["member"]) for r in dispute_duties.duty_rows(p, day)}
    earlier = {e.ccode for e in eps if e.start < when}
    names = obligations.abbreviations()
    out = []
    for g, why in sorted(_reasons(p, a, day).items()):
        if g in bound or g in foes or g in earlier:
            continue
        got = answer(eps, g, side, when)
        out.append(
            Bystander(
                num, f"MID {num}", attack_id(num, p, day), f"{names.get(a, a)} against "
                f"{names.get(p, p)}", when, day.year, names.get(g, str(g)),
                names.get(p, str(p)), names.get(a, str(a)), g, p, a,
                ";".join(str(f) for f in sorted(foes[1:])), why, got.outcome,
                within(got.fought == got.fought, got.fought, PRIMARY_WINDOW),
            )
        )  # fmt: skip
    return out


_reasons = cache(concerned)
"""The states a use of force concerned (:func:`sim.history.interventions.concerned`), kept."""


__all__ = ["bystanders"]
