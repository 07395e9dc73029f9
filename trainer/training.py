"""Train a model: read and validate data, choose hyperparameters, score held-out documents, save."""

from __future__ import annotations

import logging
import platform
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .config import LABELS, TrainingConfig

__all__ = ["FitResult", "fit"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class FitResult:
    """What `fit` did.

    Attributes
    ----------
    model_dir : Path
        Where the model was saved.
    metrics : dict
        Held-out metrics (see `trainer.evaluate.compute_metrics`).
    hyperparameters : dict
        The chosen hyperparameters.
    cv_macro_f1 : float
        Cross-validated macro-F1 of the chosen hyperparameters (NaN without search).
    n_train, n_test : int
        Sentences in the training and held-out documents.
    metadata : dict
        What was written to ``metadata.json``.
    """

    model_dir: Path
    metrics: dict[str, Any]
    hyperparameters: dict[str, Any]
    cv_macro_f1: float
    n_train: int
    n_test: int
    metadata: dict[str, Any]


def fit(
    *,
    data: Sequence[str | Path] = (),
    model_dir: str | Path | None = None,
    config: TrainingConfig = TrainingConfig(),
    label_map: dict[str, str] | None = None,
    encoding: str = "utf-8",
    progress: bool = False,
) -> FitResult:
    """Train on labelled sentences, score held-out documents, refit on all data and save.

    Hyperparameters are chosen by cross-validation grouped by document on the
    training documents; the held-out documents are scored once with them; the
    final model is then refitted on every document.

    Parameters
    ----------
    data : sequence of str or Path
        Labelled sources (default: the shipped corpus, `trainer.paths.default_data`).
    model_dir : str or Path, optional
        Where to save the model directory (default: `trainer.paths.default_model_dir`).
    config : TrainingConfig
        Column names, seed, search space and save format.
    label_map : dict, optional
        Renames labels found in the data.
    encoding : str
        Encoding of local text files.
    progress : bool
        Show the hyperparameter search's progress (fits done, time left) on standard error.

    Returns
    -------
    FitResult
        Where the model went and how it scored.

    Raises
    ------
    DataError
        If the data is missing or invalid, or too small to hold documents out.
    ModelError
        If the model directory cannot be written.

    Examples
    --------
    >>> result = fit(data=["data/sentences.jsonl"], model_dir="models/default")  # doctest: +SKIP
    >>> round(result.metrics["macro"]["f1"], 2)  # doctest: +SKIP
    0.8
    """
    worker = _HeldoutWorker() if config.n_jobs != 1 else None
    try:
        result = _fit(data, model_dir, config, label_map, encoding, worker, progress)
    except BaseException:
        if worker is not None:
            worker.stop(kill=True)
        raise
    if worker is not None:
        worker.stop(kill=False)
    return result


def _fit(data, model_dir, config: TrainingConfig, label_map, encoding: str, worker, progress: bool) -> FitResult:
    from .data import read_data, split_by_document
    from .paths import default_data, default_model_dir
    from .store import check_replaceable, save_model

    if model_dir is None:
        model_dir = default_model_dir()
    check_replaceable(model_dir)  # refuse a folder that is not a model before the long fit, not after
    sources = list(data) or [default_data()]
    labelled = read_data(sources, config=config, label_map=label_map, encoding=encoding)
    # scikit-learn is imported only once the data is read: bad data is refused in a second, not four.
    from .calibration import apply_temperature
    from .card import model_card
    from .evaluate import compute_metrics
    from .evaluation_record import EvaluationRecord, text_hashes
    from .model import default_hyperparameters, search

    train_rows, test_rows = split_by_document(labelled, config=config)
    train, test = labelled.subset(train_rows), labelled.subset(test_rows)
    if len(set(train.labels)) < 2:
        from .errors import DataError

        raise DataError(
            f"Expected at least two labels in the training documents of {labelled.name} but found "
            f"{sorted(set(train.labels))}. Add training documents with other labels."
        )
    logger.info("Training on %d sentences, holding out %d (by document).", len(train), len(test))
    if worker is not None:
        worker.start()  # only now that the data passed every check: bad data never starts a process
    groups = train.styles if _shift_aware(train) else train.docs
    inputs = labelled.inputs()  # the texts as the model reads them, once for the search and both fits
    train_inputs = [inputs[i] for i in train_rows]
    if config.search.enabled:
        found = search(train_inputs, train.labels, groups, config=config, progress=progress)
        params, cv_score = found.params, found.score
        temperature = _temperature(found.out_of_fold, train.labels, config)
    else:
        params, cv_score, temperature = default_hyperparameters(config), float("nan"), 1.0
    heldout_proba, pipeline = _fit_both(
        labelled,
        inputs,
        train_rows,
        test_rows,
        worker=worker,
        config=config,
        params=params,
        temperature=temperature,
    )
    predicted = [LABELS[i] for i in heldout_proba.argmax(axis=1)]
    apply_temperature(pipeline[-1], temperature)
    metrics = compute_metrics(test.labels, predicted)
    logger.info(
        "Held-out macro-F1 %.3f; the saved model is fitted on all %d sentences.", metrics["macro"]["f1"], len(labelled)
    )
    metadata = _metadata(
        labelled, params, cv_score, metrics, config, n_train=len(train), n_test=len(test), shift=_shift_aware(train)
    )
    grouped = config.data.style_column if _shift_aware(train) else config.data.doc_column
    metadata["calibration"] = {
        "temperature": round(temperature, 4),
        "fitted_on": f"the search's out-of-fold scores of the chosen hyperparameters, folds grouped by {grouped}"
        if config.search.enabled and config.search.calibrate
        else "not calibrated (calibration uses the search's folds)",
    }
    record = EvaluationRecord(test.texts, test.labels, heldout_proba, text_hashes(labelled.texts))
    target = save_model(
        pipeline, model_dir, metadata=metadata, save_format=config.save_format, card=model_card(metadata), record=record
    )
    return FitResult(
        model_dir=target,
        metrics=metrics,
        hyperparameters=params,
        cv_macro_f1=cv_score,
        n_train=len(train),
        n_test=len(test),
        metadata=metadata,
    )


def _temperature(out_of_fold, labels: list[str], config: TrainingConfig) -> float:
    """The temperature that makes the probabilities honest on held-out groups (1 when not calibrating).

    It is fitted on the search's own out-of-fold scores of the chosen hyperparameters, so
    calibration costs no fit of its own.
    """
    from .calibration import fit_temperature

    if not config.search.calibrate or out_of_fold is None:
        return 1.0
    temperature = fit_temperature(out_of_fold, labels, sorted(set(labels)))
    logger.info("Calibration temperature %.3f (out-of-fold scores of the search).", temperature)
    return temperature


def _shift_aware(data) -> bool:
    """Whether the data has styles enough for folds that leave whole styles out."""
    return data.styles is not None and len(set(data.styles)) >= 2


class _HeldoutWorker:
    """A worker process that fits the held-out model and sends back its predictions.

    It is a fresh process from joblib's loky (never a fork of this threaded one,
    and no ``if __name__ == "__main__"`` guard needed in scripts that call `fit`),
    started once the data is read and checked, so that its start-up overlaps the
    search. It runs one thread: the two fits share the cores.
    """

    def __init__(self):
        self._executor = None
        self._pending = None

    def start(self) -> None:
        """Start the process; it imports what a fit needs meanwhile."""
        from .workers import start_fit_worker

        self._executor = start_fit_worker(_warm_up)

    def submit(self, *job: Any) -> None:
        """Start `_heldout_predictions` with these arguments."""
        self._pending = self._executor.submit(_heldout_predictions, *job)

    def result(self) -> list[str]:
        """The predictions, or the worker's exception raised here."""
        return self._pending.result()

    def stop(self, *, kill: bool) -> None:
        """End the worker: let it exit, or kill it at once (e.g. after bad data or Ctrl-C, while it is busy).

        Either way this waits for loky's manager thread (after a kill, milliseconds),
        so that most of the executor's semaphores are freed now, not at the
        interpreter's exit, where their clean-up can race loky's resource tracker
        and print "leaked semlock" warnings (seen on Python 3.13).
        """
        if self._executor is not None:
            self._executor.shutdown(wait=True, kill_workers=kill)
            self._executor = None


def _warm_up() -> None:
    """Import what a fit needs, while the main process searches."""
    from . import model  # noqa: F401


def _fit_both(
    labelled, inputs, train_rows, test_rows, *, worker, config: TrainingConfig, params: dict[str, Any], temperature
) -> tuple:
    """Fit the held-out model and the final model side by side; their predictions and the final pipeline.

    ``inputs`` are ``labelled``'s texts as the model reads them (`LabelledData.inputs`).
    They are tokenised once for both; the held-out model is fitted by
    ``worker`` (a `_HeldoutWorker`) if there is one, else first, here.
    """
    from threadpoolctl import threadpool_limits

    from .features import tokenize

    tokenized = tokenize(inputs, quotes=params["quotes"], cues=params["cues"])
    train_inputs, train_labels = [inputs[i] for i in train_rows], [labelled.labels[i] for i in train_rows]
    test_inputs = [inputs[i] for i in test_rows]
    heldout = (train_inputs, train_labels, test_inputs, tokenized.subset(train_rows), config, params, temperature)
    if worker is None:
        predicted = _heldout_predictions(*heldout)
        return predicted, _fitted(inputs, labelled.labels, tokenized, config=config, params=params)
    worker.submit(*heldout)
    with threadpool_limits(limits=1):
        pipeline = _fitted(inputs, labelled.labels, tokenized, config=config, params=params)
    return worker.result(), pipeline


def _heldout_predictions(texts, labels, test_texts, tokenized, config: TrainingConfig, params, temperature: float):
    """The held-out model's probabilities of the test sentences, columns in `LABELS` order."""
    import numpy as np

    from .calibration import apply_temperature

    model = _fitted(texts, labels, tokenized, config=config, params=params)
    apply_temperature(model[-1], temperature)
    proba = model.predict_proba(test_texts)
    full = np.zeros((len(test_texts), len(LABELS)))
    for column, label in enumerate(model.classes_):
        full[:, LABELS.index(str(label))] = proba[:, column]
    return full


def _fitted(texts: list[str], labels: list[str], tokenized, *, config: TrainingConfig, params: dict[str, Any]):
    from .model import build_pipeline

    pipeline = build_pipeline(config=config, **params)
    features = pipeline[0].fit_transform(texts, tokenized=tokenized)
    pipeline[-1].fit(features, labels)
    return pipeline


def _versions() -> dict[str, str]:
    import importlib.metadata

    names = ["trainer", "scikit-learn", "numpy", "scipy", "joblib"]
    found = {"python": platform.python_version()}
    for name in names:
        try:
            found[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            found[name] = "unknown"
    return found


def _metadata(
    labelled, params, cv_score, metrics, config: TrainingConfig, *, n_train: int, n_test: int, shift: bool
) -> dict:
    import math

    from .features import FEATURIZER_VERSION

    return {
        "labels": list(LABELS),
        "featurizer_version": FEATURIZER_VERSION,
        "hyperparameters": {k: list(v) if isinstance(v, tuple) else v for k, v in params.items()},
        "search": {
            "enabled": config.search.enabled,
            "cv_folds": config.search.cv_folds,
            "cv_macro_f1": None if math.isnan(cv_score) else round(cv_score, 4),
            "space": {k: [list(x) if isinstance(x, tuple) else x for x in v] for k, v in config.search.space.items()},
            "grouped_by": config.data.style_column if shift else config.data.doc_column,
            "shift_aware": shift,
        },
        "seed": config.seed,
        "data": {
            "sources": labelled.name,
            "sha256": labelled.digest(),
            "sentences": len(labelled),
            "documents": len(set(labelled.docs)),
            "label_counts": dict(sorted(Counter(labelled.labels).items())),
            "heldout_sentences": n_test,
            "train_sentences": n_train,
            "split": "split column"
            if labelled.splits is not None
            else f"{config.data.test_size:.0%} of documents, seed {config.seed}",
        },
        "heldout_metrics": metrics,
        "versions": _versions(),
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
    }
