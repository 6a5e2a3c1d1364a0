"""The command line's own inputs: every argument and every results folder, however broken,
gets one line and exit code 2 before any work starts; a bug gets exit code 70 and one line
(issue #21: each reproduced case is a test here)."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
import time
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pandas as pd
import pytest

from sim import cli

import catalogue
from conftest import ROOT, SCENARIOS

KARABAKH = (SCENARIOS / "karabakh_2020.yaml").read_text(encoding="utf-8")


@pytest.fixture(autouse=True)
def at_root(monkeypatch):
    monkeypatch.chdir(ROOT)  # scenarios are named as a user names them, from the repository


def main(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = cli.main(list(argv))
    return code, out.getvalue(), err.getvalue()


def refused(*argv: str) -> str:
    """Run a command that must be refused: exit 2, one line on stderr, no traceback."""
    code, _, err = main(*argv)
    assert code == 2, (code, err)
    assert err.startswith("error: ") and err.count("\n") == 1, err
    return err


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("results") / "run"
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(ROOT)
        code, _, err = main("run", "karabakh_2020", "--runs", "3", "--out", str(folder))
    assert code == 0, err
    return folder


@pytest.fixture
def a_file(tmp_path) -> Path:
    path = tmp_path / "a_file"
    path.write_text("not a folder\n")
    return path


# --- hangs ------------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["run", "check", "explain"])
def test_nested_aliases_are_refused_before_the_document_is_built(command, tmp_path):
    path = tmp_path / "laughs.yaml"
    path.write_text(catalogue.LAUGHS)
    assert len(path.read_bytes()) < 500
    argv = {
        "run": ["run", str(path), "--runs", "1"],
        "check": ["check", "--dir", str(tmp_path), "--runs", "1"],
        "explain": ["explain", str(path), "RUS", "--runs", "1"],
    }[command]
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, str(ROOT / "run.py"), *argv],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2 and "aliases expand beyond" in result.stderr
    assert str(path) in result.stderr and result.stderr.count("\n") == 1
    assert time.monotonic() - started < 30


def test_an_alias_that_holds_itself_is_refused(tmp_path):
    path = tmp_path / "loop.yaml"
    path.write_text("title: &t [*t]\n")
    assert "aliases expand beyond" in refused("run", str(path), "--runs", "1")


def test_a_few_aliases_are_still_fine(tmp_path):
    from sim.scenario.yamlfile import load_yaml

    path = tmp_path / "few.yaml"
    path.write_text("a: &x [1, 2, 3]\nb: *x\nc: {k: *x}\n")
    assert load_yaml(path)["c"]["k"] == [1, 2, 3]


# --- tracebacks: arguments ----------------------------------------------------------------


@pytest.mark.parametrize(
    "argv",
    [
        ["run", "karabakh_2020", "--runs", "1", "--seed", "-1"],
        ["check", "--runs", "1", "--seed", "-1"],
        ["world", "--seed", "-1", "--end", "1820"],
        ["run", "karabakh_2020", "--runs", "1", "--seed", str(2**64)],
    ],
)
def test_a_seed_out_of_range_is_refused(argv):
    assert "argument --seed: expected a whole number from 0 to 4,294,967,295" in refused(*argv)


def test_a_number_of_runs_beyond_the_limit_is_refused_at_once():
    started = time.monotonic()
    err = refused("run", "karabakh_2020", "--runs", "1000000000")
    assert "argument --runs" in err and "100,000" in err
    assert time.monotonic() - started < 5


def test_a_parameter_file_with_a_400_digit_integer(tmp_path):
    path = tmp_path / "params.yaml"
    path.write_text("w_sites: " + "9" * 400 + "\n")
    err = refused("run", "karabakh_2020", "--runs", "1", "--params", str(path))
    assert f"{path}, line 1: w_sites: expected a finite number" in err


def _outputs(tmp_path: Path, a_file: Path, run_dir: Path) -> list[list[str]]:
    point = ["--param", "w_sites=1:2:2", "--runs", "1"]
    return [
        ["run", "karabakh_2020", "--runs", "1", "--out", str(a_file)],
        ["run", "karabakh_2020", "--runs", "1", "--out", str(a_file / "sub")],
        ["run", "karabakh_2020", "--runs", "1", "--out", "/proc/x"],
        ["survival", str(run_dir), "--out", str(a_file)],
        ["plot", "timeline", str(run_dir), "--out", str(a_file / "sub")],
        ["sweep", "karabakh_2020", *point, "--out", str(a_file)],
        ["sensitivity", "karabakh_2020", "--samples", "2", "--out", "/proc/x"],
        ["tune", "--trials", "1", "--runs", "1", "--out", str(tmp_path)],
        ["tune", "--trials", "1", "--runs", "1", "--out", str(a_file / "tuned.yaml")],
        ["world", "--end", "1820", "--out", str(a_file)],
        ["backtest", "--out", "/proc/x"],
    ]


def test_every_output_that_cannot_be_written_is_refused_before_work(tmp_path, a_file, run_dir):
    for argv in _outputs(tmp_path, a_file, run_dir):
        err = refused(*argv)
        assert "argument --out:" in err, argv
    assert a_file.read_text() == "not a folder\n"


def test_an_empty_output_name_is_refused():
    assert "argument --out: expected a folder (got '')" in refused(
        "run", "karabakh_2020", "--runs", "1", "--out", ""
    )


# --- tracebacks and wrong codes: results folders --------------------------------------------


def _without_manifest(folder: Path) -> None:
    """Make a results folder as written before manifests: its tables are checked one by one."""
    meta = json.loads((folder / "metadata.json").read_text())
    del meta["manifest"]
    (folder / "metadata.json").write_text(json.dumps(meta))


def _as_written(folder: Path) -> None:
    """Make a results folder's manifest list its tables as they are now (as if written so)."""
    from sim.results import manifest

    meta = json.loads((folder / "metadata.json").read_text())
    meta["manifest"] = manifest.of(folder, meta["manifest"])
    (folder / "metadata.json").write_text(json.dumps(meta))


