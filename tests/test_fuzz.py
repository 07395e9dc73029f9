"""Fuzzing (issue 12): file contents, column types, encodings and model directories.

Every case either succeeds with valid output or ends in a `TrainerError` (library) or in exit 1
or 2 with one line on standard error and no traceback (CLI). Never another exception, never a hang.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import json
import shutil
import signal
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import tiny_rows
from trainer.cli import main
from trainer.config import LABELS
from trainer.data import read_data
from trainer.errors import TrainerError

SETTINGS = settings(
    max_examples=120,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
SUFFIXES = [".csv", ".tsv", ".jsonl", ".json", ".txt"]
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=6) | st.sampled_from(["", " "]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3),
    max_leaves=5,
)


class _Hang(AssertionError):
    pass


@contextlib.contextmanager
def _no_hang(seconds: float = 30.0):
    """Fail an example that runs longer than ``seconds`` instead of waiting for it forever."""

    def expired(signum, frame):
        raise _Hang(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _library(call):
    """Run ``call``: its result, or None when it raised a `TrainerError` (anything else fails the test)."""
    with _no_hang():
        try:
            return call()
        except TrainerError as exc:
            assert str(exc).strip(), "an empty message"
            return None


def _cli(args: list[str], input: bytes | None = None):
    from click.testing import CliRunner

    with _no_hang():
        result = CliRunner().invoke(main, args, input=input)
    assert result.exception is None or isinstance(result.exception, SystemExit), (args, repr(result.exception))
    assert result.exit_code in (0, 1, 2), (args, result.exit_code, result.output)
    if result.exit_code:
        assert "Traceback" not in result.stderr, (args, result.stderr)
        lines = result.stderr.strip().splitlines()
        if result.exit_code == 2:  # click's usage error: the usage, a hint, then one "Error: ..." line
            lines = [line for line in lines if line.startswith("Error:")]
        assert len(lines) == 1, (args, result.stderr)
    return result


def _check_data(data) -> None:
    if data is None:
        return
    assert len(data) > 0
    assert all(type(t) is str and t.strip() for t in data.texts)
    assert set(data.labels) <= set(LABELS) and len(set(data.labels)) >= 2
    assert len(data.docs) == len(data.texts) and all(type(d) is str for d in data.docs)


def _check_predictions(result) -> None:
    if result.exit_code:
        return
    for line in filter(None, result.stdout.split("\n")):  # not splitlines: texts may hold U+2028
        record = json.loads(line)
        assert record["label"] in LABELS, record
        assert abs(sum(record["probabilities"].values()) - 1) < 1e-5, record  # each is rounded to 6 places


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


# --- (a) file contents ---------------------------------------------------------------------------


def _valid_bytes(suffix: str) -> bytes:
    """The tiny corpus written as ``suffix`` (JSON Lines for .txt)."""
    rows = tiny_rows()
    if suffix in (".csv", ".tsv"):
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(rows[0]), delimiter="\t" if suffix == ".tsv" else ",")
        writer.writeheader()
        writer.writerows(rows)
        return out.getvalue().encode()
    if suffix == ".json":
        return json.dumps(rows).encode()
    return "".join(json.dumps(r) + "\n" for r in rows).encode()


PIECES = [
    *'{}[]:,"\n\t\r ',
    '"text"',
    '"label"',
    '"doc_id"',
    "text,label,doc_id\n",
    "text\tlabel\n",
    *(f'"{label}"' for label in LABELS),
    *LABELS,
    "null",
    "1e999",
    "-0",
    "\ufeff",
    "\x00",
    "é",
    "\u202e",
    "\ud7ff",
    "😀",
    "Prices rose.",
]
STRUCTURED = st.lists(st.sampled_from(PIECES), max_size=60).map(lambda p: "".join(p).encode())


@st.composite
def _mutated(draw, suffix: str) -> bytes:
    """A valid file of the tiny corpus, cut, spliced or overwritten at a few places."""
    data = bytearray(_valid_bytes(suffix))
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(data)))
        how = draw(st.sampled_from(["cut", "insert", "replace", "delete"]))
        junk = draw(st.binary(min_size=1, max_size=4) | st.sampled_from([b'"', b",", b"\t", b"\n", b"{", b"\xff"]))
        if how == "cut":
            del data[at:]
        elif how == "insert":
            data[at:at] = junk
        elif how == "replace":
            data[at : at + len(junk)] = junk
        else:
            del data[at : at + draw(st.integers(1, 40))]
    return bytes(data)


@st.composite
def _file(draw) -> tuple[str, bytes]:
    suffix = draw(st.sampled_from(SUFFIXES))
    content = draw(
        st.binary(max_size=200)
        | st.text(max_size=200).map(lambda t: t.encode("utf-8", "surrogatepass"))
        | STRUCTURED
        | _mutated(suffix)
    )
    return suffix, content


@given(file=_file())
@SETTINGS
def test_any_file_is_read_or_refused_by_the_data_loader(workdir, file):
    suffix, content = file
    path = workdir / f"data{suffix}"
    path.write_bytes(content)
    _check_data(_library(lambda: read_data([path])))


@given(file=_file())
@SETTINGS
def test_any_file_is_labelled_or_refused_by_predict(model_dir, workdir, file):
    suffix, content = file
    path = workdir / f"input{suffix}"
    path.write_bytes(content)
    _check_predictions(_cli(["predict", "--model", str(model_dir), "--format", "jsonl", "--file", str(path)]))


# --- (b) column types ----------------------------------------------------------------------------


@st.composite
def _rows(draw) -> list[dict]:
    """The tiny corpus with some values of text, label, doc_id and genre replaced by any JSON value."""
    rows = [dict(r, genre="news") for r in tiny_rows(with_split=False)]
    for _ in range(draw(st.integers(1, 4))):
        row = draw(st.integers(0, len(rows) - 1))
        column = draw(st.sampled_from(["text", "label", "doc_id", "genre"]))
        if draw(st.booleans()):
            rows[row][column] = draw(JSON_VALUES)
        else:  # a whole column of one odd value
            value = draw(JSON_VALUES)
            for r in rows:
                r[column] = value
    return rows


@given(rows=_rows(), suffix=st.sampled_from([".jsonl", ".json"]))
@SETTINGS
def test_any_json_type_in_any_column_is_read_or_refused(workdir, rows, suffix):
    path = workdir / f"typed{suffix}"
    text = json.dumps(rows) if suffix == ".json" else "".join(json.dumps(r) + "\n" for r in rows)
    path.write_text(text, encoding="utf-8")
    data = _library(lambda: read_data([path]))
    _check_data(data)
    if data is not None:
        assert all(type(s) is str for s in data.styles or [])


@given(rows=_rows())
@settings(SETTINGS, max_examples=40)
def test_any_json_type_in_any_column_is_one_line_for_evaluate(model_dir, workdir, rows):
    path = workdir / "evaluated.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    _cli(["evaluate", "--model", str(model_dir), "--data", str(path), "--json"])


# --- (c) encodings -------------------------------------------------------------------------------

WRITTEN_IN = ["utf-8", "utf-16", "utf-8-sig", "latin-1", "cp1252", "utf-32"]
READ_AS = [
    *WRITTEN_IN,
    "utf-16-le",
    "ascii",
    "utf-7",
    "idna",
    "punycode",
    "unicode_escape",
    "raw_unicode_escape",
    "undefined",
    "mbcs",
    "no-such-codec",
    "",
    "utf-9",
    "rot13",
    "base64",
    "hex",
    "zlib",
    "uu",
]
SENTENCES = [r["text"] for r in tiny_rows()] + ["Café prices rose €3.", "Il a dit « non ».", "Цены выросли."]


@st.composite
def _encoded(draw) -> tuple[bytes, str]:
    """Labelled JSON Lines (or plain lines) in one encoding, unencodable characters replaced."""
    rows = tiny_rows()
    extra = draw(st.lists(st.sampled_from(SENTENCES) | st.text(max_size=20), max_size=3))
    for i, text in enumerate(extra):
        rows[i * 3] = dict(rows[i * 3], text=text or "x")
    body = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    written = draw(st.sampled_from(WRITTEN_IN))
    return body.encode(written, "replace") if written != "utf-16" else body.encode(written, "surrogatepass"), written


# unicode_escape warns (DeprecationWarning) about escapes such as '\\ ': a warning, not an error.
ESCAPES_WARN = pytest.mark.filterwarnings("ignore:invalid (octal )?escape sequence:DeprecationWarning")


@ESCAPES_WARN
@given(encoded=_encoded(), read_as=st.sampled_from(READ_AS), suffix=st.sampled_from([".jsonl", ".csv", ".txt"]))
@SETTINGS
def test_any_encoding_is_read_or_refused(model_dir, workdir, encoded, read_as, suffix):
    content, _ = encoded
    path = workdir / f"encoded{suffix}"
    path.write_bytes(content)
    if suffix != ".txt":
        _check_data(_library(lambda: read_data([path], encoding=read_as)))
    args = ["predict", "--model", str(model_dir), "--format", "jsonl", "--file", str(path), "--encoding", read_as]
    _check_predictions(_cli(args))


@ESCAPES_WARN
@given(encoded=_encoded(), read_as=st.sampled_from(READ_AS))
@settings(SETTINGS, max_examples=40)
def test_any_encoding_of_standard_input_is_labelled_or_refused(model_dir, encoded, read_as):
    content, _ = encoded
    args = ["predict", "--model", str(model_dir), "--format", "jsonl", "--encoding", read_as, "--no-split"]
    _check_predictions(_cli(args, input=content))


# --- (d) model directories -----------------------------------------------------------------------

HUGE = st.sampled_from([10**30, -(10**30), 1e308, -1e308, 2**63, 2**64 + 1, 0, -1])
JUNK = st.recursive(
    JSON_VALUES | HUGE,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3),
    max_leaves=6,
)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def original_model(model_dir, tmp_path_factory) -> Path:
    """A copy of the tiny model that the tests below copy again and damage."""
    target = tmp_path_factory.mktemp("fuzz-model") / "original"
    shutil.copytree(model_dir, target)
    return target


def _fresh_copy(original: Path, workdir: Path) -> Path:
    target = workdir / "model"
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(original, target)
    return target


@st.composite
def _metadata_change(draw):
    """A change to metadata.json: a field (or one inside it) set to junk, deleted or added."""
    how = draw(st.sampled_from(["set", "delete", "add", "nested", "format_version", "replace_all"]))
    return how, draw(st.integers(0, 1000)), draw(JUNK), draw(st.text(max_size=6))


def _apply(meta: dict, change) -> object:
    how, pick, value, name = change
    keys = sorted(meta)
    key = keys[pick % len(keys)]
    if how == "set":
        meta[key] = value
    elif how == "delete":
        del meta[key]
    elif how == "add":
        meta[name or "extra"] = value
    elif how == "nested":
        inner = meta[key]
        if isinstance(inner, dict) and inner:
            inner[sorted(inner)[pick % len(inner)]] = value
        elif isinstance(inner, list) and inner:
            inner[pick % len(inner)] = value
        else:
            meta[key] = value
    elif how == "format_version":
        meta["format_version"] = value if pick % 2 else meta["format_version"] + (pick % 5) - 2
    else:
        return value  # the whole file: any JSON value
    return meta


@given(change=_metadata_change(), command=st.sampled_from(["load_model", "predict", "inspect"]))
@SETTINGS
def test_any_metadata_is_loaded_or_refused(original_model, workdir, change, command):
    # metadata.json itself is not hashed: the checksums recorded in it still match the files.
    target = _fresh_copy(original_model, workdir)
    meta = json.loads((target / "metadata.json").read_text())
    (target / "metadata.json").write_text(json.dumps(_apply(meta, change)))
    if command == "load_model":
        import trainer

        model = _library(lambda: trainer.load_model(target))
        if model is not None:
            assert set(model.predict(["Prices rose 3% in May."])) <= set(LABELS)
    else:
        args = [
            command,
            "--model",
            str(target),
            *(["--format", "jsonl", "Prices rose."] if command == "predict" else []),
        ]
        result = _cli(args)
        if command == "predict":
            _check_predictions(result)


@st.composite
def _arrays_change(draw, names: list[str]):
    how = draw(st.sampled_from(["drop", "reshape", "dtype", "truncate", "grow", "scalar", "extra", "values"]))
    return (
        how,
        draw(st.sampled_from(names)),
        draw(st.integers(0, 7)),
        draw(st.sampled_from(["f8", "i4", "U3", "u1", "?"])),
    )


def _changed_arrays(arrays: dict, change) -> dict:
    how, name, n, dtype = change
    arrays = dict(arrays)
    a = arrays[name]
    if how == "drop":
        del arrays[name]
    elif how == "reshape":
        arrays[name] = a.reshape(-1) if a.ndim > 1 else a.reshape(1, -1)
    elif how == "dtype":
        with contextlib.suppress(ValueError, TypeError, OverflowError):
            arrays[name] = a.astype(dtype)
    elif how == "truncate":
        arrays[name] = a[: n % max(len(a), 1)] if a.ndim else a
    elif how == "grow":
        arrays[name] = np.concatenate([a.reshape(-1)] * (n + 2)) if a.size else np.zeros(n + 1)
    elif how == "scalar":
        arrays[name] = np.array(n)
    elif how == "extra":
        arrays[f"extra{n}"] = np.arange(n)
    elif a.dtype.kind in "iuf" and a.size:
        values = a.copy().reshape(-1)
        with contextlib.suppress(OverflowError):  # -1 in an unsigned array
            values[n % values.size] = [-1, 10**6, np.iinfo(np.int32).max, 0][n % 4] if a.dtype.kind in "iu" else np.nan
        arrays[name] = values.reshape(a.shape)
    return arrays


def _arrays(path: Path) -> dict:
    with np.load(path, allow_pickle=False) as data:
        return {name: data[name] for name in data.files}


@given(
    data=st.data(),
    name=st.sampled_from(["inference.npz", "evaluation.npz"]),
    rehash=st.booleans(),
    command=st.sampled_from(["load", "predict", "evaluate"]),
)
@SETTINGS
def test_any_array_file_is_used_or_refused(original_model, workdir, data, name, rehash, command):
    arrays = _arrays(original_model / name)
    change = data.draw(_arrays_change(sorted(arrays)))
    target = _fresh_copy(original_model, workdir)
    with (target / name).open("wb") as f:
        np.savez(f, **_changed_arrays(arrays, change))
    if rehash:  # reach the checks of the arrays, not only the checksum
        meta = json.loads((target / "metadata.json").read_text())
        meta[name.replace(".npz", "_sha256")] = _sha256(target / name)
        (target / "metadata.json").write_text(json.dumps(meta))
    if command == "load":
        from trainer.store import load_evaluation_record, load_predictor

        loaded = _library(lambda: (load_predictor if name == "inference.npz" else load_evaluation_record)(target))
        if loaded is not None and name == "inference.npz":
            assert set(loaded.predict(["Prices rose 3% in May."])) <= set(LABELS)
    elif command == "predict":
        _check_predictions(_cli(["predict", "--model", str(target), "--format", "jsonl", "Prices rose."]))
    else:
        _cli(["evaluate", "--model", str(target)])


@given(content=st.binary(max_size=300), name=st.sampled_from(["inference.npz", "model.joblib", "evaluation.npz"]))
@SETTINGS
def test_any_bytes_as_a_model_file_with_its_checksum_are_refused(original_model, workdir, content, name):
    target = _fresh_copy(original_model, workdir)
    (target / name).write_bytes(content)
    meta = json.loads((target / "metadata.json").read_text())
    key = {"inference.npz": "inference_sha256", "model.joblib": "model_sha256", "evaluation.npz": "evaluation_sha256"}
    meta[key[name]] = _sha256(target / name)
    (target / "metadata.json").write_text(json.dumps(meta))
    if name == "model.joblib":
        import trainer

        assert _library(lambda: trainer.load_model(target)) is None
    else:
        command = ["predict", "Prices rose."] if name == "inference.npz" else ["evaluate"]
        assert _cli([*command, "--model", str(target)]).exit_code == 1
