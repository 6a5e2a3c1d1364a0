"""Shared fixtures: the project's folders, scenario loading and a CLI runner."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from sim.model.params import Params
from sim.results.runs import RunSet, replicate
from sim.scenario.loading import load

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "sim" / "scenarios"
COUNTERFACTUALS = SCENARIOS / "counterfactuals"


def runs_of(name: str, *overlays: str, runs: int = 100, seed: int = 7, **changes: float) -> RunSet:
    """Replicate a scenario of the library (with overlays by name) under changed parameters."""
    scenario = load(SCENARIOS / f"{name}.yaml", [COUNTERFACTUALS / f"{o}.yaml" for o in overlays])
    return replicate(scenario, Params().replace(**changes), seed=seed, runs=runs)


def decision(runset: RunSet, guarantor: str) -> object:
    """Return the rows of one guarantor's decisions."""
    d = runset.decisions
    return d[d["guarantor"] == guarantor]


def cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """Run ``run.py`` in a subprocess, as a user would."""
    return subprocess.run(
        [sys.executable, str(ROOT / "run.py"), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def main(capsys, monkeypatch):
    """Return a function that runs the CLI in this process, in a folder; (code, out, err).

    Faster than :func:`cli` (no interpreter to start), for the many checks of messages.
    """
    from sim.cli import main as cli_main

    def run(*args: str, cwd: Path = ROOT) -> tuple[int, str, str]:
        monkeypatch.chdir(cwd)
        code = cli_main(list(args))
        out, err = capsys.readouterr()
        return code, out, err

    return run


@pytest.fixture
def scenario_copy(tmp_path: Path):
    """Return a function that writes a scenario's text, edited, into a temporary folder."""

    def write(name: str, edit=lambda text: text, filename: str | None = None) -> Path:
        text = (SCENARIOS / f"{name}.yaml").read_text(encoding="utf-8")
        path = tmp_path / (filename or f"{name}.yaml")
        path.write_text(edit(text), encoding="utf-8")
        return path

    return write


if str(ROOT) not in sys.path:  # the synthetic worlds of the benchmarks serve the property tests
    sys.path.insert(0, str(ROOT))


# CI replays the same examples every time (a failure there must be reproducible); a developer's
# runs explore new ones.
from hypothesis import settings as _hypothesis_settings  # noqa: E402

_hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    _hypothesis_settings.load_profile("ci")


def interrupt_when(args: list[str], ready, timeout: float = 120) -> tuple[int, str]:
    """Start ``run.py ARGS``, send SIGINT once ``ready()`` holds, return (exit code, stderr)."""
    import signal
    import time

    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "run.py"), *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + timeout
    while not ready() and time.monotonic() < deadline:
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    return proc.returncode, err


@pytest.fixture(scope="session")
def history_run():
    """The open world 1816-2003 with the wars of history, under the defaults (seed 0)."""
    from sim.history import openworld, worldrun

    return worldrun.run(openworld.build(), Params(), seed=0)


@pytest.fixture
def runs_made(monkeypatch) -> list[int]:
    """Return the list of runs that reweighing makes again, as they are made (a spy)."""
    from sim.results import reweigh

    made: list[int] = []
    real = reweigh._run

    def counted(world, params, seed, run):
        made.append(run)
        return real(world, params, seed, run)

    monkeypatch.setattr(reweigh, "_run", counted)
    return made


def clear_caches() -> None:
    """Forget every cached table and result of the package (after swapping its data folder)."""
    for name, module in list(sys.modules.items()):
        if name == "sim" or name.startswith("sim."):
            for value in list(vars(module).values()):
                if callable(value) and hasattr(value, "cache_clear"):
                    value.cache_clear()
