import builtins
import json
import re
import subprocess
import sys
from dataclasses import replace

import pytest

from tests.conftest import tiny_rows, write_jsonl
from trainer.cli import main
from trainer.config import PredictConfig
from trainer.errors import ReportError
from trainer.evaluate import compute_metrics, evaluate, format_metrics, score_data
from trainer.report import REPORT_FILES, write_report

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
MISSING = "--report needs matplotlib: pip install 'trainer[plot]'"
# Each label swapped for another: a model fitted on the true labels gets these wrong.
SWAP = {"reported_fact": "estimate", "estimate": "opinion", "opinion": "reported_fact"}


@pytest.fixture
def confused_jsonl(tmp_path):
    """The tiny corpus with every label swapped, so the tiny model makes confident mistakes."""
    return write_jsonl(tmp_path / "confused.jsonl", [{**r, "label": SWAP[r["label"]]} for r in tiny_rows()])


@pytest.fixture
def scored(model_dir, confused_jsonl):
    return score_data(data=[confused_jsonl], model=model_dir, split="all")


@pytest.fixture
def no_matplotlib(monkeypatch):
    real_import = builtins.__import__

    def fake_import(name, *args, **kwargs):
        if name == "matplotlib" or name.startswith("matplotlib."):
            raise ImportError(f"No module named {name!r}")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", fake_import)


def _mistake_rows(markdown):
    """(probability, gold, predicted, [(feature, weight)]) of each row of the mistakes table."""
    rows = []
    for line in markdown.splitlines():
        if re.match(r"^\| \d+ \| ", line):
            cells = line.removeprefix("| ").removesuffix(" |").rsplit(" | ", 4)
            gold, predicted, probability, why = cells[1:]
            features = [(f, float(w)) for f, w in re.findall(r"`([^`]+)` \((-?[\d.]+)\)", why)]
            rows.append((float(probability), gold, predicted, features))
    return rows


def _wrong_mask(scored):
    return [g != p for g, p in zip(scored.gold, scored.predicted, strict=True)]


def test_score_data_matches_evaluate_and_predict(model_dir, tiny_jsonl):
    result = score_data(data=[tiny_jsonl], model=model_dir, split="all")
    assert result.predicted == list(result.model.predict(result.texts))
    assert result.probabilities.shape == (27, 3) and result.classes == list(result.model.classes_)
    assert result.metrics() == evaluate(data=[tiny_jsonl], model=model_dir, split="all")


def test_write_report_writes_the_four_files(scored, tmp_path):
    written = write_report(scored, tmp_path / "new" / "report")
    assert [p.name for p in written] == list(REPORT_FILES)
    assert all(p.parent == tmp_path / "new" / "report" and p.stat().st_size > 0 for p in written)


@pytest.mark.parametrize("name", ["confusion_matrix.png", "confidence.png"])
def test_pictures_are_png(scored, tmp_path, name):
    write_report(scored, tmp_path)
    data = (tmp_path / name).read_bytes()
    assert data.startswith(PNG_MAGIC) and len(data) > 1000
    assert data[12:16] == b"IHDR" and int.from_bytes(data[16:20], "big") > 0 and int.from_bytes(data[20:24], "big") > 0


@pytest.mark.parametrize("confused", [False, True])
def test_metrics_json_matches_compute_metrics(model_dir, tiny_jsonl, confused_jsonl, tmp_path, confused):
    data = confused_jsonl if confused else tiny_jsonl
    write_report(score_data(data=[data], model=model_dir), tmp_path)
    metrics = json.loads((tmp_path / "metrics.json").read_text(encoding="utf-8"))
    rows = [r for r in json.loads("[" + ",".join(data.read_text().splitlines()) + "]") if r["split"] == "test"]
    texts, gold = [r["text"] for r in rows], [r["label"] for r in rows]
    from trainer.store import load_model

    expected = compute_metrics(gold, list(load_model(model_dir).predict(texts)))
    assert {k: metrics[k] for k in expected} == expected
    assert metrics == evaluate(data=[data], model=model_dir)
    assert metrics["data"] == [str(data)] and metrics["split"] == "test" and metrics["model"] == str(model_dir)


def test_report_md_embeds_pictures_metrics_and_calibration(scored, tmp_path):
    write_report(scored, tmp_path)
    markdown = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert "](confusion_matrix.png)" in markdown and "](confidence.png)" in markdown
    assert format_metrics(scored.metrics()) in markdown
    assert "| top probability | sentences | accuracy |" in markdown
    bins = re.findall(r"^\| \d\.\d\d–\d\.\d\d \| (\d+) \|", markdown, flags=re.M)
    assert sum(int(n) for n in bins) == len(scored.texts)


def test_mistakes_are_the_most_confident_and_explained_toward_the_predicted_label(scored, tmp_path):
    write_report(scored, tmp_path)
    rows = _mistake_rows((tmp_path / "report.md").read_text(encoding="utf-8"))
    wrong = _wrong_mask(scored)
    assert len(rows) == min(PredictConfig().report_mistakes, sum(wrong)) > 0
    probabilities = [r[0] for r in rows]
    assert probabilities == sorted(probabilities, reverse=True)
    assert probabilities[0] == pytest.approx(scored.probabilities.max(axis=1)[wrong].max(), abs=1e-3)
    names = {name: i for i, name in enumerate(scored.model.feature_names())}
    for _, gold, predicted, features in rows:
        assert gold != predicted
        assert 0 < len(features) <= PredictConfig().report_explain
        for feature, weight in features:
            assert scored.model.coef_[list(scored.model.classes_).index(predicted), names[feature]] > 0, feature
            assert weight >= 0


