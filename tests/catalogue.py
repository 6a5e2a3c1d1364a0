"""The catalogue of bad inputs and the message each gives: ``docs/bad_input.md``.

Regenerate with ``.venv/bin/python tests/catalogue.py > docs/bad_input.md``; the test suite
checks that the committed file is what this script prints.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import sys
import tempfile
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sim import cli  # noqa: E402

BASE = (ROOT / "sim" / "scenarios" / "karabakh_2020.yaml").read_text(encoding="utf-8")

SCENARIO_CASES = [
    ("an unknown field", "    loyalty: 0.8\n", "    loyalty: 0.8\n    loyality: 0.9\n"),
    (
        "a wrong type",
        "    nuclear: true\n    capital: {city: Moscow",
        "    nuclear: maybe\n    capital: {city: Moscow",
    ),
    ("a figure out of range", "power: 0.00058645511", "power: 1.7"),
    (
        "an unknown state id in a commitment",
        "members: [RUS, ARM, BLR, KZK, KYR, TAJ]\n    covers",
        "members: [RUS, ARM, BLR, KZK, XYZ, TAJ]\n    covers",
    ),
    ("an event before the scenario starts", "at: 2020-09-27", "at: 2019-09-27"),
    ("a missing field", "    theatre: NKR\n", ""),
    ("an unknown theatre", "    theatre: NKR\n", "    theatre: Artsakh\n"),
    ("a guarantor that is not a member", "guarantors: [RUS]", "guarantors: [TUR]"),
    ("a YAML syntax error", "borders: [AZE, TUR]", "borders: [AZE, TUR"),
    ("a duplicate key", "    loyalty: 0.8\n", "    loyalty: 0.8\n    loyalty: 0.9\n"),
    (
        "an explicit tag (code in a data file)",
        'title: "Karabakh 2020: the 44-day war"',
        "title: !!python/object/apply:os.system ['true']",
    ),
    ("YAML 1.1's NO as a state id", "borders: [AZE, TUR]", "borders: [AZE, NO]"),
    ("a date that does not exist", "at: 2020-09-27", "at: 2020-02-30"),
    ("an end before the start", "end: 2021-08", "end: 2019-08"),
    ("a version-like number as a name", "    name: Armenia\n", "    name: 3.10\n"),
    ("an empty power series", "power: 0.034113873", "power: {}"),
    (
        "a power series with no year inside the scenario",
        "power: 0.034113873",
        "power: {1990: 0.03}",
    ),
    ("a state listed in its own borders", "borders: [AZE, BLR, KZK]", "borders: [AZE, RUS]"),
    (
        "a relation given twice (1,000 times, or contradicting itself)",
        "relations:\n",
        "relations:\n" + "  - {between: [ARM, RUS], value: -0.9, source: x}\n" * 1000,
    ),
    ("a newline inside an id", "  RUS:\n", '  "R\\nUS":\n'),
    (
        "a commitment against a group not defined",
        "    covers: members\n    institution: csto_org\n",
        "    covers: members\n    against: {groups: [reds]}\n    institution: csto_org\n",
    ),
    (
        "a one-way guarantee without its guarantors",
        "    kind: defence_pact\n    members: [RUS, ARM]\n",
        "    kind: guarantee\n    members: [RUS, ARM]\n",
    ),
    (
        "a running war that begins inside the case",
        "    scale: 0.5\n    backers: [TUR]\n",
        "    scale: 0.5\n    running: true\n    backers: [TUR]\n",
    ),
    (
        "an invocation by a state that may not invoke the commitment",
        "  ceasefire:\n",
        "  asks:\n    kind: invocation\n    at: 2020-09-28\n    partner: AZE\n"
        "    commitment: csto\n    source: s\n  ceasefire:\n",
    ),
    (
        "a string for a boolean (strict types: 'no' is not false)",
        "    nuclear: true\n    capital: {city: Moscow",
        "    nuclear: true\n    in_system: 'no'\n    capital: {city: Moscow",
    ),
    (
        "a member's terms for a state that is not a member",
        "    covers: members\n    since: 1997-08-29\n",
        "    covers: members\n    member_terms: {TUR: {duty: consult, source: s}}\n"
        "    since: 1997-08-29\n",
    ),
    (
        "a member's reservation against itself",
        "    covers: members\n    since: 1997-08-29\n",
        "    covers: members\n    member_terms: {RUS: {not_against: [RUS], source: s}}\n"
        "    since: 1997-08-29\n",
    ),
    (
        "a duty chained on its own guarantor",
        "    covers: members\n    since: 1997-08-29\n",
        "    covers: members\n    conditions: {after: [ARM]}\n    since: 1997-08-29\n",
    ),
    (
        "more major attackers than the states marked major",
        "    covers: members\n    since: 1997-08-29\n",
        "    covers: members\n    conditions: {attackers_at_least: {count: 2, major: true}}\n"
        "    since: 1997-08-29\n",
    ),
    (
        "a defence pact that protects a state",
        "    covers: members\n    since: 1997-08-29\n",
        "    covers: members\n    protects: [AZE]\n    since: 1997-08-29\n",
    ),
    (
        "a narrow sea from a state to itself",
        "\nrelations:\n",
        "\nnarrow_seas: [[RUS, RUS]]\nrelations:\n",
    ),
]

OTHER_CASES = [
    (
        "an overlay that reaches outside the scenarios folder",
        "overlay",
        "title: t\nsummary: s\napplies_to: ../../etc/passwd\n",
    ),
    (
        "an overlay that removes a missing field",
        "overlay",
        "title: t\nsummary: s\napplies_to: karabakh_2020\nremove:\n  - sites.nowhere\n",
    ),
    (
        "an overlay that removes a state the scenario still names",
        "overlay",
        "title: t\nsummary: s\napplies_to: karabakh_2020\nremove:\n  - states.BLR\n",
    ),
    ("a parameter file with an unknown name", "params", "w_sites: 3\nw_sitez: 4\n"),
    ("a parameter out of its range", "params", "technology: 1.5\n"),
    ("a parameter that is not a number", "params", "w_sites: high\n"),
    ("a parameter of 400 digits", "params", "w_sites: " + "9" * 400 + "\n"),
]

SET_CASES = ["w_sites", "nonsense=1", "w_sites=abc", "technology=2", "w_sites=nan"]


LAUGHS = "".join(
    [f"a0: &a0 [{','.join(['lol'] * 9)}]\n"]
    + [f"a{i}: &a{i} [{','.join([f'*a{i - 1}'] * 9)}]\n" for i in range(1, 9)]
)
"""A "billion laughs": some 400 bytes of nested aliases that would expand to 9**9 strings."""

ARGUMENT_CASES = [
    ("a negative seed", ["run", "karabakh_2020", "--seed", "-1"]),
    ("a seed of 2**32 or more", ["world", "--seed", "4294967296"]),
    ("more runs than can be held", ["run", "karabakh_2020", "--runs", "1000000000"]),
    ("more worker processes than allowed", ["run", "karabakh_2020", "--workers", "1000"]),
    ("an output folder that is a file", ["run", "karabakh_2020", "--out", "{tmp}/a_file"]),
    ("an output folder under a file", ["survival", "--data", "atop", "--out", "{tmp}/a_file/x"]),
    (
        "an output folder that cannot be made",
        ["sweep", "karabakh_2020", "--param", "w_sites=1:2:2", "--out", "/proc/x"],
    ),
    ("an empty output folder name", ["run", "karabakh_2020", "--out", ""]),
    (
        "an output folder holding other files",
        ["run", "karabakh_2020", "--runs", "1", "--out", "{tmp}/mine"],
    ),
    ("an output file that is a folder", ["tune", "--out", "{tmp}"]),
    ("a scenarios folder that is missing", ["tune", "--dir", "{tmp}/missing"]),
    ("a scenarios folder that is a file", ["list", "--dir", "{tmp}/a_file"]),
    ("a scenarios folder without scenarios", ["check", "--dir", "{tmp}/empty"]),
    ("a storage that is a binary file", ["tune", "--storage", "{tmp}/binary"]),
    ("a storage that is a folder", ["tune", "--storage", "{tmp}"]),
    ("a storage in a missing folder", ["tune", "--storage", "sqlite:///{tmp}/missing/study.db"]),
    ("a storage of an unknown kind", ["tune", "--storage", "nosuchdb://host/study"]),
    (
        "a Dask scheduler that is not an address",
        ["sweep", "karabakh_2020", "--param", "w_sites=1:2:2", "--scheduler", "abc"],
    ),
    ("a year outside the data", ["figures", "-1", "RUS"]),
    ("a year far outside the data", ["figures", "99999999999999999999", "RUS"]),
    ("a first year outside the data", ["world", "--start", "1700"]),
    ("a range with no steps", ["sweep", "karabakh_2020", "--param", "w_sites=1:2:0"]),
    ("a range to infinity", ["sweep", "karabakh_2020", "--param", "w_sites=1:inf:2"]),
    (
        "a design too large to build",
        [
            "sweep",
            "karabakh_2020",
            "--param",
            "w_sites=1:2:1000",
            "--param",
            "technology=0:0.9:1000",
        ],
    ),
    ("a parameter named twice", ["sensitivity", "karabakh_2020", "--vary", "w_sites,w_sites"]),
    (
        "parameter names given to --params (a file)",
        ["sensitivity", "karabakh_2020", "--params", "w_sites,technology"],
    ),
    ("a grid range without its steps", ["sweep", "karabakh_2020", "--param", "w_sites=1:2"]),
    ("a misspelt scenario name", ["run", "karabak_2020"]),
    (
        "an overlay written for another scenario",
        ["run", "karabakh_2020", "--overlay", "wwii_germany_undefeated"],
    ),
    ("figures without a folder to put them in", ["run", "karabakh_2020", "--plots"]),
    ("leave-one-out for another target", ["tune", "--target", "backtest", "--cv"]),
    (
        "an export written over a folder",
        ["export", "{tmp}", "--format", "dyad-year", "--out", "{tmp}"],
    ),
    ("a metric no point records", ["sensitivity", "karabakh_2020", "--metric", "nonexistent"]),
    (
        "a decision of a scenario that calls none",
        ["explain", "eaeu_institution", "1", "--runs", "2"],
    ),
    ("an unknown option", ["run", "karabakh_2020", "--rusn", "2"]),
    ("a named pipe as a scenario (never read)", ["run", "{tmp}/pipe.yaml"]),
    (
        "a device as a parameter file (never read)",
        ["run", "karabakh_2020", "--params", "/dev/zero"],
    ),
    ("a name longer than the system takes", ["run", "karabakh_2020", "--out", "x" * 300]),
    ("a range from high to low", ["sweep", "karabakh_2020", "--param", "w_sites=5:1:3"]),
    (
        "a prior spread that is not a positive number",
        ["tune", "--method", "mle", "--prior-sd", "nan"],
    ),
    ("a corrupt optuna journal", ["tune", "--storage", "{tmp}/corrupt.journal"]),
]

OWNERSHIP_CASES = [
    (
        "an export over the folder's own metadata.json",
        ["export", "{run}", "--format", "dyad-year", "--out", "{run}/metadata.json"],
    ),
    (
        "a sweep into a run's results folder",
        ["sweep", "karabakh_2020", "--param", "w_sites=1:2:2", "--out", "{run}"],
    ),
    (
        "figures into a results folder (not its plots/)",
        ["plot", "timeline", "{run}", "--out", "{run}"],
    ),
    (
        "a run into a study's folder",
        ["run", "karabakh_2020", "--runs", "1", "--out", "{tmp}/study"],
    ),
    (
        "a table no command here reads, changed since",
        ["plot", "timeline", "{tmp}/changed", "--out", "{tmp}/figures"],
    ),
]
"""Writes into another job's folder, and a folder changed since it was written (its manifest)."""

