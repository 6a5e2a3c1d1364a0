"""Reading YAML 1.2 files safely, keeping line numbers for error messages.

ruamel.yaml's round-trip loader reads YAML 1.2 (``NO`` stays a string, ``3.10`` stays
3.10) and records where each key and item stands. Nothing in a file is evaluated: tags
that would build Python objects are rejected.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq, TaggedScalar
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, SequenceNode

from sim.errors import InputError
from sim.scenario.inputs import read_text

ALIAS_BUDGET = 10_000
"""The most nodes that aliases may add to a document when expanded (a "billion laughs" of
nested aliases would add billions): a scenario needs none, a hand-written one a few."""


class _AliasBomb(Exception):
    """A document's aliases expand beyond :data:`ALIAS_BUDGET`."""

    def __init__(self, line: int) -> None:
        self.line = line


class _DataConstructor(RoundTripConstructor):
    """Keep dates as text: the schema parses them, so a bad date gets its field and line.

    The composed document is measured before anything is built from it: aliases that would
    expand beyond :data:`ALIAS_BUDGET` nodes, or refer to themselves, are refused.
    """

    def construct_document(self, node: Any) -> Any:
        """Build the document, once its aliases are known to stay within the budget."""
        _check_aliases(node)
        return super().construct_document(node)


def _check_aliases(root: Node) -> None:
    """Refuse a document whose expanded size exceeds its own by more than the budget.

    Raises:
        _AliasBomb: the budget is exceeded, or an alias refers to a node that holds it.
    """
    sizes: dict[int, int] = {}
    distinct = 0

    def size(node: Node, open_: set[int]) -> int:
        nonlocal distinct
        if id(node) in sizes:
            return sizes[id(node)]
        if id(node) in open_:  # a node that holds itself expands without end
            raise _AliasBomb(node.start_mark.line + 1)
        open_.add(id(node))
        children = node.value if isinstance(node, SequenceNode) else ()
        if isinstance(node, MappingNode):
            children = [part for pair in node.value for part in pair]
        total = 1 + sum(size(child, open_) for child in children)
        open_.discard(id(node))
        distinct += 1
        sizes[id(node)] = total
        if total - distinct > ALIAS_BUDGET:
            raise _AliasBomb(node.start_mark.line + 1)
        return total

    size(root, set())


_DataConstructor.add_constructor(
    "tag:yaml.org,2002:timestamp", lambda self, node: self.construct_scalar(node)
)


def load_yaml(path: str | Path, *, error: type[InputError] = InputError) -> Any:
    """Load one YAML file, turning every failure into ``error`` with file and line.

    Raises:
        InputError: (or the given subclass) the file is missing, not a regular file, larger
            than :data:`sim.scenario.inputs.MAX_TEXT`, not UTF-8 or not valid YAML.
    """
    path = Path(path)
    text = read_text(path, error=error)  # a pipe, a device or a huge file is refused unread
    yaml = YAML(typ="rt", pure=True)
    yaml.Constructor = _DataConstructor
    yaml.allow_duplicate_keys = False
    try:
        document = yaml.load(text)
    except _AliasBomb as bomb:
        raise error(
            str(path),
            "",
            f"YAML aliases expand beyond {ALIAS_BUDGET:,} nodes (aliases nested too deep or "
            "too often, or an alias that holds itself)",
            line=bomb.line,
        ) from None
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = (exc.problem or exc.context or "invalid YAML").strip()
        duplicate = re.match(r'found duplicate key "([^"]*)"', problem)
        if duplicate:
            problem = f'duplicate key "{duplicate.group(1)}"'
        problem = problem if len(problem) <= 120 else problem[:117] + "..."
        raise error(str(path), "", f"YAML syntax error: {problem}", line=line) from None
    except (YAMLError, ValueError, TypeError, RecursionError) as exc:
        raise error(str(path), "", f"YAML error: {str(exc).splitlines()[0][:120]}") from None
    _reject_tags(document, document, [], str(path), error)
    return document


def _reject_tags(
    root: Any, node: Any, path: list[str | int], file: str, error: type[InputError]
) -> None:
    """Refuse explicit tags: a scenario is data, and nothing in it may name a type."""
    tag = getattr(getattr(node, "tag", None), "value", None)
    if tag is not None or isinstance(node, TaggedScalar):
        raise error(
            file,
            dotted(path),
            "explicit YAML tags are not allowed in data files",
            got=tag,
            line=line_of(root, path),
        )
    children: Any = (
        node.items()
        if isinstance(node, CommentedMap)
        else (enumerate(node) if isinstance(node, CommentedSeq) else ())
    )
    for key, child in children:
        _reject_tags(root, child, [*path, key], file, error)


def line_of(document: Any, path: Sequence[str | int]) -> int | None:
    """Return the 1-based line of the deepest element of ``path`` found in ``document``."""
    node, line = document, None
    for key in path:
        try:
            if isinstance(node, CommentedMap) and key in node:
                line = node.lc.key(key)[0] + 1
            elif isinstance(node, CommentedSeq) and isinstance(key, int) and 0 <= key < len(node):
                line = node.lc.item(key)[0] + 1
            else:
                break
        except (KeyError, IndexError, TypeError):  # added by an overlay: it has no line here
            break
        node = node[key]
    if line is None and isinstance(document, CommentedMap | CommentedSeq):
        return int(document.lc.line) + 1
    return line


def dotted(path: Sequence[str | int]) -> str:
    """Render a field path as ``states.RUS.power`` or ``events[2].at``."""
    text = ""
    for key in path:
        text += f"[{key}]" if isinstance(key, int) else (f".{key}" if text else str(key))
    return text
