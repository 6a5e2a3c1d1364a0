"""The commands that read finished runs: ``survival`` and ``plot``.

``survival`` analyses how long alliances last (Kaplan-Meier, log-rank, Cox, competing risks)
in run folders, in ATOP, or both side by side; ``plot`` draws one figure.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sim.analysis import vocabulary
from sim.cli import validate
from sim.cli.common import positive, replicate_named, replication_options, slug, table
from sim.errors import InputError

if TYPE_CHECKING:
    from sim.analysis import survival

HISTORICAL = vocabulary.ATOP
"""The label of the real alliances, drawn dashed beside the simulated ones."""


def add_survival(sub: Any) -> None:
    """Add ``survival``: alliance survival in run folders, in ATOP, or both."""
    surv = sub.add_parser("survival", help="alliance survival: Kaplan-Meier, Cox, competing risks")
    surv.add_argument(
        "runs_dirs",
        nargs="*",
        type=validate.folder,
        metavar="RUN_DIR",
        help="run folders written by `run --out`",
    )
    surv.add_argument("--data", choices=["atop"], help="analyse the real alliances (ATOP v4.01)")
    surv.add_argument(
        "--atop",
        choices=list(vocabulary.ATOP_SETS),
        default="defence",
        help="which real alliances: those with a defence obligation (defence), as the model's "
        "are, or all",
    )
    surv.add_argument("--by", choices=list(vocabulary.GROUPINGS), help="group the curves")
    surv.add_argument(
        "--compare",
        action="store_true",
        help="set simulated (RUN_DIR) beside historical (ATOP) alliances, era by era: "
        "curves, end reasons, the literature's patterns, a weighted log-rank test, distances",
    )
    surv.add_argument(
        "--draws", type=positive, default=200, help="bootstrap draws for the distances (200)"
    )
    surv.add_argument(
        "--out", type=validate.figures_folder, default="survival", help="figures folder"
    )
    surv.add_argument("--json", action="store_true", help="print one JSON object")
    surv.set_defaults(command=cmd_survival)


def add_plot(sub: Any) -> None:
    """Add ``plot``: one figure of a run folder or of a scenario's decisions."""
    plot = sub.add_parser("plot", help="draw one figure: timeline, network, waterfall, honour")
    plot.add_argument("kind", choices=["timeline", "network", "waterfall", "honour"])
    plot.add_argument("target", help="a run folder (timeline, network) or a scenario")
    plot.add_argument("decision", nargs="?", help="for waterfall: the decision")
    plot.add_argument(
        "--run", type=validate.run_index, default=0, help="which replication (timeline, network)"
    )
    plot.add_argument("--period", help="for network: the period label (default: the first)")
    replication_options(plot)
    plot.add_argument("--out", type=validate.figures_folder, default="plots", help="figures folder")
    plot.set_defaults(command=cmd_plot)


def cmd_survival(args: argparse.Namespace) -> int:
    """Analyse alliance survival in run folders, in ATOP, or both side by side."""
    from sim.analysis import survival
    from sim.cli import survival_report

    sets = _spell_sets(args)
    groups = [
        g
        for label, spells in sets.items()
        for g in survival.kaplan_meier(spells, args.by, f"{label}: " if args.by else label)
    ]
    written, report = _analyse(sets, groups, args, _case(args))
    eras = survival_report.compare(sets, args.atop, args.draws) if args.compare else []
    groups_json = [_group_json(g) for g in groups]
    compared = _compared(sets) if args.compare else None
    if args.json:
        found = {
            "groups": groups_json,
            "analyses": report,
            "comparison": compared,
            "eras": [e.as_dict() for e in eras],
            "figures": [str(p) for p in written],
        }
        print(json.dumps(found, indent=2))
        return 0
    _print_survival(groups_json, report, written, compared)
    survival_report.print_eras(eras, _real_label(args.atop))
    return 0


def _case(args: argparse.Namespace) -> str:
    """Return what a survival analysis covers, for its figures' names: run folders, ATOP."""
    parts = [slug(Path(folder).resolve().name) for folder in args.runs_dirs]
    return "+".join(parts + (["atop"] if args.data == "atop" or args.compare else []))


def _compared(sets: dict[str, Any]) -> dict[str, Any]:
    """Return the two-sample log-rank test of the simulated spells against ATOP's."""
    from sim.analysis import survival

    (first, a), (second, b) = sets.items()
    test = survival.compare_sets(a, b)
    return {"sets": [first, second], **test, "text": _chi2(test)}


def _chi2(test: dict[str, float]) -> str:
    """Return a log-rank test in words: chi-squared, degrees of freedom, p."""
    return f"chi2 {test['statistic']:.1f} on {test['groups'] - 1:g} df, p = {test['p_value']:.3g}"


