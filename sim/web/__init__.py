"""The web view: ``run.py serve``, a local Solara app in the manner of Mesa's SolaraViz.

A user picks a scenario and its counterfactual overlays, steps through its periods, moves the
decision kernel's weights and the scenario's key figures with sliders, runs replications and
opens the open world year by year; every figure and table on screen can be downloaded, and
the parameters as a file that ``run --params`` reads.

Modules: :mod:`~sim.web.assets` (the front end's files, cached at set-up so that the page needs
no internet), :mod:`~sim.web.library` (the scenario folders: names only, never a path from
the browser), :mod:`~sim.web.session` (what a user has chosen, and the runs it gives),
:mod:`~sim.web.views` and :mod:`~sim.web.charts` (a run's tables and figures),
:mod:`~sim.web.world` (the open world year by year), :mod:`~sim.web.files` (downloads),
:mod:`~sim.web.widgets`, :mod:`~sim.web.sidebar`, :mod:`~sim.web.tabs` and
:mod:`~sim.web.app` (the page), :mod:`~sim.web.server` (the server). Only
:mod:`sim.cli.web` imports the package, when ``serve`` runs.
"""
