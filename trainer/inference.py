"""A fitted trainer pipeline as plain NumPy arrays: loads without scikit-learn, predicts fast.

``trainer predict`` spends most of a short run importing scikit-learn to unpickle
the pipeline. `LinearTextModel` holds the same numbers (vocabulary, idf weights,
coefficients) in an ``.npz`` file that loads with NumPy alone and without pickle,
and applies the same tf-idf weighting and softmax. Its labels equal the
pipeline's and its probabilities agree to about 1e-7 (float rounding).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .features import NgramIndex, count_ngrams, index_of
from .model import normalize_text

__all__ = ["LinearTextModel"]


class LinearTextModel:
    """The numbers of a fitted ``TfidfVectorizer -> LogisticRegression`` pipeline.

    Parameters
    ----------
    arrays : dict of numpy arrays
        ``vocabulary``, ``ngram_range``, ``sublinear_tf``, ``idf``, ``coef``,
        ``intercept``, ``classes``, ``token_pattern`` and the arrays of its
        `trainer.features.NgramIndex`, as `from_pipeline` makes them.

    Attributes
    ----------
    classes_ : numpy.ndarray
        The labels, in the order of the probability columns.
    coef_ : numpy.ndarray
        The classifier's coefficients, for explanations.
    """

    def __init__(self, arrays: dict[str, Any]):
        import numpy as np

        self._arrays = arrays
        self._vocabulary: list[str] | None = None
        self.n_features = len(arrays["idf"])
        self.ngram_range = tuple(int(n) for n in arrays["ngram_range"])
        self.sublinear_tf = bool(arrays["sublinear_tf"])
        self.token_pattern = str(arrays["token_pattern"])
        self.idf = np.asarray(arrays["idf"])
        self.coef_ = np.asarray(arrays["coef"])
        self.intercept_ = np.asarray(arrays["intercept"])
        self.classes_ = np.asarray([str(c) for c in arrays["classes"]], dtype=object)
        if "tokens" in arrays:
            self.index = NgramIndex.from_arrays(arrays)
        else:  # written before the index was saved
            index = NgramIndex.from_vocabulary({feature: i for i, feature in enumerate(self.vocabulary)})
            if index is None:
                raise ValueError("its vocabulary is too large for the fast path")
            self.index = index

    @property
    def vocabulary(self) -> list[str]:
        """The n-gram of each feature column (decoded on first use)."""
        if self._vocabulary is None:
            # N-grams joined by line breaks, as UTF-8 bytes: compact, and no pickle needed.
            self._vocabulary = bytes(self._arrays["vocabulary"]).decode("utf-8").split("\n")
        return self._vocabulary

    @classmethod
    def from_pipeline(cls, pipeline: Any) -> LinearTextModel | None:
        """Copy the numbers out of a fitted trainer pipeline (None if it is of another kind).

        Parameters
        ----------
        pipeline : sklearn.pipeline.Pipeline
            As `trainer.model.build_pipeline` makes it, fitted.

        Returns
        -------
        LinearTextModel or None
        """
        import numpy as np

        try:
            vectorizer, classifier = pipeline.named_steps["tfidf"], pipeline.named_steps["clf"]
        except (AttributeError, KeyError):
            return None
        if (
            len(pipeline) != 2
            or vectorizer.preprocessor is not normalize_text
            or vectorizer.analyzer != "word"
            or vectorizer.tokenizer is not None
            or vectorizer.stop_words is not None
            or vectorizer.binary
            or vectorizer.norm != "l2"
            or not vectorizer.use_idf
            or type(classifier).__name__ != "LogisticRegression"
            or len(classifier.classes_) < 3
        ):
            return None
        index = index_of(vectorizer)  # left by trainer.vocabulary.fit_transform, or built
        if index is None:
            return None
        vocabulary = sorted(vectorizer.vocabulary_, key=vectorizer.vocabulary_.get)
        return cls(
            {
                "vocabulary": np.frombuffer("\n".join(vocabulary).encode("utf-8"), dtype=np.uint8),
                "ngram_range": np.array(vectorizer.ngram_range),
                "sublinear_tf": np.array(vectorizer.sublinear_tf),
                "token_pattern": np.array(vectorizer.token_pattern),
                "idf": vectorizer.idf_,
                "coef": classifier.coef_,
                "intercept": classifier.intercept_,
                "classes": np.array([str(c) for c in classifier.classes_], dtype=str),
                **index.to_arrays(),
            }
        )

    def save(self, path: str | Path) -> None:
        """Write the arrays to an ``.npz`` file (no pickle)."""
        import numpy as np

        with Path(path).open("wb") as f:
            np.savez(f, **self._arrays)

    @classmethod
    def load(cls, path: str | Path) -> LinearTextModel:
        """Read a model written by `save`; pickled objects are refused.

        Raises
        ------
        ValueError, OSError, KeyError
            If the file is not such a model.
        """
        import numpy as np

        with np.load(path, allow_pickle=False) as data:
            return cls({key: data[key] for key in data.files})

    def get_feature_names_out(self) -> list[str]:
        """The n-gram of each feature column."""
        return self.vocabulary

    def transform(self, sentences: list[str]):
        """Tf-idf features of sentences, as the pipeline's vectorizer makes them."""
        import numpy as np

        counts = count_ngrams(
            sentences,
            index=self.index,
            token_pattern=self.token_pattern,
            ngram_range=self.ngram_range,
            n_features=self.n_features,
            dtype=np.float32,
        )
        data = counts.data
        if self.sublinear_tf:
            np.log(data, data)
            data += 1.0
        data *= self.idf[counts.indices]
        lengths = np.diff(counts.indptr)
        rows = np.repeat(np.arange(len(lengths)), lengths)
        norms = np.sqrt(np.bincount(rows, weights=np.square(data, dtype=np.float64), minlength=len(lengths)))
        norms[norms == 0] = 1.0
        data /= norms[rows].astype(data.dtype)
        return counts

    def predict_proba(self, features) -> Any:
        """Class probabilities (softmax of the linear scores), columns in `classes_` order."""
        import numpy as np

        scores = np.asarray(features @ self.coef_.T) + self.intercept_
        scores -= scores.max(axis=1, keepdims=True)
        np.exp(scores, out=scores)
        scores /= scores.sum(axis=1, keepdims=True)
        return scores

    def predict(self, sentences: list[str]) -> Any:
        """Labels of raw sentences."""
        proba = self.predict_proba(self.transform(sentences))
        return self.classes_[proba.argmax(axis=1)]
