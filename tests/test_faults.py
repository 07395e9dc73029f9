"""Faults during fit: Ctrl-C, kill and two fits at once never lose or mix a model."""

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import tiny_rows, write_jsonl
from trainer.store import load_model, read_metadata

CORPUS = Path(__file__).resolve().parent.parent / "data" / "sentences.jsonl"


def _fit(*args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "trainer", "fit", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, like a job in a shell
    )


def _snapshot(directory: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(directory.iterdir())}


@pytest.fixture
def previous(model_dir, tmp_path):
    import shutil

    target = tmp_path / "model"
    shutil.copytree(model_dir, target)
    return target


def _search_workers(pid: int, at_least: int, timeout: float = 60.0) -> None:
    """Wait until the fit has ``at_least`` joblib (loky) worker processes of its search."""
    import psutil

    fit, deadline = psutil.Process(pid), time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if sum("LokyProcess" in " ".join(c.cmdline()) for c in fit.children(recursive=True)) >= at_least:
                return
        except psutil.Error:  # a child that ended while being looked at
            pass
        time.sleep(0.02)
    raise AssertionError("the fit's search did not start its workers")


@pytest.mark.parametrize(
    ("sig", "settle"),
    [
        # while the search's workers are still starting (importing for about a second), just after
        # their spawning (a regression: tracebacks on 3.13)
        (signal.SIGINT, 0.15),
        (signal.SIGINT, 1.0),  # well inside the hyperparameter search, long before the save
        (signal.SIGKILL, 1.0),
    ],
)
def test_interrupted_or_killed_fit_leaves_previous_model(previous, sig, settle):
    # The signal is sent at a phase of the fit, not after a fixed time, so that each case tests
    # the phase it names on a loaded machine too.
    before = _snapshot(previous)
    process = _fit("--data", str(CORPUS), "--model", str(previous))
    _search_workers(process.pid, at_least=2)
    time.sleep(settle)
    os.killpg(process.pid, sig)  # as Ctrl-C or kill -9 reach the whole job, workers included
    _, err = process.communicate(timeout=60)
    assert process.returncode != 0
    if sig == signal.SIGINT:
        assert "Traceback" not in err and "Aborted" in err, err
    assert _snapshot(previous) == before
    assert sorted(p.name for p in previous.parent.iterdir() if p.name.startswith(".model")) in ([], [".model.lock"])


def test_two_fits_into_one_target_never_mix(tmp_path, model_dir):
    rows = tiny_rows()
    a = write_jsonl(tmp_path / "a.jsonl", rows)
    b = write_jsonl(tmp_path / "b.jsonl", [dict(r, text=r["text"] + " Zebra.") for r in rows])
    target = tmp_path / "shared"
    shutil.copytree(model_dir, target)  # both replace a model: neither may mix with it or with the other
    first = _fit("--data", str(a), "--model", str(target), "--no-search")
    second = _fit("--data", str(b), "--model", str(target), "--no-search", "--seed", "1")
    assert first.wait(timeout=120) == 0 and second.wait(timeout=120) == 0
    meta = read_metadata(target)
    model = load_model(target)  # the checksum matches: file and metadata belong together
    assert meta["data"]["sources"] in (str(a), str(b))  # one of the two replaced the model
    trained_on_b = meta["data"]["sources"] == str(b)
    assert ("zebra" in set(model[0].get_feature_names_out())) == trained_on_b
    assert meta["seed"] == (1 if trained_on_b else 0)
    assert {p.name for p in target.iterdir()} == {
        "model.joblib",
        "inference.npz",
        "evaluation.npz",
        "metadata.json",
        "README.md",
    }
    assert json.loads((target / "metadata.json").read_text())["model_sha256"] == meta["model_sha256"]
