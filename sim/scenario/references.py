"""The consistency of a scenario: every id it names exists, every date falls in its time.

The schema (:mod:`sim.scenario.schema`) checks each field alone; these checks hold between
fields: a commitment's members are states defined under ``states``, an event falls inside the
scenario, a guarantor is a member, an invocation names a commitment its partner may invoke.
Each problem is a field path, what was expected and what was got;
:mod:`sim.scenario.located` finds the file and line that are to blame.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from sim.scenario.recorded import DUTY_OUTCOMES
from sim.scenario.schema import (
    ONE_WAY_KINDS,
    CommitmentSpec,
    InvocationEvent,
    ScenarioSpec,
    SiteOpenedEvent,
    WarEvent,
)
from sim.scenario.treaty_terms import DUTY_KINDS, term_problems

Problem = tuple[list[str | int], str, Any]
"""A problem of a scenario: the field path, what was expected, what was got."""


def problems_of(spec: ScenarioSpec) -> Iterator[Problem]:
    """Yield every reference and date of a scenario that does not hold (none for a sound one)."""
    states, territories = set(spec.states), set(spec.territories)
    known_state = f"expected a state id defined under states ({', '.join(sorted(states))})"
    known_territory = (
        f"expected a territory id defined under territories ({', '.join(sorted(territories))})"
    )

    def state(
        path: list[str | int], value: str | None
    ) -> Iterator[tuple[list[str | int], str, Any]]:
        if value is not None and value not in states:
            yield path, known_state, value

    if spec.end <= spec.start:  # every other check of dates needs a span of time
        yield ["end"], f"expected a date after the start ({spec.start})", str(spec.end)
        return
    yield from _state_problems(spec, state)
    for tid, territory in spec.territories.items():
        yield from state(["territories", tid, "owner"], territory.owner)
        yield from state(["territories", tid, "held_by"], territory.held_by)
    for site_id, site in spec.sites.items():
        yield from state(["sites", site_id, "holder"], site.holder)
        if site.territory not in territories:
            yield ["sites", site_id, "territory"], known_territory, site.territory
    yield from _relation_problems(spec, state)
    yield from _commitment_problems(spec, state, known_territory)
    yield from _event_problems(spec, state, known_territory)
    yield from _history_problems(spec, state, known_territory)
    yield from _actor_problems(spec, state)
    yield from _term_problems(spec, state)
    yield from term_problems(spec, state)
    yield from _front_problems(spec, state, known_territory)
    yield from _invocation_problems(spec)
    yield from _supply_problems(spec)


def _state_problems(spec: ScenarioSpec, state: Any) -> Iterator[Any]:
    years = range(spec.start.year, spec.end.year + 1)
    for sid, st in spec.states.items():
        for i, other in enumerate(st.borders):
            yield from state(["states", sid, "borders", i], other)
            if other == sid:
                yield (
                    ["states", sid, "borders", i],
                    "expected a neighbour, not the state itself",
                    sid,
                )
        if isinstance(st.power, dict) and not any(year in years for year in st.power):
            yield (
                ["states", sid, "power"],
                f"expected a figure, or figures by year with one from {years[0]} to {years[-1]}",
                dict(st.power),
            )


def _relation_problems(spec: ScenarioSpec, state: Any) -> Iterator[Any]:
    first: dict[frozenset[str], int] = {}
    for i, relation in enumerate(spec.relations):
        for j, sid in enumerate(relation.between):
            yield from state(["relations", i, "between", j], sid)
        pair = frozenset(relation.between)
        if len(pair) == 1:
            yield ["relations", i, "between"], "expected two different states", list(pair)
        elif pair in first:
            yield (
                ["relations", i, "between"],
                f"expected each pair of states once (relations[{first[pair]}] gives it already)",
                list(relation.between),
            )
        first.setdefault(pair, i)


def _commitment_problems(spec: ScenarioSpec, state: Any, known_territory: str) -> Iterator[Any]:
    for cid, commitment in spec.commitments.items():
        base: list[str | int] = ["commitments", cid]
        for i, member in enumerate(commitment.members):
            yield from state([*base, "members", i], member)
        for i, guarantor in enumerate(commitment.guarantors or []):
            if guarantor not in commitment.members:
                yield [*base, "guarantors", i], "expected a member of this commitment", guarantor
        if isinstance(commitment.covers, list):
            for i, tid in enumerate(commitment.covers):
                if tid not in spec.territories:
                    yield [*base, "covers", i], known_territory, tid
        if commitment.institution is not None and commitment.institution not in spec.institutions:
            yield (
                [*base, "institution"],
                "expected an institution id defined under institutions",
                commitment.institution,
            )
    for iid, institution in spec.institutions.items():
        for i, member in enumerate(institution.members):
            yield from state(["institutions", iid, "members", i], member)


def _event_problems(spec: ScenarioSpec, state: Any, known_territory: str) -> Iterator[Any]:
    wars = {eid for eid, e in spec.events.items() if isinstance(e, WarEvent)}  # wars and crises
    sites = set(spec.sites) | {
        getattr(e, "site", None) for e in spec.events.values() if e.kind == "site_opened"
    }
    last_day = _end_of_period(spec)
    for eid, event in spec.events.items():
        base: list[str | int] = ["events", eid]
        yield from _date_problems(spec, base, event, last_day)
        for name in (
            "state",
            "attacker",
            "defender",
            "holder",
            "adversary",
            "target",
            "held_by",
            "partner",
        ):
            yield from state([*base, name], getattr(event, name, None))
        for name in (
            "backers",
            "defender_backers",
            "suppliers",
            "defender_suppliers",
            "between",
            "imposers",
            "losers",
        ):
            for i, sid in enumerate(getattr(event, name, None) or []):
                yield from state([*base, name, i], sid)
        for name in ("theatre", "territory"):
            tid = getattr(event, name, None)
            if tid is not None and tid not in spec.territories:
                yield [*base, name], known_territory, tid
        if isinstance(event, WarEvent) and event.attacker == event.defender:
            yield [*base, "defender"], "expected a state other than the attacker", event.defender
        if event.kind in ("end_of_war", "join_war") and event.war not in wars:
            yield [*base, "war"], "expected the id of a war event", event.war
        elif event.kind in ("end_of_war", "join_war") and spec.events[event.war].at > event.at:
            yield [*base, "at"], f"expected a date after the war {event.war} begins", str(event.at)
        institution = getattr(event, "institution", None)
        if (
            event.kind == "sanction"
            and institution is not None
            and institution not in spec.commitments
        ):
            yield [*base, "institution"], "expected a commitment id", event.institution
        if event.kind in ("site_closed", "site_value", "term_end") and event.site not in sites:
            yield (
                [*base, "site"],
                "expected a site id defined under sites or opened by an event",
                event.site,
            )


def _date_problems(
    spec: ScenarioSpec, base: list[str | int], event: Any, last_day: dt.date
) -> Iterator[Any]:
    """An event falls inside the scenario; a war running at the start, before it."""
    if getattr(event, "running", False):
        if event.at >= spec.start:
            yield (
                [*base, "at"],
                f"expected a running war to begin before {spec.start}",
                str(event.at),
            )
    elif not spec.start <= event.at < last_day:
        yield (
            [*base, "at"],
            f"expected a date within the scenario ({spec.start} to {last_day} exclusive)",
            str(event.at),
        )


def _end_of_period(spec: ScenarioSpec) -> dt.date:
    """Return the day after the last period: a scenario ends with its end date's period."""
    months = {"month": 1, "quarter": 3, "year": 12}[spec.period]
    start_month = spec.start.year * 12 + spec.start.month - 1
    end_month = spec.end.year * 12 + spec.end.month - 1
    last = start_month + ((end_month - start_month) // months + 1) * months
    return dt.date(last // 12, last % 12 + 1, 1)


def _history_problems(spec: ScenarioSpec, state: Any, known_territory: str) -> Iterator[Any]:
    if spec.history is None:
        return
    for i, decision in enumerate(spec.history.decisions):
        base: list[str | int] = ["history", "decisions", i]
        for name in ("guarantor", "partner", "adversary"):
            yield from state([*base, name], getattr(decision, name))
        if decision.by is not None and not spec.start <= decision.by < _end_of_period(spec):
            yield [*base, "by"], "expected a date within the scenario", str(decision.by)
        if decision.theatre not in spec.territories:
            yield [*base, "theatre"], known_territory, decision.theatre
        yield from _bound_problems(base, decision)
    for i, formed in enumerate(spec.history.formations):
        for j, sid in enumerate(formed.members):
            yield from state(["history", "formations", i, "members", j], sid)
    for i, outcome in enumerate(spec.history.events):
        if outcome.event not in spec.events:
            yield ["history", "events", i, "event"], "expected an event id", outcome.event
    for i, member in enumerate(spec.history.memberships):
        yield from state(["history", "memberships", i, "state"], member.state)
        if member.commitment not in spec.commitments:
            yield (
                ["history", "memberships", i, "commitment"],
                "expected a commitment id",
                member.commitment,
            )
    for i, alliance in enumerate(spec.history.alliances):
        if alliance.commitment not in spec.commitments:
            yield (
                ["history", "alliances", i, "commitment"],
                "expected a commitment id",
                alliance.commitment,
            )


def _bound_problems(base: list[str | int], decision: Any) -> Iterator[Problem]:
    """A duty's outcome only where a duty bound; a free state's only where none did."""
    if decision.bound:
        if decision.outcome not in DUTY_OUTCOMES:
            expected = "expected a duty's outcome (honoured, violated, not_triggered)"
            yield (
                [*base, "outcome"],
                f"{expected}; write bound: false for a state no duty bound",
                decision.outcome,
            )
        return
    free = "intervened" if decision.fought else "stayed_out"
    if decision.outcome is not None and decision.outcome != free:
        yield (
            [*base, "outcome"],
            f"expected {free} or no outcome: with bound: false no duty bound the state, "
            f"and it {'fought' if decision.fought else 'did not fight'}",
            decision.outcome,
        )
    if decision.duty_kept is not None:
        yield (
            [*base, "duty_kept"],
            "expected no duty_kept where no duty bound (bound: false)",
            decision.duty_kept,
        )
    if decision.conditions_met and decision.invoked:
        yield (
            [*base, "bound"],
            "expected bound: true: a commitment invoked with its conditions met binds",
            False,
        )


# --- the fields of issue 18: actors, terms of commitments, fronts, invocations -----------


def _actor_problems(spec: ScenarioSpec, state: Any) -> Iterator[Any]:
    """Loyalty and value towards named states, groups, and sites held under a mandate."""
    for sid, st in spec.states.items():
        for other in st.loyalty_to:
            yield from state(["states", sid, "loyalty_to", other], other)
            if other == sid:
                yield ["states", sid, "loyalty_to", other], "expected another state", other
        if st.actor == "non_state" and st.nuclear:
            yield ["states", sid, "nuclear"], "expected false for a non-state actor", True
    for tid, territory in spec.territories.items():
        for other in territory.value_to:
            yield from state(["territories", tid, "value_to", other], other)
    for gid, group in spec.groups.items():
        for i, member in enumerate(group.members):
            yield from state(["groups", gid, "members", i], member)
    for site_id, site in spec.sites.items():
        yield from _mandate_problems(spec, ["sites", site_id], site.under, site.holder)
    for eid, event in spec.events.items():
        if isinstance(event, SiteOpenedEvent):
            yield from _mandate_problems(spec, ["events", eid], event.under, event.holder)


def _mandate_problems(
    spec: ScenarioSpec, base: list[str | int], under: str | None, holder: str
) -> Iterator[Any]:
    """A site under a flag names a mandate, and its holder is one of the mandate's guarantors."""
    if under is None:
        return
    mandate = spec.commitments.get(under)
    if mandate is None or mandate.kind != "mandate":
        yield [*base, "under"], "expected the id of a commitment of kind mandate", under
    elif holder not in (mandate.guarantors or mandate.members):
        yield [*base, "holder"], f"expected a guarantor of the mandate {under}", holder


def _term_problems(spec: ScenarioSpec, state: Any) -> Iterator[Any]:
    """Who may invoke a commitment, against whom, on which conditions, with whose terms."""
    for cid, c in spec.commitments.items():
        base: list[str | int] = ["commitments", cid]
        for i, sid in enumerate(c.beneficiaries or []):
            if sid not in c.members:
                yield [*base, "beneficiaries", i], "expected a member of this commitment", sid
        yield from _one_way_problems(base, c)
        yield from _against_problems(spec, base, c, state)
        war = c.conditions.war if c.conditions else None
        if war is not None and not isinstance(spec.events.get(war), WarEvent):
            yield [*base, "conditions", "war"], "expected the id of a war event", war
        yield from _member_term_problems(base, c)
        if c.until is not None and c.since is not None and c.until <= c.since:
            yield [*base, "until"], f"expected a date after since ({c.since})", str(c.until)


def _one_way_problems(base: list[str | int], c: Any) -> Iterator[Any]:
    """A guarantee, a declaration or a mandate names its givers and leaves someone to receive."""
    if c.kind not in ONE_WAY_KINDS:
        return
    if c.guarantors is None:
        yield [*base, "guarantors"], f"expected the guarantors: a {c.kind} is one-way", None
    elif not set(c.beneficiaries or c.members) - set(c.guarantors) and not c.protects:
        yield [*base, "members"], "expected a member that is not a guarantor", None


def _against_problems(
    spec: ScenarioSpec, base: list[str | int], c: Any, state: Any
) -> Iterator[Any]:
    """The states and groups a commitment binds against exist."""
    if c.against is None:
        return
    for name in ("states", "allies_of"):
        for i, sid in enumerate(getattr(c.against, name)):
            yield from state([*base, "against", name, i], sid)
    for i, gid in enumerate(c.against.groups):
        if gid not in spec.groups:
            yield [*base, "against", "groups", i], "expected a group id defined under groups", gid


def _member_term_problems(base: list[str | int], c: Any) -> Iterator[Any]:
    """Each member's terms name a member, in date order, with a duty its commitment can bear."""
    for sid, terms in c.member_terms.items():
        path = [*base, "member_terms", sid]
        if sid not in c.members:
            yield path, "expected a member of this commitment", sid
        if terms.joined and terms.left and terms.left <= terms.joined:
            yield [*path, "left"], f"expected a date after joined ({terms.joined})", str(terms.left)
        if terms.duty is not None and c.kind not in RESERVABLE_KINDS:
            yield (
                [*path, "duty"],
                "expected no reservation on a commitment of this kind",
                terms.duty,
            )


RESERVABLE_KINDS = DUTY_KINDS
"""Kinds on which a member may reserve its duty (to consult only, or to no duty): those that
carry one."""


def _front_problems(spec: ScenarioSpec, state: Any, known_territory: str) -> Iterator[Any]:
    """A war's further fronts name known states and theatres, and two different sides."""
    for eid, event in spec.events.items():
        if not isinstance(event, WarEvent):
            continue
        for i, front in enumerate(event.fronts):
            path: list[str | int] = ["events", eid, "fronts", i]
            yield from state([*path, "attacker"], front.attacker)
            yield from state([*path, "defender"], front.defender)
            if front.theatre not in spec.territories:
                yield [*path, "theatre"], known_territory, front.theatre
            attacker, defender = front.attacker or event.attacker, front.defender or event.defender
            if attacker == defender:
                yield [*path, "defender"], "expected a state other than the attacker", defender


def _invocation_problems(spec: ScenarioSpec) -> Iterator[Any]:
    """An invocation names a commitment its partner may invoke, and that commitment's guarantors."""
    for eid, event in spec.events.items():
        if not isinstance(event, InvocationEvent):
            continue
        base: list[str | int] = ["events", eid]
        c = spec.commitments.get(event.commitment)
        if c is None:
            yield [*base, "commitment"], "expected a commitment id", event.commitment
            continue
        if event.partner not in beneficiaries_of(c):
            yield (
                [*base, "partner"],
                f"expected a state that may invoke {event.commitment}",
                event.partner,
            )
        for i, g in enumerate(event.guarantors):
            if g not in (c.guarantors or c.members):
                yield [*base, "guarantors", i], f"expected a guarantor of {event.commitment}", g
        if event.war is not None and not isinstance(spec.events.get(event.war), WarEvent):
            yield [*base, "war"], "expected the id of a war event", event.war


def _supply_problems(spec: ScenarioSpec) -> Iterator[Any]:
    """A decision history codes ``supplied`` is support short of war: not one that fought."""
    for i, decision in enumerate(spec.history.decisions if spec.history else []):
        if decision.fought and decision.supplied:
            yield (
                ["history", "decisions", i, "supplied"],
                "expected false or no supplied where fought is true (supplied is support short"
                " of war; a decision by an earlier date 'by' can record the supply)",
                True,
            )


def beneficiaries_of(c: CommitmentSpec) -> list[str]:
    """Return who may invoke a commitment: as declared, else every member that can be owed.

    For a guarantee, a declaration or a mandate that is every member that is not a
    guarantor; for any other kind, every member.
    """
    if c.beneficiaries is not None:
        return list(c.beneficiaries)
    if c.kind in ONE_WAY_KINDS:
        return [m for m in c.members if m not in (c.guarantors or [])]
    return list(c.members)
