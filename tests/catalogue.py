"""The catalogue of bad inputs and the message each gives: ``docs/bad_input.md``.

Regenerate with ``.venv/bin/python tests/catalogue.py > docs/bad_input.md``; the test suite
checks that the committed file is what this script prints.
"""

from __future__ import annotations

import io
import json
import shutil
import sys
import tempfile
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sim import cli  # noqa: E402

BASE = (ROOT / "scenarios" / "karabakh_2020.yaml").read_text(encoding="utf-8")

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
    ("a parameter named twice", ["sensitivity", "karabakh_2020", "--params", "w_sites,w_sites"]),
    ("a metric no point records", ["sensitivity", "karabakh_2020", "--metric", "nonexistent"]),
    (
        "a decision of a scenario that calls none",
        ["explain", "eaeu_institution", "1", "--runs", "2"],
    ),
    ("an unknown option", ["run", "karabakh_2020", "--rusn", "2"]),
]

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
    if how == "missing":
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


def catalogue() -> str:
    """Return the catalogue as markdown, with the folder names made stable."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "scenarios" / "counterfactuals").mkdir(parents=True)
        (folder / "scenarios" / "karabakh_2020.yaml").write_text(BASE, encoding="utf-8")
        (folder / "scratch").mkdir()
        sections = [
            ("Scenario, overlay and parameter files", _rows(folder) + _more_rows(folder)),
            ("The command line's own arguments", _argument_rows(folder / "scratch")),
            ("Results folders (`run --out`, `world --out`)", _results_rows(folder / "scratch")),
        ]
        lines = HEADER[:]
        for title, rows in sections:
            lines += ["", f"## {title}", "", "| bad input | command | exit | message |"]
            lines.append("| --- | --- | --- | --- |")
            for name, command, code, message in rows:
                command = command.replace(str(folder), "...")
                message = message.replace(str(folder), "...").replace("|", "\\|")
                quote = "``" if "`" in message else "`"
                lines.append(f"| {name} | {command} | {code} | {quote}{message}{quote} |")
    return "\n".join(lines) + "\n"


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
]


if __name__ == "__main__":
    import os

    os.chdir(ROOT)
    sys.stdout.write(catalogue())
