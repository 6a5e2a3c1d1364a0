"""Calibration of the declared parameters against history, with optuna (TPE).

The loss is the mean Brier score over the scorecard's cases (every outcome in every
scenario's ``history`` block). Leave-one-scenario-out cross-validation tunes on all scenarios
but one and scores the one left out, so that a user sees whether tuning generalises.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import optuna

from sim import params as parameters
from sim.errors import InputError
from sim.params import Params
from sim.scorecard import scorecard

DEFAULT_TUNED = (
    "baseline",
    "w_sites",
    "w_buffer",
    "w_survival",
    "w_adversary",
    "w_nuclear",
    "w_distance",
    "w_relations",
    "w_treaty",
)


@dataclass(frozen=True)
class Fit:
    """The outcome of a calibration.

    The best values, the loss they reach, every trial's loss and each parameter's importance
    (PED-ANOVA, which needs no extra library).
    """

    values: dict[str, float]
    loss: float
    trials: int
    history: list[float]
    importances: dict[str, float]


def loss(paths: Sequence[Path], params: Params, runs: int, seed: int) -> float:
    """Return the mean Brier score of the model over the scenarios' historical outcomes."""
    card = scorecard(paths, params, runs, seed)
    if not card.n:
        raise InputError("tune", "scenarios", "expected scenarios with a history block")
    return card.brier


def storage_for(url: str | None) -> optuna.storages.BaseStorage | str | None:
    """Return optuna storage: a journal file (``*.log``, ``*.journal``) or a database URL."""
    if url is None or "://" in url:
        return url
    from optuna.storages import JournalStorage
    from optuna.storages.journal import JournalFileBackend

    return JournalStorage(JournalFileBackend(url))


def tune(
    paths: Sequence[Path],
    names: Sequence[str],
    trials: int,
    runs: int,
    seed: int,
    storage: str | None = None,
    study_name: str = "alliance-sim",
) -> Fit:
    """Search the declared ranges of ``names`` for the lowest loss (TPE, seeded)."""
    optuna.logging.set_verbosity(optuna.logging.ERROR)  # not a traceback for a Ctrl-C
    study = optuna.create_study(
        direction="minimize",
        sampler=optuna.samplers.TPESampler(seed=seed),
        storage=storage_for(storage),
        study_name=study_name,
        load_if_exists=True,
    )

    def objective(trial: optuna.Trial) -> float:
        values = {
            n: trial.suggest_float(n, parameters.SPECS[n].low, parameters.SPECS[n].high)
            for n in names
        }
        return loss(paths, Params().replace(**values), runs, seed)

    done = len([t for t in study.trials if t.state == optuna.trial.TrialState.COMPLETE])
    study.optimize(objective, n_trials=max(trials - done, 0))
    complete = [t for t in study.trials if t.state == optuna.trial.TrialState.COMPLETE]
    importances = {}
    if len(complete) > 1 and len(names) > 1:
        importances = {
            k: float(v)
            for k, v in optuna.importance.get_param_importances(
                study, evaluator=optuna.importance.PedAnovaImportanceEvaluator()
            ).items()
        }
    return Fit(
        dict(study.best_params),
        float(study.best_value),
        len(study.trials),
        [float(t.value) for t in complete if t.value is not None],
        importances,
    )


def leave_one_out(
    paths: Sequence[Path],
    names: Sequence[str],
    trials: int,
    runs: int,
    seed: int,
) -> list[dict[str, float | str]]:
    """Tune without each scenario in turn and score it: the out-of-sample loss per scenario."""
    rows: list[dict[str, float | str]] = []
    for held in paths:
        rest = [p for p in paths if p != held]
        fit = tune(rest, names, trials, runs, seed)
        tuned = Params().replace(**fit.values)
        rows.append(
            {
                "held_out": held.stem,
                "in_sample": fit.loss,
                "out_of_sample": loss([held], tuned, runs, seed),
                "default": loss([held], Params(), runs, seed),
            }
        )
    return rows
