"""Starting the web view's server: Solara's, on this machine only, with no outside request.

Solara would ask pypi.org for its latest version, send usage figures to Mixpanel (after
asking api.ipify.org for the machine's address) and fetch any front-end file its cache lacks
from cdn.jsdelivr.net. The server is started with each of these turned off, and only once
the front end's files are in the cache (:mod:`sim.web.assets`). It binds to 127.0.0.1 unless
told otherwise.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

from sim.errors import InputError, program
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
    "REACTON_FAST": "1",
}
"""Solara's settings: the page, and nothing sent out (each is read when Solara is imported).

``REACTON_FAST``: Reacton's own opt-in renderer (Reacton 1.11), which walks only the parts of
the page whose state or arguments changed; with it a slider's move redraws P(honour) in about
half the time (``python -m benchmarks --sections web``)."""


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
    banner = f"alliance-sim web view of {first}: http://{host}:{port}/ (Ctrl-C stops it)"
    threading.Thread(target=_warm, name="sim-warm", daemon=True).start()
    return _run(host, port, banner)


def _warm() -> None:
    """Make the first page's runs and view in the background; a failure is the page's to show."""
    try:
        from sim.web import app

        app.warm()
    except Exception:  # the first page meets the same problem, and says it
        logging.getLogger(__name__).debug("the warm-up failed", exc_info=True)


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

    if assets.use_packaged():
        return
    lacking = assets.missing()
    if lacking:
        raise InputError(
            str(assets.cache_dir()),
            "",
            f"the web view's front-end files are missing ({', '.join(lacking)}); "
            "run scripts/web_assets (make setup does), or install the web extra from a wheel, "
            "which ships them for the Solara it allows",
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


def _run(host: str, port: int, banner: str) -> int:
    """Run Solara's server (uvicorn) on the page of :mod:`sim.web.app`; say so once it listens.

    Raises:
        InputError: the port was taken after it was checked (by another program, or another
            ``serve``): uvicorn's own error and exit code 3 become one line and code 2.
    """
    import logging
    import warnings

    from solara.__main__ import run

    # on plain http (this machine), Solara warns on every page that cookies stay samesite=lax
    warnings.filterwarnings("ignore", message="Cookies with samesite=none", category=UserWarning)
    logging.getLogger("uvicorn.error").addFilter(_NotBinding())
    threading.Thread(target=_announce, args=(host, port, banner), daemon=True).start()
    args = ["sim.web.app", "--host", host, "--port", str(port), "--production",
            "--no-check-version", "--no-open", "--log-level-uvicorn", "warning"]  # fmt: skip
    try:
        with _interrupts():
            run.main(args=args, prog_name=f"{program()} serve", standalone_mode=False)
    except SystemExit as exc:
        if exc.code == STARTUP_FAILURE:
            raise InputError("serve", f"{host}:{port}", "cannot listen there (in use)") from None
        raise
    return 0


STARTUP_FAILURE = 3
"""uvicorn's exit code when its server cannot start (a port taken, most often)."""


class _NotBinding(logging.Filter):
    """Leave out uvicorn's line about a port it cannot bind: serve says it in its own words."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "while attempting to bind" not in record.getMessage()


def _announce(host: str, port: int, banner: str, wait: float = 120.0) -> None:
    """Print the banner once Solara answers on the port (nothing if it never does).

    Solara's ``/readyz`` answers 200; another program holding the port would not.
    """
    import http.client

    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        try:
            asked = http.client.HTTPConnection(host, port, timeout=2)
            asked.request("GET", "/readyz")
            if asked.getresponse().status == 200:
                print(banner, flush=True)
                return
        except OSError:
            pass
        time.sleep(0.2)


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
