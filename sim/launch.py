"""The program's entry point (``run.py``, ``alliance-sim``): Ctrl-C at any moment is one line.

The command line imports numpy, pandas, Mesa and the simulator, which takes seconds; a Ctrl-C
then, or while the interpreter shuts down, would print a raw ``KeyboardInterrupt`` traceback.
This module imports nothing heavy itself (``sim``'s public names load on first use), so it
catches an interruption from the first moment to the last: one line, exit code 130.
"""

from __future__ import annotations

import os
import signal
import sys

EXIT_INTERRUPTED = 130
"""The exit code of Ctrl-C (128 + SIGINT)."""


def main() -> int:
    """Run the command line; an interruption at start-up or shut-down exits with code 130."""
    started = False
    try:
        from sim.cli import main as command_line

        started = True
        code = command_line()
    except KeyboardInterrupt:
        line = "interrupted" if started else "interrupted: nothing was started"
        print(line, file=sys.stderr, flush=True)
        code = EXIT_INTERRUPTED
    # a Ctrl-C while the interpreter shuts down (joining a pool, flushing) ends it quietly
    signal.signal(signal.SIGINT, lambda _signal, _frame: os._exit(EXIT_INTERRUPTED))
    return code
