"""The command line: ``run.py`` and the ``alliance-sim`` console script.

Commands:

* ``list`` — the scenarios, one line each;
* ``run SCENARIO`` — replay a scenario: every commitment called, with P(honour), outcome,
  history and the factors that weighed most; alliances and how they ended;
* ``explain SCENARIO DECISION`` — every factor of one decision, in words;
* ``params`` — every parameter with its default, range, unit and meaning;
* ``world`` and ``backtest`` — the open world from the data, and the back-test against every
  interstate war 1816-2003 (:mod:`sim.worldcli`);
* ``check``, ``survival``, ``plot``, ``sweep``, ``sensitivity``, ``tune``, ``figures`` — the
  scorecard, alliance survival, figures, parameter studies, calibration and data look-ups.

Bad input (a malformed scenario, an unknown parameter) prints one line naming the file,
the field path and the line, and exits with code 2, never with a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sim import worldcli
from sim.analysis import explain as explaining
from sim.analysis import scorecard as scoring
from sim.analysis import summary, survival
from sim.clitypes import parameters_from, positive
from sim.errors import InputError
from sim.history import cow
from sim.model import params as parameters
from sim.results import files as results
from sim.results.runs import RunSet, replicate
from sim.scenario.loading import load, scenario_files
from sim.texttable import table as _table

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
    except BrokenPipeError:  # the reader stopped (``run.py ... | head``): nothing to report
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


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
    run.add_argument(
        "--plots",
        action="store_true",
        help="with --out: also draw the usual figures into OUT/plots",
    )
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
    check.add_argument("--runs", type=positive, default=100, help="Monte Carlo runs (100)")
    check.add_argument("--seed", type=int, default=0, help="random seed (0)")
    check.add_argument("--set", action="append", default=[], metavar="NAME=VALUE")
    check.add_argument("--params", type=Path, help="a YAML file of parameter: value")
    check.add_argument("--dir", type=Path, default=SCENARIOS, help="scenarios folder")
    check.add_argument("--json", action="store_true", help="print one JSON object")
    check.set_defaults(command=cmd_check)
    surv = sub.add_parser("survival", help="alliance survival: Kaplan-Meier, Cox, competing risks")
    surv.add_argument(
        "runs_dirs",
        nargs="*",
        type=Path,
        metavar="RUN_DIR",
        help="run folders written by `run --out`",
    )
    surv.add_argument("--data", choices=["atop"], help="analyse the real alliances (ATOP v4.01)")
    surv.add_argument("--by", choices=list(survival.GROUPINGS), help="group the curves")
    surv.add_argument(
        "--compare",
        action="store_true",
        help="overlay simulated (RUN_DIR) and historical (ATOP) curves",
    )
    surv.add_argument("--out", type=Path, default=Path("survival"), help="figures folder")
    surv.add_argument("--json", action="store_true", help="print one JSON object")
    surv.set_defaults(command=cmd_survival)
    plot = sub.add_parser("plot", help="draw one figure: timeline, network, waterfall, honour")
    plot.add_argument("kind", choices=["timeline", "network", "waterfall", "honour"])
    plot.add_argument("target", help="a run folder (timeline, network) or a scenario")
    plot.add_argument("decision", nargs="?", help="for waterfall: the decision")
    plot.add_argument("--run", type=int, default=0, help="which replication (timeline, network)")
    plot.add_argument("--period", help="for network: the period label (default: the first)")
    _replication_options(plot)
    plot.add_argument("--out", type=Path, default=Path("plots"), help="figures folder")
    plot.set_defaults(command=cmd_plot)
    sweep = sub.add_parser("sweep", help="a grid or Latin hypercube over declared parameters")
    sweep.add_argument("scenario", help="a scenario file, or a scenario's name")
    sweep.add_argument(
        "--param",
        action="append",
        required=True,
        metavar="NAME=LOW:HIGH:STEPS",
        help="a parameter and its values; repeatable",
    )
    sweep.add_argument("--lhs", type=positive, help="a Latin hypercube of N points instead")
    _point_options(sweep, runs=50, out="sweep")
    sweep.set_defaults(command=cmd_sweep)
    sens = sub.add_parser("sensitivity", help="Sobol or Morris indices with SALib")
    sens.add_argument("scenario")
    sens.add_argument("--method", choices=["sobol", "morris"], default="sobol")
    sens.add_argument("--params", dest="names", help="comma-separated parameter names")
    sens.add_argument("--samples", type=positive, default=64, help="base sample size N (64)")
    _point_options(sens, runs=20, out="sensitivity")
    sens.add_argument("--json", action="store_true")
    sens.set_defaults(command=cmd_sensitivity)
    tune = sub.add_parser("tune", help="calibrate parameters against history (optuna, TPE)")
    tune.add_argument("--target", choices=["scenarios", "backtest", "both"], default="scenarios")
    tune.add_argument("--trials", type=positive, default=30)
    tune.add_argument("--runs", type=positive, default=20, help="runs per scenario per trial")
    tune.add_argument("--seed", type=int, default=0)
    tune.add_argument("--tune", dest="names", help="comma-separated parameters to tune")
    tune.add_argument("--dir", type=Path, default=SCENARIOS)
    tune.add_argument("--storage", help="an optuna journal file or database URL, to share a study")
    tune.add_argument("--study", default="alliance-sim", help="the study's name in the storage")
    tune.add_argument("--cv", action="store_true", help="also leave-one-scenario-out fits")
    tune.add_argument("--out", type=Path, default=Path("tuned.yaml"))
    tune.add_argument("--json", action="store_true")
    tune.set_defaults(command=cmd_tune)
    worldcli.add_parsers(sub)
    figures = sub.add_parser("figures", help="sourced COW figures of states in a year, as YAML")
    figures.add_argument("year", type=int)
    figures.add_argument("states", nargs="+", metavar="STATE")
    figures.set_defaults(command=cmd_figures)
    table = sub.add_parser("params", help="list every parameter with its default and range")
    table.add_argument("--json", action="store_true", help="print one JSON object")
    table.set_defaults(command=cmd_params)
    return parser


def _point_options(parser: argparse.ArgumentParser, *, runs: int, out: str) -> None:
    """Options of the commands that run many parameter points (sweep, sensitivity)."""
    parser.add_argument("--runs", type=positive, default=runs, help=f"runs per point ({runs})")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", type=positive, default=1)
    parser.add_argument("--scheduler", help="a Dask scheduler address, e.g. tcp://host:8786")
    parser.add_argument("--overlay", action="append", default=[], type=Path)
    parser.add_argument("--metric", help="the quantity shown (default: the first P(honour))")
    parser.add_argument("--out", type=Path, default=Path(out), help="results folder")


def _scenario_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("scenario", help="a scenario file, or a scenario's name")
    _replication_options(parser)


def _replication_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--runs", type=positive, default=200, help="Monte Carlo runs (200)")
    parser.add_argument(
        "--workers",
        type=positive,
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


def _scenario_path(name: str) -> Path:
    path = Path(name)
    if path.exists() or path.suffix:
        return path
    for candidate in (SCENARIOS / f"{name}.yaml", SCENARIOS / "counterfactuals" / f"{name}.yaml"):
        if candidate.exists():
            return candidate
    return path


def _replicate(args: argparse.Namespace, *, keep_in: Path | None = None) -> RunSet:
    """Replicate the scenario the arguments name; keep finished chunks in ``keep_in``."""
    scenario = load(_scenario_path(args.scenario), args.overlay)
    params = parameters_from(args)
    store = None
    if keep_in is not None:
        key = results.run_key(
            {
                "scenario": scenario.spec.model_dump(mode="json"),
                "overlays": scenario.overlays,
                "parameters": params.as_dict(),
                "seed": args.seed,
                "runs": args.runs,
            }
        )
        store = results.ChunkStore(keep_in, key)
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
    runset = _replicate(args, keep_in=args.out)
    decisions, alliances = summary.decisions(runset), summary.alliances(runset)
    written = results.save(runset, args.out) if args.out else []
    if args.plots and args.out:
        written += _usual_plots(runset, Path(args.out))
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


# --- survival and plots -------------------------------------------------------------------


def cmd_survival(args: argparse.Namespace) -> int:
    """Analyse alliance survival in run folders, in ATOP, or both side by side."""
    sets = _spell_sets(args)
    from sim.plots import common as figures
    from sim.plots import survival as survival_plots

    out, written, report = args.out, [], {}
    groups = [
        g
        for label, spells in sets.items()
        for g in survival.kaplan_meier(spells, args.by, f"{label}: " if args.by else label)
    ]
    title = "Alliance survival" + (f" by {args.by}" if args.by else "") + ": " + " vs ".join(sets)
    written += figures.save(survival_plots.survival(groups, title), out / "survival")
    for label, spells in sets.items():
        report[label] = _survival_report(spells, args.by)
        curves = survival.cumulative_incidence(spells)
        if len(curves) > 1:
            written += figures.save(
                survival_plots.incidence(curves, f"Why alliances ended: {label}"),
                out / f"incidence_{_slug(label)}",
            )
    groups_json = [
        {
            "name": g.name,
            "n": g.n,
            "events": g.events,
            "median": _num(g.median),
            "median_lower": _num(g.lower),
            "median_upper": _num(g.upper),
        }
        for g in groups
    ]
    if args.json:
        print(
            json.dumps(
                {"groups": groups_json, "analyses": report, "figures": [str(p) for p in written]},
                indent=2,
            )
        )
        return 0
    print(
        _table(
            ["group", "n", "ended", "median (years)", "95% CI"],
            [
                [
                    g["name"],
                    g["n"],
                    g["events"],
                    _fmt(g["median"]),
                    f"{_fmt(g['median_lower'])}-{_fmt(g['median_upper'])}",
                ]
                for g in groups_json
            ],
        )
    )
    for label, found in report.items():
        print(f"\n{label}: log-rank {found['logrank']}")
        if found["cox"]:
            print(
                _table(
                    ["covariate", "hazard ratio", "95% CI", "p"],
                    [
                        [
                            c,
                            f"{r['hazard_ratio']:.2f}",
                            f"{r['lower']:.2f}-{r['upper']:.2f}",
                            f"{r['p']:.3g}",
                        ]
                        for c, r in found["cox"].items()
                    ],
                )
            )
    print("\n" + "\n".join(f"wrote {p}" for p in written))
    return 0


def _spell_sets(args: argparse.Namespace) -> dict[str, Any]:
    sets: dict[str, Any] = {}
    if args.runs_dirs:
        sets["simulated"] = survival.from_runs(args.runs_dirs)
    if args.data == "atop" or args.compare:
        sets["ATOP v4.01"] = survival.from_atop()
    if not sets:
        raise InputError("survival", "RUN_DIR", "expected run folders, --data atop, or both")
    if args.compare and "simulated" not in sets:
        raise InputError("survival", "--compare", "expected run folders to compare with ATOP")
    return sets


def _survival_report(spells: Any, by: str | None) -> dict[str, Any]:
    test = survival.logrank(spells, by) if by else None
    cox = survival.cox(spells)
    return {
        "logrank": "-"
        if test is None
        else f"chi2 {test['statistic']:.1f} on {test['groups'] - 1} df, p = {test['p_value']:.3g}",
        "cox": {str(k): {c: float(v) for c, v in row.items()} for k, row in cox.iterrows()},
    }


def _num(x: float) -> float | None:
    return None if x != x or x == float("inf") else x


def _fmt(x: Any) -> str:
    return "not reached" if x is None else f"{x:.1f}"


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() else "_" for c in text.lower()).strip("_")


def cmd_plot(args: argparse.Namespace) -> int:
    """Draw one figure."""
    from sim.plots import alliances as alliance_plots
    from sim.plots import common as figures

    if args.kind in ("timeline", "network"):
        folder = Path(args.target)
        meta, alliances, states = _run_folder(folder)
        if args.kind == "timeline":
            rows = alliances[alliances["run"] == args.run]
            figure = alliance_plots.timeline(
                rows, meta["periods"], f"Alliances of {meta['scenario']} (run {args.run})"
            )
        else:
            figure = _network_figure(meta, alliances, states, args.run, args.period)
        stem = args.out / f"{args.kind}_{meta['scenario']}"
    else:
        runset = _replicate(argparse.Namespace(**{**vars(args), "scenario": args.target}))
        figure, stem = _decision_figure(runset, args.kind, args.decision, args.out)
    for path in figures.save(figure, stem):
        print(f"wrote {path}")
    return 0


def _run_folder(folder: Path) -> tuple[dict[str, Any], Any, Any]:
    import pandas as pd

    meta_path = folder / "metadata.json"
    if not meta_path.exists():
        raise InputError(str(folder), "", "expected a run folder written by `run --out`")
    meta = json.loads(meta_path.read_text())
    return (
        meta,
        pd.read_parquet(folder / "alliances.parquet"),
        pd.read_parquet(folder / "states.parquet"),
    )


def _network_figure(
    meta: dict[str, Any], alliances: Any, states: Any, run: int, period: str | None
) -> Any:
    from sim.plots import alliances as alliance_plots

    label = period or meta["periods"][0]
    if label not in meta["periods"]:
        raise InputError("--period", label, f"expected one of {', '.join(meta['periods'])}")
    t = meta["periods"].index(label)
    at = states[(states["run"] == run) & (states["period"] == t)].copy()
    at["lat"] = [meta["capitals"][s][0] for s in at["state"]]
    at["lng"] = [meta["capitals"][s][1] for s in at["state"]]
    alive = alliances[
        (alliances["run"] == run) & (alliances["start_period"] <= t) & (alliances["end_period"] > t)
    ]
    return alliance_plots.network(at, alive, f"Alliances in force, {meta['scenario']}, {label}")


def _decision_figure(runset: RunSet, kind: str, decision: str | None, out: Path) -> Any:
    from sim.plots import decisions as decision_plots

    if kind == "honour":
        d = runset.decisions.assign(decision=runset.decisions.apply(summary.decision_id, axis=1))
        title = f"P(honour) across {runset.runs} runs: {runset.scenario.spec.title}"
        return decision_plots.honour_distribution(d, title), out / f"honour_{runset.scenario.name}"
    if decision is None:
        raise InputError("plot waterfall", "DECISION", "expected a decision, as `run` shows it")
    exp = explaining.explain(runset, decision)
    names = dict(zip(runset.world.ids, runset.world.names, strict=True))
    stem = out / f"waterfall_{_slug(exp.decision)}"
    return decision_plots.waterfall(exp, names), stem


def _usual_plots(runset: RunSet, out: Path) -> list[Path]:
    """The usual set beside a run's tables: timeline, networks, P(honour), waterfalls."""
    from sim.plots import alliances as alliance_plots
    from sim.plots import common as figures

    folder, written = out / "plots", []
    meta, alliances, states = _run_folder(out)
    if len(alliances):
        first = alliances[alliances["run"] == 0]
        written += figures.save(
            alliance_plots.timeline(
                first, meta["periods"], f"Alliances of {meta['scenario']} (run 0)"
            ),
            folder / "timeline",
        )
        for label in (meta["periods"][0], meta["periods"][-1]):
            figure = _network_figure(meta, alliances, states, 0, label)
            written += figures.save(figure, folder / f"network_{_slug(label)}")
    if len(runset.decisions):
        figure, _ = _decision_figure(runset, "honour", None, folder)
        written += figures.save(figure, folder / "honour")
        for key in list(dict.fromkeys(runset.decisions.apply(summary.decision_id, axis=1)))[:6]:
            figure, stem = _decision_figure(runset, "waterfall", key, folder)
            written += figures.save(figure, stem)
    return written


