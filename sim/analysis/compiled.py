"""The compiled history, built once and kept on disk (:mod:`sim.cache`).

The open world's tables take a second or more to build from the COW and ATOP extracts, and
every ``world``, ``backtest``, ``sweep world`` point and the web view would build them again.
Here they are built through the content-addressed cache: keyed by the span, the mode, every
data file's content and the code's version, so that a changed extract or a changed line of
code builds afresh.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sim import cache

if TYPE_CHECKING:
    from sim.history.openworld import OpenWorld

def open_world(start: int, end: int, mode: str = "history") -> OpenWorld:
    """Return the open world of ``start``..``end`` from the cache, building it if missing.

    Raises:
        ValueError: the span lies outside the data, is empty, or the mode is unknown (from
            :func:`sim.history.openworld.build`; a build that fails stores nothing).
    """
    from sim.history import openworld
    from sim.history.cow import data_files

    inputs = {"start": start, "end": end, "mode": mode}
    return cache.cached(
        "openworld", inputs, lambda: openworld.build(start, end, mode), files=data_files()
    )
