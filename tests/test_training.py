import json

import pytest

from tests.conftest import FAST, tiny_rows, write_jsonl
from trainer.errors import DataError
from trainer.store import load_model, read_metadata
from trainer.training import fit


def test_fit_saves_a_model_with_heldout_metrics(tmp_path, tiny_jsonl):
    result = fit(data=[tiny_jsonl], model_dir=tmp_path / "m", config=FAST)
    meta = read_metadata(result.model_dir)
    assert result.n_test == 6 and result.n_train == 21
    assert meta["heldout_metrics"]["support"] == 6
    assert meta["hyperparameters"]["C"] in FAST.search.space["C"]
    assert meta["data"]["sentences"] == 27 and meta["data"]["documents"] == 9


def test_fit_is_deterministic(tmp_path, tiny_jsonl):
    a = fit(data=[tiny_jsonl], model_dir=tmp_path / "a", config=FAST)
    b = fit(data=[tiny_jsonl], model_dir=tmp_path / "b", config=FAST)
    assert a.metrics == b.metrics and a.hyperparameters == b.hyperparameters
    texts = [r["text"] for r in tiny_rows()]
    assert (load_model(a.model_dir).predict_proba(texts) == load_model(b.model_dir).predict_proba(texts)).all()
    strip = lambda m: {k: v for k, v in m.items() if k not in ("created", "model_sha256")}  # noqa: E731
    assert strip(read_metadata(a.model_dir)) == strip(read_metadata(b.model_dir))


def test_failed_fit_leaves_the_previous_model_untouched(tmp_path, tiny_jsonl):
    target = fit(data=[tiny_jsonl], model_dir=tmp_path / "m", config=FAST).model_dir
    before = {p.name: p.read_bytes() for p in target.iterdir()}
    bad = write_jsonl(tmp_path / "bad.jsonl", [{"text": "x", "label": "nope"}])
    with pytest.raises(DataError):
        fit(data=[bad], model_dir=target, config=FAST)
    assert {p.name: p.read_bytes() for p in target.iterdir()} == before


def _one_label_in_training() -> list[dict]:
    """Rows whose training documents hold opinions only."""
    return [dict(r) for r in tiny_rows() if r["label"] == "opinion" or r["split"] == "test"]


def test_fit_needs_two_labels_in_training_documents(tmp_path):
    rows = _one_label_in_training()
    with pytest.raises(DataError, match=r"at least two labels in the training documents"):
        fit(data=[write_jsonl(tmp_path / "d.jsonl", rows)], model_dir=tmp_path / "m", config=FAST)


def test_fit_combines_sources_without_merging_their_documents(tmp_path):
    rows = tiny_rows()
    a = write_jsonl(tmp_path / "a.jsonl", rows[:15])
    b = write_jsonl(tmp_path / "b.jsonl", rows[15:])
    result = fit(data=[a, b], model_dir=tmp_path / "m", config=FAST)
    assert result.metadata["data"]["sentences"] == 27
    json.dumps(result.metadata)


def test_held_out_fit_in_a_worker_process_gives_the_same_model(tmp_path, tiny_jsonl):
    from dataclasses import replace

    alone = fit(data=[tiny_jsonl], model_dir=tmp_path / "alone", config=FAST)
    beside = fit(data=[tiny_jsonl], model_dir=tmp_path / "beside", config=replace(FAST, n_jobs=2))
    assert alone.metrics == beside.metrics
    texts = [r["text"] for r in tiny_rows()]
    assert (load_model(alone.model_dir).predict_proba(texts) == load_model(beside.model_dir).predict_proba(texts)).all()


def test_a_script_without_a_main_guard_can_fit(tmp_path, tiny_jsonl):
    # Regression: a forkserver worker re-ran such a script's top level and broke its pipe.
    import subprocess
    import sys

    script = tmp_path / "train.py"
    script.write_text(
        "import trainer\n"
        "from trainer.config import SearchConfig, TrainingConfig\n"
        f"result = trainer.fit(data=[{str(tiny_jsonl)!r}], model_dir={str(tmp_path / 'm')!r},"
        " config=TrainingConfig(search=SearchConfig(enabled=False)))\n"
        "print('macro-F1', result.metrics['macro']['f1'])\n"
    )
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "macro-F1" in done.stdout and "Traceback" not in done.stderr and "Warning" not in done.stderr


def test_bad_data_is_refused_before_scikit_learn_is_imported(tmp_path):
    # Regression: the fit imported scikit-learn (2 s) before it read the data, so each error took 2.5 s.
    import subprocess
    import sys

    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "Prices rose.", "label": "fakt"}\n', encoding="utf-8")
    code = (
        "import sys, trainer\n"
        "from trainer.errors import DataError\n"
        "try:\n"
        f"    trainer.fit(data=[{str(bad)!r}], model_dir={str(tmp_path / 'm')!r})\n"
        "except DataError as error:\n"
        "    print('refused', 'sklearn' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "refused False", done.stderr


@pytest.mark.parametrize(
    "rows",
    [
        [{"text": "x", "label": "nope"}],
        _one_label_in_training(),
    ],
    ids=["unknown label", "one label in training"],
)
def test_bad_data_never_starts_the_heldout_worker(tmp_path, monkeypatch, rows):
    # Regression: the worker was started before the data was read and killed after the error; on
    # Python 3.13 its semaphores' clean-up at exit raced loky's resource tracker, which printed
    # "leaked semlock" warnings under the one-line error.
    from dataclasses import replace

    import trainer.workers

    started = []
    monkeypatch.setattr(trainer.workers, "start_fit_worker", lambda task: started.append(task))
    with pytest.raises(DataError):
        fit(data=[write_jsonl(tmp_path / "bad.jsonl", rows)], model_dir=tmp_path / "m", config=replace(FAST, n_jobs=2))
    assert started == []


def test_a_stopped_heldout_worker_frees_its_semaphores():
    from multiprocessing import util

    from joblib.externals.loky.backend.synchronize import SemLock

    from trainer.training import _HeldoutWorker

    def semaphores() -> int:
        return sum(f._callback is SemLock._cleanup for f in list(util._finalizer_registry.values()))

    before = semaphores()
    worker = _HeldoutWorker()
    worker.start()
    assert semaphores() > before
    worker.stop(kill=False)
    assert semaphores() == before
