"""Write the documentation's generated pages, so that they cannot drift from the code.

Run by mkdocs-gen-files at every ``mkdocs build``:

* ``reference/cli.md``: every command's ``--help``, from the argparse parsers themselves;
* ``reference/scenario-schema.md``: every field of a scenario and an overlay file, from the
  pydantic models the loader validates with (type, whether required, default, range);
* ``reference/sources.md``: the data sources, from the ``SOURCES.md`` the package carries;
* ``changelog.md``: the repository's ``CHANGELOG.md``;
* ``index.md``: the repository's ``README.md``, its links made relative to this site.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

import mkdocs_gen_files

ROOT = Path(__file__).resolve().parent.parent
PROGRAM = "alliance-sim"


def cli_reference() -> str:
    """Return every command's help as the parsers print it."""
    from sim.cli import _parser

    os.environ["COLUMNS"] = "100"  # argparse wraps to the terminal: fix the width
    top = _parser()
    top.prog = PROGRAM
    out = [
        "# CLI reference",
        "",
        "Every command's options, as `alliance-sim COMMAND --help` prints them (generated from",
        "the parsers at each build of this site). [The commands](../commands.md) describe what",
        "each prints and writes. `run.py` in a checkout is the same program.",
        "",
        "```text",
        top.format_help().rstrip(),
        "```",
    ]
    for name, parser in _commands(top).items():
        parser.prog = f"{PROGRAM} {name}"
        out += ["", f"## {name}", "", "```text", parser.format_help().rstrip(), "```"]
    return "\n".join(out) + "\n"


def _commands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def schema_reference() -> str:
    """Return every model of the scenario and overlay files as tables of their fields."""
    from sim.scenario.schema import OverlaySpec, ScenarioSpec

    out = [
        "# Scenario schema reference",
        "",
        "Every field of a scenario file (`ScenarioSpec`, the file's top level) and of a",
        "counterfactual overlay (`OverlaySpec`), generated at each build of this site from the",
        "pydantic models that validate them, so it cannot drift from the loader.",
        "[Scenarios and their format](../scenario-format.md) explains them with an example.",
        "Unknown fields are refused.",
    ]
    seen: set[str] = set()
    for model in (ScenarioSpec, OverlaySpec):
        schema = model.model_json_schema(mode="validation", ref_template="#{model}")
        defs = schema.pop("$defs", {})
        for name, part in [(model.__name__, schema), *sorted(defs.items())]:
            if name not in seen:
                seen.add(name)
                out += _model_section(name, part)
    return "\n".join(out) + "\n"


def _model_section(name: str, part: dict[str, Any]) -> list[str]:
    doc = " ".join((part.get("description") or "").split())
    lines = ["", f"## {name}", "", doc] if doc else ["", f"## {name}"]
    properties = part.get("properties", {})
    if not properties:
        return [*lines, "", f"One of: {_type(part)}."]
    required = set(part.get("required", []))
    lines += ["", "| field | type | required | default |", "| --- | --- | --- | --- |"]
    for field, spec in properties.items():
        default = f"`{spec['default']!r}`" if "default" in spec else ""
        cells = [f"`{field}`", _type(spec), "yes" if field in required else "", default]
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return lines


def _type(spec: dict[str, Any]) -> str:
    """Return a JSON schema's type in words, with links to the models it names."""
    if "$ref" in spec:
        target = spec["$ref"].lstrip("#")
        return f"[{target}](#{target.lower()})"
    for key in ("anyOf", "oneOf", "allOf"):
        if key in spec:
            kinds = [_type(s) for s in spec[key] if s.get("type") != "null"]
            by = spec.get("discriminator", {}).get("propertyName")
            return (f"by `{by}`: " if by else "") + (" or ".join(dict.fromkeys(kinds)) or "null")
    if "enum" in spec:
        return "one of " + ", ".join(f"`{v}`" for v in spec["enum"])
    if "const" in spec:
        return f"`{spec['const']}`"
    kind = spec.get("type", "any")
    if kind == "array":
        return f"list of {_type(spec.get('items', {}))}"
    if kind == "object" and isinstance(spec.get("additionalProperties"), dict):
        return f"map to {_type(spec['additionalProperties'])}"
    if kind == "object" and spec.get("patternProperties"):
        ((pattern, value),) = list(spec["patternProperties"].items())[:1]
        return f"map of ids (`{pattern}`) to {_type(value)}"
    bounds = [
        f"{word} {spec[key]}"
        for key, word in (("minimum", ">="), ("exclusiveMinimum", ">"), ("maximum", "<="),
                          ("exclusiveMaximum", "<"), ("minLength", "length >="))
        if key in spec
    ]  # fmt: skip
    shown = {"number": "number", "integer": "integer", "string": "text", "boolean": "true/false"}
    fmt = f" ({spec['format']})" if "format" in spec else ""
    return shown.get(kind, kind) + fmt + (f" ({', '.join(bounds)})" if bounds else "")


def _write(path: str, text: str) -> None:
    with mkdocs_gen_files.open(path, "w") as page:
        page.write(text)


_write("reference/cli.md", cli_reference())
_write("reference/scenario-schema.md", schema_reference())
sources = (ROOT / "sim" / "datasets" / "SOURCES.md").read_text()
_write("reference/sources.md", sources)
_write("changelog.md", (ROOT / "CHANGELOG.md").read_text())


def home() -> str:
    """Return the README as the site's home page: its links made relative to ``docs/``."""
    readme = (ROOT / "README.md").read_text()
    return readme.replace("](docs/", "](").replace("](CHANGELOG.md)", "](changelog.md)")


_write("index.md", home())
