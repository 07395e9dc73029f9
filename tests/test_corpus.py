"""Quality checks of the shipped corpus, data/sentences.jsonl, and its data card."""

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from trainer.config import LABELS
from trainer.sentences import split_sentences

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "data" / "sentences.jsonl"
SEED = ROOT.parent / "shared" / "seed" / "kupiansk-article.txt"
FIELDS = {"text", "label", "doc_id", "split", "topic", "genre"}


@pytest.fixture(scope="module")
def rows() -> list[dict]:
    return [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def documents(rows) -> dict[str, list[dict]]:
    docs: dict[str, list[dict]] = {}
    for row in rows:
        docs.setdefault(row["doc_id"], []).append(row)
    return docs


def test_rows_have_the_documented_fields_and_valid_labels(rows):
    for row in rows:
        assert set(row) == FIELDS
        assert row["label"] in LABELS
        assert row["split"] in ("train", "test")
        assert row["text"] == row["text"].strip() and row["text"]


def test_no_duplicate_sentences_and_no_text_with_two_labels(rows):
    counts = Counter(" ".join(r["text"].lower().split()) for r in rows)
    assert [t for t, n in counts.items() if n > 1] == []


def test_documents_are_contiguous_and_wholly_in_one_split(rows, documents):
    order = [r["doc_id"] for r in rows]
    assert [d for i, d in enumerate(order) if i == 0 or d != order[i - 1]] == list(documents)
    for doc, sentences in documents.items():
        assert len({r["split"] for r in sentences}) == 1, doc
        assert len({r["topic"] for r in sentences}) == 1 and len({r["genre"] for r in sentences}) == 1, doc


def test_size_balance_and_split(rows, documents):
    labels = Counter(r["label"] for r in rows)
    assert len(rows) >= 4000
    assert all(labels[label] / len(rows) >= 0.20 for label in LABELS), labels
    assert len(documents) - 1 >= 250
    assert len({d[0]["topic"] for d in documents.values()}) >= 15
    test_docs = [d for d, s in documents.items() if s[0]["split"] == "test"]
    assert len(test_docs) / len(documents) >= 0.15
    for split in ("train", "test"):
        split_labels = Counter(r["label"] for r in rows if r["split"] == split)
        assert all(split_labels[label] / sum(split_labels.values()) >= 0.20 for label in LABELS), (split, split_labels)


def test_splitting_each_document_gives_back_its_sentences(documents):
    for doc, sentences in documents.items():
        texts = [r["text"] for r in sentences]
        assert split_sentences(" ".join(texts)) == texts, doc


@pytest.mark.skipif(not SEED.exists(), reason="../shared/seed is not beside this checkout")
def test_every_sentence_of_the_seed_article_is_labelled(documents):
    seed = [s for s in split_sentences(SEED.read_text(encoding="utf-8")) if s != "Read the original article here"]
    assert [r["text"] for r in documents["seed-kupiansk"]] == seed


def test_data_copy_of_the_seed_article_is_the_seed():
    copy = ROOT / "data" / "kupiansk-article.txt"
    if SEED.exists():
        assert copy.read_text(encoding="utf-8") == SEED.read_text(encoding="utf-8")
    assert len(split_sentences(copy.read_text(encoding="utf-8"))) == 40


def test_data_card_counts_match_the_corpus(rows, documents):
    card = (ROOT / "data" / "README.md").read_text(encoding="utf-8")
    for split in ("train", "test", "all"):
        subset = [r for r in rows if split == "all" or r["split"] == split]
        docs = {r["doc_id"] for r in subset}
        labels = Counter(r["label"] for r in subset)
        cells = [str(len(docs)), str(len(subset)), *(str(labels[label]) for label in LABELS)]
        pattern = r"\|\s*" + split + r"\s*\|" + r"".join(rf"\s*{c}\s*\|" for c in cells)
        assert re.search(pattern, card), f"data card row for {split!r} should read {cells}"


def _shortcuts():
    import importlib.util

    spec = importlib.util.spec_from_file_location("shortcuts", ROOT / "benchmarks" / "shortcuts.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_no_surface_feature_alone_predicts_the_label(rows):
    table = _shortcuts().shortcut_table(rows)
    assert {name: round(entry["accuracy"], 3) for name, entry in table.items() if entry["accuracy"] >= 0.60} == {}


def test_data_card_shows_the_shortcut_table(rows):
    card = (ROOT / "data" / "README.md").read_text(encoding="utf-8")
    assert _shortcuts().markdown(rows) in card


def test_corpus_size_and_new_shapes(rows, documents):
    assert len(rows) >= 12_000 and len(documents) >= 700
    assert {"wire", "explainer", "liveblog", "review", "commentary", "thread", "press_release", "interview"} <= {
        r["genre"] for r in rows
    }
