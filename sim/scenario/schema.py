"""The scenario file format, as pydantic models.

A scenario file holds one historical case: its states with their figures and sources,
territories and theatres, strategic sites, relations, commitments, institutions, a
timeline of events, and a ``history`` block that records what happened. The model never
reads ``history``; it is there to check the model against.

Every model forbids unknown fields, so that a misspelt field is an error, not a silent
default.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

StateId = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2,3}$")]
Id = Annotated[str, StringConstraints(pattern=r"^[A-Za-z][A-Za-z0-9_]*$")]
Text = Annotated[str, StringConstraints(min_length=1)]
Share = Annotated[float, Field(ge=0.0, le=1.0)]
Power = Annotated[float, Field(gt=0.0, le=1.0)]

_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?$")


def _to_date(value: Any) -> Any:
    """Accept a date, a year, ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if isinstance(value, str) and (match := _DATE.match(value.strip())):
        year, month, day = (int(g) if g else 1 for g in match.groups())
        try:
            return dt.date(year, month, day)
        except ValueError:
            pass
    raise ValueError("expected a date as YYYY, YYYY-MM or YYYY-MM-DD")


Date = Annotated[dt.date, BeforeValidator(_to_date)]


class Strict(BaseModel):
    """Base of every scenario model: unknown fields are errors, values are frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Capital(Strict):
    """A capital city and its coordinates (WGS84 degrees)."""

    city: Text
    lat: Annotated[float, Field(ge=-90.0, le=90.0)]
    lng: Annotated[float, Field(ge=-180.0, le=180.0)]


class StateSpec(Strict):
    """A state and its figures. Great powers and small states have the same fields."""

    name: Text
    power: Power | dict[int, Power] = Field(
        description="COW CINC share, one figure or a series by year"
    )
    nuclear: bool = False
    capital: Capital
    borders: list[StateId] = []
    loyalty: Share = 0.5
    source: Text


class TerritorySpec(Strict):
    """A territory that can be a theatre: who owns it by law and who holds it."""

    name: Text
    owner: StateId
    held_by: StateId | None = None
    lat: Annotated[float, Field(ge=-90.0, le=90.0)]
    lng: Annotated[float, Field(ge=-180.0, le=180.0)]
    value: Share = 0.5
    source: Text


class SiteSpec(Strict):
    """A strategic site (base, facility) that a state holds on a territory."""

    name: Text
    holder: StateId
    territory: Id
    kind: Literal["base", "facility", "peacekeeping"] = "base"
    value: Share
    source: Text


class RelationSpec(Strict):
    """The quality of relations between two states, from -1 (hostile) to 1 (close)."""

    between: tuple[StateId, StateId]
    value: Annotated[float, Field(ge=-1.0, le=1.0)]
    source: Text


CommitmentKind = Literal["defence_pact", "basing", "consultation", "coalition", "institution"]


class CommitmentSpec(Strict):
    """Who owes what to whom, and over which territory."""

    name: Text
    kind: CommitmentKind
    members: Annotated[list[StateId], Field(min_length=2)]
    guarantors: list[StateId] | None = None
    covers: Literal["members"] | list[Id] = "members"
    institution: Id | None = None
    since: Date | None = None
    source: Text


class InstitutionSpec(Strict):
    """An institution (CSTO, EAEU): a forum of members, which carries no duty to fight."""

    name: Text
    members: Annotated[list[StateId], Field(min_length=2)]
    source: Text


class _Event(Strict):
    at: Date
    source: Text


class WarEvent(_Event):
    """An attack (``war``) or a threat of one (``crisis``) by one state on another in a theatre.

    Both call the defender's commitments; only a war puts the sides at war with each other.
    """

    kind: Literal["war", "crisis"]
    attacker: StateId
    defender: StateId
    theatre: Id
    scale: Share = 1.0
    backers: list[StateId] = []
    defender_backers: list[StateId] = []


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
    between: tuple[StateId, StateId]
    value: Annotated[float, Field(ge=-1.0, le=1.0)]


class GoalEvent(_Event):
    """Two states come to share a specific goal against an adversary (P11)."""

    kind: Literal["goal"]
    between: tuple[StateId, StateId]
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
    | SiteClosedEvent,
    Field(discriminator="kind"),
]

Outcome = Literal["honoured", "violated", "not_triggered"]


class HistoricalDecision(Strict):
    """What a guarantor did when its partner was attacked (checked, never read by the model)."""

    guarantor: StateId
    partner: StateId
    adversary: StateId
    theatre: Id
    outcome: Outcome
    fought: bool
    note: Text
    source: Text


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


class ScenarioSpec(Strict):
    """One case, as written in a scenario file."""

    title: Text
    summary: Text
    synthetic: bool = False
    propositions: list[Annotated[str, StringConstraints(pattern=r"^P([1-9]|1[0-2])$")]] = []
    period: Literal["month", "quarter", "year"]
    start: Date
    end: Date
    states: dict[StateId, StateSpec]
    territories: dict[Id, TerritorySpec]
    sites: dict[Id, SiteSpec] = {}
    relations: list[RelationSpec] = []
    commitments: dict[Id, CommitmentSpec] = {}
    institutions: dict[Id, InstitutionSpec] = {}
    events: dict[Id, Event] = {}
    history: History | None = None
    references: dict[str, Text] = {}


class OverlaySpec(Strict):
    """A counterfactual: changes applied on top of a base scenario."""

    title: Text
    summary: Text
    applies_to: Annotated[str, StringConstraints(pattern=r"^[a-z0-9_]+$")]
    set: dict[str, Any] = {}
    remove: list[Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.]+$")]] = []
