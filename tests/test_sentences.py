"""Tests of the sentence splitter: news cases, regressions, and linear time on long lines (issue 12)."""

import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import trainer.sentences as sentences_module
from trainer.sentences import iter_sentence_spans, split_sentences, texts_to_scan

CORPUS = Path(__file__).resolve().parent.parent / "data" / "sentences.jsonl"

CASES = [
    ("Dr. Lee met Mr. Smith on Jan. 5. They talked.", ["Dr. Lee met Mr. Smith on Jan. 5.", "They talked."]),
    (
        "Output rose 3.5% and the deal was worth $2.5bn. Shares fell.",
        ["Output rose 3.5% and the deal was worth $2.5bn.", "Shares fell."],
    ),
    ("The firm moved to the U.S. The move cost jobs.", ["The firm moved to the U.S.", "The move cost jobs."]),
    ("Officials in the U.S. Senate voted. It passed.", ["Officials in the U.S. Senate voted.", "It passed."]),
    ("George W. Bush spoke. J. K. Rowling wrote.", ["George W. Bush spoke.", "J. K. Rowling wrote."]),
    ('He said, "It is over." Then he left.', ['He said, "It is over."', "Then he left."]),
    ("“Is it?” she asked. Nobody knew.", ["“Is it?” she asked.", "Nobody knew."]),
    ("(This is bracketed.) Next one.", ["(This is bracketed.)", "Next one."]),
    ("Wait... what? Nobody knows... The end.", ["Wait... what?", "Nobody knows...", "The end."]),
    ("Intro:\n- First point\n- Second point", ["Intro:", "- First point", "- Second point"]),
    ("Steps:\n1. Mix it\n2. Bake it.", ["Steps:", "1. Mix it", "2. Bake it."]),
    ("Apple Inc. rose 2%. Analysts cheered.", ["Apple Inc. rose 2%.", "Analysts cheered."]),
    ("It starts at 5 p.m. on Monday. Rain is due.", ["It starts at 5 p.m. on Monday.", "Rain is due."]),
    ("Room No. 5 was empty! Why? Nobody said.", ["Room No. 5 was empty!", "Why?", "Nobody said."]),
    ("First paragraph without a stop\n\nSecond paragraph.", ["First paragraph without a stop", "Second paragraph."]),
    ("A line that is\nhard-wrapped here. Next.", ["A line that is\nhard-wrapped here.", "Next."]),
    ("", []),
    ("   \n  ", []),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_split_sentences_handles_news_text(text, expected):
    assert split_sentences(text) == expected


def test_sentences_are_slices_of_the_input():
    text = "  One.  Two?\tThree!  "
    assert all(s in text for s in split_sentences(text))
    assert "".join(split_sentences(text)) == "".join(text.split())


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Regression: a sentence ending in a decimal was glued to the next one.
        (
            "The fee fell from £4.10 to £3.65. Nobody was consulted.",
            ["The fee fell from £4.10 to £3.65.", "Nobody was consulted."],
        ),
        (
            "The index fell to 87.6 from 88.0. Carmakers cut jobs.",
            ["The index fell to 87.6 from 88.0.", "Carmakers cut jobs."],
        ),
        ("It is thought to be around £1.5m. Fans protested.", ["It is thought to be around £1.5m.", "Fans protested."]),
        # Regression: a capital letter after a lowercase word is not an initial.
        ("He said so in a post on X. Officials disagreed.", ["He said so in a post on X.", "Officials disagreed."]),
    ],
)
def test_regressions_from_the_corpus(text, expected):
    assert split_sentences(text) == expected


# --- Pre-fix reference (issue 12) ----------------------------------------------------------
# A verbatim copy of the splitter as it was before the fix of issue 12, which was quadratic on
# a long line. It is kept ONLY as the oracle of the property test and the long-line regression
# test below: the fixed splitter must give exactly the same output on every input. Do not use
# it anywhere else, and do not "fix" it.

