"""Where a scenario named without a path is found: the user's folders, then the library.

The scenarios of the library ship inside the package (``sim/scenarios``, with its
``counterfactuals/`` overlays), so a name such as ``karabakh_2020`` works from any folder and
from an installed wheel. Before the library, a name is looked for in the user's own folders,
first to last:

1. the folders a command is given (``--dir``);
2. the folders in the environment variable ``ALLIANCE_SIM_SCENARIOS`` (separated by ``:``,
   or ``;`` on Windows);
3. ``scenarios/`` in the working directory, if there is one.

A name found in an earlier folder hides the same name in a later one. Each folder may hold a
``counterfactuals/`` folder of overlays, found by name the same way.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from sim.errors import ScenarioError, did_you_mean, program

LIBRARY = Path(__file__).resolve().parent.parent / "scenarios"
"""The scenarios shipped with the package."""
ENVIRONMENT = "ALLIANCE_SIM_SCENARIOS"
"""The environment variable that names the user's scenario folders."""
COUNTERFACTUALS = "counterfactuals"
"""The sub-folder of a scenario folder that holds its overlays."""


def folders(first: Sequence[str | Path] = ()) -> list[Path]:
    """Return the folders searched for a name, first to last, each once.

    Args:
        first: folders searched before all others (a command's ``--dir``).
    """
    found: list[Path] = [Path(f) for f in first]
    found += [Path(f) for f in os.environ.get(ENVIRONMENT, "").split(os.pathsep) if f]
    found.append(Path("scenarios"))
    unique: dict[Path, Path] = {LIBRARY: LIBRARY}  # the library keeps its name, and comes last
    for folder in found:
        if folder.is_dir():
            unique.setdefault(folder.resolve(), folder)
    return [*list(unique.values())[1:], LIBRARY]


def scenarios(among: Sequence[Path]) -> dict[str, Path]:
    """Return each scenario's name and file in ``among`` (an earlier folder wins a name)."""
    return _named(among, "")


def overlays(among: Sequence[Path]) -> dict[str, Path]:
    """Return each counterfactual overlay's name and file in ``among``'s ``counterfactuals/``."""
    return _named(among, COUNTERFACTUALS)


def _named(among: Sequence[Path], sub: str) -> dict[str, Path]:
    found: dict[str, Path] = {}
    for folder in among:
        for path in sorted((folder / sub).glob("*.yaml")):
            if not path.name.startswith("_"):
                found.setdefault(path.stem, path)
    return found


def find(name: str | Path, among: Sequence[Path] | None = None) -> Path:
    """Return the file a scenario argument names: a path, or a scenario's or overlay's name.

    A name is looked up among the scenarios of ``among`` (default: :func:`folders`), then
    among their overlays.

    Raises:
        ScenarioError: no such file, or a bare name that no folder holds (with the closest
            names).
    """
    among = folders() if among is None else among
    return _lookup(Path(name), among, {**overlays(among), **scenarios(among)}, "")


def find_overlay(name: str | Path, among: Sequence[Path] | None = None) -> Path:
    """Return the file an ``--overlay`` argument names: a path, or an overlay's name.

    Raises:
        ScenarioError: no such file, or a bare name that no ``counterfactuals/`` folder holds.
    """
    among = folders() if among is None else among
    return _lookup(Path(name), among, overlays(among), "--overlay")


def _lookup(path: Path, among: Sequence[Path], known: dict[str, Path], field: str) -> Path:
    if path.exists():
        return path
    if path.suffix or len(path.parts) > 1:
        hint = f"; to use the library's, give its name: {path.stem}" if path.stem in known else ""
        raise ScenarioError(str(path), field, f"file not found{hint}")
    if str(path) in known:
        return known[str(path)]
    where = ", ".join("the library" if f == LIBRARY else str(f) for f in among)
    raise ScenarioError(
        str(path),
        field,
        f"no such file, nor a name in {where}{did_you_mean(str(path), known)}; "
        f"{program()} list shows them",
    )
