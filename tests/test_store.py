import json
import shutil

import numpy as np
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
    assert {p.name for p in model_dir.iterdir()} == {
        "model.joblib",
        "inference.npz",
        "evaluation.npz",
        "metadata.json",
        "README.md",
    }
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


# Issue 12: one place (check_replaceable) decides what a model directory is; a save never loses a file.

EXPECTED = {"model.joblib", "inference.npz", "evaluation.npz", "metadata.json", "README.md"}


def _files(directory):
    return {str(p.relative_to(directory)): p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file()}


def test_save_refuses_a_project_folder_that_has_a_metadata_json(model_dir, tmp_path):
    project = tmp_path / "project"
    (project / "src").mkdir(parents=True)
    (project / "metadata.json").write_text('{"name": "my project"}')
    (project / "notes.txt").write_text("do not lose me")
    (project / "src" / "main.py").write_text("print(1)")
    before = _files(project)
    with pytest.raises(ModelError, match=r"project is not a trainer model directory, so it was left alone: .*notes"):
        save_model(load_model(model_dir), project, metadata={})
    assert _files(project) == before
    # A real format version does not make a folder with other files a model directory either.
    (project / "metadata.json").write_text(json.dumps({"format_version": FORMAT_VERSION}))
    with pytest.raises(ModelError, match=r"notes\.txt.*src.*Move them out or pass another --model"):
        save_model(load_model(model_dir), project, metadata={})
    assert (project / "notes.txt").read_text() == "do not lose me"


def test_save_refuses_a_model_directory_holding_a_users_file(model_dir, copy):
    (copy / "report.md").write_text("my evaluation")
    before = _files(copy)
    with pytest.raises(ModelError, match=r"holds report\.md, which trainer did not write.*Move them out"):
        save_model(load_model(model_dir), copy, metadata={"labels": list(LABELS)})
    assert _files(copy) == before


