"""The events of a scenario's timeline: wars and crises, their ends, and every change of state.

Each kind of event is a model; :data:`Event` is their union, told apart by ``kind``.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from sim.scenario.fields import Date, Id, Share, StateId, Strict, Text


class _Event(Strict):
    at: Date
    timing: Literal["before_decisions", "after_decisions"] = "before_decisions"
    source: Text


class FrontSpec(Strict):
    """A further front of a war: another attacker, defender or theatre, opened with it."""

    attacker: StateId | None = None
    defender: StateId | None = None
    theatre: Id
    provoked: bool | None = None
    source: Text | None = None


class WarEvent(_Event):
    """An attack (``war``) or a threat of one (``crisis``) by one state on another in a theatre.

    Both call the defender's commitments; only a war puts the sides at war with each other.
    ``backers`` fight beside the attacker (``defender_backers`` beside the defender);
    ``suppliers`` send arms or money without fighting. ``fronts`` add attackers, defenders
    and theatres of the same war (coalitions attacking together). A ``running`` war began
    before the scenario starts (``at`` is when); ``calls: every_period`` asks the bound
    states that stay out again each period while it lasts; ``invocations: recorded`` takes
    whether a partner invoked a commitment from the ``invocation`` events, not from chance.
    ``provoked`` records that the defender provoked the attack (rubric in docs/ODD.md).
    """

    kind: Literal["war", "crisis"]
    attacker: StateId
    defender: StateId
    theatre: Id
    scale: Share = 1.0
    backers: list[StateId] = []
    defender_backers: list[StateId] = []
    suppliers: list[StateId] = []
    defender_suppliers: list[StateId] = []
    fronts: list[FrontSpec] = []
    running: bool = False
    calls: Literal["once", "every_period"] = "once"
    invocations: Literal["drawn", "recorded"] = "drawn"
    provoked: bool = False


class JoinWarEvent(_Event):
    """A state enters a war in progress on one side: to fight (opening a front) or to supply."""

    kind: Literal["join_war"]
    war: Id
    state: StateId
    side: Literal["attacker", "defender"]
    role: Literal["fighting", "supplying"] = "fighting"
    theatre: Id | None = None


class InvocationEvent(_Event):
    """A partner invokes a commitment: it asks its guarantors (all, or those named) for help.

    ``war`` names the war it is invoked in (the event id of a war or crisis); without it, the
    invocation holds in every war from then on.
    """

    kind: Literal["invocation"]
    partner: StateId
    commitment: Id
    guarantors: list[StateId] = []
    war: Id | None = None


class EndOfWarEvent(_Event):
    """The end of a war named by its event id, and the states beaten in it (``losers``)."""

    kind: Literal["end_of_war"]
    war: Id
    losers: list[StateId] = []


class DefeatEvent(_Event):
    """A state is defeated: it keeps only a residue of its power and its wars end."""

    kind: Literal["defeat"]
    state: StateId


class PowerEvent(_Event):
    """A state's power is multiplied by a factor (mobilisation, collapse, growth)."""

    kind: Literal["power"]
    state: StateId
    factor: Annotated[float, Field(gt=0.0, le=100.0)]


class NuclearEvent(_Event):
    """A state acquires deliverable nuclear weapons."""

    kind: Literal["nuclear"]
    state: StateId


class SettingEvent(_Event):
    """The level of projection technology or of general threat changes."""

    kind: Literal["technology", "threat_level"]
    value: Annotated[float, Field(ge=0.0, le=2.0)]


class RelationEvent(_Event):
    """Relations between two states change."""

    kind: Literal["relation"]
    between: Annotated[tuple[StateId, StateId], Field(strict=False)]
    value: Annotated[float, Field(ge=-1.0, le=1.0)]


class GoalEvent(_Event):
    """Two states come to share a specific goal against an adversary (P11)."""

    kind: Literal["goal"]
    between: Annotated[tuple[StateId, StateId], Field(strict=False)]
    adversary: StateId


class SanctionEvent(_Event):
    """A coalition (named states, or an institution's members) sanctions a target (P10)."""

    kind: Literal["sanction"]
    target: StateId
    imposers: list[StateId] = []
    institution: Id | None = None


class ControlEvent(_Event):
    """A territory changes hands: who holds it in fact."""

    kind: Literal["control"]
    territory: Id
    held_by: StateId


class SiteValueEvent(_Event):
    """A site's value to its holder changes (its mission gone, its role grown)."""

    kind: Literal["site_value"]
    site: Id
    value: Share


class TermEndEvent(_Event):
    """The term of a foreign presence ends: the host decides whether to renew it (P8)."""

    kind: Literal["term_end"]
    site: Id


class SiteOpenedEvent(_Event):
    """A new site is opened (a base, a peacekeeping contingent)."""

    kind: Literal["site_opened"]
    site: Id
    name: Text
    holder: StateId
    territory: Id
    site_kind: Literal["base", "facility", "peacekeeping"] = "base"
    value: Share
    under: Id | None = None


class SiteClosedEvent(_Event):
    """A site is closed or withdrawn."""

    kind: Literal["site_closed"]
    site: Id


Event = Annotated[
    WarEvent
    | EndOfWarEvent
    | DefeatEvent
    | PowerEvent
    | NuclearEvent
    | SettingEvent
    | RelationEvent
    | GoalEvent
    | SanctionEvent
    | ControlEvent
    | SiteValueEvent
    | TermEndEvent
    | SiteOpenedEvent
    | SiteClosedEvent
    | JoinWarEvent
    | InvocationEvent,
    Field(discriminator="kind"),
]
