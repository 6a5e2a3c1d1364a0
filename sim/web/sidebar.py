"""The sidebar, as in Mesa's SolaraViz: the scenario, the controls, the model's parameters.

Every input changes the user's :class:`~sim.web.session.Choice`; a value the model would refuse
(out of its declared range, not a number, a name outside the scenario folder) is not taken,
and its reason is shown on the page (``refused``) instead.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import solara

from sim.errors import InputError
from sim.model import params as parameters
from sim.model.decide import FACTORS
from sim.scenario.loading import Scenario
from sim.web import files, session
from sim.web.library import Library
from sim.web.session import Choice, Knob
from sim.web.widgets import Folded, Slider

KERNEL = tuple(f.weight for f in FACTORS if f.weight is not None)
"""The decision kernel's weights, in the order of its factors: shown first."""


def step_of(spec: parameters.ParamSpec) -> float:
    """Return a slider's step: a power of ten near a hundredth of the range.

    It is fine enough that the range's ends and the default fall on it (a slider rounds to
    its steps).
    """
    step = 10.0 ** round(math.log10((spec.high - spec.low) / 100))
    while step > 1e-6 and not all(_on(x, step) for x in (spec.low, spec.high, spec.default)):
        step /= 10
    return float(step)


def _on(x: float, step: float) -> bool:
    return abs(x / step - round(x / step)) < 1e-6


@dataclass(frozen=True)
class Bound:
    """A callback with its first argument bound, equal to any other of the same two.

    ``functools.partial`` objects are equal only to themselves, so every slider handed a new
    one would be drawn again on each change of the page; handed an equal ``Bound``, a slider
    whose value did not move is left as it is.
    """

    call: Callable[..., None]
    first: Any

    def __call__(self, *args: Any) -> None:
        """Call the callback with the bound argument first."""
        self.call(self.first, *args)


@dataclass(frozen=True)
class Editor:
    """The user's choice and what changes it: each change is checked, a refused one shown."""

    library: Library
    choice: solara.Reactive[Choice]
    refuse: Callable[[str | None], None]

    def change(self, **fields: Any) -> None:
        """Take a change of the choice (and clear a refusal shown before)."""
        self.refuse(None)
        self.choice.set(dataclasses.replace(self.choice.value, **fields))

    def pick(self, name: str) -> None:
        """Choose a scenario of the folder: no overlay, no figure moved."""
        self.change(scenario=name, overlays=(), moved=())

    def overlay(self, names: list[str]) -> None:
        """Choose the scenario's overlays: no figure moved."""
        self.change(overlays=tuple(names), moved=())

    def set_param(self, name: str, raw: Any) -> None:
        """Set a parameter, if the value lies in its declared range."""
        try:
            value = round(parameters.check_value(name, raw, source="the slider"), 6)
        except InputError as exc:
            self.refuse(str(exc))
            return
        chosen = dataclasses.replace(
            self.choice.value, params=self.choice.value.params.replace(**{name: value})
        )
        session.prepare(self.library, chosen)  # a kernel weight's runs: weighed again at once
        self.change(params=chosen.params)

    def move(self, knob: Knob, raw: Any) -> None:
        """Move a key figure of the scenario, if the scenario stays valid."""
        candidate = self.choice.value.move(knob, raw)
        try:
            session.scenario(self.library, candidate)
        except InputError as exc:
            self.refuse(str(exc))
            return
        self.change(moved=candidate.moved)

    def runs(self, raw: Any) -> None:
        """Set the number of runs, from 10 to 1000."""
        if not isinstance(raw, int | float) or isinstance(raw, bool) or not 10 <= raw <= 1000:
            self.refuse(f"runs: expected a number from 10 to 1000 (got {raw!r})")
            return
        self.change(runs=int(raw))


@solara.component
def ScenarioCard(editor: Editor, base: Scenario | None) -> None:
    """Pick a scenario of the folder and any of its counterfactual overlays."""
    choice = editor.choice.value
    with solara.Card("Scenario", margin=0, classes=["sim-card"]):
        scenarios = editor.library.scenarios()
        solara.Select("Scenario", values=scenarios, value=choice.scenario, on_value=editor.pick)
        offered = editor.library.overlays(choice.scenario)
        if offered:
            solara.SelectMultiple("Counterfactual overlays", list(choice.overlays), offered,
                                  on_value=editor.overlay)  # fmt: skip
        if base is not None:
            solara.Text(base.spec.summary, classes=["sim-summary"])
            for title in base.overlay_titles:
                solara.Text(title, classes=["sim-summary", "sim-overlay"])


