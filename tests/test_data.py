import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import tiny_rows, write_jsonl
from trainer.config import TrainingConfig
from trainer.data import parse_label_map, read_data, split_by_document
from trainer.errors import DataError


def _csv(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def test_reads_jsonl_with_columns_and_splits(tiny_jsonl):
    data = read_data([tiny_jsonl])
    assert len(data) == 27
    assert set(data.labels) == {"estimate", "opinion", "reported_fact"}
    assert data.splits.count("test") == 6


@pytest.mark.parametrize("as_given", [str, Path])
def test_one_source_may_be_given_alone(tiny_jsonl, as_given):
    # regression: a lone path string was read as a sequence of one-letter Hub names
    assert len(read_data(as_given(tiny_jsonl))) == 27


@pytest.mark.parametrize("suffix", [".csv", ".tsv", ".parquet", ".json"])
def test_reads_other_formats(tmp_path, suffix):
    import pandas as pd

    frame = pd.DataFrame(tiny_rows())
    path = tmp_path / f"tiny{suffix}"
    if suffix == ".csv":
        frame.to_csv(path, index=False)
    elif suffix == ".tsv":
        frame.to_csv(path, index=False, sep="\t")
    elif suffix == ".parquet":
        frame.to_parquet(path)
    else:
        frame.to_json(path, orient="records", lines=True)
    data = read_data([path])
    assert data.texts == [r["text"] for r in tiny_rows()]


def test_accepts_bom_and_crlf(tmp_path):
    rows = "\r\n".join(f'"{r["text"]}",{r["label"]},{r["doc_id"]}' for r in tiny_rows())
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbf" + ("text,label,doc_id\r\n" + rows + "\r\n").encode())
    data = read_data([path])
    assert data.texts[0] == tiny_rows()[0]["text"]
    assert data.docs[0] == "d1"


def test_reads_other_encodings(tmp_path):
    path = tmp_path / "latin.csv"
    body = "text,label\nCafé prices rose.,reported_fact\nIt is awful.,opinion\n"
    path.write_bytes(body.encode("latin-1"))
    with pytest.raises(DataError, match=r"not valid utf-8 text: byte 0xe9 on line 2, column 4.*--encoding"):
        read_data([path])
    assert read_data([path], encoding="latin-1").texts[0] == "Café prices rose."


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", r"empty\.pt.* is empty"),
        ("text,label\n", r"has a header but no rows"),
        ('text,label\n"a,b\nc,d\n', r"(Line \d+ of .*not valid CSV|Could not read)"),
        ("text,label\nA,opinion,extra,more\n", r"Line 2 of .* has 4 fields but the header has 2"),
        (
            "sentence,label\nA.,opinion\n",
            r"Expected a text column 'text' .* found columns \['label', 'sentence'\].*--text-column",
        ),
        ("text,category\nA.,opinion\n", r"Expected a label column 'label'.*--label-column"),
        (
            "text,label\nA.,opinion\nB.,fakt\n",
            r"Expected labels \['estimate', 'opinion', 'reported_fact'\] but found 'fakt' on line 3 .*"
            r"--label-map fakt=",
        ),
        ("text,label\nA.,opinion\nB.,opinion\n", r"at least two different labels but found only \['opinion'\]"),
        ("text,label\nA.,opinion\n  ,estimate\n", r"blank value on line 3"),
        (
            "text,label\nSame.,opinion\nOther.,estimate\nSame.,estimate\n",
            r"labelled 'opinion' on line 2 .* and 'estimate' on line 4",
        ),
    ],
)
def test_bad_csv_is_reported_with_line_and_fix(tmp_path, content, message):
    path = _csv(tmp_path / "empty.pt.csv", content) if content == "" else _csv(tmp_path / "data.csv", content)
    with pytest.raises(DataError, match=message):
        read_data([path])


def test_broken_jsonl_names_the_line(tmp_path):
    path = tmp_path / "broken.jsonl"
    path.write_text('{"text": "A.", "label": "opinion"}\n{"text": "B.", "label": \n', encoding="utf-8")
    with pytest.raises(DataError, match=r"Line 2 of .*broken.jsonl is not valid JSON"):
        read_data([path])


@pytest.mark.parametrize("path", ["missing.csv", "missing.jsonl"])
def test_missing_file(tmp_path, path):
    with pytest.raises(DataError, match=r"Expected a data file at .*missing.* does not exist"):
        read_data([tmp_path / path])


def test_unknown_extension(tmp_path):
    path = _csv(tmp_path / "data.txt", "text,label\n")
    with pytest.raises(DataError, match=r"Expected a \.csv.*data\.txt"):
        read_data([path])


