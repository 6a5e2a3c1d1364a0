"""The command line's own inputs, fuzzed: malformed arguments of every command, and broken
results folders under every command that reads one, either work or fail with one line and
exit code 2; never a traceback, exit code 1 or 70, or a hang.

Beside the scenario fuzzing of ``tests/test_fuzz.py``. Each example runs ``cli.main`` in
this process, in a fresh folder; the work a command would start once its inputs pass (runs,
points, trials, the open world, figures written to disk) is replaced by a stop, so that an
example costs milliseconds and the whole file stays well under a minute.
"""

from __future__ import annotations

import io
import json
import os
import random
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stderr, redirect_stdout, suppress
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from sim import cli

import catalogue
from conftest import SCENARIOS


def fuzz(examples: int) -> settings:
    """Settings of a fuzz test: its examples (times ``ALLIANCE_SIM_FUZZ``, which ``make fuzz``
    sets), no deadline (CI derandomizes, conftest.py)."""
    return settings(
        max_examples=examples * max(1, int(os.environ.get("ALLIANCE_SIM_FUZZ", "1") or 1)),
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )


class WorkStarted(BaseException):
    """Raised where a command's real work would begin: every input was accepted."""


def _stop(*args, **kwargs):
    raise WorkStarted


@pytest.fixture
def no_work(monkeypatch):
    """Stop every command where its work would start, after all of its checks."""
    from sim.analysis import scorecard, survival, tuning
    from sim.cli import calibrate
    from sim.history import openworld, worldrun
    from sim.plots import alliances
    from sim.plots import common as figures
    from sim.results import runs
    from sim.web import server

    monkeypatch.setattr(runs, "replicate", _stop)  # the command line imports it on first use
    monkeypatch.setattr(scorecard, "replicate", _stop)
    monkeypatch.setattr(tuning, "sweep", _stop)
    monkeypatch.setattr(calibrate, "_tune_loss", lambda args: _stop)
    monkeypatch.setattr(worldrun, "run", _stop)

    def build(start=1816, end=2003, mode="history"):
        openworld._check_span(start, end, mode)  # its own checks, not the data
        raise WorkStarted

    monkeypatch.setattr(openworld, "build", build)
    monkeypatch.setattr(survival, "from_atop", _stop)
    monkeypatch.setattr(server, "_run", _stop)  # serve: its checks pass, its server never starts
    monkeypatch.setattr(os, "environ", dict(os.environ))  # where serve leaves Solara's settings
    monkeypatch.setattr(alliances, "timeline", lambda *a, **k: _figure())
    monkeypatch.setattr(alliances, "network", lambda *a, **k: _figure())
    monkeypatch.setattr(figures, "save", lambda figure, stem: figures.plt.close(figure) or [])


def _figure():
    from matplotlib.figure import Figure

    return Figure()


@contextmanager
def workspace(run_dir: Path) -> Iterator[Path]:
    """A fresh folder holding what the arguments name: scenarios, files, folders, a run."""
    with tempfile.TemporaryDirectory() as tmp:
        here = Path(tmp)
        (here / "scenarios").symlink_to(SCENARIOS)
        (here / "a_file").write_text("a line of text\n")
        (here / "a_dir").mkdir()
        (here / "binary").write_bytes(bytes(range(256)))
        (here / "laughs.yaml").write_text(catalogue.LAUGHS)
        (here / "params.yaml").write_text("w_sites: " + "9" * 400 + "\n")
        shutil.copytree(run_dir, here / "run")
        (here / "garbage").mkdir()
        for name in ("metadata.json", "alliances.parquet", "states.parquet"):
            (here / "garbage" / name).write_text("junk")
        cwd = Path.cwd()
        os.chdir(here)
        try:
            yield here
        finally:
            os.chdir(cwd)


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory) -> Path:
    """One real run folder (two runs of a short scenario), copied into every workspace."""
    folder = tmp_path_factory.mktemp("fuzz") / "run"
    with redirect_stdout(io.StringIO()):
        code = cli.main(
            ["run", str(SCENARIOS / "karabakh_2020.yaml"), "--runs", "2", "--out", str(folder)]
        )
    assert code == 0
    return folder


def run_main(argv: list[str]) -> tuple[int | None, str]:
    """Run the CLI; return its exit code (None: its work started) and what it printed."""
    err = io.StringIO()
    with redirect_stdout(io.StringIO()), redirect_stderr(err):
        try:
            code: int | None = cli.main(argv)
        except WorkStarted:
            code = None
    return code, err.getvalue()


