"""Calibration of the declared parameters against history, with optuna (TPE).

Two losses, each a mean Brier score:

* :func:`scenario_loss` over the scorecard's cases (every outcome in every scenario's
  ``history`` block); leave-one-scenario-out cross-validation tunes on all scenarios but one
  and scores the one left out, so that a user sees whether tuning generalises;
* :func:`backtest_loss` over the back-test's cases of 1816-1944 only: the open world is run
  to 1944 and no later, so that 1945-2003 stays out of sample and is never seen in tuning.

And one distance: :func:`survival_loss`, the simulated minimum-distance criterion of
:mod:`sim.analysis.moments` between the alliances the open world forms in 1816-1944 and
ATOP's defence pacts of those years, both as seen at the end of 1944 (no run, alliance or end
of a later year is read).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import optuna
import pandas as pd

from sim.analysis import comparison, moments, survival
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


SURVIVAL_TUNED = (
    "formation_baseline",
    "w_common_threat",
    "formation_floor",
    "threat_kept",
    "latent_hostility",
    "dissolution_baseline",
    "w_threat_gone",
    "w_balance_shift",
    "balance_tolerance",
    "end_on_violation",
    "beaten_discount",
    "beaten_half_life",
)
"""The formation and dissolution parameters :func:`survival_loss` calibrates."""
LAST_SEEN = 1944
"""The last year calibration reads: 1945-2003 is kept out of sample."""
EARLY = "1816-1944"


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
    from sim.analysis import compiled
    from sim.history import backtest, openworld, scores, worldrun

    early = compiled.open_world(openworld.FIRST_YEAR, backtest.SPLIT - 1, "history")

    def brier(params: Params) -> float:
        cases = backtest.scored(worldrun.run(early, params, seed).cases)
        return scores.brier(cases["p_model"].to_numpy(), cases["honoured"].to_numpy(bool))

    return brier


def survival_loss(seed: int, runs: int) -> Loss:
    """Return the survival distance over 1816-1944 as a function of the parameters.

    The open world is built to 1944 only, and ATOP's defence pacts begun in 1816-1944 are
    seen as at the end of 1944 (a later end is unseen: censored), so that nothing of 1945
    or later is read.
    """
    target, cohort = survival_moments(seed, runs)
    return survival_criterion(target, cohort)


P5_SCALE = 0.1
"""How far, in logit units, a violation of P5's bound counts as one standard error of a gap."""


def p5_violation(params: Params) -> float:
    """Return how far an alliance of equals that lost its whole reason falls short of P5.

    The essay's P5: an alliance of equals ends when its common enemy is beaten. An alliance
    whose common threat is entirely gone must then end within a couple of years at most: its
    yearly hazard (``dissolution_baseline + w_threat_gone``, in logit) is at least even odds.
    The shortfall below 0, in logit units (0 where the bound holds).
    """
    return max(0.0, -(params.dissolution_baseline + params.w_threat_gone))


def survival_criterion(target: moments.Target, cohort: Callable[[Params], pd.DataFrame]) -> Loss:
    """Return the distance to ``target`` plus the squared shortfall from P5, in its scale.

    The moments of ATOP's cohort hardly tell the weight of a lost threat from the baseline
    hazard (their intervals span most of the declared ranges), so the proposition bounds what
    the data leave open, as signs bound the decision kernel's fitted weights.
    """

    def loss(params: Params) -> float:
        return target.distance(cohort(params)) + (p5_violation(params) / P5_SCALE) ** 2

    return loss


def survival_moments(
    seed: int, runs: int
) -> tuple[moments.Target, Callable[[Params], pd.DataFrame]]:
    """Return ATOP's target of 1816-1944 and the simulated cohort as a function of parameters."""
    from sim.analysis import compiled
    from sim.history import openworld, worldrun

    early = compiled.open_world(openworld.FIRST_YEAR, LAST_SEEN, "history")

    def cohort(params: Params) -> pd.DataFrame:
        return simulated_cohort(worldrun.alliances(early, params, seed, runs))

    return moments.Target.of(real_cohort()), cohort


