"""The command line: ``run.py`` and the ``alliance-sim`` console script.

Commands:

* ``list`` — the scenarios, one line each;
* ``run SCENARIO`` — replay a scenario: every commitment called, with P(honour), outcome,
  history and the factors that weighed most; alliances and how they ended;
* ``explain SCENARIO DECISION`` — every factor of one decision, in words;
* ``params`` — every parameter with its default, range, unit and meaning.

Bad input (a malformed scenario, an unknown parameter) prints one line naming the file,
the field path and the line, and exits with code 2, never with a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sim import cow, results, summary
from sim import explain as explaining
from sim import params as parameters
from sim import scorecard as scoring
from sim.errors import InputError
from sim.runs import RunSet, replicate
from sim.scenario import load, scenario_files

EXIT_INPUT = 2
SCENARIOS = Path("scenarios")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return int(args.command(args))
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_INPUT
    except LookupError as exc:
        print(f"error: {exc.args[0] if exc.args else exc}", file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="run.py", description="Alliances that form, hold and fail: replay historical cases."
    )
    sub = parser.add_subparsers(required=True, metavar="COMMAND")
    listing = sub.add_parser("list", help="list the scenarios")
    listing.add_argument("--dir", type=Path, default=SCENARIOS, help="scenarios folder")
    listing.set_defaults(command=cmd_list)
    run = sub.add_parser("run", help="replay a scenario and show every decision")
    _scenario_options(run)
    run.add_argument("--out", type=Path, help="write the run's tables and metadata here")
    run.add_argument("--json", action="store_true", help="print one JSON object")
    run.set_defaults(command=cmd_run)
    why = sub.add_parser("explain", help="explain one decision factor by factor")
    _scenario_options(why)
    why.add_argument(
        "decision",
        help="war:guarantor:partner as `run` shows it (or a unique prefix), a guarantor, a number",
    )
    why.add_argument("--json", action="store_true", help="print one JSON object")
    why.set_defaults(command=cmd_explain)
    check = sub.add_parser("check", help="score the model against every scenario's history")
    check.add_argument("--runs", type=_positive, default=100, help="Monte Carlo runs (100)")
    check.add_argument("--seed", type=int, default=0, help="random seed (0)")
    check.add_argument("--set", action="append", default=[], metavar="NAME=VALUE")
    check.add_argument("--params", type=Path, help="a YAML file of parameter: value")
    check.add_argument("--dir", type=Path, default=SCENARIOS, help="scenarios folder")
    check.add_argument("--json", action="store_true", help="print one JSON object")
    check.set_defaults(command=cmd_check)
    figures = sub.add_parser("figures", help="sourced COW figures of states in a year, as YAML")
    figures.add_argument("year", type=int)
    figures.add_argument("states", nargs="+", metavar="STATE")
    figures.set_defaults(command=cmd_figures)
    table = sub.add_parser("params", help="list every parameter with its default and range")
    table.add_argument("--json", action="store_true", help="print one JSON object")
    table.set_defaults(command=cmd_params)
    return parser


def _scenario_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("scenario", help="a scenario file, or a scenario's name")
    parser.add_argument("--runs", type=_positive, default=200, help="Monte Carlo runs (200)")
    parser.add_argument(
        "--workers",
        type=_positive,
        default=1,
        help="worker processes (1); results do not depend on it",
    )
    parser.add_argument("--seed", type=int, default=0, help="random seed (0)")
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="change one parameter; repeatable",
    )
    parser.add_argument("--params", type=Path, help="a YAML file of parameter: value")
    parser.add_argument(
        "--overlay",
        action="append",
        default=[],
        type=Path,
        metavar="FILE",
        help="apply a counterfactual overlay; repeatable",
    )


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _scenario_path(name: str) -> Path:
    path = Path(name)
    if path.exists() or path.suffix:
        return path
    for candidate in (SCENARIOS / f"{name}.yaml", SCENARIOS / "counterfactuals" / f"{name}.yaml"):
        if candidate.exists():
            return candidate
    return path


def _replicate(args: argparse.Namespace) -> RunSet:
    scenario = load(_scenario_path(args.scenario), args.overlay)
    overrides = parameters.load_file(args.params) if args.params else None
    params = parameters.build(overrides, args.set)
    store = None
    if getattr(args, "out", None):
        key = results.run_key(
            {
                "scenario": scenario.spec.model_dump(mode="json"),
                "overlays": scenario.overlays,
                "parameters": params.as_dict(),
                "seed": args.seed,
                "runs": args.runs,
            }
        )
        store = results.ChunkStore(args.out, key)
    return replicate(
        scenario, params, seed=args.seed, runs=args.runs, workers=args.workers, checkpoint=store
    )


# --- list ---------------------------------------------------------------------------------


def cmd_list(args: argparse.Namespace) -> int:
    """Print the scenarios of a folder with a one-line summary each."""
    rows = []
    for path in scenario_files(args.dir):
        spec = load(path).spec
        years = f"{spec.start.year}-{spec.end.year}"
        rows.append([path.stem, years, ",".join(spec.propositions), spec.summary])
    print(_table(["scenario", "years", "shows", "summary"], rows))
    counterfactuals = sorted((args.dir / "counterfactuals").glob("*.yaml"))
    if counterfactuals:
        print("\ncounterfactual overlays (--overlay FILE, or run them by name):")
        for path in counterfactuals:
            print(f"  {path.stem}: {load(path).overlay_titles[0]}")
    return 0


# --- run ----------------------------------------------------------------------------------


def cmd_run(args: argparse.Namespace) -> int:
    """Replay a scenario and print its decisions and alliances."""
    runset = _replicate(args)
    decisions, alliances = summary.decisions(runset), summary.alliances(runset)
    written = results.save(runset, args.out) if args.out else []
    if args.json:
        print(json.dumps(_run_json(runset, decisions, alliances, written), indent=2))
    else:
        print(_run_text(runset, decisions, alliances, written))
    return 0


def _run_json(
    runset: RunSet, decisions: Any, alliances: Any, written: list[Path]
) -> dict[str, Any]:
    spec = runset.scenario.spec
    return {
        "scenario": runset.scenario.name,
        "title": spec.title,
        "counterfactual": runset.scenario.counterfactual,
        "overlays": list(runset.scenario.overlays),
        "seed": runset.seed,
        "runs": runset.runs,
        "parameters": runset.params.as_dict(),
        "decisions": _records(decisions),
        "alliances": _records(alliances),
        "formed": _records(summary.formed(runset)),
        "outcomes": _records(summary.outcomes(runset)),
        "hedging": _records(summary.hedging(runset)),
        "polarity": summary.polarity(runset),
        "files": [str(p) for p in written],
    }


def _records(frame: Any) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = json.loads(frame.to_json(orient="records"))
    return records


def _run_text(runset: RunSet, decisions: Any, alliances: Any, written: list[Path]) -> str:
    sc, spec = runset.scenario, runset.scenario.spec
    lines = [f"{spec.title}  ({sc.name}; {runset.runs} runs, seed {runset.seed})"]
    if sc.counterfactual:
        for name, title in zip(sc.overlays, sc.overlay_titles, strict=True):
            lines.append(f"counterfactual {name}: {title}")
        lines.append("(history does not apply to a counterfactual)")
    lines += ["", "Commitments called (P(honour): mean and 90% interval over runs)"]
    rows = [
        [
            d["id"],
            d["date"],
            f"{d['guarantor']} for {d['partner']} vs {d['adversary']}",
            d["theatre"],
            f"{d['p_honour']:.2f} [{d['p_low']:.2f}-{d['p_high']:.2f}]",
            _likely(d),
            d["history"] or "-",
            _agree(d["agrees"]),
            _factors(d["top_factors"]),
        ]
        for _, d in decisions.iterrows()
    ]
    lines.append(
        _table(
            [
                "decision",
                "when",
                "who",
                "theatre",
                "P(honour)",
                "model",
                "history",
                "agree",
                "weighed most",
            ],
            rows,
        )
        if rows
        else "  (none)"
    )
    lines += ["", "Alliances (share of runs in which each ended)"]
    rows = [
        [
            a["alliance"],
            a["kind"],
            a["members"].replace(";", " "),
            "asym" if not a["symmetric"] else "equal",
            _share(a["p_ended"]),
            a["median_end"] or "-",
            a["reason"] or "-",
            _history_alliance(a),
        ]
        for _, a in alliances.iterrows()
    ]
    lines.append(
        _table(
            ["alliance", "kind", "members", "shape", "ended", "median end", "why", "history"], rows
        )
        if rows
        else "  (none)"
    )
    formed = summary.formed(runset)
    for _, f in formed.iterrows():
        lines.append(
            f"  formed during the run: {f['members'].replace(';', '+')} against "
            f"{f['common_enemy']} in {_share(f['p_formed'])} of runs"
        )
    lines += _outcome_lines(summary.outcomes(runset))
    hedging = summary.hedging(runset)
    if not hedging.empty:
        lines += ["", "Hedging: how much closer each courted state stands to its closest patron"]
        lines += [
            f"  {h['state']}: {h['start']:.2f} at the start, {h['end']:.2f} at the end"
            for _, h in hedging.iterrows()
        ]
    poles = summary.polarity(runset)
    lines.append(f"\nSystem poles at the start: {poles['start'] or '-'}")
    if poles["p_changed"]:
        lines.append(
            f"  polarity changed in {_share(poles['p_changed'])} of runs, most often "
            f"into {poles['after']}: a change of the system's structure"
        )
    lines += ["", f"Explain a decision: run.py explain {sc.path} DECISION"]
    lines += [f"wrote {p}" for p in written]
    return "\n".join(lines)


OUTCOME_WORDS = {
    "membership": (
        "Institutions: value of membership at the end (saving less voice given up)",
        "stays in",
    ),
    "sanction": ("Sanctions: the target's loss of power", "critical in"),
    "presence": ("Foreign presence at the end of its term (host's P(renew))", "continues in"),
}


def _outcome_lines(table: Any) -> list[str]:
    lines: list[str] = []
    for kind, (title, verb) in OUTCOME_WORDS.items():
        rows = table[table["kind"] == kind]
        if rows.empty:
            continue
        lines += ["", title]
        lines += [
            f"  {r['subject']} / {r['state']}: {r['value']:+.3f}; {verb} "
            f"{_share(r['p_result'])} of runs"
            for _, r in rows.iterrows()
        ]
    return lines


def _share(x: float) -> str:
    return f"{x:.1%}" if 0 < x < 0.1 else f"{x:.0%}"


def _likely(d: Any) -> str:
    share = d[f"p_{d['outcome']}"]
    return f"{d['outcome']} ({share:.0%})"


def _agree(agrees: Any) -> str:
    return "-" if agrees is None else ("yes" if agrees else "NO")


def _factors(top: list[tuple[str, float]]) -> str:
    return ", ".join(f"{name} {value:+.1f}" for name, value in top)


def _history_alliance(a: Any) -> str:
    if not a["history_reason"]:
        return "-"
    return f"ended {a['history_end']} ({a['history_reason']})" if a["history_end"] else "held"


# --- explain ------------------------------------------------------------------------------


def cmd_explain(args: argparse.Namespace) -> int:
    """Print every factor of one decision with its value, weight and contribution."""
    runset = _replicate(args)
    exp = explaining.explain(runset, args.decision)
    if args.json:
        print(json.dumps(_explain_json(exp), indent=2))
    else:
        print(_explain_text(exp, runset))
    return 0


def _explain_json(exp: explaining.Explanation) -> dict[str, Any]:
    return {
        "decision": exp.decision,
        "guarantor": exp.guarantor,
        "partner": exp.partner,
        "adversary": exp.adversary,
        "theatre": exp.theatre,
        "date": exp.date,
        "runs": exp.runs,
        "p_honour": exp.p_honour,
        "p_low": exp.p_low,
        "p_high": exp.p_high,
        "outcomes": exp.outcomes,
        "logit": exp.logit,
        "commitments": [
            {"id": c, "kind": k, "covers_theatre": cov} for c, k, cov in exp.commitments
        ],
        "factors": [vars(f) for f in exp.factors],
    }


def _explain_text(exp: explaining.Explanation, runset: RunSet) -> str:
    names = dict(zip(runset.world.ids, runset.world.names, strict=True))
    g, p, a = names[exp.guarantor], names[exp.partner], names[exp.adversary]
    w = runset.world
    theatre = w.territory_names[w.territory_ids.index(exp.theatre)]
    lines = [
        f"Will {g} fight for {p} against {a} in {theatre} ({exp.date})?",
        f"P(honour) = {exp.p_honour:.3f} (90% of runs: {exp.p_low:.3f}-{exp.p_high:.3f}); "
        "outcomes: " + ", ".join(f"{o} {s:.0%}" for o, s in exp.outcomes.items()),
        "",
    ]
    if exp.commitments:
        for cid, kind, covers in exp.commitments:
            where = "covers" if covers else "does NOT cover"
            lines.append(f"  {cid} ({kind}) binds {g} to {p} and {where} {exp.theatre}")
    else:
        lines.append(f"  no commitment in force binds {g} to {p}")
    lines += ["", "Factor by factor (value x weight = contribution to the log-odds):"]
    rows = [
        [f.name, f.group, f"{f.value:.3f}", f"{f.weight:+.2f}", f"{f.contribution:+.3f}", f.meaning]
        for f in exp.factors
    ]
    lines.append(_table(["factor", "kind", "value", "weight", "contribution", "meaning"], rows))
    lines += [
        "",
        f"Sum of contributions (log-odds): {exp.logit:+.3f}; "
        "positive pushes towards fighting, negative against.",
        _verdict(exp, g),
    ]
    return "\n".join(lines)


def _verdict(exp: explaining.Explanation, guarantor: str) -> str:
    stakes = sorted(
        (f for f in exp.factors if f.group != "intercept"), key=lambda f: -abs(f.contribution)
    )
    pro = [f.name for f in stakes if f.contribution > 0][:2]
    con = [f.name for f in stakes if f.contribution < 0][:2]
    return (
        f"What moved {guarantor} most: for fighting, {', '.join(pro) or 'nothing'}; "
        f"against, {', '.join(con) or 'nothing'}."
    )


# --- check --------------------------------------------------------------------------------


def cmd_check(args: argparse.Namespace) -> int:
    """Run every scenario and print the history scorecard."""
    overrides = parameters.load_file(args.params) if args.params else None
    params = parameters.build(overrides, args.set)
    card = scoring.scorecard(scenario_files(args.dir), params, args.runs, args.seed)
    if args.json:
        print(json.dumps(card.as_dict(), indent=2))
        return 0
    rows = [
        [
            c.scenario,
            c.what,
            f"{c.p_model:.2f}",
            "yes" if c.history else "no",
            "right" if c.right else "WRONG",
            f"{c.brier:.3f}",
            c.detail,
        ]
        for c in card.cases
    ]
    print(
        _table(
            ["scenario", "outcome", "model P", "happened", "side of 0.5", "Brier", "detail"], rows
        )
    )
    print(
        f"\n{card.right} of {card.n} outcomes on the right side of 0.5; "
        f"mean Brier score {card.brier:.3f} ({args.runs} runs each, seed {args.seed})\n"
    )
    print(
        _table(
            ["scenario", "demonstrates"],
            [[name, ", ".join(props)] for name, props in card.propositions.items()],
        )
    )
    return 0


# --- figures ------------------------------------------------------------------------------


def cmd_figures(args: argparse.Namespace) -> int:
    """Print the sourced figures of states in a year, ready to paste into a scenario."""
    among = tuple(args.states)
    for state in among:
        try:
            f = cow.figures(state, args.year, among)
        except KeyError as exc:
            raise InputError("figures", state, "expected a COW state abbreviation") from exc
        print(f"  {state}:")
        print(f"    power: {f.cinc}")
        if f.nuclear:
            print("    nuclear: true")
        if f.capital:
            print(f"    capital: {{city: {f.capital}, lat: {f.lat}, lng: {f.lng}}}")
        if f.borders:
            print(f"    borders: [{', '.join(f.borders)}]")
        print(f'    source: "{f.source()}"')
    return 0


# --- params -------------------------------------------------------------------------------


def cmd_params(args: argparse.Namespace) -> int:
    """Print every parameter's declaration."""
    specs = parameters.specs()
    if args.json:
        print(json.dumps([vars(s) for s in specs], indent=2))
        return 0
    rows = [[s.name, f"{s.default:g}", f"{s.low:g}..{s.high:g}", s.unit, s.meaning] for s in specs]
    print(_table(["parameter", "default", "range", "unit", "meaning"], rows))
    return 0


def _table(header: list[str], rows: list[list[Any]]) -> str:
    """Render rows as a plain text table with aligned columns."""
    cells = [header, *[[str(c) for c in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    render = [
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells
    ]
    render.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(render)