_REF_CLOSERS = "\"'”’»)]}"
_REF_OPENING = "\"'“‘«([{"
_REF_END = re.compile(r"([.!?…]+|\.\.\.)([" + re.escape(_REF_CLOSERS) + r"]*)(\s+)")
_REF_BULLET = re.compile(r"\n[ \t]*(?:[-*•▪◦‣–—]|\d{1,3}[.)])[ \t]+")
_REF_PARAGRAPH = re.compile(r"\n[ \t]*\n")
_REF_WORD_BEFORE = re.compile(r"([\w.]+)$")
_REF_WORD = re.compile(r"[\w']+")
_REF_TITLES = frozenset(
    """
    mr mrs ms mx dr prof sen rep gov gen col lt sgt capt cmdr adm maj pres supt insp det rev
    fr sr jr st mt ft messrs hon amb atty jan feb mar apr jun jul aug sep sept oct nov dec
    no nos vol fig art sec ch pp p para approx est ca cf vs v e.g i.e viz
    """.split()
)
_REF_ENDERS = frozenset(
    """
    inc ltd co corp plc llc bros etc al dept univ assn u.s u.k u.n e.u u.s.a a.m p.m d.c n.y
    l.a jr sr
    """.split()
)
_REF_OPENERS = frozenset(
    """
    a an the he she it its they we i you this that these those there here but and so yet or
    in on at for after before when while if as by from with without since although though
    however meanwhile still then now today yesterday last next one his her their our my what
    why how who where which officials police
    """.split()
)


def _ref_starts_sentence(text, pos):
    i = pos
    while i < len(text) and text[i] in _REF_OPENING:
        i += 1
    if i >= len(text):
        return False
    ch = text[i]
    return ch.isupper() or ch.isdigit() or (not ch.isalpha() and not ch.isspace())


def _ref_is_boundary(text, match):
    punct, closers = match.group(1), match.group(2)
    nxt = match.end()
    if not _ref_starts_sentence(text, nxt):
        return False
    if "\n" in match.group(3) and closers == "" and punct != ".":
        return True
    if not punct.startswith(".") or len(punct) > 1 or closers:
        return True
    before = _REF_WORD_BEFORE.search(text, max(0, match.start() - 64), match.start())
    if before is None:
        return True
    word = before.group(1).lower().strip(".")
    line_start = text.rfind("\n", 0, before.start()) + 1
    if word.isdigit() and not text[line_start : before.start()].strip():
        return False
    if len(word) == 1 and word.isalpha() and text[before.start()].isupper():
        previous = re.search(r"(\S+)\s+$", text[max(0, before.start() - 40) : before.start()])
        if previous is None or previous.group(1)[0].isupper() or previous.group(1)[-1] in ".!?":
            return False
    if word in _REF_TITLES:
        if word in ("no", "nos", "p", "pp", "art", "sec", "fig", "vol", "ch", "para"):
            return not text[nxt : nxt + 1].isdigit()
        return False
    dotted = "." in word and all(len(p) <= 2 and p.isalpha() for p in word.split("."))
    if word in _REF_ENDERS or dotted:
        following = _REF_WORD.match(text, nxt)
        return following is not None and following.group(0).lower() in _REF_OPENERS
    return True


def _reference_spans(text) -> Iterator[tuple[int, int]]:
    cuts = {m.end() for m in _REF_END.finditer(text) if _ref_is_boundary(text, m)}
    cuts.update(m.start() + 1 for m in _REF_BULLET.finditer(text))
    cuts.update(m.start() + 1 for m in _REF_PARAGRAPH.finditer(text))
    start = 0
    for cut in [*sorted(cuts), len(text)]:
        segment = text[start:cut]
        stripped = segment.strip()
        if stripped:
            left = start + len(segment) - len(segment.lstrip())
            yield left, left + len(stripped)
        start = cut


def _reference_split(text):
    """The pre-fix (quadratic) splitter of issue 12: the oracle for the tests below."""
    return [text[a:b] for a, b in _reference_spans(text)]


# --- Linear time on long lines (issue 12) --------------------------------------------------

# The sentences of the one-line cases above, cycled to build lines of any length.
ONE_LINE_SENTENCES = [s for text, expected in CASES if "\n" not in text for s in expected]


def _long_line(n_sentences):
    return " ".join(ONE_LINE_SENTENCES[i % len(ONE_LINE_SENTENCES)] for i in range(n_sentences))


def test_reference_agrees_with_the_cases():
    # The oracle is only worth something if it is the splitter the cases describe.
    assert all(_reference_split(text) == expected for text, expected in CASES)


def test_whole_corpus_as_one_long_line_splits_back_into_its_sentences():
    # Issue 12: lines megabytes long. The corpus joined into one line of about 0.6 MB must
    # split back into exactly its labelled sentences, as each document does on its own.
    texts = [json.loads(line)["text"] for line in CORPUS.read_text(encoding="utf-8").splitlines()]
    assert split_sentences(" ".join(texts)) == texts


def test_long_text_splits_exactly_like_the_pre_fix_reference():
    # Every case, bullets and blank lines included, repeated into one text of about 150 kB,
    # once joined by spaces and once by line breaks.
    pieces = [text for text, _ in CASES] * 100
    for joiner in (" ", "\n"):
        text = joiner.join(pieces)
        assert list(iter_sentence_spans(text)) == list(_reference_spans(text))
    line = _long_line(3000)
    assert split_sentences(line) == _reference_split(line)


