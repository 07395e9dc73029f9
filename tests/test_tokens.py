"""The byte path of `trainer.tokens` gives the same token ids as the regular expressions."""

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trainer.model import _TOKEN_PATTERN, SHAPES, normalize_text
from trainer.tokens import _EXTRA, TokenTable, _regex_ids, token_ids

CORPUS = Path(__file__).parent.parent / "data" / "sentences.jsonl"
EDGE_CASES = [
    "Roughly 300 people attended, up from 2,000 in 2019.",
    "",
    "   ",
    "Who? Me! 3.5% of $2.5bn… and 11-13% more.",
    "It rose 5",
    "-3 today",
    "1-2-3-4-5 and 1 - 2 - 3 and 1 -2- 3",
    "10 – 20, 10\u00a0–\u00a020, 10\u2009-\u200920 and 10  -  20",
    "1.2.3,4 0,00 00 100,000 2000 1999 2100 0.5-1 1.-2 1,-2 1.,2 5. 5,",
    "A1B2 c_3 _range_ _YEAR_ €5 £3bn 5€ 100$ 1e5",
    "1,5 1,000,001 3,000 30,000.5 1,000-2,000 2019-20 1990s",
    "Émigrés paid 5 złoty; İstanbul 10",
    "x\x00y 5 \x01 \x7f 9",
    "tab\t5 -\t6 and 5\t-\t6",
    "Zero 0 and 00 and 0,000 and 10 and 01",
    "“Quoted” ‘words’ — dashes – and • bullets · 5° «guillemets»",
    "emoji 😀 7 and 👍🏽 2,000",
    "trailing digits 2024",
]
# Characters that exercise every branch of both paths.
ALPHABET = st.sampled_from([*"aZ_ 0159.,-!?%$\t", *_EXTRA, "é", "İ", "\x00", "😀", "\u0663", "²"])


def _table(sentences):
    """A table holding every token of the sentences, and some that never occur."""
    tokens = {t for s in sentences for t in re.findall(_TOKEN_PATTERN, normalize_text(s))}
    return TokenTable(sorted(tokens | {"unused", *SHAPES[:2]}))


def _assert_same_as_regex(sentences, table=None):
    table = table or _table(sentences)
    ids, rows = token_ids(sentences, table)
    expected_ids, expected_rows = _regex_ids(sentences, range(len(sentences)), table, _TOKEN_PATTERN)
    assert (ids.tolist(), rows.tolist()) == (expected_ids.tolist(), expected_rows.tolist())


@pytest.mark.parametrize("sentence", EDGE_CASES)
def test_each_edge_case_alone(sentence):
    _assert_same_as_regex([sentence])


def test_edge_cases_together_and_with_an_unrelated_table():
    _assert_same_as_regex(EDGE_CASES)
    _assert_same_as_regex(EDGE_CASES, TokenTable(["rose", "_year_", "!", "€"]))


def test_the_corpus():
    sentences = [json.loads(line)["text"] for line in CORPUS.read_text(encoding="utf-8").splitlines()]
    _assert_same_as_regex(sentences)


def test_sentences_holding_line_breaks_or_lone_surrogates_take_the_regex_path():
    _assert_same_as_regex(["one\ntwo 5", "three 2,000", "bad \ud800 5"])


@pytest.mark.parametrize("character", sorted(_EXTRA))
def test_each_stand_in_plays_the_same_part_as_its_character(character):
    stand_in = _EXTRA[character]
    assert character.lower() == character
    assert not re.fullmatch(r"\w", character)
    assert bool(re.fullmatch(r"\s", character)) == (stand_in == " ")
    assert bool(re.fullmatch(r"[-–]", character)) == (stand_in == "-")
    assert bool(re.fullmatch(r"[%$€£?!]", character)) == (stand_in in "\x80\x81")


@given(sentences=st.lists(st.lists(ALPHABET, max_size=30).map("".join), max_size=8))
@settings(max_examples=400, deadline=None)
def test_random_text(sentences):
    _assert_same_as_regex(sentences)
