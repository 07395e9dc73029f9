"""The challenge suite: its items are sound, apart from the corpus, and scored per capability."""

import json
import re
from collections import Counter, defaultdict
from itertools import pairwise
from pathlib import Path

import pytest

from trainer.challenge import read_challenge, score_challenge
from trainer.cli import main
from trainer.errors import DataError
from trainer.sentences import split_sentences

ROOT = Path(__file__).resolve().parent.parent
SUITE = ROOT / "data" / "challenge.jsonl"


@pytest.fixture(scope="module")
def items():
    return read_challenge(SUITE)


def test_at_least_25_capabilities_of_at_least_20_items(items):
    counts = defaultdict(int)
    for item in items:
        counts[item["capability"]] += 1
    assert len(counts) >= 25
    assert min(counts.values()) >= 20, counts


def test_pairs_flip_the_label_and_invariance_groups_keep_it(items):
    groups = defaultdict(list)
    for item in items:
        groups[(item["test"], item["group"])].append(item["label"])
    for (test, group), labels in groups.items():
        if test == "pair":
            assert len(labels) == 2 and labels[0] != labels[1], group
        elif test == "inv":
            assert len(labels) >= 2 and len(set(labels)) == 1, group
        else:
            assert len(labels) == 1, group


def test_items_are_single_sentences_and_never_in_the_corpus(items):
    corpus = {" ".join(json.loads(line)["text"].lower().split()) for line in (ROOT / "data" / "sentences.jsonl").open()}
    texts = [" ".join(item["text"].lower().split()) for item in items]
    assert len(set(texts)) == len(texts)
    assert not set(texts) & corpus
    assert all(split_sentences(item["text"]) == [item["text"]] for item in items)


_WORD = re.compile(r"[A-Za-z0-9£$€%]+(?:'[a-z]+)?")
#: Corpus sentences whose masked word pairs overlap a challenge item's this much are near-copies.
NEAR_COPY = 0.75


def _masked_pairs(text: str) -> set[tuple[str, str]]:
    """Word pairs with names (capitalised words after the first) and numbers masked."""
    words = _WORD.findall(text)
    masked = ["#" if w[0].isdigit() else "N" if w[0].isupper() and k else w.lower() for k, w in enumerate(words)]
    return set(pairwise(masked))


def _near_copies(sentences: list[str], items: list[str]) -> list[tuple[str, str]]:
    """Pairs (sentence, item) whose masked word pairs have a Jaccard overlap of at least `NEAR_COPY`."""
    pairs = [_masked_pairs(item) for item in items]
    index = defaultdict(list)
    for k, grams in enumerate(pairs):
        for gram in grams:
            index[gram].append(k)
    found = []
    for sentence in sentences:
        grams = _masked_pairs(sentence)
        shared = Counter(k for gram in grams for k in index.get(gram, ()))
        found += [(sentence, items[k]) for k, n in shared.items() if n / (len(grams) + len(pairs[k]) - n) >= NEAR_COPY]
    return found


def test_near_copy_detection_sees_a_name_or_number_swapped():
    items = ["Shares in Voltra are suspended pending an announcement.", "The bill passed by 312 votes to 287."]
    sentences = ["Shares in Harlow Retail are suspended pending an announcement.", "The motion failed on Tuesday."]
    assert _near_copies(sentences, items) == [(sentences[0], items[0])]


def test_no_corpus_sentence_is_a_near_copy_of_an_item(items):
    corpus = [json.loads(line)["text"] for line in (ROOT / "data" / "sentences.jsonl").open(encoding="utf-8")]
    assert _near_copies(corpus, [item["text"] for item in items]) == []


def test_scores_per_capability(model_dir, tmp_path):
    lines = [
        {"capability": "a", "test": "pair", "group": "g1", "text": "Roughly 300 people came.", "label": "estimate"},
        {
            "capability": "a",
            "test": "pair",
            "group": "g1",
            "text": "Exactly 312 people came.",
            "label": "reported_fact",
        },
        {"capability": "b", "test": "mft", "group": "m1", "text": "What a ridiculous waste.", "label": "opinion"},
    ]
    path = tmp_path / "suite.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    result = score_challenge(model_dir, path=path)
    assert set(result.capabilities) == {"a", "b"}
    assert result.capabilities["a"]["items"] == 2 and result.capabilities["a"]["groups"] == 1
    assert 0 <= result.min_accuracy <= result.mean_accuracy <= 1
    assert "Mean per-capability accuracy" in result.format()


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("not json", "Line 1 of .* is not JSON"),
        ('{"text": "x"}', "Expected the fields"),
        ('{"capability": "a", "test": "mft", "group": "g", "text": "x", "label": "fakt"}', "found 'fakt'"),
    ],
)
def test_bad_suites_are_refused(tmp_path, line, message):
    path = tmp_path / "bad.jsonl"
    path.write_text(line + "\n", encoding="utf-8")
    with pytest.raises(DataError, match=message):
        read_challenge(path)


def test_cli_prints_the_table_and_json(runner, model_dir):
    result = runner.invoke(main, ["challenge", "--model", str(model_dir)])
    assert result.exit_code == 0, result.output
    assert "Mean per-capability accuracy" in result.output
    result = runner.invoke(main, ["challenge", "--model", str(model_dir), "--json"])
    assert result.exit_code == 0 and json.loads(result.output)["capabilities"]
    missing = runner.invoke(main, ["challenge", "--model", str(model_dir), "--challenge", "nope.jsonl"])
    assert missing.exit_code == 1 and "Cannot read the challenge suite" in missing.output