RESULTS_CASES = [
    ("a folder of garbage files", "garbage", ["survival", "{run}"]),
    ("a folder without metadata.json (unfinished)", "no_metadata", ["plot", "timeline", "{run}"]),
    ("a folder missing a table", "no_alliances", ["plot", "timeline", "{run}"]),
    ("a table that is not Parquet", "junk_table", ["survival", "{run}"]),
    ("the wrong table under a table's name", "wrong_table", ["plot", "network", "{run}"]),
    ("metadata without the periods", "no_periods", ["plot", "timeline", "{run}"]),
    ("a replication the folder does not hold", "", ["plot", "timeline", "{run}", "--run", "9999"]),
    ("a negative replication", "", ["plot", "network", "{run}", "--run", "-1"]),
    ("a folder that is missing", "missing", ["survival", "{run}"]),
    (
        "an export of a folder without metadata.json",
        "no_metadata",
        ["export", "{run}", "--format", "state-year"],
    ),
    (
        "an export of a folder missing a table",
        "no_alliances",
        ["export", "{run}", "--format", "dyad-year"],
    ),
]


def _run(argv: list[str]) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = cli.main(argv)
    return code, err.getvalue().strip()


def _rows(folder: Path) -> list[tuple[str, str, int, str]]:
    rows = []
    for name, old, new in SCENARIO_CASES:
        path = folder / "scenarios" / "broken.yaml"
        path.write_text(BASE.replace(old, new, 1), encoding="utf-8")
        code, message = _run(["run", str(path), "--runs", "1"])
        rows.append((name, "`run.py run broken.yaml`", code, message))
    for name, kind, text in OTHER_CASES:
        path = folder / "scenarios" / "counterfactuals" / f"{kind}.yaml"
        path.write_text(text, encoding="utf-8")
        argv = (
            ["run", str(path), "--runs", "1"]
            if kind == "overlay"
            else ["run", "karabakh_2020", "--runs", "1", "--params", str(path)]
        )
        rows.append(
            (
                name,
                f"`run.py run ... {'--params ' if kind == 'params' else ''}{path.name}`",
                *_run(argv),
            )
        )
    for text in SET_CASES:
        rows.append(
            (
                f"`--set {text}`",
                "`run.py run karabakh_2020 --set ...`",
                *_run(["run", "karabakh_2020", "--runs", "1", "--set", text]),
            )
        )
    return rows


