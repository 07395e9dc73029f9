"""Label texts sentence by sentence: split, compute features, classify, explain.

`trainer.streaming` writes the labels of large inputs with worker processes.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from .config import LABELS, UNCERTAIN, PredictConfig
from .features.rules import QUOTATION_MARK, read_in_context
from .predictor import Predictor
from .sentences import split_sentences, texts_to_scan

if TYPE_CHECKING:
    from sklearn.pipeline import Pipeline

__all__ = ["LabelledChunk", "as_predictor", "label_chunk", "label_text", "label_texts"]

_DEFAULTS = PredictConfig()


def as_predictor(model: Predictor | Pipeline | str | Path | None) -> Predictor:
    """The `Predictor` of a model given as a predictor, a fitted pipeline or a model directory.

    Parameters
    ----------
    model : Predictor, Pipeline, str, Path or None
        ``None`` for the default model directory.

    Returns
    -------
    Predictor

    Raises
    ------
    ModelError
        If a directory's model cannot be loaded, or a pipeline is not a trainer pipeline.
    """
    if isinstance(model, Predictor):
        return model
    if model is None or isinstance(model, (str, Path)):
        from .store import load_predictor

        return load_predictor(model)
    try:
        return Predictor.from_pipeline(model)
    except (ValueError, AttributeError) as exc:
        from .errors import ModelError

        raise ModelError(
            f"Expected a fitted pipeline of trainer's TextFeatures and a logistic regression but found "
            f"{type(model).__name__} ({exc}). Build it with trainer.build_pipeline() and fit it."
        ) from None


def _units(texts: Iterable[tuple[int, str]], split: bool) -> tuple[list[int], list[int], list[str], list[str]]:
    """Docs, positions, sentences and the sentences as the model reads them (in context, when split)."""
    texts = list(texts)
    if not split:
        docs, sentences = _stripped(texts)
        return docs, [1] * len(docs), sentences, sentences
    docs, positions, sentences, inputs = [], [], [], []
    done = 0
    scan = texts_to_scan([text for _, text in texts])
    for at in [*scan, len(texts)]:
        one_docs, one = _stripped(texts[done:at])  # texts of one sentence at most, without a loop body per text
        docs.extend(one_docs)
        positions.extend([1] * len(one))
        sentences.extend(one)
        inputs.extend(one)
        if at == len(texts):
            break
        doc, text = texts[at]
        found = split_sentences(text)
        docs.extend([doc] * len(found))
        positions.extend(range(1, len(found) + 1))
        sentences.extend(found)
        inputs.extend(read_in_context(found) if len(found) > 1 and QUOTATION_MARK.search(text) else found)
        done = at + 1
    return docs, positions, sentences, inputs


def _stripped(texts: Sequence[tuple[int, str]]) -> tuple[list[int], list[str]]:
    """The docs and stripped texts of the texts that are not blank."""
    kept = [pair for pair in ((doc, text.strip()) for doc, text in texts) if pair[1]]
    return [doc for doc, _ in kept], [text for _, text in kept]


@dataclass(frozen=True)
class LabelledChunk:
    """A chunk of labelled sentences, column by column (probabilities in `LABELS` order)."""

    docs: list[int]
    positions: list[int]
    sentences: list[str]
    labels: list[str]
    proba: Any
    explanations: list[list] | None

    def records(self) -> list[dict[str, Any]]:
        """One dict per sentence: ``doc``, ``sentence``, ``text``, ``label``, ``probabilities`` (``explanation``)."""
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


def label_chunk(
    predictor: Predictor,
    texts: Sequence[tuple[int, str]],
    *,
    split: bool,
    min_confidence: float,
    explain: int,
) -> LabelledChunk | None:
    """Label one batch of ``(doc, text)`` pairs: the one batching step of every entry point.

    Parameters
    ----------
    predictor : Predictor
    texts : sequence of (int, str)
        Texts and their ``doc`` numbers.
    split : bool
        Split texts into sentences; otherwise each non-blank text is one unit.
    min_confidence : float
        Label sentences whose top probability is below this ``"uncertain"``.
    explain : int
        Add up to this many ``[feature, contribution]`` pairs per sentence.

    Returns
    -------
    LabelledChunk or None
        None when the batch holds no sentence.
    """
    docs, positions, sentences, inputs = _units(texts, split)
    if not sentences:
        return None
    features = predictor.features(inputs)
    classes = [str(c) for c in predictor.classes_]
    proba = predictor.predict_proba_features(features)
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
        names = predictor.feature_names()
        explanations = [predictor.explain(features, i, best[i], explain, names) for i in range(len(sentences))]
    return LabelledChunk(docs, positions, sentences, labels.tolist(), proba, explanations)


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
    model : Predictor, Pipeline, str or Path, optional
        A predictor, a fitted pipeline or a model directory (default ``models/default``).
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
    predictor = as_predictor(model)
    batch: list[tuple[int, str]] = []
    for doc, text in enumerate(texts, 1):
        batch.append((doc, text))
        if len(batch) >= chunk_size:
            labelled = label_chunk(predictor, batch, split=split, min_confidence=min_confidence, explain=explain)
            yield from labelled.records() if labelled else ()
            batch = []
    if batch:
        labelled = label_chunk(predictor, batch, split=split, min_confidence=min_confidence, explain=explain)
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
    model : Predictor, Pipeline, str or Path, optional
        A predictor, a fitted pipeline or a model directory (default ``models/default``).
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
