"""The catalogue of bad inputs and the message each gives: ``docs/bad_input.md``.

Regenerate with ``.venv/bin/python tests/catalogue.py > docs/bad_input.md``; the test suite
checks that the committed file is what this script prints.
"""

from __future__ import annotations

import io
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
        "a member's terms for a state that is not a member",
        "    covers: members\n    since: 1997-08-29\n",
        "    covers: members\n    member_terms: {TUR: {duty: consult, source: s}}\n"
        "    since: 1997-08-29\n",
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
    ("a parameter file with an unknown name", "params", "w_sites: 3\nw_sitez: 4\n"),
    ("a parameter out of its range", "params", "technology: 1.5\n"),
    ("a parameter that is not a number", "params", "w_sites: high\n"),
]

SET_CASES = ["w_sites", "nonsense=1", "w_sites=abc", "technology=2", "w_sites=nan"]


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


def catalogue() -> str:
    """Return the catalogue as markdown, with the folder names made stable."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "scenarios" / "counterfactuals").mkdir(parents=True)
        (folder / "scenarios" / "karabakh_2020.yaml").write_text(BASE, encoding="utf-8")
        rows = _rows(folder)
        lines = [
            "# Bad input and the messages it gets",
            "",
            "Every row was produced by `tests/catalogue.py` from the real CLI; the test suite",
            "checks that this file is current. Each bad input exits with code 2 and prints one",
            "line naming the file, the field path, the line where known, what was expected and",
            "what was got. No traceback, nothing written.",
            "",
            "| bad input | command | exit | message |",
            "| --- | --- | --- | --- |",
        ]
        for name, command, code, message in rows:
            message = message.replace(str(folder), "...").replace("|", "\\|")
            lines.append(f"| {name} | {command} | {code} | `{message}` |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    import os

    os.chdir(ROOT)
    sys.stdout.write(catalogue())
