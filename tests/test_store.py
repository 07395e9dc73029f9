import json
import shutil

import pytest

from trainer.config import FORMAT_VERSION, LABELS
from trainer.errors import ModelError
from trainer.store import ModelVersionWarning, load_model, read_metadata, save_model


@pytest.fixture
def copy(model_dir, tmp_path):
    target = tmp_path / "model"
    shutil.copytree(model_dir, target)
    return target


def test_model_directory_layout(model_dir):
    assert {p.name for p in model_dir.iterdir()} == {"model.joblib", "inference.npz", "metadata.json", "README.md"}
    meta = read_metadata(model_dir)
    assert meta["labels"] == list(LABELS)
    assert meta["format_version"] == FORMAT_VERSION
    assert len(meta["model_sha256"]) == 64 and len(meta["data"]["sha256"]) == 64
    for key in ("python", "scikit-learn", "numpy", "scipy"):
        assert meta["versions"][key]
    assert {"hyperparameters", "seed", "heldout_metrics", "created"} <= set(meta)
    card = (model_dir / "README.md").read_text()
    assert ("Held-out metrics" in card and "Confusion" in card) or "confusion" in card


def test_load_model_returns_a_fitted_pipeline(model_dir):
    from sklearn.pipeline import Pipeline

    model = load_model(model_dir)
    assert isinstance(model, Pipeline)
    assert list(model.classes_) == list(LABELS)
    assert model.predict_proba(["Prices rose."]).shape == (1, 3)


def test_missing_model(tmp_path):
    with pytest.raises(ModelError, match=r"No model directory at .*nothing.*trainer fit --model"):
        load_model(tmp_path / "nothing")


def test_incomplete_model(copy):
    (copy / "metadata.json").unlink()
    with pytest.raises(ModelError, match=r"not a complete model directory: metadata.json is missing"):
        load_model(copy)


def test_missing_model_file(copy):
    (copy / "model.joblib").unlink()
    with pytest.raises(ModelError, match=r"model.joblib is missing"):
        load_model(copy)


@pytest.mark.parametrize("damage", ["truncate", "change"])
def test_changed_or_truncated_model_file_is_refused(copy, damage):
    path = copy / "model.joblib"
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2] if damage == "truncate" else data[:-1] + b"\x00")
    with pytest.raises(ModelError, match=r"checksum of .* does not match"):
        load_model(copy)


def test_newer_format_version_is_refused(copy):
    meta = json.loads((copy / "metadata.json").read_text())
    meta["format_version"] = FORMAT_VERSION + 1
    (copy / "metadata.json").write_text(json.dumps(meta))
    with pytest.raises(ModelError, match=r"format version 3 but this trainer reads version 2"):
        load_model(copy)


def test_broken_metadata_is_refused(copy):
    (copy / "metadata.json").write_text("{not json")
    with pytest.raises(ModelError, match=r"metadata.json cannot be read"):
        load_model(copy)


def test_other_sklearn_version_warns_or_is_refused_when_strict(copy):
    meta = json.loads((copy / "metadata.json").read_text())
    meta["versions"]["scikit-learn"] = "0.0.1"
    (copy / "metadata.json").write_text(json.dumps(meta))
    with pytest.warns(ModelVersionWarning, match=r"saved with scikit-learn 0.0.1 but scikit-learn \d"):
        load_model(copy)
    with pytest.raises(ModelError, match=r"saved with scikit-learn 0.0.1"):
        load_model(copy, strict=True)


def test_skops_format_round_trips(model_dir, tmp_path):
    model = load_model(model_dir)
    target = save_model(model, tmp_path / "safe", metadata=read_metadata(model_dir), save_format="skops")
    assert (target / "model.skops").exists()
    loaded = load_model(target)
    assert (loaded.predict_proba(["Prices rose."]) == model.predict_proba(["Prices rose."])).all()


def test_skops_file_with_an_untrusted_type_is_refused(model_dir, tmp_path):
    import skops.io
    from sklearn.preprocessing import FunctionTransformer

    model = load_model(model_dir)
    target = save_model(model, tmp_path / "evil", metadata=read_metadata(model_dir), save_format="skops")
    evil = model.__class__([("f", FunctionTransformer(json.loads)), *model.steps])
    skops.io.dump(evil, target / "model.skops")
    meta = json.loads((target / "metadata.json").read_text())
    from trainer.store import sha256_file

    meta["model_sha256"] = sha256_file(target / "model.skops")
    (target / "metadata.json").write_text(json.dumps(meta))
    with pytest.raises(ModelError, match=r"holds types that trainer does not trust: .*json.loads"):
        load_model(target)


def test_save_replaces_previous_model_atomically(model_dir, copy):
    model = load_model(model_dir)
    before = (copy / "metadata.json").read_text()
    save_model(model, copy, metadata={"labels": list(LABELS), "note": "second"})
    assert (copy / "metadata.json").read_text() != before
    assert read_metadata(copy)["note"] == "second"
    assert [p.name for p in copy.parent.iterdir() if p.name.startswith(".model.")] in ([], [".model.lock"])


def test_failed_save_leaves_previous_model_untouched(model_dir, copy, monkeypatch):
    import joblib

    before = {p.name: p.read_bytes() for p in copy.iterdir()}

    def boom(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(joblib, "dump", boom)
    with pytest.raises(KeyboardInterrupt):
        save_model(load_model(model_dir), copy, metadata={"labels": list(LABELS)})
    assert {p.name: p.read_bytes() for p in copy.iterdir()} == before
    assert not [p for p in copy.parent.iterdir() if ".tmp-" in p.name]


def test_save_refuses_to_replace_a_directory_that_is_not_a_model(model_dir, tmp_path):
    target = tmp_path / "precious"
    target.mkdir()
    (target / "thesis.txt").write_text("do not lose me")
    with pytest.raises(ModelError, match=r"is not a trainer model directory, so it was left alone"):
        save_model(load_model(model_dir), target, metadata={})
    assert (target / "thesis.txt").read_text() == "do not lose me"


def test_model_left_aside_by_a_killed_swap_is_recovered(copy):
    aside = copy.parent / f".{copy.name}.old-999999"
    copy.rename(aside)
    assert load_model(copy).classes_.tolist() == list(LABELS)
    assert not aside.exists()
