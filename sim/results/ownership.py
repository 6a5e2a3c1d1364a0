"""Which folder a command may write in: never into another job's folder, nor over its files.

Three kinds of folder are written, each recognised by what it holds:

* a results folder (``run --out``, ``world --out``, ``backtest --out``): ``metadata.json``
  and its tables, or the ``.parts`` of a run under way;
* a study folder (``sweep --out``, ``sensitivity --out``): ``design.json`` and ``points/``;
* a figures folder (``plot --out``, ``survival --out``): figures, and nothing that says it is
  one of the others.

A results folder is replaced as a whole (:func:`sim.results.files.save_folder`) and its
tables are checked on open (:mod:`sim.results.manifest`), so a command writes inside one only
what the folder itself declares: ``export``'s tables and the figures under ``plots/``. A study
folder is resumed point by point, so it holds only a study's own files; a command that finds
another job's files, or a user's own, refuses the folder rather than mixing into it.
"""

from __future__ import annotations

from pathlib import Path

from sim.errors import InputError

RESULTS_MARKERS = ("metadata.json", ".parts")
"""What only a results folder holds (finished, or under way)."""
STUDY_MARKERS = ("design.json", "design.key", "points")
"""What only a study folder (a sweep, a sensitivity analysis) holds."""
STUDY_FIGURES = ("heatmap", "scatter", "sobol_indices", "morris_indices", "morris_mu_sigma")
"""The figures a study draws into its folder (``.png`` and ``.svg`` each)."""
STUDY_FILES = frozenset(
    [*STUDY_MARKERS, "points.parquet", *(f"{f}.{k}" for f in STUDY_FIGURES for k in ("png", "svg"))]
)
"""Everything a study folder may hold."""
EXPORTS = tuple(
    f"{shape}.{kind}" for shape in ("dyad_year", "state_year") for kind in ("parquet", "csv")
)
"""The files ``export`` writes into a results folder by default (drawn from its tables)."""
FIGURES = "plots"
"""The sub-folder of a results folder that holds its figures."""


def kind_of(folder: Path) -> str | None:
    """Return ``"results"`` or ``"study"`` for a folder of that kind, else None."""
    if not folder.is_dir():
        return None
    if any((folder / marker).exists() for marker in RESULTS_MARKERS):
        return "results"
    if any((folder / marker).exists() for marker in STUDY_MARKERS):
        return "study"
    return None


def job_folder_above(path: Path) -> tuple[Path, str] | None:
    """Return the nearest results or study folder that holds ``path`` (or is it), and its kind."""
    for folder in [path, *path.absolute().parents]:
        kind = kind_of(folder)
        if kind is not None:
            return folder, kind
    return None


def check_output_file(path: Path) -> None:
    """Refuse a file to be written inside a results or study folder, except what it declares.

    A results folder declares ``export``'s tables (its own name for each) and figures under
    ``plots/``; a study folder declares nothing further.

    Raises:
        InputError: the file would land in another job's folder, or replace one of its files.
    """
    above = job_folder_above(path.parent)
    if above is None:
        return
    folder, kind = above
    inside = path.absolute().relative_to(folder.absolute()).parts
    if kind == "results" and (inside in {(name,) for name in EXPORTS} or _in_figures(inside)):
        return
    raise InputError(
        str(path),
        "",
        f"expected a file outside the {kind} folder {folder}: a command never writes over, "
        "or among, another job's files (choose another name)",
    )


def check_figures_folder(folder: Path) -> None:
    """Refuse a figures folder that is a results or study folder, or inside one (but ``plots/``).

    Raises:
        InputError: the figures would mix with another job's files.
    """
    above = job_folder_above(folder)
    if above is None:
        return
    owner, kind = above
    inside = folder.absolute().relative_to(owner.absolute()).parts
    if kind == "results" and inside == (FIGURES,):
        return
    where = f" (its figures go to {owner / FIGURES})" if kind == "results" else ""
    raise InputError(
        str(folder),
        "",
        f"expected a figures folder, not the {kind} folder {owner} or a folder inside it{where}",
    )


def check_study_folder(folder: Path) -> None:
    """Refuse a study folder that holds anything but a study's own files, or lies in a job's.

    Raises:
        InputError: the folder is (or is inside) a results folder, or holds other files.
    """
    above = job_folder_above(folder.parent)
    if above is not None:
        raise InputError(
            str(folder),
            "",
            f"expected a folder outside the {above[1]} folder {above[0]}",
        )
    if not folder.is_dir():
        return
    foreign = sorted(p.name for p in folder.iterdir() if not _own(p.name))
    if foreign:
        kind = kind_of(folder)
        what = f"it is a {kind} folder" if kind == "results" else "it holds other files"
        raise InputError(
            str(folder),
            "",
            f"expected a new folder, or a study's folder to resume; {what} (choose another --out)",
            got=", ".join(foreign[:5]) + (", ..." if len(foreign) > 5 else ""),
        )


def _own(name: str) -> bool:
    """Whether a study folder may hold ``name``: its files, and a write a kill cut short."""
    return name in STUDY_FILES or (name.startswith(".") and name.endswith(".tmp"))


def _in_figures(inside: tuple[str, ...]) -> bool:
    return len(inside) == 2 and inside[0] == FIGURES
