"""Why a guarantor did or did not fight: one decision, factor by factor.

An explanation averages each factor's value and signed contribution over the runs of a
:class:`~sim.results.runs.RunSet`, and says which of the guarantor's commitments bind it to the
partner and whether they cover the theatre. The call's three outcomes share the factors:
supplying (arms, money, advisers) adds ``supply_margin`` to fighting's log-odds.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.analysis.summary import decision_id
from sim.errors import ChoiceError
from sim.model.alliances import DUTY_KINDS
from sim.model.decide import FACTORS, signed_weights
from sim.results.runs import RunSet


@dataclass(frozen=True)
class FactorLine:
    """One factor of one decision: its mean value, its weight and its mean contribution."""

    name: str
    group: str
    meaning: str
    value: float
    weight: float
    contribution: float


@dataclass(frozen=True)
class Explanation:
    """Everything that lies behind one decision."""

    decision: str
    guarantor: str
    partner: str
    adversary: str
    theatre: str
    date: str
    runs: int
    p_honour: float
    p_low: float
    p_high: float
    outcomes: dict[str, float]
    commitments: list[tuple[str, str, bool]]  # (id, kind, covers the theatre)
    factors: list[FactorLine]
    terms: tuple[str, ...] = ()  # the binding commitments' terms beyond their territory
    p_supply: float = 0.0
    supply_margin: float = 0.0  # the log-odds that supplying adds to fighting's (ordered logit)

    @property
    def p_stay_out(self) -> float:
        """Mean P(stay out): neither fighting nor supplying."""
        return max(1.0 - self.p_honour - self.p_supply, 0.0)

    @property
    def logit(self) -> float:
        """Mean log-odds: the sum of the mean contributions."""
        return sum(f.contribution for f in self.factors)


def find(runset: RunSet, decision: str) -> pd.DataFrame:
    """Return the rows of one decision, named by id, unique prefix, guarantor or number.

    A decision's id is ``war:guarantor:partner``, as ``run`` prints it.

    An empty name matches none, and the error lists the decisions with their numbers.

    Raises:
        ChoiceError: (a LookupError) nothing matches, or a guarantor id matches several
            decisions; it names the scenario's file and lists the decisions.
    """
    d = runset.decisions
    file = str(runset.scenario.path)
    if d.empty:
        raise ChoiceError(
            file, "DECISION", "expected a decision, but no war of this scenario calls a commitment"
        )
    ids = d.apply(decision_id, axis=1)
    unique = list(dict.fromkeys(ids))
    if decision.isascii() and decision.isdigit() and 1 <= int(decision) <= len(unique):
        decision = unique[int(decision) - 1]
    matches = [i for i in unique if i == decision or i.split(":")[1] == decision]
    if len(matches) != 1:
        prefixed = [i for i in unique if i.startswith(decision)]
        matches = prefixed if len(prefixed) == 1 or not matches else matches
    if len(matches) != 1:
        raise ChoiceError(
            file, "DECISION", _which(decision, len(matches), unique), got=decision or None
        )
    return d[ids == matches[0]]


def _which(decision: str, matched: int, unique: list[str]) -> str:
    """Say what a decision's name should have been: the decisions, numbered as they are taken."""
    listed = ", ".join(f"{n} {i}" for n, i in enumerate(unique, start=1))
    if not decision:
        return f"expected a decision; this scenario's are (by number or id): {listed}"
    what = "matches no decision" if matched == 0 else f"matches {matched} decisions"
    return f"{what}; expected a number or an id: {listed}"


def explain(runset: RunSet, decision: str) -> Explanation:
    """Explain one decision of a set of runs."""
    rows = find(runset, decision)
    first = rows.iloc[0]
    weights = signed_weights(runset.params)
    factors = [
        FactorLine(
            f.name,
            f.group,
            f.meaning,
            float(rows[f"value_{f.name}"].mean()),
            float(weights[i]),
            float(rows[f"contrib_{f.name}"].mean()),
        )
        for i, f in enumerate(FACTORS)
    ]
    p = rows["p_honour"].to_numpy()
    binding = _binding(runset, first)
    return Explanation(
        decision=decision_id(first),
        guarantor=first["guarantor"],
        partner=first["partner"],
        adversary=first["adversary"],
        theatre=first["theatre"],
        date=first["date"],
        runs=len(rows),
        p_honour=float(p.mean()),
        p_low=float(np.quantile(p, 0.05)),
        p_high=float(np.quantile(p, 0.95)),
        outcomes={
            str(k): float(v) for k, v in rows["outcome"].value_counts(normalize=True).items()
        },
        commitments=binding,
        factors=factors,
        terms=_terms(runset, first, [cid for cid, _, _ in binding]),
        p_supply=float(rows["p_supply"].mean()),
        supply_margin=runset.params.supply_margin,
    )


def _terms(runset: RunSet, first: pd.Series, binding: list[str]) -> tuple[str, ...]:
    """Return, in words, the terms of the binding commitments that decide whether they apply.

    A member's reservation against named states, a duty chained on another guarantor, a
    count of major attackers, a mandate's protection of a state not party to it.
    """
    spec, g, p = runset.scenario.spec, first["guarantor"], first["partner"]
    found: list[str] = []
    for cid in binding:
        c = spec.commitments.get(cid)
        if c is None:  # a row the run formed: no written terms
            continue
        reserved = c.member_terms[g].not_against if g in c.member_terms else []
        if reserved:
            found.append(f"{cid}: {g}'s duty does not hold against {', '.join(reserved)}")
        if c.conditions is not None and c.conditions.after:
            found.append(f"{cid}: holds once {', '.join(c.conditions.after)} fights for {p}")
        if c.conditions is not None and c.conditions.attackers_at_least.major:
            count = c.conditions.attackers_at_least.count
            powers = "major power fights" if count == 1 else "major powers fight"
            found.append(f"{cid}: holds if at least {count} {powers} {p}")
        if p in c.protects:
            found.append(f"{cid}: protects {p}, which is not party to it")
    return tuple(found)


def _binding(runset: RunSet, first: pd.Series) -> list[tuple[str, str, bool]]:
    """Return the scenario's commitments that bind the guarantor to the partner then."""
    w = runset.world
    c = w.commitments
    g, p = w.index(first["guarantor"]), w.index(first["partner"])
    theatre = w.territory_ids.index(first["theatre"])
    return [
        (c.ids[r], c.kinds[r], bool(c.covers[r, theatre]))
        for r in range(len(c.ids))
        if c.kinds[r] in DUTY_KINDS
        and c.guarantors[r, g]
        and (c.members[r, p] or c.beneficiaries[r, p])  # a mandate's protected, too
        and c.starts[r] <= int(first["period"])
    ]
