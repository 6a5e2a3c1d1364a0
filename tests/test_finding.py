"""Scenarios found by name from any folder: the user's folders, then the packaged library."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from sim.scenario import library

from conftest import ROOT, SCENARIOS, cli


def test_the_cli_works_from_another_folder(tmp_path):
    run = cli("run", "karabakh_2020", "--runs", "3", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert "offensive_2020:RUS:ARM" in run.stdout
    listing = cli("list", cwd=tmp_path)
    assert listing.returncode == 0 and "wwii_coalition_1942_1948" in listing.stdout
    assert "wwii_germany_undefeated" in listing.stdout
    overlay = cli("run", "karabakh_attack_on_armenia", "--runs", "3", cwd=tmp_path)
    assert overlay.returncode == 0, overlay.stderr


def test_check_from_another_folder_scores_the_library(tmp_path, main):
    code, out, err = main("check", "--runs", "1", "--json", cwd=tmp_path)
    assert code == 0, err
    card = json.loads(out)
    assert card["summary"]["n"] > 30 and "karabakh_2020" in card["propositions"]


def test_an_empty_folder_is_refused_not_listed_as_nothing(tmp_path, main):
    for command in ("list", "check"):
        code, _, err = main(command, "--dir", str(tmp_path), cwd=tmp_path)
        assert code == 2 and "expected a folder of scenario files" in err
        assert len(err.strip().splitlines()) == 1


def _own_case(folder: Path, name: str = "my_suez") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.yaml"
    shutil.copy(SCENARIOS / "suez_1956.yaml", path)
    return path


def test_a_users_folder_sits_beside_the_library(tmp_path, main):
    _own_case(tmp_path / "scenarios")
    code, listing, _ = main("list", cwd=tmp_path)
    row = next(line for line in listing.splitlines() if line.startswith("my_suez"))
    assert "scenarios" in row and "karabakh_2020" in listing
    assert main("run", "my_suez", "--runs", "2", cwd=tmp_path)[0] == 0
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    code, _, err = main("run", "my_suez", "--runs", "2", "--dir", "../scenarios", cwd=elsewhere)
    assert code == 0, err


def test_the_environment_names_more_folders(tmp_path, monkeypatch):
    _own_case(tmp_path / "mine", "from_the_environment")
    monkeypatch.setenv(library.ENVIRONMENT, str(tmp_path / "mine"))
    monkeypatch.chdir(tmp_path)
    assert library.find("from_the_environment") == tmp_path / "mine" / "from_the_environment.yaml"
    assert library.folders()[-1] == library.LIBRARY


def test_a_misspelt_name_gets_the_closest_names(tmp_path, main):
    code, _, err = main("run", "karabak_2020", "--runs", "2", cwd=tmp_path)
    assert code == 2 and "did you mean karabakh_2020?" in err
    code, _, err = main("run", "karabakh_2020", "--overlay", "karabakh_atack_on_armenia")
    assert code == 2 and "did you mean karabakh_attack_on_armenia" in err


def test_an_overlay_is_given_by_name_and_refused_for_another_scenario(main):
    overlay = ("--overlay", "karabakh_attack_on_armenia")
    code, out, err = main("run", "karabakh_2020", *overlay, "--runs", "5", "--json")
    assert code == 0, err
    assert json.loads(out)["overlays"] == ["karabakh_attack_on_armenia"]
    code, _, err = main("run", "karabakh_2020", "--overlay", "wwii_germany_undefeated")
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert "applies_to: this overlay is written for another scenario" in err
    assert "wwii_coalition_1942_1948" in err


def test_a_wheel_carries_the_library_and_runs_it_from_anywhere(tmp_path):
    source = tmp_path / "source"
    for part in ("sim", "buildsys", "pyproject.toml", "README.md", "LICENSE"):
        copy = shutil.copytree if (ROOT / part).is_dir() else shutil.copy
        copy(ROOT / part, source / part)
    for cache in source.rglob("__pycache__"):
        shutil.rmtree(cache)
    build = [sys.executable, "-m", "pip", "wheel", ".", "--no-deps", "--no-build-isolation"]
    built = subprocess.run(
        [*build, "-w", str(tmp_path / "dist")], cwd=source, capture_output=True, env=_front_end()
    )
    assert built.returncode == 0, built.stderr
    wheel = next((tmp_path / "dist").glob("*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for path in [*SCENARIOS.glob("*.yaml"), *SCENARIOS.glob("counterfactuals/*.yaml")]:
        assert f"sim/scenarios/{path.relative_to(SCENARIOS)}" in names
    installed = tmp_path / "installed"
    zipfile.ZipFile(wheel).extractall(installed)
    code = "import sim, sim.cli; print(sim.__file__); sim.cli.main(['run', 'suez_1956'])"
    env = {**os.environ, "PYTHONPATH": str(installed)}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(str(installed)) and "USA for UKG" in result.stdout


def _front_end() -> dict[str, str]:
    """The environment of a wheel's build: the web view's front end from the set-up's cache
    when it holds it (tests/test_wheel.py checks the wheel's), else from the npm registry."""
    try:
        from sim.web import assets

        if not assets.missing():
            return {**os.environ, "ALLIANCE_SIM_FRONTEND_FROM": str(assets.cache_dir())}
    except ImportError:  # no web extra: the build asks npm
        pass
    return dict(os.environ)
