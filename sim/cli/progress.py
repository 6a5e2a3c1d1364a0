"""Progress on the terminal, and what a job kept when it stopped or resumed.

Every command that can run for more than a few seconds shows a bar (tqdm) with the rate and
the time left, on standard error, and only when standard error is a terminal and the command
prints no JSON, so that pipes, logs and ``--json`` stay clean. What a resumable job kept is
said in one line whatever the terminal: ``resumed: ...`` when a rerun picks up kept work,
``interrupted: ...`` when Ctrl-C stops it (a ``KeyboardInterrupt`` carrying that line, which
:func:`sim.cli.main` prints before exiting with code 130).
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any


def shown(args: argparse.Namespace) -> bool:
    """Whether to draw a bar: standard error is a terminal and no JSON is printed."""
    return not getattr(args, "json", False) and sys.stderr.isatty()


@contextmanager
def bar(
    args: argparse.Namespace, total: int, unit: str, what: str, kept: tuple[int, str] = (0, "")
) -> Iterator[Callable[[int], Any]]:
    """Yield a function that advances a bar of ``total`` units by ``n``.

    Args:
        args: the command's arguments (``--json`` hides the bar).
        total: the units the job is to do.
        unit: what a unit is (``run``, ``point``, ``trial``, ``scenario``).
        what: the bar's label.
        kept: how many units an earlier, stopped job kept, and where; when some were, a line
            ``resumed: ...`` says so before the bar starts from them.
    """
    from tqdm import tqdm

    done, where = min(kept[0], total), kept[1]
    if done:
        say(f"resumed: {done} of {total} {unit}s kept in {where}; doing the other {total - done}")
    with tqdm(
        total=total,
        initial=done,
        unit=unit,
        desc=what,
        file=sys.stderr,
        disable=not shown(args),
        dynamic_ncols=True,
        leave=False,
    ) as counter:
        yield counter.update
        counter.refresh()  # the last count is shown, even between two of tqdm's redraws


@contextmanager
def interruptible() -> Iterator[Callable[[], bool]]:
    """Yield a function that says whether Ctrl-C was pressed, instead of stopping at once.

    A job that checks it between units of work ends cleanly after the unit under way; a
    second Ctrl-C stops it at once (``KeyboardInterrupt``), as the first one would have.
    """
    pressed = threading.Event()

    def on_interrupt(_signal: int, _frame: object) -> None:
        pressed.set()
        signal.signal(signal.SIGINT, signal.default_int_handler)

    previous = signal.signal(signal.SIGINT, on_interrupt)
    try:
        yield pressed.is_set
    finally:
        signal.signal(signal.SIGINT, previous)


def interruption(exc: BaseException) -> KeyboardInterrupt | None:
    """Return the Ctrl-C behind an error, or None.

    That is the error itself, or the interruption a library's clean-up was handling when it
    failed in turn (optuna raises UnboundLocalError when Ctrl-C strikes its journal write).
    """
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, KeyboardInterrupt):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None


def interrupted_line(exc: KeyboardInterrupt) -> str:
    """Return the one line an interrupted command prints: what it kept, or ``interrupted``."""
    return str(exc.args[0]) if exc.args else "interrupted"


def say(line: str) -> None:
    """Print one line about the job's progress on standard error."""
    print(line, file=sys.stderr, flush=True)


def stopped(
    kept: int, total: int, unit: str, where: str | None, hint: str = ""
) -> KeyboardInterrupt:
    """Return the interruption to raise: it says what the job kept and how to resume it.

    The command line prints its message as the one line of an interrupted command and exits
    with code 130.

    Args:
        kept: the units finished and kept.
        total: the units the job was to do.
        unit: what a unit is (``run``, ``point``, ``trial``).
        where: where they are kept, or None when the job keeps nothing.
        hint: how to keep work the next time, when ``where`` is None.
    """
    if where is None:
        return KeyboardInterrupt(f"interrupted: nothing kept ({hint})")
    return KeyboardInterrupt(
        f"interrupted: {kept} of {total} {unit}s kept in {where}; "
        "run the same command again to resume"
    )
