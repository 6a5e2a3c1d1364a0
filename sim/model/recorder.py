"""What a run records, period by period, into the model's ledgers (:mod:`sim.model.tables`).

Decisions, a row per call with each factor's value and contribution; the outcomes of the
other mechanisms (memberships, sanctions, foreign presence); the system's poles (P11); each
state's figures; and, when asked, every alliance's start, end or censoring and reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from sim.model import assessment, formation, institutions
from sim.model.decide import FACTOR_NAMES, Calls
from sim.model.records import Ledger
from sim.model.standing import Standing
from sim.model.tables import ALLIANCE_COLUMNS
from sim.model.world import DUTIES

if TYPE_CHECKING:
    from sim.model.calls import Call

FloatArray = NDArray[np.float64]

NOT_ALLIANCES = ("institution", "mandate")
"""Kinds never listed in the alliances table: they bind no one to anyone (P9)."""


class Recorder:
    """Writes the model's ledgers; keeps the ids as arrays and the poles until they change.

    Args:
        model: the model whose ledgers these are.
    """

    def __init__(self, model: Standing) -> None:
        self.model = model
        self._labels = model.world.calendar.labels
        self._id_array = np.asarray(model.world.ids, dtype=object)
        self._territory_ids = np.asarray(model.world.territory_ids, dtype=object)
        self._book_id_array = np.zeros(0, dtype=object)
        self._last_poles: str | None = None
        self._blocs: tuple[bytes, NDArray[np.int64]] = (b"", np.arange(model.world.n))
        self._poles_key: tuple[int, bytes, bytes] = (-1, b"", b"")
        self._poles: tuple[list[list[int]], str] = ([], "")

    def decisions(
        self,
        called: list[Call],
        calls: Calls,
        invoked: NDArray[np.bool_],
        triggered: NDArray[np.bool_],
        decided: tuple[NDArray[np.bool_], NDArray[np.bool_]],
        scores: Any,
        bound: NDArray[np.bool_],
        draw: FloatArray,
    ) -> None:
        """Record the period's decisions, a row per call, with each factor's contribution.

        ``decided`` is who fights and who supplies; P(fight), P(supply) and P(stay out) are
        recorded beside them.

        A bound state honours (keeps its duty's terms: a duty to defend by fighting, one to
        consult by consulting, which the model's states always do when invoked; a mandate's
        holders owe nothing), violates or is not triggered; a state no commitment binds
        intervenes or stays out.
        """
        k, ids, t = len(called), self._id_array, self.model.period
        fights, supplies = decided
        figures = {}
        for f, name in enumerate(FACTOR_NAMES):
            figures[f"value_{name}"] = scores.values[:, f]
            figures[f"contrib_{name}"] = scores.contributions[:, f]
        duty = np.array([c.duty for c in called], dtype=np.int64)
        kept = ~(triggered & (duty == DUTIES.index("defend")) & ~fights)
        self.model.decisions.add(
            period=[t] * k,
            date=[self._labels[t]] * k,
            war=[c.front.war.war_id for c in called],
            side=["defender" if c.front.defensive else "attacker" for c in called],
            guarantor=ids[calls.guarantor],
            partner=ids[calls.partner],
            adversary=ids[calls.adversary],
            theatre=self._territory_ids[calls.theatre],
            bound=bound,
            covered=calls.covered,
            invoked=invoked,
            triggered=triggered,
            fought=fights,
            supplied=supplies,
            outcome=_outcomes(bound, triggered, kept, fights),
            duty=np.array(DUTIES, dtype=object)[duty],
            duty_kept=kept,
            p_honour=scores.p_honour,
            p_supply=scores.p_supply,
            p_stay_out=scores.p_stay_out,
            draw=draw,
            **figures,
        )

    def memberships(self, rows: NDArray[np.int64], w: institutions.Weighing) -> None:
        """Record what each member of the institutions in force (``rows``) makes of them."""
        book_ids = self._book_ids()[rows[w.row]]
        self.outcomes("membership", book_ids, w.state, w.value, w.stays)

    def outcome(self, kind: str, subject: str, state: int, value: float, result: bool) -> None:
        """Record the outcome of a mechanism other than a decision to fight."""
        self.outcomes(kind, [subject], np.array([state]), np.array([value]), np.array([result]))

    def outcomes(
        self,
        kind: str,
        subjects: Sequence[str] | NDArray[np.object_],
        states: NDArray[np.int64],
        values: FloatArray,
        results: NDArray[np.bool_],
    ) -> None:
        """Record the outcomes of one mechanism: a row per (subject, state)."""
        k, t = len(states), self.model.period
        self.model.outcomes_record.add(
            period=[t] * k,
            date=[self._labels[t]] * k,
            kind=[kind] * k,
            subject=subjects,
            state=self._id_array[states],
            value=values,
            result=results,
        )

    def _book_ids(self) -> NDArray[np.object_]:
        """Return the book's row ids as an array (rows are only ever added)."""
        ids = self.model.book.ids
        if len(self._book_id_array) != len(ids):
            self._book_id_array = np.asarray(ids, dtype=object)
        return self._book_id_array

    def polarity(self, power: FloatArray) -> None:
        """Record the system's poles; flag a change from the period before (P11)."""
        poles, label = self._current_poles(power)
        before = label if self._last_poles is None else self._last_poles
        self._last_poles = label
        t = self.model.period
        self.model.system_record.add_row(t, self._labels[t], label, len(poles), label != before)

    def _current_poles(self, power: FloatArray) -> tuple[list[list[int]], str]:
        """Return the poles and their label, recomputed only if alliances or power changed."""
        m, book = self.model, self.model.book
        key = (book.version, book.in_force(m.period).tobytes(), power.tobytes())
        if key != self._poles_key:  # poles change only when alliances or power do
            members = book.members[book.alliances(m.period) & book.symmetric]
            if members.tobytes() != self._blocs[0]:
                self._blocs = (members.tobytes(), formation.blocs(members, m.world.n))
            poles = formation.strong_blocs(self._blocs[1], power, m.params.pole_share)
            label = "|".join("+".join(m.world.ids[i] for i in pole) for pole in poles)
            self._poles_key, self._poles = key, (poles, label)
        return self._poles

    def states(self, o: assessment.Opening, a: assessment.Assessment) -> None:
        """Record every state's figures at the period's end."""
        m = self.model
        eff = m.effective_power()
        if m.relations is a.relations and (eff is o.power or np.array_equal(eff, o.power)):
            gap = a.alignment_gap  # no event has changed relations or power
        else:
            gap = institutions.alignment_gap(m.relations, eff, m.params)
        m.states_record.add(  # arrays replaced, never changed, from period to period
            m.period, m.alive, m.power, eff, m.nuclear, m.demand, m.ally_value, gap
        )

    def alliances(self) -> Ledger:
        """Return the alliances table: a row per alliance that came into force."""
        m, record = self.model, Ledger(ALLIANCE_COLUMNS)
        book, cal, last = m.book, m.world.calendar, m.period
        rows = np.flatnonzero(~book.of_kinds(NOT_ALLIANCES) & (book.starts <= last))
        ended = book.ends[rows] >= 0
        start = np.maximum(book.starts[rows], 0)
        end = np.where(ended, book.ends[rows], last + 1)
        members = book.members[rows]
        threat_now = book.threat_end[rows].copy()
        threat_now[~ended] = [m.demand[inside].mean() for inside in members[~ended]]
        record.add(
            alliance=[book.ids[r] for r in rows],
            kind=[book.kinds[r] for r in rows],
            origin=[book.origin[r] for r in rows],
            members=[";".join(self._id_array[inside]) for inside in members],
            start_period=start,
            start=[self._labels[t] for t in start.tolist()],
            end_period=end,
            end=[self._labels[t] if e else "" for t, e in zip(end.tolist(), ended, strict=True)],
            ended=ended,
            reason=np.where(ended, np.array(book.reasons, dtype=object)[rows], "censored"),
            symmetric=book.symmetric[rows],
            capability_ratio=book.ratio[rows],
            duration_years=(end - start) * cal.years_per_period,
            common_enemy=[book.enemy[r] for r in rows],
            start_year=[cal.first_day(t).year for t in start.tolist()],
            nuclear_patron=book.nuclear_patron[rows],
            threat_change=threat_now - book.threat_start[rows],
        )
        return record


def _outcomes(
    bound: NDArray[np.bool_],
    triggered: NDArray[np.bool_],
    kept: NDArray[np.bool_],
    fights: NDArray[np.bool_],
) -> NDArray[np.str_]:
    """Return each decision's outcome, as the reliability literature codes it."""
    duty = np.where(triggered, np.where(kept, "honoured", "violated"), "not_triggered")
    return np.where(bound, duty, np.where(fights, "intervened", "stayed_out"))
