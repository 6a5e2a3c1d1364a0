"""What a user installing or citing the tool finds: one version, a licence, a citation."""

from __future__ import annotations

import tomllib

from ruamel.yaml import YAML

import sim

from conftest import ROOT


def test_one_version_everywhere(main):
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    citation = YAML(typ="safe").load((ROOT / "CITATION.cff").read_text())
    assert project["version"] == sim.__version__ == str(citation["version"])
    code, out, _ = main("--version")
    assert code == 0 and out.strip() == f"alliance-sim {sim.__version__}"


def test_the_licence_the_project_declares_is_in_the_repository():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["license"] == "MIT" and project["license-files"] == ["LICENSE"]
    assert (ROOT / "LICENSE").read_text().startswith("MIT License")
    citation = YAML(typ="safe").load((ROOT / "CITATION.cff").read_text())
    assert citation["license"] == "MIT"
    assert any("Bordachev" in str(r["authors"]) for r in citation["references"])
