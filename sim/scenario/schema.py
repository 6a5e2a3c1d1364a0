"""The scenario file format, as pydantic models.

A scenario file holds one historical case: its states with their figures and sources,
territories and theatres, strategic sites, relations, commitments, institutions, a
timeline of events, and a ``history`` block that records what happened. The model never
reads ``history``; it is there to check the model against.

Every model forbids unknown fields, so that a misspelt field is an error, not a silent
default.

The models are split by concern: the shared field types (:mod:`sim.scenario.fields`), the
events of the timeline (:mod:`sim.scenario.events`) and the historical record
(:mod:`sim.scenario.recorded`); this module holds the case's actors and commitments and the
file as a whole, and re-exports the rest so that every model is reached from here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, StringConstraints

from sim.scenario.events import (
    ControlEvent,
    DefeatEvent,
    EndOfWarEvent,
    Event,
    FrontSpec,
    GoalEvent,
    InvocationEvent,
    JoinWarEvent,
    NuclearEvent,
    PowerEvent,
    RelationEvent,
    SanctionEvent,
    SettingEvent,
    SiteClosedEvent,
    SiteOpenedEvent,
    SiteValueEvent,
    TermEndEvent,
    WarEvent,
)
from sim.scenario.fields import (
    Date,
    Id,
    Latitude,
    Longitude,
    Power,
    Share,
    StateId,
    Strict,
    Text,
)
from sim.scenario.recorded import (
    HistoricalAlliance,
    HistoricalDecision,
    HistoricalEventOutcome,
    HistoricalFormation,
    HistoricalMembership,
    History,
    Outcome,
)

__all__ = [
    "ONE_WAY_KINDS",
    "AgainstSpec",
    "AreaSpec",
    "AttackersSpec",
    "Capital",
    "CommitmentKind",
    "CommitmentSpec",
    "ConditionsSpec",
    "ControlEvent",
    "Date",
    "DefeatEvent",
    "Duty",
    "EndOfWarEvent",
    "Event",
    "FrontSpec",
    "GoalEvent",
    "GroupSpec",
    "HistoricalAlliance",
    "HistoricalDecision",
    "HistoricalEventOutcome",
    "HistoricalFormation",
    "HistoricalMembership",
    "History",
    "Id",
    "InstitutionSpec",
    "InvocationEvent",
    "JoinWarEvent",
    "Latitude",
    "Longitude",
    "MemberTermsSpec",
    "NarrowSeaSpec",
    "NuclearEvent",
    "Outcome",
    "OverlaySpec",
    "Power",
    "PowerEvent",
    "RelationEvent",
    "RelationSpec",
    "SanctionEvent",
    "ScenarioSpec",
    "SettingEvent",
    "Share",
    "SiteClosedEvent",
    "SiteOpenedEvent",
    "SiteSpec",
    "SiteValueEvent",
    "StateId",
    "StateSpec",
    "Strict",
    "TermEndEvent",
    "TerritorySpec",
    "Text",
    "WarEvent",
]


class Capital(Strict):
    """A capital city and its coordinates (WGS84 degrees)."""

    city: Text
    lat: Annotated[float, Field(ge=-90.0, le=90.0)]
    lng: Annotated[float, Field(ge=-180.0, le=180.0)]


class CommittedSpec(Strict):
    """A share of a state's forces engaged elsewhere (a war off the scenario's map), sourced.

    It holds throughout the scenario, or from ``since`` and until ``until``.
    """

    share: Share
    since: Date | None = None
    until: Date | None = None
    source: Text


def _spells(value: Any) -> Any:
    """Let one spell be written as a mapping rather than a list of one."""
    return [value] if isinstance(value, dict) else value


class StateSpec(Strict):
    """A state (or another actor) and its figures.

    Great powers and small states have the same fields. An ``actor: non_state`` (an
    insurgency, a separatist authority) and a state outside the COW state system that year
    (``in_system: false``: occupied, or not yet a member) take part in a case with estimated
    figures; neither forms alliances by the model's rules. ``loyalty`` is the actor's loyalty
    to any patron; ``loyalty_to`` gives it towards named patrons (a client may follow one
    power and not another).
    """

    name: Text
    actor: Literal["state", "non_state"] = "state"
    in_system: bool = True
    power: Power | dict[int, Power] = Field(
        description="COW CINC share, one figure or a series by year"
    )
    nuclear: bool = False
    major: bool = Field(
        default=False,
        description="a major power at the scenario's start, as COW's major-power list has it",
    )
    capital: Capital
    borders: list[StateId] = []
    loyalty: Share = 0.5
    loyalty_to: dict[StateId, Share] = {}
    committed_elsewhere: Annotated[list[CommittedSpec], BeforeValidator(_spells)] = Field(
        default=[],
        description="shares of its forces engaged elsewhere, each with its source and dates",
    )
    source: Text


class TerritorySpec(Strict):
    """A territory that can be a theatre: who owns it by law and who holds it."""

    name: Text
    owner: StateId
    held_by: StateId | None = None
    lat: Annotated[float, Field(ge=-90.0, le=90.0)]
    lng: Annotated[float, Field(ge=-180.0, le=180.0)]
    value: Share = 0.5
    value_to: dict[StateId, Share] = {}
    source: Text


class SiteSpec(Strict):
    """A strategic site (base, facility) that a state holds on a territory.

    ``under`` names the mandate (a UN or coalition flag) the presence serves, if any.
    """

    name: Text
    holder: StateId
    territory: Id
    kind: Literal["base", "facility", "peacekeeping"] = "base"
    value: Share
    under: Id | None = None
    source: Text


class RelationSpec(Strict):
    """The quality of relations between two states, from -1 (hostile) to 1 (close)."""

    between: Annotated[tuple[StateId, StateId], Field(strict=False)]
    value: Annotated[float, Field(ge=-1.0, le=1.0)]
    source: Text


CommitmentKind = Literal[
    "defence_pact",
    "offence_pact",
    "guarantee",
    "declaration",
    "basing",
    "consultation",
    "coalition",
    "neutrality",
    "non_aggression",
    "mandate",
    "institution",
]
"""Kinds of commitment. Defence and offence pacts, coalitions, guarantees, declarations and
basing agreements carry a duty to fight; a consultation pact a duty to consult; neutrality
and non-aggression pacts a duty not to fight the partner; a mandate (a peacekeeping presence)
and an institution no duty at all."""

ONE_WAY_KINDS = ("guarantee", "declaration", "mandate")
"""Kinds whose guarantors owe the others and are not each other's partners."""

