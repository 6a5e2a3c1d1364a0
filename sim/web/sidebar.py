"""The sidebar, as in Mesa's SolaraViz: the scenario, the controls, the model's parameters.

Every input changes the user's :class:`~sim.web.session.Choice`; a value the model would refuse
(out of its declared range, not a number, a name outside the scenario folder) is not taken,
and its reason is shown on the page (``refused``) instead.
"""

from __future__ import annotations

import dataclasses
import functools
import math
from collections.abc import Callable
from typing import Any

import solara

from sim.errors import InputError
from sim.model import params as parameters
from sim.model.decide import FACTORS
from sim.scenario.loading import Scenario
from sim.web import files, session
from sim.web.library import Library
from sim.web.session import Choice, Knob
from sim.web.widgets import Slider

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


@solara.component
def ScenarioCard(
    library: Library,
    choice: solara.Reactive[Choice],
    base: Scenario | None,
    refuse: Callable[[str | None], None],
) -> None:
    """Pick a scenario of the folder and any of its counterfactual overlays."""

    def pick(name: str) -> None:
        refuse(None)
        choice.set(dataclasses.replace(choice.value, scenario=name, overlays=(), moved=()))

    def overlay(names: list[str]) -> None:
        refuse(None)
        choice.set(dataclasses.replace(choice.value, overlays=tuple(names), moved=()))

    with solara.Card("Scenario", margin=0, classes=["sim-card"]):
        solara.Select(
            "Scenario", values=library.scenarios(), value=choice.value.scenario, on_value=pick
        )
        offered = library.overlays(choice.value.scenario)
        if offered:
            solara.SelectMultiple(
                "Counterfactual overlays", list(choice.value.overlays), offered, on_value=overlay
            )
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
def RunsCard(choice: solara.Reactive[Choice], refuse: Callable[[str | None], None]) -> None:
    """How many runs, and from which seed."""

    def runs(raw: Any) -> None:
        if not isinstance(raw, int | float) or isinstance(raw, bool) or not 10 <= raw <= 1000:
            refuse(f"runs: expected a number from 10 to 1000 (got {raw!r})")
            return
        refuse(None)
        choice.set(dataclasses.replace(choice.value, runs=int(raw)))

    def seed(value: int) -> None:
        choice.set(dataclasses.replace(choice.value, seed=max(0, int(value))))

    with solara.Card("Replications", margin=0, classes=["sim-card"]):
        Slider(
            "runs", choice.value.runs, 10, 1000, 10, runs, hint="Monte Carlo runs of the scenario"
        )
        solara.InputInt("seed", value=choice.value.seed, on_value=seed)


@solara.component
def KernelCard(choice: solara.Reactive[Choice], refuse: Callable[[str | None], None]) -> None:
    """The model's parameters: the decision kernel's weights, then every other one."""

    def set_param(name: str, raw: Any) -> None:
        try:
            value = round(parameters.check_value(name, raw, source="the slider"), 6)
        except InputError as exc:
            refuse(str(exc))
            return
        refuse(None)
        choice.set(
            dataclasses.replace(choice.value, params=choice.value.params.replace(**{name: value}))
        )

    with solara.Card("Decision kernel", margin=0, classes=["sim-card"]):
        ParamSliders(KERNEL, choice.value.params, set_param)
        with solara.Details("Every other parameter"):
            others = tuple(name for name in parameters.SPECS if name not in KERNEL)
            ParamSliders(others, choice.value.params, set_param)
        solara.Button("Defaults", text=True, on_click=lambda: choice.set(
            dataclasses.replace(choice.value, params=parameters.Params())))  # fmt: skip


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
               functools.partial(on_change, name), hint=hint, note=note)  # fmt: skip


@solara.component
def FiguresCard(
    library: Library,
    choice: solara.Reactive[Choice],
    base: Scenario | None,
    refuse: Callable[[str | None], None],
) -> None:
    """The scenario's key figures: states' power, sites' value, wars' theatre and scale."""
    if base is None:
        return

    def move(knob: Knob, raw: Any) -> None:
        candidate = choice.value.move(knob, raw)
        try:
            session.scenario(library, candidate)
        except InputError as exc:
            refuse(str(exc))
            return
        refuse(None)
        choice.set(candidate)

    moved = dict(choice.value.moved)
    with solara.Card("Scenario figures", margin=0, classes=["sim-card"]):
        for knob in session.knobs(base.spec):
            KnobInput(knob, moved.get(knob.path, knob.value), functools.partial(move, knob))
        solara.Button("As in the scenario", text=True, on_click=lambda: choice.set(
            dataclasses.replace(choice.value, moved=())))  # fmt: skip


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