def _break(run: Path, how: str, into: Path) -> Path:
    """Return a copy of a run folder broken in one way (``""``: the folder itself)."""
    if not how:
        return run
    folder = into / how
    if how == "missing" or folder.exists():  # missing, or broken already for another row
        return folder
    shutil.copytree(run, folder)
    if how == "garbage":
        for path in folder.iterdir():
            path.write_text("junk")
    elif how == "no_metadata":
        (folder / "metadata.json").unlink()
    elif how == "no_alliances":
        (folder / "alliances.parquet").unlink()
    elif how == "junk_table":
        (folder / "alliances.parquet").write_text("junk")
    elif how == "wrong_table":
        shutil.copy(folder / "system.parquet", folder / "states.parquet")
    elif how == "no_periods":
        meta = json.loads((folder / "metadata.json").read_text())
        (folder / "metadata.json").write_text(json.dumps({**meta, "periods": []}))
    return folder


def _more_rows(folder: Path) -> list[tuple[str, str, int, str]]:
    rows = []
    scenarios = folder / "scenarios"
    (scenarios / "laughs.yaml").write_text(LAUGHS)
    rows.append(
        (
            f"a billion laughs ({len(LAUGHS)} bytes of nested aliases)",
            "`run.py run laughs.yaml`",
            *_run(["run", str(scenarios / "laughs.yaml")]),
        )
    )
    overlay = scenarios / "counterfactuals" / "overlay.yaml"
    overlay.write_text("title: t\nsummary: s\napplies_to: karabakh_2020\nremove:\n  - states\n")
    rows.append(
        (
            "an overlay that removes a required field",
            "`run.py run overlay.yaml`",
            *_run(["run", str(overlay), "--runs", "1"]),
        )
    )
    return rows


