"""The consistency of the treaty terms a historian meets beyond ATOP's commitment-level codes.

A member's reservation against named states (``member_terms.X.not_against``), a duty that
holds once another guarantor fights (``conditions.after``), a count of attackers that are
major powers (``conditions.attackers_at_least: {count, major: true}``), a mandate's
protection of a state that is not party to it (``protects``) and the narrow seas between
states (``narrow_seas``), and a state's forces engaged elsewhere (``committed_elsewhere``,
whose spells end after they begin and never add up to more than all its forces): each names
states that exist, never the commitment's own party
where that would make it wait on itself, and sits on a kind of commitment that can bear it.
Problems are yielded as :mod:`sim.scenario.references` yields them (path, expected, got).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from sim.scenario.schema import CommitmentSpec, ScenarioSpec

Problem = tuple[list[str | int], str, Any]
StateCheck = Callable[[list[str | int], str | None], Iterator[Problem]]

DUTY_KINDS = (
    "defence_pact",
    "offence_pact",
    "coalition",
    "guarantee",
    "declaration",
    "basing",
    "consultation",
)
"""Kinds that carry a duty (to fight or consult), on which a reservation or a chain can sit."""


def term_problems(spec: ScenarioSpec, state: StateCheck) -> Iterator[Problem]:
    """Yield every problem of the scenario's reservations, chains, majors, protection, seas."""
    for sid, st in spec.states.items():
        if st.major and st.actor == "non_state":
            yield ["states", sid, "major"], "expected false for a non-state actor", True
    majors = sum(st.major for st in spec.states.values())
    for cid, c in spec.commitments.items():
        base: list[str | int] = ["commitments", cid]
        yield from _reservation_problems(base, c, state)
        yield from _chain_problems(base, c, state)
        yield from _major_problems(base, c, majors)
        yield from _protection_problems(base, c, state)
    yield from _sea_problems(spec, state)
    for sid, st in spec.states.items():
        yield from _committed_problems(
            ["states", sid, "committed_elsewhere"], st.committed_elsewhere
        )


def _reservation_problems(base: list[str | int], c: CommitmentSpec, state: StateCheck) -> Any:
    """A member's ``not_against`` names other states, on a commitment that carries a duty."""
    for sid, terms in c.member_terms.items():
        path = [*base, "member_terms", sid, "not_against"]
        if terms.not_against and c.kind not in DUTY_KINDS:
            yield path, "expected no reservation on a commitment of this kind", c.kind
        for i, other in enumerate(terms.not_against):
            yield from state([*path, i], other)
            if other == sid:
                yield [*path, i], "expected a state other than the member itself", other


def _chain_problems(base: list[str | int], c: CommitmentSpec, state: StateCheck) -> Any:
    """``after`` names a state that is neither this commitment's guarantor nor its partner."""
    after = c.conditions.after if c.conditions else []
    path = [*base, "conditions", "after"]
    if after and c.kind not in DUTY_KINDS:
        yield (
            path,
            "expected no condition on another guarantor for a commitment of this kind",
            c.kind,
        )
    own = set(c.guarantors or c.members)
    partners = set(c.beneficiaries or []) | (set(c.members) - own if c.guarantors else set())
    for i, other in enumerate(after):
        yield from state([*path, i], other)
        if other in own:
            yield (
                [*path, i],
                "expected a state that is not a guarantor of this commitment (its duty would "
                "wait on itself); name the guarantor of another commitment",
                other,
            )
        elif other in partners:
            yield [*path, i], "expected a guarantor, not a state this commitment protects", other


def _major_problems(base: list[str | int], c: CommitmentSpec, majors: int) -> Any:
    """A count of major attackers can be met by the states the scenario marks ``major``."""
    attackers = c.conditions.attackers_at_least if c.conditions else None
    if attackers is None or not attackers.major or attackers.count <= majors:
        return
    yield (
        [*base, "conditions", "attackers_at_least", "count"],
        f"expected at most {majors} (the states marked major: true, from COW's major-power list)",
        attackers.count,
    )


def _protection_problems(base: list[str | int], c: CommitmentSpec, state: StateCheck) -> Any:
    """``protects`` sits on a mandate and names states that are not party to it."""
    if c.protects and c.kind != "mandate":
        yield [*base, "protects"], "expected protects only on a commitment of kind mandate", c.kind
        return
    for i, sid in enumerate(c.protects):
        yield from state([*base, "protects", i], sid)
        if sid in c.members:
            yield (
                [*base, "protects", i],
                "expected a state not party to the mandate (its members are protected already)",
                sid,
            )


def _sea_problems(spec: ScenarioSpec, state: StateCheck) -> Iterator[Problem]:
    """Each narrow sea lies between two different known states, and is given once."""
    seen: dict[frozenset[str], int] = {}  # the undated seas: a pair with spells may recur
    for i, sea in enumerate(spec.narrow_seas):
        for j, sid in enumerate(sea.between):
            yield from state(["narrow_seas", i, "between", j], sid)
        if sea.since and sea.until and sea.until <= sea.since:
            yield (
                ["narrow_seas", i, "until"],
                f"expected a date after since ({sea.since})",
                str(sea.until),
            )
        pair = frozenset(sea.between)
        if len(pair) == 1:
            yield ["narrow_seas", i, "between"], "expected two different states", list(pair)
        elif pair in seen and not (sea.since or sea.until):
            yield (
                ["narrow_seas", i, "between"],
                f"expected each pair of states once (narrow_seas[{seen[pair]}] gives it already)",
                list(sea.between),
            )
        if not (sea.since or sea.until):
            seen.setdefault(pair, i)


def _committed_problems(base: list[str | int], spells: list[Any]) -> Iterator[Problem]:
    """Each spell of forces engaged elsewhere ends after it begins; at once, they add up to 1."""
    for i, spell in enumerate(spells):
        if spell.since and spell.until and spell.until <= spell.since:
            yield (
                [*base, i, "until"],
                f"expected a date after since ({spell.since})",
                str(spell.until),
            )
    for i, spell in enumerate(spells):
        total = sum(other.share for other in spells if _holds_at(other, spell.since))
        if total > 1.0 + 1e-9:
            yield (
                [*base, i, "share"],
                "expected shares that add up to 1 at most among the spells in force at once",
                round(total, 6),
            )
            return


def _holds_at(spell: Any, day: Any) -> bool:
    """Whether a spell holds on ``day`` (None: the scenario's start)."""
    began = spell.since is None or (day is not None and spell.since <= day)
    return began and (spell.until is None or (day is not None and day < spell.until) or day is None)
