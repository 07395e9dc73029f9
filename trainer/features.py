"""Turn sentences into a fitted model's tf-idf features, faster than ``TfidfVectorizer.transform``.

scikit-learn's vectorizer builds and looks up every n-gram string in a Python
loop. For the vectorizers that `trainer.model.build_pipeline` makes, this module
normalises and tokenises a whole batch with two regular-expression calls, maps
tokens to integer ids, finds n-grams as integer keys with NumPy, and hands the
count matrix to the fitted ``TfidfTransformer``. The features, and so every
prediction, are identical to ``vectorizer.transform``; other vectorizers fall
back to it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import repeat
from typing import Any

from .model import normalize_text

__all__ = ["build_index", "count_ngrams", "transform"]

_SEPARATOR = "\x00"  # joins sentences; never a token, never inside a number
_INDEX_CACHE: dict[int, tuple] = {}


def _supported(vectorizer: Any) -> bool:
    return (
        type(vectorizer).__name__ == "TfidfVectorizer"
        and vectorizer.analyzer == "word"
        and vectorizer.preprocessor is normalize_text
        and vectorizer.tokenizer is None
        and vectorizer.stop_words is None
        and not vectorizer.binary
        and hasattr(vectorizer, "vocabulary_")
    )


def build_index(vocabulary: dict[str, int]) -> tuple:
    """Index a vocabulary of n-grams for `count_ngrams`.

    Parameters
    ----------
    vocabulary : dict
        N-gram (tokens joined by single spaces) -> column.

    Returns
    -------
    tuple
        ``(token ids, key base, unigram columns, {n: (sorted n-gram keys, their columns)})``.
    """
    import numpy as np

    tokens: dict[str, int] = {}
    grams = [(feature.split(" "), column) for feature, column in vocabulary.items()]
    for parts, _ in grams:
        for part in parts:
            tokens.setdefault(part, len(tokens))
    size = len(tokens) + 1
    unigram = np.full(size, -1, dtype=np.int64)
    keys: dict[int, list] = {}
    for parts, column in grams:
        if len(parts) == 1:
            unigram[tokens[parts[0]]] = column
            continue
        key = 0
        for part in parts:
            key = key * size + tokens[part]
        keys.setdefault(len(parts), []).append((key, column))
    ngrams = {}
    for n, pairs in keys.items():
        pairs.sort()
        ngrams[n] = (np.array([k for k, _ in pairs], dtype=np.int64), np.array([c for _, c in pairs], dtype=np.int64))
    tokens[_SEPARATOR] = -2
    return tokens, size, unigram, ngrams


def _vectorizer_index(vectorizer: Any) -> tuple:
    cached = _INDEX_CACHE.get(id(vectorizer))
    if cached is not None and cached[0] is vectorizer:
        return cached[1]
    index = build_index(vectorizer.vocabulary_)
    _INDEX_CACHE.clear()
    _INDEX_CACHE[id(vectorizer)] = (vectorizer, index)
    return index


def count_ngrams(
    sentences: Sequence[str],
    *,
    index: tuple,
    token_pattern: str,
    ngram_range: tuple[int, int],
    n_features: int,
    dtype: Any,
):
    """Count the vocabulary's n-grams in each normalised sentence.

    Parameters
    ----------
    sentences : sequence of str
        Raw sentences; `trainer.model.normalize_text` is applied.
    index : tuple
        From `build_index`.
    token_pattern : str
        The vectorizer's token pattern.
    ngram_range : tuple of int
        The vectorizer's n-gram range.
    n_features : int
        Size of the vocabulary.
    dtype : numpy dtype
        Type of the counts.

    Returns
    -------
    scipy.sparse.csr_matrix
        Counts with sorted indices, as ``CountVectorizer`` makes them.
    """
    text = _SEPARATOR.join(sentences)
    if text.count(_SEPARATOR) != max(len(sentences) - 1, 0):
        # The separator inside a sentence: any other non-word, non-space character
        # splits tokens the same way and leaves numbers alone.
        text = _SEPARATOR.join(s.replace(_SEPARATOR, "\x01") for s in sentences)
    import numpy as np
    import scipy.sparse as sp

    tokens, size, unigram, ngrams = index
    words = re.findall(f"{token_pattern}|{_SEPARATOR}", normalize_text(text))
    ids = np.fromiter(map(tokens.get, words, repeat(-1)), dtype=np.int64, count=len(words))
    separators = ids == -2
    row = np.cumsum(separators)  # sentence of each token
    ids = ids[~separators]
    row = row[~separators]
    rows, columns = [], []
    low, high = ngram_range
    if low == 1:
        known = ids >= 0
        rows.append(row[known])
        columns.append(unigram[ids[known]])
    for n in range(max(2, low), high + 1):
        if n not in ngrams or len(ids) < n:
            continue
        start = np.arange(len(ids) - n + 1)
        valid = row[start] == row[start + n - 1]
        key = np.zeros(len(start), dtype=np.int64)
        for offset in range(n):
            part = ids[start + offset]
            valid &= part >= 0
            key = key * size + part
        keys, cols = ngrams[n]
        position = np.searchsorted(keys, key[valid])
        position[position == len(keys)] = 0
        found = keys[position] == key[valid]
        rows.append(row[start[valid]][found])
        columns.append(cols[position[found]])
    r = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64)
    c = np.concatenate(columns) if columns else np.zeros(0, dtype=np.int64)
    counts = sp.coo_matrix((np.ones(len(r), dtype=dtype), (r, c)), shape=(len(sentences), n_features)).tocsr()
    counts.sum_duplicates()
    counts.sort_indices()
    return counts


def transform(vectorizer: Any, sentences: Sequence[str]):
    """Return the tf-idf matrix of ``sentences`` under a fitted vectorizer.

    Parameters
    ----------
    vectorizer : sklearn.feature_extraction.text.TfidfVectorizer
        The fitted first step of a trainer pipeline.
    sentences : sequence of str
        Sentences to vectorise.

    Returns
    -------
    scipy.sparse.csr_matrix
        Equal to ``vectorizer.transform(sentences)``.

    Examples
    --------
    >>> model = trainer.load_model()  # doctest: +SKIP
    >>> transform(model[0], ["Prices rose."]).shape  # doctest: +SKIP
    (1, 59422)
    """
    if not _supported(vectorizer):
        return vectorizer.transform(sentences)
    counts = count_ngrams(
        sentences,
        index=_vectorizer_index(vectorizer),
        token_pattern=vectorizer.token_pattern,
        ngram_range=vectorizer.ngram_range,
        n_features=len(vectorizer.vocabulary_),
        dtype=vectorizer.dtype,
    )
    return vectorizer._tfidf.transform(counts, copy=False)
