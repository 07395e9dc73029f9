import json
import shutil

import numpy as np
import pytest

from tests.conftest import tiny_rows
from tests.test_features import TEXTS
from trainer.errors import ModelError
from trainer.inference import LinearTextModel
from trainer.model import build_pipeline
from trainer.store import load_model, load_predictor


def test_numpy_model_predicts_like_the_pipeline(model_dir):
    pipeline = load_model(model_dir)
    fast = load_predictor(model_dir)
    assert isinstance(fast, LinearTextModel)
    texts = TEXTS + [r["text"] for r in tiny_rows()] + ["Prices\x00 rose 3%.", "x" * 10_000]
    expected = pipeline.predict_proba(texts)
    got = fast.predict_proba(fast.transform(texts))
    assert list(fast.classes_) == list(pipeline.classes_)
    assert np.abs(got - expected).max() < 1e-6
    assert list(fast.predict(texts)) == list(pipeline.predict(texts))
    assert list(fast.get_feature_names_out()) == list(pipeline[0].get_feature_names_out())


def test_unsupported_pipelines_have_no_numpy_copy():
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline

    rows = tiny_rows()
    texts, labels = [r["text"] for r in rows], [r["label"] for r in rows]
    plain = Pipeline([("tfidf", TfidfVectorizer()), ("clf", LogisticRegression())]).fit(texts, labels)
    assert LinearTextModel.from_pipeline(plain) is None
    assert LinearTextModel.from_pipeline(build_pipeline().fit(texts, labels)) is not None


def test_changed_numpy_copy_is_refused(model_dir, tmp_path):
    target = tmp_path / "m"
    shutil.copytree(model_dir, target)
    with (target / "inference.npz").open("ab") as f:
        f.write(b"\0")
    with pytest.raises(ModelError, match=r"checksum of .*inference.npz does not match"):
        load_predictor(target)


def test_directory_without_numpy_copy_falls_back_to_the_pipeline(model_dir, tmp_path):
    target = tmp_path / "m"
    shutil.copytree(model_dir, target)
    meta = json.loads((target / "metadata.json").read_text())
    del meta["inference_file"], meta["inference_sha256"]
    (target / "metadata.json").write_text(json.dumps(meta))
    (target / "inference.npz").unlink()
    assert not isinstance(load_predictor(target), LinearTextModel)
