"""The fourteen failures of an independent bad-input campaign (issue 35), each as it was found.

Each reproduction runs as written in the campaign and must give exit code 2 (or 0 where the
input is valid) with one ``error:`` line naming the right file and field: no traceback, no
hang, no file of an existing results folder changed. Each is fixed at its class, and the
tests beside each reproduction check the class, not only the instance.
"""

from __future__ import annotations

import io
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import time
from contextlib import redirect_stdout
from pathlib import Path

import pytest

from sim import cli

from conftest import ROOT, SCENARIOS

KARABAKH = SCENARIOS / "karabakh_2020.yaml"


def one_error(err: str, *words: str) -> str:
    """Check that ``err`` is one ``error:`` line holding each of ``words``; return it."""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    assert "Traceback" not in err
    for word in words:
        assert word in lines[0], (word, lines[0])
    return lines[0]


def run_py(*args: str, timeout: float = 120, **popen) -> subprocess.CompletedProcess[str]:
    """Run ``run.py`` as a user would, with a time limit: a hang fails the test."""
    return subprocess.run(
        [sys.executable, str(ROOT / "run.py"), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        **popen,
    )


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file of a folder and its bytes (to show that nothing in it changed)."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory) -> Path:
    """A results folder written by ``run --out`` (two runs)."""
    folder = tmp_path_factory.mktemp("runs") / "run"
    with redirect_stdout(io.StringIO()):
        assert cli.main(["run", str(KARABAKH), "--runs", "2", "--out", str(folder)]) == 0
    return folder


@pytest.fixture
def run_copy(run_dir, tmp_path) -> Path:
    """A copy of the results folder, free to damage."""
    return Path(shutil.copytree(run_dir, tmp_path / "run"))


# --- 1. validate on a scenario whose start is after its end --------------------------------


def test_1_validate_reports_an_end_before_the_start(main, scenario_copy):
    path = scenario_copy("karabakh_2020", lambda t: t.replace("end: 2021-08", "end: 2019-08"))
    code, _, err = main("validate", str(path))
    assert code == 2
    one_error(err, str(path), "line 11", "end: expected a date after the start")


# --- 2. check --dir on a folder whose defence pact became an institution -------------------


def test_2_check_scores_a_commitment_that_never_forms_an_alliance(main, scenario_copy):
    path = scenario_copy(
        "falklands_1982", lambda t: t.replace("kind: defence_pact", "kind: institution")
    )
    code, out, err = main("check", "--dir", str(path.parent), "--runs", "2")
    assert code == 0, err
    assert "has ended by" in out


# --- 3. --out with a 300-character name, on every command that takes --out ----------------

LONG = "x" * 300
OUT_COMMANDS = [
    ["run", "karabakh_2020", "--runs", "1"],
    ["world"],
    ["backtest"],
    ["sweep", "karabakh_2020", "--param", "w_sites=1:2:2"],
    ["sensitivity", "karabakh_2020"],
    ["tune"],
    ["survival", "{run}"],
    ["plot", "timeline", "{run}"],
    ["export", "{run}", "--format", "dyad-year"],
]


@pytest.mark.parametrize("argv", OUT_COMMANDS, ids=lambda argv: argv[0])
@pytest.mark.parametrize("name", [LONG, f"{LONG}/x", f"sub/{LONG}.yaml"])
def test_3_an_out_name_the_system_refuses_is_one_line(main, run_dir, tmp_path, argv, name):
    argv = [part.format(run=run_dir) for part in argv]
    code, _, err = main(*argv, "--out", str(tmp_path / name), cwd=tmp_path)
    assert code == 2
    one_error(err, "--out", "File name too long")


def test_3_a_path_the_system_refuses_given_to_a_command_is_bad_input(main, tmp_path):
    code, _, err = main("run", f"{LONG}.yaml", cwd=tmp_path)
    assert code == 2
    one_error(err, "File name too long")


# --- 4 and 5. a named pipe or a device given as an input file ------------------------------


def _refused_unread(tmp_path: Path, special: str, role: str) -> subprocess.CompletedProcess[str]:
    argv = {
        "scenario": ["run", special, "--runs", "1"],
        "overlay": ["run", "karabakh_2020", "--runs", "1", "--overlay", special],
        "params": ["run", "karabakh_2020", "--runs", "1", "--params", special],
        "validate": ["validate", special],
    }[role]

    def small_memory() -> None:  # the old reader filled the memory from /dev/zero
        resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))

    return run_py(*argv, timeout=60, preexec_fn=small_memory)