def _garbage(folder: Path) -> Path:
    folder.mkdir()
    for name in ("metadata.json", "alliances.parquet", "states.parquet"):
        (folder / name).write_text("junk")
    return folder


def test_a_folder_of_garbage_is_not_a_results_folder(tmp_path):
    folder = _garbage(tmp_path / "garbage")
    for argv in (
        ["survival", str(folder), "--out", str(tmp_path / "s")],
        ["plot", "timeline", str(folder), "--out", str(tmp_path / "p")],
        ["plot", "network", str(folder), "--out", str(tmp_path / "p")],
    ):
        assert f"{folder}/metadata.json: expected a JSON object" in refused(*argv)
    (folder / "metadata.json").write_text(json.dumps({"scenario": "x"}))
    assert f"{folder}/alliances.parquet: expected a Parquet table" in refused(
        "survival", str(folder), "--out", str(tmp_path / "s")
    )


def test_a_table_whose_pandas_metadata_is_damaged(run_dir, tmp_path):
    import pyarrow.parquet as pq

    folder = tmp_path / "damaged"
    shutil.copytree(run_dir, folder)
    _without_manifest(folder)  # the table's own checks (a folder with one is refused whole)
    path = folder / "alliances.parquet"
    table = pq.read_table(path)
    meta = json.loads(table.schema.metadata[b"pandas"])
    for column in meta["columns"]:  # found by the fuzz: a flipped bit here was a KeyError
        column.pop("numpy_type", None)
    extra = {b"pandas": json.dumps(meta).encode()}
    pq.write_table(table.replace_schema_metadata({**table.schema.metadata, **extra}), path)
    err = refused("survival", str(folder), "--out", str(tmp_path / "s"))
    assert f"{path}: expected a Parquet table" in err


@pytest.mark.parametrize("missing", ["alliances", "states", "metadata"])
def test_a_results_folder_missing_a_file(missing, run_dir, tmp_path):
    folder = tmp_path / "incomplete"
    shutil.copytree(run_dir, folder)
    (folder / (f"{missing}.parquet" if missing != "metadata" else "metadata.json")).unlink()
    err = refused("plot", "timeline", str(folder), "--out", str(tmp_path / "p"))
    assert str(folder) in err and "it has no" in err


@pytest.mark.parametrize("table", ["alliances", "states"])
def test_a_results_folder_with_the_wrong_tables(table, run_dir, tmp_path):
    folder = tmp_path / "wrong"
    shutil.copytree(run_dir, folder)
    _without_manifest(folder)  # the table's own checks (a folder with one is refused whole)
    other = "decisions" if table == "alliances" else "system"
    shutil.copy(folder / f"{other}.parquet", folder / f"{table}.parquet")
    commands = [["plot", "network", str(folder), "--out", str(tmp_path / "p")]]
    if table == "alliances":
        commands += [
            ["plot", "timeline", str(folder), "--out", str(tmp_path / "p")],
            ["survival", str(folder), "--out", str(tmp_path / "s")],
        ]
    for argv in commands:
        err = refused(*argv)
        assert f"{folder}/{table}.parquet: expected a run's {table} table (it lacks" in err


