"""Errors raised on bad input.

The hierarchy is small::

    InputError            bad input a user can fix (exit code 2 in the CLI)
    ├── ScenarioError     a scenario or overlay file
    ├── ParameterError    a parameter file or a ``--set`` value
    ├── ResultsError      a results folder that is not one (a table missing, unreadable, wrong)
    └── ChoiceError       a name that matches none of the choices, or several (a LookupError too)

Every error names the file, the field path, the line where known, what was expected
and what was got, so that the CLI can print one clear line and no traceback. The line is
one line whatever the input holds: a newline or other control character in a file name, an
id or a value is shown escaped, as Python writes it in a string.
"""

from __future__ import annotations

import difflib
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

PROGRAM = "alliance-sim"
"""The console script's name: how messages name the program when it was not called by name."""


def program() -> str:
    """Return the name the program was called by (``alliance-sim``, ``run.py``), for messages.

    A message that sends the user to another command names the program as it was typed;
    under ``python -m`` or an embedding program it is the console script's name.
    """
    called = Path(sys.argv[0]).name if sys.argv and sys.argv[0] else ""
    return called if called in (PROGRAM, "run.py") else PROGRAM


class InputError(Exception):
    """Bad input that the user can fix.

    Args:
        file: the file the input came from, or a description such as ``--set``.
        path: the field path inside the file, for example ``states.RUS.power``.
        expected: what was expected, in words.
        got: what was found, if it helps to show it.
        line: the 1-based line in the file, where known.
    """

    def __init__(
        self,
        file: str,
        path: str,
        expected: str,
        got: Any = None,
        line: int | None = None,
    ) -> None:
        self.file = file
        self.path = path
        self.expected = expected
        self.got = got
        self.line = line
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}, line {self.line}"
        field = f"{self.path}: " if self.path else ""
        got = "" if self.got is None else f" (got {_show(self.got)})"
        return one_line(f"{where}: {field}{self.expected}{got}")


class ScenarioError(InputError):
    """A scenario or overlay file is malformed or inconsistent."""


class ParameterError(InputError):
    """A parameter file or a ``--set`` assignment is malformed or out of range."""


class ResultsError(InputError):
    """A results folder is missing, incomplete, unreadable or holds the wrong tables."""


class ChoiceError(InputError, LookupError):
    """A name (a decision, a state) matches none of the choices, or several."""


def one_line(text: str) -> str:
    """Return ``text`` with every control character (newline, tab, NUL) shown escaped."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def did_you_mean(name: str, known: Iterable[str]) -> str:
    """Return ``" (did you mean X?)"`` naming the known names closest to ``name``, or ``""``.

    Names that begin with ``name`` come first (``suez`` for ``suez_1956``), then those
    spelt most alike.
    """
    known = sorted(known)
    begun = [k for k in known if len(name) >= 3 and k.startswith(name)]
    alike = difflib.get_close_matches(name, known, n=3, cutoff=0.7)
    close = list(dict.fromkeys(begun + alike))[:3]
    return f" (did you mean {' or '.join(close)}?)" if close else ""