def check_outcome(argv: list[str], code: int | None, err: str) -> None:
    """Work, or one line and exit code 2; nothing else.

    ``validate`` reports every bad file it is given: a line each, at most one per file.
    """
    assert code in (None, 0, 2), (argv, code, err)
    if code == 2:
        lines = err.splitlines()
        most = max(1, len(argv) - 1) if argv[0] == "validate" else 1
        assert err.endswith("\n") and 1 <= len(lines) <= most, (argv, err)
        assert all(line.startswith("error: ") for line in lines), (argv, err)
    if code is not None:
        assert "Traceback" not in err and "internal error" not in err, (argv, err)


# --- malformed arguments ----------------------------------------------------------------

NUMBERS = ["-1", "0", "1", "2", "3", "4294967296", "1000000000", "99999999999999999999"]
NUMBERS += ["1.5", "1e3", "0x10", "nan", "inf", "", " ", "abc", "\n", "é", "²", "--", "-"]
PATHS = ["a_file", "a_file/sub", "a_dir", "missing", "missing/deeper", "binary", "laughs.yaml"]
PATHS += ["params.yaml", "run", "garbage", "run/alliances.parquet", "/proc/x", "/dev/null", "."]
NAMES = ["karabakh_2020", "eaeu_institution", "karabakh_attack_on_armenia", "no_such_case"]
NAMES += ["scenarios/karabakh_2020.yaml", "RUS", "ZZZ", "w_sites", "nonsense"]
POOLS = {
    "scenario": NAMES + PATHS,
    "target": ["run", "garbage", *NAMES, *PATHS],
    "decision": ["RUS", "1", "0", "99", "offensive_2020:RUS", "offensive_2020:RUS:ARM", "USA"],
    "kind": ["timeline", "network", "waterfall", "honour", "pie"],
    "runs_dirs": ["run", "garbage", *PATHS],
    "folder": ["run", "garbage", *PATHS],
    "year": ["-1", "1815", "1816", "1900", "2022", "2023", "99999999999999999999", "abc"],
    "states": ["RUS", "USA", "ZZZ", "", "rus", "\n"],
    "param": ["w_sites=1:2:2", "technology=0:0.9:2", "w_sites=1:2:0", "w_sites=1:inf:2"],
    "set": ["w_sites=4", "w_sites", "nonsense=1", "w_sites=abc", "technology=2", "w_sites=nan"],
    "metric": ["p_honour:offensive_2020:RUS:ARM", "p_honour:x", "mean:ally_value", "ended:csto"],
    "names": ["w_sites", "w_sites,w_sites", "w_sites,nonsense", "", ",", "technology,baseline"],
    "storage": ["study.journal", "sqlite:///study.db", "sqlite:///missing/s.db", "nosuch://x"],
    "scheduler": ["tcp://", "host:99999", "abc", "tcp://host", ""],
    "period": ["2020-09", "2021-08", "1900", "", "2020-09-01"],
    "runs": ["1", "2", "0", "100001"],
    "seed": ["0", "7", "-1", "4294967295", "4294967296"],
    "run": ["0", "1", "2", "-1", "9999"],
    "dir": ["scenarios", "a_dir", *PATHS],
    "out": ["out", "run", "a_dir", *PATHS, ""],
    "params": ["params.yaml", *PATHS],
    "overlay": ["scenarios/counterfactuals/karabakh_attack_on_armenia.yaml", *PATHS],
}
"""Values for each argument (by its destination): good ones beside bad ones."""
COMMANDS = sorted(
    next(a for a in cli._parser()._actions if hasattr(a, "choices") and a.choices).choices
)


def _arguments(command: str) -> tuple[list[tuple[str, str]], list[tuple[str, str, list]]]:
    """A command's positionals (destination, nargs) and options (flag, destination, values:
    its choices, or None for a flag that takes no value)."""
    parser = next(a for a in cli._parser()._actions if hasattr(a, "choices") and a.choices)
    positionals, options = [], []
    for action in parser.choices[command]._actions:
        if not action.option_strings:
            positionals.append((action.dest, action.nargs))
        elif action.option_strings[0] != "-h":
            values = None if action.nargs == 0 else list(action.choices or [])
            options.append((action.option_strings[0], action.dest, values))
    return positionals, options


def _value(draw, dest: str, choices: list | None = None) -> str:
    """A value for an argument: mostly one of its own (good or bad), else any number."""
    own = [*(choices or []), *POOLS.get(dest, [])]
    return draw(st.sampled_from(own if own and draw(st.integers(0, 3)) else NUMBERS))


