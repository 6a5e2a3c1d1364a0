"""The command line: ``run.py`` and the ``alliance-sim`` console script.

Commands, one module per family:

* :mod:`sim.cli.scenarios` — ``list`` the scenarios; ``run SCENARIO`` replays one: every
  commitment called, with P(honour), outcome, history and the factors that weighed most,
  alliances and how they ended; ``explain SCENARIO DECISION`` gives every factor of one
  decision in words; ``check`` scores the model against every scenario's history;
  ``validate`` checks files without running them; ``params``
  lists every parameter with its default, range, unit and meaning;
* :mod:`sim.cli.analysis` — ``survival`` of alliances and ``plot``, one figure;
* :mod:`sim.cli.export` — ``export`` a run's alliances and decisions as dyad-year or
  state-year tables with COW codes;
* :mod:`sim.cli.studies` — ``sweep`` and ``sensitivity``: parameter studies;
* :mod:`sim.cli.calibrate` — ``tune``: calibration against history;
* :mod:`sim.cli.history` — ``world`` and ``backtest``, the open world from the data and the
  back-test against every interstate war 1816-2003; ``figures``, sourced data look-ups;
* :mod:`sim.cli.web` — ``serve``, the web view (:mod:`sim.web`, imported only by it).

Exit codes: 0 done; 2 bad input (a malformed scenario or argument, an unwritable output, a
folder that is not a results folder), one line naming what and where, never a traceback, and
checked before any work starts; 1 the machine failed a job that was under way (a disk full,
a folder made unwritable mid-run, memory), or a job ended without the result it was to
write (``tune``'s fit scored worse than the defaults, without ``--force``), one line; 70 a
bug (``EX_SOFTWARE``): one line "internal error, please report", or the traceback with
``--debug`` or ``ALLIANCE_SIM_DEBUG=1``; 130 interrupted (Ctrl-C, even when a library's
clean-up turns it into another error), one line saying what finished was kept and how a
rerun resumes (:mod:`sim.cli.progress`).
"""

from __future__ import annotations

import argparse
import errno
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from typing import Any

from sim import cache
from sim.cli import analysis, calibrate, export, history, progress, quiet, scenarios, studies, web
from sim.cli.common import EXIT_INPUT
from sim.cli.validate import Parser
from sim.errors import InputError, one_line, program

EXIT_FAILURE = 1
"""The exit code of a job the machine failed: a disk full, a folder made unwritable mid-run."""
EXIT_INTERNAL = 70
"""The exit code of a bug (``EX_SOFTWARE`` of sysexits.h): please report it."""
EXIT_INTERRUPTED = 130
"""The exit code of Ctrl-C (128 + SIGINT)."""
DEBUG = "ALLIANCE_SIM_DEBUG"
"""The environment variable that, set to 1, shows a failure's traceback (as ``--debug``)."""
ENVIRONMENT = {
    errno.ENOSPC,
    errno.EDQUOT,
    errno.EROFS,
    errno.EACCES,
    errno.EPERM,
    errno.EIO,
    errno.EMFILE,
    errno.ENFILE,
    errno.ENOMEM,
}
"""The errors of the machine, not of the program, that can still strike a job under way."""
PATH_ERRORS = {errno.ENAMETOOLONG, errno.ELOOP}
"""The errors of a path the user gave that the system refuses to look up: bad input."""

COMMANDS: tuple[Callable[[Any], None], ...] = (
    scenarios.add_list,
    scenarios.add_run,
    scenarios.add_explain,
    scenarios.add_check,
    scenarios.add_validate,
    analysis.add_survival,
    analysis.add_plot,
    export.add_export,
    studies.add_sweep,
    studies.add_sensitivity,
    calibrate.add_tune,
    history.add_world,
    history.add_backtest,
    history.add_figures,
    scenarios.add_params,
    web.add_serve,
)
"""Each command's registration, in the order ``run.py --help`` lists them."""


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # a bad argument (one line, code 2), or --help (code 0)
        return exc.code if isinstance(exc.code, int) else EXIT_INPUT
    debug = args.debug or os.environ.get(DEBUG, "") not in ("", "0")
    try:
        with cache.turned_off(getattr(args, "no_cache", False)), quiet.libraries_quiet(debug):
            return int(args.command(args))
    except KeyboardInterrupt as exc:  # a resumable job says what it kept (sim.cli.progress)
        print(progress.interrupted_line(exc), file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # the reader stopped (``run.py ... | head``): nothing to report
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:
        if debug:
            traceback.print_exc()
        code, message = failure(exc)
        print(message, file=sys.stderr)
        return code


def failure(exc: Exception) -> tuple[int, str]:
    """Return the exit code and the one line that report a command's failure."""
    ctrl_c = progress.interruption(exc)
    if ctrl_c is not None:
        return EXIT_INTERRUPTED, progress.interrupted_line(ctrl_c)
    if isinstance(exc, InputError):
        return EXIT_INPUT, f"error: {exc}"
    if isinstance(exc, OSError) and exc.errno in PATH_ERRORS:
        return EXIT_INPUT, one_line(f"error: {str(exc.filename)[:200]}: {exc.strerror}")
    if isinstance(exc, OSError) and exc.errno in ENVIRONMENT:
        where = f"{exc.filename}: " if exc.filename else ""
        return EXIT_FAILURE, one_line(f"error: {where}{exc.strerror or exc}")
    if isinstance(exc, MemoryError):
        return EXIT_FAILURE, "error: out of memory (fewer runs or points need less)"
    text = str(exc).strip().splitlines()
    detail = f": {text[0][:200]}" if text else ""
    return EXIT_INTERNAL, one_line(
        f"internal error: {type(exc).__name__}{detail}; please report it with the command "
        f"that caused it ({DEBUG}=1 or --debug shows the traceback)"
    )


def _parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog=program(), description="Alliances that form, hold and fail: replay historical cases."
    )
    parser.add_argument("--version", action="version", version=f"alliance-sim {_version()}")
    parser.add_argument(
        "--debug",
        action="store_true",
        help=f"show the traceback of a failure (or set {DEBUG}=1)",
    )
    sub = parser.add_subparsers(required=True, metavar="COMMAND")
    for register in COMMANDS:
        register(sub)
    return parser


def _version() -> str:
    """Return the installed version, and the version of the package's source otherwise."""
    from importlib import metadata

    import sim

    try:
        return metadata.version("alliance-sim")
    except metadata.PackageNotFoundError:
        return sim.__version__
