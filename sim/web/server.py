"""Starting the web view's server: Solara's, on this machine only, with no outside request.

Solara would ask pypi.org for its latest version, send usage figures to Mixpanel (after
asking api.ipify.org for the machine's address) and fetch any front-end file its cache lacks
from cdn.jsdelivr.net. The server is started with each of these turned off, and only once
the front end's files are in the cache (:mod:`sim.web.assets`). It binds to 127.0.0.1 unless
told otherwise.
"""

from __future__ import annotations

import os
import signal
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

from sim.errors import InputError
from sim.web.library import Library

FOLDER = "ALLIANCE_SIM_WEB_FOLDER"
"""The environment variable that tells the page the scenarios folder."""
FIRST = "ALLIANCE_SIM_SCENARIO"
"""The environment variable that tells the page the scenario to show first."""
OFFLINE = {
    "SOLARA_APP": "sim.web.app",
    "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False",
    "SOLARA_ASSETS_PROXY": "True",
    "SOLARA_THEME_VARIANT": "light",
    "SOLARA_THEME_SHOW_BANNER": "False",
}
"""Solara's settings: the page, and nothing sent out (each is read when Solara is imported)."""


def serve(folder: Path, scenario: str | None, host: str, port: int) -> int:
    """Serve the web view on ``host:port`` until interrupted; return the exit code.

    Raises:
        InputError: an unknown scenario, missing front-end files, or a port already in use.
    """
    from sim.web import assets

    os.environ.update({**OFFLINE, "SOLARA_ASSETS_CDN": assets.NO_CDN})
    library = Library(folder.resolve())
    first = first_scenario(library, scenario)
    _check_port(host, port)
    _check_assets()
    os.environ.update({FOLDER: str(library.folder), FIRST: first})
    print(f"alliance-sim web view of {first}: http://{host}:{port}/ (Ctrl-C stops it)", flush=True)
    return _run(host, port)


def first_scenario(library: Library, name: str | None) -> str:
    """Return the scenario to show first: one named in the folder (a file of it), or the first.

    Raises:
        InputError: ``name`` is not a scenario of the folder.
    """
    names = library.scenarios()
    if not names:
        raise InputError(str(library.folder), "", "expected a folder of scenario files")
    if name is None:
        return names[0]
    path = Path(name)
    if path.suffix == ".yaml" and path.resolve().parent == library.folder:
        name = path.stem
    return library.scenario_path(name).stem


def _check_assets() -> None:
    """Refuse to start when the front end's files are missing: the page would stay blank."""
    from sim.web import assets

    lacking = assets.missing()
    if lacking:
        raise InputError(
            str(assets.cache_dir()),
            "",
            f"the web view's front-end files are missing ({', '.join(lacking)}); "
            "run scripts/web_assets (make setup does)",
        )


def _check_port(host: str, port: int) -> None:
    """Refuse a host that is not this machine's, or a port in use, with one line."""
    try:
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
            probe.bind((host, port))
    except OSError as exc:
        raise InputError(
            "serve", f"{host}:{port}", f"cannot listen there ({exc.strerror})"
        ) from None


def _run(host: str, port: int) -> int:
    """Run Solara's server (uvicorn) on the page of :mod:`sim.web.app`."""
    import warnings

    from solara.__main__ import run

    # on plain http (this machine), Solara warns on every page that cookies stay samesite=lax
    warnings.filterwarnings("ignore", message="Cookies with samesite=none", category=UserWarning)
    args = ["sim.web.app", "--host", host, "--port", str(port), "--production",
            "--no-check-version", "--no-open", "--log-level-uvicorn", "warning"]  # fmt: skip
    with _interrupts():
        run.main(args=args, prog_name="run.py serve", standalone_mode=False)
    return 0


@contextmanager
def _interrupts() -> Iterator[list[int]]:
    """Turn a Ctrl-C, which uvicorn handles by a clean shutdown, back into an interruption.

    Uvicorn restores the handler it found and raises the signal again once it has stopped;
    whatever Solara makes of that, the command ends as an interrupted one (exit code 130).
    """
    stopped: list[int] = []

    def on_interrupt(signum: int, frame: FrameType | None) -> None:
        stopped.append(signum)
        if frame is None or "uvicorn" not in frame.f_code.co_filename:
            raise KeyboardInterrupt  # before the server started: stop at once

    previous = signal.signal(signal.SIGINT, on_interrupt)
    try:
        yield stopped
    except BaseException:
        if not stopped:
            raise
    finally:
        signal.signal(signal.SIGINT, previous)
    if stopped:
        raise KeyboardInterrupt("interrupted: the web view stopped")
