"""The scenario folders the web view reads: scenarios and overlays by name, never by path.

The browser sends names only; a name that is not a file of the folder (``scenarios/*.yaml``)
or of its ``counterfactuals/`` folder is refused, so nothing a page sends reaches the file
system beyond them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from sim.errors import InputError
from sim.scenario.loading import scenario_files
from sim.scenario.yamlfile import load_yaml

COUNTERFACTUALS = "counterfactuals"
"""The folder of overlays, inside the scenarios folder."""


@dataclass(frozen=True)
class Library:
    """A scenarios folder and its counterfactual overlays."""

    folder: Path

    def scenarios(self) -> list[str]:
        """Return the names of the folder's scenarios, sorted."""
        return [path.stem for path in scenario_files(self.folder)]

    def overlays(self, scenario: str) -> list[str]:
        """Return the names of the overlays that apply to a scenario (readable ones only)."""
        return [path.stem for path in self._overlay_files() if _applies_to(path) == scenario]

    def scenario_path(self, name: str) -> Path:
        """Return the file of a scenario named in the folder.

        Raises:
            InputError: no scenario of the folder has that name.
        """
        return _named(name, scenario_files(self.folder), "scenario", self.folder)

    def overlay_path(self, name: str) -> Path:
        """Return the file of an overlay named in the counterfactuals folder.

        Raises:
            InputError: no overlay of the folder has that name.
        """
        return _named(name, self._overlay_files(), "overlay", self.folder / COUNTERFACTUALS)

    def _overlay_files(self) -> list[Path]:
        return sorted((self.folder / COUNTERFACTUALS).glob("*.yaml"))


def _named(name: str, files: list[Path], what: str, folder: Path) -> Path:
    """Return the file among ``files`` whose stem is ``name``."""
    for path in files:
        if path.stem == name:
            return path
    known = ", ".join(path.stem for path in files)
    raise InputError(
        str(folder), what, f"expected the name of a {what} of the folder ({known})", got=name
    )


def _applies_to(path: Path) -> str | None:
    """Return the base an overlay file names, or None if it cannot be read.

    Read once per version of the file (its size and time of change), not on every change of
    the page that lists the overlays.
    """
    try:
        stat = path.stat()
    except OSError:
        return None
    return _applies_to_version(path, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=1024)
def _applies_to_version(path: Path, changed_ns: int, size: int) -> str | None:
    """Return the base an overlay file names, for one version of the file."""
    try:
        document = load_yaml(path)
    except InputError:
        return None
    base = document.get("applies_to") if hasattr(document, "get") else None
    return base if isinstance(base, str) else None
