"""N-grams as integer keys over token ids: the index of a fitted vocabulary, and counting.

An n-gram of token ids ``(a, b, c)`` has the key ``(a * base + b) * base + c``,
looked up a whole array at a time in a hash table (`trainer.features.lookup`).
That is what makes `trainer.features.Vocabulary.transform` several times faster
than building and looking up every n-gram string.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .lookup import IntLookup
from .tokens import TokenTable, token_ids

__all__ = ["NgramIndex", "SparseRows", "count_ngrams", "ngram_starts"]

_SMALL_BATCH = 5_000  # n-gram keys below which a binary search beats building the hash table


@dataclass(frozen=True)
class SparseRows:
    """A sparse matrix as the three arrays of its CSR form, without scipy (which ``trainer predict`` never imports).

    Attributes
    ----------
    data : numpy.ndarray
        The values, row after row, columns increasing within a row.
    indices : numpy.ndarray of int
        The column of each value.
    indptr : numpy.ndarray of int
        Where each row starts in ``data``, then its length.
    shape : tuple of int
    """

    data: Any
    indices: Any
    indptr: Any
    shape: tuple[int, int]

    def tocsr(self) -> Any:
        """The same matrix as a canonical `scipy.sparse.csr_matrix` (sharing the arrays)."""
        import scipy.sparse as sp

        matrix = sp.csr_matrix((self.data, self.indices, self.indptr), shape=self.shape)
        matrix.has_canonical_format = True
        return matrix


class NgramIndex:
    """The columns of a vocabulary's features, found by token ids.

    Parameters
    ----------
    tokens : sequence of str
        Every token the vocabulary needs; its id is its position.
    ngrams : numpy.ndarray of int
        One row per feature column: the ids of its tokens, padded with -1.

    Raises
    ------
    ValueError
        If n-gram keys over this many tokens would not fit in 64 bits.

    Examples
    --------
    >>> index = NgramIndex(["prices", "rose"], np.array([[0, -1], [0, 1], [1, -1]]))
    >>> index.columns(2, index.keys([np.array([0]), np.array([1])])).tolist()
    [1]
    """

    def __init__(self, tokens: Sequence[str], ngrams: Any):
        self.tokens = TokenTable(tokens)
        self.base = len(tokens) + 1
        sizes = (ngrams >= 0).sum(axis=1) if len(ngrams) else np.zeros(0, dtype=np.int64)
        longest = int(sizes.max()) if len(sizes) else 1
        if self.base**longest >= 2**63:
            raise ValueError(f"{len(tokens)} tokens are too many for n-grams of {longest} as 64-bit keys")
        self.unigram = np.full(len(tokens), -1, dtype=np.int64)
        ones = np.flatnonzero(sizes == 1)
        self.unigram[ngrams[ones, 0]] = ones
        self.ngrams: dict[int, tuple] = {}
        for n in range(2, longest + 1):
            columns = np.flatnonzero(sizes == n)
            if len(columns):
                keys = self.keys([ngrams[columns, i].astype(np.int64) for i in range(n)])
                order = np.argsort(keys)
                self.ngrams[n] = (keys[order], columns[order])
        self._lookups: dict[int, IntLookup] = {}

    def keys(self, parts: Sequence[Any]) -> Any:
        """Keys of n-grams given as ``n`` arrays of token ids (first token first)."""
        key = parts[0]
        for part in parts[1:]:
            key = key * self.base + part
        return key

    def columns(self, n: int, keys: Any) -> Any:
        """Columns of n-gram keys (-1 for n-grams not in the vocabulary)."""
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
        """Build every table now (before worker processes fork, so that they share them)."""
        for n in self.ngrams:
            self.lookup(n)
        self.tokens.packed_words()
        self.tokens.marks()


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
    >>> ngram_starts(np.array([0, 0, 0, 1, 1]), 2).tolist()
    [0, 1, 3]
    """
    start = np.arange(max(len(rows) - n + 1, 0))
    return start[rows[start] == rows[start + n - 1]]


def count_ngrams(
    sentences: Sequence[str],
    *,
    index: NgramIndex,
    ngram_range: tuple[int, int],
    n_features: int,
    quotes: bool,
    cues: bool,
) -> Any:
    """Count the vocabulary's n-grams and cues in each sentence.

    Parameters
    ----------
    sentences : sequence of str
        Raw sentences.
    index : NgramIndex
        The vocabulary.
    ngram_range : tuple of int
        The smallest and largest n of the n-grams.
    n_features : int
        Size of the vocabulary.
    quotes, cues : bool
        As in `trainer.features.rules.analyze`.

    Returns
    -------
    SparseRows
        Counts (float32), columns sorted within rows, each column once.
    """
    ids, row, cue_ids, cue_rows = token_ids(sentences, index.tokens, quotes=quotes, cues=cues)
    rows, columns = [], []
    low, high = ngram_range
    singles = [(ids, row)] if low == 1 else []
    for single_ids, single_rows in [*singles, (cue_ids, cue_rows)]:
        known = single_ids >= 0
        found = index.unigram[single_ids[known]]
        rows.append(single_rows[known][found >= 0])
        columns.append(found[found >= 0])
    for n in range(max(2, low), high + 1):
        start = ngram_starts(row, n)
        parts = [ids[start + offset] for offset in range(n)]
        known = np.logical_and.reduce([part >= 0 for part in parts])
        found = index.columns(n, index.keys([part[known] for part in parts]))
        rows.append(row[start[known]][found >= 0])
        columns.append(found[found >= 0])
    # One sort of (row, column) keys gives the canonical CSR matrix: sorted, duplicates summed.
    keys = np.sort(np.concatenate([r * n_features + c for r, c in zip(rows, columns, strict=True)]))
    keys = keys.astype(np.int64, copy=False)
    new = np.flatnonzero(np.diff(keys, prepend=-1))
    unique = keys[new]
    data = np.diff(np.append(new, len(keys))).astype(np.float32)
    indptr = np.searchsorted(unique // n_features, np.arange(len(sentences) + 1))
    return SparseRows(data, unique % n_features, indptr, (len(sentences), n_features))
