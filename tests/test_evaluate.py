import pytest

from trainer.errors import DataError
from trainer.evaluate import compute_metrics, evaluate, format_metrics


def test_compute_metrics_known_values():
    gold = ["opinion", "opinion", "estimate", "reported_fact"]
    pred = ["opinion", "estimate", "estimate", "reported_fact"]
    m = compute_metrics(gold, pred)
    assert m["accuracy"] == 0.75
    assert m["per_label"]["opinion"] == {"precision": 1.0, "recall": 0.5, "f1": pytest.approx(2 / 3), "support": 2}
    assert m["confusion_matrix"] == [[1, 0, 0], [1, 1, 0], [0, 0, 1]]
    assert m["macro"]["f1"] == pytest.approx((2 / 3 + 2 / 3 + 1) / 3)


def test_format_metrics_lists_labels_macro_and_matrix():
    text = format_metrics(compute_metrics(["opinion", "estimate"], ["opinion", "opinion"]))
    for word in ("estimate", "opinion", "reported_fact", "macro avg", "Confusion matrix"):
        assert word in text


def test_evaluate_uses_the_test_split_by_default(model_dir, tiny_jsonl):
    m = evaluate(data=[tiny_jsonl], model=model_dir)
    assert m["split"] == "test" and m["support"] == 6
    assert evaluate(data=[tiny_jsonl], model=model_dir, split="all")["support"] == 27


def test_evaluate_split_needs_a_split_column(model_dir, tmp_path):
    from tests.conftest import tiny_rows, write_jsonl

    path = write_jsonl(tmp_path / "nosplit.jsonl", tiny_rows(with_split=False))
    assert evaluate(data=[path], model=model_dir)["split"] == "all"
    with pytest.raises(DataError, match=r"Expected a 'split' column .* Pass --split all"):
        evaluate(data=[path], model=model_dir, split="test")


def test_evaluating_on_the_training_data_says_so_by_sentence(model_dir, tiny_jsonl, tmp_path, runner):
    from tests.conftest import tiny_rows, write_jsonl
    from trainer.cli import main

    assert evaluate(data=[tiny_jsonl], model=model_dir)["seen_in_training_share"] == 1.0
    # A subset of the training data is seen too (it used to pass as held-out: a regression test).
    subset = write_jsonl(tmp_path / "subset.jsonl", tiny_rows()[:-3])
    assert evaluate(data=[subset], model=model_dir, split="all")["seen_in_training_share"] == 1.0
    fresh = [dict(r, text=f"An unseen sentence number {i}, about rates.") for i, r in enumerate(tiny_rows())]
    mixed = write_jsonl(tmp_path / "mixed.jsonl", tiny_rows() + fresh)
    metrics = evaluate(data=[mixed], model=model_dir, split="all")
    assert metrics["seen_in_training"] is True and metrics["seen_in_training_share"] == 0.5
    unseen = write_jsonl(tmp_path / "unseen.jsonl", fresh)
    assert evaluate(data=[unseen], model=model_dir, split="all")["seen_in_training"] is False
    result = runner.invoke(main, ["evaluate", "--data", str(mixed), "--model", str(model_dir), "--split", "all"])
    assert result.exit_code == 0
    assert result.output.startswith("Warning: 50% of these sentences were in the model's training data")


def test_evaluate_without_data_shows_the_held_out_scores_recorded_at_fit(model_dir, runner):
    from trainer.cli import main
    from trainer.store import read_metadata

    metrics = evaluate(model=model_dir)
    assert metrics["recorded_at_fit"] is True and metrics["seen_in_training"] is False
    assert metrics["macro"]["f1"] == pytest.approx(read_metadata(model_dir)["heldout_metrics"]["macro"]["f1"])
    result = runner.invoke(main, ["evaluate", "--model", str(model_dir)])
    assert (
        result.exit_code == 0 and "labelled at fit time by the model fitted on the training documents" in result.output
    )
    assert "Warning" not in result.output
