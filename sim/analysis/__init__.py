"""What is read from runs, and the studies that run many of them.

Summaries, explanations, the scorecard against history, alliance survival, parameter
sweeps and sensitivity (:mod:`sim.analysis.tuning`, :mod:`sim.analysis.sensitivity`) and
calibration.
"""
