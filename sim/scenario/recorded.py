"""What happened in a case, as its scenario file records it (its ``history`` block).

It is the standard the model is checked against; the model never reads it.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from sim.scenario.fields import Date, Id, StateId, Strict, Text

Outcome = Literal["honoured", "violated", "not_triggered", "intervened", "stayed_out"]
DUTY_OUTCOMES = ("honoured", "violated", "not_triggered")
"""What a duty's own terms can come to: the outcomes of a decision a commitment bound."""
FREE_OUTCOMES = ("intervened", "stayed_out")
"""What a state no duty bound can do: the outcomes of a decision with ``bound: false``."""


class HistoricalDecision(Strict):
    """What a guarantor did when its partner was attacked (checked, never read by the model).

    ``fought`` is whether it fought for the partner (by the date ``by``, or by the end of the
    case): what the scorecard scores. ``bound`` is whether a duty bound the guarantor to the
    partner in this war (a commitment whose terms covered it); ``outcome`` codes the duty's own
    terms (honoured, violated, not_triggered). A decision with ``bound: false`` is a state's own
    choice, which no duty governed: it has no duty's outcome (``outcome`` is left out, or is
    ``intervened`` or ``stayed_out`` as it fought or not) and no ``duty_kept``. ``duty_kept``,
    where given, is scored too; so is ``supplied``, where given: whether it supplied the
    partner's side (arms, money, territory, advisers) without fighting for it. ``invoked`` and
    ``conditions_met`` record what the sources say of invocation and of the commitment's
    conditions, apart.
    """

    guarantor: StateId
    partner: StateId
    adversary: StateId
    theatre: Id
    by: Date | None = None
    bound: bool = True
    outcome: Outcome | None = None
    fought: bool
    invoked: bool | None = None
    conditions_met: bool | None = None
    duty_kept: bool | None = None
    supplied: bool | None = None
    note: Text
    source: Text

    @property
    def recorded(self) -> str:
        """Return the outcome as written, or, for a state no duty bound, what it did."""
        if self.outcome is not None:
            return self.outcome
        return "intervened" if self.fought else "stayed_out"


class HistoricalAlliance(Strict):
    """When an alliance ended, and why (checked, never read by the model)."""

    commitment: Id
    ended: Date | None = None
    reason: Text | None = None
    note: Text
    source: Text


class HistoricalFormation(Strict):
    """Whether a formal alliance formed between states during the case (checked, never read)."""

    members: Annotated[list[StateId], Field(min_length=2)]
    formed: bool
    note: Text
    source: Text


class HistoricalEventOutcome(Strict):
    """How an event turned out: sanctions critical or not, a presence renewed or not."""

    event: Id
    happened: bool
    note: Text
    source: Text


class HistoricalMembership(Strict):
    """Whether a state stayed in an institution through the case."""

    commitment: Id
    state: StateId
    stayed: bool
    note: Text
    source: Text


class History(Strict):
    """What happened in the case: the standard the model is checked against."""

    summary: Text
    decisions: list[HistoricalDecision] = []
    alliances: list[HistoricalAlliance] = []
    formations: list[HistoricalFormation] = []
    events: list[HistoricalEventOutcome] = []
    memberships: list[HistoricalMembership] = []