# --- sweeps, sensitivity, calibration -----------------------------------------------------


def _run_points(args: argparse.Namespace, jobs: list[Any], folder: Path) -> Any:
    from tqdm import tqdm

    from sim.analysis import tuning

    scenario = _scenario_path(args.scenario)
    load(scenario, args.overlay)  # bad input fails here, with its message, before any work
    target = tuning.Target(
        str(scenario), tuple(str(o) for o in args.overlay), {}, args.runs, args.seed
    )
    store = tuning.PointStore(folder, tuning.sweep_key(target, jobs))
    results.write_text(folder / "design.json", tuning.design_json(jobs))
    with (
        tqdm(total=len(jobs), unit="point", file=sys.stderr) as bar,
        tuning.executor_for(args.workers, args.scheduler) as executor,
    ):
        table = tuning.sweep(executor, target, jobs, store, progress=bar.update)
    results.write_table(folder / "points.parquet", table)
    return table


def _metric(table: Any, wanted: str | None) -> str:
    columns = [c for c in table.columns if ":" in c]
    if wanted:
        if wanted not in columns:
            raise InputError("--metric", wanted, f"expected one of {', '.join(columns)}")
        return wanted
    honour = [c for c in columns if c.startswith("p_honour:")]
    return (honour or columns)[0]