def standard_errors(
    target: moments.Target,
    cohort: Callable[[Params], pd.DataFrame],
    values: dict[str, float],
    runs: int,
    step: float = 0.05,
) -> dict[str, float]:
    """Return the simulated minimum-distance estimator's standard error of each parameter.

    With gaps g(theta) in standard errors, the estimator's covariance is (J'J)^-1, J the
    Jacobian of the gaps in the parameters (central differences of ``step`` times each
    declared range, one-sided at a bound), inflated by 1 + 1/``runs`` for the simulation's
    own noise (each run is a history as large as the real one). A parameter the moments
    do not move has an infinite error.
    """
    at = Params().replace(**values)
    columns = []
    for name in values:
        spec = parameters.SPECS[name]
        h = step * (spec.high - spec.low)
        up, down = min(values[name] + h, spec.high), max(values[name] - h, spec.low)
        plus = target.gaps(cohort(at.replace(**{name: up})))
        minus = target.gaps(cohort(at.replace(**{name: down})))
        columns.append([(plus[k] - minus[k]) / (up - down) for k in plus])
    return dict(zip(values, _errors(np.array(columns).T, runs).tolist(), strict=True))


def _errors(jacobian: np.ndarray, runs: int) -> np.ndarray:
    """Return each parameter's standard error from the gaps' Jacobian (moments x parameters).

    The covariance is the pseudo-inverse of J'J, inflated by 1 + 1/``runs``. A parameter is
    not identified, and gets an infinite error, when the moments do not move with it or it
    lies mostly in the null space of J'J (it trades off exactly against others).
    """
    information = jacobian.T @ jacobian
    eigenvalues, vectors = np.linalg.eigh(information)
    null = eigenvalues <= max(eigenvalues.max(initial=0.0), 1e-300) * 1e-8
    covariance = np.linalg.pinv(information, hermitian=True) * (1.0 + 1.0 / runs)
    errors = np.sqrt(np.clip(np.diag(covariance), 0.0, None))
    unidentified = (vectors[:, null] ** 2).sum(axis=1) > 0.5
    return np.where(unidentified, np.inf, errors)


def real_cohort() -> pd.DataFrame:
    """Return ATOP's defence pacts begun in 1816-1944, as seen at the end of 1944."""
    seen = survival.censor(survival.from_atop(), LAST_SEEN)
    return comparison.cohort(seen, EARLY, "defence")


def simulated_cohort(alliances: pd.DataFrame) -> pd.DataFrame:
    """Return the alliances a run of 1816-1944 formed (its alliances table), as spells."""
    spells = survival.censor(survival.from_table(alliances, "calibration"), LAST_SEEN)
    return comparison.cohort(spells, EARLY, "all")


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

    try:
        if "://" in url:
            return get_storage(url)
        return JournalStorage(JournalFileBackend(url))  # replays the whole journal: checked
    except Exception as exc:  # a damaged journal fails anywhere in optuna (even an assert)
        detail = str(exc).strip().splitlines()[0][:120] if str(exc).strip() else type(exc).__name__
        if isinstance(exc, AssertionError):
            detail = "it holds a record optuna cannot replay"
        raise InputError(
            "--storage", url, f"expected a storage optuna can open ({detail})"
        ) from None


def open_study(
    seed: int,
    storage: str | optuna.storages.BaseStorage | None = None,
    study_name: str = "alliance-sim",
    multivariate: bool = False,
) -> optuna.Study:
    """Open (or create) the study: in memory, or kept in ``storage`` to resume and share.

    ``storage`` is a journal file or database URL (see :func:`storage_for`), or an opened one;
    ``multivariate`` lets TPE model the parameters jointly.
    """
    optuna.logging.set_verbosity(optuna.logging.ERROR)  # not a traceback for a Ctrl-C
    return optuna.create_study(
        direction="minimize",
        sampler=optuna.samplers.TPESampler(seed=seed, multivariate=multivariate),
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
    multivariate: bool = False,
    start: Mapping[str, float] | None = None,
) -> Fit:
    """Search the declared ranges of ``names`` for the lowest loss (TPE, seeded).

    ``start`` gives the first trial of a new study (the defaults, say, so that the fit is never
    worse than they are); ``multivariate`` lets TPE model the parameters jointly (worth it when
    they trade off against each other, as formation and dissolution do).
    ``storage`` is a journal file or database URL (see :func:`storage_for`), or an opened one.
    Trials kept in ``storage`` count towards ``trials``; ``progress(1)`` is called as each
    new trial finishes, and the search ends after a trial once ``stop()`` is true (so that
    a stop never cuts a write to the storage short).
    """
    study = open_study(seed, storage, study_name, multivariate)

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

    if start is not None and not study.trials:
        study.enqueue_trial({n: start[n] for n in names})
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
