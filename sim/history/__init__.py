"""The historical record and the open world built from it.

The COW and ATOP data (:mod:`sim.history.cow`), the state system of a span of years
(:mod:`sim.history.openworld`), its runs (:mod:`sim.history.worldrun`) and the back-test
against every interstate war 1816-2003 (:mod:`sim.history.backtest`).
"""
