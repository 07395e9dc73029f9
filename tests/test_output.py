import csv
import io
import json

import pytest

from trainer.output import format_header, format_records

RECORD = {
    "doc": 1,
    "sentence": 2,
    "text": 'He said "fine",\tthen\x07 left \u200f😀.',
    "label": "opinion",
    "probabilities": {"estimate": 0.1, "opinion": 0.7, "reported_fact": 0.2},
}


def test_jsonl_is_valid_json_with_all_fields():
    line = format_records([RECORD], "jsonl")
    value = json.loads(line)
    assert value["text"] == RECORD["text"]
    assert value["probabilities"] == pytest.approx(RECORD["probabilities"])
    assert set(value) == {"doc", "sentence", "text", "label", "probabilities"}


def test_csv_round_trips_through_the_csv_module():
    text = format_header("csv") + format_records([RECORD], "csv")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[0]["text"] == RECORD["text"]
    assert float(rows[0]["p_opinion"]) == pytest.approx(0.7)


def test_table_rows_are_aligned_and_cut_with_an_ellipsis():
    long = dict(RECORD, text="word " * 60)
    lines = format_records([RECORD, long], "table", width=80).splitlines()
    header = format_header("table")
    assert lines[0].index("opinion") == lines[1].index("opinion") == header.index("label")
    assert len(lines[1]) <= 80 and lines[1].endswith("…")
    assert "\t" not in lines[0] and "\x07" not in lines[0]


def test_table_marks_low_confidence_rows():
    low = dict(RECORD, probabilities={"estimate": 0.3, "opinion": 0.4, "reported_fact": 0.3})
    assert "?" in format_records([low], "table").split("opinion")[0]
    assert "?" not in format_records([RECORD], "table").split("opinion")[0]


def test_table_colours_only_when_asked():
    assert "\x1b[" in format_records([RECORD], "table", color=True)
    assert "\x1b[" not in format_records([RECORD], "table", color=False)


def test_explanations_in_every_format():
    record = dict(RECORD, explanation=[["fine", 0.5], ["said", 0.25]])
    assert json.loads(format_records([record], "jsonl"))["explanation"] == [["fine", 0.5], ["said", 0.25]]
    assert "why: fine +0.50, said +0.25" in format_records([record], "table")
    assert "fine:+0.5000" in format_records([record], "csv")


@pytest.mark.parametrize("output_format", ["jsonl", "csv"])
def test_column_fast_path_writes_the_same_text_as_records(output_format):
    import numpy as np

    from trainer.output import format_columns

    records = [RECORD, dict(RECORD, doc=3, sentence=1, text="Plain.", label="estimate")]
    proba = np.array([[r["probabilities"][k] for k in ("estimate", "opinion", "reported_fact")] for r in records])
    columns = [[r[k] for r in records] for k in ("doc", "sentence", "text", "label")]
    assert format_columns(output_format, *columns, proba) == format_records(records, output_format)


@pytest.mark.parametrize("width", [None, 40, 200])
def test_the_column_table_equals_the_record_table(width):
    import numpy as np

    from trainer.config import LABELS
    from trainer.output import format_columns, format_records

    texts = ["Plain.", "Tab\there\x00 and a control", "A" * 300, "Émigrés “quoted” — ok?", ""]
    labels = ["reported_fact", "uncertain", "opinion", "estimate", "opinion"]
    proba = np.array([[0.1, 0.2, 0.7], [0.4, 0.35, 0.25], [0.0, 1.0, 0.0], [0.5, 0.25, 0.25], [0.3, 0.4, 0.3]])
    records = [
        {"doc": 7, "sentence": i + 1, "text": t, "label": lab, "probabilities": dict(zip(LABELS, p, strict=True))}
        for i, (t, lab, p) in enumerate(zip(texts, labels, proba.tolist(), strict=True))
    ]
    columns = format_columns("table", [7] * 5, [1, 2, 3, 4, 5], texts, labels, proba, width=width)
    assert columns == format_records(records, "table", width=width)
