"""Argument types shared by the command line's modules."""

from __future__ import annotations

import argparse


def positive(text: str) -> int:
    """Parse a whole number of at least 1 (runs, trials, workers)."""
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value
