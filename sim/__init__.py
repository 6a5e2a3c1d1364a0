"""alliance-sim: an agent-based simulation of how alliances form, hold and fail.

After T. Bordachev, "Do Empires Have Allies?" (Valdai Club, 2020). The flow of data reads
top to bottom: scenario file -> :func:`load` -> world -> :class:`AllianceModel` ->
records -> summaries and explanations. Each stage is a sub-package (:mod:`sim.scenario`,
:mod:`sim.model`, :mod:`sim.results`, :mod:`sim.history`, :mod:`sim.analysis`,
:mod:`sim.plots`, :mod:`sim.web` (the web view), :mod:`sim.cli`), and imports run one way,
down the flow (docs/ARCHITECTURE.md).

Example:
    >>> import sim
    >>> scenario = sim.load("karabakh_2020")  # a name or a file  # doctest: +SKIP
    >>> runs = sim.replicate(scenario, sim.Params(), seed=0, runs=100)  # doctest: +SKIP

The open world (the state system 1816-2003 from the COW and ATOP data) runs the same model;
its cases are every bound state of every replayed war, P(joins) beside what it did:

    >>> from sim.history import openworld, worldrun
    >>> history = worldrun.run(openworld.build(1816, 2003), sim.Params(), seed=0)  # doctest: +SKIP
    >>> history.cases  # doctest: +SKIP
"""

import importlib as _importlib
import typing as _typing

if _typing.TYPE_CHECKING:
    from sim.errors import InputError, ParameterError, ScenarioError
    from sim.model.alliance_model import AllianceModel
    from sim.model.params import Params
    from sim.results.runs import RunSet, replicate
    from sim.scenario.loading import Scenario, load

__all__ = [
    "AllianceModel",
    "InputError",
    "ParameterError",
    "Params",
    "RunSet",
    "Scenario",
    "ScenarioError",
    "load",
    "replicate",
]
__version__ = "0.1.0"

_HOMES = {
    "AllianceModel": "sim.model.alliance_model",
    "InputError": "sim.errors",
    "ParameterError": "sim.errors",
    "Params": "sim.model.params",
    "RunSet": "sim.results.runs",
    "Scenario": "sim.scenario.loading",
    "ScenarioError": "sim.errors",
    "load": "sim.scenario.loading",
    "replicate": "sim.results.runs",
}
"""Where each public name is defined. They are imported when first used, so that the command
line's entry point (:mod:`sim.launch`) starts before numpy, pandas and Mesa are loaded."""


def __getattr__(name: str) -> _typing.Any:
    """Import a public name on first use (PEP 562)."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'sim' has no attribute {name!r}")
    value = getattr(_importlib.import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    """List the module's names, the public ones included before their first use."""
    return sorted({*globals(), *__all__})
