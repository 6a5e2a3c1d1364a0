#!/usr/bin/env python3
"""Command-line entry point: a thin wrapper around :mod:`sim.cli`, through :mod:`sim.launch`."""

import sys

from sim.launch import main

if __name__ == "__main__":
    sys.exit(main())