@st.composite
def arguments(draw) -> list[str]:
    command = draw(st.sampled_from(COMMANDS))
    positionals, options = _arguments(command)
    argv = [command]
    for dest, nargs in positionals:
        low, high = {None: (1, 1), "?": (0, 1), "*": (0, 2), "+": (1, 2)}[nargs]
        argv += [_value(draw, dest) for _ in range(draw(st.integers(low, high)))]
    for flag, dest, values in (
        draw(st.lists(st.sampled_from(options), max_size=4)) if options else []
    ):
        argv += [flag] if values is None else [flag, _value(draw, dest, values)]
    if draw(st.integers(0, 19)) == 0:
        argv.insert(draw(st.integers(1, len(argv))), draw(st.sampled_from(["--bogus", "-x"])))
    return argv


@fuzz(250)
@given(arguments())
def test_malformed_arguments_work_or_fail_in_one_line(no_work, run_dir, argv):
    with workspace(run_dir) as here:
        code, err = run_main(argv)
        check_outcome(argv, code, err)
        assert (here / "a_file").read_text() == "a line of text\n", "an input is never changed"


# --- broken results folders ---------------------------------------------------------------

FILES = ("metadata.json", *(f"{t}.parquet" for t in ("decisions", "alliances", "states")))


def _damage(folder: Path, how: str, name: str, rng: random.Random) -> None:
    path = folder / name
    if how == "delete":
        path.unlink()
    elif how == "empty":
        path.write_bytes(b"")
    elif how == "truncate":
        data = path.read_bytes()
        path.write_bytes(data[: rng.randrange(len(data))])
    elif how == "flip":
        data = bytearray(path.read_bytes())
        for _ in range(rng.randint(1, 8)):
            data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
        path.write_bytes(bytes(data))
    elif how == "swap":
        other = folder / rng.choice([f for f in FILES if f != name])
        shutil.copy(other, path)
    elif how == "directory":
        path.unlink()
        path.mkdir()
    elif name == "metadata.json":
        _damage_metadata(path, how, rng)
    else:
        _damage_table(path, how, rng)


def _damage_metadata(path: Path, how: str, rng: random.Random) -> None:
    meta = json.loads(path.read_text())
    key = rng.choice(sorted(meta))
    if how == "drop":
        del meta[key]
    else:
        meta[key] = rng.choice([None, [], {}, "x", -1, 0, 1.5, [1, 2], {"RUS": [1]}, True])
    path.write_text(json.dumps(meta) if how != "list" else json.dumps([meta]))


def _damage_table(path: Path, how: str, rng: random.Random) -> None:
    table = pd.read_parquet(path)
    column = rng.choice(list(table.columns))
    if how == "drop":
        table = table.drop(columns=[column])
    elif how == "rows":
        table = table.iloc[:0]
    elif how == "value":  # one value of another kind throughout the column
        table[column] = rng.choice([None, "x", -1, -1.5, float("nan"), 10**6, True, ""])
    else:  # numbers, some of them out of any range
        numbers = [-1.0, -1.5, float("nan"), float("inf"), 1e6, 0.0]
        table[column] = [rng.choice(numbers) for _ in range(len(table))]
    table.to_parquet(path)


READERS = [
    ["survival", "{d}"],
    ["survival", "{d}", "--by", "reason"],
    ["survival", "{d}", "--by", "asymmetry"],
    ["plot", "timeline", "{d}"],
    ["plot", "timeline", "{d}", "--run", "1"],
    ["plot", "network", "{d}"],
    ["plot", "network", "{d}", "--run", "1", "--period", "2021-08"],
    ["export", "{d}", "--format", "dyad-year"],
    ["export", "{d}", "--format", "state-year", "--csv"],
]
DAMAGE = ["delete", "empty", "truncate", "flip", "swap", "directory", "drop", "value"]
DAMAGE += ["mixed", "list", "rows"]


@fuzz(120)
@given(
    st.lists(st.tuples(st.sampled_from(DAMAGE), st.sampled_from(FILES)), min_size=1, max_size=3),
    st.sampled_from(READERS),
    st.integers(0, 2**16),
)
@example([("value", "metadata.json")], ["plot", "timeline", "{d}"], 511)  # overlays [1, 2]
@example(  # start_year: inf and NaN
    [("mixed", "states.parquet"), ("mixed", "alliances.parquet")], ["survival", "{d}"], 176
)
def test_broken_results_folders_are_read_or_refused_in_one_line(
    no_work, run_dir, damage, reader, seed
):
    rng = random.Random(seed)
    with workspace(run_dir) as here:
        folder = here / "run"
        for how, name in damage:
            if (folder / name).is_file():
                with suppress(ValueError, TypeError, OSError):  # a damage that cannot apply
                    _damage(folder, how, name, rng)
        argv = [part.format(d=folder) for part in reader] + ["--out", str(here / "figures")]
        code, err = run_main(argv)
        check_outcome(argv, code, err)