def _argument_rows(tmp: Path) -> list[tuple[str, str, int, str]]:
    (tmp / "a_file").write_text("text\n")
    (tmp / "binary").write_bytes(bytes(range(256)))
    (tmp / "empty").mkdir()
    (tmp / "mine").mkdir()
    (tmp / "mine" / "notes.txt").write_text("mine\n")
    os.mkfifo(tmp / "pipe.yaml")
    (tmp / "corrupt.journal").write_text(
        '{"op_code":0,"worker_id":"w","study_name":"alliance-sim","directions":[1]}\n'
        '{"op_code":99}\n'
    )
    rows = []
    for name, argv in ARGUMENT_CASES:
        argv = [a.replace("{tmp}", str(tmp)) for a in argv]
        shown = " ".join(a if a and " " not in a else repr(a) for a in argv)
        rows.append((name, f"`run.py {shown}`", *_run(argv)))
    return rows


def _results_rows(tmp: Path) -> list[tuple[str, str, int, str]]:
    run = tmp / "run"
    code, message = _run(["run", "karabakh_2020", "--runs", "3", "--out", str(run)])
    assert code == 0, message
    rows = []
    for name, how, argv in RESULTS_CASES:
        folder = _break(run, how, tmp)
        argv = [a.replace("{run}", str(folder)) for a in argv] + ["--out", str(tmp / "figures")]
        shown = " ".join(argv[:-2]).replace(str(tmp), "...")
        rows.append((name, f"`run.py {shown}`", *_run(argv)))
    return rows


