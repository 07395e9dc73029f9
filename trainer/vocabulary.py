"""Fit a trainer vectorizer with NumPy: what ``TfidfVectorizer.fit_transform`` does, several times faster.

scikit-learn learns the vocabulary one n-gram string at a time in Python. For
the vectorizers that `trainer.model.build_pipeline` makes, this module

1. collects every token of the texts (ASCII words with one ``bytes.split``, the
   few sentences with other characters with the regular expressions),
2. sorts the tokens, so that a token's id is its alphabetical rank, and turns
   the texts into token ids with `trainer.tokens.token_ids`,
3. writes each n-gram as one integer whose order is the alphabetical order of
   its string (as scikit-learn sorts features), and counts them per sentence,

then fits the vectorizer's ``TfidfTransformer`` on the counts, as scikit-learn
does. The vocabulary, idf weights and features equal scikit-learn's (tested);
other vectorizers fall back to ``fit_transform``. It also leaves the
`trainer.features.NgramIndex` of the vocabulary where `trainer.features.transform`
finds it, so the saved NumPy model needs no second pass over the vocabulary.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from .features import NgramIndex, is_supported, ngram_starts, remember_index
from .lookup import distinct
from .model import _TOKEN_PATTERN, SHAPES, normalize_text
from .tokens import SYMBOLS, TokenTable, token_ids

__all__ = ["Tokenized", "fit_transform", "tokenize"]

_CHUNK = 20_000  # sentences tokenised and counted at a time
# ASCII bytes -> themselves if part of a word (lowercased), else a space.
_WORD_BYTES = (
    bytes(c + 32 if 65 <= c <= 90 else c if (97 <= c <= 122 or c == 95) else 32 for c in range(128)) + b" " * 128
)


@dataclass(frozen=True)
class Tokenized:
    """Texts as token ids: tokenise once, fit several vectorizers on subsets of the texts.

    Attributes
    ----------
    tokens : list of str
        Sorted; a token's id is its position.
    ids, rows : numpy.ndarray of int32
        Token ids, text after text, and the text of each (non-decreasing).
    n_texts : int
        Number of texts.
    """

    tokens: list[str]
    ids: Any
    rows: Any
    n_texts: int

    def subset(self, indices: Sequence[int]) -> Tokenized:
        """The tokens of the texts at ``indices`` (increasing), numbered from 0."""
        import numpy as np

        if np.any(np.diff(indices) <= 0):
            raise ValueError("subset expects increasing indices")
        number = np.full(self.n_texts, -1, dtype=np.int64)
        number[np.asarray(indices, dtype=np.int64)] = np.arange(len(indices))
        keep = number[self.rows] >= 0
        return Tokenized(self.tokens, self.ids[keep], number[self.rows[keep]].astype(np.int32), len(indices))


def tokenize(texts: Sequence[str]) -> Tokenized:
    """Token ids of texts, with every token they hold.

    Parameters
    ----------
    texts : sequence of str
        Raw sentences; `trainer.model.normalize_text` is applied.

    Returns
    -------
    Tokenized

    Examples
    --------
    >>> tokenize(["Prices rose.", "Rose!"]).ids.tolist()[-2:]
    [10, 0]
    """
    import numpy as np

    texts = list(texts)
    tokens = _collect_tokens(texts)
    table = TokenTable(tokens)
    ids, rows = [np.zeros(0, dtype=np.int32)], [np.zeros(0, dtype=np.int32)]
    for start in range(0, len(texts), _CHUNK):
        chunk_ids, chunk_rows = token_ids(texts[start : start + _CHUNK], table)
        ids.append(chunk_ids.astype(np.int32))  # int32: half the memory, and half to send to a worker
        rows.append((chunk_rows + start).astype(np.int32))
    return Tokenized(tokens, np.concatenate(ids), np.concatenate(rows), len(texts))


def fit_transform(vectorizer: Any, texts: Sequence[str], *, tokenized: Tokenized | None = None) -> Any:
    """Fit a vectorizer on texts and return their tf-idf matrix, like ``vectorizer.fit_transform``.

    Parameters
    ----------
    vectorizer : sklearn.feature_extraction.text.TfidfVectorizer
        Unfitted, as `trainer.model.build_pipeline` makes it; fitted in place.
    texts : sequence of str
        Training sentences.
    tokenized : Tokenized, optional
        ``tokenize(texts)``, if already known.

    Returns
    -------
    scipy.sparse.csr_matrix
        Equal to ``vectorizer.fit_transform(texts)`` (indices sorted within rows).

    Raises
    ------
    ValueError
        If no text has a token (as scikit-learn raises).

    Examples
    --------
    >>> from trainer.model import build_pipeline
    >>> vectorizer = build_pipeline()[0]
    >>> fit_transform(vectorizer, ["Prices rose.", "Prices fell 5%."]).shape
    (2, 9)
    """
    if not _fits_fast(vectorizer):
        return vectorizer.fit_transform(texts)
    from sklearn.feature_extraction.text import TfidfTransformer

    if vectorizer.min_df > len(texts):
        raise ValueError("max_df corresponds to < documents than min_df")
    tokenized = tokenized or tokenize(texts)
    if (len(tokenized.tokens) + 1) ** vectorizer.ngram_range[1] >= 2**63:  # n-gram keys would overflow int64
        return vectorizer.fit_transform(texts)
    counts, features = _count_features(tokenized, vectorizer)
    base = len(tokenized.tokens) + 1
    vocabulary, index = _vocabulary(features, tokenized.tokens, base, vectorizer.ngram_range[1])
    vectorizer.build_analyzer()  # checks parameters and leaves the state scikit-learn's fit leaves
    vectorizer.fixed_vocabulary_ = False
    vectorizer.vocabulary_ = vocabulary
    vectorizer._tfidf = TfidfTransformer(
        norm=vectorizer.norm,
        use_idf=vectorizer.use_idf,
        smooth_idf=vectorizer.smooth_idf,
        sublinear_tf=vectorizer.sublinear_tf,
    ).fit(counts)
    remember_index(vectorizer, index)
    return vectorizer._tfidf.transform(counts, copy=False)


def _fits_fast(vectorizer: Any) -> bool:
    return (
        is_supported(vectorizer, fitted=False)
        and vectorizer.token_pattern == _TOKEN_PATTERN
        and vectorizer.vocabulary is None
        and vectorizer.max_features is None
        and vectorizer.max_df == 1.0
        and isinstance(vectorizer.min_df, int)
        and vectorizer.min_df >= 1
        and 1 <= vectorizer.ngram_range[0] <= vectorizer.ngram_range[1]
    )


def _collect_tokens(texts: list[str]) -> list[str]:
    """Every token of the texts, sorted (a few that never occur may be among them: harmless)."""
    found: set[str] = {*SHAPES, *SYMBOLS}
    for start in range(0, len(texts), _CHUNK):
        chunk = texts[start : start + _CHUNK]
        # Words of ASCII letters, wherever they are; the rest of a non-ASCII sentence by regex.
        words = "\n".join(chunk).encode("utf-8", "surrogatepass").translate(_WORD_BYTES).split()
        found.update(word.decode("ascii") for word in set(words))
        for text in chunk:
            if not text.isascii():
                found.update(re.findall(_TOKEN_PATTERN, normalize_text(text)))
    return sorted(found)


def _count_features(tokenized: Tokenized, vectorizer: Any) -> tuple:
    """Count matrix (canonical CSR) and the sorted feature keys of its columns."""
    import numpy as np
    import scipy.sparse as sp

    base = len(tokenized.tokens) + 1
    low, high = vectorizer.ngram_range
    n = tokenized.n_texts
    bounds = np.searchsorted(tokenized.rows, np.arange(0, n + _CHUNK, _CHUNK)).tolist()
    chunk_keys, chunk_rows, chunk_features, chunk_counts = [], [], [], []
    for begin, end in pairwise(bounds):
        keys, key_rows = _ngram_keys(tokenized.ids[begin:end], tokenized.rows[begin:end], base, low, high)
        # Per text, each distinct n-gram once with its count, ordered by key.
        local, inverse = np.unique(keys, return_inverse=True)
        width = max(len(local), 1)
        pairs, counts = np.unique(key_rows * width + inverse, return_counts=True)
        first_row = int(tokenized.rows[begin]) if end > begin else 0
        # pairs are sorted, so their rows come from the row boundaries (cheaper than dividing).
        per_row = np.diff(np.searchsorted(pairs, np.arange(first_row, first_row + _CHUNK + 1) * width))
        rows = np.repeat(np.arange(first_row, first_row + _CHUNK), per_row)
        chunk_keys.append(local)  # int32 below: half the memory to touch (CSR indices are int32 anyway)
        chunk_rows.append(rows.astype(np.int32))
        chunk_features.append((pairs - rows * width).astype(np.int32))
        chunk_counts.append(counts.astype(np.int32))
    features = distinct(np.concatenate(chunk_keys)) if chunk_keys else np.zeros(0, dtype=np.int64)
    if len(features) == 0:
        raise ValueError("empty vocabulary; perhaps the documents only contain stop words")
    columns = np.concatenate(
        [
            np.searchsorted(features, keys).astype(np.int32)[local]
            for keys, local in zip(chunk_keys, chunk_features, strict=True)
        ]
    )
    rows = np.concatenate(chunk_rows)
    counts = np.concatenate(chunk_counts)
    if vectorizer.min_df > 1:
        frequent = np.bincount(columns, minlength=len(features)) >= vectorizer.min_df
        keep = frequent[columns]
        columns, rows, counts = (np.cumsum(frequent) - 1)[columns[keep]], rows[keep], counts[keep]
        features = features[frequent]
        if len(features) == 0:
            raise ValueError("After pruning, no terms remain. Try a lower min_df or a higher max_df.")
    indptr = np.searchsorted(rows, np.arange(n + 1))
    matrix = sp.csr_matrix(
        (counts.astype(vectorizer.dtype), columns, indptr), shape=(n, len(features)), dtype=vectorizer.dtype
    )
    matrix.has_canonical_format = True
    return matrix, features


def _ngram_keys(ids: Any, rows: Any, base: int, low: int, high: int) -> tuple:
    """Integer key of each n-gram, ordered as the n-gram strings are.

    An n-gram of token ranks ``r1 .. rn`` is written in base ``base`` as the
    digits ``r1 + 1, .., rn + 1`` followed by zeros up to ``high`` digits: a
    shorter n-gram sorts before the longer ones it begins, as strings do
    (tokens hold no character below the joining space).
    """
    import numpy as np

    keys, key_rows = [], []
    for n in range(low, high + 1):
        start = ngram_starts(rows, n)
        key = np.zeros(len(start), dtype=np.int64)
        for offset in range(high):
            key *= base
            if offset < n:
                key += ids[start + offset] + 1
        keys.append(key)
        key_rows.append(rows[start].astype(np.int64))  # multiplied by a width below
    if not keys:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate(keys), np.concatenate(key_rows)


def _vocabulary(features: Any, tokens: list[str], base: int, high: int) -> tuple[dict[str, int], NgramIndex]:
    """The vectorizer's ``vocabulary_`` and the `NgramIndex` of sorted feature keys."""
    import numpy as np

    digits = np.stack([(features // base ** (high - 1 - i)) % base for i in range(high)])  # ranks + 1, 0 = none
    used = distinct(digits[digits > 0]) - 1
    compact = np.full(len(tokens), -1, dtype=np.int64)
    compact[used] = np.arange(len(used))
    kept = [tokens[i] for i in used.tolist()]
    strings = np.array([*tokens, ""], dtype=object)  # digit 0 (no token) -> ""
    parts = [strings[row - 1].tolist() for row in digits]
    names = [" ".join(filter(None, gram)) for gram in zip(*parts, strict=True)] if high > 1 else parts[0]
    vocabulary = dict(zip(names, range(len(names)), strict=True))
    sizes = (digits > 0).sum(axis=0)
    unigram = np.full(len(kept), -1, dtype=np.int64)
    ones = np.flatnonzero(sizes == 1)
    unigram[compact[digits[0, ones] - 1]] = ones
    index = NgramIndex(kept, unigram, {})
    for n in range(2, high + 1):
        columns = np.flatnonzero(sizes == n)
        if len(columns) == 0:
            continue
        key = index.keys([compact[digits[i, columns] - 1] for i in range(n)])
        order = np.argsort(key)
        index.ngrams[n] = (key[order], columns[order])
    return vocabulary, index