def test_metadata_without_what_a_figure_needs(run_dir, tmp_path):
    folder = tmp_path / "meta"
    shutil.copytree(run_dir, folder)
    meta = json.loads((folder / "metadata.json").read_text())
    for key, bad in (("periods", []), ("runs", "3"), ("capitals", {"RUS": "Moscow"})):
        (folder / "metadata.json").write_text(json.dumps({**meta, key: bad}))
        err = refused("plot", "network", str(folder), "--out", str(tmp_path / "p"))
        assert f"metadata.json: {key}: expected" in err
    (folder / "metadata.json").write_text(json.dumps({**meta, "capitals": {}}))
    err = refused("plot", "network", str(folder), "--out", str(tmp_path / "p"))
    assert "capitals: expected the capital of every state" in err


@pytest.mark.parametrize("kind", ["timeline", "network"])
@pytest.mark.parametrize("run", ["9999", "3", "-1"])
def test_a_replication_the_folder_does_not_hold(kind, run, run_dir, tmp_path):
    err = refused("plot", kind, str(run_dir), "--run", run, "--out", str(tmp_path))
    assert "--run" in err and ("0 to 2" in err or "from 0" in err)


def test_survival_of_folders_without_any_alliance(run_dir, tmp_path):
    folder = tmp_path / "none"
    shutil.copytree(run_dir, folder)
    empty = pd.read_parquet(folder / "alliances.parquet").iloc[:0]
    empty.to_parquet(folder / "alliances.parquet")
    _as_written(folder)
    assert "expected alliances to analyse" in refused(
        "survival", str(folder), "--out", str(tmp_path / "s")
    )


# --- tune's storage, figures' years, studies' designs ---------------------------------------


def test_a_storage_optuna_cannot_use_is_refused_before_work(tmp_path, a_file):
    binary = tmp_path / "study.journal"
    binary.write_bytes(bytes(range(256)) * 4)
    for storage in (
        str(binary),
        str(tmp_path),
        "/proc/x.journal",
        str(tmp_path / "missing" / "study.journal"),
        f"sqlite:///{tmp_path}/missing/study.db",
        "nosuchdb://host/study",
        str(a_file),
    ):
        err = refused("tune", "--trials", "1", "--storage", storage, "--out", str(tmp_path / "t"))
        assert "argument --storage" in err, storage
    assert not (tmp_path / "t").exists()


@pytest.mark.parametrize("year", ["-1", "99999999999999999999", "1815", "2023"])
def test_figures_outside_the_data_give_its_years(year):
    assert "expected a year of the COW data, 1816 to 2022" in refused("figures", year, "RUS")


def test_a_parameter_named_twice_is_refused_before_any_point(tmp_path):
    out = tmp_path / "sens"
    err = refused("sensitivity", "karabakh_2020", "--vary", "w_sites,w_sites", "--out", str(out))
    assert "w_sites: expected each parameter once" in err
    assert not out.exists()
    err = refused("sweep", "karabakh_2020", "--param", "w_sites=1:2:2", "--param", "w_sites=3:4:2")
    assert "w_sites: expected each parameter once" in err


@pytest.mark.parametrize(
    ("param", "message"),
    [
        ("w_sites=1:2:0", "expected a number of steps from 1 to 100,000 (got '0')"),
        ("w_sites=1:2:-3", "expected a number of steps"),
        ("w_sites=1:inf:2", "w_sites: expected a finite number (got inf)"),
        ("w_sites=nan:1:2", "w_sites: expected a finite number (got nan)"),
    ],
)
def test_a_range_that_makes_no_grid(param, message, tmp_path):
    code, _, err = main("sweep", "karabakh_2020", "--param", param, "--out", str(tmp_path / "s"))
    assert code == 2 and message in err and err.count("\n") == 1, err
    assert "Warning" not in err and not (tmp_path / "s").exists()


def test_a_design_too_large_to_build_is_refused(tmp_path):
    argv = dict(catalogue.ARGUMENT_CASES)["a design too large to build"]
    err = refused(*argv, "--out", str(tmp_path / "s"))
    assert "at most 100,000 points (got 1000000)" in err and not (tmp_path / "s").exists()
    err = refused("sensitivity", "karabakh_2020", "--samples", "99999")
    assert "--samples: expected a design of at most 100,000 points" in err


def test_an_unknown_metric_is_refused_before_any_point(tmp_path):
    out = tmp_path / "sens"
    err = refused(
        "sensitivity",
        "karabakh_2020",
        "--samples",
        "2",
        "--metric",
        "nonexistent",
        "--out",
        str(out),
    )
    assert "--metric: expected p_honour:WAR:GUARANTOR:PARTNER" in err
    assert not (out / "points").exists()


# --- internal errors are not bad input ------------------------------------------------------


FIGURES = {
    "an empty power series": "line 16: states.RUS.power: expected a figure, or figures by year",
    "a power series with no year inside the scenario": (
        "line 16: states.RUS.power: expected a figure, or figures by year with one from 2020"
    ),
    "a state listed in its own borders": (
        "line 19: states.RUS.borders[1]: expected a neighbour, not the state itself"
    ),
    "a relation given twice (1,000 times, or contradicting itself)": (
        "line 135: relations[1].between: expected each pair of states once (relations[0]"
    ),
    "a newline inside an id": "line 14: states.R\\nUS: string should match",
}
"""What each scenario case of the catalogue must say (an internal error, or accepted, before)."""


