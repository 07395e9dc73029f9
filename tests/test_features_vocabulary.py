"""`fit_vocabulary` equals scikit-learn's TfidfVectorizer run on the reference analyzer (the oracle)."""

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.feature_extraction.text import TfidfVectorizer

from trainer.features import Vocabulary, analyze, fit_vocabulary, tokenize

CORPUS = Path(__file__).parent.parent / "data" / "sentences.jsonl"
WORDS = st.sampled_from(
    ["prices", "rose", "fell", "about", "2,000", "5%", "reckless", "said", '"', "“", "”", "?", "Émigré", "I", "should"]
)


def _oracle(*, ngram_range, quotes, cues, min_df=1):
    def analyzer(text):
        tokens, found = analyze(text, quotes=quotes, cues=cues)
        grams = []
        for n in range(ngram_range[0], ngram_range[1] + 1):
            grams += [" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1)]
        return grams + found

    return TfidfVectorizer(analyzer=analyzer, sublinear_tf=True, min_df=min_df)


def _assert_equal_to_oracle(texts, **params):
    ours, features = fit_vocabulary(texts, **params)
    oracle = _oracle(**params)
    expected = oracle.fit_transform(texts)
    assert ours.feature_names().tolist() == oracle.get_feature_names_out().tolist()
    np.testing.assert_allclose(ours.idf, oracle.idf_, rtol=1e-6)
    assert abs(features - expected).max() < 1e-6
    new = [*texts[:3], "Prices rose about 5% more, he said.", "unseen words only"]
    assert abs(ours.transform(new) - oracle.transform(new)).max() < 1e-6


@pytest.mark.parametrize(
    "params",
    [
        {"ngram_range": (1, 2), "quotes": True, "cues": True},
        {"ngram_range": (1, 3), "quotes": True, "cues": False},
        {"ngram_range": (2, 3), "quotes": False, "cues": True},
        {"ngram_range": (1, 1), "quotes": False, "cues": False, "min_df": 2},
    ],
)
def test_the_corpus_equals_the_oracle(params):
    texts = [json.loads(line)["text"] for line in CORPUS.read_text(encoding="utf-8").splitlines()][:3000]
    _assert_equal_to_oracle(texts, **params)


@given(texts=st.lists(st.lists(WORDS, min_size=1, max_size=12).map(" ".join), min_size=2, max_size=20))
@settings(max_examples=60, deadline=None)
def test_random_corpora_equal_the_oracle(texts):
    _assert_equal_to_oracle(texts, ngram_range=(1, 2), quotes=True, cues=True)


def test_a_fit_on_a_subset_of_shared_tokens_equals_a_fit_on_the_subset():
    texts = ["Prices rose about 5%.", '"A reckless plan," he said.', "Prices fell.", "It is closed."]
    shared = tokenize(texts).subset([0, 1, 3])
    alone, features = fit_vocabulary([texts[i] for i in (0, 1, 3)])
    subset, subset_features = fit_vocabulary(tokenized=shared)
    assert subset.feature_names().tolist() == alone.feature_names().tolist()
    assert abs(subset_features - features).max() == 0


def test_arrays_round_trip():
    vocabulary, _ = fit_vocabulary(["Prices rose about 5%.", '"A reckless plan," he said.'])
    again = Vocabulary.from_arrays(vocabulary.to_arrays())
    texts = ["Prices rose.", '"reckless" he said about 5']
    assert abs(again.transform(texts) - vocabulary.transform(texts)).max() == 0


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"ngram_range": (2, 1)}, "ngram_range"),
        ({"ngram_range": (0, 1)}, "ngram_range"),
        ({"min_df": 0}, "min_df"),
        ({"min_df": 5}, "min_df=5 is more than"),
    ],
)
def test_bad_settings_are_refused(params, message):
    with pytest.raises(ValueError, match=message):
        fit_vocabulary(["a b", "c d"], **params)


def test_texts_without_tokens_are_refused():
    with pytest.raises(ValueError, match="no text has a token"):
        fit_vocabulary(["...", "  "], cues=False)
