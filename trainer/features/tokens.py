r"""Token ids of sentences, computed with NumPy on UTF-8 bytes, by the rules of `trainer.features.rules`.

Running `trainer.features.rules.analyze` in Python costs tens of µs a sentence,
more than everything else in ``trainer predict``. This module finds the same
tokens, quotation marks, reported speech and cues with whole-array operations on
the bytes of a batch of sentences:

* sentences made of ASCII (without control characters), the common punctuation
  in `_EXTRA` (curly quotes, dashes, no-break spaces, € and £) and Latin letters
  beyond ASCII (`_WIDE_LETTERS`: é, ñ, ł, ...) go through NumPy: letters are
  lowercased by table, numbers are found and given their shape, quotation marks
  open or close by their neighbours, and words are looked up in a hash table of
  packed bytes (the few words with a letter beyond ASCII, by their text);
* any other sentence (other scripts, emoji, control characters) takes the
  reference path, `analyze`, so the result is the same for every input.

Tests check both paths against each other on hand-made edge cases, on the whole
corpus and on random text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import repeat
from typing import Any

import numpy as np

from .cues import (
    ATTRIBUTION_VERBS,
    BOUND_WORDS,
    CONCESSIVE_WORDS,
    COPULAS,
    CUE_CLASSES,
    FIGURE_HEDGES,
    HEDGE_REACH,
    IMPERATIVE_OPENERS,
    IMPERSONAL_WORDS,
    LEADING_WORDS,
    QUANTITY_WORDS,
    RULE_MODALS,
    VERDICT_WORDS,
    WRITER_WORDS,
)
from .lookup import IntLookup, distinct
from .rules import (
    ATTRIBUTION_REACH,
    BOUND_REACH,
    FIGURE_SHAPES,
    JUDGEMENT_REACH,
    NUMBER_WORDS,
    QUOTE_PREFIX,
    RULE_PREFIX,
    SENTENCE_CUES,
    SHAPES,
    STRUCTURE_CUES,
    TAIL_LENGTH,
    UNITS,
    analyze,
    cue_name,
    mark_months,
    normalize_marks,
    pair_single_quotes,
)

__all__ = ["SYMBOLS", "TokenTable", "token_ids"]

_OPEN, _CLOSE, _EM_DASH, _WIDE = "\x82", "\x83", "\x84", "\x85"
#: Latin letters beyond ASCII whose lowercase is one letter ("é", "Ł"): the byte path reads
#: each as the letter byte ``_WIDE`` and looks the words that hold one up by their text.
_WIDE_LETTERS = tuple(
    ch
    for ch in map(chr, range(0xC0, 0x250))
    if re.fullmatch(r"\w", ch) and ch.isalpha() and len(ch.lower()) == 1 and re.fullmatch(r"\w", ch.lower())
)
#: Non-ASCII characters the byte path understands, and the byte that stands for
#: each in normalisation and tokenisation ("€" and "£" get bytes of their own).
_EXTRA = {
    **dict.fromkeys("\u2018\u2019\u2026\u00b0\u2022\u00b7\u2032\u2033", "'"),
    "\u201c": _OPEN,  # “ and « open a quotation, ” and » close one
    "\u00ab": _OPEN,
    "\u201d": _CLOSE,
    "\u00bb": _CLOSE,
    "\u2014": _EM_DASH,  # em dash: a straight quote after it opens a quotation
    "\u2013": "-",  # en dash: joins a range of numbers, like "-"
    "\u00a0": " ",  # no-break spaces: whitespace, like " "
    "\u2009": " ",
    "\u202f": " ",
    "\u20ac": "\x80",
    "\u00a3": "\x81",
}
#: The one-character tokens, and the byte each has on the byte path.
SYMBOLS = {"%": b"%", "$": b"$", "?": b"?", "!": b"!", "€": b"\x80", "£": b"\x81"}
_BEFORE_OPENING = np.zeros(256, dtype=bool)  # bytes after which a straight quote opens a quotation
_BEFORE_OPENING[[ord(c) for c in " \t([{-" + _EM_DASH]] = True

# Byte kinds.
_OTHER, _LETTER, _DIGIT, _SYMBOL, _SPACE, _SEPARATOR, _DOT, _COMMA, _DASH, _QUOTE, _UNSAFE = range(11)
_SEPARATOR_ID = -2
_PACKED_BYTES = 16
_MIX = 0xC2B2AE3D27D4EB4F
_SHAPE_RANGE, _SHAPE_DECIMAL, _SHAPE_YEAR, _SHAPE_ROUND, _SHAPE_EXACT = range(5)


def _byte_tables() -> dict[str, Any]:

    kind = np.full(256, _UNSAFE, dtype=np.uint8)
    kind[0x20:0x7F] = _OTHER
    kind[ord(_EM_DASH)] = _OTHER
    for text, value in (
        ("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_", _LETTER),
        ("0123456789", _DIGIT),
        ("%$?!\x80\x81", _SYMBOL),
        (" \t", _SPACE),
        ("\n", _SEPARATOR),
        (".", _DOT),
        (",", _COMMA),
        ("-", _DASH),
        ('"' + _OPEN + _CLOSE, _QUOTE),
    ):
        kind[[ord(ch) for ch in text]] = value
    letters = np.full(256, ord(" "), dtype=np.uint8)  # letters lowercased, everything else a space
    for ch in "abcdefghijklmnopqrstuvwxyz_":
        letters[ord(ch)] = letters[ord(ch.upper())] = ord(ch)
    kind[ord(_WIDE)] = _LETTER
    letters[ord(_WIDE)] = ord(_WIDE)
    stand_ins = {**_EXTRA, **dict.fromkeys(_WIDE_LETTERS, _WIDE)}
    points = sorted(stand_ins)
    return {
        "kind": kind,
        "letters": letters,
        "points": np.array([ord(ch) for ch in points], dtype=np.int64),
        "codes": np.array([ord(stand_ins[ch]) for ch in points], dtype=np.uint8),
    }


_TABLES: dict[str, Any] = {}


def _tables() -> dict[str, Any]:
    if not _TABLES:
        _TABLES.update(_byte_tables())
    return _TABLES


class TokenTable(dict):
    """Token -> id, for the tokens of a model's vocabulary, with what the byte path needs.

    Parameters
    ----------
    tokens : sequence of str
        The vocabulary's tokens; a token's id is its position. For the byte path
        to mark quoted tokens and find cues, it also holds the plain form of every
        ``q:`` token and every cue word (`Vocabulary` sees to that).

    Examples
    --------
    >>> table = TokenTable(["prices", "rose", "_year_"])
    >>> table["rose"], table.shape_ids()
    (1, [-1, -1, 2, -1, -1])
    """

    def __init__(self, tokens: Sequence[str]):
        super().__init__(zip(tokens, range(len(tokens)), strict=True))
        self._bytes: dict[bytes, int] | None = None
        self._packed: _PackedWords | None = None
        self._marks: tuple | None = None
        self._sentence_marks: tuple | None = None
        self._rule_marks: tuple | None = None
        self._hedge_marks: tuple | None = None
        self._attribution_marks: tuple | None = None

    def marks(self) -> tuple:
        """``(quoted, cue, quoted_cue, structure)``: id arrays indexed by a plain token's id.

        ``quoted[i]`` is the id of ``q:`` + token ``i``; ``cue[i]`` and
        ``quoted_cue[i]`` the id of its cue outside and inside a quotation;
        ``structure`` the ids of `STRUCTURE_CUES`. -1 where there is none.
        """
        if self._marks is None:
            tokens = list(self)
            quoted = np.array([self.get(QUOTE_PREFIX + t, -1) for t in tokens], dtype=np.int64)
            cue = np.array([self.get(cue_name(CUE_CLASSES[t]), -1) if t in CUE_CLASSES else -1 for t in tokens])
            quoted_cue = np.array(
                [self.get(cue_name(CUE_CLASSES[t], quoted=True), -1) if t in CUE_CLASSES else -1 for t in tokens]
            )
            structure = np.array([self.get(name, -1) for name in STRUCTURE_CUES], dtype=np.int64)
            self._marks = (quoted, cue.astype(np.int64), quoted_cue.astype(np.int64), structure)
        return self._marks

    def sentence_marks(self) -> tuple:
        """``(cue_ids, opener, leading, figure, copula, judging, rule)`` for `SENTENCE_CUES`.

        ``cue_ids`` are the ids of `SENTENCE_CUES` (-1 where absent); ``opener``,
        ``leading``, ``figure``, ``copula`` and ``judging`` are boolean arrays indexed
        by a plain token's id (one of `IMPERATIVE_OPENERS`, of `LEADING_WORDS`, a
        figure's shape, one of `COPULAS`, an evaluative or verdict word); ``rule`` the
        id of the ``[rule]`` cue.
        """
        if self._sentence_marks is None:
            tokens = list(self)
            cue_ids = np.array([self.get(name, -1) for name in SENTENCE_CUES], dtype=np.int64)
            opener = np.array([t in IMPERATIVE_OPENERS for t in tokens], dtype=bool)
            leading = np.array([t in LEADING_WORDS for t in tokens], dtype=bool)
            figure = np.array([t in FIGURE_SHAPES for t in tokens], dtype=bool)
            copula = np.array([t in COPULAS for t in tokens], dtype=bool)
            judging = np.array([CUE_CLASSES.get(t) == "evaluative" or t in VERDICT_WORDS for t in tokens], dtype=bool)
            rule = self.get(cue_name("rule"), -1)
            self._sentence_marks = (cue_ids, opener, leading, figure, copula, judging, rule)
        return self._sentence_marks

    def hedge_marks(self) -> tuple:
        """``(figure_hedge, quantity)``: boolean arrays indexed by a plain token's id.

        Whether the token is one of `FIGURE_HEDGES`, and whether it is a quantity (one
        of `QUANTITY_WORDS` or a number's shape).
        """
        if self._hedge_marks is None:
            tokens = list(self)
            figure_hedge = np.array([t in FIGURE_HEDGES for t in tokens], dtype=bool)
            quantity = np.array([t in QUANTITY_WORDS or t in SHAPES for t in tokens], dtype=bool)
            self._hedge_marks = (figure_hedge, quantity)
        return self._hedge_marks

    def rule_marks(self) -> tuple:
        """``(bound, marked, unit, modal)``: arrays indexed by a plain token's id, for `RULE_PREFIX`.

        ``bound``, ``unit`` and ``modal`` tell whether the token is one of `BOUND_WORDS`,
        `UNITS` or `RULE_MODALS`; ``marked[i]`` is the id of `RULE_PREFIX` + token ``i``
        (-1 where absent).
        """
        if self._rule_marks is None:
            tokens = list(self)
            bound = np.array([t in BOUND_WORDS for t in tokens], dtype=bool)
            marked = np.array([self.get(RULE_PREFIX + t, -1) for t in tokens], dtype=np.int64)
            unit = np.array([t in UNITS for t in tokens], dtype=bool)
            modal = np.array([t in RULE_MODALS for t in tokens], dtype=bool)
            self._rule_marks = (bound, marked, unit, modal)
        return self._rule_marks

    def attribution_marks(self) -> tuple:
        """``(verb, writer, impersonal, according, concessive)``: boolean arrays indexed by a plain token's id.

        Whether the token is one of `ATTRIBUTION_VERBS`, `WRITER_WORDS`, `IMPERSONAL_WORDS`,
        "according" or `CONCESSIVE_WORDS`.
        """
        if self._attribution_marks is None:
            tokens = list(self)
            self._attribution_marks = tuple(
                np.array([t in words for t in tokens], dtype=bool)
                for words in (ATTRIBUTION_VERBS, WRITER_WORDS, IMPERSONAL_WORDS, {"according"}, CONCESSIVE_WORDS)
            )
        return self._attribution_marks

    def shape_ids(self) -> list[int]:
        """Ids of the five number shapes, in `SHAPES` order (-1 if not in the vocabulary)."""
        return [self.get(shape, -1) for shape in SHAPES]

    def packed_words(self) -> _PackedWords:
        """The ASCII words of `byte_ids`, for lookups a whole array at a time."""
        if self._packed is None:
            self._packed = _PackedWords(self.byte_ids())
        return self._packed

    def byte_ids(self) -> dict[bytes, int]:
        """ASCII words and symbols (as the byte path writes them) -> id."""
        if self._bytes is None:
            table = {}
            for token, i in self.items():
                if token.isascii():
                    table[token.encode("ascii")] = i
            for symbol, code in SYMBOLS.items():
                table[code] = self.get(symbol, -1)
            for word, shape in NUMBER_WORDS.items():  # "seventeen" is read as its shape, as `analyze` does
                table[word.encode("ascii")] = self.get(shape, -1)
            self._bytes = table
        return self._bytes


class _PackedWords:
    """Words of up to 16 bytes as two little-endian integers (exact), found through a hash of both.

    Parameters
    ----------
    words : dict
        Word (bytes) -> id.
    """

    def __init__(self, words: dict[bytes, int]):

        short = {word: i for word, i in words.items() if 0 < len(word) <= _PACKED_BYTES}
        packed = np.frombuffer(b"".join(w.ljust(_PACKED_BYTES, b"\0") for w in short), dtype="<u8").reshape(-1, 2)
        self.first, self.second = packed[:, 0].copy(), packed[:, 1].copy()
        self.ids = np.fromiter(short.values(), dtype=np.int64, count=len(short))
        keys = _mix(self.first, self.second)
        # Two words of the vocabulary with one hash (never seen): look every word up in the dict instead.
        self.table = IntLookup(keys, np.arange(len(keys))) if len(distinct(keys)) == len(keys) else None

    def get(self, first: Any, second: Any) -> Any:
        """Ids of packed words (-1 for words not in the table)."""

        position = self.table.get(_mix(first, second))
        hit = position >= 0
        hit[hit] = (self.first[position[hit]] == first[hit]) & (self.second[position[hit]] == second[hit])
        return np.where(hit, self.ids[position], -1)


def _mix(first: Any, second: Any) -> Any:

    mixed = first * np.uint64(0x9E3779B97F4A7C15) ^ (second + np.uint64(0x632BE59BD9B4E019)) * np.uint64(_MIX)
    return (mixed >> np.uint64(1)).astype(np.int64)  # non-negative, as IntLookup wants


def token_ids(sentences: Sequence[str], table: TokenTable, *, quotes: bool = True, cues: bool = True) -> tuple:
    """Ids of the tokens and of the cues of each sentence, in order, by the rules of `analyze`.

    Parameters
    ----------
    sentences : sequence of str
        Raw sentences.
    table : TokenTable
        Token -> id; tokens not in it get ``-1``, cues not in it are left out.
    quotes, cues : bool
        As in `trainer.features.rules.analyze`.

    Returns
    -------
    ids, rows : numpy.ndarray of int64
        Token ids, sentence after sentence, in order, and the sentence of each.
    cue_ids, cue_rows : numpy.ndarray of int64
        The same for the cues (in no particular order within a sentence).

    Examples
    --------
    >>> ids, rows, _, _ = token_ids(["Prices rose in 2024.", "Rose!"], TokenTable(["prices", "rose", "_year_", "!"]))
    >>> ids.tolist(), rows.tolist()
    ([0, 1, -1, 2, 1, 3], [0, 0, 0, 0, 1, 1])
    """
    text = mark_months(normalize_marks("\n".join(sentences)))
    if quotes:
        text = pair_single_quotes(text)
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates
        data = b""
    if not data or text.count("\n") != len(sentences) - 1:
        return _reference_ids(sentences, range(len(sentences)), table, quotes=quotes, cues=cues)
    ids, rows, quoted, structure, others, clauses = _byte_ids(data, table, quotes=quotes, cues=cues)
    empty = np.zeros(0, dtype=np.int64)
    if quotes:
        flags = _attribution_flags(ids, table)
        before, tail = _attributed_before(ids, rows, clauses, quoted, flags)
        quoted |= _attributed(ids, rows, quoted | tail, flags, marked=quoted, clauses=clauses) | before
    if cues:
        _mark_rule_bounds(ids, rows, quoted, table, len(sentences))
        cue_ids, cue_rows = _merge(*_cues(ids, rows, quoted, table), *structure)
        cue_ids, cue_rows = _merge(
            cue_ids, cue_rows, *_sentence_cues(ids, rows, quoted, cue_ids, cue_rows, table, len(sentences))
        )
    else:
        cue_ids, cue_rows = empty, empty
    if quotes:
        marked = quoted & (ids >= 0)
        ids[marked] = table.marks()[0][ids[marked]]
    if len(others) == 0:
        return ids, rows, cue_ids, cue_rows
    more = _reference_ids([sentences[i] for i in others], others, table, quotes=quotes, cues=cues)
    return (*_merge(ids, rows, more[0], more[1]), *_merge(cue_ids, cue_rows, more[2], more[3]))


def _merge(ids: Any, rows: Any, more: Any, more_rows: Any) -> tuple:
    rows = np.concatenate([rows, more_rows])
    order = np.argsort(rows, kind="stable")  # two sorted runs: a merge
    return np.concatenate([ids, more])[order], rows[order]


def _cues(ids: Any, rows: Any, quoted: Any, table: TokenTable) -> tuple:
    """Cue ids of plain token ids (``quoted``: inside a quotation)."""
    _, cue, quoted_cue, _ = table.marks()
    figure_hedge, quantity = table.hedge_marks()
    known = ids >= 0
    found = np.full(len(ids), -1, dtype=np.int64)
    found[known] = np.where(quoted[known], quoted_cue[ids[known]], cue[ids[known]])
    # A hedge of quantities gives its cue only with a quantity up to HEDGE_REACH tokens after it.
    with_cue = np.flatnonzero(found >= 0)  # few: look at those alone
    hedging = with_cue[figure_hedge[ids[with_cue]]]
    near = np.zeros(len(hedging), dtype=bool)
    for ahead in range(1, HEDGE_REACH + 1):
        at = np.minimum(hedging + ahead, len(ids) - 1)
        near |= (ids[at] >= 0) & quantity[ids[at]] & (rows[at] == rows[hedging]) & (hedging + ahead < len(ids))
    found[hedging[~near]] = -1
    keep = found >= 0
    return found[keep], rows[keep]


def _attributed(ids: Any, rows: Any, quoted: Any, flags: list, *, marked: Any, clauses: Any) -> Any:
    """Whether each token is in the speech that a verb attributes, as `analyze` finds it.

    ``ids`` are plain token ids whose ``rows`` never decrease; ``quoted`` tells the
    tokens inside quotation marks (or before a trailing attribution); ``flags`` are the
    `_attribution_flags` of the tokens; ``marked`` tells the tokens inside quotation
    marks only, and ``clauses`` the clause of each: the speech ends where a quotation
    closes across a comma (`rules._attribution_end`).
    """
    n = len(ids)
    if n == 0:
        return np.zeros(0, dtype=bool)
    is_verb, is_writer, is_impersonal, _, is_concessive = flags
    index = np.arange(n)
    has_previous = np.zeros(n, dtype=bool)  # a word before it in its sentence
    has_previous[1:] = rows[1:] == rows[:-1]
    blocked = np.zeros(n, dtype=bool)
    blocked[1:] = is_impersonal[:-1] & has_previous[1:]
    for back in range(1, ATTRIBUTION_REACH + 1):
        blocked[back:] |= is_writer[:-back] & (rows[back:] == rows[:-back])
    n_rows = int(rows[-1]) + 1
    # The first clause of a sentence opened by a concessive word ("Whatever Smith says, ...") attributes nothing.
    opening = np.flatnonzero(is_concessive & ~has_previous)
    if len(opening):
        first_clause = np.full(n_rows, -1, dtype=np.int64)
        first_clause[rows[opening]] = clauses[opening]
        verbs = np.flatnonzero(is_verb)
        blocked[verbs] |= clauses[verbs] == first_clause[rows[verbs]]
    first_quoted = np.full(n_rows, n)
    quoted_rows, first = np.unique(rows[quoted], return_index=True)
    first_quoted[quoted_rows] = index[quoted][first]
    candidates = np.flatnonzero(is_verb & has_previous & ~blocked & (index < first_quoted[rows]))
    verb_rows, first = np.unique(rows[candidates], return_index=True)
    verb_at = np.full(n_rows, n)
    verb_at[verb_rows] = candidates[first]
    closes = np.zeros(n, dtype=bool)  # the first word outside a quotation closed across a comma
    closes[1:] = has_previous[1:] & marked[:-1] & ~marked[1:] & (clauses[1:] > clauses[:-1])
    ends = np.flatnonzero(closes & (index >= verb_at[rows] + 2))
    end_rows, first = np.unique(rows[ends], return_index=True)
    end_at = np.full(n_rows, n)
    end_at[end_rows] = ends[first]
    return (index > verb_at[rows]) & (index < end_at[rows])


def _attribution_flags(ids: Any, table: TokenTable) -> list:
    """Whether each token is an attribution verb, a writer's word, an impersonal word, "according"."""
    known = ids >= 0
    return [_where(known, words, ids) for words in table.attribution_marks()]


def _where(mask: Any, values: Any, ids: Any) -> Any:
    """``values[ids]`` where ``mask`` holds (a boolean array indexed by token id), False elsewhere."""
    found = mask.copy()
    found[mask] = values[ids[mask]]
    return found


def _attributed_before(ids: Any, rows: Any, clauses: Any, quoted: Any, flags: list) -> tuple:
    """Whether each token comes before a short clause that attributes it, as `analyze` finds it, and is in it.

    ``clauses`` never decrease; a clause starts at each comma before white space.
    """
    n = len(ids)
    if n == 0:
        return np.zeros(0, dtype=bool), np.zeros(0, dtype=bool)
    is_verb, is_writer, is_impersonal, is_according, _ = flags
    starts = np.ones(n, dtype=bool)  # a token that starts a clause of its sentence
    starts[1:] = (rows[1:] != rows[:-1]) | (clauses[1:] != clauses[:-1])
    opens_row = np.ones(n, dtype=bool)
    opens_row[1:] = rows[1:] != rows[:-1]
    after_impersonal = np.zeros(n, dtype=bool)
    after_impersonal[1:] = is_impersonal[:-1] & ~starts[1:]
    group = np.cumsum(starts) - 1
    # a verb after its subject, or "according" opening the clause
    attributing = (((is_verb & ~starts & ~after_impersonal) | (is_according & starts)) & ~quoted).astype(np.int64)
    qualifies = (
        ~opens_row[starts]
        & (np.bincount(group) <= TAIL_LENGTH)
        & (np.bincount(group, weights=attributing) > 0)
        & (np.bincount(group, weights=is_writer.astype(np.int64)) == 0)
    )
    best = np.full(int(rows[-1]) + 1, -1)
    np.maximum.at(best, rows[starts][qualifies], clauses[starts][qualifies])
    return clauses < best[rows], clauses == best[rows]


def _mark_rule_bounds(ids: Any, rows: Any, quoted: Any, table: TokenTable, n: int) -> None:
    """Give the bound words of a rule's figure their `RULE_PREFIX` ids, in place, as `analyze` does.

    ``ids`` are plain token ids whose ``rows`` never decrease; ``n`` is the number of sentences.
    """
    if len(ids) == 0:
        return
    rule = table.get(cue_name("rule"), -1)
    bound, marked, unit, modal = table.rule_marks()
    figure, cue = table.sentence_marks()[3], table.marks()[1]
    known = ids >= 0
    # A rule's sentence: a rule word, one of RULE_MODALS, or "may" then "not".
    is_rule = _where(known, modal | (cue == rule) if rule >= 0 else modal, ids)
    with_rule = np.zeros(n, dtype=bool)
    with_rule[rows[is_rule]] = True
    may, not_ = table.get("may", -1), table.get("not", -1)
    if may >= 0 and not_ >= 0:
        at = np.flatnonzero(ids[:-1] == may)
        at = at[(ids[at + 1] == not_) & (rows[at + 1] == rows[at])]
        with_rule[rows[at]] = True
    plain = known & ~quoted & with_rule[rows]
    if not plain.any():
        return
    is_figure, is_bound, is_unit = _where(plain, figure, ids), _where(plain, bound, ids), _where(known, unit, ids)
    joined = rows[1:] == rows[:-1]  # token i and token i + 1 are in one sentence

    def step(at: Any, forward: bool) -> Any:  # the neighbours, in one sentence, of the tokens at
        moved = np.zeros(len(at), dtype=bool)
        if forward:
            moved[1:] = at[:-1] & joined
        else:
            moved[:-1] = at[1:] & joined
        return moved

    mark = np.zeros(len(ids), dtype=bool)
    for forward in (False, True):
        beside = step(is_figure, forward)
        at = (beside & ~is_unit) | step(beside & is_unit, forward)  # past the figure's unit
        for _ in range(BOUND_REACH):
            at &= is_bound
            mark |= at
            at = step(at, forward)
    ids[mark] = marked[ids[mark]]


def _sentence_cues(ids: Any, rows: Any, quoted: Any, cue_ids: Any, cue_rows: Any, table: TokenTable, n: int) -> tuple:
    """Ids and rows of the `SENTENCE_CUES`, as `trainer.features.rules` defines them, for plain token ids.

    ``rows`` (and ``cue_rows``) never decrease; ``n`` is the number of sentences.
    """
    names, opener, leading, figure, copula, judging, rule = table.sentence_marks()
    known = ids >= 0
    plain = known & ~quoted
    # [imperative]: the first token that is not a leading word (quoted ones never are) opens an imperative.
    is_leading = _where(plain, leading, ids)
    candidates = np.flatnonzero(~is_leading)
    candidate_rows = rows[candidates]
    first = candidates[np.flatnonzero(np.diff(candidate_rows, prepend=-1))]  # rows never decrease
    opens = plain[first]
    opens[opens] = opener[ids[first[opens]]]
    imperative = np.zeros(n, dtype=bool)
    imperative[rows[first[opens]]] = True
    is_figure = _where(known, figure, ids)
    with_figure, with_plain_figure = np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)
    with_figure[rows[is_figure]] = True
    with_plain_figure[rows[is_figure & ~quoted]] = True
    with_rule = np.zeros(n, dtype=bool)
    if rule >= 0:
        with_rule[cue_rows[cue_ids == rule]] = True
    # [judgement]: an evaluative or verdict word outside quotations up to JUDGEMENT_REACH tokens after a copula.
    judged = np.zeros(n, dtype=bool)
    is_judging = _where(plain, judging, ids)
    is_copula = _where(plain, copula, ids)
    near = np.zeros(len(ids), dtype=bool)
    for back in range(1, JUDGEMENT_REACH + 1):
        near[back:] |= is_copula[:-back] & (rows[back:] == rows[:-back])
    judged[rows[is_judging & near]] = True
    found = (imperative, with_figure & with_rule, with_plain_figure & judged, judged)
    kept = [(i, np.flatnonzero(has)) for i, has in zip(names.tolist(), found, strict=True) if i >= 0]
    cue = np.concatenate([np.full(len(r), i, dtype=np.int64) for i, r in kept] or [np.zeros(0, dtype=np.int64)])
    cue_rows_found = np.concatenate([r for _, r in kept] or [np.zeros(0, dtype=np.int64)])
    order = np.argsort(cue_rows_found, kind="stable")
    return cue[order], cue_rows_found[order].astype(np.int64)