def test_hub_name_unreachable_is_a_clear_error(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    with pytest.raises(DataError, match=r"not a local file, and loading it from the Hugging Face Hub failed"):
        read_data(["no-such-user/no-such-dataset"])


def test_label_map_renames_labels(tmp_path):
    rows = [dict(r, label={"reported_fact": "fakt"}.get(r["label"], r["label"])) for r in tiny_rows()]
    path = write_jsonl(tmp_path / "mapped.jsonl", rows)
    data = read_data([path], label_map=parse_label_map(["fakt=reported_fact"]))
    assert "fakt" not in data.labels and "reported_fact" in data.labels


@pytest.mark.parametrize(("item", "message"), [("fakt", r"FROM=TO"), ("fakt=truth", r"map onto .* found 'truth'")])
def test_bad_label_map(item, message):
    with pytest.raises(DataError, match=message):
        parse_label_map([item])


def test_split_by_document_uses_split_column(tiny_jsonl):
    data = read_data([tiny_jsonl])
    train, test = split_by_document(data)
    assert {data.docs[i] for i in test} == {"d8", "d9"}
    assert not {data.docs[i] for i in train} & {data.docs[i] for i in test}


def test_split_by_document_without_split_column_is_seeded(tmp_path):
    path = write_jsonl(tmp_path / "nosplit.jsonl", tiny_rows(with_split=False))
    data = read_data([path])
    first = split_by_document(data, config=TrainingConfig(seed=1))
    assert first == split_by_document(data, config=TrainingConfig(seed=1))
    train, test = first
    assert not {data.docs[i] for i in train} & {data.docs[i] for i in test}


def test_document_in_two_splits_is_refused(tmp_path):
    rows = tiny_rows()
    rows[0]["split"] = "test"
    data = read_data([write_jsonl(tmp_path / "mixed.jsonl", rows)])
    with pytest.raises(DataError, match=r"Document 'd1' is in split 'test' on line 1 .* and in 'train' on line 2"):
        split_by_document(data)


def test_too_few_documents(tmp_path):
    rows = [{"text": "A.", "label": "opinion", "doc_id": "x"}, {"text": "B.", "label": "estimate", "doc_id": "x"}]
    data = read_data([write_jsonl(tmp_path / "one.jsonl", rows)])
    with pytest.raises(DataError, match=r"at least 2 documents .* found 1"):
        split_by_document(data)


def test_local_files_leave_no_cache_in_home(tmp_path, tiny_jsonl):
    import os
    import subprocess
    import sys

    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HF_", "XDG_"))}
    env["HOME"] = str(home)
    code = f"from trainer.data import read_data; assert len(read_data([{str(tiny_jsonl)!r}])) == 27"
    subprocess.run([sys.executable, "-c", code], env=env, check=True)
    assert [p.relative_to(home) for p in home.rglob("*")] == []


# Issue 12: column types are checked per file; a mixed column is never JSON-encoded into the texts.


@pytest.mark.parametrize(
    ("value", "kind"),
    [(42, "a number"), (["a", "list"], "a list"), ({"an": "object"}, "an object"), (True, "a boolean")],
)
def test_a_text_that_is_not_a_string_is_named_with_its_line(tmp_path, value, kind):
    rows = tiny_rows()
    rows[2]["text"] = value
    path = write_jsonl(tmp_path / "x.jsonl", rows)
    message = (
        rf"Expected text in column 'text' to be a string but found {kind} on line 3 of .*x\.jsonl\. "
        r"Quote it or fix the row\."
    )
    with pytest.raises(DataError, match=message):
        read_data([path])


def test_a_column_of_numbers_is_not_text(tmp_path):
    rows = [dict(r, text=i) for i, r in enumerate(tiny_rows())]
    with pytest.raises(DataError, match=r"Expected text in column 'text' to be a string but found a number on line 1"):
        read_data([write_jsonl(tmp_path / "numbers.jsonl", rows)])


@pytest.mark.parametrize("row", [0, 1, 5])
def test_a_label_that_is_a_number_is_named_with_its_line(tmp_path, row):
    rows = tiny_rows()
    rows[row]["label"] = 3
    path = write_jsonl(tmp_path / "labels.jsonl", rows)
    message = rf"Expected the label in column 'label' to be a string but found a number on line {row + 1} of "
    with pytest.raises(DataError, match=message):
        read_data([path])


def test_valid_rows_after_a_blank_line_and_nulls_still_read(tmp_path):
    rows = tiny_rows()
    path = tmp_path / "blank.jsonl"
    path.write_text("\n".join(json.dumps(dict(r, extra=None if i % 2 else i)) for i, r in enumerate(rows)) + "\n\n")
    assert read_data([path]).texts == [r["text"] for r in rows]


@pytest.mark.parametrize("name", ["data/sentences.jsnl", "sentences.jsnl", "./corpus", "~/x.txt", "a/b/c"])
def test_a_name_that_looks_like_a_file_is_never_looked_up_on_the_hub(tmp_path, monkeypatch, name):
    import datasets

    def no_hub(*args, **kwargs):
        raise AssertionError("a local-looking name was sent to the Hub")

    monkeypatch.setattr(datasets, "load_dataset", no_hub)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "data").mkdir()
    with pytest.raises(DataError, match=rf"No file at {re.escape(str(Path(name)))}\. .*--data"):
        read_data([name])