def test_long_line_splits_like_its_sentences_one_by_one():
    line = _long_line(2000)
    expected = [s for i in range(2000) for s in split_sentences(ONE_LINE_SENTENCES[i % len(ONE_LINE_SENTENCES)])]
    assert split_sentences(line) == expected


def test_long_runs_of_punctuation_split_like_the_pre_fix_reference():
    # A run of terminal marks not followed by white space made the old regex rescan the rest
    # of the run from each mark (quadratic); kept short here so the reference stays fast.
    for run in ("!" * 500, "?!" * 250, "." * 500, "…" * 300, ".!?…" * 100):
        for text in (run + "x", run + " Next.", "Yes" + run + '" Then.', run, f"a{run}b {run} C{run}\nD"):
            assert split_sentences(text) == _reference_split(text), text[:20]


def test_end_regex_rejects_a_mark_inside_a_run_without_rescanning_it():
    # The mechanism of the fix for runs: a candidate end starts only at the first mark of a
    # run (the old regex also tried every later mark, each scanning the rest of the run).
    end = sentences_module._END
    assert end.match("!!! ", 0).group(1) == "!!!"
    assert end.match("!!! ", 1) is None
    assert end.match("x!!! ", 1).group(1) == "!!!"


class _CountingPattern:
    """Stands in for a compiled regex and adds to a tally the characters each call may scan.

    ``search`` and ``finditer`` may scan their whole window; ``match`` is anchored, so it
    counts the characters it matched and the one after.
    """

    def __init__(self, pattern, tally):
        self._pattern, self._tally = pattern, tally

    def _window(self, string, pos, endpos):
        return max(0, min(endpos, len(string)) - pos)

    def search(self, string, pos=0, endpos=sys.maxsize):
        self._tally[0] += self._window(string, pos, endpos)
        return self._pattern.search(string, pos, endpos)

    def finditer(self, string, pos=0, endpos=sys.maxsize):
        self._tally[0] += self._window(string, pos, endpos)
        return self._pattern.finditer(string, pos, endpos)

    def match(self, string, pos=0, endpos=sys.maxsize):
        found = self._pattern.match(string, pos, endpos)
        self._tally[0] += 1 + (found.end() - pos if found else 0)
        return found

    def __getattr__(self, name):
        raise AssertionError(f"the splitter called regex method {name}, which the tally does not count")


class _CountingStr(str):
    """A ``str`` that adds to a tally the characters its slices copy and its searches scan."""

    tally: list

    def __getitem__(self, key):
        item = str.__getitem__(self, key)
        self.tally[0] += max(1, len(item))
        return item

    def _scan(self, method, sub, start, end, backwards):
        lo, hi, _ = slice(start, end).indices(len(self))
        found = getattr(str, method)(self, sub, start, end)
        stop = found if found >= 0 else (lo if backwards else hi)
        self.tally[0] += max(0, hi - stop if backwards else stop - lo) + len(sub)
        return found

    def find(self, sub, start=0, end=sys.maxsize):
        return self._scan("find", sub, start, end, backwards=False)

    def rfind(self, sub, start=0, end=sys.maxsize):
        return self._scan("rfind", sub, start, end, backwards=True)


def _characters_touched(split, module, text, monkeypatch):
    """How many characters ``split(text)`` copies or scans: a time-independent work measure.

    Counts the slices and ``find``/``rfind`` scans of the text and the windows given to the
    compiled regexes of ``module``; the regex engine's own backtracking is not counted.
    """
    tally = [0]
    for name, value in vars(module).items():
        if isinstance(value, re.Pattern):
            monkeypatch.setattr(module, name, _CountingPattern(value, tally))
    counting = _CountingStr(text)
    counting.tally = tally
    split(counting)
    monkeypatch.undo()
    return tally[0]


@pytest.mark.parametrize("n", [300, 1000])
def test_work_grows_linearly_with_the_length_of_a_line(n, monkeypatch):
    # Issue 12: 4 times the sentences on one line must cost about 4 times the work, not 16.
    small = _characters_touched(split_sentences, sentences_module, _long_line(n), monkeypatch)
    large = _characters_touched(split_sentences, sentences_module, _long_line(4 * n), monkeypatch)
    assert small > 0
    assert large / small < 5


def test_work_measure_catches_the_quadratic_pre_fix_splitter(monkeypatch):
    # The measure above is meaningful: on the pre-fix splitter, 4 times the sentences cost
    # about 16 times the work (rfind and slicing back to the start of the line).
    this_module = sys.modules[__name__]
    small = _characters_touched(_reference_split, this_module, _long_line(300), monkeypatch)
    large = _characters_touched(_reference_split, this_module, _long_line(1200), monkeypatch)
    assert large / small > 10