def _reference_ids(sentences: Sequence[str], rows: Any, table: TokenTable, *, quotes: bool, cues: bool) -> tuple:
    """The reference path: `analyze` each sentence and look its tokens up."""
    rows = np.asarray(rows, dtype=np.int64)
    ids, counts, cue_ids, cue_counts = [], [], [], []
    for sentence in sentences:
        tokens, found = analyze(sentence, quotes=quotes, cues=cues)
        ids.extend(map(table.get, tokens, repeat(-1)))
        counts.append(len(tokens))
        known = [i for i in map(table.get, found, repeat(-1)) if i >= 0]
        cue_ids.extend(known)
        cue_counts.append(len(known))
    return (
        np.array(ids, dtype=np.int64),
        np.repeat(rows, counts),
        np.array(cue_ids, dtype=np.int64),
        np.repeat(rows, cue_counts),
    )


def _byte_ids(data: bytes, table: TokenTable, *, quotes: bool, cues: bool) -> tuple:
    """Plain token ids of the sentences (lines of ``data``) the byte path can read.

    Also whether each token is quoted, the quotation-structure cues ``(ids, rows)``,
    and the numbers of the sentences left to the reference path.
    """
    tables = _tables()
    raw = np.frombuffer(data, dtype=np.uint8)
    raw, wide = _fold_non_ascii(raw, tables) if raw.max() >= 0x80 else (raw.copy(), None)
    kind = tables["kind"][raw]
    separators = np.flatnonzero(kind == _SEPARATOR)
    others = np.unique(np.searchsorted(separators, np.flatnonzero(kind == _UNSAFE)))
    if len(others):
        starts = np.concatenate([[0], separators + 1])
        ends = np.concatenate([separators, [len(raw)]])
        for row in others.tolist():  # few: blank them, the reference path labels them
            kind[starts[row] : ends[row]] = _SPACE
            raw[starts[row] : ends[row]] = ord(" ")
    length = len(raw)
    # Every token is marked at its first byte with its id; then read in order.
    at = np.full(length, -3, dtype=np.int32)
    at[separators] = _SEPARATOR_ID
    symbols = np.flatnonzero(kind == _SYMBOL)
    byte_ids = table.byte_ids()
    symbol_ids = np.full(256, -1, dtype=np.int32)
    for code in SYMBOLS.values():
        symbol_ids[code[0]] = byte_ids[code]
    at[symbols] = symbol_ids[raw[symbols]]
    starts, shapes = _numbers(raw, kind)
    at[starts] = np.array(table.shape_ids(), dtype=np.int32)[shapes]
    letters = kind == _LETTER
    edges = np.flatnonzero(np.diff(letters, prepend=False, append=False))
    at[edges[0::2]] = _word_ids(tables["letters"][raw], edges[0::2], edges[1::2], table, wide)
    positions = np.flatnonzero(at != -3)
    ids = at[positions].astype(np.int64)
    is_separator = ids == _SEPARATOR_ID
    rows = np.cumsum(is_separator)
    keep = ~is_separator
    ids, rows, positions = ids[keep], rows[keep], positions[keep]
    empty = np.zeros(0, dtype=np.int64)
    if not quotes:
        return ids, rows, np.zeros(len(ids), dtype=bool), (empty, empty), others, empty
    # A comma before white space starts a clause (`trainer.features.rules._CLAUSE_COMMA`).
    commas = np.flatnonzero(kind[:-1] == _COMMA)
    commas = commas[kind[commas + 1] == _SPACE]
    clauses = np.searchsorted(commas, positions)
    quoted, flags = _quoted(raw, kind, separators, positions, rows)
    structure = (empty, empty)
    if cues:
        cue_ids = table.marks()[3]
        found = [(np.full(len(r), i), r) for i, r in zip(cue_ids.tolist(), flags, strict=True) if i >= 0]
        if found:
            structure = _merge(*(np.concatenate(part) for part in zip(*found, strict=True)), empty, empty)
    return ids, rows, quoted, structure, others, clauses


