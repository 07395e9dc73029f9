"""The one runtime predictor: features, probabilities, labels and explanations of sentences.

`Predictor` holds a fitted model as plain arrays (the `trainer.features.Vocabulary`,
the coefficients, the labels). It computes features with the same code as
`trainer.features.TextFeatures`, so it gives what the saved pipeline gives, and it
loads from ``inference.npz`` with NumPy alone: no scikit-learn, no pickle.
``trainer predict``, `trainer.label_texts`, ``trainer evaluate`` and reports all use it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from .config import LABELS
from .features.rules import FEATURIZER_VERSION
from .features.vocabulary import Vocabulary

__all__ = ["Predictor"]

# Largest arrays an inference file may declare, against files made to exhaust memory.
_MAX_FEATURES = 50_000_000
_MAX_TOKENS_BYTES = 2_000_000_000


class Predictor:
    """Label sentences with a fitted linear model over `trainer.features` features.

    Parameters
    ----------
    vocabulary : Vocabulary
        The fitted features.
    coef : numpy.ndarray, shape (n_classes or 1, n_features)
        The logistic regression's coefficients (one row for two classes).
    intercept : numpy.ndarray
        Its intercepts.
    classes : sequence of str
        The labels, in the order of the probability columns.

    Attributes
    ----------
    classes_ : numpy.ndarray of str (object)

    Examples
    --------
    >>> predictor = Predictor.from_pipeline(trainer.load_model())  # doctest: +SKIP
    >>> predictor.predict(["Prices rose 3% in May."])  # doctest: +SKIP
    array(['reported_fact'], dtype=object)
    """

    def __init__(self, vocabulary: Vocabulary, coef: Any, intercept: Any, classes: Sequence[str]):
        self.vocabulary = vocabulary
        # The classifier's own dtype (float32 when fitted on our float32 features), so that the
        # probabilities are computed as scikit-learn computes them.
        self.coef_ = np.asarray(coef)
        self.intercept_ = np.asarray(intercept, dtype=self.coef_.dtype)
        self.classes_ = np.asarray([str(c) for c in classes], dtype=object)
        n_rows = 1 if len(self.classes_) == 2 else len(self.classes_)
        if self.coef_.shape != (n_rows, len(vocabulary)) or self.intercept_.shape != (n_rows,):
            raise ValueError(
                f"coefficients of shape {self.coef_.shape} and intercepts of shape {self.intercept_.shape} "
                f"do not fit {len(self.classes_)} labels and {len(vocabulary)} features"
            )

    @classmethod
    def from_pipeline(cls, pipeline: Any) -> Predictor:
        """The predictor of a fitted ``TextFeatures -> LogisticRegression`` pipeline.

        Raises
        ------
        ValueError
            If the pipeline is of another kind.
        """
        from .features.transformer import TextFeatures

        steps = getattr(pipeline, "steps", None)
        if not steps or len(steps) != 2 or not isinstance(steps[0][1], TextFeatures):
            raise ValueError("expected a fitted TextFeatures -> LogisticRegression pipeline")
        classifier = steps[1][1]
        return cls(steps[0][1].vocabulary, classifier.coef_, classifier.intercept_, classifier.classes_)

    def transform(self, sentences: Sequence[str]) -> Any:
        """The features of sentences (as the pipeline's first step computes them), a scipy CSR matrix."""
        return self.vocabulary.transform(sentences)

    def features(self, sentences: Sequence[str]) -> Any:
        """`transform` as a `trainer.features.ngrams.SparseRows`, without importing scipy."""
        return self.vocabulary.features(sentences)

    def predict_proba_features(self, features: Any) -> Any:
        """Probabilities of each label (columns in `classes_` order) for features (CSR or `SparseRows`)."""
        scores = _linear_scores(features, self.coef_) + self.intercept_
        if scores.shape[1] == 1:  # two labels: the logistic function of one score, as scikit-learn computes it
            from scipy.special import expit

            positive = expit(scores[:, 0])
            return np.stack([1 - positive, positive], axis=1)
        scores -= scores.max(axis=1, keepdims=True)
        np.exp(scores, out=scores)
        scores /= scores.sum(axis=1, keepdims=True)
        return scores

    def predict_proba(self, sentences: Sequence[str]) -> Any:
        """Probabilities of each label for sentences, columns in `classes_` order."""
        return self.predict_proba_features(self.transform(sentences))

    def predict(self, sentences: Sequence[str]) -> Any:
        """The label of highest probability for each sentence."""
        return self.classes_[self.predict_proba(sentences).argmax(axis=1)]

    def feature_names(self) -> Any:
        """The name of each feature column."""
        return self.vocabulary.feature_names()

    def explain(self, features: Any, row: int, label_index: int, top: int, names: Any = None) -> list[list]:
        """The features of one sentence that push it most toward a label.

        Parameters
        ----------
        features : scipy.sparse.csr_matrix
            Features of a batch of sentences (`transform`).
        row : int
            The sentence in the batch.
        label_index : int
            The label's column in `classes_`.
        top : int
            How many to return at most.
        names : array, optional
            `feature_names`, if already computed.

        Returns
        -------
        list of [str, float]
            Feature name and contribution (feature value times the label's
            coefficient), largest first, positive ones only.
        """
        names = self.feature_names() if names is None else names
        start, end = features.indptr[row], features.indptr[row + 1]
        columns, values = features.indices[start:end], features.data[start:end]
        if self.coef_.shape[0] == 1:
            weights = (1.0 if label_index == 1 else -1.0) * self.coef_[0, columns]
        else:
            weights = self.coef_[label_index, columns]
        contributions = values * weights
        order = contributions.argsort()[::-1][:top]
        return [[str(names[columns[j]]), round(float(contributions[j]), 6)] for j in order if contributions[j] > 0]

    def to_arrays(self) -> dict[str, Any]:
        """The predictor as NumPy arrays, for `save`."""
        return {
            **self.vocabulary.to_arrays(),
            "coef": self.coef_,
            "intercept": self.intercept_,
            "classes": np.array([str(c) for c in self.classes_], dtype=str),
            "featurizer_version": np.array(FEATURIZER_VERSION),
        }

    def save(self, path: str | Path) -> None:
        """Write the predictor to an ``.npz`` file (no pickle)."""
        with Path(path).open("wb") as f:
            np.savez(f, **self.to_arrays())

    @classmethod
    def load(cls, path: str | Path) -> Predictor:
        """Read a predictor written by `save`, checking every array's type and shape.

        Raises
        ------
        ValueError
            If the file is not such a predictor, or its arrays do not fit together.
        OSError
            If it cannot be read.
        """
        with np.load(path, allow_pickle=False) as data:
            names = {"tokens", "ngrams", "idf", "settings", "coef", "intercept", "classes", "featurizer_version"}
            missing = names - set(data.files)
            if missing:
                raise ValueError(f"it lacks the arrays {sorted(missing)}")
            version = data["featurizer_version"]
            if version.shape != () or version.dtype.kind not in "iu":
                raise ValueError(
                    f"its featurizer version is an array of shape {version.shape} and type {version.dtype}"
                )
            if int(version) != FEATURIZER_VERSION:
                raise ValueError(f"its features are of featurizer version {int(version)}, not {FEATURIZER_VERSION}")
            arrays = {name: data[name] for name in names}
        _check_arrays(arrays)
        return cls(Vocabulary.from_arrays(arrays), arrays["coef"], arrays["intercept"], arrays["classes"])


def _linear_scores(features: Any, coef: Any) -> Any:
    """``features @ coef.T`` for CSR arrays, computed exactly as scipy computes it, without scipy.

    scipy adds each row's products in the order of its columns, in the dtype of the
    result; `numpy.ufunc.at` adds them in that order too, so the scores are the same
    to the bit (tested), and ``trainer predict`` need not import scipy (0.17 s).
    """
    n_rows = len(features.indptr) - 1
    rows = np.repeat(np.arange(n_rows), np.diff(features.indptr))
    dtype = np.result_type(features.data, coef)
    scores = np.zeros((coef.shape[0], n_rows), dtype=dtype)
    for label, weights in zip(scores, np.asarray(coef, dtype=dtype), strict=True):
        np.add.at(label, rows, features.data * weights[features.indices])
    return np.ascontiguousarray(scores.T)


def _check_arrays(arrays: dict[str, Any]) -> None:
    """Refuse arrays of the wrong kind, shape or size before anything is built from them."""
    kinds = {"tokens": "u", "ngrams": "i", "idf": "f", "settings": "i", "coef": "f", "intercept": "f", "classes": "U"}
    for name, kind in kinds.items():
        if arrays[name].dtype.kind != kind:
            raise ValueError(f"its array {name!r} has type {arrays[name].dtype}")
    tokens, ngrams, idf = arrays["tokens"], arrays["ngrams"], arrays["idf"]
    if tokens.ndim != 1 or len(tokens) > _MAX_TOKENS_BYTES or idf.ndim != 1 or len(idf) > _MAX_FEATURES:
        raise ValueError("its vocabulary arrays have impossible sizes")
    names = bytes(tokens).decode("utf-8").split("\n") if len(tokens) else []
    n_tokens = len(names)
    if len(set(names)) != n_tokens:  # a token's id is its place in the table: one place each
        raise ValueError("its token table repeats tokens")
    if ngrams.ndim != 2 or ngrams.shape[0] != len(idf) or not 1 <= ngrams.shape[1] <= 10:
        raise ValueError(f"its n-gram table has shape {ngrams.shape} for {len(idf)} features")
    if len(ngrams) and (ngrams.max() >= n_tokens or ngrams.min() < -1 or (ngrams[:, 0] < 0).any()):
        raise ValueError("its n-gram table names tokens it does not have")
    settings = arrays["settings"]
    if settings.shape != (5,) or not 1 <= settings[0] <= settings[1] <= ngrams.shape[1]:
        raise ValueError(f"its settings {settings.tolist()} do not fit its n-gram table")
    classes = arrays["classes"].tolist()
    if arrays["classes"].ndim != 1 or len(set(classes)) != len(classes) or not 2 <= len(classes) <= len(LABELS):
        raise ValueError(f"its labels {classes} are not two or more different labels")
    if not set(classes) <= set(LABELS):
        raise ValueError(f"its labels {classes} are not among {list(LABELS)}")
    if not (np.isfinite(idf).all() and np.isfinite(arrays["coef"]).all() and np.isfinite(arrays["intercept"]).all()):
        raise ValueError("it holds numbers that are not finite")
