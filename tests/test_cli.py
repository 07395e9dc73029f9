import json
import shutil
import subprocess
import sys

import pytest

from tests.conftest import tiny_rows, write_jsonl
from trainer.cli import main

FAST_FIT = ["--no-search"]


@pytest.fixture
def fitted(model_dir, tmp_path):
    """A private copy of the session's tiny model, free to damage."""
    return shutil.copytree(model_dir, tmp_path / "model")


def test_help_does_not_import_heavy_libraries():
    code = (
        "import sys; from trainer.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('sklearn', 'datasets', 'pandas', 'scipy') if m in sys.modules]\n"
        "assert not heavy, heavy"
    )
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)


def test_python_dash_m_runs_the_cli():
    out = subprocess.run([sys.executable, "-m", "trainer", "--help"], check=True, capture_output=True, text=True)
    assert "fit" in out.stdout and "predict" in out.stdout and "evaluate" in out.stdout


def test_fit_reports_heldout_scores_and_saves(runner, tmp_path, tiny_jsonl):
    target = tmp_path / "model"
    result = runner.invoke(main, ["fit", "--data", str(tiny_jsonl), "--model", str(target), *FAST_FIT])
    assert result.exit_code == 0, result.output
    for text in ("Held-out scores", "macro avg", "Confusion matrix", "Macro-F1", str(target)):
        assert text in result.output
    assert (target / "metadata.json").exists()


def test_fit_with_search_and_skops(runner, tmp_path, tiny_jsonl):
    target = tmp_path / "model"
    result = runner.invoke(main, ["fit", "--data", str(tiny_jsonl), "--model", str(target), "--save-format", "skops"])
    assert result.exit_code == 0, result.output
    assert "Cross-validated macro-F1" in result.output  # tiny.jsonl has no genre column: grouped by document
    assert (target / "model.skops").exists()


def test_fit_options_for_columns_and_label_map(runner, tmp_path):
    rows = [
        {"sentence": r["text"], "tag": {"opinion": "meinung"}.get(r["label"], r["label"]), "article": r["doc_id"]}
        for r in tiny_rows(with_split=False)
    ]
    data = write_jsonl(tmp_path / "custom.jsonl", rows)
    args = ["fit", "--data", str(data), "--model", str(tmp_path / "m"), *FAST_FIT, "--text-column", "sentence"]
    args += ["--label-column", "tag", "--doc-column", "article", "--label-map", "meinung=opinion", "--seed", "3"]
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, r"Expected a data file at .* does not exist"),
        ("", r"is empty"),
        ("text,label\n", r"has a header but no rows"),
        ("text,label\nA.,fakt\nB.,opinion\n", r"found 'fakt' on line 2 .*--label-map fakt="),
        ("text,label\nA.,opinion\nB.,opinion\n", r"at least two different labels"),
        ("txt,label\nA.,opinion\n", r"found columns \['label', 'txt'\]"),
        ("text,label,doc_id\nA.,opinion,1\nB.,estimate,1\n", r"at least 2 documents"),
    ],
)
def test_fit_bad_data_is_one_line_exit_1(runner, tmp_path, content, message):
    import re

    path = tmp_path / "data.csv"
    if content is not None:
        path.write_text(content)
    result = runner.invoke(main, ["fit", "--data", str(path), "--model", str(tmp_path / "m")])
    assert result.exit_code == 1
    assert re.search(message, result.output), result.output
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1
    assert not (tmp_path / "m").exists()


def test_fit_non_utf8_suggests_encoding(runner, tmp_path):
    path = tmp_path / "data.csv"
    path.write_bytes("text,label\nCafé.,opinion\n".encode("latin-1"))
    result = runner.invoke(main, ["fit", "--data", str(path), "--model", str(tmp_path / "m")])
    assert result.exit_code == 1 and "line 2, column 4" in result.output and "--encoding" in result.output


def test_bad_label_map_is_a_usage_error(runner, tmp_path, tiny_jsonl):
    result = runner.invoke(main, ["fit", "--data", str(tiny_jsonl), "--label-map", "x"])
    assert result.exit_code == 2 and "FROM=TO" in result.output


def test_usage_errors_exit_2(runner, fitted):
    assert runner.invoke(main, ["fit", "--seed", "abc"]).exit_code == 2
    assert runner.invoke(main, ["predict", "--format", "xml", "x"]).exit_code == 2
    result = runner.invoke(main, ["predict", "a", "--file", "f.txt", "--model", str(fitted)])
    assert result.exit_code == 2 and "not both" in result.output