@pytest.mark.parametrize("role", ["scenario", "overlay", "params", "validate"])
def test_4_a_named_pipe_is_refused_without_a_hang(tmp_path, role):
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    done = _refused_unread(tmp_path, str(fifo), role)
    assert done.returncode == 2
    one_error(done.stderr, str(fifo), "expected a regular file, but it is a named pipe")


@pytest.mark.parametrize(
    ("device", "role"),
    [("/dev/zero", "scenario"), ("/dev/urandom", "overlay"), ("/dev/full", "params")],
)
def test_5_a_device_is_refused_naming_it(tmp_path, device, role):
    done = _refused_unread(tmp_path, device, role)
    assert done.returncode == 2
    one_error(done.stderr, device, "expected a regular file, but it is a device")


def test_5_a_file_too_large_is_refused_before_it_is_read(main, tmp_path):
    from sim.scenario.inputs import MAX_TEXT

    huge = tmp_path / "huge.yaml"
    with huge.open("wb") as handle:  # sparse: nothing is written but its size
        handle.truncate(MAX_TEXT + 1)
    code, _, err = main("run", str(huge), "--runs", "1")
    assert code == 2
    one_error(err, str(huge), "expected a file of at most 8 MiB")


def test_5_a_folder_given_as_a_parameter_file_is_refused(main, tmp_path):
    code, _, err = main("run", "karabakh_2020", "--runs", "1", "--params", str(tmp_path))
    assert code == 2
    one_error(err, str(tmp_path), "expected a file, but it is a folder")


# --- 6. a corrupt optuna journal ------------------------------------------------------------

STUDY = '{"op_code":0,"worker_id":"w","study_name":"alliance-sim","directions":[1]}\n'


@pytest.mark.parametrize("record", ['{"op_code": 99}', '{"op_code": "a"}', '{"op_code": 4}'])
def test_6_a_corrupt_journal_is_bad_input(main, tmp_path, record):
    journal = tmp_path / "study.journal"
    journal.write_text(STUDY + record + "\n")
    code, _, err = main("tune", "--storage", str(journal), "--out", str(tmp_path / "t.yaml"))
    assert code == 2
    one_error(err, "--storage", str(journal))


# --- 7 and 8. writing into a results folder -------------------------------------------------


def test_7_export_never_writes_over_a_results_folder_s_own_file(main, run_copy):
    before = snapshot(run_copy)
    code, _, err = main(
        "export", str(run_copy), "--format", "dyad-year", "--out", str(run_copy / "metadata.json")
    )
    assert code == 2
    one_error(err, "--out", "metadata.json")
    assert snapshot(run_copy) == before


@pytest.mark.parametrize("name", ["decisions.parquet", "notes.txt", ".parts/x.parquet"])
def test_7_no_file_lands_among_a_results_folder_s_own(main, run_copy, name):
    before = snapshot(run_copy)
    code, _, err = main("tune", "--out", str(run_copy / name))
    assert code == 2
    one_error(err, "--out", "results folder")
    assert snapshot(run_copy) == before


def test_7_export_still_writes_the_tables_a_results_folder_declares(main, run_copy):
    code, _, _ = main(
        "export", str(run_copy), "--format", "dyad-year", "--out", str(run_copy / "dyad_year.csv")
    )
    assert code == 0
    assert (run_copy / "dyad_year.csv").is_file()