Duty = Literal["defend", "consult", "none"]


def _states_list(value: Any) -> Any:
    """Accept a plain list of states as ``against: {states: [...]}``."""
    return {"states": value} if isinstance(value, list) else value


class AgainstSpec(Strict):
    """Whom a commitment binds against (ATOP's specific adversary, ``defcoadv``).

    The commitment applies only when the partner's adversary is one of ``states``, a member
    of one of ``groups`` (described groups defined under ``groups``), or in a formal alliance
    in force with one of ``allies_of`` ("Japan or any state allied with it").
    """

    states: list[StateId] = []
    groups: list[Id] = []
    allies_of: list[StateId] = []
    source: Text | None = None


class AreaSpec(Strict):
    """An area in which a theatre must lie (ATOP's location, ``defcoloc``): a box of degrees.

    A theatre lies in it when its centroid does; ``west`` greater than ``east`` wraps across
    the antimeridian.
    """

    name: Text
    south: Latitude = -90.0
    north: Latitude = 90.0
    west: Longitude = -180.0
    east: Longitude = 180.0
    source: Text | None = None


class AttackersSpec(Strict):
    """How many states must fight the partner; with ``major``, only major powers count.

    "If attacked by two or more Great Powers" is ``{count: 2, major: true}``; a state is a major
    power when the scenario marks it ``major: true`` (COW's major-power list).
    """

    count: Annotated[int, Field(ge=1, le=50)]
    major: bool = False