def _quoted(raw: Any, kind: Any, separators: Any, positions: Any, rows: Any) -> tuple:
    """Whether the token at each position lies inside a quotation (see `trainer.features.rules`).

    Also the rows of each quotation-structure cue, in `STRUCTURE_CUES` order.
    """
    marks = np.flatnonzero(kind == _QUOTE)
    if len(marks) == 0:
        empty = np.zeros(0, dtype=np.int64)
        return np.zeros(len(positions), dtype=bool), (empty, empty, empty)
    before = np.where(marks > 0, raw[np.maximum(marks - 1, 0)], ord("\n"))
    straight = raw[marks] == ord('"')
    opens = np.where(straight, _BEFORE_OPENING[before] | (before == ord("\n")), raw[marks] == ord(_OPEN))
    mark_rows = np.searchsorted(separators, marks)
    last = np.searchsorted(marks, positions) - 1  # the last mark before each token
    has_last = last >= 0
    has_last[has_last] = mark_rows[last[has_last]] == rows[has_last]
    following = np.minimum(last + 1, len(marks) - 1)  # else the row's first mark, if any, after it
    has_first = ~has_last & (mark_rows[following] == rows) & (last + 1 < len(marks))
    quoted = np.where(has_last, opens[np.maximum(last, 0)], has_first & ~opens[following])
    first = np.flatnonzero(np.diff(mark_rows, prepend=-1))  # the first mark of each row with marks
    marked_rows = mark_rows[first]
    row_start = np.concatenate([[0], separators + 1])[marked_rows]
    starts = ~opens[first] | (marks[first] == row_start)
    n_rows = len(separators) + 1
    n_tokens = np.bincount(rows, minlength=n_rows)[marked_rows]
    n_quoted = np.bincount(rows[quoted], minlength=n_rows)[marked_rows]
    every = (n_tokens > 0) & (n_quoted == n_tokens)
    return quoted, (marked_rows, marked_rows[starts], marked_rows[every])


