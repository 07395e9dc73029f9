"""Honest probabilities: one temperature, fitted on folds that leave whole styles out.

A logistic regression fitted on the corpus is over-confident on text of another
shape. Temperature scaling (Guo et al., ICML 2017) divides its scores by one
number ``T`` chosen to minimise the log loss of out-of-fold predictions: those
the hyperparameter search already made with the chosen candidate, on folds that
leave whole genres out, so ``T`` reflects how sure the model should be on text
unlike its training data, and costs no fit of its own. Dividing
the coefficients and intercepts by ``T`` keeps every label and changes only the
probabilities, so the saved pipeline and the predictor stay one plain logistic
regression.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

__all__ = ["apply_temperature", "fit_temperature"]

_BOUNDS = (0.05, 20.0)


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
