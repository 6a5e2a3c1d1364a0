"""Argument types shared by the command line's modules."""

from __future__ import annotations

import argparse

from sim.model import params as parameters


def positive(text: str) -> int:
    """Parse a whole number of at least 1 (runs, trials, workers)."""
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def parameters_from(args: argparse.Namespace) -> parameters.Params:
    """Return the defaults, changed by ``--params FILE`` and then by each ``--set``."""
    overrides = parameters.load_file(args.params) if args.params else None
    return parameters.build(overrides, args.set)
