"""Nothing lost, nothing mixed, and the same bytes every time."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pandas as pd

from conftest import cli, interrupt_when

TABLES = ("decisions", "alliances", "states", "system", "outcomes")


def _run(out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return cli("run", "karabakh_2020", "--runs", "100", "--seed", "9", "--out", str(out), *extra)


def test_results_are_byte_identical_across_repeats_and_worker_counts(tmp_path):
    one, again, two = tmp_path / "one", tmp_path / "again", tmp_path / "two"
    for out, extra in ((one, ()), (again, ()), (two, ("--workers", "2"))):
        assert _run(out, *extra).returncode == 0
    for name in TABLES:
        a = (one / f"{name}.parquet").read_bytes()
        assert a == (again / f"{name}.parquet").read_bytes(), name
        assert a == (two / f"{name}.parquet").read_bytes(), name


def test_an_interrupted_run_keeps_what_finished_and_resumes(tmp_path):
    out = tmp_path / "run"
    args = ["run", "karabakh_2020", "--runs", "1500", "--seed", "9", "--out", str(out)]
    code, err = interrupt_when(args, lambda: bool(list((out / ".parts").glob("done_*"))))
    assert code == 130 and "Traceback" not in err
    kept = sorted((out / ".parts").glob("done_*"))
    assert kept, "the finished chunks are kept"
    assert not list(out.rglob("*.tmp")), "no partial file is left"
    assert not (out / "decisions.parquet").exists(), "no final table from an unfinished run"
    # a rerun with the same arguments resumes and gives what an uninterrupted run gives
    assert cli(*args).returncode == 0
    whole = tmp_path / "whole"
    assert cli(*args[:-1], str(whole)).returncode == 0
    for name in TABLES:
        assert (out / f"{name}.parquet").read_bytes() == (whole / f"{name}.parquet").read_bytes()
    assert not (out / ".parts").exists()


def test_a_folder_holding_another_run_is_refused(tmp_path):
    out = tmp_path / "run"
    (out / ".parts").mkdir(parents=True)
    (out / ".parts" / "key.txt").write_text("something else\n")
    result = _run(out)
    assert result.returncode == 2 and "holds part of a different run" in result.stderr


def test_result_tables_read_back_as_written(tmp_path):
    out = tmp_path / "run"
    assert _run(out).returncode == 0
    decisions = pd.read_parquet(out / "decisions.parquet")
    assert decisions["p_honour"].between(0, 1).all()
    assert set(decisions["run"]) == set(range(100))
