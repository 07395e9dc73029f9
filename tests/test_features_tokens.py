"""The byte path of `trainer.features.tokens` gives the tokens and cues of the reference rules."""

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trainer.features.cues import CUE_WORDS
from trainer.features.rules import QUOTE_PREFIX, SHAPES, analyze
from trainer.features.tokens import _EXTRA, TokenTable, _reference_ids, token_ids
from trainer.features.vocabulary import _CUE_NAMES

CORPUS = Path(__file__).parent.parent / "data" / "sentences.jsonl"
EDGE_CASES = [
    'Lee called the ruling "a farce", and she is right, said Kim.',  # attributed speech ends at its quotation
    'Lee said it was "working" and left, then "no", then more.',
    "Roughly 300 people attended, up from 2,000 in 2019.",
    "The guidance is confusing, and the deal was a historic mistake.",  # [judgement] twice, one cue
    "May prices fall? They may, as they did on 12 May and in May, (May) and 5% May.",  # the month, not the modal
    '"May I ask?" said May.\nMay.',
    "Seventeen died, a Thousand fled, twenty-five stayed, one left; Seventeenth, tenth and tens.",  # number words
    'More than fifty staff must publish. "Two" of them may not exceed Ten.',  # a rule's bound by a number word
    "Landlords may not raise rents by more than 10%; tenants cannot sublet for over 90 days.",  # rule modals
    "Worry about money, not about £300 or around half; nearly\n a third, almost. About",  # hedges of quantities
    "Whatever Lee says, it is a farce, Kim said. Despite that, critics argue it works.",  # concessions
    "``We will win,'' he said of Lee&#39;s &quot;farce&quot; &amp; ''more'' ``",  # marks of other conventions
    "'''Odd''' &quot &#39 &amp;amp; ````x'''' &QUOT; \n``a\n''b",
    '"Whatever" he said, despite, she insisted, it failed; regardless they say so.',
    'It may "not" rise more than 5%, may\nnot 6% and May not 7% or "must" 8% more.',  # no rule: quotes, lines
    'It is "a disaster" and key workers are poor.',  # quoted verdict, then one predicated
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
    'He said: "We believe this is a reckless mistake," and left.',
    'we will win by 2030," she added. Roughly "about" 5',
    "“It is a betrayal of every worker in this town.”",
    '"Frankly it is absurd"—"utterly"',
    'a"b"c "" " "x" ("y") [“z”] -"w" —"v"',
    '"',
    'Unbalanced "quote with should and estimated 5',
    "Closing” first, then “opening",
    "Stop building on flood plains.",
    "So just   give them 5 pounds, and then stop.",
    '"Stop it," she said. Stop.',
    "Stopping is banned above 50 mph; a 3% rise is absurd, in 2024 absurd.",
    '"A 3% rise," he said, "is absurd." Cap: 2,000',
    "so",
    "Don't ban 1.5 ideas",
    "The senator called the plan 'a disaster'.",
    "'We don't accept it,' the workers' union said; ‘no’ and 'open",
    "It's the 'best' deal, 'n' the '90s",
    "The law bans gatherings of more than 50 people; over 2,000 came.",
    "A cap: no more than $500, fines of at least 5% or more, up to 3-4 or 10 or above 7.",
    'The "more than 50" limit; the limit of "at least 6"%; limit more than\nthan 5',
    "More than 50 people came, at least 6% or more.",  # no rule word: no bound is a rule's
    "Eligible: 18 or over. Banned: over 9000 or more than over 7 at least 1 2",
    "Smith said the plan was reckless; critics argue it is absurd.",
    'I think it is absurd, as critics argued; "no," said Lee, who told us it was fine',
    "It has to be said that it is absurd. Needless to say it failed. Said Lee: absurd",
    "Lee, who we know well, said it was absurd. Officials said the ban covers more than 50 people.",
    "It is absurd, the union said, adding, as we said, it cost 1,500, or 2,000, officials told us",
    ", said Lee. It failed, needless to say, sadly, according to the 'minister', \"who said, ,so\"",
]
# Characters that exercise every branch of both paths.
ALPHABET = st.sampled_from(
    [
        *'aZ_ 0159.,-!?%$\t"([',
        *_EXTRA,
        "é",
        "İ",
        "\x00",
        "😀",
        "\u0663",
        "²",
        " said ",
        " reckless ",
        " about ",
        " stop ",
        "so ",
        " ban ",
        " limit ",
        " more than ",
        " at least ",
        " or more ",
        " i think ",
        " as ",
        " to ",
    ]
)


def _table(sentences):
    """A table holding every token and cue of the sentences, the cue words, and some that never occur."""
    tokens = set()
    for sentence in sentences:
        found, cues = analyze(sentence)
        plain = analyze(sentence, quotes=False, cues=False)[0]
        tokens |= set(found) | set(cues) | set(plain)
    return TokenTable(sorted(tokens | {"unused", *SHAPES[:2], *CUE_WORDS, *_CUE_NAMES}))


