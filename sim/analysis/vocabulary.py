"""The words the analyses answer to, kept apart so that the command line can offer them.

A parser lists these as its choices before any command runs; importing them must not pull
in lifelines or pandas (``run.py --version`` and ``run.py list`` pay for every import).
"""

from __future__ import annotations

ATOP = "ATOP v4.01"
"""The label of the real alliances (ATOP v4.01)."""
ATOP_SETS = ("defence", "all")
"""Which real alliances an analysis reads: those with a defence obligation, or all."""
GROUPINGS = ("kind", "asymmetry", "era", "reason")
"""What survival curves can be grouped by."""
