import csv
import io
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trainer.config import LABELS
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


def _records(proba):
    record = {"sentence": 1, "text": "A.", "label": "opinion"}
    rows = enumerate(proba.tolist(), 1)
    return [dict(record, doc=i, probabilities=dict(zip(LABELS, p, strict=True))) for i, p in rows]


_TIES = [1 / 128, 3 / 128, 127 / 128, 0.5, 0.0, 1.0, 0.9999995, 0.0000005, 0.99999949, 5e-7 - 1e-12]


@given(
    rows=st.lists(
        st.lists(
            st.one_of(
                st.floats(0, 1, width=32),
                st.floats(0, 1),
                st.sampled_from(_TIES),
                st.integers(0, 2**20).map(lambda k: k / 2**20),  # dyadic: exact ties at the 7th decimal
            ),
            min_size=3,
            max_size=3,
        ),
        min_size=1,
        max_size=20,
    ),
    float32=st.booleans(),
)
@settings(max_examples=500, deadline=None)
def test_jsonl_probabilities_are_written_as_percent_format_writes_them(rows, float32):
    import numpy as np

    from trainer.output import format_columns

    proba = np.array(rows, dtype=np.float32 if float32 else np.float64)
    n = len(rows)
    assert format_columns("jsonl", list(range(1, n + 1)), [1] * n, ["A."] * n, ["opinion"] * n, proba) == (
        format_records(_records(proba), "jsonl")
    )


@pytest.mark.parametrize("odd", [-0.0, -1e-9, 1.5, float("nan"), float("inf")])
def test_jsonl_probabilities_outside_zero_to_one_take_the_percent_format(odd):
    import numpy as np

    from trainer.output import format_columns

    proba = np.array([[0.25, odd, 0.75], [0.1, 0.2, 0.7]])
    assert format_columns("jsonl", [1, 2], [1, 1], ["A.", "A."], ["opinion"] * 2, proba) == (
        format_records(_records(proba), "jsonl")
    )
