"""Honest probabilities: one temperature, fitted on folds that leave whole styles out.

A logistic regression fitted on the corpus is over-confident on text of another
shape. Temperature scaling (Guo et al., ICML 2017) divides its scores by one
number ``T`` chosen to minimise the log loss of out-of-fold predictions. The folds
are those of the shift-aware cross-validation (whole genres held out), so ``T``
reflects how sure the model should be on text unlike its training data. Dividing
the coefficients and intercepts by ``T`` keeps every label and changes only the
probabilities, so the saved pipeline and the predictor stay one plain logistic
regression.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

__all__ = ["apply_temperature", "fit_temperature", "out_of_fold_scores"]

_BOUNDS = (0.05, 20.0)


def out_of_fold_scores(
    pipeline: Any,
    texts: Sequence[str],
    labels: Sequence[str],
    groups: Sequence[str],
    *,
    folds: int,
    seed: int,
    n_jobs: int,
) -> Any:
    """Decision scores of each sentence from a model fitted on the other groups' folds.

    Parameters
    ----------
    pipeline : sklearn.pipeline.Pipeline
        Unfitted, with the chosen hyperparameters.
    texts, labels, groups : sequence of str
    folds : int
        Folds of `sklearn.model_selection.GroupKFold` (fewer if there are fewer groups).
    seed : int
    n_jobs : int

    Returns
    -------
    numpy.ndarray, shape (n_sentences, n_classes)
    """
    from sklearn.model_selection import GroupKFold, cross_val_predict

    cv = GroupKFold(n_splits=min(folds, len(set(groups))), shuffle=True, random_state=seed)
    scores = cross_val_predict(
        pipeline, list(texts), list(labels), groups=list(groups), cv=cv, method="decision_function", n_jobs=n_jobs
    )
    return scores if scores.ndim == 2 else np.column_stack([-scores, scores]) / 2


def fit_temperature(scores: Any, labels: Sequence[str], classes: Sequence[str]) -> float:
    """The temperature that minimises the log loss of ``softmax(scores / T)``.

    Examples
    --------
    >>> scores = np.array([[4.0, 0.0], [4.0, 0.0], [0.0, 4.0], [4.0, 0.0]])
    >>> round(fit_temperature(scores, ["a", "b", "b", "a"], ["a", "b"]), 1) > 1
    True
    """
    from scipy.optimize import minimize_scalar

    index = {label: i for i, label in enumerate(classes)}
    truth = np.array([index[label] for label in labels])
    scores = np.asarray(scores, dtype=np.float64)

    def loss(log_t: float) -> float:
        z = scores / np.exp(log_t)
        z -= z.max(axis=1, keepdims=True)
        log_norm = np.log(np.exp(z).sum(axis=1))
        return float(np.mean(log_norm - z[np.arange(len(z)), truth]))

    found = minimize_scalar(loss, bounds=tuple(np.log(_BOUNDS)), method="bounded")
    return float(np.exp(found.x))


def apply_temperature(classifier: Any, temperature: float) -> Any:
    """Divide a fitted linear classifier's coefficients and intercepts by ``temperature`` (labels unchanged)."""
    classifier.coef_ = classifier.coef_ / temperature
    classifier.intercept_ = classifier.intercept_ / temperature
    return classifier