def _analyse(
    sets: dict[str, Any], groups: list[survival.Group], args: argparse.Namespace, case: str
) -> tuple[list[Path], dict[str, Any]]:
    """Draw the curves and each set's reasons to end; return the figures and each set's tests.

    The figures' names carry the ``case`` (the run folders, and ATOP) and the grouping, so
    that the analysis of other runs does not overwrite them.
    """
    from sim.cli import survival_report
    from sim.plots import common as figures
    from sim.plots import survival as survival_plots

    by, out = args.by, args.out
    title = "Alliance survival" + (f" by {by}" if by else "") + ": " + " vs ".join(sets)
    historical = {g.name: "--" for g in groups if g.name.startswith(HISTORICAL)}
    figure = survival_plots.survival(groups, title, historical)
    written = figures.save(figure, out / f"survival_{case}{f'_by_{by}' if by else ''}")
    written += survival_report.incidence_by_set(sets, args.atop, out, case.removesuffix("+atop"))
    if args.compare:
        written += survival_report.figures(sets, args.atop, out, case)
    return written, {label: _survival_report(spells, by) for label, spells in sets.items()}


def _group_json(g: survival.Group) -> dict[str, Any]:
    """Return one group's curve as JSON: size, ended, median years and its 95% interval."""
    return {
        "name": g.name,
        "n": g.n,
        "events": g.events,
        "median": _num(g.median),
        "median_lower": _num(g.lower),
        "median_upper": _num(g.upper),
    }


def _print_survival(
    groups_json: list[dict[str, Any]],
    report: dict[str, Any],
    written: list[Path],
    compared: dict[str, Any] | None,
) -> None:
    """Print the groups' medians, the tests and Cox models with their warnings, the figures."""
    print(
        table(
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
    if compared:
        print(f"\n{' vs '.join(compared['sets'])}: log-rank {compared['text']}")
    for label, found in report.items():
        print(f"\n{label}: log-rank {found['logrank']}")
        if found["cox"]:
            print(_cox_table(found["cox"]))
        print("".join(f"warning: {w}\n" for w in found["warnings"]), end="")
    print("\n" + "\n".join(f"wrote {p}" for p in written))


def _cox_table(cox: dict[str, dict[str, float]]) -> str:
    """Return a Cox model's hazard ratios, their 95% intervals and p-values as a table."""
    return table(
        ["covariate", "hazard ratio", "95% CI", "p"],
        [
            [c, f"{r['hazard_ratio']:.2f}", f"{r['lower']:.2f}-{r['upper']:.2f}", f"{r['p']:.3g}"]
            for c, r in cox.items()
        ],
    )


def _spell_sets(args: argparse.Namespace) -> dict[str, Any]:
    from sim.analysis import survival
    from sim.cli import survival_report

    sets: dict[str, Any] = {}
    if args.runs_dirs:
        sets[survival_report.SIMULATED] = survival.from_runs(args.runs_dirs)
    if args.data == "atop" or args.compare:
        real = survival.from_atop()
        sets[_real_label(args.atop)] = real[real["defence"]] if args.atop == "defence" else real
    if not sets:
        raise InputError("survival", "RUN_DIR", "expected run folders, --data atop, or both")
    if args.compare and "simulated" not in sets:
        raise InputError("survival", "--compare", "expected run folders to compare with ATOP")
    return sets


def _real_label(atop: str) -> str:
    """Return the label of ATOP's set: its defence pacts, or all its alliances."""
    return f"{HISTORICAL} " + ("defence pacts" if atop == "defence" else "alliances")


def _survival_report(spells: Any, by: str | None) -> dict[str, Any]:
    """Return one set's log-rank test between groups, its Cox model and the model's warnings."""
    from sim.analysis import survival

    test = survival.logrank(spells, by) if by else None
    cox = survival.cox(spells)
    return {
        "logrank": "-" if test is None else _chi2(test),
        "cox": {str(k): {c: float(v) for c, v in row.items()} for k, row in cox.iterrows()},
        "warnings": survival.cox_warnings(spells, cox),
    }


def _num(x: float) -> float | None:
    return None if x != x or x == float("inf") else x


def _fmt(x: Any) -> str:
    return "not reached" if x is None else f"{x:.1f}"


def cmd_plot(args: argparse.Namespace) -> int:
    """Draw one figure; its file name carries the case, the run and period or the decision."""
    from sim.cli import charts
    from sim.plots import common as figures

    if args.kind in ("timeline", "network"):
        folder = Path(args.target)
        meta, alliances, states = charts.run_folder(folder, args.run)
        if args.kind == "timeline":
            figure, stem = charts.timeline_figure(meta, alliances, args.run)
        else:
            figure, stem = charts.network_figure(meta, alliances, states, args.run, args.period)
    else:
        runset = replicate_named(argparse.Namespace(**{**vars(args), "scenario": args.target}))
        figure, stem = charts.decision_figure(runset, args.kind, args.decision)
    for path in figures.save(figure, args.out / stem):
        print(f"wrote {path}")
    return 0
