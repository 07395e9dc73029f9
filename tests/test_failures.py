"""The remaining failure cases of issue 12: signals, the output side, decoding, odd model directories,
a predict racing a fit, and TSV/label-map messages. One test per case; see docs/failures.md."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from tests.conftest import tiny_rows, write_jsonl

CORPUS = Path(__file__).resolve().parent.parent / "data" / "sentences.jsonl"
TRAINER = [sys.executable, "-m", "trainer"]


def _run(*args: str, **kwargs) -> subprocess.CompletedProcess:
    if "stdout" not in kwargs and "stderr" not in kwargs:
        kwargs["capture_output"] = True
    kwargs.setdefault("stdout", subprocess.PIPE)
    kwargs.setdefault("stderr", subprocess.PIPE)
    if kwargs.get("capture_output"):
        del kwargs["stdout"], kwargs["stderr"]
    return subprocess.run([*TRAINER, *args], text=True, timeout=120, **kwargs)


def _one_line(err: str) -> None:
    assert "Traceback" not in err, err
    assert len(err.strip().splitlines()) == 1, err


# --- hangs: workers die with their parent -------------------------------------------------------


def _children_once_they_exist(process: psutil.Process, at_least: int, timeout: float = 60.0) -> list[psutil.Process]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        children = process.children(recursive=True)
        if len(children) >= at_least:
            return children
        time.sleep(0.05)
    raise AssertionError(f"fewer than {at_least} workers started")


def _assert_gone(children: list[psutil.Process], within: float = 5.0) -> None:
    _, alive = psutil.wait_procs(children, timeout=within)
    for child in alive:  # do not leave them behind whatever the outcome
        child.kill()
    assert not alive, f"workers still running: {[c.pid for c in alive]}"


@pytest.fixture
def large_input(tmp_path) -> Path:
    line = "Prices rose 3% in May, officials said. Frankly, that is a disgrace.\n"
    path = tmp_path / "large.txt"
    path.write_text(line * 400_000, encoding="utf-8")
    return path


def _hang_up_kills() -> None:
    """In a child, before exec: a hang-up kills, as in a terminal, even if the tests run under nohup."""
    signal.signal(signal.SIGHUP, signal.SIG_DFL)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
def test_predict_workers_die_with_the_parent(model_dir, large_input, sig):
    process = subprocess.Popen(
        [*TRAINER, "predict", "--model", str(model_dir), "--file", str(large_input), "--jobs", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        preexec_fn=_hang_up_kills,
    )
    try:
        children = _children_once_they_exist(psutil.Process(process.pid), 2)
        process.send_signal(sig)  # the parent only, not its process group
        time.sleep(0.2)
        process.stdout.read()  # EOF: no worker holds the pipe
        process.wait(timeout=10)
        _assert_gone(children)
    finally:
        if process.poll() is None:
            process.kill()


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_fit_workers_die_with_the_parent_and_a_pipe_ends(tmp_path, sig):
    # `trainer fit ... | cat`: cat must end when fit is killed.
    command = f"{sys.executable} -m trainer fit --data {CORPUS} --model {tmp_path / 'm'} | cat"
    shell = subprocess.Popen(
        command, shell=True, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, start_new_session=True
    )
    try:
        root = psutil.Process(shell.pid)
        deadline = time.monotonic() + 60
        fit = None
        while time.monotonic() < deadline and fit is None:
            fit = next((p for p in root.children() if "trainer" in " ".join(p.cmdline())), None)
            time.sleep(0.05)
        assert fit is not None
        children = _children_once_they_exist(fit, 2)
        time.sleep(1.0)  # into the hyperparameter search
        children = fit.children(recursive=True)
        assert len(children) >= 2, children
        fit.send_signal(sig)
        shell.communicate(timeout=10)  # cat has ended: no worker holds the pipe
        _assert_gone(children)
    finally:
        if shell.poll() is None:
            os.killpg(shell.pid, signal.SIGKILL)


def _shm_of(pids: set[int]) -> set[str]:
    """The POSIX semaphores and shared-memory folders in /dev/shm that these processes made (loky, joblib)."""
    names = set(os.listdir("/dev/shm"))
    return {n for n in names for pid in pids if n.startswith((f"sem.loky-{pid}-", f"joblib_memmapping_folder_{pid}_"))}


@pytest.mark.skipif(not os.path.isdir("/dev/shm") or len(os.sched_getaffinity(0)) < 2, reason="needs /dev/shm, 2 cores")
@pytest.mark.parametrize(
    ("sig", "group"),
    [(signal.SIGTERM, False), (signal.SIGKILL, False), (signal.SIGHUP, True)],
    ids=["SIGTERM", "SIGKILL", "SIGHUP-to-the-group"],
)
def test_a_fit_killed_in_the_search_leaks_no_semaphores_shared_memory_or_temporaries(model_dir, tmp_path, sig, group):
    import shutil

    parent = tmp_path / "models"
    target = parent / "m"
    shutil.copytree(model_dir, target)  # a refit: the previous model must stay as it was
    before = {p.name: p.read_bytes() for p in target.iterdir()}
    listing = sorted(os.listdir(parent))
    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir()
    process = subprocess.Popen(
        [*TRAINER, "fit", "--data", str(CORPUS), "--model", str(target)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own group: SIGHUP-to-the-group is a terminal's hang-up
        env={**os.environ, "TMPDIR": str(tmpdir)},
        preexec_fn=_hang_up_kills,
    )
    try:
        fit = psutil.Process(process.pid)
        deadline, pids, made = time.monotonic() + 60, {process.pid}, set()
        while time.monotonic() < deadline and not any(n.startswith("joblib_memmapping") for n in made):
            pids |= {c.pid for c in fit.children(recursive=True)}
            made = _shm_of(pids)
            time.sleep(0.05)
        assert any(n.startswith("sem.loky") for n in made), f"the search has not started: {made}"
        children = fit.children(recursive=True)
        assert len([c for c in children if "LokyProcess" in " ".join(c.cmdline())]) >= 2, children
        os.killpg(process.pid, sig) if group else process.send_signal(sig)
        process.wait(timeout=10)
        _assert_gone(children, within=10)  # the resource trackers too, once they have cleaned up
        assert _shm_of(pids) == set()
        assert sorted(os.listdir(parent)) == listing  # no temporary, backup or lock file beside the model
        assert {p.name: p.read_bytes() for p in target.iterdir()} == before
        assert os.listdir(tmpdir) == []  # no data cache, no joblib folder
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)


# --- the output side ----------------------------------------------------------------------------


def test_predict_to_a_full_disk_is_one_line(model_dir):
    with open("/dev/full", "w") as full:
        result = _run(
            "predict", "--model", str(model_dir), "Prices rose 3% in May.", stdout=full, stderr=subprocess.PIPE
        )
    assert result.returncode == 1
    _one_line(result.stderr)
    assert "Cannot write to standard output: No space left on device" in result.stderr


def test_predict_with_standard_output_closed_is_one_line(model_dir):
    result = _run(
        "predict",
        "--model",
        str(model_dir),
        "Prices rose.",
        stdout=None,
        stderr=subprocess.PIPE,
        pass_fds=(),
        preexec_fn=lambda: os.close(1),
    )
    assert result.returncode == 1
    _one_line(result.stderr)
    assert "standard output is closed" in result.stderr


def test_predict_with_standard_input_closed_is_one_line(model_dir):
    result = _run("predict", "--model", str(model_dir), stdin=None, preexec_fn=lambda: os.close(0))
    assert result.returncode == 1
    _one_line(result.stderr)
    assert "standard input is closed" in result.stderr


def test_fit_whose_printing_fails_keeps_the_model_and_exits_3(tmp_path):
    data = write_jsonl(tmp_path / "tiny.jsonl", tiny_rows())
    target = tmp_path / "m"
    with open("/dev/full", "w") as full:
        result = _run(
            "fit", "--data", str(data), "--model", str(target), "--no-search", stdout=full, stderr=subprocess.PIPE
        )
    assert result.returncode == 3, result.stderr
    _one_line(result.stderr)
    assert f"The model was saved to {target}" in result.stderr
    assert "No space left on device" in result.stderr
    from trainer.store import load_predictor

    load_predictor(target)


def test_a_full_disk_during_the_save_is_one_line_and_keeps_the_old_model(model_dir, tmp_path, monkeypatch, runner):
    import shutil

    from trainer import store
    from trainer.cli import main
    from trainer.errors import ModelError
    from trainer.store import load_model, save_model

    target = tmp_path / "model"
    shutil.copytree(model_dir, target)
    before = {p.name: p.read_bytes() for p in target.iterdir()}
    pipeline = load_model(target)
    real_fsync = os.fsync

    def full(fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(store.os, "fsync", full)
    with pytest.raises(ModelError, match="No space left on device") as caught:
        save_model(pipeline, target, metadata={})
    assert "\n" not in str(caught.value)
    assert {p.name: p.read_bytes() for p in target.iterdir()} == before
    assert [p.name for p in tmp_path.iterdir() if ".tmp-" in p.name] == []

    data = write_jsonl(tmp_path / "tiny.jsonl", tiny_rows())
    result = runner.invoke(main, ["fit", "--data", str(data), "--model", str(target), "--no-search"])
    monkeypatch.setattr(store.os, "fsync", real_fsync)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and "No space left on device" in result.output
    assert {p.name: p.read_bytes() for p in target.iterdir()} == before


# --- decoding -----------------------------------------------------------------------------------


def test_a_data_file_that_ends_inside_a_utf8_character_is_one_line(tmp_path):
    from trainer.data import read_data
    from trainer.errors import DataError

    path = tmp_path / "cut.csv"
    path.write_bytes(b"text,label,doc_id\nPrices rose.,reported_fact,d1\nIt is bad \xc3")
    with pytest.raises(DataError, match=r"ends inside a character.*line 3"):
        read_data([path])


def test_predict_input_that_ends_inside_a_utf8_character_is_one_line(model_dir, tmp_path):
    path = tmp_path / "cut.txt"
    path.write_bytes(b"Prices rose.\nIt is bad \xc3")
    result = _run("predict", "--model", str(model_dir), "--file", str(path))
    assert result.returncode == 1 and result.stdout == ""
    _one_line(result.stderr)
    assert "ends inside a character" in result.stderr and "line 2" in result.stderr.lower()


def test_utf16_input_cut_in_the_middle_of_a_character_is_one_line(model_dir, tmp_path):
    path = tmp_path / "odd16.txt"
    path.write_bytes("Prices rose.\nIt is bad.\n".encode("utf-16") + b"\x41")  # an odd number of bytes
    result = _run("predict", "--model", str(model_dir), "--file", str(path), "--encoding", "utf-16")
    assert result.returncode == 1
    _one_line(result.stderr)
    assert "ends inside a character after line 2" in result.stderr


def test_large_utf16_input_with_a_bom_is_labelled_line_by_line(model_dir, tmp_path):
    import json

    path = tmp_path / "big16.txt"
    lines = ["Prices rose 3% in May.", "", "Frankly, that is a disgrace. Ünïcode ✓."] * 20_000
    path.write_text("\n".join(lines) + "\n", encoding="utf-16")  # with a BOM
    result = _run(
        "predict",
        "--model",
        str(model_dir),
        "--file",
        str(path),
        "--encoding",
        "utf-16",
        "--format",
        "jsonl",
        "--jobs",
        "2",
    )
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert records[0]["text"] == "Prices rose 3% in May." and records[0]["doc"] == 1
    assert {r["doc"] for r in records} == {i for i, line in enumerate(lines, 1) if line}
    assert records[-1]["text"] == "Ünïcode ✓."


def test_labelled_data_in_utf16_is_read(tmp_path):
    from trainer.data import read_data

    path = tmp_path / "u16.jsonl"
    rows = tiny_rows()
    import json

    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-16")
    data = read_data([path], encoding="utf-16")
    assert list(data.texts)[:1] == [rows[0]["text"]]


@pytest.mark.parametrize("command", ["predict", "fit"])
def test_a_codec_that_is_not_a_text_encoding_is_a_usage_error(model_dir, tmp_path, command):
    data = write_jsonl(tmp_path / "tiny.jsonl", tiny_rows())
    args = (
        ["--model", str(model_dir), "x"]
        if command == "predict"
        else ["--data", str(data), "--model", str(tmp_path / "m")]
    )
    result = _run(command, *args, "--encoding", "rot13")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and "rot13" in result.stderr and "not a text encoding" in result.stderr
    assert not (tmp_path / "m").exists()


def test_check_encoding_refuses_codecs_that_are_not_text_encodings():
    from trainer.errors import DataError
    from trainer.sources import check_encoding

    for codec in ("rot13", "base64", "zlib", "hex"):
        with pytest.raises(DataError, match="not a text encoding"):
            check_encoding(codec)
    assert check_encoding("UTF-16") == "utf-16"


def test_bytes_that_are_not_utf8_in_a_text_argument_are_a_usage_error(model_dir):
    result = subprocess.run(
        [*TRAINER, "predict", "--model", str(model_dir), "Prices rose.", b"Prices \xff rose."],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "LC_ALL": "C.UTF-8", "PYTHONIOENCODING": "utf-8"},
    )
    assert result.returncode == 2 and result.stdout == ""
    assert "Traceback" not in result.stderr
    assert "TEXT argument 2" in result.stderr and "0xff" in result.stderr


# --- odd model directories with valid checksums -------------------------------------------------


@pytest.fixture
def copied_model(model_dir, tmp_path) -> Path:
    import shutil

    target = tmp_path / "model"
    shutil.copytree(model_dir, target)
    return target


def _edit_metadata(directory: Path, **fields) -> None:
    import json

    path = directory / "metadata.json"
    meta = json.loads(path.read_text())
    meta.update(fields)
    path.write_text(json.dumps(meta))


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("versions", ["scikit-learn", "1.0"]),
        ("versions", "1.0"),
        ("data", 3),
        ("hyperparameters", None),
        ("search", []),
        ("heldout_metrics", "good"),
        ("created", 5),
    ],
)
def test_a_metadata_field_of_the_wrong_type_is_one_line(copied_model, field, value, runner):
    from trainer.cli import main
    from trainer.errors import ModelError
    from trainer.store import read_metadata

    _edit_metadata(copied_model, **{field: value})
    with pytest.raises(ModelError, match=f"'{field}'"):
        read_metadata(copied_model)
    for command in (["inspect"], ["predict", "Prices rose."], ["evaluate"]):
        result = runner.invoke(main, [*command, "--model", str(copied_model)])
        assert result.exit_code == 1, (command, result.output)
        assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
        assert f"'{field}'" in result.output


def test_model_dot_is_read_but_a_fit_into_the_current_directory_is_refused(copied_model, tmp_path):
    data = write_jsonl(tmp_path / "tiny.jsonl", tiny_rows())
    before = {p.name: p.read_bytes() for p in copied_model.iterdir()}
    for command in (["predict", "Prices rose."], ["inspect"]):
        result = _run(*command, "--model", ".", cwd=copied_model)
        assert result.returncode == 0, result.stderr
    result = _run("fit", "--data", str(data), "--model", ".", "--no-search", cwd=copied_model)
    assert result.returncode == 1
    _one_line(result.stderr)
    assert "current directory" in result.stderr
    assert {p.name: p.read_bytes() for p in copied_model.iterdir()} == before
    inner = copied_model / "sub"
    inner.mkdir()
    result = _run("fit", "--data", str(data), "--model", "..", "--no-search", cwd=inner)
    assert result.returncode == 1 and "current directory" in result.stderr


def test_a_read_only_directory_during_recovery_is_one_line(copied_model, monkeypatch, runner):
    from trainer import store
    from trainer.cli import main
    from trainer.errors import ModelError

    backup = copied_model.parent / ".model.old-0123456789abcdef"
    copied_model.rename(backup)  # a fit killed mid-swap

    def read_only(*args, **kwargs):
        raise PermissionError(errno.EROFS, os.strerror(errno.EROFS))

    monkeypatch.setattr(store.os, "rename", read_only)
    with pytest.raises(ModelError, match="could not be put back") as caught:
        store.read_metadata(copied_model)
    assert str(backup) in str(caught.value) and "Read-only file system" in str(caught.value)
    result = runner.invoke(main, ["predict", "--model", str(copied_model), "Prices rose."])
    assert result.exit_code == 1 and "could not be put back" in result.output
    monkeypatch.undo()
    assert store.read_metadata(copied_model)  # writable again: put back


# --- a predict while a fit replaces the model ---------------------------------------------------


def test_loads_racing_saves_always_read_one_version(model_dir, tmp_path):
    import threading

    from trainer.errors import ModelError
    from trainer.store import load_model, load_predictor_with_metadata, read_metadata, save_model

    pipeline = load_model(model_dir)
    meta = read_metadata(model_dir)
    target = save_model(pipeline, tmp_path / "shared", metadata={**meta, "note": 0})
    stop = time.monotonic() + 4.0
    errors: list[str] = []
    loads = [0]

    def fits() -> None:
        n = 0
        while time.monotonic() < stop:
            n += 1
            save_model(pipeline, target, metadata={**meta, "note": n}, save_format=("joblib", "skops")[n % 2])

    def predicts() -> None:
        while time.monotonic() < stop:
            try:
                _, seen = load_predictor_with_metadata(target)
                model_format = seen["model_format"]
                assert seen["model_file"] == f"model.{model_format}"
                loads[0] += 1
            except ModelError as exc:
                errors.append(str(exc))

    threads = [threading.Thread(target=fits), *(threading.Thread(target=predicts) for _ in range(3))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert loads[0] > 50
    assert errors == []


def test_cli_predicts_racing_saves_never_report_a_changed_file(model_dir, tmp_path):
    import shutil

    target = tmp_path / "m"
    shutil.copytree(model_dir, target)
    stop = tmp_path / "stop"
    saver = subprocess.Popen(  # a fit's save, over and over, in another process, until told to stop
        [
            sys.executable,
            "-c",
            (
                "import sys\n"
                "from pathlib import Path\n"
                "from trainer.store import load_model, read_metadata, save_model\n"
                "target, stop = sys.argv[1], Path(sys.argv[2])\n"
                "pipeline = load_model(target); meta = read_metadata(target)\n"
                "print('saving', flush=True)\n"
                "n = 0\n"
                "while not stop.exists() and n < 20000:\n"
                "    n += 1\n"
                "    fmt = ('joblib', 'skops')[n % 2]\n"
                "    save_model(pipeline, target, metadata={**meta, 'note': n}, save_format=fmt)\n"
                "print(n)\n"
            ),
            str(target),
            str(stop),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert saver.stdout.readline() == "saving\n", saver.stderr.read()
    failures = []
    for _ in range(5):
        result = _run("predict", "--model", str(target), "Prices rose.")
        if result.returncode != 0:
            failures.append(result.stderr)
    stop.touch()
    out, err = saver.communicate(timeout=60)
    assert saver.returncode == 0, err
    assert int(out) > 5 and failures == []  # the saves went on through every predict


# --- TSV, special files and label-map fixes ------------------------------------------------------


def _tsv(path: Path, rows: list[dict]) -> Path:
    columns = list(rows[0])
    lines = ["\t".join(columns), *("\t".join(str(r[c]) for c in columns) for r in rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_tsv_texts_that_start_with_a_quote_are_read_as_written(tmp_path):
    from trainer.data import read_data

    rows = tiny_rows()
    for i, row in enumerate(rows):
        if i % 3 == 0:
            row["text"] = f'"{row["text"].rstrip(".")}", the official said.'
    rows[1]["text"] = 'He said "roughly 300" came.'
    data = read_data([_tsv(tmp_path / "q.tsv", rows)])
    assert list(data.texts) == [r["text"] for r in rows]


def test_tsv_errors_name_the_right_line(tmp_path):
    from trainer.data import read_data
    from trainer.errors import DataError

    rows = tiny_rows()
    rows[0]["text"] = '"An opening quote that never closes, said the minister.'
    rows[5]["label"] = "Opinion!"
    with pytest.raises(DataError, match=r"'Opinion!' on line 7 of"):
        read_data([_tsv(tmp_path / "q.tsv", rows)])
    rows[5]["label"] = "opinion"
    path = _tsv(tmp_path / "q.tsv", rows)
    path.write_text(path.read_text().replace("\td4\t", "\td4\textra\t", 1))
    with pytest.raises(DataError, match=r"Line 11 of .* has 5 fields but the header has 4"):
        read_data([path])


@pytest.mark.parametrize("kind", ["device", "fifo"])
def test_dev_null_and_fifos_are_named_for_what_they_are(tmp_path, kind):
    from trainer.data import read_data
    from trainer.errors import DataError

    if kind == "fifo":
        path = tmp_path / "pipe.csv"
        os.mkfifo(path)
        expected = "named pipe"
    else:
        path = Path("/dev/null")
        expected = "device"
    with pytest.raises(DataError) as caught:
        read_data([path])
    message = str(caught.value)
    assert expected in message and "does not exist" not in message


def test_a_label_with_a_trailing_space_gets_a_fix_that_works(tmp_path):
    import shlex

    from trainer.data import parse_label_map, read_data
    from trainer.errors import DataError

    rows = tiny_rows()
    for row in rows:
        if row["label"] == "opinion":
            row["label"] = "Opinion "
    path = write_jsonl(tmp_path / "x.jsonl", rows)
    with pytest.raises(DataError) as caught:
        read_data([path])
    message = str(caught.value)
    suggested = message.split("--label-map ", 1)[1].split(" ")[0:2]
    argument = shlex.split(" ".join(suggested))[0].rstrip(".")
    assert argument == "Opinion =LABEL", message
    data = read_data([path], label_map=parse_label_map([argument.replace("LABEL", "opinion")]))
    assert "opinion" in set(data.labels)


def test_a_null_label_is_named_as_missing_not_mapped(tmp_path):
    from trainer.data import read_data
    from trainer.errors import DataError

    rows = tiny_rows()
    rows[4]["label"] = None
    with pytest.raises(DataError) as caught:
        read_data([write_jsonl(tmp_path / "x.jsonl", rows)])
    message = str(caught.value)
    assert "=LABEL" not in message and "line 5" in message and "no label" in message


# --- code execution and worker counts (cases done earlier, checked here by name) ----------------


def test_model_format_in_the_metadata_never_decides_how_a_file_is_read(model_dir, tmp_path, monkeypatch):
    import joblib

    from trainer.store import load_model, save_model

    target = save_model(load_model(model_dir), tmp_path / "shared", metadata={}, save_format="skops")
    for claimed in ("joblib", "pickle", "", None):
        _edit_metadata(target, model_format=claimed)  # the checksums still match: metadata is not hashed
        if claimed is None:  # no model_format at all
            import json

            meta = json.loads((target / "metadata.json").read_text())
            del meta["model_format"]
            (target / "metadata.json").write_text(json.dumps(meta))

        def never(*args, **kwargs):
            raise AssertionError("a skops model was unpickled")

        monkeypatch.setattr(joblib, "load", never)
        assert load_model(target).classes_.tolist()


def test_worker_count_is_capped_at_the_cores_and_the_tasks():
    from trainer.workers import job_count

    cores = len(os.sched_getaffinity(0))
    assert job_count(100_000) == cores and job_count(-1) == cores
    assert job_count(100_000, tasks=2) == min(2, cores)
    for bad in (0, -2, -100_000):
        with pytest.raises(ValueError):
            job_count(bad)


def test_a_full_temporary_directory_is_not_blamed_on_the_data(tmp_path, monkeypatch):
    import datasets

    from trainer.data import read_data
    from trainer.errors import DataError

    def full(*args, **kwargs):
        try:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        except OSError as exc:
            raise RuntimeError("An error occurred while generating the dataset") from exc  # as datasets wraps it

    monkeypatch.setattr(datasets, "load_dataset", full)
    with pytest.raises(DataError) as caught:
        read_data([write_jsonl(tmp_path / "x.jsonl", tiny_rows())])
    message = str(caught.value)
    assert "temporary directory" in message and "No space left on device" in message and "TMPDIR" in message
    assert "line" not in message


# --- fuzzing the metadata fields ----------------------------------------------------------------


def test_any_value_in_any_metadata_field_is_read_or_refused_in_one_line(model_dir, tmp_path_factory):
    import json
    import shutil

    from click.testing import CliRunner
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from trainer.cli import main

    target = tmp_path_factory.mktemp("fuzz") / "model"
    shutil.copytree(model_dir, target)
    original = json.loads((target / "metadata.json").read_text())
    fields = sorted(k for k in original if not k.endswith(("sha256", "_file")))
    values = st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
        max_leaves=6,
    )

    @settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
    @given(field=st.sampled_from(fields), inner=st.integers(0, 20), value=values,
           command=st.sampled_from(["inspect", "evaluate", "predict"]))  # fmt: skip
    def check(field, inner, value, command):
        meta = json.loads(json.dumps(original))
        if isinstance(meta[field], dict) and meta[field] and inner:
            meta[field][sorted(meta[field])[inner % len(meta[field])]] = value  # one level down
        else:
            meta[field] = value
        (target / "metadata.json").write_text(json.dumps(meta))
        args = [command, "--model", str(target), *(["Prices rose."] if command == "predict" else [])]
        result = CliRunner().invoke(main, args)
        assert result.exit_code in (0, 1), (field, value, result.output)
        assert result.exception is None or isinstance(result.exception, SystemExit), (field, value, result.exception)

    check()
