"""Start-up: the command line loads no heavy library until a command needs it.

``run.py --version`` and ``run.py list`` must answer in well under a second; every heavy
library imported at start-up (pandas alone costs a third of a second) would be paid by every
command. The timing itself is checked in ``benchmarks/``; here, what is imported.
"""

from __future__ import annotations

import json
import os
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


def _imported_after(
    code: str, env: dict[str, str] | None = None, among: tuple[str, ...] = HEAVY
) -> list[str]:
    """Return the libraries ``among`` a fresh interpreter holds after running ``code``."""
    probe = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))\n"
    out = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True,
        env=env,
    )  # fmt: skip
    modules = json.loads(out.stdout.splitlines()[-1])
    return [m for m in among if m in modules]


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
    """The years, war modes and back-test labels the parser offers are the history's own."""
    from sim.cli import common
    from sim.history import forecasting, openworld

    assert (common.FIRST_YEAR, common.LAST_YEAR) == (openworld.FIRST_YEAR, openworld.LAST_YEAR)
    assert common.WAR_MODES == openworld.WAR_MODES
    assert common.LABELS == forecasting.LABELS


def test_a_second_list_reads_the_cache_not_the_files(tmp_path):
    """Once listed, the scenarios are not parsed again: no YAML or schema library is loaded."""
    env = {**os.environ, "ALLIANCE_SIM_CACHE": str(tmp_path)}
    code = "import contextlib, io, sim.cli\nwith contextlib.redirect_stdout(io.StringIO()):\n"
    code += "    sim.cli.main(['list'])"
    first = _imported_after(code, env, ("ruamel", "pydantic"))
    again = _imported_after(code, env, ("ruamel", "pydantic"))
    assert first == ["ruamel", "pydantic"] and again == []


def test_an_edited_scenario_is_listed_as_it_now_reads(tmp_path):
    """The cache is keyed by the file's content: an edit is never hidden by a stale entry."""
    folder = tmp_path / "mine"
    folder.mkdir()
    mine = folder / "mine.yaml"
    text = (ROOT / "sim" / "scenarios" / "karabakh_2020.yaml").read_text()
    mine.write_text(text)
    env = {**os.environ, "ALLIANCE_SIM_CACHE": str(tmp_path / "cache")}
    args = [sys.executable, "run.py", "list", "--dir", str(folder)]
    before = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    summary = next(line for line in text.splitlines() if line.startswith("summary:"))
    mine.write_text(text.replace(summary, "summary: An edited summary of my own."))
    after = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    assert "An edited summary of my own." not in before.stdout
    assert "An edited summary of my own." in after.stdout
