"""Scores of a model on labelled data: per-label metrics, macro average, confusion matrix."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .config import LABELS, TrainingConfig
from .errors import DataError

if TYPE_CHECKING:
    import numpy as np

    from .predictor import Predictor

__all__ = ["ScoredData", "compute_metrics", "evaluate", "format_metrics", "score_data"]


def compute_metrics(y_true: Sequence[str], y_pred: Sequence[str]) -> dict[str, Any]:
    """Compute per-label precision, recall, F1 and support, macro averages and the confusion matrix.

    Parameters
    ----------
    y_true, y_pred : sequence of str
        Gold and predicted labels.

    Returns
    -------
    dict
        ``labels``, ``per_label`` (label -> precision, recall, f1, support),
        ``macro`` (precision, recall, f1), ``accuracy``, ``support`` and
        ``confusion_matrix`` (rows: gold, columns: predicted, in ``labels`` order).

    Examples
    --------
    >>> m = compute_metrics(["opinion", "estimate"], ["opinion", "opinion"])
    >>> m["accuracy"]
    0.5
    """
    from sklearn.metrics import accuracy_score, confusion_matrix, precision_recall_fscore_support

    labels = list(LABELS)
    p, r, f, s = precision_recall_fscore_support(y_true, y_pred, labels=labels, zero_division=0)
    macro = precision_recall_fscore_support(y_true, y_pred, labels=labels, average="macro", zero_division=0)
    return {
        "labels": labels,
        "per_label": {
            label: {"precision": float(p[i]), "recall": float(r[i]), "f1": float(f[i]), "support": int(s[i])}
            for i, label in enumerate(labels)
        },
        "macro": {"precision": float(macro[0]), "recall": float(macro[1]), "f1": float(macro[2])},
        "accuracy": float(accuracy_score(y_true, y_pred)),
        "support": len(y_true),
        "confusion_matrix": confusion_matrix(y_true, y_pred, labels=labels).tolist(),
    }


def format_metrics(metrics: dict[str, Any]) -> str:
    """Render metrics as a plain-text report: a per-label table and the confusion matrix.

    Parameters
    ----------
    metrics : dict
        As returned by `compute_metrics`.

    Returns
    -------
    str
        Several lines, no trailing newline.
    """
    labels = metrics["labels"]
    width = max(len(label) for label in [*labels, "macro avg"])
    lines = [f"{'':{width}}  precision  recall     f1  support"]
    for label in labels:
        m = metrics["per_label"][label]
        lines.append(f"{label:{width}}  {m['precision']:9.3f}  {m['recall']:6.3f}  {m['f1']:5.3f}  {m['support']:7d}")
    macro = metrics["macro"]
    lines.append(
        f"{'macro avg':{width}}  {macro['precision']:9.3f}  {macro['recall']:6.3f}  {macro['f1']:5.3f}"
        f"  {metrics['support']:7d}"
    )
    lines.append(f"{'accuracy':{width}}  {metrics['accuracy']:.3f}")
    lines.append("")
    lines.append("Confusion matrix (rows: true label, columns: predicted)")
    cell = max(len(label) for label in labels)
    lines.append(f"{'':{width}}  " + "  ".join(f"{label:>{cell}}" for label in labels))
    for label, row in zip(labels, metrics["confusion_matrix"], strict=True):
        lines.append(f"{label:{width}}  " + "  ".join(f"{v:>{cell}d}" for v in row))
    return "\n".join(lines)


@dataclass(frozen=True, eq=False)
class ScoredData:
    """Labelled sentences with a model's probabilities for them.

    Attributes
    ----------
    texts, gold : list of str
        The scored sentences and their gold labels.
    classes : list of str
        The model's labels, in the order of the probability columns.
    probabilities : numpy.ndarray
        One row per sentence, one column per class.
    model : Predictor
        The predictor that gave the probabilities (what ``trainer predict`` runs).
    sources : list of str
        Where the data came from.
    split : str
        Which rows were scored: ``"test"``, ``"train"`` or ``"all"``.
    model_dir : str
        The model directory.
    seen_in_training : bool
        Whether the model was trained on any of these sentences, so these are
        not (wholly) held-out scores.
    heldout_macro_f1 : float or None
        The held-out macro-F1 recorded when the model was trained.
    seen_share : float
        The share of the sentences the saved model was trained on (by sentence hash).
    recorded : bool
        Whether these are the held-out predictions recorded at fit time (by the
        model fitted on the training documents alone), not the saved model's.
    """

    texts: list[str]
    gold: list[str]
    classes: list[str]
    probabilities: np.ndarray
    model: Predictor
    sources: list[str]
    split: str
    model_dir: str
    seen_in_training: bool = False
    heldout_macro_f1: float | None = None
    seen_share: float = 0.0
    recorded: bool = False

    @property
    def predicted(self) -> list[str]:
        """The label of highest probability for each sentence."""
        return [self.classes[i] for i in self.probabilities.argmax(axis=1)]

    def metrics(self) -> dict[str, Any]:
        """Return `compute_metrics` of the predictions, plus ``data``, ``split`` and ``model``."""
        metrics = compute_metrics(self.gold, self.predicted)
        return {
            **metrics,
            "data": self.sources,
            "split": self.split,
            "model": self.model_dir,
            "seen_in_training": self.seen_in_training,
            "seen_in_training_share": round(self.seen_share, 4),
            "recorded_at_fit": self.recorded,
            "heldout_macro_f1": self.heldout_macro_f1,
        }

    def warning(self) -> str | None:
        """What the reader must know before reading these scores, or None."""
        if not self.seen_in_training:
            return None
        heldout = (
            ""
            if self.heldout_macro_f1 is None
            else f" Its held-out macro-F1 at fit time was {self.heldout_macro_f1:.3f}."
        )
        return (
            f"{self.seen_share:.0%} of these sentences were in the model's training data, so these scores are not "
            f"held-out and overstate what it does on new text.{heldout} Run `trainer evaluate` without --data for "
            "the held-out scores, or evaluate on other data."
        )


def score_data(
    *,
    data: Sequence[str | Path] = (),
    model: str | Path | None = None,
    split: str | None = None,
    config: TrainingConfig = TrainingConfig(),
    label_map: dict[str, str] | None = None,
    encoding: str = "utf-8",
) -> ScoredData:
    """Read labelled data and compute a saved model's probabilities for the chosen rows.

    Parameters
    ----------
    data, model, split, config, label_map, encoding
        As in `evaluate`.

    Returns
    -------
    ScoredData
        Texts, gold labels, probabilities and where they came from.

    Raises
    ------
    DataError
        If the data is bad or the requested split is empty.
    ModelError
        If the model cannot be loaded.

    Examples
    --------
    >>> scored = score_data(split="test")  # doctest: +SKIP
    >>> scored.gold[:2], scored.predicted[:2]  # doctest: +SKIP
    (['reported_fact', 'estimate'], ['reported_fact', 'estimate'])
    """
    from .data import read_data
    from .paths import default_data, default_model_dir
    from .store import load_for_evaluation

    if model is None:
        model = default_model_dir()
    predictor, meta, record = load_for_evaluation(model)  # one version: a fit meanwhile never mixes two
    heldout_f1 = meta.get("heldout_metrics", {}).get("macro", {}).get("f1")
    if not data and split is None and record is not None:
        return ScoredData(
            texts=record.texts,
            gold=record.gold,
            classes=list(LABELS),
            probabilities=record.probabilities,
            model=predictor,
            sources=[str(s) for s in meta.get("data", {}).get("sources", "").split(", ")],
            split="held-out",
            model_dir=str(model),
            heldout_macro_f1=heldout_f1,
            recorded=True,
        )
    sources = list(data) or [default_data()]
    labelled = read_data(sources, config=config, label_map=label_map, encoding=encoding)
    if split is None:
        split = "test" if labelled.splits is not None else "all"
    if split == "all":
        rows = list(range(len(labelled)))
    elif labelled.splits is None:
        raise DataError(
            f"Expected a {config.data.split_column!r} column in {labelled.name} to select {split!r} rows "
            "but there is none. Pass --split all."
        )
    else:
        rows = [i for i, s in enumerate(labelled.splits) if s == split]
        if not rows:
            raise DataError(f"{labelled.name} has no {split!r} rows. Pass --split all or other data.")
    texts = [labelled.texts[i] for i in rows]
    inputs = labelled.inputs()
    if record is not None:
        seen = record.seen_share(texts)
    else:  # a model saved without a record: only an exact match of the training data is known
        seen = 1.0 if meta.get("data", {}).get("sha256") == labelled.digest() else 0.0
    return ScoredData(
        texts=texts,
        gold=[labelled.labels[i] for i in rows],
        classes=[str(c) for c in predictor.classes_],
        probabilities=predictor.predict_proba([inputs[i] for i in rows]),
        model=predictor,
        sources=[str(s) for s in sources],
        split=split,
        model_dir=str(model),
        seen_in_training=seen > 0,
        heldout_macro_f1=heldout_f1,
        seen_share=seen,
    )


def evaluate(
    *,
    data: Sequence[str | Path] = (),
    model: str | Path | None = None,
    split: str | None = None,
    config: TrainingConfig = TrainingConfig(),
    label_map: dict[str, str] | None = None,
    encoding: str = "utf-8",
) -> dict[str, Any]:
    """Score a saved model on labelled data.

    Parameters
    ----------
    data : sequence of str or Path
        Labelled sources (default: the shipped corpus).
    model : str or Path, optional
        Model directory (default: `trainer.paths.default_model_dir`).
    split : {"train", "test", "all"}, optional
        Rows to score. By default the ``test`` rows when the data has a split
        column, otherwise all rows.
    config : TrainingConfig
        Column names.
    label_map : dict, optional
        Renames labels found in the data.
    encoding : str
        Encoding of local text files.

    Returns
    -------
    dict
        As `compute_metrics`, plus ``data`` (the sources) and ``model`` (the directory).

    Raises
    ------
    DataError
        If the data is bad or the requested split is empty.
    ModelError
        If the model cannot be loaded.
    """
    scored = score_data(data=data, model=model, split=split, config=config, label_map=label_map, encoding=encoding)
    return scored.metrics()


def calibration_bins(top: np.ndarray, correct: np.ndarray, *, bins: int = 10) -> dict[str, Any]:
    """Sentences, accuracy and mean top probability per bin of top probability, and the expected calibration error.

    Parameters
    ----------
    top : numpy.ndarray
        The top probability of each sentence.
    correct : numpy.ndarray of bool
        Whether its label was right.
    bins : int
        Equal-width bins over [0, 1].

    Returns
    -------
    dict
        ``bins`` (``low``, ``high``, ``n``, ``accuracy``, ``mean``) and ``ece``.

    Examples
    --------
    >>> import numpy as np
    >>> calibration_bins(np.array([0.9, 0.9]), np.array([True, False]))["ece"]
    0.4
    """
    import numpy as np

    which = np.minimum((top * bins).astype(int), bins - 1)
    rows = []
    gap = 0.0
    for b in range(bins):
        inside = which == b
        n = int(inside.sum())
        if n:
            accuracy, confidence = float(correct[inside].mean()), float(top[inside].mean())
            rows.append({"low": b / bins, "high": (b + 1) / bins, "n": n, "accuracy": accuracy, "mean": confidence})
            gap += n * abs(accuracy - confidence)
    return {"bins": rows, "ece": round(gap / len(top), 12) if len(top) else 0.0}


def calibration_error(top: np.ndarray, correct: np.ndarray, *, bins: int = 10) -> float:
    """The expected calibration error: the mean gap between accuracy and top probability, weighted by bin size."""
    return calibration_bins(top, correct, bins=bins)["ece"]
