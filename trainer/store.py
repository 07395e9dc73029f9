"""Save and load model directories: model file, ``metadata.json`` and a model card.

A save writes everything into a temporary directory beside the target and then
renames it into place, so an interrupted or failed fit leaves the previous model
whole. A load checks the format version and the model file's SHA-256 before it
unpickles anything, and warns (or, when strict, refuses) when the model was
saved with another scikit-learn version.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import re
import secrets
import shutil
import stat
import time
import warnings
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .config import FORMAT_VERSION, LABELS, SAVE_FORMATS
from .errors import ModelError

if TYPE_CHECKING:
    from sklearn.pipeline import Pipeline

__all__ = ["SAVE_FORMATS", "ModelVersionWarning", "check_replaceable", "load_model", "read_metadata", "save_model"]

logger = logging.getLogger(__name__)

METADATA = "metadata.json"
CARD = "README.md"
INFERENCE = "inference.npz"
EVALUATION = "evaluation.npz"  # trainer.evaluation_record.EVALUATION
# Types a skops model file may hold beyond skops' own safe defaults. Pinned here,
# never read from the file: anything else is refused before loading.
TRUSTED_SKOPS_TYPES: tuple[str, ...] = ("trainer.features.transformer.TextFeatures",)
_FORMAT_OF_FILE = {name: fmt for fmt, name in SAVE_FORMATS.items()}
# What reading a damaged .npz file raises: a file that starts like a zip but is none raises BadZipFile.
_UNREADABLE = (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile)


class ModelVersionWarning(UserWarning):
    """The model was saved with another scikit-learn version than the one loading it."""


def _directory(path: str | Path | None) -> Path:
    """``path``, or the default model directory (`trainer.paths.default_model_dir`) when it is None."""
    from .paths import default_model_dir

    return default_model_dir() if path is None else Path(path)


def sha256_file(path: Path) -> str:
    """Return the hex SHA-256 of a file, read in blocks."""
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def save_model(
    pipeline: Pipeline,
    directory: str | Path | None = None,
    *,
    metadata: dict[str, Any],
    save_format: str = "joblib",
    card: str = "",
    record: Any = None,
) -> Path:
    """Write a fitted pipeline and its metadata into a model directory, atomically.

    Parameters
    ----------
    pipeline : sklearn.pipeline.Pipeline
        The fitted pipeline.
    directory : str or Path, optional
        Target directory (default: `trainer.paths.default_model_dir`); an existing
        model there is replaced only once the new one is complete.
    metadata : dict
        Written to ``metadata.json`` with the format version, file name and
        SHA-256 of the model file added.
    save_format : {"joblib", "skops"}
        ``skops`` files can be loaded from untrusted sources without running code.
    card : str
        Markdown written to ``README.md`` (the model card).
    record : trainer.evaluation_record.EvaluationRecord, optional
        Held-out predictions and training-text hashes, written to ``evaluation.npz``.

    Returns
    -------
    Path
        The model directory.

    Raises
    ------
    ModelError
        If the target exists and is not a model directory, or cannot be written.
    """
    target = _directory(directory)
    if save_format not in SAVE_FORMATS:
        raise ModelError(f"Expected a save format in {sorted(SAVE_FORMATS)} but found {save_format!r}.")
    real = check_replaceable(target)  # before anything is written; a symlink's target is replaced via the link
    try:
        real.parent.mkdir(parents=True, exist_ok=True)
        with _locked(real):  # recovery never sees a save's lock file before the save holds it
            _recover(real)
            save = _Temporaries(real)
    except OSError as exc:
        raise ModelError(
            f"Cannot write a model to {target}: {exc.strerror}. Pass a writable --model directory."
        ) from None
    tmp = save.tmp
    try:
        model_file = tmp / SAVE_FORMATS[save_format]
        if save_format == "skops":
            import skops.io

            skops.io.dump(pipeline, model_file)
        else:
            import joblib

            joblib.dump(pipeline, model_file)
        meta = {
            "format_version": FORMAT_VERSION,
            **metadata,
            "model_file": model_file.name,
            "model_format": save_format,
            "model_sha256": sha256_file(model_file),
        }
        from .predictor import Predictor

        try:
            predictor = Predictor.from_pipeline(pipeline)
        except ValueError as exc:
            raise ModelError(f"Cannot save this model: {exc}. Build it with trainer.build_pipeline().") from None
        predictor.save(tmp / INFERENCE)
        meta["inference_file"] = INFERENCE
        meta["inference_sha256"] = sha256_file(tmp / INFERENCE)
        if record is not None:
            record.save(tmp / EVALUATION)
            meta["evaluation_file"] = EVALUATION
            meta["evaluation_sha256"] = sha256_file(tmp / EVALUATION)
        (tmp / METADATA).write_text(json.dumps(meta, indent=2, sort_keys=False) + "\n", encoding="utf-8")
        (tmp / CARD).write_text(card, encoding="utf-8")
        for path in tmp.iterdir():
            with path.open("rb") as f:
                os.fsync(f.fileno())
        with _locked(real):
            check_replaceable(target)  # again: a file may have been put there during the save
            os.chmod(tmp, stat.S_IMODE(real.stat().st_mode) if real.is_dir() else 0o777 & ~_umask())
            _swap_into_place(tmp, real, save.old)
    except OSError as exc:  # a full disk, a quota, a read-only file system: the previous model is untouched
        kept = " The previous model there was left as it was." if os.path.isdir(real) else ""
        raise ModelError(
            f"Cannot write a model to {target}: {exc.strerror or exc}.{kept} Free some space or pass another "
            "--model directory."
        ) from None
    finally:
        save.close()
    return target


@contextlib.contextmanager
def _locked(target: Path):
    """Serialise swaps into ``target`` between processes (two fits never mix)."""
    import fcntl

    lock_path = target.parent / f".{target.name}.lock"
    with lock_path.open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def check_replaceable(directory: str | Path) -> Path:
    """Refuse, before anything is written, a save that would delete files trainer did not write.

    The one test of "is this a model directory": a missing or empty directory, or
    one with a ``metadata.json`` whose ``format_version`` is an integer and
    nothing but the files a save writes (model file, ``inference.npz``,
    ``metadata.json``, ``README.md``).

    Parameters
    ----------
    directory : str or Path
        The ``--model`` directory; a symlink to a directory is followed.

    Returns
    -------
    Path
        The real directory a save replaces (a symlink's target; the link is kept).

    Raises
    ------
    ModelError
        If ``directory`` holds anything else, naming what is in the way.
    """
    target = Path(directory)
    real = Path(os.path.realpath(target))
    if not os.path.lexists(real):
        return real
    _refuse_the_working_directory(target, real)
    if not real.is_dir():
        raise ModelError(
            f"{target} exists and is not a trainer model directory, so it was left alone. "
            "Pass another --model directory."
        )
    try:
        entries = sorted(real.iterdir())
    except OSError as exc:
        raise ModelError(f"Cannot read {target}: {exc.strerror}. Pass another --model directory.") from None
    if not entries:
        return real
    names = [p.name + ("/" if p.is_dir() else "") for p in entries]
    if not _has_format_version(real / METADATA):
        why = f"its {METADATA} has no format version" if METADATA in names else f"it has no {METADATA}"
        raise ModelError(
            f"{target} is not a trainer model directory, so it was left alone: it holds {_listing(names)} and "
            f"{why}. Pass another --model directory."
        )
    foreign = [n for p, n in zip(entries, names, strict=True) if n not in _MODEL_FILES or p.is_symlink()]
    if foreign:
        raise ModelError(
            f"{target} holds {_listing(foreign)}, which trainer did not write, so it was left alone (a model "
            f"directory holds only {', '.join(sorted(_MODEL_FILES))}). Move them out or pass another --model "
            "directory."
        )
    return real


def _refuse_the_working_directory(target: Path, real: Path) -> None:
    """A save replaces the directory: never the one this process (and its shell) runs in, or one above it."""
    try:
        cwd = Path(os.path.realpath(os.getcwd()))
    except OSError:
        return
    if cwd == real or real in cwd.parents:
        raise ModelError(
            f"{target} is the current directory or holds it, so it was left alone: a fit replaces the whole "
            f"directory, and the shell would be left in a deleted one. Run the fit from outside it, e.g. "
            f"`cd {real.parent} && trainer fit --model {real.name}`."
        )


_MODEL_FILES = frozenset({*SAVE_FORMATS.values(), INFERENCE, EVALUATION, METADATA, CARD})


def _has_format_version(path: Path) -> bool:
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return False
    return isinstance(meta, dict) and type(meta.get("format_version")) is int


def _listing(names: list[str], most: int = 5) -> str:
    shown = ", ".join(names[:most])
    return shown + (f" and {len(names) - most} more" if len(names) > most else "")


def _umask() -> int:
    mask = os.umask(0o077)
    os.umask(mask)
    return mask


# Leftovers beside a model NAME: ".NAME.tmp-TOKEN" (a save being written), ".NAME.old-TOKEN" (the
# previous model, aside during the swap) and ".NAME.lock-TOKEN", which the save holds locked (flock)
# while it lives. TOKEN is random per save. Matched by exact prefix, never by a glob built from NAME.
_TOKEN = re.compile(r"[0-9a-f]{16}")
# Names of older trainers (PID-based, no lock file): a temporary of theirs is removed only once old.
_LEGACY = {"old": re.compile(r"\d+"), "tmp": re.compile(r"\d+-[a-z0-9_]{8}")}
_STALE_SECONDS = 6 * 3600


class _Temporaries:
    """The temporary directory, backup name and liveness lock of one save."""

    def __init__(self, target: Path):
        import fcntl

        token = secrets.token_hex(8)
        self.tmp, self.old = _leftover(target, "tmp", token), _leftover(target, "old", token)
        self.lock_path = _leftover(target, "lock", token)
        self._lock = self.lock_path.open("a")
        try:
            fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            os.mkdir(self.tmp, 0o700)
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)
        with contextlib.suppress(OSError):
            self.lock_path.unlink()
        self._lock.close()


def _leftover(target: Path, kind: str, token: str) -> Path:
    return target.parent / f".{target.name}.{kind}-{token}"


def _leftovers(target: Path):
    """(kind, token or None for an older trainer's name, path) of each leftover of ``target``."""
    try:
        entries = list(os.scandir(target.parent))
    except OSError:
        return
    for entry in sorted(entries, key=lambda e: e.name):
        for kind in ("old", "tmp", "lock"):
            prefix = f".{target.name}.{kind}-"
            if entry.name.startswith(prefix):
                rest = entry.name[len(prefix) :]
                if _TOKEN.fullmatch(rest):
                    yield kind, rest, Path(entry.path)
                elif kind in _LEGACY and _LEGACY[kind].fullmatch(rest):
                    yield kind, None, Path(entry.path)


def _in_use(target: Path, token: str | None) -> bool:
    """Whether the save that owns ``token`` is alive: its lock file is locked (seen across containers)."""
    import fcntl

    if token is None:
        return False
    try:
        fd = os.open(_leftover(target, "lock", token), os.O_RDONLY)
    except OSError:
        return False  # a save creates its lock first and removes it last
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return True
    finally:
        os.close(fd)
    return False


def _remove(path: Path) -> None:
    with contextlib.suppress(OSError):
        os.chmod(path, 0o700)  # a read-only model directory can still be emptied
    shutil.rmtree(path, ignore_errors=True)


def _age(path: Path) -> float:
    try:
        return time.time() - path.stat().st_mtime
    except OSError:
        return 0.0


def _has_backup(target: Path) -> bool:
    return any(kind == "old" for kind, _, _ in _leftovers(target))


def _swap_into_place(tmp: Path, target: Path, old: Path) -> None:
    if os.path.lexists(target):
        os.rename(target, old)
    os.rename(tmp, target)
    if os.path.lexists(old):
        _remove(old)


def _recover(target: Path) -> None:
    """Restore a model left aside by a save killed mid-swap; drop the leftovers of dead saves only."""
    found = list(_leftovers(target))
    for kind, token, path in found:
        if kind == "lock" or _in_use(target, token):
            continue
        if kind == "old":
            if not os.path.lexists(target) and (path / METADATA).is_file():
                os.rename(path, target)
            else:
                _remove(path)
        elif token is not None or _age(path) > _STALE_SECONDS:
            _remove(path)
    for kind, token, path in found:
        if kind == "lock" and not _in_use(target, token):
            with contextlib.suppress(OSError):
                path.unlink()


def read_metadata(directory: str | Path | None = None) -> dict[str, Any]:
    """Read and check a model directory's ``metadata.json``.

    Parameters
    ----------
    directory : str or Path, optional
        The model directory (default: `trainer.paths.default_model_dir`).

    Returns
    -------
    dict
        The metadata.

    Raises
    ------
    ModelError
        If the directory or its metadata is missing, unreadable, has a field of
        the wrong type or is from a newer format version.
    """
    return _open_version(_directory(directory), lambda meta: [])[0]


class _Replaced(Exception):
    """The model directory was replaced by a fit while it was being opened: open it again."""


# Top-level metadata fields other code reads, and the JSON type each must have when present.
_FIELD_TYPES: dict[str, tuple[type, str]] = {
    **{name: (dict, "an object") for name in ("versions", "data", "hyperparameters", "search", "heldout_metrics")},
    "calibration": (dict, "an object"),
    **{
        name: (str, "a string")
        for name in ("model_file", "model_sha256", "model_format", "inference_file", "inference_sha256", "created")
    },
    "evaluation_file": (str, "a string"),
    "evaluation_sha256": (str, "a string"),
    "labels": (list, "a list"),
}
_JSON_TYPE = {dict: "an object", list: "a list", str: "a string", bool: "a boolean", int: "a number", float: "a number"}


def _open_version(directory: Path, files) -> tuple[dict[str, Any], list[Any]]:
    """The one place that opens a model version: its metadata and files, all from one directory.

    The directory is opened once (a descriptor) and ``metadata.json`` and every file
    that ``files(meta)`` names, as ``(name, expected SHA-256)``, are opened relative to
    it and verified, so a fit that swaps a new version in meanwhile never mixes old
    metadata with new files. If the checks fail because the directory was replaced,
    it is opened again (after the swap's lock is free), up to three times.

    Returns
    -------
    (dict, list of binary files)
        The metadata and the verified files, each open and at its start (the caller closes them).
    """
    for attempt in range(3):
        try:
            return _open_version_once(directory, files, last=attempt == 2)
        except _Replaced:
            real = Path(os.path.realpath(directory))
            with contextlib.suppress(OSError), _locked(real):  # wait for the swap in progress to finish
                pass
    raise AssertionError("unreachable")  # the last attempt raises ModelError instead of _Replaced


def _open_version_once(directory: Path, files, *, last: bool) -> tuple[dict[str, Any], list[Any]]:
    real = Path(os.path.realpath(directory))
    if not real.exists() and _has_backup(real):
        _put_back(real, directory)
    try:
        fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    except OSError as exc:
        if not last and _has_backup(real):
            raise _Replaced from None  # between the two renames of a swap
        if isinstance(exc, (FileNotFoundError, NotADirectoryError)):
            raise ModelError(
                f"No model directory at {directory}. Train one with `trainer fit --model {directory}` or pass "
                "--model DIR."
            ) from None
        raise ModelError(f"Cannot read {directory}: {exc.strerror}. Pass another --model directory.") from None
    opened: list[Any] = []
    try:
        meta = _metadata_at(fd, directory)
        for name, expected in files(meta):
            opened.append(_verified_at(fd, directory, name, expected))
        return meta, opened
    except ModelError:
        for f in opened:
            f.close()
        if not last and _replaced(directory, fd):
            raise _Replaced from None
        raise
    finally:
        os.close(fd)


def _replaced(directory: Path, fd: int) -> bool:
    """Whether ``directory`` no longer names the directory open as ``fd``."""
    try:
        now, opened = os.stat(directory), os.fstat(fd)
    except OSError:
        return True
    return (now.st_dev, now.st_ino) != (opened.st_dev, opened.st_ino)


def _put_back(real: Path, directory: Path) -> None:
    """Put back the model that a fit killed mid-swap left aside; explain in one line if that fails."""
    try:
        with _locked(real):
            _recover(real)
    except OSError as exc:
        if real.exists():
            return
        backup = next((path for kind, _, path in _leftovers(real) if kind == "old"), None)
        raise ModelError(
            f"{directory} is missing: a fit was killed while replacing it and the previous model, left at "
            f"{backup}, could not be put back ({exc.strerror or exc}). Rename {backup} to {real}, or make "
            f"{real.parent} writable and run again."
        ) from None


def _metadata_at(fd: int, directory: Path) -> dict[str, Any]:
    meta_path = directory / METADATA
    try:
        with os.fdopen(os.open(METADATA, os.O_RDONLY, dir_fd=fd), "rb") as f:
            raw = f.read()
    except (FileNotFoundError, IsADirectoryError):
        raise ModelError(
            f"{directory} is not a complete model directory: {METADATA} is missing. "
            f"Re-run `trainer fit --model {directory}`."
        ) from None
    except OSError as exc:
        raise ModelError(f"{meta_path} cannot be read ({exc}). Re-run `trainer fit --model {directory}`.") from None
    try:
        meta = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelError(f"{meta_path} cannot be read ({exc}). Re-run `trainer fit --model {directory}`.") from None
    if not isinstance(meta, dict) or "model_sha256" not in meta or "model_file" not in meta:
        raise ModelError(
            f"{meta_path} lacks the model file's name or checksum. Re-run `trainer fit --model {directory}`."
        )
    version = meta.get("format_version")
    if type(version) is not int or version > FORMAT_VERSION:
        raise ModelError(
            f"{directory} has model format version {version!r} but this trainer reads version "
            f"{FORMAT_VERSION}. Upgrade trainer (pip install -U trainer) or re-train the model."
        )
    if version < FORMAT_VERSION:
        raise ModelError(
            f"{directory} was written by an older trainer (model format {version}, other features) and cannot be "
            f"used. Re-train it with `trainer fit --model {directory}`."
        )
    for field, (expected, described) in _FIELD_TYPES.items():
        if field in meta and not isinstance(meta[field], expected):
            found = _JSON_TYPE.get(type(meta[field]), "null")
            raise ModelError(
                f"{meta_path} is damaged: its field '{field}' should be {described} but is {found}. "
                f"Re-run `trainer fit --model {directory}`."
            )
    problem = next(filter(None, (_shape_problem(meta[k], shape, k) for k, shape in _SHAPES.items() if k in meta)), None)
    metrics = meta.get("heldout_metrics")
    if problem is None and metrics is not None:
        labels, matrix = metrics["labels"], metrics["confusion_matrix"]
        if any(label not in metrics["per_label"] for label in labels):
            problem = "its field 'heldout_metrics.per_label' lacks a label of 'heldout_metrics.labels'"
        elif len(matrix) != len(labels) or any(len(row) != len(labels) for row in matrix):
            problem = "its field 'heldout_metrics.confusion_matrix' is not one row and column per label"
    if problem is not None:
        raise ModelError(f"{meta_path} is damaged: {problem}. Re-run `trainer fit --model {directory}`.")
    return meta


# The nested shape of the fields that other code reads, as trainer writes them: a type (or tuple of
# types, None for null) is checked with isinstance; {KEY: shape} checks the keys present ("*": every
# key; "!": these keys must be present); [shape] checks every item.
_NUM = (int, float)
_SCORES = {"precision": _NUM, "recall": _NUM, "f1": _NUM, "support": int}
_SHAPES: dict[str, Any] = {
    "versions": {"*": str},
    "data": {
        "sources": str, "sha256": str, "sentences": int, "documents": int, "label_counts": {"*": int},
        "heldout_sentences": int, "train_sentences": int, "split": str,
    },
    "heldout_metrics": {
        "!": ("labels", "per_label", "macro", "accuracy", "support", "confusion_matrix"),
        "labels": [str], "per_label": {"*": {"!": tuple(_SCORES), **_SCORES}},
        "macro": {"!": ("precision", "recall", "f1"), **_SCORES}, "accuracy": _NUM, "support": int,
        "confusion_matrix": [[int]],
    },
    "search": {
        "enabled": bool, "cv_folds": int, "cv_macro_f1": (*_NUM, type(None)), "grouped_by": str,
        "shift_aware": bool, "space": {"*": list},
    },
    "calibration": {"temperature": (*_NUM, type(None)), "fitted_on": str},
    "labels": [str],
}  # fmt: skip


def _shape_problem(value: Any, shape: Any, where: str) -> str | None:
    """What is wrong with ``value`` against ``shape`` (see `_SHAPES`), or None."""
    if isinstance(shape, dict):
        if not isinstance(value, dict):
            return f"its field '{where}' should be an object but is {_JSON_TYPE.get(type(value), 'null')}"
        missing = [k for k in shape.get("!", ()) if k not in value]
        if missing:
            return f"its field '{where}' lacks {', '.join(repr(k) for k in missing)}"
        for key, item in value.items():
            inner = shape.get(key, shape.get("*"))
            problem = None if inner is None or key == "!" else _shape_problem(item, inner, f"{where}.{key}")
            if problem:
                return problem
        return None
    if isinstance(shape, list):
        if not isinstance(value, list):
            return f"its field '{where}' should be a list but is {_JSON_TYPE.get(type(value), 'null')}"
        return next(filter(None, (_shape_problem(v, shape[0], f"{where}[{i}]") for i, v in enumerate(value))), None)
    allowed = shape if isinstance(shape, tuple) else (shape,)
    if isinstance(value, bool) and bool not in allowed:  # JSON true is not a number here
        return f"its field '{where}' should be {_described(allowed)} but is a boolean"
    if not isinstance(value, allowed):
        return f"its field '{where}' should be {_described(allowed)} but is {_JSON_TYPE.get(type(value), 'null')}"
    return None


def _described(types: tuple) -> str:
    names = dict.fromkeys("null" if t is type(None) else _JSON_TYPE.get(t, t.__name__) for t in types)
    return " or ".join(names)


def _verified_at(fd: int, directory: Path, name: str, expected: object) -> Any:
    """A model directory's file, opened relative to the directory's descriptor, once its SHA-256 matches."""
    missing = ModelError(
        f"{directory} is not a complete model directory: {name} is missing. Re-run `trainer fit --model {directory}`."
    )
    if not isinstance(name, str) or name in ("", ".", "..") or "/" in name or "\0" in name:
        raise missing
    path = directory / name
    try:
        f = os.fdopen(os.open(name, os.O_RDONLY, dir_fd=fd), "rb")
    except OSError:
        raise missing from None
    try:
        if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):
            raise missing
        h = hashlib.sha256()
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
        if h.hexdigest() != expected:
            raise ModelError(
                f"The checksum of {path} does not match {METADATA}: the file was changed or truncated. "
                f"Restore it or re-run `trainer fit --model {directory}`."
            )
        f.seek(0)
    except BaseException:
        f.close()
        raise
    return f


def load_model(path: str | Path | None = None, *, strict: bool = False) -> Pipeline:
    """Load a fitted model from a model directory.

    The model file's SHA-256 is checked against ``metadata.json`` before it is
    unpickled. joblib files are pickles: load only models you trust, or save
    with ``save_format="skops"``, whose files are checked against a pinned list
    of types and run no code on load.

    Parameters
    ----------
    path : str or Path, optional
        The model directory (default: `trainer.paths.default_model_dir`).
    strict : bool
        Refuse, rather than warn about, a model saved with another
        scikit-learn version.

    Returns
    -------
    sklearn.pipeline.Pipeline
        The fitted pipeline, with ``predict``, ``predict_proba`` and ``classes_``.

    Raises
    ------
    ModelError
        If the model is missing, incomplete, damaged, untrusted or incompatible.

    Examples
    --------
    >>> import trainer
    >>> model = trainer.load_model("models/default")  # doctest: +SKIP
    >>> model.predict(["Prices rose 3% in May."])  # doctest: +SKIP
    array(['reported_fact'], dtype=object)
    """
    return load_model_with_metadata(path, strict=strict)[0]


def load_model_with_metadata(path: str | Path | None = None, *, strict: bool = False) -> tuple[Pipeline, dict]:
    """Like `load_model`, but also return the metadata."""
    directory = _directory(path)
    meta, (stream,) = _open_version(directory, lambda meta: [(meta["model_file"], meta["model_sha256"])])
    model_file = directory / meta["model_file"]
    with stream:
        _check_versions(meta, directory, strict=strict)
        model = _unpickle(model_file, stream)
    classes = [str(c) for c in getattr(model, "classes_", [])]
    if not hasattr(model, "predict_proba") or not classes or not set(classes) <= set(LABELS):
        raise ModelError(
            f"{model_file} does not hold a fitted classifier of the labels {list(LABELS)}. "
            "Re-train it with `trainer fit`."
        )
    _check_featurizer(getattr(model[0], "featurizer_version_", None), directory)
    return model, meta


def _check_featurizer(version: object, directory: Path) -> None:
    from .features import FEATURIZER_VERSION

    if version != FEATURIZER_VERSION:
        raise ModelError(
            f"{directory} computes features by the rules of featurizer version {version!r}, but this trainer "
            f"has version {FEATURIZER_VERSION}. Re-train it with `trainer fit --model {directory}`."
        )


def load_predictor(path: str | Path | None = None, *, strict: bool = False) -> Any:
    """Load the `trainer.predictor.Predictor` of a saved model: no scikit-learn, no pickle.

    It reads ``inference.npz`` (plain arrays) after checking the checksums of
    both model files and the versions, as `load_model` does. Its labels are those
    of the pipeline that `load_model` returns, and its probabilities agree with it
    to 1e-9 (tested).

    Parameters
    ----------
    path : str or Path, optional
        The model directory (default: `trainer.paths.default_model_dir`).
    strict : bool
        Refuse a model saved with another scikit-learn version.

    Returns
    -------
    Predictor

    Raises
    ------
    ModelError
        If the model is missing, incomplete, damaged or incompatible.
    """
    return load_predictor_with_metadata(path, strict=strict)[0]


def load_predictor_with_metadata(path: str | Path | None = None, *, strict: bool = False) -> tuple[Any, dict]:
    """Like `load_predictor`, but also return the metadata (of the same version)."""
    directory = _directory(path)

    def files(meta: dict) -> list[tuple[str, object]]:
        if meta.get("inference_file") != INFERENCE:
            raise ModelError(
                f"{directory} has no {INFERENCE} (its {METADATA} names none). Re-run `trainer fit --model {directory}`."
            )
        return [(meta["model_file"], meta["model_sha256"]), (INFERENCE, meta.get("inference_sha256"))]

    meta, (model_stream, stream) = _open_version(directory, files)
    model_stream.close()
    inference = directory / INFERENCE
    from .predictor import Predictor

    with stream:
        _check_versions(meta, directory, strict=strict)
        try:
            return Predictor.load(stream), meta
        except _UNREADABLE as exc:
            message = f"{inference} could not be loaded: {exc}. Re-run `trainer fit --model {directory}`."
            raise ModelError(message) from None


def load_for_evaluation(path: str | Path | None = None) -> tuple[Any, dict, Any]:
    """The predictor, metadata and evaluation record of one model version, opened once.

    Returns
    -------
    (Predictor, dict, EvaluationRecord or None)

    Raises
    ------
    ModelError
        As `load_predictor` and `load_evaluation_record`.
    """
    directory = _directory(path)

    def files(meta: dict) -> list[tuple[str, object]]:
        if meta.get("inference_file") != INFERENCE:
            raise ModelError(
                f"{directory} has no {INFERENCE} (its {METADATA} names none). Re-run `trainer fit --model {directory}`."
            )
        found = [(meta["model_file"], meta["model_sha256"]), (INFERENCE, meta.get("inference_sha256"))]
        if meta.get("evaluation_file") == EVALUATION:
            found.append((EVALUATION, meta.get("evaluation_sha256")))
        return found

    meta, opened = _open_version(directory, files)
    opened[0].close()
    from .evaluation_record import EvaluationRecord
    from .predictor import Predictor

    loaded = []
    for (name, kind), stream in zip(((INFERENCE, Predictor), (EVALUATION, EvaluationRecord)), opened[1:], strict=False):
        with stream:
            try:
                loaded.append(kind.load(stream))
            except _UNREADABLE as exc:
                message = f"{directory / name} could not be loaded: {exc}. Re-run `trainer fit --model {directory}`."
                raise ModelError(message) from None
    _check_versions(meta, directory, strict=False)
    return loaded[0], meta, loaded[1] if len(loaded) > 1 else None


def load_evaluation_record(path: str | Path | None = None) -> Any:
    """The `trainer.evaluation_record.EvaluationRecord` of a model directory, checksum verified.

    Returns
    -------
    EvaluationRecord or None
        None for a model saved without one (by `save_model` called directly).

    Raises
    ------
    ModelError
        If the file is missing, changed or unreadable.
    """
    directory = _directory(path)

    def files(meta: dict) -> list[tuple[str, object]]:
        return [(EVALUATION, meta.get("evaluation_sha256"))] if meta.get("evaluation_file") == EVALUATION else []

    _, opened = _open_version(directory, files)
    if not opened:
        return None
    from .evaluation_record import EvaluationRecord

    verified = directory / EVALUATION
    with opened[0] as stream:
        try:
            return EvaluationRecord.load(stream)
        except _UNREADABLE as exc:
            message = f"{verified} could not be loaded: {exc}. Re-run `trainer fit --model {directory}`."
            raise ModelError(message) from None


def _is_zip(stream: Any) -> bool:
    head = stream.read(4)
    stream.seek(0)
    return head == b"PK\x03\x04"


def _check_versions(meta: dict, directory: Path, *, strict: bool) -> None:
    import importlib.metadata

    versions = meta.get("versions")
    saved = versions.get("scikit-learn") if isinstance(versions, dict) else None
    current = importlib.metadata.version("scikit-learn")
    if saved and saved != current:
        message = (
            f"{directory} was saved with scikit-learn {saved} but scikit-learn {current} is installed; "
            f"predictions may differ. Install scikit-learn=={saved} or re-train the model."
        )
        if strict:
            raise ModelError(message)
        warnings.warn(message, ModelVersionWarning, stacklevel=3)


def _unpickle(model_file: Path, stream: Any) -> Any:
    """Load a model file (open as ``stream``) by what its name says it is: a skops file is never unpickled."""
    model_format = _FORMAT_OF_FILE.get(model_file.name)
    if model_format is None:
        raise ModelError(
            f"{model_file} is not a model file trainer writes ({', '.join(SAVE_FORMATS.values())}). "
            "Re-run `trainer fit`."
        )
    if model_format == "joblib" and _is_zip(stream):
        raise ModelError(f"{model_file} is a skops file under a joblib name; it was not loaded. Re-run `trainer fit`.")
    try:
        if model_format == "skops":
            import skops.io

            data = stream.read()
            untrusted = [t for t in skops.io.get_untrusted_types(data=data) if t not in TRUSTED_SKOPS_TYPES]
            if untrusted:
                raise ModelError(
                    f"{model_file} holds types that trainer does not trust: {untrusted}. "
                    "It was not loaded; re-train the model with `trainer fit --save-format skops`."
                )
            import io

            return skops.io.load(io.BytesIO(data), trusted=list(TRUSTED_SKOPS_TYPES))
        import joblib

        with warnings.catch_warnings():
            # Our own version check above already names both versions.
            warnings.filterwarnings("ignore", message=".*Trying to unpickle estimator.*")
            return joblib.load(stream)
    except ModelError:
        raise
    except Exception as exc:
        raise ModelError(
            f"{model_file} could not be loaded ({type(exc).__name__}: {exc}). Re-run `trainer fit`."
        ) from None
