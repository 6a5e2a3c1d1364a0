"""Calibration of the declared parameters against history, with optuna (TPE).

Two losses, each a mean Brier score:

* :func:`scenario_loss` over the scorecard's cases (every outcome in every scenario's
  ``history`` block); leave-one-scenario-out cross-validation tunes on all scenarios but one
  and scores the one left out, so that a user sees whether tuning generalises;
* :func:`backtest_loss` over the back-test's cases of 1816-1944 only: the open world is run
  to 1944 and no later, so that 1945-2003 stays out of sample and is never seen in tuning.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import optuna

from sim.analysis.scorecard import scorecard
from sim.errors import InputError
from sim.model import params as parameters
from sim.model.params import Params
from sim.scenario.loading import load

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


Loss = Callable[[Params], float]


def loss(paths: Sequence[Path], params: Params, runs: int, seed: int) -> float:
    """Return the mean Brier score of the model over the scenarios' historical outcomes."""
    card = scorecard(paths, params, runs, seed)
    if not card.n:
        raise InputError("tune", "scenarios", "expected scenarios with a history block")
    return card.brier


def scenario_loss(paths: Sequence[Path], runs: int, seed: int) -> Loss:
    """Return the scorecard's loss over ``paths`` as a function of the parameters."""
    return lambda params: loss(paths, params, runs, seed)


def backtest_loss(seed: int) -> Loss:
    """Return the back-test's Brier score over 1816-1944 as a function of the parameters.

    The open world is built to 1944 only: no case, war or figure of 1945 or later is read.
    """
    from sim.history import backtest, openworld, scores, worldrun

    early = openworld.build(openworld.FIRST_YEAR, backtest.SPLIT - 1, "history")

    def brier(params: Params) -> float:
        cases = backtest.scored(worldrun.run(early, params, seed).cases)
        return scores.brier(cases["p_model"].to_numpy(), cases["honoured"].to_numpy(bool))

    return brier


def storage_for(url: str | None) -> optuna.storages.BaseStorage | None:
    """Return optuna storage: a journal file (``*.log``, ``*.journal``) or a database URL.

    Raises:
        InputError: the storage cannot be opened (a database out of reach, a file that is not
            an optuna journal).
    """
    if url is None:
        return None
    from optuna.storages import JournalStorage, get_storage
    from optuna.storages.journal import JournalFileBackend
    from sqlalchemy.exc import SQLAlchemyError

    try:
        if "://" in url:
            return get_storage(url)
        return JournalStorage(JournalFileBackend(url))
    except (SQLAlchemyError, ImportError, OSError, ValueError, KeyError, TypeError) as exc:
        detail = str(exc).strip().splitlines()[0][:120] if str(exc).strip() else type(exc).__name__
        raise InputError(
            "--storage", url, f"expected a storage optuna can open ({detail})"
        ) from None


def open_study(
    seed: int,
    storage: str | optuna.storages.BaseStorage | None = None,
    study_name: str = "alliance-sim",
) -> optuna.Study:
    """Open (or create) the study: in memory, or kept in ``storage`` to resume and share.

    ``storage`` is a journal file or database URL (see :func:`storage_for`), or an opened one.
    """
    optuna.logging.set_verbosity(optuna.logging.ERROR)  # not a traceback for a Ctrl-C
    return optuna.create_study(
        direction="minimize",
        sampler=optuna.samplers.TPESampler(seed=seed),
        storage=storage_for(storage) if isinstance(storage, str) else storage,
        study_name=study_name,
        load_if_exists=True,
    )


def completed(study: optuna.Study) -> list[optuna.trial.FrozenTrial]:
    """Return the study's complete trials (those kept in its storage count)."""
    return [t for t in study.trials if t.state == optuna.trial.TrialState.COMPLETE]


def tune(
    objective_loss: Loss,
    names: Sequence[str],
    trials: int,
    seed: int,
    storage: str | optuna.storages.BaseStorage | None = None,
    study_name: str = "alliance-sim",
    progress: Callable[[int], object] | None = None,
    stop: Callable[[], bool] | None = None,
) -> Fit:
    """Search the declared ranges of ``names`` for the lowest loss (TPE, seeded).

    ``storage`` is a journal file or database URL (see :func:`storage_for`), or an opened one.
    Trials kept in ``storage`` count towards ``trials``; ``progress(1)`` is called as each
    new trial finishes, and the search ends after a trial once ``stop()`` is true (so that
    a stop never cuts a write to the storage short).
    """
    study = open_study(seed, storage, study_name)

    def objective(trial: optuna.Trial) -> float:
        values = {
            n: trial.suggest_float(n, parameters.SPECS[n].low, parameters.SPECS[n].high)
            for n in names
        }
        return objective_loss(Params().replace(**values))

    def advance(study: optuna.Study, _trial: optuna.trial.FrozenTrial) -> None:
        if progress is not None:
            progress(1)
        if stop is not None and stop():
            study.stop()

    study.optimize(objective, n_trials=max(trials - len(completed(study)), 0), callbacks=[advance])
    return _fit(study, names)


def _fit(study: optuna.Study, names: Sequence[str]) -> Fit:
    """Return the study's best values, every trial's loss and the parameters' importances."""
    complete = completed(study)
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


def with_history(paths: Sequence[Path]) -> list[Path]:
    """Return the scenarios that have a ``history`` block (a synthetic one has none)."""
    return [p for p in paths if load(p).spec.history is not None]


def leave_one_out(
    paths: Sequence[Path],
    names: Sequence[str],
    trials: int,
    runs: int,
    seed: int,
    progress: Callable[[int], object] | None = None,
) -> list[dict[str, float | str]]:
    """Tune without each scenario in turn and score it: the out-of-sample loss per scenario.

    Only scenarios with a history block are held out (and tuned on): the others have no
    outcome to score.
    """
    scored = with_history(paths)
    rows: list[dict[str, float | str]] = []
    for held in scored:
        rest = [p for p in scored if p != held]
        fit = tune(scenario_loss(rest, runs, seed), names, trials, seed, progress=progress)
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
