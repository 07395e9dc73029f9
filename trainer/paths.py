"""Where the default corpus, challenge suite and model live: one rule for every command and the API.

The corpus ships inside the package as ``trainer.corpus`` (the repository's
``data/`` directory, mapped in ``pyproject.toml``) and is read through
`importlib.resources`, so it is found from any working directory.

The default model directory is, first match wins:

1. the environment variable ``TRAINER_MODEL_DIR``, when it is set and not empty;
2. inside a checkout (``pyproject.toml`` and ``models/`` beside the ``trainer/``
   package, as with ``pip install -e .``): the repository's ``models/default``;
3. otherwise (installed from a wheel or with ``pip install .``): ``models/default``
   in the per-user data directory (`platformdirs.user_data_dir`, e.g.
   ``~/.local/share/trainer/models/default`` on Linux).

``--model DIR`` (or a path passed to the API) overrides all three. A path under
the working directory is returned relative to it, so messages stay short.

This module imports no scikit-learn, NumPy or datasets: the CLI calls it for
``--help``. `ensure_default_model` imports them only when it has to train.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

__all__ = [
    "MODEL_DIR_ENV",
    "checkout_root",
    "corpus_file",
    "default_challenge",
    "default_data",
    "default_model_dir",
    "ensure_default_model",
    "has_model",
]

#: The environment variable that overrides the default model directory.
MODEL_DIR_ENV = "TRAINER_MODEL_DIR"

#: The package the corpus is shipped as (the repository's ``data/`` directory).
CORPUS_PACKAGE = "trainer.corpus"

_ROOT = Path(__file__).resolve().parent.parent


def checkout_root() -> Path | None:
    """Return the repository root when this package runs from a checkout, else None.

    A checkout is recognised by ``pyproject.toml`` and a ``models/`` directory
    beside the ``trainer/`` package directory.
    """
    if (_ROOT / "pyproject.toml").is_file() and (_ROOT / "models").is_dir() and (_ROOT / "trainer").is_dir():
        return _ROOT
    return None


def _short(path: Path) -> Path:
    """``path`` relative to the working directory when it lies under it, else as it is."""
    try:
        return path.relative_to(Path.cwd())
    except (ValueError, OSError):
        return path


def corpus_file(name: str) -> Path:
    """Return the path of a file shipped with the corpus (``sentences.jsonl``, ``GUIDELINES.md``, ...).

    Read through `importlib.resources` from the package ``trainer.corpus``; in a
    checkout that is not installed, the repository's ``data/`` directory.
    """
    from importlib import resources

    try:
        resource = resources.files(CORPUS_PACKAGE) / name
    except ModuleNotFoundError:
        root = checkout_root()
        if root is None:
            raise
        return _short(root / "data" / name)
    if isinstance(resource, Path):
        return _short(resource)
    return _extracted(resource)


_EXTRACTED: dict[str, Path] = {}


def _extracted(resource) -> Path:
    """A real file for a resource not on the file system (a zipped install), kept until exit."""
    import atexit
    import contextlib
    from importlib import resources

    key = str(resource)
    if key not in _EXTRACTED:
        stack = contextlib.ExitStack()
        atexit.register(stack.close)
        _EXTRACTED[key] = stack.enter_context(resources.as_file(resource))
    return _EXTRACTED[key]


def default_data() -> Path:
    """The shipped training corpus, ``sentences.jsonl`` of the package ``trainer.corpus``."""
    return corpus_file("sentences.jsonl")


def default_challenge() -> Path:
    """The shipped behavioural challenge suite, ``challenge.jsonl`` of ``trainer.corpus``."""
    return corpus_file("challenge.jsonl")


def default_model_dir() -> Path:
    """The default model directory, by the rule in this module's docstring (resolved at each call)."""
    override = os.environ.get(MODEL_DIR_ENV, "").strip()
    if override:
        return Path(override).expanduser()
    root = checkout_root()
    if root is not None:
        return _short(root / "models" / "default")
    import platformdirs

    return Path(platformdirs.user_data_dir("trainer", appauthor=False)) / "models" / "default"


def has_model(directory: str | Path) -> bool:
    """Whether ``directory`` holds anything a model could be read from (even a damaged one).

    False only when there is nothing: no directory (and no interrupted save to
    recover), or an empty one.
    """
    directory = Path(directory)
    if directory.is_dir():
        return any(directory.iterdir())
    if directory.exists():
        return True
    aside = f".{directory.name}.old-"  # a previous model set aside by a save (trainer.store)
    try:
        return any(p.name.startswith(aside) for p in directory.parent.iterdir())
    except OSError:
        return False


def ensure_default_model(directory: str | Path | None = None, *, notice: Callable[[str], None] | None = None) -> Path:
    """Return the default model directory, training the default model there first if it holds none.

    The model is trained as ``trainer fit`` trains it with no options: on the
    shipped corpus, with the default settings. Only the default directory is
    ever trained on its own; a missing ``--model DIR`` stays an error.

    Parameters
    ----------
    directory : str or Path, optional
        The resolved default directory (default: `default_model_dir`).
    notice : callable, optional
        Called with a one-line notice before training.
    """
    directory = Path(default_model_dir() if directory is None else directory)
    if has_model(directory):
        return directory
    if notice is not None:
        notice(
            f"No model at {directory} yet: training the default model on the shipped corpus once "
            f"(as `trainer fit` does; about a minute)."
        )
    from .training import fit

    fit(model_dir=directory)
    return directory
