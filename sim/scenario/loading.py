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
from collections.abc import Iterable, Mapping, MutableMapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from ruamel.yaml.comments import CommentedMap

from sim.errors import ScenarioError
from sim.scenario import library
from sim.scenario.located import (
    Source,
    check_references,
    error_of,
    first_error,
    located,
    validate,
)
from sim.scenario.references import RESERVABLE_KINDS as RESERVABLE_KINDS
from sim.scenario.references import beneficiaries_of as beneficiaries_of
from sim.scenario.references import problems_of
from sim.scenario.schema import OverlaySpec, ScenarioSpec
from sim.scenario.yamlfile import line_of, load_yaml


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
    spec = validate(draft.document, draft.sources)
    check_references(spec, draft.sources)
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
        return _first_per_field([error_of(e, draft.sources) for e in exc.errors(include_url=False)])
    return _first_per_field([located(problem, draft.sources) for problem in problems_of(spec)])


def _first_per_field(errors: list[ScenarioError]) -> list[ScenarioError]:
    """Keep one error per field of a file (an overlay's removal is one field): the first."""
    firsts = {(e.file, e.path): e for e in reversed(errors)}
    return [e for e in errors if firsts[(e.file, e.path)] is e]


@dataclass
class _Draft:
    """A scenario's merged document before validation, with the files it came from."""

    path: Path
    document: CommentedMap
    sources: list[Source]
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
    sources = [Source(str(path), document, ())]
    applied: list[tuple[str, str]] = []
    if "applies_to" in document:
        overlay_path, path = path, _base_of(path, document)
        document = _mapping(load_yaml(path, error=ScenarioError), path)
        sources = [Source(str(path), document, ())]
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
    sources = [Source(source, document, ())]
    spec = validate(document, sources)
    check_references(spec, sources)
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
        raise first_error(exc, [Source(str(path), document, ())]) from None


def _apply(
    base: CommentedMap, overlay_path: Path, sources: list[Source], base_name: str
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
        sources.append(Source(str(overlay_path), document, ("set",)))
    for index, dotted_path in enumerate(spec.remove):
        keys = dotted_path.split(".")
        _remove(base, keys, overlay_path, document, index)
        sources.append(Source(str(overlay_path), document, ("remove", index), tuple(keys)))
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
