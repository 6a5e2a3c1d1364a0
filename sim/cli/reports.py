"""The reports the scenario commands print: a run's decisions and alliances, one decision.

Each report comes as text (aligned tables, in words) and as one JSON object.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

from sim.analysis import explain as explaining
from sim.analysis import summary
from sim.analysis.scorecard import Scorecard
from sim.cli.common import table
from sim.cli.layout import Render
from sim.errors import program
from sim.results.runs import RunSet


def run_json(runset: RunSet, decisions: Any, alliances: Any, written: list[Path]) -> dict[str, Any]:
    """Return a run's report as one JSON object: decisions, alliances, outcomes, files."""
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


def run_text(
    runset: RunSet,
    decisions: Any,
    alliances: Any,
    written: list[Path],
    case: str,
    render: Render = table,
) -> str:
    """Return a run's report as text: decisions, alliances, outcomes, poles, files.

    ``case`` names the scenario and its overlays as the user gave them, for the next command;
    ``render`` lays out the tables (wide columns, or records on a narrow terminal).
    """
    lines = _heading(runset)
    lines += [
        "",
        "Commitments called: P(fight) (mean and 90% interval over runs), "
        "P(supply) short of war, P(stay out)",
    ]
    lines.append(_decision_table(decisions, render))
    lines += ["", "Alliances (share of runs in which each ended)"]
    lines.append(_alliance_table(alliances, render))
    lines += _formed_lines(runset)
    lines += _outcome_lines(summary.outcomes(runset))
    lines += _hedging_lines(runset)
    lines += _polarity_lines(runset)
    lines += ["", f"Explain a decision: {program()} explain {case} DECISION"]
    lines += [f"wrote {p}" for p in written]
    return "\n".join(lines)


def _heading(runset: RunSet) -> list[str]:
    """Return the run's title line, and the overlays of a counterfactual."""
    sc, spec = runset.scenario, runset.scenario.spec
    lines = [f"{spec.title}  ({sc.name}; {runset.runs} runs, seed {runset.seed})"]
    if sc.counterfactual:
        for name, title in zip(sc.overlays, sc.overlay_titles, strict=True):
            lines.append(f"counterfactual {name}: {title}")
        lines.append("(history does not apply to a counterfactual)")
    return lines


DECISION_HEADER = [
    "decision",
    "when",
    "who",
    "theatre",
    "P(fight)",
    "P(supply)",
    "P(stay out)",
    "model",
    "history",
    "agree",
    "weighed most",
]


def _decision_table(decisions: Any, render: Render) -> str:
    """Return every decision: who for whom, its three outcomes' P, the likely one, history, why."""
    rows = [
        [
            d["id"],
            d["date"],
            _who(d),
            d["theatre"],
            f"{d['p_honour']:.2f} [{d['p_low']:.2f}-{d['p_high']:.2f}]",
            f"{d['p_supply']:.2f}",
            f"{d['p_stay_out']:.2f}",
            _likely(d),
            d["history"] or "-",
            _agree(d["agrees"]),
            _factors(d["top_factors"]),
        ]
        for _, d in decisions.iterrows()
    ]
    if not rows:
        return "  (none)"
    unbound = "bound" in decisions and not decisions["bound"].all()
    return render(DECISION_HEADER, rows) + (f"\n{UNBOUND_NOTE}" if unbound else "")


UNBOUND_NOTE = (
    "  unbound: no commitment binds the state; asked where its own stakes reach interest_floor;"
    "\n  its P is over all runs, a run that did not ask it counting as one it stayed out"
)


def _who(d: Any) -> str:
    """Return who decides for whom against whom, marked ``unbound`` where no commitment binds."""
    who = f"{d['guarantor']} for {d['partner']} vs {d['adversary']}"
    return who if d.get("bound", True) else f"{who} (unbound)"


ALLIANCE_HEADER = ["alliance", "kind", "members", "shape", "ended", "median end", "why", "history"]


def _alliance_table(alliances: Any, render: Render) -> str:
    """Return every alliance: its shape, the share of runs it ended in, when, why, history."""
    rows = [
        [
            a["alliance"],
            a["kind"],
            a["members"].replace(";", " "),
            summary.shape(bool(a["symmetric"])),
            _share(a["p_ended"]),
            a["median_end"] or "-",
            a["reason"] or "-",
            _history_alliance(a),
        ]
        for _, a in alliances.iterrows()
    ]
    return render(ALLIANCE_HEADER, rows) if rows else "  (none)"


def _formed_lines(runset: RunSet) -> list[str]:
    """Return a line per alliance formed during the runs, with the share of runs."""
    return [
        f"  formed during the run: {f['members'].replace(';', '+')} against "
        f"{f['common_enemy']} in {_share(f['p_formed'])} of runs"
        for _, f in summary.formed(runset).iterrows()
    ]


def _hedging_lines(runset: RunSet) -> list[str]:
    """Return how much closer each courted state stands to its closest patron (P12)."""
    hedging = summary.hedging(runset)
    if hedging.empty:
        return []
    return [
        "",
        "Hedging: how much closer each courted state stands to its closest patron",
        *(
            f"  {h['state']}: {h['start']:.2f} at the start, {h['end']:.2f} at the end"
            for _, h in hedging.iterrows()
        ),
    ]