def cmd_sweep(args: argparse.Namespace) -> int:
    """Run a grid or Latin hypercube of points, in parallel, resumably."""
    from sim.analysis import tuning
    from sim.plots import common as figures
    from sim.plots import studies as study_plots

    ranges = [tuning.parse_range(text) for text in args.param]
    jobs = tuning.latin_hypercube(ranges, args.lhs, args.seed) if args.lhs else tuning.grid(ranges)
    table = _run_points(args, jobs, args.out)
    metric = _metric(table, args.metric)
    print(
        f"{len(table)} points in {args.out / 'points.parquet'}; {metric}: "
        f"{table[metric].min():.3f} to {table[metric].max():.3f}"
    )
    if len(ranges) == 2:
        x, y = ranges[0][0], ranges[1][0]
        figure = study_plots.heatmap(table, x, y, metric, f"{metric} over {x} and {y}")
        for path in figures.save(figure, args.out / "heatmap"):
            print(f"wrote {path}")
    return 0


def cmd_sensitivity(args: argparse.Namespace) -> int:
    """Sobol or Morris indices of the chosen parameters on one measured quantity."""
    from sim.analysis import sensitivity
    from sim.plots import common as figures
    from sim.plots import studies as study_plots

    names = args.names.split(",") if args.names else ["w_sites", "w_distance", "technology"]
    for name in names:
        if name not in parameters.SPECS:
            raise InputError("--params", name, "unknown parameter (run.py params lists them)")
    design = sensitivity.design(args.method, names, args.samples, args.seed)
    table = _run_points(args, design.jobs, args.out)
    metric = _metric(table, args.metric)
    indices = sensitivity.analyse(design, table.sort_values("point")[metric].to_numpy(), args.seed)
    notes = sensitivity.warnings(design, args.samples, indices)
    value, error = ("ST", "ST_conf") if args.method == "sobol" else ("mu_star", "mu_star_conf")
    figure = study_plots.bars(
        indices[value], indices[error], value, f"{args.method.title()} sensitivity of {metric}"
    )
    written = figures.save(figure, args.out / f"{args.method}_indices")
    if args.json:
        print(
            json.dumps(
                {
                    "metric": metric,
                    "indices": json.loads(indices.to_json(orient="index")),
                    "warnings": notes,
                    "figures": [str(p) for p in written],
                },
                indent=2,
            )
        )
        return 0
    print(f"{args.method} indices of {metric} ({len(table)} points):")
    print(indices.round(3).to_string())
    for note in notes:
        print(f"warning: {note}")
    return 0