def test_save_into_an_empty_or_missing_directory(model_dir, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    for target in (empty, tmp_path / "missing" / "deeper"):
        save_model(load_model(model_dir), target, metadata={"labels": list(LABELS)})
        assert {p.name for p in target.iterdir()} == EXPECTED - {"evaluation.npz"}  # save_model alone writes no record


def test_fit_refuses_a_folder_that_is_not_a_model_before_training(tmp_path, tiny_jsonl, monkeypatch):
    import trainer.data
    from tests.conftest import FAST
    from trainer.training import fit

    project = tmp_path / "project"
    project.mkdir()
    (project / "metadata.json").write_text("{}")
    (project / "thesis.tex").write_text("years of work")

    def no_training(*args, **kwargs):
        raise AssertionError("the fit started before the model directory was checked")

    monkeypatch.setattr(trainer.data, "read_data", no_training)
    with pytest.raises(ModelError, match=r"thesis\.tex"):
        fit(data=[tiny_jsonl], model_dir=project, config=FAST)
    assert (project / "thesis.tex").read_text() == "years of work"


def test_cli_fit_refuses_a_folder_that_is_not_a_model(runner, tmp_path, tiny_jsonl):
    from trainer.cli import main

    project = tmp_path / "project"
    project.mkdir()
    (project / "metadata.json").write_text("{}")
    (project / "data.csv").write_text("a,b\n")
    result = runner.invoke(main, ["fit", "--data", str(tiny_jsonl), "--model", str(project), "--no-search"])
    assert result.exit_code == 1, result.output
    assert "data.csv" in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1, result.output
    assert (project / "data.csv").read_text() == "a,b\n"


def test_each_save_uses_its_own_temporary_and_backup_names(model_dir, copy, monkeypatch):
    import trainer.store as store

    seen = []
    swap = store._swap_into_place

    def recording(tmp, target, *args, **kwargs):
        seen.append(tmp.name)
        return swap(tmp, target, *args, **kwargs)

    monkeypatch.setattr(store, "_swap_into_place", recording)
    for _ in range(2):
        save_model(load_model(model_dir), copy, metadata={"labels": list(LABELS)})
    assert len(set(seen)) == 2
    assert all(name.startswith(".model.tmp-") for name in seen)


def test_recovery_never_deletes_a_live_saves_temporary(model_dir, copy):
    import fcntl
    import os

    parent = copy.parent
    token = "0123456789abcdef"
    live = parent / f".model.tmp-{token}"
    live.mkdir()
    (live / "model.joblib").write_bytes(b"half written")
    with (parent / f".model.lock-{token}").open("a") as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # the writer (in another container, say) still holds it
        # A temporary of a PID this process cannot see (another container), written just now.
        foreign = parent / f".model.tmp-{os.getpid() + 99999}-abcd1234"
        foreign.mkdir()
        dead = parent / ".model.tmp-fedcba9876543210"  # its writer's lock is free: the writer died
        dead.mkdir()
        (parent / ".model.lock-fedcba9876543210").touch()
        save_model(load_model(model_dir), copy, metadata={"labels": list(LABELS), "note": "new"})
        assert live.is_dir() and (live / "model.joblib").read_bytes() == b"half written"
        assert foreign.is_dir()
        assert not dead.exists() and not (parent / ".model.lock-fedcba9876543210").exists()
    assert read_metadata(copy)["note"] == "new"


def test_names_with_glob_characters_match_only_their_own_leftovers(model_dir, tmp_path):
    model = load_model(model_dir)
    odd = tmp_path / "m[1]*"
    save_model(model, odd, metadata={"labels": list(LABELS)})
    # The backup of another model, m1, left by a save killed mid-swap: a glob built from "m[1]*" matches it.
    other = save_model(model, tmp_path / "m1", metadata={"labels": list(LABELS), "note": "m1"})
    aside = tmp_path / ".m1.old-0123456789abcdef"
    other.rename(aside)
    save_model(model, odd, metadata={"labels": list(LABELS), "note": "odd"})
    assert aside.is_dir() and read_metadata(tmp_path / "m1")["note"] == "m1"  # recovered, not deleted
    # A killed swap of the odd name itself is recovered on the next load.
    odd.rename(tmp_path / ".m[1]*.old-fedcba9876543210")
    assert read_metadata(odd)["note"] == "odd"


def test_refit_keeps_the_directory_mode(model_dir, copy):
    copy.chmod(0o750)
    save_model(load_model(model_dir), copy, metadata={"labels": list(LABELS)})
    assert copy.stat().st_mode & 0o7777 == 0o750


def test_new_model_directory_gets_the_mode_mkdir_gives(model_dir, tmp_path):
    import os

    umask = os.umask(0o022)
    try:
        target = save_model(load_model(model_dir), tmp_path / "fresh", metadata={"labels": list(LABELS)})
    finally:
        os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o755


def test_refit_through_a_symlink_keeps_the_link(model_dir, copy, tmp_path):
    link = tmp_path / "links" / "current"
    link.parent.mkdir()
    link.symlink_to(copy, target_is_directory=True)
    save_model(load_model(model_dir), link, metadata={"labels": list(LABELS), "note": "via link"})
    assert link.is_symlink() and link.resolve() == copy.resolve()
    assert read_metadata(copy)["note"] == "via link"
    assert sorted(p.name for p in link.parent.iterdir()) == ["current"]
    assert [p.name for p in copy.parent.iterdir() if p.name.startswith(".model.") and p.name != ".model.lock"] == []


# Found by tests/test_fuzz.py: files with valid checksums that numpy cannot read as trainer wrote them.


@pytest.mark.parametrize(
    ("name", "content"),
    [("inference.npz", b"PK\x03\x04"), ("evaluation.npz", b"PK\x03\x04")],
    ids=["inference-zip-header-only", "evaluation-zip-header-only"],
)
def test_a_broken_zip_with_a_valid_checksum_is_refused(copy, name, content):
    import hashlib

    from trainer.store import load_evaluation_record, load_predictor

    (copy / name).write_bytes(content)
    meta = json.loads((copy / "metadata.json").read_text())
    meta[name.replace(".npz", "_sha256")] = hashlib.sha256(content).hexdigest()
    (copy / "metadata.json").write_text(json.dumps(meta))
    load = load_predictor if name == "inference.npz" else load_evaluation_record
    with pytest.raises(ModelError, match=f"{name} could not be loaded: File is not a zip file"):  # was BadZipFile
        load(copy)


@pytest.mark.parametrize(
    ("array", "value"),
    [("texts", np.array(3)), ("gold", np.array(["a"])), ("gold", np.array([0.5])), ("probabilities", np.zeros(3))],
)
def test_an_evaluation_record_of_the_wrong_types_is_refused(copy, array, value):
    import hashlib

    from trainer.store import load_evaluation_record

    arrays = dict(np.load(copy / "evaluation.npz"))
    arrays[array] = value
    with (copy / "evaluation.npz").open("wb") as f:
        np.savez(f, **arrays)
    meta = json.loads((copy / "metadata.json").read_text())
    meta["evaluation_sha256"] = hashlib.sha256((copy / "evaluation.npz").read_bytes()).hexdigest()
    (copy / "metadata.json").write_text(json.dumps(meta))
    with pytest.raises(ModelError, match=f"its array '{array}' has type"):  # was TypeError or IndexError
        load_evaluation_record(copy)
