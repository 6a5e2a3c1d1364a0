"""Finding the scenarios a command names, from any working folder.

A scenario or overlay is a file, or a name looked up by :mod:`sim.scenario.library`: the
folders given with ``--dir``, then ``$ALLIANCE_SIM_SCENARIOS``, then ``./scenarios``, then the
library shipped with the package. ``list``, ``check`` and ``tune`` take the scenarios of the
``--dir`` folders when given, and otherwise every scenario found on that path.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from sim.cli import validate
from sim.errors import InputError
from sim.scenario import library

DIR_HELP = "a folder of your own scenarios, searched before the library; repeatable"


def dir_option(parser: argparse.ArgumentParser, help: str = DIR_HELP) -> None:
    """Add ``--dir DIR`` (repeatable): folders of scenarios, searched before the library."""
    parser.add_argument(
        "--dir",
        action="append",
        default=[],
        type=validate.scenario_folder,
        metavar="DIR",
        dest="dirs",
        help=help,
    )


def search_path(args: argparse.Namespace) -> list[Path]:
    """Return the folders a name is looked up in: ``--dir``, the user's folders, the library."""
    for folder in getattr(args, "dirs", []):
        if not folder.is_dir():
            raise InputError(str(folder), "--dir", "expected a folder of scenario files")
    return library.folders(getattr(args, "dirs", []))


def scenario_file(args: argparse.Namespace) -> Path:
    """Return the file of the scenario the arguments name (``args.scenario``)."""
    return library.find(args.scenario, search_path(args))


def overlay_files(args: argparse.Namespace) -> list[Path]:
    """Return the files of the overlays the arguments name (``--overlay``, files or names)."""
    folders = search_path(args)
    return [library.find_overlay(name, folders) for name in args.overlay]


def scenario_set(args: argparse.Namespace) -> list[Path]:
    """Return the scenarios a whole-library command works on, sorted by name.

    They are those of the ``--dir`` folders when given; otherwise every scenario found.

    Raises:
        InputError: no scenario is found there.
    """
    folders = _chosen(args)
    found = library.scenarios(folders)
    if not found:
        where = ", ".join(str(f) for f in folders)
        raise InputError(where, "--dir", "expected scenario files (*.yaml) in this folder")
    return [found[name] for name in sorted(found)]


def overlay_set(args: argparse.Namespace) -> list[Path]:
    """Return the overlays beside :func:`scenario_set`'s scenarios, sorted by name."""
    found = library.overlays(_chosen(args))
    return [found[name] for name in sorted(found)]


def _chosen(args: argparse.Namespace) -> list[Path]:
    folders = search_path(args)
    return list(args.dirs) if args.dirs else folders


def origin(path: Path) -> str:
    """Return where a scenario file comes from, in words: the library, or its folder."""
    return "library" if path.resolve().is_relative_to(library.LIBRARY) else str(path.parent)


def as_given(args: argparse.Namespace) -> str:
    """Return the scenario, its overlays and folders as the user gave them, for a next command."""
    words = [args.scenario, *(f"--overlay {o}" for o in args.overlay)]
    words += [f"--dir {d}" for d in getattr(args, "dirs", [])]
    return " ".join(str(w) for w in words)
