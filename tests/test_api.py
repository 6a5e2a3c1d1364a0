"""The public API: what ``import sim`` offers, and nothing else, by name."""

from __future__ import annotations

import importlib
from types import ModuleType

import sim

PUBLIC = [
    "AllianceModel",
    "InputError",
    "ParameterError",
    "Params",
    "RunSet",
    "Scenario",
    "ScenarioError",
    "load",
    "replicate",
]


def test_all_is_exactly_the_public_names_sorted():
    assert sim.__all__ == PUBLIC
    assert sim.__all__ == sorted(sim.__all__)


def test_every_public_member_is_exported():
    members = [
        name
        for name in dir(sim)  # the public names are imported on first use (PEP 562)
        if not name.startswith("_") and not isinstance(getattr(sim, name), ModuleType)
    ]
    assert sorted(members) == sim.__all__


def test_every_public_name_resolves():
    for name in sim.__all__:
        assert getattr(sim, name) is not None, name
        assert getattr(importlib.import_module("sim"), name) is getattr(sim, name)


def test_the_version_is_the_package_s():
    assert sim.__version__ == "0.1.0"


def test_the_documented_writers_stay_under_sim_results():
    from sim import results

    for name in ("table_metadata", "write_atomic", "write_table", "save", "ChunkStore"):
        assert callable(getattr(results, name)), name
