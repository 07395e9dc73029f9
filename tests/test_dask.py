"""Labelling on a Dask cluster gives exactly what ``trainer predict`` gives, once per record."""

import io
import json
import os
import signal
import sys
import threading
import time
from pathlib import Path

import pytest

pytest.importorskip("distributed")
import dask.dataframe as dd
import pandas as pd
from distributed import Client, LocalCluster

from tests.conftest import tiny_rows
from trainer.dask import RECORD_COLUMNS, label_dataframe, label_files
from trainer.errors import DataError, TrainerError
from trainer.predict import label_texts
from trainer.streaming import write_stream_predictions

# One worker runs them all: the module's cluster is started once, on one worker (--dist loadgroup).
pytestmark = pytest.mark.xdist_group("dask")
TEXTS = [r["text"] + " " + r["text"] for r in tiny_rows()] + ["", "Émigrés said “non”. Who knew?"]


@pytest.fixture(scope="module")
def client():
    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    with cluster, Client(cluster) as client:
        yield client


def _expected_jsonl(path, model_dir) -> str:
    out = io.StringIO()
    with open(path, "rb") as stream:
        write_stream_predictions(stream, out, model=model_dir, output_format="jsonl", n_jobs=1)
    return out.getvalue()


def _write_inputs(root, n_files=3):
    paths = []
    for i in range(n_files):
        path = root / f"part{i}.txt"
        path.write_text("\n".join(TEXTS[i:] + TEXTS[:i]) + "\n", encoding="utf-8")
        paths.append(path)
    jsonl = root / "rows.jsonl"
    jsonl.write_text("".join(json.dumps({"text": t, "id": i}) + "\n" for i, t in enumerate(TEXTS)), encoding="utf-8")
    return paths, jsonl


def test_files_on_two_workers_equal_trainer_predict(client, model_dir, tmp_path):
    (tmp_path / "in").mkdir()
    paths, _ = _write_inputs(tmp_path / "in")
    outputs = label_files(str(tmp_path / "in" / "*"), str(tmp_path / "out"), model=model_dir, client=client)
    assert [os.path.basename(o) for o in outputs] == [
        "00000-part0.txt.jsonl",
        "00001-part1.txt.jsonl",
        "00002-part2.txt.jsonl",
        "00003-rows.jsonl.jsonl",
    ]
    for path, output in zip(paths, outputs, strict=False):
        assert Path(output).read_text(encoding="utf-8") == _expected_jsonl(path, model_dir)
    # JSON Lines rows: the same records as predicting the texts, one per line.
    plain = tmp_path / "plain.txt"
    plain.write_text("\n".join(TEXTS) + "\n", encoding="utf-8")
    assert Path(outputs[3]).read_text(encoding="utf-8") == _expected_jsonl(plain, model_dir)
    assert sorted(os.listdir(tmp_path / "out")) == sorted(os.path.basename(o) for o in outputs)


def test_parquet_output_holds_the_records(client, model_dir, tmp_path):
    (tmp_path / "in").mkdir()
    paths, _ = _write_inputs(tmp_path / "in", n_files=1)
    out = str(tmp_path / "out")
    [output] = label_files(str(paths[0]), out, model=model_dir, client=client, output_format="parquet")
    frame = pd.read_parquet(output)
    assert tuple(frame.columns) == RECORD_COLUMNS
    expected = list(label_texts(TEXTS, model=model_dir))
    assert frame["label"].tolist() == [r["label"] for r in expected]
    assert frame["doc"].tolist() == [r["doc"] for r in expected]
    assert abs(frame["p_opinion"].to_numpy() - [r["probabilities"]["opinion"] for r in expected]).max() < 1e-12


def test_dataframe_records_equal_label_texts(client, model_dir):
    ddf = dd.from_pandas(pd.DataFrame({"text": TEXTS, "id": ["a"] * 5 + ["b"] * (len(TEXTS) - 5)}), npartitions=3)
    frame = label_dataframe(ddf, model=model_dir).compute()
    expected = list(label_texts(TEXTS, model=model_dir))
    assert frame["text"].tolist() == [r["text"] for r in expected]
    assert frame["label"].tolist() == [r["label"] for r in expected]
    keyed = label_dataframe(ddf, key="id", model=model_dir).compute()
    assert set(keyed["source"]) == {"a", "b"} and keyed["doc"].min() == 1


