"""Checks of the command line's own inputs, made before any work starts.

Every argument gets one line and exit code 2 when it is wrong, naming the argument, what was
expected and what was got: whole numbers within their ranges (a seed, a number of runs with a
clear limit), outputs that can be written (a folder where a folder can be made, a file name
that is not a folder), folders that exist, a storage that optuna can open. Nothing is written
by a check: a folder's writability is probed with a temporary file, removed at once.

The argument types here raise :class:`argparse.ArgumentTypeError`, which :class:`Parser`
prints as one line; the checks that need more than one argument raise
:class:`~sim.errors.InputError`.
"""

from __future__ import annotations

import argparse
import errno
import json
import math
import os
import re
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import NoReturn

from sim.errors import InputError, one_line
from sim.results import ownership

SEED_MAX = 2**32 - 1
"""The largest seed: numpy's and optuna's generators take seeds below 2**32."""
MAX_RUNS = 100_000
"""The most Monte Carlo runs, trials or samples in one command (they are held in memory)."""
MAX_WORLD_RUNS = 1_000
"""The most runs of the open world (each holds every state of every year)."""
MAX_WORKERS = 256
"""The most worker processes."""
NAME_MAX = 255
"""The longest name of a file or folder (in bytes) that the system takes, as Linux's ext4."""
MAX_POINTS = 100_000
"""The most parameter points of a sweep or a sensitivity analysis (its design is built first)."""


class Parser(argparse.ArgumentParser):
    """An argument parser that reports a bad argument in one line, with exit code 2."""

    def _get_value(self, action: argparse.Action, arg_string: str) -> object:
        """Convert an argument; a path the system refuses (a name too long) is bad input too."""
        try:
            return super()._get_value(action, arg_string)
        except OSError as exc:
            raise argparse.ArgumentError(
                action, f"cannot use {arg_string[:60]!r} ({exc.strerror or exc})"
            ) from None

    def error(self, message: str) -> NoReturn:
        """Print ``error: PROG: MESSAGE`` and a pointer to the help, then exit with code 2."""
        self.exit(2, one_line(f"error: {self.prog}: {message} (see {self.prog} --help)") + "\n")


def whole(low: int, high: int, what: str = "") -> Callable[[str], int]:
    """Return an argument type: a whole number from ``low`` to ``high``."""
    limit = f" ({what})" if what else ""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = None
        if value is None or not low <= value <= high:
            raise argparse.ArgumentTypeError(
                f"expected a whole number from {_number(low)} to {_number(high)}{limit} "
                f"(got {text[:40]!r})"
            )
        return value

    parse.__name__ = "whole number"
    return parse


def _number(n: int) -> str:
    """Write a whole number as people read it: 2003, 100,000."""
    return f"{n:,}" if abs(n) >= 10_000 else str(n)


def positive_number(high: float, what: str) -> Callable[[str], float]:
    """Return an argument type: a finite number above 0 and at most ``high``."""

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            value = math.nan
        if not 0 < value <= high:  # NaN fails every comparison
            raise argparse.ArgumentTypeError(
                f"expected a finite number above 0 and at most {high:g} ({what}) "
                f"(got {text[:40]!r})"
            )
        return value

    parse.__name__ = "number"
    return parse


seed = whole(0, SEED_MAX)
count = whole(1, MAX_RUNS, "runs, trials, points and samples are held in memory")
world_runs = whole(1, MAX_WORLD_RUNS, "each run holds every state of every year")
workers = whole(1, MAX_WORKERS)
run_index = whole(0, MAX_RUNS - 1, "a replication of the run folder")
prior_sd = positive_number(100.0, "a spread in log-odds")


def output_folder(text: str) -> Path:
    """An argument type: a folder that exists or can be made, and can be written in."""
    path = _named(text, "a folder")
    if path.exists() and not path.is_dir():
        raise argparse.ArgumentTypeError(f"expected a folder, but {text!r} is a file")
    _writable(path if path.is_dir() else _nearest(path), text)
    return path


def results_folder(text: str) -> Path:
    """An argument type: an output folder for a run's or a world's results (``run --out``).

    It may replace a results folder, never be a study's folder or lie inside a job's folder.
    """
    path = output_folder(text)
    _owned(_results_place, path)
    return path


def study_folder(text: str) -> Path:
    """An argument type: an output folder for a study (``sweep --out``): new, or a study's."""
    path = output_folder(text)
    _owned(ownership.check_study_folder, path)
    return path


def figures_folder(text: str) -> Path:
    """An argument type: an output folder for figures, never a results or study folder."""
    path = output_folder(text)
    _owned(ownership.check_figures_folder, path)
    return path


def output_file(text: str) -> Path:
    """An argument type: a file that can be written (made, or replaced), outside any job's folder.

    Inside a results folder only what the folder declares may be written (``export``'s tables,
    figures under ``plots/``): never its metadata or its tables.
    """
    path = _named(text, "a file name")
    if path.is_dir():
        raise argparse.ArgumentTypeError(f"expected a file name, but {text!r} is a folder")
    if path.exists() and not path.is_file():
        raise argparse.ArgumentTypeError(f"expected a file name, but {text!r} is not a file")
    _writable(_nearest(path.parent), text)
    _owned(ownership.check_output_file, path)
    return path


def _results_place(path: Path) -> None:
    """Refuse a results folder inside another job's folder, or in a study's folder."""
    above = ownership.job_folder_above(path)
    if above is not None and above[0].absolute() != path.absolute():
        raise InputError(
            str(path), "", f"expected a folder outside the {above[1]} folder {above[0]}"
        )
    if above is not None and above[1] == "study":
        raise InputError(
            str(path), "", "expected a new folder, or a results folder to replace; it is a study's"
        )