def _word_ids(letters: Any, starts: Any, ends: Any, table: TokenTable, wide: Any = None) -> Any:
    """Ids of the words ``letters[start:end]`` (lowercase ASCII letters and ``_WIDE``).

    ``wide`` holds the characters that the ``_WIDE`` bytes stand for, in order.
    """
    ids = _ascii_word_ids(letters, starts, ends, table)
    if wide is None or len(wide) == 0:
        return ids
    wide_at = np.flatnonzero(letters == ord(_WIDE))
    before_start = np.searchsorted(wide_at, starts)  # how many _WIDE bytes come before each word
    holding = np.flatnonzero(np.searchsorted(wide_at, ends) > before_start)
    text = letters.tobytes().decode("latin-1")
    chars = [chr(point).lower() for point in wide.tolist()]
    found = []
    spans = zip(starts[holding].tolist(), ends[holding].tolist(), before_start[holding].tolist(), strict=True)
    for start, end, k in spans:  # few: a dictionary lookup each
        first, *rest = text[start:end].split(_WIDE)
        found.append(table.get(first + "".join(chars[k + i] + piece for i, piece in enumerate(rest)), -1))
    ids[holding] = found
    return ids


def _ascii_word_ids(letters: Any, starts: Any, ends: Any, table: TokenTable) -> Any:
    packed = table.packed_words()
    if packed.table is None:
        words = letters.tobytes().split()
        return np.fromiter(map(table.byte_ids().get, words, repeat(-1)), dtype=np.int64, count=len(words))
    size = ends - starts
    padded = np.concatenate([letters, np.zeros(2 * _PACKED_BYTES, dtype=np.uint8)])
    # Eight bytes starting at every byte: a word's first and second halves are two reads.
    at_byte = np.ndarray((len(letters) + _PACKED_BYTES,), dtype="<u8", buffer=padded, strides=(1,))
    masks = np.array([(1 << (8 * k)) - 1 for k in range(9)], dtype=np.uint64)
    first = at_byte[starts] & masks[np.minimum(size, 8)]
    second = at_byte[starts + 8] & masks[np.clip(size - 8, 0, 8)]
    ids = packed.get(first, second)
    long = np.flatnonzero(size > _PACKED_BYTES)
    if len(long):
        text = letters.tobytes()
        byte_ids = table.byte_ids()
        spans = zip(starts[long].tolist(), ends[long].tolist(), strict=True)
        ids[long] = [byte_ids.get(text[start:end], -1) for start, end in spans]
    return ids