def test_a_bad_file_is_named_with_its_line(client, model_dir, tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "fine"}\n{"text": broken\n', encoding="utf-8")
    with pytest.raises(DataError, match=r"Line 2 of .*bad.jsonl is not valid JSON"):
        label_files(str(bad), str(tmp_path / "out"), model=model_dir, client=client)
    assert not [p for p in os.listdir(tmp_path / "out") if p.startswith("00000")]


def test_nothing_matches(client, model_dir, tmp_path):
    with pytest.raises(DataError, match="No input file matches"):
        label_files(str(tmp_path / "none-*.txt"), str(tmp_path / "out"), model=model_dir, client=client)


def test_in_memory_filesystem(model_dir):
    import fsspec

    memory = fsspec.filesystem("memory")
    memory.pipe("/archive/a.txt", ("\n".join(TEXTS) + "\n").encode())
    with LocalCluster(n_workers=1, processes=False, dashboard_address=None) as cluster, Client(cluster) as client:
        [output] = label_files("memory://archive/*.txt", "memory://labelled", model=model_dir, client=client)
    assert output.endswith("labelled/00000-a.txt.jsonl") and output.startswith("memory://")
    local = list(label_texts(TEXTS, model=model_dir))
    got = [json.loads(line) for line in memory.cat(output).decode().splitlines()]
    assert [r["label"] for r in got] == [r["label"] for r in local]


def test_a_worker_killed_mid_run_is_retried_and_each_record_written_once(client, model_dir, tmp_path):
    (tmp_path / "in").mkdir()
    texts = TEXTS * 400
    for i in range(8):
        (tmp_path / "in" / f"f{i}.txt").write_text("\n".join(texts) + "\n", encoding="utf-8")
    pids = list(client.run(os.getpid).values())
    done = {}
    pattern, out = str(tmp_path / "in" / "*.txt"), str(tmp_path / "out")
    run = threading.Thread(
        target=lambda: done.setdefault("outputs", label_files(pattern, out, model=model_dir, client=client))
    )
    run.start()
    deadline = time.monotonic() + 60
    while not (tmp_path / "out").exists() or not os.listdir(tmp_path / "out"):
        assert time.monotonic() < deadline
        time.sleep(0.05)
    os.kill(pids[0], signal.SIGKILL)
    run.join(timeout=180)
    expected = _expected_jsonl(tmp_path / "in" / "f0.txt", model_dir)
    assert len(done["outputs"]) == 8
    for output in done["outputs"]:
        assert Path(output).read_text(encoding="utf-8") == expected
    assert sorted(os.listdir(tmp_path / "out")) == sorted(os.path.basename(o) for o in done["outputs"])
    client.wait_for_workers(2, timeout=60)


def test_missing_dask_is_one_clear_line(monkeypatch):
    from trainer import dask as trainer_dask

    monkeypatch.setitem(sys.modules, "distributed", None)
    with pytest.raises(TrainerError, match=r"pip install 'trainer\[dask\]'"):
        trainer_dask.connect("local")


def test_cli_labels_a_glob_on_the_cluster(client, model_dir, tmp_path, runner):
    from trainer.cli import main

    (tmp_path / "in").mkdir()
    paths, _ = _write_inputs(tmp_path / "in", n_files=2)
    out = tmp_path / "out"
    args = ["predict", "--file", str(tmp_path / "in" / "*.txt"), "--output", str(out), "--model", str(model_dir)]
    result = runner.invoke(main, [*args, "--scheduler", client.scheduler.address])
    assert result.exit_code == 0, result.output
    assert (out / "00000-part0.txt.jsonl").read_text(encoding="utf-8") == _expected_jsonl(paths[0], model_dir)
    assert runner.invoke(main, [*args]).exit_code == 2  # --output without --scheduler
    wrong = runner.invoke(main, [*args, "--scheduler", client.scheduler.address, "--format", "csv"])
    assert wrong.exit_code == 2 and "jsonl or parquet" in wrong.output
