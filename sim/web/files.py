"""What the page lets a user download: tables as CSV, the parameters, the moved figures.

The parameters file is what ``run.py tune`` writes and ``run --params`` reads (``name: value``,
the parameters that differ from the defaults); the moved figures are an overlay that
``run --overlay`` reads, so that the command line reproduces what the page shows.
"""

from __future__ import annotations

import io
from typing import Any

import pandas as pd
from ruamel.yaml import YAML

from sim.errors import program
from sim.model.params import Params


def csv(table: pd.DataFrame) -> bytes:
    """Return a table as CSV (UTF-8, no index)."""
    return table.to_csv(index=False).encode()


def parameters(params: Params, note: str) -> str:
    """Return the parameters that differ from the defaults as a ``run --params`` file."""
    defaults = Params().as_dict()
    changed = {k: v for k, v in params.as_dict().items() if v != defaults[k]}
    lines = "".join(f"{k}: {v!r}\n" for k, v in changed.items()) or "{}\n"
    return (
        f"# {note}\n# parameters that differ from the defaults "
        f"({program()} params lists them)\n{lines}"
    )


def overlay(scenario: str, changes: dict[str, Any], note: str) -> str:
    """Return moved figures as an overlay of ``scenario`` that ``run --overlay`` reads."""
    document = {
        "title": f"{scenario}: figures moved in the web view",
        "summary": note,
        "applies_to": scenario,
        "set": changes,
    }
    out = io.StringIO()
    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    yaml.sort_base_mapping_type_on_output = False  # type: ignore[assignment]
    yaml.dump(document, out)
    return f"# {note}\n{out.getvalue()}"
