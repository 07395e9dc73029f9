"""Turn sentences into a fitted model's tf-idf features, faster than ``TfidfVectorizer.transform``.

scikit-learn's vectorizer builds and looks up every n-gram string in a Python
loop. For the vectorizers that `trainer.model.build_pipeline` makes, this module
turns a whole batch into token ids (`trainer.tokens`), finds n-grams as integer
keys over those ids with NumPy, looks them up in a hash table and hands the count
matrix to the fitted ``TfidfTransformer``. The features, and so every
prediction, are identical to ``vectorizer.transform``; other vectorizers fall
back to it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .lookup import IntLookup
from .model import normalize_text
from .tokens import TokenTable, token_ids

__all__ = ["NgramIndex", "count_ngrams", "index_of", "is_supported", "ngram_starts", "remember_index", "transform"]

_INDEX_CACHE: dict[int, tuple] = {}
_SMALL_BATCH = 5_000  # n-gram keys below which a binary search beats building the hash table


class NgramIndex:
    """A vocabulary of n-grams as integer keys over token ids.

    An n-gram of token ids ``(a, b, c)`` has the key ``(a * base + b) * base + c``.

    Parameters
    ----------
    tokens : sequence of str
        Every token of the vocabulary; its id is its position.
    unigram : numpy.ndarray of int64
        Column of each token as a one-token feature (-1 if it is not one).
    ngrams : dict
        ``n -> (sorted keys, their columns)`` for n-grams of two tokens or more.

    Examples
    --------
    >>> index = NgramIndex.from_vocabulary({"prices": 0, "rose": 1, "prices rose": 2})
    >>> import numpy as np
    >>> index.columns(2, index.keys([np.array([0]), np.array([1])])).tolist()
    [2]
    """

    def __init__(self, tokens: Sequence[str], unigram: Any, ngrams: dict[int, tuple]):
        self.tokens = TokenTable(tokens)
        self.base = len(tokens) + 1
        self.unigram = unigram
        self.ngrams = ngrams
        self._lookups: dict[int, IntLookup] = {}

    @classmethod
    def from_vocabulary(cls, vocabulary: dict[str, int]) -> NgramIndex | None:
        """Index a fitted vectorizer's ``vocabulary_`` (None if its keys would not fit in int64).

        Parameters
        ----------
        vocabulary : dict
            N-gram (tokens joined by single spaces) -> column.

        Returns
        -------
        NgramIndex or None
        """
        import numpy as np

        tokens: dict[str, int] = {}
        grams = [(feature.split(" "), column) for feature, column in vocabulary.items()]
        for parts, _ in grams:
            for part in parts:
                tokens.setdefault(part, len(tokens))
        base = len(tokens) + 1
        longest = max((len(parts) for parts, _ in grams), default=1)
        if base**longest >= 2**63:
            return None
        unigram = np.full(len(tokens), -1, dtype=np.int64)
        keys: dict[int, list] = {}
        for parts, column in grams:
            if len(parts) == 1:
                unigram[tokens[parts[0]]] = column
                continue
            key = 0
            for part in parts:
                key = key * base + tokens[part]
            keys.setdefault(len(parts), []).append((key, column))
        ngrams = {}
        for n, pairs in keys.items():
            pairs.sort()
            ngrams[n] = tuple(np.array(column, dtype=np.int64) for column in zip(*pairs, strict=True))
        return cls(list(tokens), unigram, ngrams)

    def to_arrays(self) -> dict[str, Any]:
        """The index as NumPy arrays (no pickle needed), for `from_arrays`."""
        import numpy as np

        arrays = {
            "tokens": np.frombuffer("\n".join(self.tokens).encode("utf-8"), dtype=np.uint8),
            "unigram": self.unigram,
        }
        for n, (keys, columns) in self.ngrams.items():
            arrays[f"keys_{n}"], arrays[f"columns_{n}"] = keys, columns
        return arrays

    @classmethod
    def from_arrays(cls, arrays: dict[str, Any]) -> NgramIndex:
        """Rebuild an index from `to_arrays`."""
        tokens = bytes(arrays["tokens"]).decode("utf-8").split("\n") if len(arrays["tokens"]) else []
        sizes = [int(name.removeprefix("keys_")) for name in arrays if name.startswith("keys_")]
        ngrams = {n: (arrays[f"keys_{n}"], arrays[f"columns_{n}"]) for n in sizes}
        return cls(tokens, arrays["unigram"], ngrams)

    def keys(self, parts: Sequence[Any]) -> Any:
        """Keys of n-grams given as ``n`` arrays of token ids (first token first)."""
        key = parts[0]
        for part in parts[1:]:
            key = key * self.base + part
        return key

    def columns(self, n: int, keys: Any) -> Any:
        """Columns of n-gram keys (-1 for n-grams not in the vocabulary)."""
        import numpy as np

        if n not in self.ngrams:
            return np.full(len(keys), -1, dtype=np.int64)
        if n in self._lookups or len(keys) >= _SMALL_BATCH:
            return self.lookup(n).get(keys)
        known, columns = self.ngrams[n]
        position = np.searchsorted(known, keys)
        position[position == len(known)] = 0
        return np.where(known[position] == keys, columns[position], -1)

    def lookup(self, n: int) -> IntLookup:
        """The hash table of n-grams of ``n`` tokens, built on first use."""
        if n not in self._lookups:
            self._lookups[n] = IntLookup(*self.ngrams[n])
        return self._lookups[n]

    def prepare(self) -> None:
        """Build every hash table now (before worker processes fork, so they share them)."""
        for n in self.ngrams:
            self.lookup(n)


def ngram_starts(rows: Any, n: int) -> Any:
    """Positions of the windows of ``n`` tokens that lie inside one sentence.

    Parameters
    ----------
    rows : numpy.ndarray
        The sentence of each token (non-decreasing).
    n : int
        Tokens per window.

    Returns
    -------
    numpy.ndarray of int64

    Examples
    --------
    >>> import numpy as np
    >>> ngram_starts(np.array([0, 0, 0, 1, 1]), 2).tolist()
    [0, 1, 3]
    """
    import numpy as np

    start = np.arange(max(len(rows) - n + 1, 0))
    return start[rows[start] == rows[start + n - 1]]


def is_supported(vectorizer: Any, *, fitted: bool = True) -> bool:
    """Whether `trainer.model.build_pipeline` made this vectorizer (fitted, or not, as asked).

    Those (word n-grams of `trainer.model.normalize_text` output) take the fast paths.
    """
    return (
        type(vectorizer).__name__ == "TfidfVectorizer"
        and vectorizer.analyzer == "word"
        and vectorizer.preprocessor is normalize_text
        and vectorizer.tokenizer is None
        and vectorizer.stop_words is None
        and not vectorizer.binary
        and hasattr(vectorizer, "vocabulary_") == fitted
    )


def index_of(vectorizer: Any) -> NgramIndex | None:
    """The `NgramIndex` of a fitted vectorizer's vocabulary: the one `remember_index` kept, or built.

    None if its n-gram keys would not fit in int64.
    """
    cached = _INDEX_CACHE.get(id(vectorizer))
    if cached is not None and cached[0] is vectorizer:
        return cached[1]
    index = NgramIndex.from_vocabulary(vectorizer.vocabulary_)
    remember_index(vectorizer, index)
    return index


def remember_index(vectorizer: Any, index: NgramIndex | None) -> None:
    """Keep the index of a vectorizer (one at a time), for `index_of`."""
    _INDEX_CACHE.clear()
    _INDEX_CACHE[id(vectorizer)] = (vectorizer, index)


def count_ngrams(
    sentences: Sequence[str],
    *,
    index: NgramIndex,
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
    index : NgramIndex
        The vocabulary.
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
    import numpy as np
    import scipy.sparse as sp

    ids, row = token_ids(sentences, index.tokens, token_pattern=token_pattern)
    rows, columns = [], []
    low, high = ngram_range
    if low == 1:
        known = ids >= 0
        found = index.unigram[ids[known]]
        rows.append(row[known][found >= 0])
        columns.append(found[found >= 0])
    for n in range(max(2, low), high + 1):
        start = ngram_starts(row, n)
        parts = [ids[start + offset] for offset in range(n)]
        known = np.logical_and.reduce([part >= 0 for part in parts])
        found = index.columns(n, index.keys([part[known] for part in parts]))
        rows.append(row[start[known]][found >= 0])
        columns.append(found[found >= 0])
    # One sort of (row, column) keys gives the canonical CSR matrix: sorted, duplicates summed.
    keys = np.sort(np.concatenate([r * n_features + c for r, c in zip(rows, columns, strict=True)] or [[]]))
    keys = keys.astype(np.int64, copy=False)
    new = np.flatnonzero(np.diff(keys, prepend=-1))
    unique = keys[new]
    data = np.diff(np.append(new, len(keys))).astype(dtype)
    indptr = np.searchsorted(unique // n_features, np.arange(len(sentences) + 1))
    counts = sp.csr_matrix((data, unique % n_features, indptr), shape=(len(sentences), n_features))
    counts.has_canonical_format = True
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
    index = index_of(vectorizer) if is_supported(vectorizer) else None
    if index is None:
        return vectorizer.transform(sentences)
    counts = count_ngrams(
        sentences,
        index=index,
        token_pattern=vectorizer.token_pattern,
        ngram_range=vectorizer.ngram_range,
        n_features=len(vectorizer.vocabulary_),
        dtype=vectorizer.dtype,
    )
    return vectorizer._tfidf.transform(counts, copy=False)
