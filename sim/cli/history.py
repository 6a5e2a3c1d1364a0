"""The commands on the historical record: ``world``, ``backtest`` and ``figures``.

``world`` builds the state system of a span of years from the COW data, runs the model one
year per step and writes its tables (Parquet, with metadata) and its summary: the back-test
against every replayed war and alliance reliability coded Leeds's and Sabrosky's ways.
``backtest`` is the same run over 1816-2003 with the wars of history, showing the back-test
(or, with ``--cases``, every case it scores).
``figures`` prints the sourced COW figures of states in a year, ready for a scenario.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sim.cli import progress, validate
from sim.cli.common import (
    FIRST_YEAR,
    LABELS,
    LAST_YEAR,
    WAR_MODES,
    cache_option,
    jsonable,
    parameters_from,
)
from sim.errors import InputError, did_you_mean, program

if TYPE_CHECKING:
    from sim.history import cow, worldrun


def add_world(sub: Any) -> None:
    """Add ``world``: the state system from COW data, one year per step."""
    world = sub.add_parser("world", help="the state system from COW data, one year per step")
    years = validate.whole(FIRST_YEAR, LAST_YEAR, "the years of the data")
    world.add_argument("--start", type=years, default=FIRST_YEAR, help="first year (1816)")
    world.add_argument("--end", type=years, default=LAST_YEAR, help="last year (2003)")
    world.add_argument(
        "--wars",
        choices=WAR_MODES,
        default="history",
        help="replay the COW wars (history) or let the states start their own (model)",
    )
    _run_options(world, out="world")
    world.set_defaults(command=cmd_world)


def add_backtest(sub: Any) -> None:
    """Add ``backtest``: every obligation invoked by an attack 1816-2003, against the model."""
    back = sub.add_parser(
        "backtest", help="every obligation invoked by an attack 1816-2003, against the model"
    )
    _run_options(back, out=None)
    back.add_argument(
        "--cases",
        action="store_true",
        help="list every case (the war, dates, obligation, conditions, label, the model's P)",
    )
    back.add_argument(
        "--scale",
        choices=("wars", "disputes", "both"),
        help="score the wars', the militarized disputes' or both's cases in the record's "
        "situation, by era (without it: the wars, in a run of the open world)",
    )
    back.add_argument(
        "--rolling",
        action="store_true",
        help="rolling-origin forecasts: each decade by a fit on the decades before it",
    )
    back.add_argument(
        "--label",
        choices=LABELS,
        help="with --scale: the label scored, honoured (joined the target's side with an attack "
        "or more within 90 days; the default) or joined (any militarized joining within 90 days; "
        "a war's case keeps its fought label)",
    )
    back.add_argument(
        "--trial",
        action="store_true",
        help="what each mechanism not in the kernel would add to its rolling forecasts of "
        "1870-1944 (wars and disputes; never a later era)",
    )
    back.set_defaults(command=cmd_backtest)


def add_figures(sub: Any) -> None:
    """Add ``figures``: sourced COW figures of states in a year, as YAML."""
    figures = sub.add_parser("figures", help="sourced COW figures of states in a year, as YAML")
    figures.add_argument("year", type=int)
    figures.add_argument("states", nargs="+", metavar="STATE")
    figures.set_defaults(command=cmd_figures)


def _run_options(parser: argparse.ArgumentParser, out: str | None) -> None:
    parser.add_argument("--runs", type=validate.world_runs, default=1, help="Monte Carlo runs (1)")
    parser.add_argument("--seed", type=validate.seed, default=0, help="random seed (0)")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE")
    parser.add_argument("--params", type=Path, help="a YAML file of parameter: value")
    parser.add_argument(
        "--out",
        type=validate.results_folder,
        default=out,
        help=f"write the tables (Parquet) and metadata here{f' ({out})' if out else ''}",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    cache_option(parser)


def _run(args: argparse.Namespace, start: int, end: int, wars: str) -> worldrun.WorldRun:
    from sim.analysis import compiled
    from sim.history import worldrun
    from sim.results import files as results

    params = parameters_from(args)
    if args.out:
        results.check_folder(args.out, worldrun.TABLES)
    try:
        built = compiled.open_world(start, end, wars)
    except ValueError as exc:
        raise InputError("world", "--start/--end/--wars", str(exc)) from None
    with progress.bar(args, args.runs, "run", f"open world {start}-{end}") as bar:
        return worldrun.run(built, params, args.seed, args.runs, progress=bar)


def save(result: worldrun.WorldRun, folder: Path) -> list[Path]:
    """Write every table of an open-world run and its metadata into ``folder``, as a whole."""
    from sim.history import worldrun
    from sim.results import files as results

    meta = {**result.metadata(), "versions": results.versions()}
    return results.save_folder(folder, {name: result.table(name) for name in worldrun.TABLES}, meta)


def cmd_world(args: argparse.Namespace) -> int:
    """Run the open world and print its summary."""
    from sim.cli import backtest_report as words
    from sim.history import worldrun

    result = _run(args, args.start, args.end, args.wars)
    report = worldrun.summary(result)
    written = save(result, args.out) if args.out else []
    if args.json:
        print(json.dumps(jsonable({**report, "files": [str(p) for p in written]}), indent=2))
        return 0
    ow = result.openworld
    runs = f"{result.runs} runs" if result.runs > 1 else "1 run"
    print(
        f"Open world {ow.start}-{ow.end} ({ow.mode} wars; {runs}, seed {result.seed}): "
        f"{len(ow.codes)} states; per run {report['wars_fought']:.4g} wars and "
        f"{report['alliances']:.4g} alliances"
    )
    if report["backtest"] is not None:
        print("\n" + words.backtest_text(report["backtest"]))
        print("\n" + words.bystanders_text(report["bystanders"]))
    print("\n" + words.reliability_text(report["reliability"]))
    if written:
        print(
            "\nHow long its alliances last, beside ATOP's: "
            f"{program()} survival {args.out} --compare"
        )
    for path in written:
        print(f"wrote {path}")
    return 0


def cmd_backtest(args: argparse.Namespace) -> int:
    """Score every invoked obligation of 1816-2003, beside the references; or list the cases."""
    if args.label is not None and args.scale is None:
        raise InputError("backtest", "--label", "a label is scored at a scale: add --scale")
    if args.scale is not None or args.rolling or args.trial:
        from sim.cli.scales import cmd_scales

        args.scale = args.scale or ("both" if args.trial else "wars")
        return cmd_scales(args)
    from sim.cli import backtest_report as words
    from sim.history import openworld, worldrun

    result = _run(args, openworld.FIRST_YEAR, openworld.LAST_YEAR, "history")
    written = save(result, args.out) if args.out else []
    if args.cases:
        return _print_cases(result.cases, args.json, written)
    report = worldrun.summary(result)
    if args.json:
        names = ("backtest", "mechanisms", "bystanders", "reliability", "seed", "runs")
        keep = {k: report[k] for k in names}
        print(json.dumps(jsonable({**keep, "files": [str(p) for p in written]}), indent=2))
        return 0
    print(words.backtest_text(report["backtest"]))
    print("\n" + words.mechanisms_text(report["mechanisms"]))
    print("\n" + words.bystanders_text(report["bystanders"]))
    print("\n" + words.reliability_text(report["reliability"]))
    for path in written:
        print(f"wrote {path}")
    return 0


def _print_cases(cases: Any, as_json: bool, written: list[Path]) -> int:
    from sim.cli import backtest_report as words

    if as_json:
        records = json.loads(cases.to_json(orient="records"))
        print(json.dumps({"cases": records, "files": [str(p) for p in written]}, indent=2))
        return 0
    print(words.cases_text(cases))
    for path in written:
        print(f"wrote {path}")
    return 0


def cmd_figures(args: argparse.Namespace) -> int:
    """Print the sourced figures of states in a year, ready to paste into a scenario.

    Every state is looked up before anything is printed: a bad one prints nothing but its error.
    """
    from sim.history import cow

    first, last = cow.years()
    validate.within(args.year, first, last, "figures", "a year of the COW data", "YEAR")
    among = tuple(args.states)
    found = [_state_figures(state, args.year, among) for state in among]
    for state, f in zip(among, found, strict=True):
        print(f"  {state}:")
        print(f"    power: {f.cinc}")
        if f.nuclear:
            print("    nuclear: true")
        if f.capital:
            print(f"    capital: {{city: {f.capital}, lat: {f.lat}, lng: {f.lng}}}")
        if spell := _major_spell(state, args.year):
            print(f"    major: true  # COW Major Powers (majors2016): {spell}")
        if f.borders:
            print(f"    borders: [{', '.join(f.borders)}]")
        print(f'    source: "{f.source()}"')
    seas = _narrow_seas(among, args.year)
    if seas:
        print("narrow_seas:")
        for a, b, kind in seas:
            print(f'  - {{between: [{a}, {b}], source: "COW Direct Contiguity v3.2, type {kind}"}}')
    return 0


def _major_spell(state: str, year: int) -> str | None:
    """Return the spell (``1816-1940``) in which COW lists a state as a major power that year."""
    from sim.history import cow

    majors = cow.data_table("cow_majors2016.csv")
    spells = majors[(majors["stateabb"] == state) & majors["styear"].le(year)]
    spells = spells[spells["endyear"].ge(year)]
    return None if spells.empty else f"{spells['styear'].iloc[0]}-{spells['endyear'].iloc[0]}"


def _narrow_seas(among: tuple[str, ...], year: int) -> list[tuple[str, str, int]]:
    """Return the pairs of ``among`` across a narrow sea in a year (COW contiguity types 2-3)."""
    from sim.history import cow

    c = cow.data_table("cow_contdir_v3_2.csv")
    inside = c["statelab"].isin(among) & c["statehab"].isin(among) & c["conttype"].isin((2, 3))
    spans = c["begin"].le(year * 100 + 12) & c["end"].ge(year * 100 + 1)
    found = c[inside & spans].drop_duplicates(["statelab", "statehab"])
    rows = zip(found["statelab"], found["statehab"], found["conttype"], strict=True)
    return [(str(a), str(b), int(kind)) for a, b, kind in rows]


def _state_figures(state: str, year: int, among: tuple[str, ...]) -> cow.Figures:
    """Return one state's figures, or say which abbreviation was meant (``Russia``: RUS)."""
    from sim.history import cow

    try:
        return cow.figures(state, year, among)
    except KeyError as exc:
        raise InputError(
            "figures", state, f"expected a COW state abbreviation{_abbreviation_of(state)}"
        ) from exc


def _abbreviation_of(name: str) -> str:
    """Return ``" (did you mean RUS?)"`` for a state's name or a near abbreviation, or ``""``."""
    from sim.history import cow

    states = cow.data_table("cow_states2016.csv").drop_duplicates("stateabb")
    by_name = dict(zip(states["statenme"].str.lower(), states["stateabb"], strict=True))
    named = [abb for full, abb in by_name.items() if name.lower() in full]
    if 0 < len(named) <= 3:
        return f" (did you mean {' or '.join(named)}?)"
    return did_you_mean(name.upper(), set(states["stateabb"]))