@pytest.mark.parametrize("command", ["sweep", "sensitivity"])
def test_8_a_study_never_writes_into_a_results_folder(main, run_copy, command):
    before = snapshot(run_copy)
    extra = ["--param", "w_sites=1:2:2"] if command == "sweep" else []
    code, _, err = main(command, "karabakh_2020", *extra, "--out", str(run_copy))
    assert code == 2
    one_error(err, "--out", "it is a results folder")
    assert snapshot(run_copy) == before


def test_8_a_study_never_writes_into_a_user_s_folder(main, tmp_path):
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("mine\n")
    code, _, err = main(
        "sweep", "karabakh_2020", "--param", "w_sites=1:2:2", "--out", str(tmp_path / "mine")
    )
    assert code == 2
    one_error(err, "it holds other files", "notes.txt")


def test_8_figures_go_to_a_results_folder_s_plots_only(main, run_copy):
    before = snapshot(run_copy)
    code, _, err = main("plot", "timeline", str(run_copy), "--out", str(run_copy))
    assert code == 2
    one_error(err, "--out", "expected a figures folder", str(run_copy / "plots"))
    assert snapshot(run_copy) == before


def test_8_a_run_never_writes_into_a_study_s_folder(main, tmp_path):
    study = tmp_path / "study"
    (study / "points").mkdir(parents=True)
    (study / "design.json").write_text("[]\n")
    code, _, err = main("run", "karabakh_2020", "--runs", "1", "--out", str(study))
    assert code == 2
    one_error(err, "--out", "it is a study's")


# --- 9. an overlay that removes a state the scenario still refers to -----------------------


def test_9_a_removal_that_leaves_a_reference_names_the_overlay(main, tmp_path):
    folder = tmp_path / "scenarios"
    (folder / "counterfactuals").mkdir(parents=True)
    shutil.copy(KARABAKH, folder)
    overlay = folder / "counterfactuals" / "no_belarus.yaml"
    overlay.write_text("title: t\nsummary: s\napplies_to: karabakh_2020\nremove:\n  - states.BLR\n")
    for argv in (["validate", str(overlay)], ["run", str(overlay), "--runs", "1"]):
        code, _, err = main(*argv)
        assert code == 2
        one_error(err, str(overlay), "line 5", "remove[0]", "still names BLR")


# --- 10. library warnings -------------------------------------------------------------------