def _assert_same_as_reference(sentences, table=None, **settings):
    table = table or _table(sentences)
    got = token_ids(sentences, table, **settings)
    expected = _reference_ids(sentences, range(len(sentences)), table, **{"quotes": True, "cues": True, **settings})
    ids, rows, cue_ids, cue_rows = (x.tolist() for x in got)
    assert (ids, rows) == (expected[0].tolist(), expected[1].tolist())
    # Cues are a bag per sentence: compare them sorted within each sentence.
    assert sorted(zip(cue_rows, cue_ids, strict=True)) == sorted(
        zip(expected[3].tolist(), expected[2].tolist(), strict=True)
    )


@pytest.mark.parametrize("sentence", EDGE_CASES)
def test_each_edge_case_alone(sentence):
    _assert_same_as_reference([sentence])


@pytest.mark.parametrize(
    "settings", [{"quotes": False, "cues": False}, {"quotes": True, "cues": False}, {"quotes": False, "cues": True}]
)
def test_edge_cases_with_quotes_or_cues_off(settings):
    _assert_same_as_reference(EDGE_CASES, **settings)


def test_edge_cases_together_and_with_an_unrelated_table():
    _assert_same_as_reference(EDGE_CASES)
    # A vocabulary's table always holds the cue words (`Vocabulary` adds them).
    unrelated = ["rose", "_year_", "!", "€", "[reporting]", *CUE_WORDS]
    _assert_same_as_reference(EDGE_CASES, TokenTable(unrelated))


def test_the_corpus():
    sentences = [json.loads(line)["text"] for line in CORPUS.read_text(encoding="utf-8").splitlines()]
    _assert_same_as_reference(sentences)


def test_sentences_holding_line_breaks_or_lone_surrogates_take_the_reference_path():
    _assert_same_as_reference(["one\ntwo 5", "three 2,000", "bad \ud800 5"])


def test_bound_words_of_a_rule_figure_are_marked():
    sentence = "Fines are capped at no more than $500 and 40% or more pay."
    table = _table([sentence])
    ids, _, cue_ids, _ = token_ids([sentence], table)
    names = list(table)
    assert [names[i] for i in ids] == [
        *("fines", "are", "capped", "at", "r:no", "r:more", "r:than", "$", "_round_number_", "and"),
        *("_round_number_", "%", "r:or", "r:more", "pay"),
    ]
    assert sorted(names[i] for i in cue_ids) == ["[rule]", "[rule_figure]"]


def test_quoted_tokens_are_marked():
    table = _table(['The mayor called it "a reckless plan".'])
    ids, _, cue_ids, _ = token_ids(['The mayor called it "a reckless plan".'], table)
    names = list(table)
    assert [names[i] for i in ids] == ["the", "mayor", "called", "q:it", "q:a", "q:reckless", "q:plan"]
    assert sorted(names[i] for i in cue_ids) == ["[q:evaluative]", "[quotation]", "[reporting]"]
    assert all(not t.startswith(QUOTE_PREFIX) or t[2:] in names for t in names)


@pytest.mark.parametrize("character", sorted(_EXTRA))
def test_each_stand_in_plays_the_same_part_as_its_character(character):
    stand_in = _EXTRA[character]
    assert character.lower() == character
    assert not re.fullmatch(r"\w", character)
    assert bool(re.fullmatch(r"\s", character)) == (stand_in == " ")
    assert bool(re.fullmatch(r"[-–]", character)) == (stand_in == "-")
    assert bool(re.fullmatch(r"[%$€£?!]", character)) == (stand_in in "\x80\x81")
    assert (character in "“”«»") == (stand_in in "\x82\x83")


@given(sentences=st.lists(st.lists(ALPHABET, max_size=30).map("".join), max_size=8))
@settings(max_examples=400, deadline=None)
def test_random_text(sentences):
    _assert_same_as_reference(sentences)


def test_latin_letters_beyond_ascii_take_the_byte_path(monkeypatch):
    import trainer.features.tokens as tokens

    sentences = ["José Müller said the naïve plan failed in Łódź.", "ÉMIGRÉS rose 5%"]
    table = _table(sentences)
    expected = [x.tolist() for x in _reference_ids(sentences, range(2), table, quotes=True, cues=True)]

    def refuse(*args, **kwargs):
        raise AssertionError("a sentence of Latin letters was sent to the reference path")

    monkeypatch.setattr(tokens, "_reference_ids", refuse)
    got = [x.tolist() for x in token_ids(sentences, table)]
    assert got[:2] == expected[:2]
    assert sorted(zip(got[3], got[2], strict=True)) == sorted(zip(expected[3], expected[2], strict=True))