def _polarity_lines(runset: RunSet) -> list[str]:
    """Return the system's poles at the start and how often polarity changed (P11)."""
    poles = summary.polarity(runset)
    lines = [f"\nSystem poles at the start: {poles['start'] or '-'}"]
    if poles["p_changed"]:
        lines.append(
            f"  polarity changed in {_share(poles['p_changed'])} of runs, most often "
            f"into {poles['after']}: a change of the system's structure"
        )
    return lines


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


def explain_json(exp: explaining.Explanation) -> dict[str, Any]:
    """Return one decision's explanation as one JSON object."""
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
        "p_supply": exp.p_supply,
        "p_stay_out": exp.p_stay_out,
        "supply_margin": exp.supply_margin,
        "outcomes": exp.outcomes,
        "logit": exp.logit,
        "commitments": [
            {"id": c, "kind": k, "covers_theatre": cov} for c, k, cov in exp.commitments
        ],
        "factors": [vars(f) for f in exp.factors],
        "terms": list(exp.terms),
    }


def explain_text(exp: explaining.Explanation, runset: RunSet) -> str:
    """Return one decision's explanation in words, factor by factor."""
    names = dict(zip(runset.world.ids, runset.world.names, strict=True))
    g, p, a = names[exp.guarantor], names[exp.partner], names[exp.adversary]
    w = runset.world
    theatre = w.territory_names[w.territory_ids.index(exp.theatre)]
    lines = [
        f"Will {g} fight for {p} against {a} in {theatre} ({exp.date})?",
        f"P(fight) = {exp.p_honour:.3f} (90% of runs: {exp.p_low:.3f}-{exp.p_high:.3f}); "
        f"P(supply) = {exp.p_supply:.3f}; P(stay out) = {exp.p_stay_out:.3f}",
        "outcomes: " + ", ".join(f"{o} {s:.0%}" for o, s in exp.outcomes.items()),
        "",
    ]
    if exp.commitments:
        for cid, kind, covers in exp.commitments:
            where = "covers" if covers else "does NOT cover"
            lines.append(f"  {cid} ({kind}) binds {g} to {p} and {where} {exp.theatre}")
        lines += [f"  {term}" for term in exp.terms]
    else:
        stake = sum(f.contribution for f in exp.factors if f.group == "stake")
        floor = runset.params.interest_floor
        lines.append(f"  no commitment in force binds {g} to {p}: asked as an unbound state,")
        lines.append(f"  its stakes summing to {stake:+.2f} log-odds (interest_floor {floor:.2f})")
    lines += ["", "Factor by factor (value x weight = contribution to the log-odds):"]
    rows = [
        [f.name, f.group, f"{f.value:.3f}", f"{f.weight:+.2f}", f"{f.contribution:+.3f}", f.meaning]
        for f in exp.factors
    ]
    lines.append(table(["factor", "kind", "value", "weight", "contribution", "meaning"], rows))
    lines += [
        "",
        f"Sum of contributions (log-odds): {exp.logit:+.3f}; "
        "positive pushes towards fighting, negative against.",
        f"Supplying {p} instead (arms, money, advisers; no fighting) weighs the same factors "
        f"with supply_margin {exp.supply_margin:+.2f}: log-odds of fighting or supplying "
        f"{exp.logit + exp.supply_margin:+.3f}.",
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


def run_csv(decisions: Any, alliances: Any, which: str) -> str:
    """Return a run's decisions or alliances as CSV, numbers unrounded."""
    if which == "alliances":
        return str(alliances.to_csv(index=False))
    frame = decisions.assign(top_factors=decisions["top_factors"].map(_factor_cells))
    return str(frame.to_csv(index=False))


def _factor_cells(top: Any) -> str:
    return ";".join(f"{name}:{value:+.4f}" for name, value in top)


SCORED = (
    "A decision is scored on whether the guarantor fought (history's `fought`), whatever it "
    "owed;\n'keeps its duty' cases score the duty's own terms (history's `duty_kept`);\n"
    "a decision no duty bound (history's `bound: false`) is scored over all runs, a run that\n"
    "did not ask the state counting as one in which it did not fight."
)
"""What the scorecard scores, printed under its totals."""
CHECK_HEADER = ["scenario", "outcome", "model P", "happened", "side of 0.5", "Brier", "detail"]


def check_text(card: Scorecard, runs: int, seed: int, render: Render = table) -> str:
    """Return the history scorecard: every case, the totals, what each scenario shows."""
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
    shows = [[name, ", ".join(props)] for name, props in card.propositions.items()]
    return "\n".join(
        [
            render(CHECK_HEADER, rows),
            f"\n{card.right} of {card.n} outcomes on the right side of 0.5; "
            f"mean Brier score {card.brier:.3f} ({runs} runs each, seed {seed})",
            f"{SCORED}\n",
            table(["scenario", "demonstrates"], shows),
        ]
    )


def check_csv(card: Scorecard) -> str:
    """Return the scorecard's cases as CSV, one row a case, numbers unrounded."""
    import pandas as pd

    return str(pd.DataFrame([asdict(c) for c in card.cases]).to_csv(index=False))
