"""Loading scenario files: YAML to validated :class:`Scenario`, with counterfactual overlays.

A scenario is data. It is read with a safe YAML 1.2 loader, checked against the schema in
:mod:`sim.scenario.schema`, and then checked for consistency (every id it names exists, every event
falls inside the scenario's time). Any problem raises :class:`~sim.errors.ScenarioError`
naming the file, the field path and the line.

An overlay (``scenarios/counterfactuals/*.yaml``) names the base scenario it applies to,
sets some fields (mappings merge, other values replace) and removes others. A base is
looked up by name in the scenarios folder only, so an overlay cannot reach outside it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Iterator, Mapping, MutableMapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from ruamel.yaml.comments import CommentedMap

from sim.errors import ScenarioError
from sim.scenario import library
from sim.scenario.schema import (
    ONE_WAY_KINDS,
    CommitmentSpec,
    InvocationEvent,
    OverlaySpec,
    ScenarioSpec,
    SiteOpenedEvent,
    WarEvent,
)
from sim.scenario.yamlfile import dotted, line_of, load_yaml


@dataclass(frozen=True)
class Scenario:
    """A validated scenario, with the files it came from."""

    name: str
    path: Path
    spec: ScenarioSpec
    overlays: tuple[str, ...] = field(default=())
    overlay_titles: tuple[str, ...] = field(default=())

    @property
    def counterfactual(self) -> bool:
        """Whether overlays changed the case, so that history no longer applies."""
        return bool(self.overlays)


@dataclass
class _Source:
    """One file that contributed to the merged document, to point errors at it.

    An overlay's ``set`` block is a source with ``prefix`` ``("set",)``; each path it removes
    is a source of its own, with ``prefix`` ``("remove", i)`` and the ``removed`` keys.
    """

    file: str
    document: Any
    prefix: tuple[str | int, ...]
    removed: tuple[str, ...] = ()


def load(path: str | Path, overlays: Iterable[str | Path] = ()) -> Scenario:
    """Load a scenario (or an overlay with its base) and apply further overlays.

    Args:
        path: a scenario or overlay file, or the name of one (``karabakh_2020``), looked up
            as :func:`sim.scenario.library.find` says: the user's folders, then the library.
        overlays: overlay files or names, applied in order; each must apply to this scenario.

    Raises:
        ScenarioError: any problem in any of the files, with file, field path and line.
    """
    draft = _assemble(path, overlays)
    spec = _validate(draft.document, draft.sources)
    _check_references(spec, draft.sources)
    return draft.scenario(spec)


def problems(path: str | Path, overlays: Iterable[str | Path] = ()) -> list[ScenarioError]:
    """Return every problem of a scenario file (or overlay), without running it.

    A file that cannot be read or parsed has that one problem; otherwise every field that
    breaks the schema is listed (once, as :func:`load` would name it), and if none does,
    every reference that does not hold.
    """
    try:
        draft = _assemble(path, overlays)
    except ScenarioError as error:
        return [error]
    try:
        spec = ScenarioSpec.model_validate(draft.document)
    except ValidationError as exc:
        return _first_per_field([_error(e, draft.sources) for e in exc.errors(include_url=False)])
    return _first_per_field([_located(problem, draft.sources) for problem in _problems(spec)])


def _first_per_field(errors: list[ScenarioError]) -> list[ScenarioError]:
    """Keep one error per field of a file (an overlay's removal is one field): the first."""
    firsts = {(e.file, e.path): e for e in reversed(errors)}
    return [e for e in errors if firsts[(e.file, e.path)] is e]


@dataclass
class _Draft:
    """A scenario's merged document before validation, with the files it came from."""

    path: Path
    document: CommentedMap
    sources: list[_Source]
    applied: list[tuple[str, str]]

    def scenario(self, spec: ScenarioSpec) -> Scenario:
        """Return the validated scenario."""
        return Scenario(
            name=self.path.stem,
            path=self.path,
            spec=spec,
            overlays=tuple(name for name, _ in self.applied),
            overlay_titles=tuple(title for _, title in self.applied),
        )


def _assemble(name: str | Path, overlays: Iterable[str | Path]) -> _Draft:
    """Read a scenario (or an overlay's base) and merge the overlays into one document.

    ``name`` and ``overlays`` are files or names, found as :func:`sim.scenario.library.find`
    says.
    """
    path = library.find(name)
    document = _mapping(load_yaml(path, error=ScenarioError), path)
    sources = [_Source(str(path), document, ())]
    applied: list[tuple[str, str]] = []
    if "applies_to" in document:
        overlay_path, path = path, _base_of(path, document)
        document = _mapping(load_yaml(path, error=ScenarioError), path)
        sources = [_Source(str(path), document, ())]
        applied.append(_apply(document, overlay_path, sources, path.stem))
    for overlay in overlays:
        applied.append(_apply(document, library.find_overlay(overlay), sources, path.stem))
    if applied:
        document["history"] = None
    return _Draft(path, document, sources, applied)


def revise(scenario: Scenario, changes: Mapping[str, Any], source: str) -> Scenario:
    """Apply changes written as an overlay's ``set`` to a loaded scenario, and check them.

    Mappings merge and other values replace, as in an overlay file; the result is checked as
    a file is, and it is a counterfactual (history no longer applies). ``source`` names the
    changes in errors and in the scenario's overlays.

    Raises:
        ScenarioError: a changed value is invalid, naming ``source`` and the field path.
    """
    if not changes:
        return scenario
    document = scenario.spec.model_dump(exclude_unset=True)
    _merge(document, changes)
    document["history"] = None
    sources = [_Source(source, document, ())]
    spec = _validate(document, sources)
    _check_references(spec, sources)
    return dataclasses.replace(
        scenario,
        spec=spec,
        overlays=(*scenario.overlays, source),
        overlay_titles=(*scenario.overlay_titles, source),
    )


def scenario_files(folder: str | Path) -> list[Path]:
    """Return the scenario files of a folder (not its counterfactuals), sorted by name."""
    return sorted(p for p in Path(folder).glob("*.yaml") if not p.name.startswith("_"))


def _mapping(document: Any, path: Path) -> CommentedMap:
    if not isinstance(document, CommentedMap):
        got = type(document).__name__ if document is not None else "an empty file"
        raise ScenarioError(str(path), "", "expected a mapping of scenario fields", got=got, line=1)
    return document


def _base_of(overlay: Path, document: CommentedMap) -> Path:
    """Find the base scenario of an overlay by name, inside the scenarios folder only."""
    spec = _validate_overlay(overlay, document)
    folder = overlay.resolve().parent
    candidates = [folder / f"{spec.applies_to}.yaml", folder.parent / f"{spec.applies_to}.yaml"]
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    raise ScenarioError(
        str(overlay),
        "applies_to",
        "expected the name of a scenario in the scenarios folder",
        got=spec.applies_to,
        line=line_of(document, ("applies_to",)),
    )


def _validate_overlay(path: Path, document: Any) -> OverlaySpec:
    try:
        return OverlaySpec.model_validate(document)
    except ValidationError as exc:
        raise _first_error(exc, [_Source(str(path), document, ())]) from None


def _apply(
    base: CommentedMap, overlay_path: Path, sources: list[_Source], base_name: str
) -> tuple[str, str]:
    """Apply one overlay file to a merged document, in place; return its name and title.

    Raises:
        ScenarioError: the overlay is malformed, or written for another scenario.
    """
    document = _mapping(load_yaml(overlay_path, error=ScenarioError), overlay_path)
    spec = _validate_overlay(overlay_path, document)
    if spec.applies_to != base_name:
        raise ScenarioError(
            str(overlay_path),
            "applies_to",
            f"this overlay is written for another scenario; expected {base_name}, the scenario "
            "it is applied to",
            got=spec.applies_to,
            line=line_of(document, ("applies_to",)),
        )
    if document.get("set"):
        _merge(base, document["set"])
        sources.append(_Source(str(overlay_path), document, ("set",)))
    for index, dotted_path in enumerate(spec.remove):
        keys = dotted_path.split(".")
        _remove(base, keys, overlay_path, document, index)
        sources.append(_Source(str(overlay_path), document, ("remove", index), tuple(keys)))
    return overlay_path.stem, spec.title


def _merge(target: MutableMapping[str, Any], changes: Mapping[str, Any]) -> None:
    for key, value in changes.items():
        if isinstance(value, Mapping) and isinstance(target.get(key), Mapping):
            _merge(target[key], value)
        else:
            target[key] = value


def _remove(base: Any, keys: list[str], file: Path, overlay: Any, index: int) -> None:
    node = base
    for key in keys[:-1]:
        node = node.get(key) if isinstance(node, Mapping) else None
    if not isinstance(node, MutableMapping) or keys[-1] not in node:
        raise ScenarioError(
            str(file),
            f"remove[{index}]",
            "expected the path of a field in the base scenario",
            got=".".join(keys),
            line=line_of(overlay, ("remove", index)),
        )
    del node[keys[-1]]


def _validate(document: Mapping[str, Any], sources: list[_Source]) -> ScenarioSpec:
    try:
        return ScenarioSpec.model_validate(document)
    except ValidationError as exc:
        raise _first_error(exc, sources) from None


def _first_error(exc: ValidationError, sources: list[_Source]) -> ScenarioError:
    """Turn pydantic's first error into one message with file, field path and line."""
    return _error(exc.errors(include_url=False)[0], sources)


def _error(error: Any, sources: list[_Source]) -> ScenarioError:
    """Turn one of pydantic's errors into one message with file, field path and line."""
    path = _document_path(sources[0].document, error["loc"], error["type"])
    kind = error["type"]
    if kind == "extra_forbidden":
        expected, got = "unknown field", None
    elif kind == "missing":
        expected, got = "required field is missing", None
    else:
        message = error["msg"].removeprefix("Value error, ")
        expected = message[0].lower() + message[1:] if message else "a valid value"
        got = error.get("input")
        if isinstance(got, Mapping | list):
            got = None
    file, line = _locate(sources, path)
    return ScenarioError(file, dotted(path), expected, got=got, line=line)


def _document_path(document: Any, loc: tuple[Any, ...], kind: str) -> list[str | int]:
    """Drop pydantic's union tags from an error location, keeping the document's keys."""
    node, path = document, []
    for position, key in enumerate(loc):
        last = position == len(loc) - 1
        in_map = isinstance(node, Mapping) and key in node
        in_list = isinstance(node, list) and isinstance(key, int) and key < len(node)
        if in_map or in_list:
            node = node[key]
            path.append(key)
        elif last and kind in {"missing", "extra_forbidden"}:
            path.append(key)
    return path


def _locate(sources: list[_Source], path: list[str | int]) -> tuple[str, int | None]:
    """Find which file set the value at ``path`` (the last overlay that did), and its line.

    An overlay is to blame when it sets the value itself, when it added the entry that
    holds it (an entry the base file does not have), or when it removed the value or an entry
    that held it (the line of its ``remove`` item).
    """
    base = sources[0].document
    for source in reversed(sources[1:]):
        if source.removed:
            if tuple(path[: len(source.removed)]) == source.removed:
                return source.file, line_of(source.document, source.prefix)
            continue
        node = source.document
        for key in source.prefix:
            node = node[key]
        depth = _depth(node, path)
        if depth and (depth == len(path) or _depth_with_lines(base, path) < depth):
            return source.file, line_of(source.document, (*source.prefix, *path))
    return sources[0].file, line_of(base, path)


def _depth(node: Any, path: list[str | int]) -> int:
    """Return how many leading keys of ``path`` a mapping holds."""
    depth = 0
    for key in path:
        if not isinstance(node, Mapping) or key not in node:
            break
        node, depth = node[key], depth + 1
    return depth


def _depth_with_lines(document: Any, path: list[str | int]) -> int:
    """Return how many leading keys of ``path`` the base file itself wrote (they have lines)."""
    node, depth = document, 0
    for key in path:
        try:
            node.lc.key(key)
        except (AttributeError, KeyError, TypeError):
            break
        node, depth = node[key], depth + 1
    return depth


# --- consistency checks: every id a scenario names must exist ----------------------------


def _check_references(spec: ScenarioSpec, sources: list[_Source]) -> None:
    for problem in _problems(spec):
        raise _located(problem, sources)


def _located(problem: tuple[list[str | int], str, Any], sources: list[_Source]) -> ScenarioError:
    """Return a reference problem as an error naming its file and line.

    A reference to an id that an overlay removed is that overlay's problem: the error names
    its ``remove`` item, and the field that still refers to the id.
    """
    path, expected, got = problem
    removal = _removal_of(got, sources)
    if removal is not None:
        return ScenarioError(
            removal.file,
            dotted(removal.prefix),
            f"expected a field nothing else refers to ({dotted(path)} still names {got})",
            got=".".join(removal.removed),
            line=line_of(removal.document, removal.prefix),
        )
    file, line = _locate(sources, path)
    return ScenarioError(file, dotted(path), expected, got=got, line=line)


ID_COLLECTIONS = (
    "states",
    "territories",
    "sites",
    "commitments",
    "groups",
    "institutions",
    "events",
)
"""The mappings of a scenario whose keys are ids that other fields refer to."""


def _removal_of(got: Any, sources: list[_Source]) -> _Source | None:
    """Return the overlay's removal of the id ``got`` (``remove: [states.ARM]``), if any."""
    for source in reversed(sources[1:]):
        removed = source.removed
        if len(removed) == 2 and removed[0] in ID_COLLECTIONS and removed[1] == got:
            return source
    return None


def _problems(spec: ScenarioSpec) -> Iterator[tuple[list[str | int], str, Any]]:
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
    yield from _front_problems(spec, state, known_territory)
    yield from _invocation_problems(spec)


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
    elif not set(c.beneficiaries or c.members) - set(c.guarantors):
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


RESERVABLE_KINDS = (
    "defence_pact",
    "offence_pact",
    "coalition",
    "guarantee",
    "declaration",
    "basing",
    "consultation",
)
"""Kinds on which a member may reserve its duty (to consult only, or to no duty)."""


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
