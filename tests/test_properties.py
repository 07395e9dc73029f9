"""Property-based tests: predict never fails on any text, and splitting loses nothing."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trainer.config import LABELS
from trainer.predict import label_texts
from trainer.sentences import split_sentences

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
PIECES = [*"ab .!?\n\"'”()0123456789$%,-…•", "Dr.", "U.S.", " Mr. ", "A", "Z"]
NEWSY = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)


@given(text=st.one_of(st.text(), NEWSY))
@settings(max_examples=300, deadline=None)
def test_splitting_then_joining_loses_no_non_space_character(text):
    sentences = split_sentences(text)
    assert "".join("".join(sentences).split()) == "".join(text.split())
    assert all(s and s == s.strip() for s in sentences)


@given(texts=st.lists(st.one_of(st.text(), NEWSY), max_size=5))
@SETTINGS
def test_predict_never_raises_and_gives_one_valid_label_per_sentence(model_dir, texts):
    records = list(label_texts(texts, model=model_dir))
    expected = [(doc, i + 1) for doc, text in enumerate(texts, 1) for i, _ in enumerate(split_sentences(text))]
    assert [(r["doc"], r["sentence"]) for r in records] == expected
    for r in records:
        assert r["label"] in LABELS
        assert abs(sum(r["probabilities"].values()) - 1) < 1e-6