def _ownership_rows(tmp: Path) -> list[tuple[str, str, int, str]]:
    run = tmp / "run"
    code, message = _run(["run", "karabakh_2020", "--runs", "2", "--out", str(run)])
    assert code == 0, message
    (tmp / "study" / "points").mkdir(parents=True)
    (tmp / "study" / "design.json").write_text("[]\n")
    changed = Path(shutil.copytree(run, tmp / "changed"))
    data = bytearray((changed / "system.parquet").read_bytes())
    data[len(data) // 2] ^= 0xFF
    (changed / "system.parquet").write_bytes(bytes(data))
    rows = []
    for name, argv in OWNERSHIP_CASES:
        argv = [a.replace("{run}", str(run)).replace("{tmp}", str(tmp)) for a in argv]
        shown = " ".join(argv).replace(str(tmp), "...")
        rows.append((name, f"`run.py {shown}`", *_run(argv)))
    return rows


def catalogue() -> str:
    """Return the catalogue as markdown, with the folder names made stable.

    The commands are written as ``run.py``, so the messages name the program so too, however
    the catalogue itself is run (``program()`` reads the name it was called by).
    """
    called = sys.argv[:]
    sys.argv[:] = ["run.py", *called[1:]]
    try:
        return _catalogue()
    finally:
        sys.argv[:] = called


def _catalogue() -> str:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "scenarios" / "counterfactuals").mkdir(parents=True)
        (folder / "scenarios" / "karabakh_2020.yaml").write_text(BASE, encoding="utf-8")
        (folder / "scratch").mkdir()
        sections = [
            ("Scenario, overlay and parameter files", _rows(folder) + _more_rows(folder)),
            ("The command line's own arguments", _argument_rows(folder / "scratch")),
            ("Results folders (`run --out`, `world --out`)", _results_rows(folder / "scratch")),
            ("Folders a command does not own", _ownership_rows(folder / "owned")),
        ]
        lines = HEADER[:]
        for title, rows in sections:
            lines += ["", f"## {title}", "", "| bad input | command | exit | message |"]
            lines.append("| --- | --- | --- | --- |")
            for name, command, code, message in rows:
                command = command.replace(str(folder), "...")
                message = message.replace(str(folder), "...").replace("|", "\\|")
                message = message.replace(f"{ROOT}/", "")  # the library, wherever it is
                # a table's size holds the versions in its metadata: the same run, other bytes
                message = re.sub(r"\d+ bytes, it has \d+", "N bytes, it has M", message)
                command, message = _short(command), _short(message)
                quote = "``" if "`" in message else "`"
                lines.append(f"| {name} | {command} | {code} | {quote}{message}{quote} |")
    return "\n".join(lines) + "\n"


