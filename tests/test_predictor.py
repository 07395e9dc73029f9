"""The one predictor gives what the saved pipeline gives."""

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import FAST, tiny_rows
from trainer.errors import ModelError
from trainer.model import build_pipeline
from trainer.predictor import Predictor
from trainer.store import load_model, load_predictor

CORPUS = Path(__file__).parent.parent / "data" / "sentences.jsonl"
ODD = ["Prices\x00 rose 3%.", "x" * 10_000, "", "Émigrés said “non”.", '"It is a disgrace," he said.']


def test_predictor_equals_the_pipeline(model_dir):
    pipeline, predictor = load_model(model_dir), load_predictor(model_dir)
    texts = [r["text"] for r in tiny_rows()] + ODD
    assert list(predictor.classes_) == list(pipeline.classes_)
    assert np.abs(predictor.predict_proba(texts) - pipeline.predict_proba(texts)).max() < 1e-9
    assert list(predictor.predict(texts)) == list(pipeline.predict(texts))
    assert list(predictor.feature_names()) == list(pipeline[0].get_feature_names_out())


def test_predictor_equals_the_pipeline_on_a_real_sized_corpus():
    rows = [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines()]
    texts, labels = [r["text"] for r in rows], [r["label"] for r in rows]
    pipeline = build_pipeline(config=FAST).fit(texts[::2], labels[::2])
    predictor = Predictor.from_pipeline(pipeline)
    held_out = texts[1::2] + ODD
    assert np.abs(predictor.predict_proba(held_out) - pipeline.predict_proba(held_out)).max() < 1e-9
    assert list(predictor.predict(held_out)) == list(pipeline.predict(held_out))


def _scipy_scores(features, coef):
    return np.asarray(features.tocsr() @ coef.T)


def test_scores_equal_scipys_to_the_bit_on_the_corpus(model_dir):
    from trainer.predictor import _linear_scores

    rows = [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines()]
    texts = [r["text"] for r in rows]
    pipeline = build_pipeline(config=FAST).fit(texts[::2], [r["label"] for r in rows][::2])
    predictor = Predictor.from_pipeline(pipeline)
    features = predictor.features(texts[1::2] + ODD)
    ours = _linear_scores(features, predictor.coef_)
    assert ours.dtype == np.float32 and ours.flags.c_contiguous
    assert (ours.view(np.uint32) == _scipy_scores(features, predictor.coef_).view(np.uint32)).all()


@pytest.mark.parametrize("seed", range(5))
def test_scores_equal_scipys_to_the_bit_on_random_rows(seed):
    from trainer.features.ngrams import SparseRows
    from trainer.predictor import _linear_scores

    rng = np.random.default_rng(seed)
    n_rows, n_columns = 300, 10_000
    lengths = rng.integers(0, 120, size=n_rows)
    lengths[:3] = [0, 1, 5000]  # an empty row, one entry, a row longer than any sentence
    columns = [np.sort(rng.choice(n_columns, size=k, replace=False)) for k in lengths]
    indices = np.concatenate(columns)
    indptr = np.concatenate([[0], np.cumsum(lengths)])
    data = rng.random(len(indices)).astype(np.float32) * rng.choice([1e-3, 1, 1e3], size=len(indices))
    features = SparseRows(data.astype(np.float32), indices, indptr, (n_rows, n_columns))
    coef = (rng.standard_normal((3, n_columns)) * 10).astype(np.float32)
    ours = _linear_scores(features, coef)
    assert (ours.view(np.uint32) == _scipy_scores(features, coef).view(np.uint32)).all()


def test_predicting_does_not_import_scipy(model_dir):
    import subprocess
    import sys

    code = (
        "import sys; from trainer.cli import main\n"
        f"args = ['predict', 'Prices rose. It is a disgrace.', '--explain', '2', '--model', {str(model_dir)!r}]\n"
        "try:\n    main(args)\n"
        "except SystemExit as exc:\n    assert not exc.code, exc.code\n"
        "heavy = [m for m in ('sklearn', 'scipy') if m in sys.modules]\n"
        "assert not heavy, heavy"
    )
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)


def test_two_label_models_are_predicted_too(tmp_path):
    rows = [r for r in tiny_rows() if r["label"] != "estimate"]
    pipeline = build_pipeline(config=FAST).fit([r["text"] for r in rows], [r["label"] for r in rows])
    predictor = Predictor.from_pipeline(pipeline)
    texts = ["Frankly, a disgrace.", "The court fined him."]
    assert np.abs(predictor.predict_proba(texts) - pipeline.predict_proba(texts)).max() < 1e-9
    path = tmp_path / "p.npz"
    predictor.save(path)
    assert list(Predictor.load(path).predict(texts)) == list(pipeline.predict(texts))


def test_other_pipelines_are_refused():
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline

    rows = tiny_rows()
    plain = Pipeline([("tfidf", TfidfVectorizer()), ("clf", LogisticRegression())])
    plain.fit([r["text"] for r in rows], [r["label"] for r in rows])
    with pytest.raises(ValueError, match="TextFeatures"):
        Predictor.from_pipeline(plain)


def test_changed_inference_file_is_refused(model_dir, tmp_path):
    target = tmp_path / "m"
    shutil.copytree(model_dir, target)
    with (target / "inference.npz").open("ab") as f:
        f.write(b"\0")
    with pytest.raises(ModelError, match=r"checksum of .*inference.npz does not match"):
        load_predictor(target)


def test_directory_without_inference_file_is_refused_not_unpickled(model_dir, tmp_path):
    target = tmp_path / "m"
    shutil.copytree(model_dir, target)
    meta = json.loads((target / "metadata.json").read_text())
    del meta["inference_file"], meta["inference_sha256"]
    (target / "metadata.json").write_text(json.dumps(meta))
    (target / "inference.npz").unlink()
    with pytest.raises(ModelError, match=r"has no inference\.npz"):
        load_predictor(target)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda a: a.update(idf=a["idf"][:-1]), "n-gram table has shape"),
        (lambda a: a.update(ngrams=a["ngrams"] + 10**6), "names tokens it does not have"),
        (lambda a: a.update(coef=a["coef"][:, :-1]), "do not fit"),
        (lambda a: a.update(idf=a["idf"].astype(np.int64)), "has type"),
        (lambda a: a.update(settings=np.array([1, 9, 1, 1, 1])), "settings"),
        (lambda a: a.pop("coef"), "lacks the arrays"),
        (lambda a: a.update(featurizer_version=np.array(1)), "featurizer version 1"),
        # Found by tests/test_fuzz.py: each gave a TypeError, a NaN probability, a label that is not one, or an
        # IndexError while predicting.
        (lambda a: a.update(featurizer_version=np.array([1, 2])), "featurizer version is an array of shape"),
        (lambda a: a.update(intercept=a["intercept"] * np.nan), "not finite"),
        (lambda a: a.update(classes=a["classes"].astype("U3")), r"\['est', 'opi', 'rep'\] are not among"),
        (lambda a: a.update(classes=a["classes"][:1]), "not two or more different labels"),
        (
            lambda a: a.update(tokens=np.concatenate([a["tokens"], np.frombuffer(b"\n", np.uint8), a["tokens"]])),
            "repeats",
        ),
    ],
)
def test_inconsistent_inference_arrays_are_refused(model_dir, tmp_path, change, message):
    arrays = dict(np.load(model_dir / "inference.npz"))
    change(arrays)
    path = tmp_path / "bad.npz"
    np.savez(path, **arrays)
    with pytest.raises(ValueError, match=message):
        Predictor.load(path)