@pytest.mark.parametrize(
    ("name", "old", "new"),
    [case for case in catalogue.SCENARIO_CASES if case[0] in FIGURES],
    ids=lambda v: str(v)[:30],
)
def test_figures_that_cannot_be_right_are_bad_input_with_their_line(name, old, new, scenario_copy):
    path = scenario_copy("karabakh_2020", lambda t: t.replace(old, new, 1))
    err = refused("run", str(path), "--runs", "1")
    assert err.startswith(f"error: {path}, line ") and FIGURES[name] in err


@pytest.mark.parametrize("error", [KeyError("alliance"), IndexError("list index out of range")])
def test_a_bug_is_an_internal_error_not_bad_input(error, monkeypatch):
    def broken(args):
        raise error

    monkeypatch.setattr(cli.scenarios, "cmd_params", broken)
    monkeypatch.delenv(cli.DEBUG, raising=False)
    code, _, err = main("params")
    assert code == cli.EXIT_INTERNAL == 70
    assert err.startswith(f"internal error: {type(error).__name__}") and err.count("\n") == 1
    assert "please report" in err and "Traceback" not in err
    monkeypatch.setenv(cli.DEBUG, "1")
    code, _, err = main("params")
    assert code == 70 and "Traceback (most recent call last)" in err
    monkeypatch.delenv(cli.DEBUG)
    code, _, err = main("--debug", "params")
    assert code == 70 and "Traceback (most recent call last)" in err


def test_ctrl_c_that_a_library_turns_into_another_error_is_an_interruption(monkeypatch):
    def interrupted(args):  # as optuna does when Ctrl-C strikes its journal write
        try:
            raise KeyboardInterrupt
        finally:
            raise UnboundLocalError("cannot access local variable 'updated_state'")

    monkeypatch.setattr(cli.scenarios, "cmd_params", interrupted)
    assert main("params")[::2] == (130, "interrupted\n")


def test_a_full_disk_is_a_failure_of_the_machine(monkeypatch):
    import errno

    def full(args):
        raise OSError(errno.ENOSPC, "No space left on device", "/data/run/decisions.parquet")

    monkeypatch.setattr(cli.scenarios, "cmd_params", full)
    code, _, err = main("params")
    assert code == 1 and err == "error: /data/run/decisions.parquet: No space left on device\n"


# --- bad input that was accepted ----------------------------------------------------------


@pytest.mark.parametrize("command", ["check", "list", "tune"])
def test_a_scenarios_folder_that_is_missing_or_a_file(command, tmp_path, a_file):
    err = refused(command, "--dir", str(tmp_path / "missing"))
    assert "argument --dir: folder not found" in err
    assert "argument --dir: expected a folder" in refused(command, "--dir", str(a_file))
    (tmp_path / "empty").mkdir()
    err = refused(command, "--dir", str(tmp_path / "empty"))
    assert "argument --dir: expected a folder of scenario files" in err


def test_a_run_folder_holding_other_files_is_not_emptied(tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine")
    err = refused("run", "karabakh_2020", "--runs", "1", "--out", str(folder))
    assert "holds other files" in err and "notes.txt" in err
    assert [p.name for p in folder.iterdir()] == ["notes.txt"]


# --- errors that blamed the wrong file or read badly ----------------------------------------


def test_an_overlays_removal_is_blamed_on_the_overlay(tmp_path):
    (tmp_path / "karabakh_2020.yaml").write_text(KARABAKH)
    overlay = tmp_path / "counterfactuals" / "no_states.yaml"
    overlay.parent.mkdir()
    overlay.write_text("title: t\nsummary: s\napplies_to: karabakh_2020\nremove:\n  - states\n")
    err = refused("run", str(overlay), "--runs", "1")
    assert err == f"error: {overlay}, line 5: states: required field is missing\n"


def test_explain_names_the_scenario_file():
    err = refused("explain", "eaeu_institution", "1", "--runs", "2")
    assert err.startswith("error: ") and len(err.splitlines()) == 1
    assert "scenarios/eaeu_institution.yaml: DECISION: expected a decision" in err
    err = refused("explain", "karabakh_2020", "²", "--runs", "2")
    assert "scenarios/karabakh_2020.yaml: DECISION: matches no decision" in err


def test_the_exit_codes_are_documented():
    assert (cli.EXIT_FAILURE, cli.EXIT_INPUT, cli.EXIT_INTERNAL) == (1, 2, 70)
    assert "70" in cli.__doc__ and "ALLIANCE_SIM_DEBUG" in cli.__doc__
