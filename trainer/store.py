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
# Types a skops model file may hold beyond skops' own safe defaults. Pinned here,
# never read from the file: anything else is refused before loading.
TRUSTED_SKOPS_TYPES: tuple[str, ...] = ("trainer.features.transformer.TextFeatures",)
_FORMAT_OF_FILE = {name: fmt for fmt, name in SAVE_FORMATS.items()}


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
        (tmp / METADATA).write_text(json.dumps(meta, indent=2, sort_keys=False) + "\n", encoding="utf-8")
        (tmp / CARD).write_text(card, encoding="utf-8")
        for path in tmp.iterdir():
            with path.open("rb") as f:
                os.fsync(f.fileno())
        with _locked(real):
            check_replaceable(target)  # again: a file may have been put there during the save
            os.chmod(tmp, stat.S_IMODE(real.stat().st_mode) if real.is_dir() else 0o777 & ~_umask())
            _swap_into_place(tmp, real, save.old)
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


_MODEL_FILES = frozenset({*SAVE_FORMATS.values(), INFERENCE, METADATA, CARD})


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
        If the directory or its metadata is missing, unreadable or from a newer
        format version.
    """
    path = _directory(directory)
    real = Path(os.path.realpath(path))
    if not real.exists() and _has_backup(real):
        with contextlib.suppress(OSError), _locked(real):
            _recover(real)
    if not path.is_dir():
        raise ModelError(
            f"No model directory at {path}. Train one with `trainer fit --model {path}` or pass --model DIR."
        )
    meta_path = path / METADATA
    if not meta_path.is_file():
        raise ModelError(
            f"{path} is not a complete model directory: {METADATA} is missing. Re-run `trainer fit --model {path}`."
        )
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelError(f"{meta_path} cannot be read ({exc}). Re-run `trainer fit --model {path}`.") from None
    if not isinstance(meta, dict) or "model_sha256" not in meta or "model_file" not in meta:
        raise ModelError(f"{meta_path} lacks the model file's name or checksum. Re-run `trainer fit --model {path}`.")
    version = meta.get("format_version")
    if type(version) is not int or version > FORMAT_VERSION:
        raise ModelError(
            f"{path} has model format version {version!r} but this trainer reads version "
            f"{FORMAT_VERSION}. Upgrade trainer (pip install -U trainer) or re-train the model."
        )
    if version < FORMAT_VERSION:
        raise ModelError(
            f"{path} was written by an older trainer (model format {version}, other features) and cannot be "
            f"used. Re-train it with `trainer fit --model {path}`."
        )
    return meta


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
    meta = read_metadata(directory)
    model_file = _verified_file(directory, str(meta["model_file"]), meta["model_sha256"])
    _check_versions(meta, directory, strict=strict)
    model = _unpickle(model_file)
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
    directory = _directory(path)
    meta = read_metadata(directory)
    if meta.get("inference_file") != INFERENCE:
        raise ModelError(
            f"{directory} has no {INFERENCE} (its {METADATA} names none). Re-run `trainer fit --model {directory}`."
        )
    _verified_file(directory, str(meta["model_file"]), meta["model_sha256"])
    inference = _verified_file(directory, INFERENCE, meta.get("inference_sha256"))
    _check_versions(meta, directory, strict=strict)
    from .predictor import Predictor

    try:
        return Predictor.load(inference)
    except (OSError, ValueError, KeyError, EOFError) as exc:
        message = f"{inference} could not be loaded: {exc}. Re-run `trainer fit --model {directory}`."
        raise ModelError(message) from None


def _verified_file(directory: Path, name: str, expected: object) -> Path:
    """The path of a model directory's file, once its SHA-256 matches the metadata."""
    path = directory / name
    if path.parent != directory or not path.is_file():
        raise ModelError(
            f"{directory} is not a complete model directory: {name} is missing. "
            f"Re-run `trainer fit --model {directory}`."
        )
    if sha256_file(path) != expected:
        raise ModelError(
            f"The checksum of {path} does not match {METADATA}: the file was changed or truncated. "
            f"Restore it or re-run `trainer fit --model {directory}`."
        )
    return path


def _is_zip(path: Path) -> bool:
    with path.open("rb") as f:
        return f.read(4) == b"PK\x03\x04"


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


def _unpickle(model_file: Path) -> Any:
    """Load a model file by what its name says it is: a skops file is never unpickled."""
    model_format = _FORMAT_OF_FILE.get(model_file.name)
    if model_format is None:
        raise ModelError(
            f"{model_file} is not a model file trainer writes ({', '.join(SAVE_FORMATS.values())}). "
            "Re-run `trainer fit`."
        )
    if model_format == "joblib" and _is_zip(model_file):
        raise ModelError(f"{model_file} is a skops file under a joblib name; it was not loaded. Re-run `trainer fit`.")
    try:
        if model_format == "skops":
            import skops.io

            untrusted = [t for t in skops.io.get_untrusted_types(file=model_file) if t not in TRUSTED_SKOPS_TYPES]
            if untrusted:
                raise ModelError(
                    f"{model_file} holds types that trainer does not trust: {untrusted}. "
                    "It was not loaded; re-train the model with `trainer fit --save-format skops`."
                )
            return skops.io.load(model_file, trusted=list(TRUSTED_SKOPS_TYPES))
        import joblib

        with warnings.catch_warnings():
            # Our own version check above already names both versions.
            warnings.filterwarnings("ignore", message=".*Trying to unpickle estimator.*")
            return joblib.load(model_file)
    except ModelError:
        raise
    except Exception as exc:
        raise ModelError(
            f"{model_file} could not be loaded ({type(exc).__name__}: {exc}). Re-run `trainer fit`."
        ) from None
