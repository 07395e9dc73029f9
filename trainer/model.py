"""The pipeline (`TextFeatures` -> logistic regression) and the choice of its hyperparameters."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, GroupKFold
from sklearn.pipeline import Pipeline

from .config import TrainingConfig
from .features.transformer import TextFeatures
from .workers import spawning_without_interrupts, stop_idle_joblib_workers, worker_initializer

__all__ = ["FEATURE_PARAMS", "build_pipeline", "default_hyperparameters", "search_hyperparameters"]

logger = logging.getLogger(__name__)

#: Hyperparameters of the features step; the others belong to the classifier.
FEATURE_PARAMS = ("ngram_range", "sublinear_tf", "min_df", "quotes", "cues")
_CLASSIFIER_PARAMS = ("C", "class_weight")


def default_hyperparameters(config: TrainingConfig = TrainingConfig()) -> dict[str, Any]:
    """Return the hyperparameters used when no search is run.

    Parameters
    ----------
    config : TrainingConfig
        Where the defaults live.

    Returns
    -------
    dict
        ``ngram_range``, ``sublinear_tf``, ``min_df``, ``quotes``, ``cues``, ``C`` and ``class_weight``.
    """
    return {name: getattr(config, name) for name in (*FEATURE_PARAMS, *_CLASSIFIER_PARAMS)}


def build_pipeline(*, config: TrainingConfig = TrainingConfig(), **hyperparameters: Any) -> Pipeline:
    """Build an unfitted ``TextFeatures -> LogisticRegression`` pipeline.

    Parameters
    ----------
    config : TrainingConfig
        Defaults for any hyperparameter not given, and the random state.
    **hyperparameters
        Any of `default_hyperparameters`.

    Returns
    -------
    sklearn.pipeline.Pipeline
        Steps ``features`` and ``clf``.

    Raises
    ------
    TypeError
        On an unknown hyperparameter.

    Examples
    --------
    >>> pipe = build_pipeline(C=3.0)
    >>> pipe.named_steps["clf"].C
    3.0
    """
    params = {**default_hyperparameters(config), **hyperparameters}
    unknown = set(params) - set(default_hyperparameters(config))
    if unknown:
        raise TypeError(f"Unknown hyperparameters {sorted(unknown)}")
    features = TextFeatures(
        ngram_range=tuple(params["ngram_range"]),
        sublinear_tf=params["sublinear_tf"],
        min_df=params["min_df"],
        quotes=params["quotes"],
        cues=params["cues"],
    )
    classifier = LogisticRegression(
        C=params["C"],
        class_weight=params["class_weight"],
        solver=config.solver,
        tol=config.tol,
        max_iter=config.max_iter,
        random_state=config.seed,
    )
    return Pipeline([("features", features), ("clf", classifier)])


def search_hyperparameters(
    texts: Sequence[str],
    labels: Sequence[str],
    groups: Sequence[str],
    *,
    config: TrainingConfig = TrainingConfig(),
) -> tuple[dict[str, Any], float]:
    """Choose hyperparameters by cross-validation whose folds never split a group.

    With documents as groups, no document is split across folds; with styles
    (genres) as groups, each fold is scored on styles it was not trained on: a
    shift-aware score.

    Parameters
    ----------
    texts, labels : sequence of str
        Training sentences and their labels.
    groups : sequence of str
        The group of each sentence.
    config : TrainingConfig
        ``search_space``, ``cv_folds``, ``seed`` and ``n_jobs``.

    Returns
    -------
    params : dict
        The best hyperparameters (complete, ready for `build_pipeline`).
    score : float
        Their mean cross-validated macro-F1 (NaN when there are too few groups to search).
    """
    n_groups = len(set(groups))
    folds = min(config.cv_folds, n_groups)
    if folds < 2:
        logger.info("Only %d group(s) in the training data: using default hyperparameters.", n_groups)
        return default_hyperparameters(config), float("nan")
    grid = {f"{'features' if k in FEATURE_PARAMS else 'clf'}__{k}": v for k, v in config.search_space.items()}
    search = GridSearchCV(
        build_pipeline(config=config),
        grid,
        scoring="f1_macro",
        cv=GroupKFold(n_splits=folds, shuffle=True, random_state=config.seed),
        n_jobs=config.n_jobs,
        refit=False,
    )
    from joblib import Parallel, delayed, parallel_config

    with parallel_config(backend="loky", initializer=worker_initializer):
        with spawning_without_interrupts():  # start the search's workers now, born ignoring Ctrl-C
            Parallel(n_jobs=config.n_jobs)(delayed(int)() for _ in range(4))
        search.fit(list(texts), list(labels), groups=list(groups))
    stop_idle_joblib_workers()
    best = {k.split("__", 1)[1]: v for k, v in search.best_params_.items()}
    logger.info("Chosen hyperparameters %s (cross-validated macro-F1 %.3f)", best, search.best_score_)
    return {**default_hyperparameters(config), **best}, float(search.best_score_)