@solara.component
def ControlsCard(
    period: solara.Reactive[int], last: int, label: str, playing: solara.Reactive[bool]
) -> None:
    """Reset, play, step and run to the end; the period reached."""
    at_end = period.value >= last
    with solara.Card("Controls", margin=0, classes=["sim-card"]):
        with solara.Row(gap="4px", justify="space-between"):
            solara.Button(
                "Reset", color="primary", on_click=lambda: (playing.set(False), period.set(0))
            )
            solara.Button("❚❚" if playing.value else "▶", color="primary", disabled=at_end,
                          on_click=lambda: playing.set(not playing.value))  # fmt: skip
            solara.Button("Step", color="primary", disabled=at_end or playing.value,
                          on_click=lambda: period.set(min(period.value + 1, last)))  # fmt: skip
            solara.Button(
                "End", color="primary", disabled=at_end, on_click=lambda: period.set(last)
            )
        solara.Text(f"Period: {label}", classes=["sim-period"])


@solara.component
def RunsCard(editor: Editor) -> None:
    """How many runs, and from which seed."""
    choice = editor.choice.value
    with solara.Card("Replications", margin=0, classes=["sim-card"]):
        Slider("runs", choice.runs, 10, 1000, 10, editor.runs, hint="Monte Carlo runs")
        solara.InputInt("seed", value=choice.seed,
                        on_value=lambda seed: editor.change(seed=max(0, int(seed))))  # fmt: skip


@solara.component
def KernelCard(editor: Editor) -> None:
    """The model's parameters: the decision kernel's weights, then every other one."""
    params = editor.choice.value.params
    with solara.Card("Decision kernel", margin=0, classes=["sim-card"]):
        ParamSliders(KERNEL, params, editor.set_param)
        others = tuple(name for name in parameters.SPECS if name not in KERNEL)
        Folded("Every other parameter", lambda: ParamSliders(others, params, editor.set_param))
        solara.Button(
            "Defaults", text=True, on_click=lambda: editor.change(params=parameters.Params())
        )


@solara.component
def ParamSliders(
    names: tuple[str, ...], params: parameters.Params, on_change: Callable[[str, Any], None]
) -> None:
    """One slider per parameter, over its declared range."""
    for name in names:
        spec = parameters.SPECS[name]
        hint = f"{spec.meaning} ({spec.unit}; default {spec.default:g})"
        value = getattr(params, name)
        note = "" if value == spec.default else f" (default {spec.default:g})"
        Slider(name, value, spec.low, spec.high, step_of(spec),
               Bound(on_change, name), hint=hint, note=note)  # fmt: skip


@solara.component
def FiguresCard(editor: Editor, base: Scenario | None) -> None:
    """The scenario's key figures: states' power, sites' value, wars' theatre and scale."""
    if base is None:
        return
    moved = dict(editor.choice.value.moved)
    with solara.Card("Scenario figures", margin=0, classes=["sim-card"]):
        for knob in session.knobs(base.spec):
            KnobInput(knob, moved.get(knob.path, knob.value), Bound(editor.move, knob))
        solara.Button("As in the scenario", text=True, on_click=lambda: editor.change(moved=()))


@solara.component
def KnobInput(knob: Knob, value: Any, on_change: Callable[[Any], None]) -> None:
    """A slider for a figure, or a list for a choice among the scenario's territories."""
    if knob.choices:
        solara.Select(knob.label, values=list(knob.choices), value=str(value), on_value=on_change)
    else:
        note = "" if value == knob.value else f" (in the scenario: {knob.value:g})"
        Slider(knob.label, float(value), knob.low, knob.high, knob.step, on_change, note=note)


@solara.component
def DownloadsCard(choice: Choice, base: Scenario | None, command: str) -> None:
    """The parameters as a ``run --params`` file; the moved figures as an overlay."""
    note = f"set in the web view; to reproduce: {command}"
    with solara.Card("Download", margin=0, classes=["sim-card"]):
        solara.Text(f"On the command line: {command}", classes=["sim-summary", "sim-command"])
        solara.FileDownload(files.parameters(choice.params, note), "tuned.yaml",
                            label="Parameters (tuned.yaml)", mime_type="text/yaml")  # fmt: skip
        if base is not None and choice.moved:
            changes = session.changes(base.spec, dict(choice.moved))
            text = files.overlay(choice.scenario, changes, note)
            solara.FileDownload(text, f"{choice.scenario}_moved.yaml",
                                label="Moved figures (overlay)", mime_type="text/yaml")  # fmt: skip
