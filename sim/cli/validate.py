"""Checks of the command line's own inputs, made before any work starts.

A bad argument gets one line and exit code 2, naming the argument, what was expected and what
was got: :class:`Parser` prints argparse's errors so.
"""

from __future__ import annotations

import argparse
from typing import NoReturn

from sim.errors import one_line


class Parser(argparse.ArgumentParser):
    """An argument parser that reports a bad argument in one line, with exit code 2."""

    def error(self, message: str) -> NoReturn:
        """Print ``error: PROG: MESSAGE`` and a pointer to the help, then exit with code 2."""
        self.exit(2, one_line(f"error: {self.prog}: {message} (see {self.prog} --help)") + "\n")