def _attackers_form(value: Any) -> Any:
    """Accept a plain number of attackers as ``{count: N}``; refuse what is neither."""
    if isinstance(value, int) and not isinstance(value, bool):
        return {"count": value}
    if isinstance(value, Mapping | AttackersSpec):
        return value
    raise ValueError("input should be a valid integer, or {count: N, major: true}")


class ConditionsSpec(Strict):
    """The conditions under which a commitment applies when it is called (ATOP's codes).

    ``after`` names guarantors (of other commitments) that must already fight on the partner's
    side when the call comes: a chained guarantee, which holds once another power acts.
    """

    unprovoked: bool = False  # defconpr: only if the partner did not provoke the war
    attackers_at_least: Annotated[AttackersSpec, BeforeValidator(_attackers_form)] = AttackersSpec(
        count=1
    )  # defconum: a plain number counts any state
    area: AreaSpec | None = None  # defcoloc
    war: Id | None = None  # defcocon: only in this war (an event id)
    after: list[StateId] = []
    source: Text | None = None


class MemberTermsSpec(Strict):
    """One member's own terms: when it joined and left, and reservations on its duty.

    ``duty`` reserves what it owes (to consult only, or nothing); ``not_against`` names states
    against which its duty does not hold (a war in which one of them fights the partner), while
    the other members' duties do.
    """

    joined: Date | None = None
    left: Date | None = None
    duty: Duty | None = None
    not_against: list[StateId] = []
    source: Text


class CommitmentSpec(Strict):
    """Who owes what to whom, against whom, over which territory and on which conditions.

    ``guarantors`` owe the duty (all members if omitted); ``beneficiaries`` may invoke it
    (all members if omitted; for a guarantee, a declaration or a mandate, the members that
    are not guarantors). ``until`` is the date it ends by its text or a party's notice. A
    mandate ``protects`` states or actors that are not party to it: an attack on one calls
    the mandate's guarantors as an attack on a member would.
    """

    name: Text
    kind: CommitmentKind
    members: Annotated[list[StateId], Field(min_length=2)]
    guarantors: list[StateId] | None = None
    beneficiaries: list[StateId] | None = None
    covers: Literal["members"] | list[Id] = "members"
    against: Annotated[AgainstSpec | None, BeforeValidator(_states_list)] = None
    conditions: ConditionsSpec | None = None
    member_terms: dict[StateId, MemberTermsSpec] = {}
    protects: list[StateId] = Field(
        default=[], description="a mandate only: states or actors it protects, not party to it"
    )
    institution: Id | None = None
    since: Date | None = None
    until: Date | None = None
    atop_id: Annotated[int, Field(ge=1000, le=9999)] | None = None
    source: Text


class GroupSpec(Strict):
    """A described group of states a commitment may bind against ("international communism")."""

    name: Text
    members: Annotated[list[StateId], Field(min_length=1)]
    source: Text


class InstitutionSpec(Strict):
    """An institution (CSTO, EAEU): a forum of members, which carries no duty to fight."""

    name: Text
    members: Annotated[list[StateId], Field(min_length=2)]
    source: Text


def _pair_form(value: Any) -> Any:
    """Accept a plain pair of states as ``{between: [A, B]}``."""
    return {"between": value} if isinstance(value, list) else value


class NarrowSeaSpec(Strict):
    """Two states across a narrow sea (at most 24 miles of water: COW contiguity types 2-3).

    A narrow sea makes them near (the adversary on one's border, a neighbour that is asked),
    not neighbours by land: a buffer needs a land border. It holds throughout the scenario,
    or from ``since`` and until ``until`` (a COW contiguity spell that begins or ends in it).
    """

    between: Annotated[tuple[StateId, StateId], Field(strict=False)]
    since: Date | None = None
    until: Date | None = None
    source: Text | None = None


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
    narrow_seas: list[Annotated[NarrowSeaSpec, BeforeValidator(_pair_form)]] = []
    commitments: dict[Id, CommitmentSpec] = {}
    institutions: dict[Id, InstitutionSpec] = {}
    groups: dict[Id, GroupSpec] = {}
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
