"""The web view's command: ``serve``, a local page to explore a scenario in the browser."""

from __future__ import annotations

import argparse
import importlib.util
from pathlib import Path
from typing import Any

from sim.errors import InputError
from sim.scenario import library

PORT = 8521
"""The port ``serve`` listens on unless told otherwise (Mesa's examples use it)."""


def port(text: str) -> int:
    """Parse a TCP port: a whole number from 1 to 65535."""
    value = int(text)
    if not 1 <= value <= 65535:
        raise argparse.ArgumentTypeError("must be between 1 and 65535")
    return value


def add_serve(sub: Any) -> None:
    """Add ``serve``: the web view, on this machine, with no internet needed."""
    serve = sub.add_parser(
        "serve",
        help="explore a scenario in the browser: sliders, steps, replications, the open world",
    )
    serve.add_argument("scenario", nargs="?", help="the scenario shown first (a name in --dir)")
    serve.add_argument("--port", type=port, default=PORT, help=f"port ({PORT})")
    serve.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (127.0.0.1: this machine only)"
    )
    serve.add_argument(
        "--dir",
        type=Path,
        help="the scenarios folder, the only files it reads (default: the first folder a name "
        "is looked up in: $ALLIANCE_SIM_SCENARIOS, ./scenarios, else the library)",
    )
    serve.set_defaults(command=cmd_serve)


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve the web view until interrupted."""
    if importlib.util.find_spec("solara") is None:
        raise InputError(
            "serve",
            "",
            "the web view needs the web extra: pip install -e '.[web]' (make setup does)",
        )
    from sim.web import server

    folder = args.dir if args.dir is not None else library.folders()[0]
    return server.serve(folder, args.scenario, args.host, args.port)
