"""A fitted vocabulary and how it is fitted: tokens, n-grams, idf weights, tf-idf features.

Fitting does what scikit-learn's ``TfidfVectorizer.fit_transform`` does for our
tokens, several times faster, with NumPy:

1. every token of the texts is collected and sorted, so that a token's id is its
   alphabetical rank, and the texts become token ids (`trainer.features.tokens`);
2. each n-gram is written as one integer whose order is the alphabetical order of
   its string (as scikit-learn sorts features) and counted per sentence;
3. the idf weights come from the document frequencies, as scikit-learn's
   ``TfidfTransformer`` (``smooth_idf=True``, ``norm="l2"``) computes them.

Tests check the vocabulary, idf and matrix against ``TfidfVectorizer`` with the
reference analyzer (`trainer.features.rules.analyze`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

import numpy as np

from .cues import ATTRIBUTION_WORDS, BOUND_WORDS, CUE_CLASSES, CUE_WORDS, QUOTED_CUES, SENTENCE_WORDS
from .lookup import distinct
from .ngrams import NgramIndex, SparseRows, count_ngrams, ngram_starts
from .rules import MONTH_MAY, QUOTE_PREFIX, RULE_PREFIX, SENTENCE_CUES, SHAPES, STRUCTURE_CUES, analyze, cue_name
from .tokens import SYMBOLS, TokenTable, token_ids

__all__ = ["Tokenized", "Vocabulary", "fit_vocabulary", "tokenize"]

_CHUNK = 20_000  # sentences tokenised and counted at a time
# ASCII bytes -> themselves if part of a word (lowercased), else a space.
_WORD_BYTES = (
    bytes(c + 32 if 65 <= c <= 90 else c if (97 <= c <= 122 or c == 95) else 32 for c in range(128)) + b" " * 128
)
_CUE_NAMES = sorted(
    {cue_name(c) for c in CUE_CLASSES.values()}
    | {cue_name(c, quoted=True) for c in QUOTED_CUES}
    | {*STRUCTURE_CUES, *SENTENCE_CUES}
)


class Vocabulary:
    """The fitted state of the features: tokens, the tokens of each column, idf weights.

    Everything is plain arrays (`to_arrays`), so that a model saves compactly and
    loads without pickle. `transform` is the one implementation of the features,
    used by `trainer.features.TextFeatures` and by `trainer.predictor.Predictor`.

    Parameters
    ----------
    tokens : sequence of str
        The tokens of the columns, then those the byte path needs besides (the
        plain forms of quoted tokens, the cue words).
    ngrams : numpy.ndarray of int32
        One row per column: the ids of its tokens, padded with -1.
    idf : numpy.ndarray of float
        The idf weight of each column.
    ngram_range : tuple of int
    sublinear_tf, quotes, cues : bool
        The settings the vocabulary was fitted with.
    """

    def __init__(
        self,
        tokens: Sequence[str],
        ngrams: Any,
        idf: Any,
        *,
        ngram_range: tuple[int, int],
        sublinear_tf: bool,
        quotes: bool,
        cues: bool,
    ):
        self.tokens = list(tokens)
        self.ngrams = np.asarray(ngrams)
        self.idf = np.asarray(idf)
        self.ngram_range = (int(ngram_range[0]), int(ngram_range[1]))
        self.sublinear_tf = bool(sublinear_tf)
        self.quotes = bool(quotes)
        self.cues = bool(cues)
        self._index: NgramIndex | None = None

    @property
    def index(self) -> NgramIndex:
        """The hash tables that find columns by token ids (built on first use)."""
        if self._index is None:
            self._index = NgramIndex(self.tokens, self.ngrams)
        return self._index

    def __len__(self) -> int:
        return len(self.idf)

    def counts(self, sentences: Sequence[str]) -> SparseRows:
        """Raw counts of each column in each sentence (float32)."""
        return count_ngrams(
            sentences,
            index=self.index,
            ngram_range=self.ngram_range,
            n_features=len(self),
            quotes=self.quotes,
            cues=self.cues,
        )

    def transform(self, sentences: Sequence[str]) -> Any:
        """Tf-idf features of sentences: counts, sublinear tf, idf, rows scaled to unit length.

        Parameters
        ----------
        sentences : sequence of str

        Returns
        -------
        scipy.sparse.csr_matrix of float32
        """
        return self.features(sentences).tocsr()

    def features(self, sentences: Sequence[str]) -> SparseRows:
        """`transform` as CSR arrays, without scipy (for ``trainer predict``)."""
        return self.weigh(self.counts(sentences))

    def weigh(self, counts: Any) -> Any:
        """Turn a count matrix (CSR or `SparseRows`) into tf-idf features, in place."""
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

    def feature_names(self) -> Any:
        """The name of each column: its tokens joined by spaces (``"prices rose"``, ``"[hedge]"``)."""
        names = np.array([*self.tokens, ""], dtype=object)
        parts = names[self.ngrams]  # -1 picks the final ""
        joined = parts[:, 0].copy()
        for i in range(1, parts.shape[1]):
            more = self.ngrams[:, i] >= 0
            joined[more] = joined[more] + " " + parts[more, i]
        return joined

    def to_arrays(self) -> dict[str, Any]:
        """The vocabulary as NumPy arrays (no objects: safe to save without pickle), for `from_arrays`."""
        return {
            "tokens": np.frombuffer("\n".join(self.tokens).encode("utf-8"), dtype=np.uint8),
            "ngrams": self.ngrams.astype(np.int32),
            "idf": self.idf,
            "settings": np.array([*self.ngram_range, self.sublinear_tf, self.quotes, self.cues], dtype=np.int64),
        }

    @classmethod
    def from_arrays(cls, arrays: dict[str, Any]) -> Vocabulary:
        """Rebuild a vocabulary from `to_arrays`."""
        tokens = bytes(arrays["tokens"]).decode("utf-8").split("\n") if len(arrays["tokens"]) else []
        low, high, sublinear, quotes, cues = (int(x) for x in arrays["settings"])
        return cls(
            tokens,
            arrays["ngrams"],
            arrays["idf"],
            ngram_range=(low, high),
            sublinear_tf=bool(sublinear),
            quotes=bool(quotes),
            cues=bool(cues),
        )


@dataclass(frozen=True)
class Tokenized:
    """Texts as token ids: tokenise once, fit several vocabularies on subsets of the texts.

    Attributes
    ----------
    tokens : list of str
        Sorted; a token's id is its position.
    ids, rows : numpy.ndarray of int32
        Token ids, text after text, and the text of each (non-decreasing).
    cue_ids, cue_rows : numpy.ndarray of int32
        The same for cues.
    n_texts : int
        Number of texts.
    quotes, cues : bool
        The settings the texts were tokenised with.
    """

    tokens: list[str]
    ids: Any
    rows: Any
    cue_ids: Any
    cue_rows: Any
    n_texts: int
    quotes: bool
    cues: bool

    def subset(self, indices: Sequence[int]) -> Tokenized:
        """The tokens of the texts at ``indices`` (increasing), numbered from 0."""
        if np.any(np.diff(indices) <= 0):
            raise ValueError("subset expects increasing indices")
        number = np.full(self.n_texts, -1, dtype=np.int64)
        number[np.asarray(indices, dtype=np.int64)] = np.arange(len(indices))
        keep = number[self.rows] >= 0
        keep_cues = number[self.cue_rows] >= 0
        return Tokenized(
            self.tokens,
            self.ids[keep],
            number[self.rows[keep]].astype(np.int32),
            self.cue_ids[keep_cues],
            number[self.cue_rows[keep_cues]].astype(np.int32),
            len(indices),
            self.quotes,
            self.cues,
        )


def tokenize(texts: Sequence[str], *, quotes: bool = True, cues: bool = True) -> Tokenized:
    """Token and cue ids of texts, with every token they may hold.

    Parameters
    ----------
    texts : sequence of str
        Raw sentences.
    quotes, cues : bool
        As in `trainer.features.rules.analyze`.

    Returns
    -------
    Tokenized

    Examples
    --------
    >>> tokenize(["Prices rose.", "Rose!"], cues=False).n_texts
    2
    """
    texts = list(texts)
    plain = _collect_tokens(texts)
    tokens = set(plain)
    if quotes:
        tokens |= {QUOTE_PREFIX + token for token in plain} | set(ATTRIBUTION_WORDS)
    if cues:
        tokens |= {*CUE_WORDS, *SENTENCE_WORDS, *_CUE_NAMES, *(RULE_PREFIX + word for word in BOUND_WORDS)}
    table = TokenTable(sorted(tokens))
    parts: list[list] = [[np.zeros(0, dtype=np.int32)] for _ in range(4)]
    for start in range(0, len(texts), _CHUNK):
        found = token_ids(texts[start : start + _CHUNK], table, quotes=quotes, cues=cues)
        for part, values in zip(parts, found, strict=True):
            # int32: half the memory, and half to send to a worker.
            part.append((values + (start if part is parts[1] or part is parts[3] else 0)).astype(np.int32))
    ids, rows, cue_ids, cue_rows = (np.concatenate(part) for part in parts)
    return Tokenized(list(table), ids, rows, cue_ids, cue_rows, len(texts), quotes, cues)


def fit_vocabulary(
    texts: Sequence[str] | None = None,
    *,
    ngram_range: tuple[int, int] = (1, 2),
    min_df: int = 1,
    sublinear_tf: bool = True,
    quotes: bool = True,
    cues: bool = True,
    tokenized: Tokenized | None = None,
) -> tuple[Vocabulary, Any]:
    """Fit a vocabulary on texts and return it with the texts' tf-idf features.

    Parameters
    ----------
    texts : sequence of str, optional
        Training sentences (or give ``tokenized``).
    ngram_range : tuple of int
        The smallest and largest n of the word n-grams.
    min_df : int
        Columns must occur in at least this many texts.
    sublinear_tf : bool
        Use ``1 + log(count)`` instead of the count.
    quotes, cues : bool
        As in `trainer.features.rules.analyze`.
    tokenized : Tokenized, optional
        ``tokenize(texts)``, if already known (its ``quotes`` and ``cues`` win).

    Returns
    -------
    vocabulary : Vocabulary
    features : scipy.sparse.csr_matrix of float32
        Equal to ``TfidfVectorizer(analyzer=...).fit_transform(texts)``.

    Raises
    ------
    ValueError
        On bad settings, or if no text has a token.

    Examples
    --------
    >>> vocabulary, features = fit_vocabulary(["Prices rose.", "Prices fell 5%."], cues=False)
    >>> features.shape
    (2, 9)
    """
    low, high = (int(n) for n in ngram_range)
    if not 1 <= low <= high:
        raise ValueError(f"ngram_range must be (low, high) with 1 <= low <= high, not {ngram_range!r}")
    if not isinstance(min_df, int | np.integer) or min_df < 1:
        raise ValueError(f"min_df must be a whole number of at least 1, not {min_df!r}")
    if tokenized is None:
        if texts is None:
            raise ValueError("fit_vocabulary needs texts or tokenized")
        tokenized = tokenize(texts, quotes=quotes, cues=cues)
    base = len(tokenized.tokens) + 1
    if base**high >= 2**63:
        raise ValueError(f"{base - 1} tokens are too many for n-grams of {high} as 64-bit keys")
    counts, features = _count_features(tokenized, low, high, min_df)
    ngrams, tokens = _columns(features, tokenized.tokens, base, high, quotes=tokenized.quotes, cues=tokenized.cues)
    df = np.bincount(counts.indices, minlength=counts.shape[1])
    idf = (np.log((1 + tokenized.n_texts) / (1 + df)) + 1).astype(np.float32)
    vocabulary = Vocabulary(
        tokens,
        ngrams,
        idf,
        ngram_range=(low, high),
        sublinear_tf=sublinear_tf,
        quotes=tokenized.quotes,
        cues=tokenized.cues,
    )
    return vocabulary, vocabulary.weigh(counts)


def _collect_tokens(texts: list[str]) -> list[str]:
    """Every plain token of the texts (a few that never occur may be among them: harmless)."""
    found: set[str] = {*SHAPES, *SYMBOLS, MONTH_MAY}
    for start in range(0, len(texts), _CHUNK):
        chunk = texts[start : start + _CHUNK]
        # Words of ASCII letters, wherever they are; the rest of a non-ASCII sentence by the reference.
        words = "\n".join(chunk).encode("utf-8", "surrogatepass").translate(_WORD_BYTES).split()
        found.update(word.decode("ascii") for word in set(words))
        for text in chunk:
            if not text.isascii():
                found.update(analyze(text, quotes=False, cues=False)[0])
    return sorted(found)


def _count_features(tokenized: Tokenized, low: int, high: int, min_df: int) -> tuple:
    """Count matrix (canonical CSR) and the sorted feature keys of its columns."""
    base = len(tokenized.tokens) + 1
    n = tokenized.n_texts
    if min_df > n:
        raise ValueError(f"min_df={min_df} is more than the {n} texts")
    edges = np.arange(0, n + _CHUNK, _CHUNK)
    bounds = np.searchsorted(tokenized.rows, edges).tolist()
    cue_bounds = np.searchsorted(tokenized.cue_rows, edges).tolist()
    chunk_keys, chunk_rows, chunk_features, chunk_counts = [], [], [], []
    for (begin, end), (cue_begin, cue_end), first_row in zip(
        pairwise(bounds), pairwise(cue_bounds), edges[:-1], strict=True
    ):
        keys, key_rows = _ngram_keys(tokenized.ids[begin:end], tokenized.rows[begin:end], base, low, high)
        cue_keys = (tokenized.cue_ids[cue_begin:cue_end].astype(np.int64) + 1) * base ** (high - 1)
        keys = np.concatenate([keys, cue_keys])
        key_rows = np.concatenate([key_rows, tokenized.cue_rows[cue_begin:cue_end].astype(np.int64)])
        # Per text, each distinct n-gram once with its count, ordered by key.
        local, inverse = np.unique(keys, return_inverse=True)
        width = max(len(local), 1)
        pairs, counts = np.unique(key_rows * width + inverse, return_counts=True)
        # pairs are sorted, so their rows come from the row boundaries (cheaper than dividing).
        per_row = np.diff(np.searchsorted(pairs, np.arange(first_row, first_row + _CHUNK + 1) * width))
        rows = np.repeat(np.arange(first_row, first_row + _CHUNK), per_row)
        chunk_keys.append(local)  # int32 below: half the memory to touch (CSR indices are int32 anyway)
        chunk_rows.append(rows.astype(np.int32))
        chunk_features.append((pairs - rows * width).astype(np.int32))
        chunk_counts.append(counts.astype(np.int32))
    features = distinct(np.concatenate(chunk_keys)) if chunk_keys else np.zeros(0, dtype=np.int64)
    if len(features) == 0:
        raise ValueError("empty vocabulary: no text has a token")
    columns = np.concatenate(
        [
            np.searchsorted(features, keys).astype(np.int32)[local]
            for keys, local in zip(chunk_keys, chunk_features, strict=True)
        ]
    )
    rows = np.concatenate(chunk_rows)
    counts = np.concatenate(chunk_counts)
    if min_df > 1:
        frequent = np.bincount(columns, minlength=len(features)) >= min_df
        keep = frequent[columns]
        columns, rows, counts = (np.cumsum(frequent) - 1)[columns[keep]], rows[keep], counts[keep]
        features = features[frequent]
        if len(features) == 0:
            raise ValueError(f"no n-gram occurs in {min_df} texts or more: lower min_df")
    import scipy.sparse as sp

    indptr = np.searchsorted(rows, np.arange(n + 1))
    matrix = sp.csr_matrix((counts.astype(np.float32), columns, indptr), shape=(n, len(features)), dtype=np.float32)
    matrix.has_canonical_format = True
    return matrix, features


def _ngram_keys(ids: Any, rows: Any, base: int, low: int, high: int) -> tuple:
    """Integer key of each n-gram, ordered as the n-gram strings are.

    An n-gram of token ranks ``r1 .. rn`` is written in base ``base`` as the
    digits ``r1 + 1, .., rn + 1`` followed by zeros up to ``high`` digits: a
    shorter n-gram sorts before the longer ones it begins, as strings do
    (tokens hold no character below the joining space).
    """
    keys, key_rows = [np.zeros(0, dtype=np.int64)], [np.zeros(0, dtype=np.int64)]
    for n in range(low, high + 1):
        start = ngram_starts(rows, n)
        key = np.zeros(len(start), dtype=np.int64)
        for offset in range(high):
            key *= base
            if offset < n:
                key += ids[start + offset] + 1
        keys.append(key)
        key_rows.append(rows[start].astype(np.int64))  # multiplied by a width below
    return np.concatenate(keys), np.concatenate(key_rows)


def _columns(features: Any, tokens: list[str], base: int, high: int, *, quotes: bool, cues: bool) -> tuple:
    """The token ids of each feature column, and the tokens they index (used ones, then those transform needs)."""
    digits = np.stack([(features // base ** (high - 1 - i)) % base for i in range(high)])  # ranks + 1, 0 = none
    used = distinct(digits[digits > 0]) - 1
    kept = [tokens[i] for i in used.tolist()]
    extra = set()
    if quotes:  # the plain form of quoted tokens, and what the attribution of reported speech looks at
        extra |= {t.removeprefix(QUOTE_PREFIX) for t in kept if t.startswith(QUOTE_PREFIX)} | set(ATTRIBUTION_WORDS)
    if cues:  # what the cues look at, so that the byte path finds them as `analyze` does
        extra |= {*CUE_WORDS, *SENTENCE_WORDS, *_CUE_NAMES, *SHAPES, *SYMBOLS}
    extra -= set(kept)
    compact = np.full(len(tokens) + 1, -1, dtype=np.int32)
    compact[used + 1] = np.arange(len(used), dtype=np.int32)
    return compact[digits.T], kept + sorted(extra)
