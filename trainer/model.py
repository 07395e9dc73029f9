"""The pipeline (`TextFeatures` -> logistic regression) and the choice of its hyperparameters."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold
from sklearn.pipeline import Pipeline

from .config import TrainingConfig
from .features.transformer import TextFeatures
from .workers import job_count, spawning_without_interrupts, stop_idle_joblib_workers, worker_initializer

__all__ = [
    "SearchResult",
    "build_pipeline",
    "default_hyperparameters",
    "search",
    "search_hyperparameters",
]

logger = logging.getLogger(__name__)


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
    return config.hyperparameters()


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
        solver=config.classifier.solver,
        tol=config.classifier.tol,
        max_iter=config.classifier.max_iter,
        random_state=config.seed,
    )
    return Pipeline([("features", features), ("clf", classifier)])


@dataclass(frozen=True)
class SearchResult:
    """What `search` found.

    Attributes
    ----------
    params : dict
        The best hyperparameters (complete, ready for `build_pipeline`).
    score : float
        Their mean cross-validated macro-F1 (NaN when there were too few groups to search).
    out_of_fold : numpy.ndarray or None
        The best candidate's decision scores of every training sentence, each from the fold
        that held it out (columns in sorted label order), for calibration; None without a search
        or when a fold lacked a label.
    """

    params: dict[str, Any]
    score: float
    out_of_fold: Any = None


def search_hyperparameters(
    texts: Sequence[str],
    labels: Sequence[str],
    groups: Sequence[str],
    *,
    config: TrainingConfig = TrainingConfig(),
    progress: bool = False,
) -> tuple[dict[str, Any], float]:
    """Choose hyperparameters by grouped cross-validation: `search`, returning ``(params, score)``."""
    result = search(texts, labels, groups, config=config, progress=progress)
    return result.params, result.score


def search(
    texts: Sequence[str],
    labels: Sequence[str],
    groups: Sequence[str],
    *,
    config: TrainingConfig = TrainingConfig(),
    progress: bool = False,
) -> SearchResult:
    """Choose hyperparameters by cross-validation whose folds never split a group.

    With documents as groups, no document is split across folds; with styles
    (genres) as groups, each fold is scored on styles it was not trained on: a
    shift-aware score. Every (candidate, fold) fit runs in parallel, as in
    ``GridSearchCV``, except that candidates with the same features share one
    tf-idf fit a fold; the best candidate has the highest mean macro-F1 (the first
    in the grid's order on a tie, as ``GridSearchCV`` ranks them).

    Parameters
    ----------
    texts, labels : sequence of str
        Training sentences and their labels.
    groups : sequence of str
        The group of each sentence.
    config : TrainingConfig
        ``search.space``, ``search.cv_folds``, ``seed`` and ``n_jobs``.
    progress : bool
        Show a progress bar on standard error (fits done, time left).

    Returns
    -------
    SearchResult
        The best hyperparameters, their score, and their out-of-fold decision scores.
    """
    import numpy as np
    from joblib import Parallel, delayed, parallel_config
    from sklearn.model_selection import ParameterGrid

    n_groups = len(set(groups))
    folds = min(config.search.cv_folds, n_groups)
    if folds < 2:
        logger.info("Only %d group(s) in the training data: using default hyperparameters.", n_groups)
        return SearchResult(default_hyperparameters(config), float("nan"))
    texts, labels = list(texts), np.asarray(labels, dtype=object)
    splits = list(GroupKFold(n_splits=folds, shuffle=True, random_state=config.seed).split(texts, labels, groups))
    candidates = list(ParameterGrid(config.search.space))
    jobs = _search_jobs(candidates, len(splits), workers=job_count(config.n_jobs))
    with parallel_config(backend="loky", initializer=worker_initializer):
        # Start the search's workers now, born with Ctrl-C blocked. As a generator the call returns
        # once they are spawned (milliseconds), not once they have started (seconds under load),
        # so a Ctrl-C meanwhile, held back until the block ends, is held back for milliseconds.
        with spawning_without_interrupts():
            warm_up = Parallel(n_jobs=config.n_jobs, return_as="generator_unordered")(delayed(int)() for _ in range(4))
        list(warm_up)
        results = Parallel(n_jobs=config.n_jobs, return_as="generator_unordered")(
            delayed(_fold_scores)([(c, candidates[c]) for c in chunk], s, texts, labels, splits[s], config)
            for chunk, s in jobs
        )
        scores = np.zeros((len(candidates), len(splits)))
        decisions: dict[tuple[int, int], Any] = {}
        fits = len(candidates) * len(splits)
        for done in _progress(results, total=fits, show=progress, what="Choosing hyperparameters"):
            for c, s, score, decision in done:
                scores[c, s], decisions[c, s] = score, decision
    stop_idle_joblib_workers()
    means = scores.mean(axis=1)
    best = int(np.argmax(means))
    logger.info("Chosen hyperparameters %s (cross-validated macro-F1 %.3f)", candidates[best], means[best])
    out_of_fold = None
    if all(decisions[best, s] is not None for s in range(len(splits))):
        out_of_fold = np.zeros((len(texts), decisions[best, 0].shape[1]), dtype=np.float32)
        for s, (_, test) in enumerate(splits):
            out_of_fold[test] = decisions[best, s]
    return SearchResult({**default_hyperparameters(config), **candidates[best]}, float(means[best]), out_of_fold)


#: Jobs per search worker: enough that the workers finish together, few enough that each
#: job's features (fitted once for all its candidates) are not fitted again and again.
_JOBS_PER_WORKER = 4


def _search_jobs(candidates: list[dict], n_splits: int, *, workers: int) -> list[tuple[list[int], int]]:
    """The search's jobs: ``(candidate indices, split)``, each one fold and candidates with the same features.

    Candidates that differ only in the classifier's hyperparameters share one tf-idf fit a
    fold; they are cut into as many chunks as keep every worker busy to the end.
    """
    feature_keys = TextFeatures().get_params().keys()
    by_features: dict[tuple, list[int]] = {}
    for c, params in enumerate(candidates):
        key = tuple(sorted((k, repr(v)) for k, v in params.items() if k in feature_keys))
        by_features.setdefault(key, []).append(c)
    chunks_per_group = max(1, -(-_JOBS_PER_WORKER * workers // (n_splits * len(by_features))))
    jobs = []
    for group in by_features.values():
        size = max(1, len(group) // chunks_per_group)
        for start in range(0, len(group), size):
            jobs += [(group[start : start + size], s) for s in range(n_splits)]
    return jobs


def _fold_scores(candidates: list[tuple[int, dict]], split: int, texts: list, labels: Any, fold: tuple, config) -> list:
    """Fit candidates that share their features on one fold's training part: each one's macro-F1 and decision scores.

    The features are fitted once; each candidate's classifier is then fitted on them, as its
    own pipeline would be (``Pipeline.fit`` is ``fit_transform`` then ``fit``), so every
    score equals the candidate's own pipeline's. The decision scores (columns in sorted label
    order) are None when the training part lacks a label.
    """
    import numpy as np
    from sklearn.metrics import f1_score

    train, test = fold
    features = build_pipeline(config=config, **candidates[0][1]).named_steps["features"]
    train_features = features.fit_transform([texts[i] for i in train])
    test_features = features.transform([texts[i] for i in test])
    complete = len(set(labels[train].tolist())) == len(set(labels.tolist()))
    found = []
    for candidate, params in candidates:
        classifier = build_pipeline(config=config, **params).named_steps["clf"]
        classifier.fit(train_features, labels[train])
        decision = np.asarray(classifier.decision_function(test_features), dtype=np.float32)
        if decision.ndim == 1:  # two labels: one score, as scikit-learn's softmax of (-d/2, d/2) = expit(d)
            decision = np.column_stack([-decision, decision]) / 2
        predicted = classifier.classes_[decision.argmax(axis=1)]
        score = f1_score(labels[test], predicted, average="macro")
        found.append((candidate, split, score, decision if complete else None))
    return found


def _progress(batches, *, total: int, show: bool, what: str):
    """``batches`` (lists of fits), with a progress bar of the fits on standard error when ``show``.

    The bar (tqdm) shows the fits done, their rate and the time left.
    """
    if not show:
        yield from batches
        return
    import sys

    from tqdm import tqdm

    with tqdm(total=total, desc=what, unit="fit", file=sys.stderr, leave=False, dynamic_ncols=True) as bar:
        for batch in batches:
            yield batch
            bar.update(len(batch))