def cmd_tune(args: argparse.Namespace) -> int:
    """Calibrate parameters against the scenarios' history; write tuned.yaml."""
    from sim.analysis import calibration
    from sim.plots import common as figures
    from sim.plots import studies as study_plots

    names = args.names.split(",") if args.names else list(calibration.DEFAULT_TUNED)
    for name in names:
        if name not in parameters.SPECS:
            raise InputError("--tune", name, "unknown parameter (run.py params lists them)")
    objective = _tune_loss(args)
    default = objective(parameters.Params())
    fit = calibration.tune(objective, names, args.trials, args.seed, args.storage, args.study)
    cv = (
        calibration.leave_one_out(
            scenario_files(args.dir), names, args.trials, args.runs, args.seed
        )
        if args.cv and args.target == "scenarios"
        else []
    )
    import pandas as pd

    written = figures.save(
        study_plots.optimisation_history(fit.history, "Calibration against history"),
        args.out.with_name(args.out.stem + "_history"),
    )
    if fit.importances:
        series = pd.Series(fit.importances).sort_values(ascending=False)
        written += figures.save(
            study_plots.bars(
                series, None, "importance (PED-ANOVA)", "Which parameters the fit depends on"
            ),
            args.out.with_name(args.out.stem + "_importances"),
        )
    text = "".join(f"{k}: {v:.6g}\n" for k, v in sorted(fit.values.items()))
    results.write_text(
        args.out, f"# tuned by run.py tune: Brier {fit.loss:.4f} (defaults {default:.4f})\n{text}"
    )
    report = {
        "target": args.target,
        "default_brier": default,
        "tuned_brier": fit.loss,
        "trials": fit.trials,
        "values": fit.values,
        "importances": fit.importances,
        "cross_validation": cv,
        "out_of_sample": _post1945(fit.values, args.seed) if args.target != "scenarios" else None,
        "file": str(args.out),
        "figures": [str(p) for p in written],
    }
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    print(f"in-sample Brier: defaults {default:.4f}, tuned {fit.loss:.4f} ({fit.trials} trials)")
    if report["out_of_sample"]:
        for which, m in report["out_of_sample"].items():
            print(
                f"  1945-2003, never used in tuning, {which}: n {m['n']}, "
                f"Brier {m['brier']:.4f}, AUC {m['auc']:.3f}"
            )
    for row in cv:
        print(
            f"  left out {row['held_out']}: tuned on the rest {row['in_sample']:.4f}; "
            f"on it: tuned {row['out_of_sample']:.4f}, defaults {row['default']:.4f}"
        )
    print(f"wrote {args.out} (use: run.py run SCENARIO --params {args.out})")
    print("\n".join(f"wrote {p}" for p in written))
    return 0


def _post1945(values: dict[str, float], seed: int) -> dict[str, Any]:
    """Return the back-test of 1945-2003, out of sample, under the defaults and tuned values."""
    from sim.history import backtest, openworld, worldrun

    built = openworld.build()
    found = {}
    for which, params in (("defaults", parameters.Params()), ("tuned", parameters.build(values))):
        report = backtest.report(worldrun.run(built, params, seed).cases)["post1945"]
        found[which] = {k: report[k] for k in ("n", "brier", "auc")}
    return found


def _tune_loss(args: argparse.Namespace) -> Any:
    """Return the loss the ``--target`` names: scenarios, the back-test to 1944, or their mean."""
    from sim.analysis import calibration

    if args.target == "scenarios":
        return calibration.scenario_loss(scenario_files(args.dir), args.runs, args.seed)
    early = calibration.backtest_loss(args.seed)
    if args.target == "backtest":
        return early
    cards = calibration.scenario_loss(scenario_files(args.dir), args.runs, args.seed)
    return lambda params: (early(params) + cards(params)) / 2.0


# --- check --------------------------------------------------------------------------------


def cmd_check(args: argparse.Namespace) -> int:
    """Run every scenario and print the history scorecard."""
    params = parameters_from(args)
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
