"""The TF-IDF + logistic-regression pipeline and the choice of its hyperparameters."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from .config import TrainingConfig

if TYPE_CHECKING:
    from sklearn.pipeline import Pipeline

__all__ = [
    "SHAPES",
    "build_pipeline",
    "default_hyperparameters",
    "ignore_interrupts",
    "normalize_text",
    "search_hyperparameters",
]

logger = logging.getLogger(__name__)

_TOKEN_PATTERN = r"\w+|[%$€£?!]"  # words (digits and underscores included) and telling symbols
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*(?:\s?[-–]\s?\d+(?:[.,]\d+)*)?")
_RANGE = re.compile(r".*\d\s?[-–]\s?\d.*")
_THOUSANDS = re.compile(r"\d{1,3}(?:,\d{3})+")
_YEAR = re.compile(r"(?:19|20)\d\d")

#: The tokens that stand for numbers, by shape.
SHAPES = ("_range_", "_decimal_", "_year_", "_round_number_", "_exact_number_")
_RANGE_, _DECIMAL_, _YEAR_, _ROUND_, _EXACT_ = (f" {shape} " for shape in SHAPES)


def _number_shape(match: re.Match[str]) -> str:
    number = match.group(0)
    if _RANGE.fullmatch(number):
        return _RANGE_
    digits = number.replace(",", "").replace(".", "")
    if "." in number and not _THOUSANDS.fullmatch(number):
        return _DECIMAL_
    if _YEAR.fullmatch(number):
        return _YEAR_
    if len(digits) > 1 and len(digits.rstrip("0")) <= 1:
        return _ROUND_
    return _EXACT_


def normalize_text(text: str) -> str:
    """Lowercase a sentence and replace each number by its shape.

    Whether a figure is exact, round, a year or a decimal says more about a
    reported fact or an estimate than its value does, so ``1,047`` becomes
    ``_exact_number_``, ``2,000`` becomes ``_round_number_``, ``2024``
    becomes ``_year_``, ``3.5`` becomes ``_decimal_`` and ``11-13`` becomes ``_range_``.

    Parameters
    ----------
    text : str
        A sentence.

    Returns
    -------
    str
        The normalised sentence, which the vectorizer tokenises.

    Examples
    --------
    >>> normalize_text("About 2,000 fled in 2024; 1,047 stayed.")
    'about  _round_number_  fled in  _year_ ;  _exact_number_  stayed.'
    """
    return _NUMBER.sub(_number_shape, text.lower())


def default_hyperparameters(config: TrainingConfig = TrainingConfig()) -> dict[str, Any]:
    """Return the hyperparameters used when no search is run.

    Parameters
    ----------
    config : TrainingConfig
        Where the defaults live.

    Returns
    -------
    dict
        ``ngram_range``, ``sublinear_tf``, ``min_df``, ``C`` and ``class_weight``.
    """
    return {
        "ngram_range": config.ngram_range,
        "sublinear_tf": config.sublinear_tf,
        "min_df": config.min_df,
        "C": config.C,
        "class_weight": config.class_weight,
    }


def build_pipeline(*, config: TrainingConfig = TrainingConfig(), **hyperparameters: Any) -> Pipeline:
    """Build an unfitted ``TfidfVectorizer -> LogisticRegression`` pipeline.

    Parameters
    ----------
    config : TrainingConfig
        Defaults for any hyperparameter not given, and the random state.
    **hyperparameters
        Any of ``ngram_range``, ``sublinear_tf``, ``min_df``, ``C``, ``class_weight``.

    Returns
    -------
    sklearn.pipeline.Pipeline
        Steps ``tfidf`` and ``clf``.

    Examples
    --------
    >>> pipe = build_pipeline(C=3.0)
    >>> pipe.named_steps["clf"].C
    3.0
    """
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline

    params = {**default_hyperparameters(config), **hyperparameters}
    unknown = set(params) - set(default_hyperparameters(config))
    if unknown:
        raise TypeError(f"Unknown hyperparameters {sorted(unknown)}")
    vectorizer = TfidfVectorizer(
        preprocessor=normalize_text,
        token_pattern=_TOKEN_PATTERN,
        ngram_range=tuple(params["ngram_range"]),
        sublinear_tf=params["sublinear_tf"],
        min_df=params["min_df"],
        dtype=_float32(),
    )
    classifier = LogisticRegression(
        C=params["C"],
        class_weight=params["class_weight"],
        solver=config.solver,
        tol=config.tol,
        max_iter=config.max_iter,
        random_state=config.seed,
    )
    return Pipeline([("tfidf", vectorizer), ("clf", classifier)])


def _float32():
    import numpy as np

    return np.float32


def search_hyperparameters(
    texts: Sequence[str],
    labels: Sequence[str],
    groups: Sequence[str],
    *,
    config: TrainingConfig = TrainingConfig(),
) -> tuple[dict[str, Any], float]:
    """Choose hyperparameters by cross-validation grouped by document.

    Parameters
    ----------
    texts, labels : sequence of str
        Training sentences and their labels.
    groups : sequence of str
        Document of each sentence; no document is split across folds.
    config : TrainingConfig
        ``search_space``, ``cv_folds``, ``seed`` and ``n_jobs``.

    Returns
    -------
    params : dict
        The best hyperparameters (complete, ready for `build_pipeline`).
    score : float
        Their mean cross-validated macro-F1.
    """
    from sklearn.model_selection import GridSearchCV, GroupKFold

    n_groups = len(set(groups))
    folds = min(config.cv_folds, n_groups)
    if folds < 2:
        logger.info("Only %d training document(s): using default hyperparameters.", n_groups)
        return default_hyperparameters(config), float("nan")
    grid = {f"clf__{k}" if k in ("C", "class_weight") else f"tfidf__{k}": v for k, v in config.search_space.items()}
    search = GridSearchCV(
        build_pipeline(config=config),
        grid,
        scoring="f1_macro",
        cv=GroupKFold(n_splits=folds, shuffle=True, random_state=config.seed),
        n_jobs=config.n_jobs,
        refit=False,
    )
    from joblib import parallel_config

    with parallel_config(backend="loky", initializer=ignore_interrupts):
        search.fit(list(texts), list(labels), groups=list(groups))
    _stop_idle_workers()
    best = {k.split("__", 1)[1]: v for k, v in search.best_params_.items()}
    logger.info("Chosen hyperparameters %s (cross-validated macro-F1 %.3f)", best, search.best_score_)
    return {**default_hyperparameters(config), **best}, float(search.best_score_)


def _stop_idle_workers() -> None:
    """Stop joblib's idle worker processes now (joblib's documented recipe).

    Left alive, they hold memory during the fits that follow.
    """
    try:
        from joblib.externals.loky import get_reusable_executor

        get_reusable_executor().shutdown(wait=True)
    except Exception as exc:  # best effort: the workers end on their own after a timeout
        logger.debug("Could not stop joblib's workers: %s", exc)


def ignore_interrupts() -> None:
    """In a worker process: leave Ctrl-C to the main process, which stops the workers.

    Otherwise every worker that Ctrl-C reaches between two tasks prints a traceback.
    """
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
