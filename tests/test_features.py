import pytest

from tests.conftest import tiny_rows
from trainer.features import transform
from trainer.model import build_pipeline

TEXTS = [
    "Roughly 300 people attended, up from 2,000 in 2019.",
    "",
    "   ",
    "Who? Me! 3.5% of $2.5bn… and 11-13% more.",
    "Émigrés fled the city center — \u200fnobody knows why 😀.",
    "It rose 5",
    "-3 today",
    "the the the the",
    "Line one\nline two\tand tabs",
]


@pytest.mark.parametrize("ngram_range", [(1, 1), (1, 2), (1, 3), (2, 3)])
@pytest.mark.parametrize("sublinear_tf", [True, False])
def test_fast_transform_equals_the_vectorizer(ngram_range, sublinear_tf):
    rows = tiny_rows()
    pipe = build_pipeline(ngram_range=ngram_range, sublinear_tf=sublinear_tf)
    pipe.fit([r["text"] for r in rows], [r["label"] for r in rows])
    texts = TEXTS + [r["text"] for r in rows]
    expected = pipe[0].transform(texts)
    got = transform(pipe[0], texts)
    assert got.shape == expected.shape and got.dtype == expected.dtype
    assert (got != expected).nnz == 0


def test_other_vectorizers_fall_back_to_their_own_transform():
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer().fit(["red blue green", "blue green gold"])
    assert (transform(vectorizer, ["red gold", "x"]) != vectorizer.transform(["red gold", "x"])).nnz == 0


def test_text_holding_the_separator_is_counted_the_same():
    rows = tiny_rows()
    pipe = build_pipeline().fit([r["text"] for r in rows], [r["label"] for r in rows])
    texts = ["Prices\x00 rose.", "The council approved it.", "\x00", "5\x00-3 rose\x01"]
    assert (transform(pipe[0], texts) != pipe[0].transform(texts)).nnz == 0
