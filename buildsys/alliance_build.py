"""The wheel's build: setuptools, with the web view's front end from the npm registry inside.

A wheel installed with ``pip install 'alliance-sim[web]'`` serves the web view with no
internet and no repository: ``sim/web/frontend/`` holds the npm packages the page loads (those
of ``sim/web/frontend.txt``, the versions the supported Solara asks for), each with its
licence, unpacked at build time by ``npm pack`` (or copied from a folder of them named by
``$ALLIANCE_SIM_FRONTEND_FROM``, a Solara asset cache, for builds with no registry at hand).
Source maps are left out. The build leaves the source tree as it found it: no ``build/``
folder, no unpacked front end.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from setuptools import build_meta as _setuptools
from setuptools.build_meta import (  # noqa: F401  (the rest of the PEP 517 and 660 hooks)
    build_editable,
    build_sdist,
    get_requires_for_build_editable,
    get_requires_for_build_sdist,
    get_requires_for_build_wheel,
    prepare_metadata_for_build_editable,
    prepare_metadata_for_build_wheel,
)

FRONTEND = Path("sim/web/frontend")
LOCK = Path("sim/web/frontend.txt")
SOURCE = "ALLIANCE_SIM_FRONTEND_FROM"


def build_wheel(
    wheel_directory: str,
    config_settings: dict[str, object] | None = None,
    metadata_directory: str | None = None,
) -> str:
    """Build the wheel with the front end inside (PEP 517)."""
    with _tidy(Path("build")), _tidy(FRONTEND):
        shutil.rmtree(FRONTEND, ignore_errors=True)  # always the lock file's packages, afresh
        unpack_front_end(FRONTEND)
        return _setuptools.build_wheel(wheel_directory, config_settings, metadata_directory)


def specs() -> list[str]:
    """Return the npm packages (``name@version``) of the lock file, one a line."""
    lines = LOCK.read_text().splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def unpack_front_end(folder: Path) -> None:
    """Unpack every package of the lock file into ``folder``, with a list of their licences."""
    source = os.environ.get(SOURCE)
    for spec in specs():
        target = folder / spec
        if source:
            shutil.copytree(Path(source) / spec, target, ignore=shutil.ignore_patterns("*.map"))
        else:
            _npm_pack(spec, target)
    (folder / "LICENSES.md").write_text(licences(folder))


def _npm_pack(spec: str, target: Path) -> None:
    if shutil.which("npm") is None:
        raise RuntimeError(
            f"the web view's front end comes from the npm registry: install npm, or set {SOURCE} "
            "to a folder of the packages (a Solara asset cache)"
        )
    with tempfile.TemporaryDirectory() as tmp:
        done = subprocess.run(
            ["npm", "pack", "--silent", spec], cwd=tmp, capture_output=True, text=True, check=False
        )
        if done.returncode != 0:
            raise RuntimeError(f"npm pack {spec} failed: {done.stderr.strip()[-300:]}")
        archive = Path(tmp) / done.stdout.strip().splitlines()[-1]
        with tarfile.open(archive) as tar:
            tar.extractall(Path(tmp) / "unpacked", filter="data")
        shutil.copytree(
            Path(tmp) / "unpacked" / "package", target, ignore=shutil.ignore_patterns("*.map")
        )


def licences(folder: Path) -> str:
    """Return the front end's packages with their licences, as their package.json give them."""
    lines = [
        "# The web view's front end",
        "",
        "npm packages shipped with alliance-sim's wheel so that the web view needs no internet;",
        "each folder keeps its own licence file where the package has one.",
        "",
        "| package | licence | homepage |",
        "| --- | --- | --- |",
    ]
    for spec in specs():
        meta = json.loads((folder / spec / "package.json").read_text())
        licence = meta.get("license") or meta.get("licenses") or "see the package"
        home = meta.get("homepage") or (meta.get("repository") or {}).get("url", "")
        lines.append(f"| {spec} | {licence} | {home} |")
    return "\n".join(lines) + "\n"


@contextmanager
def _tidy(folder: Path) -> Iterator[None]:
    """Remove ``folder`` afterwards if it was not there before (``build/``, the front end)."""
    existed = folder.exists()
    try:
        yield
    finally:
        if not existed:
            shutil.rmtree(folder, ignore_errors=True)
