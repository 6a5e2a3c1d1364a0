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

from typing import Any


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
