"""The documentation says what the program does: its examples run and its numbers are printed."""

from __future__ import annotations

import re
import shlex

import pytest

from sim.scenario import library

from conftest import ROOT

DOCS = ROOT / "docs"


def _code(page: str, language: str) -> list[str]:
    """Return the page's fenced code blocks in ``language`` ("" for plain ones), in order."""
    blocks, current, fence = [], [], None
    for line in (DOCS / page).read_text().splitlines():
        if line.startswith("```") and fence is None:
            fence, current = line[3:].strip(), []
        elif line.startswith("```"):
            if fence == language:
                blocks.append("\n".join(current) + "\n")
            fence = None
        elif fence is not None:
            current.append(line)
    return blocks


def _files(page: str) -> dict[str, str]:
    text = (DOCS / page).read_text()
    return dict(re.findall(r"<!-- file: (\S+) -->\n```yaml\n(.*?)```", text, re.S))


def _sessions(page: str) -> list[tuple[str, list[str]]]:
    """Return each command the page shows (``$ run.py ...``) with the lines shown after it."""
    sessions: list[tuple[str, list[str]]] = []
    for block in _code(page, ""):
        for line in block.splitlines():
            if line.startswith("$ run.py "):
                sessions.append((line.removeprefix("$ run.py "), []))
            elif sessions and line.strip() and line.strip() != "...":
                sessions[-1][1].append(line)
    return sessions


def test_the_theory_writes_out_every_proposition_with_real_tests_and_scenarios():
    text = (DOCS / "THEORY.md").read_text()
    assert "Bordachev" in text and '"Do Empires Have Allies?"' in text
    assert [int(k) for k in re.findall(r"^## P(\d+)\. ", text, re.M)] == list(range(1, 13))
    source = (ROOT / "tests" / "test_propositions.py").read_text()
    tests = set(re.findall(r"^def (test_P\w+)", source, re.M))
    named = set(re.findall(r"`(test_P\w+)`", text))
    assert named <= tests, named - tests
    assert {re.match(r"test_P\d+", t)[0] for t in tests} <= {
        re.match(r"test_P\d+", n)[0] for n in named
    }, "every proposition's test is named"
    backticked = set(re.findall(r"`([a-z0-9_]+)`", text))
    assert set(library.scenarios([library.LIBRARY])) <= backticked, "every case is placed"


def test_the_odd_points_to_the_theory_in_the_repository():
    assert "`docs/THEORY.md`" in (DOCS / "ODD.md").read_text()