def test_10_a_library_s_warning_never_reaches_the_terminal(tmp_path):
    done = run_py(
        "sensitivity", "eaeu_institution", "--samples", "3", "--runs", "1", "--metric",
        "mean:ally_value", "--out", str(tmp_path / "s"),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Warning" not in done.stderr and "warnings.warn" not in done.stderr, done.stderr
    assert "N=3 is not a power of 2" in done.stdout  # said in the tool's own words


def test_10_the_command_line_runs_with_warnings_silenced(main, monkeypatch):
    import warnings

    from sim.cli import scenarios

    seen = {}

    def command(args):
        with warnings.catch_warnings(record=True) as caught:
            warnings.warn("noise", UserWarning, stacklevel=1)
        seen["warnings"], seen["env"] = caught, os.environ.get("PYTHONWARNINGS")
        return 0

    monkeypatch.setattr(scenarios, "cmd_params", command)
    monkeypatch.delenv("PYTHONWARNINGS", raising=False)
    code, _, _ = main("params")
    assert code == 0 and seen["env"] == "ignore"  # the workers it starts are quiet too
    assert "PYTHONWARNINGS" not in os.environ


# --- 11. values out of range, and strings for numbers and booleans -------------------------


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["sweep", "karabakh_2020", "--param", "w_sites=5:1:3"], ["w_sites", "LOW at most HIGH"]),
        (["sweep", "karabakh_2020", "--lhs", "4", "--param", "w_sites=5:1"], ["LOW at most"]),
        *(
            (["tune", "--method", "mle", f"--prior-sd={v}"], ["--prior-sd", "above 0"])
            for v in ("-1", "0", "nan", "inf", "-inf", "1e400")
        ),
    ],
)
def test_11_a_numeric_option_out_of_its_range_is_refused(main, argv, words):
    code, _, err = main(*argv)
    assert code == 2
    one_error(err, *words)


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        (
            'conditions: {unprovoked: true, source: "Art. 1: assistance',
            "conditions: {unprovoked: true, attackers_at_least: '2', source: \"Art. 1: assistance",
            "conditions.attackers_at_least: input should be a valid integer",
        ),
        (
            "    in_system: false\n",
            "    in_system: 'no'\n",
            "in_system: input should be a valid boolean",
        ),
        (
            "    in_system: false\n",
            "    in_system: 0\n",
            "in_system: input should be a valid boolean",
        ),
        ("power: 0.000995", "power: '0.000995'", "power"),
    ],
)
def test_11_strict_types_refuse_a_string_for_a_number_or_a_boolean(
    main, scenario_copy, old, new, field
):
    path = scenario_copy("balkan_league_1912", lambda t: t.replace(old, new, 1))
    for argv in (["validate", str(path)], ["run", str(path), "--runs", "1"]):
        code, _, err = main(*argv)
        assert code == 2, err
        one_error(err, str(path), field)


# --- 12, 13, 14. interrupts and kills -------------------------------------------------------


def _session(sid: int) -> list[int]:
    """The living processes of a session (a process and all it started, reparented or not).

    A zombie is dead: it holds no pipe and runs nothing, it waits for init to reap it.
    """
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            state, _, _, session = stat[stat.rindex(")") + 2 :].split()[:4]
            if int(session) == sid and state != "Z":
                found.append(int(entry.name))
    return found


def _sweep(tmp_path: Path) -> subprocess.Popen[str]:
    """Start a sweep on two workers in its own session, as a terminal's foreground job."""
    return subprocess.Popen(
        [sys.executable, str(ROOT / "run.py"), "sweep", "karabakh_2020", "--param",
         "w_sites=1:4:6", "--runs", "20", "--workers", "2", "--out", str(tmp_path / "s")],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )  # fmt: skip