def _short(text: str) -> str:
    """Show a name of hundreds of ``x`` as ``x * N``, so that a row stays readable."""
    return re.sub(r"x{40,}", lambda found: f"x * {len(found.group())}", text)


HEADER = [
    "# Bad input and the messages it gets",
    "",
    "Every row was produced by `tests/catalogue.py` from the real CLI; the test suite",
    "checks that this file is current. Each bad input exits with code 2 and prints one",
    "line naming the file (or the argument), the field path, the line where known, what",
    "was expected and what was got. No traceback, and nothing is written: every argument and",
    "every results folder is checked before any work starts.",
    "",
    "The exit codes: 0 done; 2 bad input, as below; 1 the machine failed a job under way (a",
    "disk full, a folder made unwritable mid-run), one line; 70 a bug, one line `internal",
    "error: ...; please report it`, and its traceback with `--debug` or `ALLIANCE_SIM_DEBUG=1`;",
    "130 interrupted (Ctrl-C), with what finished kept so that a rerun resumes.",
    "",
    "Input files are checked by kind and size before they are read: a scenario, overlay or",
    "parameter file must be a regular UTF-8 file of at most 8 MiB (a named pipe would hang the",
    "reader, `/dev/zero` fill the memory); a results folder's `metadata.json`, a regular file",
    "of at most 64 MiB. Library warnings (SALib, numpy, lifelines, optuna) never reach the",
    "terminal, in the command's process or its workers: what one would mean to a user is",
    "checked by the tool itself, refused as bad input or said in a `warning:` line of its own",
    "(`--debug` shows them). Ctrl-C at any moment, start-up and `serve` included, prints one",
    "`interrupted` line and exits with 130; the worker processes of a run or a study die with",
    "it, and with their parent however it ends (even `kill -9`): none outlives it. One window",
    "is out of the tool's reach: the first 10-30 ms of the Python interpreter's own start-up",
    "(its `site` module, before any line of `run.py`), where Python prints its own",
    "`KeyboardInterrupt` and exits with 1.",
    "",
    "**A results folder is checked whole when it is opened.** `metadata.json` holds a",
    "manifest: each table's size in bytes and SHA-256 digest. Every command that opens a",
    "results folder checks every table against it before it reads anything, so a table",
    "changed, truncated, swapped or damaged since the folder was written is refused by every",
    "command, not only by those that read that table. Folders written before manifests were",
    "kept have none and are checked table by table as they are read. No command writes into",
    "a folder of another kind (a run's results, a study's points) or over one of its files:",
    "inside a results folder only `export`'s own tables and figures under `plots/` are written,",
    "and a study (`sweep`, `sensitivity`) writes only into a new folder or its own.",
]


if __name__ == "__main__":
    os.chdir(ROOT)
    sys.stdout.write(catalogue())