def _owned(check: Callable[[Path], None], path: Path) -> None:
    """Run an ownership check as an argument type: its refusal becomes the argument's error."""
    try:
        check(path)
    except InputError as exc:
        raise argparse.ArgumentTypeError(_without_option(exc)) from None


def _without_option(exc: InputError) -> str:
    """The refusal's words, for argparse to put after the argument's name."""
    return str(exc).removeprefix(": ")


def folder(text: str) -> Path:
    """An argument type: a folder that exists (a scenarios folder, a results folder)."""
    path = _named(text, "a folder")
    if not path.exists():
        raise argparse.ArgumentTypeError(f"folder not found (got {text!r})")
    if not path.is_dir():
        raise argparse.ArgumentTypeError(f"expected a folder, but {text!r} is a file")
    return path


def storage(text: str) -> str:
    """An argument type: an optuna journal file, or a database URL that optuna can open."""
    if "://" in text:
        return _database(text)
    path = _beside(output_file(text), text)
    if path.is_file() and path.stat().st_size:
        _journal(path, text)
    return text


SCHEDULER = re.compile(r"^([a-z]+://)?[A-Za-z0-9_.\-\[\]:]*[A-Za-z0-9_\]]:[0-9]{1,5}$")
"""A Dask scheduler's address: ``tcp://host:8786`` (the protocol may be left out)."""


def scheduler(text: str) -> str:
    """An argument type: the address of a Dask scheduler, ``[protocol://]host:port``."""
    port = text.rpartition(":")[2]
    if not SCHEDULER.match(text) or not 1 <= int(port or 0) <= 65535:
        raise argparse.ArgumentTypeError(
            f"expected a Dask scheduler's address such as tcp://host:8786 (got {text[:60]!r})"
        )
    return text


def _beside(path: Path, text: str) -> Path:
    """Refuse a file whose folder does not exist: a storage does not make folders."""
    if not path.absolute().parent.is_dir():
        raise argparse.ArgumentTypeError(f"folder not found: {str(path.parent)!r} (got {text!r})")
    return path


def _journal(path: Path, text: str) -> None:
    """Refuse a file that is not an optuna journal: one JSON object a line."""
    try:
        with path.open(encoding="utf-8") as lines:
            first = json.loads(lines.readline(1_000_000))
    except (OSError, UnicodeDecodeError, ValueError):
        first = None
    if not isinstance(first, dict):
        raise argparse.ArgumentTypeError(
            f"expected an optuna journal file (one JSON object a line) or a new file (got {text!r})"
        )


def _database(text: str) -> str:
    """Refuse a URL no installed database driver reads, or a SQLite file in a missing folder."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError

    try:
        url = make_url(text)
        url.get_dialect()
    except (ArgumentError, NoSuchModuleError, ImportError, ValueError) as exc:
        raise argparse.ArgumentTypeError(
            f"expected a journal file or a database URL such as sqlite:///study.db "
            f"({str(exc).splitlines()[0][:80]}) (got {text!r})"
        ) from None
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        _beside(output_file(url.database), text)
    return text


def scenario_folder(text: str) -> Path:
    """An argument type: a folder that holds scenario files (``*.yaml``)."""
    path = folder(text)
    if not any(path.glob("*.yaml")):
        raise argparse.ArgumentTypeError(
            f"expected a folder of scenario files, *.yaml (got {text!r})"
        )
    return path


def _named(text: str, what: str) -> Path:
    if not text.strip():
        raise argparse.ArgumentTypeError(f"expected {what} (got {text!r})")
    if "\x00" in text:
        raise argparse.ArgumentTypeError(f"expected {what} without a NUL character")
    if any(len(os.fsencode(part)) > NAME_MAX for part in Path(text).parts):
        raise OSError(errno.ENAMETOOLONG, os.strerror(errno.ENAMETOOLONG), text)  # as made
    return Path(text)


def _nearest(path: Path) -> Path:
    """Return the nearest folder above ``path`` that exists; refuse a file in the way."""
    for above in [path, *path.parents]:
        if above.exists() or above.is_symlink():
            if not above.is_dir():
                raise argparse.ArgumentTypeError(
                    f"{str(above)!r} is not a folder, so nothing can be made under it"
                )
            return above
    return Path(".")


def _writable(place: Path, text: str) -> None:
    """Probe that files can be made in the folder ``place``: make one and remove it."""
    try:
        fd, probe = tempfile.mkstemp(prefix=".probe.", dir=place)
    except OSError as exc:
        raise argparse.ArgumentTypeError(
            f"cannot write in {str(place)!r} ({exc.strerror or exc}) (got {text!r})"
        ) from None
    os.close(fd)
    os.unlink(probe)


def distinct(names: Iterable[str], option: str) -> list[str]:
    """Return the names, refusing one given twice.

    Raises:
        InputError: a name is repeated.
    """
    seen: list[str] = []
    for name in names:
        if name in seen:
            raise InputError(option, name, "expected each parameter once (given twice)")
        seen.append(name)
    return seen


def design(size: int, option: str) -> int:
    """Return the number of points of a design, refusing more than :data:`MAX_POINTS`.

    Raises:
        InputError: the design is too large to build.
    """
    if size > MAX_POINTS:
        raise InputError(
            option, "", f"expected a design of at most {MAX_POINTS:,} points", got=size
        )
    return size


def within(value: int, low: int, high: int, where: str, what: str, field: str = "") -> int:
    """Return ``value``, refusing one outside ``low`` to ``high``.

    Raises:
        InputError: the value lies outside the range.
    """
    if not low <= value <= high:
        raise InputError(where, field, f"expected {what}, {low} to {high}", got=value)
    return value
