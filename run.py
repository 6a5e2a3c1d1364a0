#!/usr/bin/env python3
"""Command-line entry point: a thin wrapper around :mod:`sim.cli`."""

import sys

from sim.cli import main

if __name__ == "__main__":
    sys.exit(main())