@pytest.mark.parametrize("output_format", ["table", "jsonl", "csv"])
def test_predict_texts(runner, fitted, output_format):
    result = runner.invoke(
        main, ["predict", "--model", str(fitted), "--format", output_format, "Prices rose 3%. It is awful.", "Hi."]
    )
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 3 + (output_format != "jsonl")
    if output_format == "jsonl":
        records = [json.loads(line) for line in lines]
        assert [(r["doc"], r["sentence"]) for r in records] == [(1, 1), (1, 2), (2, 1)]


def test_predict_file_stdin_and_no_split(runner, fitted, tmp_path):
    path = tmp_path / "in.txt"
    path.write_text("One. Two.\n\nThree.\n")
    from_file = runner.invoke(main, ["predict", "--model", str(fitted), "--format", "jsonl", "--file", str(path)])
    from_stdin = runner.invoke(main, ["predict", "--model", str(fitted), "--format", "jsonl"], input=path.read_text())
    assert from_file.exit_code == from_stdin.exit_code == 0
    assert from_file.output == from_stdin.output
    assert [json.loads(x)["doc"] for x in from_file.output.splitlines()] == [1, 1, 3]
    whole = runner.invoke(
        main, ["predict", "--model", str(fitted), "--format", "jsonl", "--no-split", "--file", str(path)]
    )
    assert [json.loads(x)["text"] for x in whole.output.splitlines()] == ["One. Two.", "Three."]


def test_predict_empty_input_prints_nothing(runner, fitted):
    result = runner.invoke(main, ["predict", "--model", str(fitted), "--format", "csv"], input="")
    assert result.exit_code == 0 and result.output == ""


def test_predict_non_utf8_input(runner, fitted):
    result = runner.invoke(main, ["predict", "--model", str(fitted)], input=b"ok\n\xff\xfe bad\n")
    assert result.exit_code == 1 and "Line 2 of <stdin> is not valid utf-8" in result.output


def test_predict_missing_file(runner, fitted, tmp_path):
    result = runner.invoke(main, ["predict", "--model", str(fitted), "--file", str(tmp_path / "nope.txt")])
    assert result.exit_code == 1 and "Cannot read" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("damage", ["missing", "no-metadata", "newer", "checksum"])
def test_predict_with_a_bad_model_is_one_line_exit_1(runner, fitted, tmp_path, damage):
    target = tmp_path / "bad"
    if damage != "missing":
        shutil.copytree(fitted, target)
    if damage == "no-metadata":
        (target / "metadata.json").unlink()
    elif damage == "newer":
        meta = json.loads((target / "metadata.json").read_text())
        (target / "metadata.json").write_text(json.dumps({**meta, "format_version": 99}))
    elif damage == "checksum":
        with (target / "model.joblib").open("ab") as f:
            f.write(b"x")
    result = runner.invoke(main, ["predict", "--model", str(target), "Hello."])
    assert result.exit_code == 1
    assert result.output.startswith("Error: ") and len(result.output.strip().splitlines()) == 1


def test_predict_warns_on_version_drift_and_strict_refuses(runner, fitted):
    meta = json.loads((fitted / "metadata.json").read_text())
    meta["versions"]["scikit-learn"] = "0.0.1"
    (fitted / "metadata.json").write_text(json.dumps(meta))
    loose = runner.invoke(main, ["predict", "--model", str(fitted), "Hello."])
    assert loose.exit_code == 0 and "Warning: " in loose.output and "0.0.1" in loose.output
    strict = runner.invoke(main, ["predict", "--model", str(fitted), "--strict", "Hello."])
    assert strict.exit_code == 1 and "0.0.1" in strict.output


def test_evaluate_prints_metrics_and_json(runner, fitted, tiny_jsonl):
    result = runner.invoke(main, ["evaluate", "--data", str(tiny_jsonl), "--model", str(fitted)])
    assert result.exit_code == 0, result.output
    assert "6 sentences" in result.output and "Confusion matrix" in result.output and "Macro-F1" in result.output
    as_json = runner.invoke(
        main, ["evaluate", "--data", str(tiny_jsonl), "--model", str(fitted), "--json", "--split", "all"]
    )
    assert json.loads(as_json.stdout)["support"] == 27


def test_evaluate_bad_data_and_missing_model(runner, fitted, tmp_path, tiny_jsonl):
    missing = runner.invoke(main, ["evaluate", "--data", str(tmp_path / "x.csv"), "--model", str(fitted)])
    assert missing.exit_code == 1 and "does not exist" in missing.output
    no_model = runner.invoke(main, ["evaluate", "--data", str(tiny_jsonl), "--model", str(tmp_path / "none")])
    assert no_model.exit_code == 1 and "No model directory" in no_model.output
