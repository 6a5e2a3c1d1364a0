"""Where a scenario's problem lies: the file, and the line, of a field of a merged document.

A scenario may be assembled from several files (a base and its overlays). The merged document
remembers which file contributed what (:class:`Source`), so that an error of the schema or of
a reference names the file a user must edit, with the line: the overlay that set a value or
removed a field, or else the base file.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from sim.errors import ScenarioError
from sim.scenario.references import Problem, problems_of
from sim.scenario.schema import ScenarioSpec
from sim.scenario.yamlfile import dotted, line_of


@dataclass
class Source:
    """One file that contributed to the merged document, to point errors at it.

    An overlay's ``set`` block is a source with ``prefix`` ``("set",)``; each path it removes
    is a source of its own, with ``prefix`` ``("remove", i)`` and the ``removed`` keys.
    """

    file: str
    document: Any
    prefix: tuple[str | int, ...]
    removed: tuple[str, ...] = ()


def validate(document: Mapping[str, Any], sources: list[Source]) -> ScenarioSpec:
    """Return the document as a scenario, or raise its first schema error, located."""
    try:
        return ScenarioSpec.model_validate(document)
    except ValidationError as exc:
        raise first_error(exc, sources) from None


def first_error(exc: ValidationError, sources: list[Source]) -> ScenarioError:
    """Turn pydantic's first error into one message with file, field path and line."""
    return error_of(exc.errors(include_url=False)[0], sources)


def error_of(error: Any, sources: list[Source]) -> ScenarioError:
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


def _locate(sources: list[Source], path: list[str | int]) -> tuple[str, int | None]:
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


def check_references(spec: ScenarioSpec, sources: list[Source]) -> None:
    """Raise the first reference problem of a validated scenario, located in its file."""
    for problem in problems_of(spec):
        raise located(problem, sources)


def located(problem: Problem, sources: list[Source]) -> ScenarioError:
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


def _removal_of(got: Any, sources: list[Source]) -> Source | None:
    """Return the overlay's removal of the id ``got`` (``remove: [states.ARM]``), if any."""
    for source in reversed(sources[1:]):
        removed = source.removed
        if len(removed) == 2 and removed[0] in ID_COLLECTIONS and removed[1] == got:
            return source
    return None
