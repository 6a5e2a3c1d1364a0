"""The command line: ``run.py`` and the ``alliance-sim`` console script.

Commands, one module per family:

* :mod:`sim.cli.scenarios` — ``list`` the scenarios; ``run SCENARIO`` replays one: every
  commitment called, with P(honour), outcome, history and the factors that weighed most,
  alliances and how they ended; ``explain SCENARIO DECISION`` gives every factor of one
  decision in words; ``check`` scores the model against every scenario's history;
  ``validate`` checks files without running them; ``params``
  lists every parameter with its default, range, unit and meaning;
* :mod:`sim.cli.analysis` — ``survival`` of alliances and ``plot``, one figure;
* :mod:`sim.cli.studies` — ``sweep``, ``sensitivity`` and ``tune``: parameter studies and
  calibration;
* :mod:`sim.cli.history` — ``world`` and ``backtest``, the open world from the data and the
  back-test against every interstate war 1816-2003; ``figures``, sourced data look-ups.

Bad input (a malformed scenario, an unknown parameter) prints one line naming the file,
the field path and the line, and exits with code 2, never with a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any

from sim.cli import analysis, history, scenarios, studies
from sim.cli.common import EXIT_INPUT
from sim.errors import InputError

COMMANDS: tuple[Callable[[Any], None], ...] = (
    scenarios.add_list,
    scenarios.add_run,
    scenarios.add_explain,
    scenarios.add_check,
    scenarios.add_validate,
    analysis.add_survival,
    analysis.add_plot,
    studies.add_sweep,
    studies.add_sensitivity,
    studies.add_tune,
    history.add_world,
    history.add_backtest,
    history.add_figures,
    scenarios.add_params,
)
"""Each command's registration, in the order ``run.py --help`` lists them."""


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return int(args.command(args))
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_INPUT
    except LookupError as exc:
        print(f"error: {exc.args[0] if exc.args else exc}", file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader stopped (``run.py ... | head``): nothing to report
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="run.py", description="Alliances that form, hold and fail: replay historical cases."
    )
    sub = parser.add_subparsers(required=True, metavar="COMMAND")
    for register in COMMANDS:
        register(sub)
    return parser
