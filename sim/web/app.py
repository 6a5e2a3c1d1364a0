"""The page ``run.py serve`` shows: the layout of Mesa's SolaraViz, for alliance-sim.

As in SolaraViz, a sidebar holds the scenario, the controls (Reset, play, Step) and the
model's parameters, and the main area shows the model as it stands. Unlike SolaraViz, a
change takes effect at once (the runs are made again and the page stays at its period), the
parameters follow the chosen scenario (its states, sites and wars), and the cards stack in
columns rather than in a draggable grid of fixed heights, so that no figure is cut.

The server passes the scenario folder and the first scenario in the environment
(:data:`FOLDER`, :data:`FIRST`); the browser only ever sends names of that folder.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import cast

import solara

from sim.errors import InputError, program
from sim.results.runs import RunSet
from sim.scenario import library as lookup
from sim.scenario.loading import Scenario
from sim.web import session, sidebar, tabs, views
from sim.web.library import COUNTERFACTUALS, Library
from sim.web.server import FIRST, FOLDER
from sim.web.session import Choice
from sim.web.widgets import Waiting

TITLE = "alliance-sim: do empires have allies?"
"""The page's title, in its bar and on the browser's tab."""
PLAY_SECONDS = 1.0
"""How long the page stays on each period while it plays."""
CSS = """
.sim-card { margin-bottom: 12px !important; }
.sim-card .v-card__text { overflow-x: auto; }
.sim-slider { margin-top: 6px; }
.sim-slider-label, .sim-summary, .sim-period { font-size: 0.85rem; }
.sim-summary { color: #555; display: block; margin-top: 4px; }
.sim-p-honour { font-weight: 600; display: block; margin: 4px 0; }
.sim-title { font-size: 1.35rem; font-weight: 500; display: block; margin: 4px 0 8px 0; }
.sim-subtitle { font-weight: 600; display: block; margin-top: 12px; }
.sim-downloads { margin: 4px 0 8px 0; }
.sim-command { overflow-wrap: anywhere; font-family: monospace; }
.v-navigation-drawer__content { overflow-x: hidden; }
.sim-figure { width: 100%; height: auto; cursor: zoom-in; display: block; }
.sim-figure-large { width: 100%; height: auto; cursor: zoom-out; display: block; }
.sim-enlarged { padding: 8px; }
.sim-card .v-data-table th, .sim-card .v-data-table td {
  white-space: normal !important; overflow-wrap: anywhere; padding: 0 6px !important;
}
.sim-card .v-data-table th span { white-space: normal !important; }
"""


def library() -> Library:
    """Return the scenarios folder the server was started on."""
    folder = os.environ.get(FOLDER)
    return Library((Path(folder) if folder else lookup.folders()[0]).resolve())


def warm() -> None:
    """Make the first scenario's runs and first view before anyone asks (the server starts it).

    The first page then finds them made, as a page opened after another finds them.
    """
    lib = library()
    choice = Choice(os.environ.get(FIRST) or lib.scenarios()[0])
    tabs.warm(session.runs(lib, choice), choice)


def loaded(lib: Library, choice: Choice) -> tuple[Scenario | None, str | None]:
    """Return the chosen scenario with its overlays, or the one line that says why not."""
    try:
        return session.base(lib, choice), None
    except InputError as exc:
        return None, str(exc)


def command(lib: Library, choice: Choice) -> str:
    """Return the command that gives on the command line what the page shows."""
    folder = _shown(lib.folder)
    overlays = [f"--overlay {folder}/{COUNTERFACTUALS}/{name}.yaml" for name in choice.overlays]
    if choice.moved:
        overlays.append(f"--overlay {choice.scenario}_moved.yaml")
    scenario = f"{folder}/{choice.scenario}.yaml"
    parts = [f"{program()} run", scenario, *overlays, "--params tuned.yaml"]
    return " ".join([*parts, f"--runs {choice.runs}", f"--seed {choice.seed}"])


def _shown(path: Path) -> str:
    """Return a path as a user would type it: relative to the working folder when inside it."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


@solara.component
def Page() -> None:
    """The whole page: the sidebar, the header and the tabs."""
    lib = solara.use_memo(library, [])
    choice = solara.use_reactive(Choice(os.environ.get(FIRST) or lib.scenarios()[0]))
    refused = solara.use_reactive(cast(str | None, None))
    base, problem = solara.use_memo(
        lambda: loaded(lib, choice.value), [choice.value.scenario, choice.value.overlays]
    )
    runs = solara.lab.use_task(
        lambda: replicated(lib, choice.value), dependencies=[choice.value], raise_error=False
    )
    solara.Style(CSS)
    solara.Title(TITLE)
    with solara.AppBar():
        solara.AppBarTitle(TITLE)
    made = session.ready(lib, choice.value)  # made already: shown in this very change
    shown: tuple[Choice, RunSet | None, str | None] | None = (
        (choice.value, made, None) if made is not None else None
    )
    shown = shown or (runs.value if runs.finished else runs.latest)
    if runs.error:  # not bad input, which ``replicated`` reports, but a fault of the program
        problem = f"the runs failed: {runs.exception!r}"
    Body(lib, choice, base, problem or (shown[2] if shown else None), refused, shown)


def replicated(lib: Library, choice: Choice) -> tuple[Choice, RunSet | None, str | None]:
    """Return the choice's runs, or the one line that says why there are none."""
    try:
        return choice, session.runs(lib, choice), None
    except InputError as exc:
        return choice, None, str(exc)


@solara.component
def Body(
    lib: Library,
    choice: solara.Reactive[Choice],
    base: Scenario | None,
    problem: str | None,
    refused: solara.Reactive[str | None],
    shown: tuple[Choice, RunSet | None, str | None] | None,
) -> None:
    """The sidebar and the main area, once the scenario's runs are known (or why not)."""
    period, playing = solara.use_reactive(0), solara.use_reactive(False)
    runset = shown[1] if shown is not None and problem is None else None
    last = runset.world.calendar.n_periods - 1 if runset is not None else 0
    at = min(period.value, last)
    solara.use_effect(lambda: period.set(0), [choice.value.scenario, choice.value.overlays])
    Player(playing, period, last)
    editor = solara.use_memo(lambda: sidebar.Editor(lib, choice, refused.set), [lib])
    with solara.Sidebar():
        sidebar.ScenarioCard(editor, base)
        label = views.period_label(runset, at) if runset is not None else "-"
        sidebar.ControlsCard(period, last, label, playing)
        sidebar.KernelCard(editor)
        sidebar.FiguresCard(editor, base)
        sidebar.RunsCard(editor)
        sidebar.DownloadsCard(choice.value, base, command(lib, choice.value))
    Main(base, problem, refused.value, runset, shown[0] if shown else None, at, choice.value)


@solara.component
def Player(playing: solara.Reactive[bool], period: solara.Reactive[int], last: int) -> None:
    """Step through the periods while ``playing``, one every :data:`PLAY_SECONDS`."""

    def play() -> None:
        while playing.value and period.value < last:
            time.sleep(PLAY_SECONDS)
            if playing.value:
                period.set(min(period.value + 1, last))
        playing.set(False)

    solara.lab.use_task(play, dependencies=[playing.value, last])


@solara.component
def Main(
    base: Scenario | None,
    problem: str | None,
    refused: str | None,
    runset: RunSet | None,
    key: Choice | None,
    period: int,
    choice: Choice,
) -> None:
    """Any value not taken, and the tabs: the scenario's run, its replications, the open world."""
    tab = solara.use_reactive(0)
    if refused:
        solara.Warning(f"Not taken: {refused}", classes=["sim-refused"])
    with solara.lab.Tabs(value=tab.value, on_value=tab.set, lazy=True):
        with solara.lab.Tab("The run"):
            if Heading(base, problem, choice, runset is None or key != choice) and runset:
                tabs.RunTab(runset, key, period)
        with solara.lab.Tab("Replications"):
            if Heading(base, problem, choice, runset is None or key != choice) and runset:
                tabs.ReplicationsTab(runset, key)
        with solara.lab.Tab("Open world"):
            tabs.WorldTab(choice.params, choice.seed)


def Heading(base: Scenario | None, problem: str | None, choice: Choice, pending: bool) -> bool:
    """Show what scenario the tab shows, or why it cannot; return whether it can."""
    title = base.spec.title if base is not None else choice.scenario
    changed = [*choice.overlays, *(["figures moved"] if choice.moved else [])]
    solara.Text(title + (f" (counterfactual: {', '.join(changed)})" if changed else ""),
                classes=["sim-title"])  # fmt: skip
    if problem:
        solara.Error(problem, classes=["sim-problem"])
        return False
    Waiting(pending)
    return True