def test_the_api_example_runs_as_written(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {}
    blocks = _code("api.md", "python")
    assert len(blocks) >= 4
    for block in blocks:
        exec(compile(block, "docs/api.md", "exec"), namespace)
    assert (tmp_path / "figures" / "waterfall_russia.png").exists()
    assert (tmp_path / "karabakh_moved" / "decisions.parquet").exists()


@pytest.fixture
def tutorial(tmp_path):
    for name, text in _files("tutorial.md").items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return tmp_path


def test_every_command_of_the_tutorial_prints_what_the_page_shows(tutorial, main):
    sessions = _sessions("tutorial.md")
    assert len(sessions) >= 9
    for command, shown in sessions:
        if "#" in command:  # a command run on a changed file: tested below
            continue
        code, out, err = main(*shlex.split(command), cwd=tutorial)
        assert code == 0, (command, err)
        printed = (out + err).splitlines()
        missing = [line for line in shown if line not in printed]
        assert not missing, (command, missing)


def test_the_tutorials_other_claims(tutorial, main):
    stays_out = ("run", "cyprus_1974_bases_in_the_north", "--set", "technology=0.9", "--csv")
    code, out, _ = main(*stays_out, cwd=tutorial)
    britain = next(line for line in out.splitlines() if line.startswith("invasion,UKG,CYP,"))
    assert code == 0 and float(britain.split(",")[8]) < 0.2  # 0.66 with its bases, above
    case = tutorial / "scenarios" / "cyprus_1974.yaml"
    case.write_text(case.read_text().replace("    value: 0.6\n", "    value: 6\n"))
    code, _, err = main("run", "cyprus_1974", cwd=tutorial)
    (bad,) = [shown for command, shown in _sessions("tutorial.md") if "#" in command]
    assert code == 2 and bad == [err.strip()]


def test_the_figures_the_pages_show_are_in_the_repository():
    pages = [*sorted(DOCS.glob("*.md")), ROOT / "README.md"]
    shown = {}
    for page in pages:
        shown[page.name] = re.findall(r"!\[[^\]]*\]\(([^)]+\.png)\)", page.read_text())
        for figure in shown[page.name]:
            assert (page.parent / figure).exists(), (page, figure)
    assert shown["tutorial.md"] and shown["README.md"] and shown["validation.md"]


def _readme_sessions() -> list[tuple[str, list[str]]]:
    """Return each command the README shows (``$ alliance-sim ...``) with the lines after it."""
    text = (ROOT / "README.md").read_text()
    sessions: list[tuple[str, list[str]]] = []
    for block in re.findall(r"```text\n(.*?)```", text, re.S):
        for line in block.splitlines():
            if line.startswith("$ alliance-sim "):
                sessions.append((line.removeprefix("$ alliance-sim "), []))
            elif sessions and line.strip() and line.strip() != "...":
                sessions[-1][1].append(line)
    return sessions


def test_the_readme_is_a_first_page():
    text = (ROOT / "README.md").read_text()
    assert len(text.splitlines()) <= 200
    assert not re.search(r"\bissues? \d", text, re.I), "no issue numbers"
    assert not re.search(r"\b20\d\d-\d\d-\d\d\b", text), "no session dates"


def test_the_readmes_quick_start_prints_what_it_shows(main, monkeypatch):
    import sys

    monkeypatch.setattr(sys, "argv", ["alliance-sim"])
    shown = {command.split()[0]: lines for command, lines in _readme_sessions()}
    assert {"run", "explain", "serve"} <= set(shown)
    for command, lines in _readme_sessions():
        if command.startswith("serve"):
            continue  # a server: tests/test_web.py and tests/test_wheel.py start it
        code, out, err = main(*shlex.split(command))
        assert code == 0, (command, err)
        printed = (out + err).splitlines()
        assert not [line for line in lines if line not in printed], command


def test_the_readmes_links_lead_to_pages_of_the_repository():
    text = (ROOT / "README.md").read_text()
    for target in re.findall(r"\]\(([^)#]+)\)", text):
        if not target.startswith("http"):
            assert (ROOT / target).exists(), target


def test_the_site_builds_strictly_with_nothing_from_outside(tmp_path):
    import os
    import shutil
    import subprocess
    import sys

    mkdocs = shutil.which("mkdocs", path=os.path.dirname(sys.executable))
    if mkdocs is None:
        pytest.skip("mkdocs is not installed (the dev extra has it)")
    log = tmp_path / "netguard.log"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "tests" / "netguard"), "NETGUARD_LOG": str(log),
           "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}  # fmt: skip
    site = tmp_path / "site"
    built = subprocess.run(
        [mkdocs, "build", "--strict", "--quiet", "--site-dir", str(site)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert built.returncode == 0, built.stderr[-2000:]
    assert not log.exists() or log.read_text() == "", log.read_text()
    cli = (site / "reference" / "cli" / "index.html").read_text()
    assert all(f'id="{name}"' in cli for name in ("run", "explain", "serve", "tune"))
    schema = (site / "reference" / "scenario-schema" / "index.html").read_text()
    assert 'id="scenariospec"' in schema and 'id="commitmentspec"' in schema
    pages = [p.read_text() for p in site.rglob("*.html")]
    assert not [p for p in pages if "fonts.googleapis.com" in p], "no fonts from the internet"