def _fold_non_ascii(raw: Any, tables: dict[str, Any]) -> tuple:
    """One byte per character: known non-ASCII characters become their stand-in byte, others unsafe.

    Also the code points of the characters that became ``_WIDE``, in order.
    """

    lead = np.flatnonzero(raw >= 0xC0)
    padded = np.concatenate([raw, np.zeros(3, dtype=np.uint8)]).astype(np.int64)
    b0, b1, b2 = padded[lead], padded[lead + 1], padded[lead + 2]
    points = np.where(
        b0 < 0xE0,
        ((b0 & 0x1F) << 6) | (b1 & 0x3F),
        ((b0 & 0x0F) << 12) | ((b1 & 0x3F) << 6) | (b2 & 0x3F),
    )
    position = np.searchsorted(tables["points"], points)
    position[position == len(tables["points"])] = 0
    known = (tables["points"][position] == points) & (b0 < 0xF0)
    folded = raw.copy()
    codes = np.where(known, tables["codes"][position], 0)  # 0: an unsafe byte
    folded[lead] = codes
    return folded[(raw & 0xC0) != 0x80], points[codes == ord(_WIDE)]  # continuation bytes dropped


def _numbers(raw: Any, kind: Any) -> tuple:
    """Start and shape of each match of `trainer.model._NUMBER`, as `re` finds them."""

    digit_at = np.flatnonzero(kind == _DIGIT)
    if len(digit_at) == 0:
        return digit_at, digit_at
    length = len(raw)

    def kind_of(positions):  # kind of bytes at positions that may lie past the end
        return np.where(positions < length, kind[np.minimum(positions, length - 1)], _OTHER)

    # Runs of digits, and how many of their digits are "0".
    new_run = np.flatnonzero(np.diff(digit_at, prepend=-2) != 1)
    run_start = digit_at[new_run]
    run_size = np.diff(np.append(new_run, len(digit_at)))
    run_end = run_start + run_size
    zeros_before = np.concatenate([[0], np.cumsum(raw[digit_at] == ord("0"))])
    run_zeros = zeros_before[new_run + run_size] - zeros_before[new_run]
    # Runs joined by one "." or "," form a segment: \d+(?:[.,]\d+)*
    gap = kind_of(run_end)
    joined = ((gap == _DOT) | (gap == _COMMA)) & np.append(run_start[1:] == run_end[:-1] + 1, False)
    first = np.flatnonzero(np.concatenate([[True], ~joined[:-1]]))
    last = np.append(first[1:] - 1, len(run_start) - 1)
    dotted = np.add.reduceat((joined & (gap == _DOT)).astype(np.int64), first) > 0
    seg_start, seg_end = run_start[first], run_end[last]
    seg_digits = np.add.reduceat(run_size, first)
    seg_zeros = np.add.reduceat(run_zeros, first)
    # A segment followed by \s?[-–]\s?\d takes the next segment as the end of a range.
    p = seg_end + (kind_of(seg_end) == _SPACE)
    dash = kind_of(p) == _DASH
    p = p + 1
    p = p + (kind_of(p) == _SPACE)
    links = dash & (kind_of(p) == _DIGIT)
    links[-1] = False
    # In a chain of linked segments, re pairs them from the left: (1, 2), (3, 4), ...
    index = np.arange(len(seg_start))
    chain_start = np.maximum.accumulate(np.where(np.concatenate([[True], ~links[:-1]]), index, 0))
    opens = (index - chain_start) % 2 == 0
    start = seg_start[opens]
    digit_count = seg_digits[opens]
    zero_count = seg_zeros[opens] - (raw[start] == ord("0"))
    single = (first == last)[opens]
    head = raw[start].astype(np.int64) * 256 + raw[np.minimum(start + 1, length - 1)]
    year = single & (digit_count == 4) & ((head == ord("1") * 256 + ord("9")) | (head == ord("2") * 256 + ord("0")))
    shape = np.select(
        [(opens & links)[opens], dotted[opens], year, (digit_count > 1) & (zero_count == digit_count - 1)],
        [_SHAPE_RANGE, _SHAPE_DECIMAL, _SHAPE_YEAR, _SHAPE_ROUND],
        default=_SHAPE_EXACT,
    )
    return start, shape
