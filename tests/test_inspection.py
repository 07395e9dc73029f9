import re

import numpy as np
import pytest

from tests.conftest import tiny_rows
from trainer.cli import main
from trainer.config import LABELS, PredictConfig
from trainer.errors import ModelError
from trainer.inspection import format_inspection, top_features
from trainer.model import build_pipeline
from trainer.store import load_model, read_metadata


@pytest.fixture(scope="module")
def model(model_dir):
    return load_model(model_dir)


def _coefficient(model, label, feature):
    vocabulary = {name: i for i, name in enumerate(model[0].get_feature_names_out())}
    return model.named_steps["clf"].coef_[list(model.classes_).index(label), vocabulary[feature]]


@pytest.mark.parametrize("top", [1, 5, 10_000])
def test_top_features_are_the_largest_positive_coefficients_of_each_label(model, top):
    features = top_features(model, top=top)
    assert list(features) == list(LABELS)
    for label, pairs in features.items():
        coef = model.named_steps["clf"].coef_[list(model.classes_).index(label)]
        assert 0 < len(pairs) <= top
        weights = [w for _, w in pairs]
        assert weights == sorted(weights, reverse=True) and all(w > 0 for w in weights)
        assert [pytest.approx(_coefficient(model, label, f)) for f, _ in pairs] == weights
        assert len(pairs) == min(top, int((coef > 0).sum()))
        assert weights[0] == pytest.approx(coef.max())


def test_top_features_of_a_two_label_model_mirror_the_coefficients():
    rows = [r for r in tiny_rows() if r["label"] != "reported_fact"]
    pipe = build_pipeline().fit([r["text"] for r in rows], [r["label"] for r in rows])
    features = top_features(pipe, top=3)
    coef = pipe.named_steps["clf"].coef_[0]
    vocabulary = {name: i for i, name in enumerate(pipe[0].get_feature_names_out())}
    assert list(features) == ["estimate", "opinion"]
    assert all(coef[vocabulary[f]] == pytest.approx(-w) for f, w in features["estimate"])
    assert all(coef[vocabulary[f]] == pytest.approx(w) for f, w in features["opinion"])
    assert features["opinion"][0][1] == pytest.approx(coef.max())


@pytest.mark.parametrize("top", [0, -1])
def test_top_features_needs_a_positive_top(model, top):
    with pytest.raises(ValueError, match="top >= 1"):
        top_features(model, top=top)


@pytest.mark.parametrize("make", [lambda m: m.named_steps["clf"], lambda m: build_pipeline()])
def test_top_features_refuses_what_is_not_a_fitted_linear_pipeline(model, make):
    with pytest.raises(ModelError, match="Expected a fitted pipeline"):
        top_features(make(model), top=3)


def test_format_inspection_shows_metadata_and_features(model_dir, model):
    meta = read_metadata(model_dir)
    text = format_inspection(meta, top_features(model, top=4))
    data = meta["data"]
    expected = [
        str(data["sources"]),
        f"{data['sentences']} sentences in {data['documents']} documents",
        *(f"{label} {n}" for label, n in data["label_counts"].items()),
        f"C={meta['hyperparameters']['C']}",
        f"{meta['search']['cv_folds']}-fold cross-validation grouped by doc_id",
        f"Seed: {meta['seed']}",
        "macro avg",
        "Confusion matrix",
        f"scikit-learn {meta['versions']['scikit-learn']}",
        meta["created"],
        meta["model_sha256"][:16],
    ]
    for piece in expected:
        assert piece in text, piece
    for label in LABELS:
        assert re.search(rf"^{label}$", text, flags=re.M), label
    assert not text.endswith("\n")


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ({"enabled": False}, "the defaults (no search)"),
        ({"enabled": True, "cv_folds": 5, "cv_macro_f1": None}, "too few documents"),
    ],
)
def test_format_inspection_says_how_hyperparameters_were_chosen(model_dir, search, expected):
    meta = {**read_metadata(model_dir), "search": search}
    assert expected in format_inspection(meta, {})


def test_format_inspection_tolerates_missing_metadata():
    text = format_inspection({}, {"opinion": []})
    assert "?" in text and "opinion" in text and "no n-gram with a positive coefficient" in text


def test_cli_inspect_lists_every_label_and_its_top_ngrams(runner, model_dir, model):
    result = runner.invoke(main, ["inspect", "--model", str(model_dir), "--top", "2"])
    assert result.exit_code == 0, result.output
    for label, pairs in top_features(model, top=2).items():
        assert re.search(rf"^{label}$", result.output, flags=re.M)
        for rank, (feature, weight) in enumerate(pairs, 1):
            assert re.search(rf"^ +{rank}\. {re.escape(feature)} +{weight:.3f}$", result.output, flags=re.M)
    assert "Held-out scores" in result.output and "Hyperparameters" in result.output


def test_cli_inspect_default_top_comes_from_config(runner, model_dir):
    result = runner.invoke(main, ["inspect", "--model", str(model_dir)])
    assert result.exit_code == 0, result.output
    ranks = [int(n) for n in re.findall(r"^ +(\d+)\. ", result.output, flags=re.M)]
    assert max(ranks) == PredictConfig().inspect_top
    assert f"[default: {PredictConfig().inspect_top}" in runner.invoke(main, ["inspect", "--help"]).output


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--top", "0"], 2, "0 is not in the range"),
        (["--top", "x"], 2, "is not a valid integer"),
        (["--model", "{tmp}/none"], 1, "No model directory"),
    ],
)
def test_cli_inspect_errors(runner, tmp_path, model_dir, args, code, message):
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    result = runner.invoke(main, ["inspect", "--model", str(model_dir), *args])
    assert result.exit_code == code and message in result.output
    assert "Traceback" not in result.output
    if code == 1:
        assert len(result.output.strip().splitlines()) == 1


def test_cli_inspect_damaged_model_is_one_line_exit_1(runner, tmp_path, model_dir):
    import shutil

    target = shutil.copytree(model_dir, tmp_path / "damaged")
    with (target / "model.joblib").open("ab") as f:
        f.write(b"x")
    result = runner.invoke(main, ["inspect", "--model", str(target)])
    assert result.exit_code == 1 and re.search(r"checksum of .* does not match", result.output)
    assert len(result.output.strip().splitlines()) == 1


def test_top_features_weights_are_python_floats(model):
    pairs = top_features(model, top=2)["opinion"]
    assert all(type(f) is str and type(w) is float and np.isfinite(w) for f, w in pairs)
