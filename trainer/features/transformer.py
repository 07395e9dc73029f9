"""`TextFeatures`: the text representation as a scikit-learn transformer."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from .rules import FEATURIZER_VERSION
from .vocabulary import Tokenized, Vocabulary, fit_vocabulary

__all__ = ["TextFeatures"]


class TextFeatures(TransformerMixin, BaseEstimator):
    """Tf-idf weighted word n-grams and cues of sentences, by the rules of `trainer.features.rules`.

    The one featurizer of trainer: the grid search, the fits, ``evaluate``,
    ``inspect``, ``load_model().predict`` and ``trainer predict`` all compute
    features with it (through `trainer.features.Vocabulary`).

    Parameters
    ----------
    ngram_range : tuple of int, default=(1, 2)
        The smallest and largest n of the word n-grams.
    sublinear_tf : bool, default=True
        Use ``1 + log(count)`` instead of the count.
    min_df : int, default=1
        Keep n-grams that occur in at least this many sentences.
    quotes : bool, default=True
        Mark tokens inside quotations (``q:``), so that a quoted judgement is not
        read as the writer's.
    cues : bool, default=True
        Add the cue features of `trainer.features.cues` (``[hedge]``,
        ``[evaluative]``, ``[q:evaluative]``, ``[reporting]`` ...) and of the
        quotation structure.

    Attributes
    ----------
    tokens_ : numpy.ndarray of uint8
        The vocabulary's tokens, UTF-8, one per line.
    ngrams_ : numpy.ndarray of int32
        For each output column, the ids of its tokens (padded with -1).
    idf_ : numpy.ndarray of float32
        The idf weight of each column.
    featurizer_version_ : int
        Version of the rules the features were computed with.

    Examples
    --------
    >>> features = TextFeatures(cues=False).fit(["Prices rose.", "Prices fell 5%."])
    >>> features.transform(["Prices rose 5%."]).shape
    (1, 9)
    >>> features.get_feature_names_out()[:3].tolist()
    ['%', '_exact_number_', '_exact_number_ %']
    """

    def __init__(
        self,
        *,
        ngram_range: tuple[int, int] = (1, 2),
        sublinear_tf: bool = True,
        min_df: int = 1,
        quotes: bool = True,
        cues: bool = True,
    ):
        self.ngram_range = ngram_range
        self.sublinear_tf = sublinear_tf
        self.min_df = min_df
        self.quotes = quotes
        self.cues = cues

    def fit(self, X: Iterable[str], y: Any = None, *, tokenized: Tokenized | None = None) -> TextFeatures:
        """Learn the vocabulary and idf weights of sentences.

        Parameters
        ----------
        X : iterable of str
            Sentences.
        y : ignored
        tokenized : Tokenized, optional
            ``trainer.features.tokenize(X)``, if already known.

        Returns
        -------
        TextFeatures
            This transformer, fitted.
        """
        self.fit_transform(X, tokenized=tokenized)
        return self

    def fit_transform(self, X: Iterable[str], y: Any = None, *, tokenized: Tokenized | None = None) -> Any:
        """Learn the vocabulary and idf weights, and return the sentences' features.

        Returns
        -------
        scipy.sparse.csr_matrix of float32
        """
        vocabulary, features = fit_vocabulary(
            None if tokenized is not None else _texts(X),
            ngram_range=tuple(self.ngram_range),
            min_df=self.min_df,
            sublinear_tf=self.sublinear_tf,
            quotes=self.quotes,
            cues=self.cues,
            tokenized=tokenized,
        )
        arrays = vocabulary.to_arrays()
        self.tokens_, self.ngrams_, self.idf_ = arrays["tokens"], arrays["ngrams"], arrays["idf"]
        self.featurizer_version_ = FEATURIZER_VERSION
        self._vocabulary = vocabulary
        return features

    @property
    def vocabulary(self) -> Vocabulary:
        """The fitted `Vocabulary` that computes the features."""
        check_is_fitted(self, "idf_")
        if getattr(self, "_vocabulary", None) is None:
            settings = np.array([*self.ngram_range, self.sublinear_tf, self.quotes, self.cues], dtype=np.int64)
            self._vocabulary = Vocabulary.from_arrays(
                {"tokens": self.tokens_, "ngrams": self.ngrams_, "idf": self.idf_, "settings": settings}
            )
        return self._vocabulary

    def transform(self, X: Iterable[str]) -> Any:
        """Return the features of sentences.

        Parameters
        ----------
        X : iterable of str

        Returns
        -------
        scipy.sparse.csr_matrix of float32, shape (n_sentences, n_features)
        """
        return self.vocabulary.transform(_texts(X))

    def get_feature_names_out(self, input_features: Any = None) -> Any:
        """The name of each output column: an n-gram (``"prices rose"``) or a cue (``"[hedge]"``).

        Returns
        -------
        numpy.ndarray of str (object)
        """
        return self.vocabulary.feature_names()

    def __getstate__(self) -> dict[str, Any]:
        state = super().__getstate__()
        state.pop("_vocabulary", None)  # rebuilt from the arrays on first use
        return state

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.two_d_array = False
        return tags


def _texts(X: Iterable[str]) -> list[str]:
    if isinstance(X, str):
        raise ValueError("Expected an iterable of sentences, not one string; wrap it in a list.")
    texts = list(X)
    bad = next((i for i, t in enumerate(texts) if not isinstance(t, str)), None)
    if bad is not None:
        raise ValueError(f"Expected sentences (str) but item {bad} is {type(texts[bad]).__name__}.")
    return texts