def _wait_for(ready, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while not ready() and time.monotonic() < deadline:
        time.sleep(0.05)


needs_proc = pytest.mark.skipif(
    not Path("/proc/self/stat").exists(), reason="counting a session's processes needs /proc"
)


@needs_proc
@pytest.mark.parametrize("moment", ["start-up", "pool", "workers"])
@pytest.mark.parametrize("to", ["group", "parent"])
def test_12_an_interrupted_sweep_prints_one_line_and_exits_130(tmp_path, moment, to):
    sweep = _sweep(tmp_path)
    try:
        if moment == "start-up":  # the interpreter is up, the imports under way
            time.sleep(0.5)
        want = {"start-up": 1, "pool": 3, "workers": 5}[moment]  # the sweep, server, tracker...
        _wait_for(lambda: len(_session(sweep.pid)) >= want)
        if to == "group":  # Ctrl-C in a terminal reaches every process of the job
            os.killpg(sweep.pid, signal.SIGINT)
        else:
            sweep.send_signal(signal.SIGINT)
        _, err = sweep.communicate(timeout=60)
    finally:
        if sweep.poll() is None:
            os.killpg(sweep.pid, signal.SIGKILL)
    assert sweep.returncode == 130, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("interrupted"), err


@needs_proc
@pytest.mark.parametrize("moment", ["pool", "workers"])
def test_13_no_process_outlives_a_killed_sweep_by_more_than_5_seconds(tmp_path, moment):
    sweep = _sweep(tmp_path)
    want = {"pool": 3, "workers": 5}[moment]
    try:
        _wait_for(lambda: len(_session(sweep.pid)) >= want)
        assert len(_session(sweep.pid)) >= want, "the sweep never started its workers"
        sweep.kill()
        sweep.wait(timeout=10)
        _wait_for(lambda: not _session(sweep.pid), seconds=5)
        left = _session(sweep.pid)
    finally:
        for pid in _session(sweep.pid):
            os.kill(pid, signal.SIGKILL)
    assert not left, f"alive 5 s after their parent was killed: {left}"


@pytest.mark.parametrize("after", [0.25, 0.6, 1.2])
def test_14_ctrl_c_during_start_up_is_one_line_and_130(after):
    started = subprocess.Popen(
        [sys.executable, str(ROOT / "run.py"), "run", "karabakh_2020", "--runs", "1"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )  # fmt: skip
    time.sleep(after)
    started.send_signal(signal.SIGINT)
    out, err = started.communicate(timeout=60)
    finished = started.returncode == 0 or (started.returncode == -signal.SIGINT and out and not err)
    if finished:  # done and printed; a signal in the interpreter's last instant ends it unheard
        pytest.skip("the command finished before the interrupt")
    assert started.returncode == 130, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("interrupted"), err


def test_14_serve_stopped_by_ctrl_c_exits_130(tmp_path):
    from sim.web import assets

    if assets.missing():
        pytest.skip("the web view's front-end files are not installed (scripts/web_assets)")
    server = subprocess.Popen(
        [sys.executable, str(ROOT / "run.py"), "serve", "--port", "8597"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )  # fmt: skip
    try:
        assert server.stdout is not None
        assert "http://" in server.stdout.readline()
        time.sleep(3)  # Solara's server is up
        server.send_signal(signal.SIGINT)
        _, err = server.communicate(timeout=60)
    finally:
        if server.poll() is None:
            server.kill()
    assert server.returncode == 130, err
    assert err.strip().splitlines()[-1] == "interrupted: the web view stopped", err


# --- also: a results folder is checked whole on open ---------------------------------------


@pytest.mark.parametrize("table", ["system.parquet", "outcomes.parquet", "decisions.parquet"])
@pytest.mark.parametrize(
    "argv",
    [["plot", "timeline", "{d}"], ["survival", "{d}"], ["export", "{d}", "--format", "state-year"]],
    ids=lambda argv: argv[0],
)
def test_a_table_no_command_reads_is_still_checked_on_open(main, run_copy, tmp_path, table, argv):
    data = bytearray((run_copy / table).read_bytes())
    data[len(data) // 2] ^= 0xFF
    (run_copy / table).write_bytes(bytes(data))
    argv = [part.format(d=run_copy) for part in argv]
    code, _, err = main(*argv, "--out", str(tmp_path / "out" / "x.parquet" if argv[0] == "export"
                                             else tmp_path / "out"))  # fmt: skip
    assert code == 2
    one_error(err, str(run_copy / table), "manifest", "digest differs")


def test_the_manifest_lists_each_table_s_size_and_digest(run_dir):
    from sim.results import manifest

    listed = json.loads((run_dir / "metadata.json").read_text())[manifest.KEY]
    assert sorted(listed) == sorted(p.name for p in run_dir.glob("*.parquet"))
    for name, entry in listed.items():
        assert entry == {"bytes": (run_dir / name).stat().st_size,
                         "sha256": manifest.digest(run_dir / name)}  # fmt: skip


def test_a_folder_written_before_manifests_still_opens(main, run_copy, tmp_path):
    from sim.results import manifest

    meta = json.loads((run_copy / "metadata.json").read_text())
    del meta[manifest.KEY]
    (run_copy / "metadata.json").write_text(json.dumps(meta))
    code, _, err = main("plot", "timeline", str(run_copy), "--out", str(tmp_path / "figures"))
    assert code == 0, err
