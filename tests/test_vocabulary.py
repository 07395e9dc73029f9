import json
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import tiny_rows
from tests.test_features import TEXTS
from trainer.features import transform
from trainer.model import build_pipeline
from trainer.vocabulary import fit_transform, tokenize

CORPUS = Path(__file__).parent.parent / "data" / "sentences.jsonl"


def _texts():
    corpus = [json.loads(line)["text"] for line in CORPUS.read_text(encoding="utf-8").splitlines()]
    return TEXTS + [r["text"] for r in tiny_rows()] + corpus[:1500]


def _sorted(matrix):
    matrix = matrix.copy()
    matrix.sort_indices()
    return matrix


@pytest.mark.parametrize(
    ("ngram_range", "sublinear_tf", "min_df"),
    [((1, 2), True, 1), ((1, 1), False, 1), ((1, 3), True, 2), ((2, 3), False, 1)],
)
def test_fit_equals_scikit_learn(ngram_range, sublinear_tf, min_df):
    texts = _texts()
    expected_vectorizer = build_pipeline(ngram_range=ngram_range, sublinear_tf=sublinear_tf, min_df=min_df)[0]
    expected = _sorted(expected_vectorizer.fit_transform(texts))
    vectorizer = build_pipeline(ngram_range=ngram_range, sublinear_tf=sublinear_tf, min_df=min_df)[0]
    got = fit_transform(vectorizer, texts)
    assert vectorizer.vocabulary_ == expected_vectorizer.vocabulary_
    assert sorted(vars(vectorizer)) == sorted(vars(expected_vectorizer))
    assert np.array_equal(vectorizer.idf_, expected_vectorizer.idf_)
    assert got.dtype == expected.dtype and got.has_sorted_indices
    assert np.array_equal(got.indptr, expected.indptr) and np.array_equal(got.indices, expected.indices)
    assert np.allclose(got.data, expected.data, rtol=1e-6)
    # The index left for transform is the one it would build from the vocabulary.
    assert (transform(vectorizer, TEXTS) != expected_vectorizer.transform(TEXTS)).nnz == 0


def test_texts_without_tokens_raise_as_scikit_learn_does():
    with pytest.raises(ValueError, match="empty vocabulary"):
        fit_transform(build_pipeline()[0], ["...", "  "])


def test_fit_on_a_subset_of_tokenized_texts_equals_a_fit_on_those_texts():
    texts = _texts()
    rows = list(range(0, len(texts), 3))
    subset = [texts[i] for i in rows]
    expected_vectorizer = build_pipeline()[0]
    expected = _sorted(expected_vectorizer.fit_transform(subset))
    vectorizer = build_pipeline()[0]
    got = fit_transform(vectorizer, subset, tokenized=tokenize(texts).subset(rows))
    assert vectorizer.vocabulary_ == expected_vectorizer.vocabulary_
    assert (got != expected).nnz == 0 or np.allclose(got.toarray(), expected.toarray(), rtol=1e-6)
    with pytest.raises(ValueError, match="increasing"):
        tokenize(texts).subset([2, 1])


def test_vocabularies_too_large_for_integer_keys_fall_back_to_scikit_learn():
    texts = _texts()
    expected_vectorizer = build_pipeline(ngram_range=(1, 6))[0]
    expected = expected_vectorizer.fit_transform(texts)
    vectorizer = build_pipeline(ngram_range=(1, 6))[0]
    got = fit_transform(vectorizer, texts)  # (tokens + 1) ** 6 is past 2 ** 63 here
    assert vectorizer.vocabulary_ == expected_vectorizer.vocabulary_
    assert (got != expected).nnz == 0
