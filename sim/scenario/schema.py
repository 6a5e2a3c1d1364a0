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
    """Base of every scenario model: unknown fields are errors, types strict, values frozen.

    Strict types refuse what lax ones would convert: ``'2'`` for a whole number, ``'no'`` or
    ``1`` for a boolean, ``'0.5'`` for a figure. A whole number is still a figure (``1`` for
    ``1.0``), and a pair may be written as a YAML list.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class Capital(Strict):
    """A capital city and its coordinates (WGS84 degrees)."""

    city: Text
    lat: Annotated[float, Field(ge=-90.0, le=90.0)]
    lng: Annotated[float, Field(ge=-180.0, le=180.0)]


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
    capital: Capital
    borders: list[StateId] = []
    loyalty: Share = 0.5
    loyalty_to: dict[StateId, Share] = {}
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
Latitude = Annotated[float, Field(ge=-90.0, le=90.0)]
Longitude = Annotated[float, Field(ge=-180.0, le=180.0)]


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


class ConditionsSpec(Strict):
    """The conditions under which a commitment applies when it is called (ATOP's codes)."""

    unprovoked: bool = False  # defconpr: only if the partner did not provoke the war
    attackers_at_least: Annotated[int, Field(ge=1, le=50)] = 1  # defconum
    area: AreaSpec | None = None  # defcoloc
    war: Id | None = None  # defcocon: only in this war (an event id)
    source: Text | None = None


class MemberTermsSpec(Strict):
    """One member's own terms: when it joined and left, and a reservation on its duty."""

    joined: Date | None = None
    left: Date | None = None
    duty: Duty | None = None
    source: Text


class CommitmentSpec(Strict):
    """Who owes what to whom, against whom, over which territory and on which conditions.

    ``guarantors`` owe the duty (all members if omitted); ``beneficiaries`` may invoke it
    (all members if omitted; for a guarantee, a declaration or a mandate, the members that
    are not guarantors). ``until`` is the date it ends by its text or a party's notice.
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

Outcome = Literal["honoured", "violated", "not_triggered"]


class HistoricalDecision(Strict):
    """What a guarantor did when its partner was attacked (checked, never read by the model).

    ``fought`` is whether it fought for the partner (by the date ``by``, or by the end of the
    case): what the scorecard scores. ``outcome`` codes the duty's own terms; ``duty_kept``,
    where given, is scored too. ``invoked`` and ``conditions_met`` record what the sources say
    of invocation and of the commitment's conditions, apart.
    """

    guarantor: StateId
    partner: StateId
    adversary: StateId
    theatre: Id
    by: Date | None = None
    outcome: Outcome
    fought: bool
    invoked: bool | None = None
    conditions_met: bool | None = None
    duty_kept: bool | None = None
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
