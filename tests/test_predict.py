import io
import json

import pytest

from trainer.config import LABELS
from trainer.errors import DataError
from trainer.predict import label_text, label_texts, read_lines, write_predictions

ARTICLE = "The council approved the budget on Tuesday. Roughly 300 people attended. Frankly, it is a disgrace."


def test_label_text_splits_and_labels_every_sentence(model_dir):
    records = label_text(ARTICLE, model=model_dir)
    assert [r["sentence"] for r in records] == [1, 2, 3]
    assert [r["text"] for r in records][1] == "Roughly 300 people attended."
    for r in records:
        assert r["label"] in LABELS
        assert set(r["probabilities"]) == set(LABELS)
        assert sum(r["probabilities"].values()) == pytest.approx(1.0)
        assert r["label"] == max(r["probabilities"], key=r["probabilities"].get)


def test_label_texts_numbers_documents_and_skips_blank_ones(model_dir):
    records = list(label_texts(["One. Two.", "   ", "Three."], model=model_dir))
    assert [(r["doc"], r["sentence"]) for r in records] == [(1, 1), (1, 2), (3, 1)]


def test_no_split_keeps_each_text_whole(model_dir):
    records = list(label_texts(["One. Two."], model=model_dir, split=False))
    assert [r["text"] for r in records] == ["One. Two."]


def test_min_confidence_marks_uncertain(model_dir):
    records = label_text(ARTICLE, model=model_dir, min_confidence=1.0)
    assert {r["label"] for r in records} == {"uncertain"}


def test_explanations_occur_in_the_sentence_and_favour_the_label(model_dir):
    from trainer.store import load_model

    model = load_model(model_dir)
    for r in label_text(ARTICLE, model=model, explain=3):
        assert 0 < len(r["explanation"]) <= 3
        contributions = [c for _, c in r["explanation"]]
        assert contributions == sorted(contributions, reverse=True) and min(contributions) > 0
        analyzer = model.named_steps["tfidf"].build_analyzer()
        assert {f for f, _ in r["explanation"]} <= set(analyzer(r["text"]))


@pytest.mark.parametrize("n_jobs", [1, 2])
@pytest.mark.parametrize("output_format", ["jsonl", "csv", "table"])
def test_parallel_output_equals_single_process(model_dir, n_jobs, output_format):
    texts = [f"Line {i} says roughly {i} people came. It was awful." for i in range(257)]
    single, parallel = io.StringIO(), io.StringIO()
    write_predictions(texts, single, model=model_dir, output_format=output_format, n_jobs=1, chunk_size=10**6)
    write_predictions(texts, parallel, model=model_dir, output_format=output_format, n_jobs=n_jobs, chunk_size=16)
    assert parallel.getvalue() == single.getvalue()


def test_jsonl_matches_the_bare_pipeline(model_dir):
    from trainer.store import load_model

    texts = ["Prices rose 3% in May.", "That is a disgrace.", "About 40 people came."]
    out = io.StringIO()
    write_predictions(texts, out, model=model_dir, output_format="jsonl", split=False)
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    model = load_model(model_dir)
    assert [r["label"] for r in records] == list(model.predict(texts))
    proba = model.predict_proba(texts)
    for record, row in zip(records, proba, strict=True):
        assert [record["probabilities"][k] for k in model.classes_] == pytest.approx(row, abs=1e-6)


def test_empty_input_writes_nothing(model_dir):
    out = io.StringIO()
    assert write_predictions([], out, model=model_dir, output_format="csv") == 0
    write_predictions(["", "  "], out, model=model_dir, output_format="csv")
    assert out.getvalue() == ""


def test_read_lines_handles_bom_crlf_and_blank_lines():
    data = b"\xef\xbb\xbfOne.\r\n\r\nTwo.\nThree."
    assert list(read_lines(io.BytesIO(data))) == ["One.", "", "Two.", "Three."]


def test_read_lines_names_the_bad_line():
    data = b"Fine.\nAlso fine.\nCaf\xe9 au lait.\n"
    with pytest.raises(DataError, match=r"Line 3 of in.txt is not valid utf-8: byte 0xe9 at column 4.*--encoding"):
        list(read_lines(io.BytesIO(data), name="in.txt"))
    assert list(read_lines(io.BytesIO(data), encoding="latin-1"))[2] == "Café au lait."


def test_a_line_of_megabytes(model_dir):
    line = "The price rose. " * 150_000
    records = list(label_texts([line], model=model_dir))
    assert len(records) == 150_000


def test_control_characters_rtl_marks_and_emoji(model_dir):
    records = label_text("Prices\x00 rose \u200f 3% 😀. Awful\x1b[31m stuff!", model=model_dir)
    assert len(records) == 2 and all(r["label"] in LABELS for r in records)
