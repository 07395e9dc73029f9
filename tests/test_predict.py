import io
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trainer.config import LABELS
from trainer.errors import DataError
from trainer.features import analyze
from trainer.predict import label_text, label_texts
from trainer.streaming import write_predictions, write_stream_predictions

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
        tokens, cues = analyze(r["text"])
        grams = {" ".join(tokens[i : i + n]) for n in (1, 2, 3) for i in range(len(tokens) - n + 1)}
        assert {f for f, _ in r["explanation"]} <= grams | set(cues)


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
    write_predictions([], out, model=model_dir, output_format="csv")
    write_stream_predictions(io.BytesIO(b""), out, model=model_dir, output_format="csv")
    write_predictions(["", "  "], out, model=model_dir, output_format="csv")
    assert out.getvalue() == ""


def _stream(model_dir, data: bytes, **kwargs) -> list[dict]:
    out = io.StringIO()
    write_stream_predictions(io.BytesIO(data), out, model=model_dir, output_format="jsonl", **kwargs)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_stream_handles_bom_crlf_and_blank_lines(model_dir):
    records = _stream(model_dir, b"\xef\xbb\xbfOne.\r\n\r\nTwo.\nThree.")
    assert [(r["doc"], r["text"]) for r in records] == [(1, "One."), (3, "Two."), (4, "Three.")]


@pytest.mark.parametrize("n_jobs", [1, 2])
def test_stream_in_small_blocks_numbers_lines_like_one_block(model_dir, n_jobs):
    data = "".join(f"Line {i} rose about {i}%. It is bad.\n" if i % 7 else "\n" for i in range(300)).encode()
    whole = _stream(model_dir, data, n_jobs=1, block_size=1 << 20)
    assert _stream(model_dir, data, n_jobs=n_jobs, block_size=64) == whole
    assert {r["doc"] for r in whole} == {i + 1 for i in range(300) if i % 7}


def test_blocks_of_a_file_get_smaller_near_its_end_and_label_like_one_block(model_dir, tmp_path):
    from trainer.streaming import _byte_blocks

    data = "".join(f"Line {i} rose about {i}%. It is bad.\n" if i % 7 else "\n" for i in range(3000)).encode()
    path = tmp_path / "in.txt"
    path.write_bytes(b"\xef\xbb\xbf" + data)
    with path.open("rb") as stream:
        blocks = list(_byte_blocks(stream, 4096, drop_bom=True, jobs=2))
    assert b"".join(block for _, block in blocks) == data
    assert [first for first, _ in blocks] == [
        1 + data[: sum(len(b) for _, b in blocks[:i])].count(b"\n") for i in range(len(blocks))
    ]
    sizes = [len(block) for _, block in blocks]
    assert (
        sizes[0] > 4000 and 500 < min(sizes[:-1]) < 1000 and max(sizes[-4:]) < 2500  # the tail: smaller blocks
    )
    whole = _stream(model_dir, data, n_jobs=1, block_size=1 << 20)
    for n_jobs in (1, 2):
        out = io.StringIO()
        with path.open("rb") as stream:
            write_stream_predictions(
                stream, out, model=model_dir, output_format="jsonl", n_jobs=n_jobs, block_size=4096
            )
        assert [json.loads(line) for line in out.getvalue().splitlines()] == whole


@pytest.mark.parametrize("n_jobs", [1, 2])
def test_stream_names_the_bad_line(model_dir, n_jobs):
    data = b"Fine.\n" * 50 + b"Caf\xe9 au lait.\n" + b"Fine again.\n" * 50
    with pytest.raises(DataError, match=r"Line 51 of in.txt is not valid utf-8: byte 0xe9 at column 4.*--encoding"):
        _stream(model_dir, data, name="in.txt", n_jobs=n_jobs, block_size=100)
    assert _stream(model_dir, data, encoding="latin-1")[50]["text"] == "Café au lait."


def test_a_line_of_megabytes(model_dir):
    line = "The price rose. " * 150_000
    records = list(label_texts([line], model=model_dir))
    assert len(records) == 150_000


def test_control_characters_rtl_marks_and_emoji(model_dir):
    records = label_text("Prices\x00 rose \u200f 3% 😀. Awful\x1b[31m stuff!", model=model_dir)
    assert len(records) == 2 and all(r["label"] in LABELS for r in records)


def test_a_model_of_two_labels_still_gives_all_three_probabilities(tmp_path):
    from tests.conftest import tiny_rows
    from trainer.model import build_pipeline

    rows = [r for r in tiny_rows() if r["label"] != "estimate"]
    model = build_pipeline().fit([r["text"] for r in rows], [r["label"] for r in rows])
    out = io.StringIO()
    write_predictions(["Prices rose. It is awful."], out, model=model, output_format="jsonl")
    for line in out.getvalue().splitlines():
        record = json.loads(line)
        assert record["probabilities"]["estimate"] == 0
        assert sum(record["probabilities"].values()) == pytest.approx(1.0, abs=1e-5)


def test_a_sentence_inside_a_quoted_passage_is_read_as_quoted(model_dir):
    from trainer.store import load_predictor

    passage = '"We are devastated. This should never have happened. We want answers," she said.'
    records = label_text(passage, model=model_dir)
    assert [r["text"] for r in records][1] == "This should never have happened."  # shown as written
    alone = load_predictor(model_dir).predict_proba(['"This should never have happened.'])[0]
    assert list(records[1]["probabilities"].values()) == pytest.approx(alone.tolist(), abs=1e-6)
    unquoted = label_text("This should never have happened.", model=model_dir)[0]["probabilities"]
    assert unquoted != records[1]["probabilities"]


def _units_one_by_one(texts):
    """The units of `_units`, text by text, as it found them before texts_to_scan."""
    from trainer.features.rules import QUOTATION_MARK, read_in_context
    from trainer.sentences import split_sentences

    docs, positions, sentences, inputs = [], [], [], []
    for doc, text in texts:
        found = split_sentences(text)
        docs.extend([doc] * len(found))
        positions.extend(range(1, len(found) + 1))
        sentences.extend(found)
        inputs.extend(read_in_context(found) if len(found) > 1 and QUOTATION_MARK.search(text) else found)
    return docs, positions, sentences, inputs


_UNIT_PIECES = ["Dr.", "He said", " ", "  ", '"', "“", "”", "’", ".", "!", "?", "…", "A", "x", "\n", "\u00a0", "3.5"]


@given(
    texts=st.lists(
        st.one_of(st.lists(st.sampled_from(_UNIT_PIECES), max_size=25).map("".join), st.text(max_size=15)), max_size=15
    )
)
@settings(max_examples=800, deadline=None)
def test_units_equal_splitting_text_by_text(texts):
    from trainer.predict import _units

    pairs = list(enumerate(texts, 1))
    assert _units(pairs, True) == _units_one_by_one(pairs)
    lines = [(doc, text.replace("\n", " ")) for doc, text in pairs]  # the stream's lines: no line breaks
    assert _units(lines, True) == _units_one_by_one(lines)
