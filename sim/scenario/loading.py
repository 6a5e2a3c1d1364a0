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

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping, MutableMapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from ruamel.yaml.comments import CommentedMap

from sim.errors import ScenarioError
from sim.scenario.schema import OverlaySpec, ScenarioSpec, WarEvent
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

    Raises:
        ScenarioError: any problem in any of the files, with file, field path and line.
    """
    path = Path(path)
    document = _mapping(load_yaml(path, error=ScenarioError), path)
    sources = [_Source(str(path), document, ())]
    applied: list[tuple[str, str]] = []
    if "applies_to" in document:
        overlay_path, path = path, _base_of(path, document)
        document = _mapping(load_yaml(path, error=ScenarioError), path)
        sources = [_Source(str(path), document, ())]
        applied.append(_apply(document, overlay_path, sources))
    for overlay in overlays:
        applied.append(_apply(document, Path(overlay), sources))
    if applied:
        document["history"] = None
    spec = _validate(document, sources)
    _check_references(spec, sources)
    return Scenario(
        name=path.stem,
        path=path,
        spec=spec,
        overlays=tuple(name for name, _ in applied),
        overlay_titles=tuple(title for _, title in applied),
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


def _apply(base: CommentedMap, overlay_path: Path, sources: list[_Source]) -> tuple[str, str]:
    """Apply one overlay file to a merged document, in place; return its name and title."""
    document = _mapping(load_yaml(overlay_path, error=ScenarioError), overlay_path)
    spec = _validate_overlay(overlay_path, document)
    if document.get("set"):
        _merge(base, document["set"])
        sources.append(_Source(str(overlay_path), document, ("set",)))
    for index, dotted_path in enumerate(spec.remove):
        keys = dotted_path.split(".")
        _remove(base, keys, overlay_path, document, index)
        sources.append(_Source(str(overlay_path), document, ("remove", index), tuple(keys)))
    return overlay_path.stem, spec.title


def _merge(target: CommentedMap, changes: Mapping[str, Any]) -> None:
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


def _validate(document: CommentedMap, sources: list[_Source]) -> ScenarioSpec:
    try:
        return ScenarioSpec.model_validate(document)
    except ValidationError as exc:
        raise _first_error(exc, sources) from None


def _first_error(exc: ValidationError, sources: list[_Source]) -> ScenarioError:
    """Turn pydantic's first error into one message with file, field path and line."""
    error = exc.errors(include_url=False)[0]
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
    for path, expected, got in _problems(spec):
        file, line = _locate(sources, path)
        raise ScenarioError(file, dotted(path), expected, got=got, line=line)


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

    if spec.end <= spec.start:
        yield ["end"], f"expected a date after the start ({spec.start})", str(spec.end)
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
        if not spec.start <= event.at < last_day:
            yield (
                [*base, "at"],
                f"expected a date within the scenario ({spec.start} to {last_day} exclusive)",
                str(event.at),
            )
        for name in ("state", "attacker", "defender", "holder", "adversary", "target", "held_by"):
            yield from state([*base, name], getattr(event, name, None))
        for name in ("backers", "defender_backers", "between", "imposers", "losers"):
            for i, sid in enumerate(getattr(event, name, None) or []):
                yield from state([*base, name, i], sid)
        for name in ("theatre", "territory"):
            tid = getattr(event, name, None)
            if tid is not None and tid not in spec.territories:
                yield [*base, name], known_territory, tid
        if isinstance(event, WarEvent) and event.attacker == event.defender:
            yield [*base, "defender"], "expected a state other than the attacker", event.defender
        if event.kind == "end_of_war" and event.war not in wars:
            yield [*base, "war"], "expected the id of a war event", event.war
        elif event.kind == "end_of_war" and spec.events[event.war].at > event.at:
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