@pytest.mark.parametrize(("mistakes", "explain"), [(0, 5), (1, 0), (3, 2), (1000, 1)])
def test_number_of_mistakes_and_ngrams_listed(scored, tmp_path, mistakes, explain):
    write_report(scored, tmp_path, mistakes=mistakes, explain=explain)
    markdown = (tmp_path / "report.md").read_text(encoding="utf-8")
    rows = _mistake_rows(markdown)
    n_wrong = sum(_wrong_mask(scored))
    assert len(rows) == min(mistakes, n_wrong)
    assert all(len(features) <= explain for *_, features in rows)
    if mistakes == 0:
        assert f"{n_wrong} wrong predictions; none listed." in markdown


def test_no_mistakes(scored, tmp_path):
    perfect = replace(scored, gold=scored.predicted)
    write_report(perfect, tmp_path)
    markdown = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert "There are no mistakes." in markdown and not _mistake_rows(markdown)
    assert json.loads((tmp_path / "metrics.json").read_text())["accuracy"] == 1.0


def test_sentences_with_pipes_and_newlines_stay_in_their_cell(model_dir, tmp_path):
    rows = [{**r, "text": r["text"].replace(" ", " | ", 1) + "\nmore", "label": SWAP[r["label"]]} for r in tiny_rows()]
    data = write_jsonl(tmp_path / "pipes.jsonl", rows)
    write_report(score_data(data=[data], model=model_dir, split="all"), tmp_path / "out")
    markdown = (tmp_path / "out" / "report.md").read_text(encoding="utf-8")
    table = [line for line in markdown.splitlines() if re.match(r"^\| \d+ \| ", line)]
    assert table and all(" \\| " in line and len(re.findall(r"(?<!\\)\|", line)) == 7 for line in table)


def test_missing_matplotlib_is_a_clear_error_and_writes_nothing(scored, tmp_path, no_matplotlib):
    with pytest.raises(ReportError) as excinfo:
        write_report(scored, tmp_path / "report")
    assert str(excinfo.value) == MISSING
    assert not (tmp_path / "report").exists()


def test_unwritable_directory_is_a_report_error(scored, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(ReportError, match=r"Cannot write a report to .*file/report: Not a directory"):
        write_report(scored, blocker / "report")


def test_cli_evaluate_report(runner, model_dir, confused_jsonl, tmp_path):
    target = tmp_path / "report"
    args = ["evaluate", "--data", str(confused_jsonl), "--model", str(model_dir), "--report", str(target)]
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "Macro-F1" in result.output
    assert f"Report written to {target}: {', '.join(REPORT_FILES)}" in result.output
    assert sorted(p.name for p in target.iterdir()) == sorted(REPORT_FILES)


def test_cli_evaluate_report_with_json_keeps_stdout_json(runner, model_dir, tiny_jsonl, tmp_path):
    args = ["evaluate", "--data", str(tiny_jsonl), "--model", str(model_dir), "--json", "--report", str(tmp_path)]
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == json.loads((tmp_path / "metrics.json").read_text())
    assert "Report written to" in result.stderr


def test_cli_evaluate_report_without_matplotlib(runner, model_dir, tiny_jsonl, tmp_path, no_matplotlib):
    args = ["evaluate", "--model", str(model_dir), "--report", str(tmp_path / "r")]
    result = runner.invoke(main, args)
    assert result.exit_code == 1
    assert result.output == f"Error: {MISSING}\n"
    assert not (tmp_path / "r").exists()


def test_cli_evaluate_report_on_a_file_is_a_usage_error(runner, model_dir, tiny_jsonl, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    args = ["evaluate", "--data", str(tiny_jsonl), "--model", str(model_dir), "--report", str(blocker)]
    result = runner.invoke(main, args)
    assert result.exit_code == 2 and "is a file" in result.output


@pytest.mark.parametrize("command", [[], ["evaluate"], ["inspect"]])
def test_help_imports_neither_sklearn_nor_matplotlib(command):
    code = (
        "import sys; from trainer.cli import main\n"
        f"try:\n    main([*{command!r}, '--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('sklearn', 'matplotlib', 'numpy', 'scipy') if m in sys.modules]\n"
        "assert not heavy, heavy"
    )
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)


def test_a_report_on_seen_data_says_so_at_the_top(model_dir, tiny_jsonl, tmp_path):
    scored = score_data(data=[tiny_jsonl], model=model_dir, split="all")
    write_report(scored, tmp_path / "r", mistakes=3, explain=2, bins=5)
    lines = (tmp_path / "r" / "report.md").read_text(encoding="utf-8").splitlines()
    assert lines[2].startswith("> **Warning:** 100% of these sentences were in the model's training data")
    assert json.loads((tmp_path / "r" / "metrics.json").read_text())["seen_in_training_share"] == 1.0
