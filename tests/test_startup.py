"""Start-up: the command line loads no heavy library until a command needs it.

``run.py --version`` and ``run.py list`` must answer in well under a second; every heavy
library imported at start-up (pandas alone costs a third of a second) would be paid by every
command. The timing itself is checked in ``benchmarks/``; here, what is imported.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEAVY = (
    "pandas",
    "scipy",
    "mesa",
    "lifelines",
    "optuna",
    "SALib",
    "dask",
    "distributed",
    "solara",
    "sklearn",
    "matplotlib",
    "pyarrow",
)


def _imported_after(code: str) -> list[str]:
    """Return the heavy libraries a fresh interpreter holds after running ``code``."""
    probe = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))\n"
    out = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )
    modules = json.loads(out.stdout.splitlines()[-1])
    return [m for m in HEAVY if m in modules]


def test_the_parser_is_built_without_heavy_libraries() -> None:
    """Importing sim.cli and building every command's parser imports none of them."""
    assert _imported_after("import sim.cli\nsim.cli._parser()") == []


def test_version_imports_no_heavy_library() -> None:
    """``run.py --version`` (argparse exits with code 0) imports none of them."""
    code = "import sim.cli\ntry:\n    sim.cli.main(['--version'])\nexcept SystemExit:\n    pass"
    assert _imported_after(code) == []


def test_list_imports_no_heavy_library() -> None:
    """``run.py list`` reads the scenarios without pandas, Mesa or SciPy."""
    code = "import contextlib, io, sim.cli\nwith contextlib.redirect_stdout(io.StringIO()):\n"
    code += "    sim.cli.main(['list'])"
    assert _imported_after(code) == []


def test_the_package_names_load_on_first_use() -> None:
    """``import sim`` is light, and ``sim.Params`` and ``sim.AllianceModel`` still resolve."""
    assert _imported_after("import sim") == []
    import sim

    assert sim.Params.__name__ == "Params"
    assert sim.AllianceModel.__name__ == "AllianceModel"


def test_the_parser_years_are_the_data_years() -> None:
    """The years and war modes the parser offers are the open world's own."""
    from sim.cli import common
    from sim.history import openworld

    assert (common.FIRST_YEAR, common.LAST_YEAR) == (openworld.FIRST_YEAR, openworld.LAST_YEAR)
    assert common.WAR_MODES == openworld.WAR_MODES