def test_numbered_item_check_only_walks_back_over_white_space(monkeypatch):
    # The check that a number starts a line (a numbered list item) used to rfind the start of
    # the line and copy it: on one long line, that cost the whole text before every "2024.".
    line = " ".join(["Output rose in 2024. It fell in 2025."] * 2000)
    small = _characters_touched(split_sentences, sentences_module, line[: len(line) // 4], monkeypatch)
    large = _characters_touched(split_sentences, sentences_module, line, monkeypatch)
    assert large / small < 5
    assert split_sentences(line) == _reference_split(line)


# --- Property: same output as the pre-fix reference on random news-like text --------------

WORDS = ["the", "The", "said", "rose", "He", "it", "A", "J", "W", "X", "i", "officials", "2024", "3.5", "5", "$2.5bn"]
ABBREVIATIONS = ["Dr.", "Mr.", "U.S.", "e.g.", "Inc.", "p.m.", "No.", "no.", "pp.", "Jan.", "St.", "etc.", "U.K."]
PUNCTUATION = [".", "!", "?", "…", "...", ",", ";", ":", "%", "-", "—"]
QUOTES_AND_BRACKETS = [*"\"'“”‘’«»()[]{}"]
SPACES = [" ", " ", " ", "  ", "\n", "\n\n", "\t", "\n  ", "\r\n", "\u00a0", "\u2028"]
BULLETS = ["\n- ", "\n* ", "\n• ", "\n1. ", "\n12) ", "\n  – "]
PIECE = st.one_of(
    st.sampled_from(WORDS),
    st.sampled_from(ABBREVIATIONS),
    st.sampled_from(PUNCTUATION),
    st.sampled_from(QUOTES_AND_BRACKETS),
    st.sampled_from(SPACES),
    st.sampled_from(BULLETS),
    st.text(alphabet=".!?…\"')", min_size=2, max_size=12),  # runs of marks and closers
    st.text(max_size=3),  # anything else
)
NEWS_LIKE = st.lists(PIECE, max_size=80).map("".join)


@given(text=NEWS_LIKE)
@settings(max_examples=1500, deadline=None)
def test_same_output_as_the_pre_fix_reference(text):
    assert list(iter_sentence_spans(text)) == list(_reference_spans(text))
    assert split_sentences(text) == _reference_split(text)


@given(text=st.text())
@settings(max_examples=300, deadline=None)
def test_same_output_as_the_pre_fix_reference_on_any_text(text):
    assert split_sentences(text) == _reference_split(text)


# --- texts_to_scan: every text the splitter scans is among them ----------------------------

LINE_LIKE = st.lists(PIECE.filter(lambda piece: "\n" not in piece), max_size=30).map("".join)


def _scanned(text: str) -> bool:
    """Whether `split_sentences` scans the text rather than giving its strip."""
    return "\n" in text or sentences_module._END.search(text) is not None


@given(texts=st.lists(st.one_of(LINE_LIKE, st.text(max_size=20)), max_size=12))
@settings(max_examples=600, deadline=None)
def test_texts_to_scan_finds_every_text_the_splitter_scans(texts):
    found = texts_to_scan(texts)
    assert found == sorted(set(found)) and all(0 <= i < len(texts) for i in found)
    assert {i for i, text in enumerate(texts) if _scanned(text)} <= set(found)
    for i, text in enumerate(texts):  # the others are one sentence at most, their strip
        if i not in found:
            assert split_sentences(text) == ([text.strip()] if text.strip() else [])


def test_texts_to_scan_on_closers_white_space_and_line_breaks():
    texts = ["A.” B", "A.”", "A.’) B", "A.\u00a0B", "A.\u2028B", "A!\x1fB", "A…” B", "A.” ’ B", "3.5% rose."]
    assert texts_to_scan(texts) == [0, 2, 3, 4, 5, 6, 7]
    assert texts_to_scan(["one", "two\nlines", "Three. Four"]) == [1, 2]
    assert texts_to_scan([]) == [] and texts_to_scan([""]) == []


def test_texts_to_scan_on_the_corpus_adds_few_texts():
    texts = [json.loads(line)["text"] for line in CORPUS.read_text(encoding="utf-8").splitlines()]
    found = texts_to_scan(texts)
    exact = [i for i, text in enumerate(texts) if _scanned(text)]
    assert set(exact) <= set(found) and len(found) <= len(exact) + len(texts) // 100
