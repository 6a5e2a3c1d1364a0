"""Figures, with matplotlib (headless): the only package that knows about plotting.

Every function returns a :class:`matplotlib.figure.Figure` with labelled axes (units), a title
that says what is shown and a legend, in the Okabe-Ito colour-blind-safe palette
(:mod:`sim.plots.common`, whose :func:`~sim.plots.common.save` writes it as PNG and SVG,
atomically). One module per family: survival curves, a run's alliances, decisions, studies.
"""

import matplotlib

matplotlib.use("Agg")  # headless: set before any module of the package imports pyplot