def test_cli_mistyped_path_is_one_line_without_the_hub(runner, tmp_path, monkeypatch):
    import datasets

    from trainer.cli import main

    monkeypatch.setattr(datasets, "load_dataset", lambda *a, **k: pytest.fail("sent to the Hub"))
    monkeypatch.chdir(tmp_path)
    (tmp_path / "data").mkdir()
    result = runner.invoke(main, ["fit", "--data", "data/sentences.jsnl", "--model", str(tmp_path / "m")])
    assert result.exit_code == 1, result.output
    assert result.output.startswith("Error: No file at data/sentences.jsnl. Check the path passed to --data")
    assert len(result.output.strip().splitlines()) == 1, result.output


def test_cli_fit_with_a_number_for_a_text_is_one_line_exit_1(runner, tmp_path):
    from trainer.cli import main

    rows = tiny_rows()
    rows[2]["text"] = 42
    data = write_jsonl(tmp_path / "x.jsonl", rows)
    result = runner.invoke(main, ["fit", "--data", str(data), "--model", str(tmp_path / "m"), "--no-search"])
    assert result.exit_code == 1, result.output
    assert result.output.strip().splitlines() == [
        f"Error: Expected text in column 'text' to be a string but found a number on line 3 of {data}. "
        "Quote it or fix the row."
    ]
    assert not (tmp_path / "m").exists()


def test_a_document_column_with_mixed_types_is_named_with_both_lines(tmp_path):
    rows = tiny_rows()
    rows[0]["doc_id"] = 1
    path = write_jsonl(tmp_path / "docs.jsonl", rows)
    message = r"column 'doc_id' to hold one type of value but found a number on line 1 .* a string on line 2"
    with pytest.raises(DataError, match=message):
        read_data([path])


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=5,
)


@given(value=JSON_VALUES, row=st.integers(min_value=0, max_value=26), column=st.sampled_from(["text", "label"]))
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_json_value_in_one_row_is_read_as_is_or_named_with_its_line(tmp_path, value, row, column):
    rows = tiny_rows()
    rows[row][column] = value
    path = write_jsonl(tmp_path / "fuzz.jsonl", rows)
    try:
        data = read_data([path])
    except DataError as err:
        assert f"line {row + 1} of" in str(err) or isinstance(value, str), str(err)
        return
    assert isinstance(value, str)
    # No other row's text or label is changed (datasets once JSON-encoded the whole column).
    assert data.texts == [r["text"] for r in rows] and data.labels == [r["label"] for r in rows]


def test_the_same_rows_from_two_sources_are_refused(tmp_path):
    """A regression test: ``--data a.jsonl --data a.csv`` used to double the data and leak held-out rows."""
    import csv

    from tests.conftest import tiny_rows, write_jsonl
    from trainer.data import read_data
    from trainer.errors import DataError

    a = write_jsonl(tmp_path / "a.jsonl", tiny_rows())
    b = tmp_path / "b.csv"
    with b.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=["text", "label", "doc_id", "split"])
        writer.writeheader()
        writer.writerows(tiny_rows())
    with pytest.raises(DataError, match=r"Line 2 of .*b.csv repeats line 1 of .*a.jsonl"):
        read_data([a, b])
    with pytest.raises(DataError, match="Pass each source once"):
        read_data([a, a])


# Found by tests/test_fuzz.py.


@pytest.mark.parametrize("content", ["null\n", '  null\n{"text": "A.", "label": "opinion"}\n'])
@pytest.mark.parametrize("suffix", [".jsonl", ".json"])
def test_a_top_level_null_is_one_line_not_a_crash(tmp_path, content, suffix):
    # pyarrow's JSON reader (used by datasets) crashed the process (a segmentation fault) on it: run apart.
    import subprocess
    import sys

    path = tmp_path / f"null{suffix}"
    path.write_text(content, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "trainer", "fit", "--data", str(path), "--model", str(tmp_path / "m")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1, result.stderr
    assert result.stderr.strip() == (
        f'Error: Line 1 of {path} is null in JSON, not an object. Write each row as {{"text": ..., "label": ...}}.'
    )


@pytest.mark.parametrize("encoding", ["undefined", "punycode", "utf-16"])
def test_codecs_that_fail_without_naming_a_byte_are_one_line(tmp_path, encoding):
    # UnicodeError itself (not UnicodeDecodeError, e.g. "UTF-16 stream does not start with BOM") was a traceback.
    path = write_jsonl(tmp_path / "x.jsonl", tiny_rows())
    # Python 3.11 raises a bare UnicodeError (no byte to name); 3.13 a UnicodeDecodeError for some codecs.
    with pytest.raises(DataError, match=f"cannot be read as {encoding} text|is not valid {encoding} text"):
        read_data([path], encoding=encoding)


def test_inputs_read_each_document_in_context_and_never_across_documents(tmp_path):
    rows = [
        {"text": '"We lost.', "label": "reported_fact", "doc_id": "a"},
        {"text": "It hurts.", "label": "reported_fact", "doc_id": "a"},
        {"text": "Prices rose.", "label": "estimate", "doc_id": "b"},
    ]
    data = read_data([write_jsonl(tmp_path / "d.jsonl", rows)])
    assert data.inputs() == ['"We lost.', '"It hurts.', "Prices rose."]
    assert data.texts[1] == "It hurts."
