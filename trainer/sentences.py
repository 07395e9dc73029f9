"""Split text into sentences.

A rule-based splitter tuned for news and commentary: it keeps abbreviations
(``Dr.``, ``U.S.``, ``Jan.``), initials, decimals and money (``3.5%``,
``$2.5bn``) inside sentences, carries closing quotes and brackets with the
sentence they end, and starts a new sentence at every bullet line and blank
line. Sentences are exact slices of the input with outer white space removed,
so joining them loses no other character. ``benchmarks/splitters.py`` compares
it with pysbd and sentencex on tricky cases.

The splitter runs in time linear in the length of the text, however long its
lines: every check of a candidate end looks at a bounded window around it or at
characters no other candidate looks at (``benchmarks/splitter_scaling.py``).
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Iterator, Sequence

import numpy as np

__all__ = ["iter_sentence_spans", "split_sentences", "texts_to_scan"]

# Abbreviations that are followed by a name or a number and so never end a sentence.
_TITLES = frozenset(
    """
    mr mrs ms mx dr prof sen rep gov gen col lt sgt capt cmdr adm maj pres supt insp det rev
    fr sr jr st mt ft messrs hon amb atty jan feb mar apr jun jul aug sep sept oct nov dec
    no nos vol fig art sec ch pp p para approx est ca cf vs v e.g i.e viz
    """.split()
)
# Abbreviations that may end a sentence: split only when a typical sentence opener follows.
_ENDERS = frozenset(
    """
    inc ltd co corp plc llc bros etc al dept univ assn u.s u.k u.n e.u u.s.a a.m p.m d.c n.y
    l.a jr sr
    """.split()
)
_OPENERS = frozenset(
    """
    a an the he she it its they we i you this that these those there here but and so yet or
    in on at for after before when while if as by from with without since although though
    however meanwhile still then now today yesterday last next one his her their our my what
    why how who where which officials police
    """.split()
)

_CLOSERS = "\"'”’»)]}"
_OPENING = "\"'“‘«([{"
# A candidate end: terminal punctuation, any closing quotes or brackets, white space.
# It can only match at the first mark of a run of terminal punctuation, taking the whole
# run: if it fails there, it fails at every later mark of the run too. The lookbehind
# after the first mark rejects those later marks at once; without it each of them
# rescanned the rest of the run, so a long run such as "!!!…!x" took quadratic time.
# Starting with a character class also lets the regex engine skip fast to the next
# mark. (The former alternative ``\.\.\.`` could never match where the run did not,
# and the possessive quantifiers only drop backtracking that could never succeed.)
_END = re.compile(r"([.!?…](?<![.!?…][.!?…])[.!?…]*+)([" + re.escape(_CLOSERS) + r"]*+)(\s+)")
# Bytes of UTF-8 text for `texts_to_scan`: the last byte of a terminal mark ("…" ends in 0xA6); a
# byte after one (past its closers) that may start the rest of a candidate end: white space
# (all ASCII controls but the line end, and every non-ASCII lead byte), or another mark.
_MARK_ENDS = (ord("."), ord("!"), ord("?"), 0xA6)
_MAY_FOLLOW = np.zeros(256, dtype=bool)
_MAY_FOLLOW[[*range(0x21), *b".!?", *range(0xC0, 0x100)]] = True
_MAY_FOLLOW[ord("\n")] = False
_ASCII_CLOSERS = np.zeros(256, dtype=bool)
_ASCII_CLOSERS[[ord(c) for c in _CLOSERS if c.isascii()]] = True
_WIDE_CLOSERS = [c.encode("utf-8") for c in _CLOSERS if not c.isascii()]
_CLOSER_SKIPS = 4  # closers after a mark that are skipped; a mark with more is scanned anyway
# A line that starts a bullet or numbered item.
_BULLET = re.compile(r"\n[ \t]*(?:[-*•▪◦‣–—]|\d{1,3}[.)])[ \t]+")
_PARAGRAPH = re.compile(r"\n[ \t]*\n")
_WORD_BEFORE = re.compile(r"([\w.]+)$")
_WORD = re.compile(r"[\w']+")
_PREVIOUS_WORD = re.compile(r"(\S+)\s+$")


def _only_space_since_line_start(text: str, pos: int) -> bool:
    """Whether ``text[:pos]`` has nothing but white space after its last ``"\\n"``.

    Equivalent to ``not text[text.rfind("\\n", 0, pos) + 1 : pos].strip()`` but it
    walks back from ``pos`` only over the white space there, so it costs the length
    of that run rather than of the whole line: on a line megabytes long, the
    ``rfind`` and the slice made every candidate end cost the length of the text
    before it, and the splitter quadratic.

    Parameters
    ----------
    text : str
        The text.
    pos : int
        An offset in ``text``.

    Returns
    -------
    bool
        True if ``pos`` is preceded only by white space back to a line break or the
        start of the text.
    """
    i = pos - 1
    while i >= 0 and text[i] != "\n" and text[i].isspace():
        i -= 1
    return i < 0 or text[i] == "\n"


def _starts_sentence(text: str, pos: int) -> bool:
    """Whether the text at ``pos`` looks like the start of a sentence."""
    i = pos
    while i < len(text) and text[i] in _OPENING:
        i += 1
    if i >= len(text):
        return False
    ch = text[i]
    return ch.isupper() or ch.isdigit() or (not ch.isalpha() and not ch.isspace())


def _is_boundary(text: str, match: re.Match[str]) -> bool:
    punct, closers = match.group(1), match.group(2)
    nxt = match.end()
    if not _starts_sentence(text, nxt):
        return False
    if "\n" in match.group(3) and closers == "" and punct != ".":
        return True
    if not punct.startswith(".") or len(punct) > 1 or closers:
        return True
    before = _WORD_BEFORE.search(text, max(0, match.start() - 64), match.start())
    if before is None:
        return True
    word = before.group(1).lower().strip(".")
    if word.isdigit() and _only_space_since_line_start(text, before.start()):
        return False  # the number of a numbered list item
    if len(word) == 1 and word.isalpha() and text[before.start()].isupper():
        previous = _PREVIOUS_WORD.search(text[max(0, before.start() - 40) : before.start()])
        if previous is None or previous.group(1)[0].isupper() or previous.group(1)[-1] in ".!?":
            return False  # an initial: "George W. Bush", "J. K. Rowling" (but not "posted on X.")
    if word in _TITLES:
        if word in ("no", "nos", "p", "pp", "art", "sec", "fig", "vol", "ch", "para"):
            return not text[nxt : nxt + 1].isdigit()
        return False
    dotted = "." in word and all(len(p) <= 2 and p.isalpha() for p in word.split("."))
    if word in _ENDERS or dotted:
        following = _WORD.match(text, nxt)
        return following is not None and following.group(0).lower() in _OPENERS
    return True


def iter_sentence_spans(text: str) -> Iterator[tuple[int, int]]:
    """Yield ``(start, end)`` offsets of the sentences in ``text``.

    Parameters
    ----------
    text : str
        Any text; line breaks matter only at blank lines and bullet lines.

    Yields
    ------
    tuple of int
        Offsets such that ``text[start:end]`` is a sentence without outer white space.
    """
    # Each stream of cuts is increasing, so merging them keeps the cuts in order
    # without sorting; a repeated cut only makes an empty segment, which is skipped.
    cuts = heapq.merge(
        (m.end() for m in _END.finditer(text) if _is_boundary(text, m)),
        (m.start() + 1 for m in _BULLET.finditer(text)),
        (m.start() + 1 for m in _PARAGRAPH.finditer(text)),
        [len(text)],
    )
    start = 0
    for cut in cuts:
        segment = text[start:cut]
        stripped = segment.strip()
        if stripped:
            left = start + len(segment) - len(segment.lstrip())
            yield left, left + len(stripped)
        start = cut


def split_sentences(text: str) -> list[str]:
    """Split a text into sentences.

    Parameters
    ----------
    text : str
        A document, paragraph or line of any length.

    Returns
    -------
    list of str
        The sentences in order, each stripped of outer white space; empty for
        blank text.

    Examples
    --------
    >>> split_sentences("Dr. Lee said output rose 3.5% in the U.S. last year. Prices fell.")
    ['Dr. Lee said output rose 3.5% in the U.S. last year.', 'Prices fell.']
    """
    if "\n" not in text and _END.search(text) is None:  # one sentence at most: most lines of a file
        stripped = text.strip()
        return [stripped] if stripped else []
    return [text[a:b] for a, b in iter_sentence_spans(text)]


def texts_to_scan(texts: Sequence[str]) -> list[int]:
    """The indices of the texts that `split_sentences` may have to scan for sentence ends.

    Every other text is one sentence at most: ``split_sentences`` gives its
    `str.strip`, or nothing if that is empty. The texts are looked at all at
    once, as UTF-8 bytes, for a terminal mark followed (past any closing quotes
    or brackets) by what may be white space or another mark; this finds every
    text the splitter scans, and a few more, which it then scans for nothing.

    Parameters
    ----------
    texts : sequence of str

    Returns
    -------
    list of int
        Increasing indices.

    Examples
    --------
    >>> texts_to_scan(["One sentence.", "Dr. Lee spoke. Prices fell.", "", "A line\\nbreak.", "“Quoted.”"])
    [1, 3]
    """
    joined = "\n".join(texts)
    if joined.count("\n") != max(len(texts) - 1, 0):  # a text with a line break of its own
        return [i for i, text in enumerate(texts) if "\n" in text or _END.search(text) is not None]
    raw = np.frombuffer(joined.encode("utf-8", "surrogatepass") + b"\n" * 16, dtype=np.uint8)
    data = raw[:-16]
    after = np.flatnonzero(np.logical_or.reduce([data == mark for mark in _MARK_ENDS])) + 1
    for _ in range(_CLOSER_SKIPS):
        after += _ASCII_CLOSERS[raw[after]]
        for closer in _WIDE_CLOSERS:
            wide = raw[after] == closer[0]
            for k in range(1, len(closer)):
                wide &= raw[after + k] == closer[k]
            after += len(closer) * wide
    may = _MAY_FOLLOW[raw[after]] | _ASCII_CLOSERS[raw[after]]  # (a wide closer starts with a lead byte)
    lines = np.searchsorted(np.flatnonzero(data == ord("\n")), after[may] - 1)  # increasing
    return lines[np.flatnonzero(np.diff(lines, prepend=-1))].tolist()
