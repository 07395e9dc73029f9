"""Label texts sentence by sentence: split, vectorise, classify, explain.

`trainer.streaming` writes the labels of large inputs with worker processes.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .config import LABELS, UNCERTAIN, PredictConfig
from .features import transform
from .inference import LinearTextModel
from .sentences import split_sentences

if TYPE_CHECKING:
    from sklearn.pipeline import Pipeline

__all__ = ["label_text", "label_texts"]

_DEFAULTS = PredictConfig()


def _resolve(model: Pipeline | str | Path | None) -> Any:
    if model is None or isinstance(model, (str, Path)):
        from .store import load_predictor

        return load_predictor(model)
    return model


def _features(model: Any, sentences: list[str]) -> Any:
    """Features of sentences, and the classifier that takes them."""
    if isinstance(model, LinearTextModel):
        return model.transform(sentences), model
    if len(model) == 2:
        return transform(model[0], sentences), model[-1]
    return model[:-1].transform(sentences), model[-1]


def _units(texts: Iterable[tuple[int, str]], split: bool) -> tuple[list[int], list[int], list[str]]:
    if not split:  # one sentence per text, without a Python loop body per text
        kept = [pair for pair in ((doc, text.strip()) for doc, text in texts) if pair[1]]
        return [doc for doc, _ in kept], [1] * len(kept), [text for _, text in kept]
    docs, positions, sentences = [], [], []
    for doc, text in texts:
        for position, sentence in enumerate(split_sentences(text), 1):
            docs.append(doc)
            positions.append(position)
            sentences.append(sentence)
    return docs, positions, sentences


@dataclass(frozen=True)
class _Labelled:
    """A chunk of labelled sentences, column by column (probabilities in `LABELS` order)."""

    docs: list[int]
    positions: list[int]
    sentences: list[str]
    labels: list[str]
    proba: Any
    explanations: list[list] | None

    def records(self) -> list[dict[str, Any]]:
        records = []
        for i, row in enumerate(self.proba.tolist()):
            record = {
                "doc": self.docs[i],
                "sentence": self.positions[i],
                "text": self.sentences[i],
                "label": self.labels[i],
                "probabilities": dict(zip(LABELS, row, strict=True)),
            }
            if self.explanations is not None:
                record["explanation"] = self.explanations[i]
            records.append(record)
        return records


def _label_chunk(
    model: Any,
    texts: Sequence[tuple[int, str]],
    *,
    split: bool,
    min_confidence: float,
    explain: int,
) -> _Labelled | None:
    docs, positions, sentences = _units(texts, split)
    if not sentences:
        return None
    import numpy as np

    features, classifier = _features(model, sentences)
    classes = [str(c) for c in classifier.classes_]
    proba = classifier.predict_proba(features)
    best = proba.argmax(axis=1)
    labels = np.array(classes, dtype=object)[best]
    if min_confidence > 0:
        labels[proba.max(axis=1) < min_confidence] = UNCERTAIN
    if classes != list(LABELS):  # a model trained on fewer labels: the others get 0
        full = np.zeros((len(sentences), len(LABELS)))
        for column, label in enumerate(classes):
            full[:, LABELS.index(label)] = proba[:, column]
        proba = full
    explanations = None
    if explain:
        explainer = _Explainer(model)
        explanations = [explainer.explain(features, i, best[i], explain) for i in range(len(sentences))]
    return _Labelled(docs, positions, sentences, labels.tolist(), proba, explanations)


class _Explainer:
    """The n-grams of a sentence that push it most toward a label (tf-idf times coefficient)."""

    def __init__(self, model: Any):
        fast = isinstance(model, LinearTextModel)
        self.names = (model if fast else model[:-1]).get_feature_names_out()
        self.coef = (model if fast else model[-1]).coef_
        self.binary = self.coef.shape[0] == 1

    def explain(self, features, row: int, label_index: int, top: int) -> list[list]:
        start, end = features.indptr[row], features.indptr[row + 1]
        columns, values = features.indices[start:end], features.data[start:end]
        if self.binary:
            sign = 1.0 if label_index == 1 else -1.0
            weights = sign * self.coef[0, columns]
        else:
            weights = self.coef[label_index, columns]
        contributions = values * weights
        order = contributions.argsort()[::-1][:top]
        return [[str(self.names[columns[j]]), round(float(contributions[j]), 6)] for j in order if contributions[j] > 0]


def label_texts(
    texts: Iterable[str],
    *,
    model: Pipeline | str | Path | None = None,
    split: bool = True,
    chunk_size: int = _DEFAULTS.chunk_size,
    min_confidence: float = _DEFAULTS.min_confidence,
    explain: int = _DEFAULTS.explain,
) -> Iterator[dict[str, Any]]:
    """Label the sentences of many texts, lazily, in one process.

    Parameters
    ----------
    texts : iterable of str
        Texts; each is split into sentences unless ``split`` is false.
    model : Pipeline, str or Path, optional
        A fitted pipeline or a model directory (default ``models/default``).
    split : bool
        Split texts into sentences; otherwise each non-blank text is one unit.
    chunk_size : int
        Texts labelled per batch.
    min_confidence : float
        Label sentences whose top probability is below this ``"uncertain"``.
    explain : int
        Add ``explanation``: up to this many ``[n-gram, contribution]`` pairs.

    Yields
    ------
    dict
        ``doc`` (1-based index of the text), ``sentence`` (1-based position),
        ``text``, ``label`` and ``probabilities`` (label -> probability, summing to 1).
    """
    pipeline = _resolve(model)
    batch: list[tuple[int, str]] = []
    for doc, text in enumerate(texts, 1):
        batch.append((doc, text))
        if len(batch) >= chunk_size:
            labelled = _label_chunk(pipeline, batch, split=split, min_confidence=min_confidence, explain=explain)
            yield from labelled.records() if labelled else ()
            batch = []
    if batch:
        labelled = _label_chunk(pipeline, batch, split=split, min_confidence=min_confidence, explain=explain)
        yield from labelled.records() if labelled else ()


def label_text(
    text: str,
    *,
    model: Pipeline | str | Path | None = None,
    min_confidence: float = _DEFAULTS.min_confidence,
    explain: int = _DEFAULTS.explain,
) -> list[dict[str, Any]]:
    """Split a text into sentences and label each.

    Parameters
    ----------
    text : str
        A whole article, comment or paragraph.
    model : Pipeline, str or Path, optional
        A fitted pipeline or a model directory (default ``models/default``).
    min_confidence : float
        Label sentences whose top probability is below this ``"uncertain"``.
    explain : int
        Add ``explanation``: up to this many ``[n-gram, contribution]`` pairs.

    Returns
    -------
    list of dict
        One record per sentence: ``doc``, ``sentence``, ``text``, ``label``,
        ``probabilities``.

    Raises
    ------
    ModelError
        If the model cannot be loaded.

    Examples
    --------
    >>> records = label_text("Prices rose 3% in May. That is a disgrace.")  # doctest: +SKIP
    >>> [r["label"] for r in records]  # doctest: +SKIP
    ['reported_fact', 'opinion']
    """
    return list(label_texts([text], model=model, min_confidence=min_confidence, explain=explain))
