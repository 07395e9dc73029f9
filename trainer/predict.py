"""Label texts sentence by sentence, in chunks, optionally across processes.

Texts are split into sentences, vectorised and classified a chunk at a time, so
memory stays flat however long the input is. Large inputs are shared among
worker processes; the output order and every prediction are the same as in
one process.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from .config import UNCERTAIN, PredictConfig
from .errors import DataError
from .features import transform
from .inference import LinearTextModel
from .output import format_header, format_records
from .sentences import split_sentences

if TYPE_CHECKING:
    from sklearn.pipeline import Pipeline

__all__ = ["label_text", "label_texts", "read_lines", "write_predictions"]

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
    docs, positions, sentences = [], [], []
    for doc, text in texts:
        pieces = split_sentences(text) if split else ([text.strip()] if text.strip() else [])
        for position, sentence in enumerate(pieces, 1):
            docs.append(doc)
            positions.append(position)
            sentences.append(sentence)
    return docs, positions, sentences


def _label_chunk(
    model: Pipeline,
    texts: Sequence[tuple[int, str]],
    *,
    split: bool,
    min_confidence: float,
    explain: int,
) -> list[dict[str, Any]]:
    docs, positions, sentences = _units(texts, split)
    if not sentences:
        return []
    features, classifier = _features(model, sentences)
    proba = classifier.predict_proba(features)
    classes = [str(c) for c in classifier.classes_]
    best = proba.argmax(axis=1)
    explainer = _Explainer(model) if explain else None
    records = []
    for i, sentence in enumerate(sentences):
        row = proba[i]
        label = classes[best[i]]
        record = {
            "doc": docs[i],
            "sentence": positions[i],
            "text": sentence,
            "label": UNCERTAIN if row[best[i]] < min_confidence else label,
            "probabilities": dict(zip(classes, row.tolist(), strict=True)),
        }
        if explainer is not None:
            record["explanation"] = explainer.explain(features, i, best[i], explain)
        records.append(record)
    return records


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
            yield from _label_chunk(pipeline, batch, split=split, min_confidence=min_confidence, explain=explain)
            batch = []
    if batch:
        yield from _label_chunk(pipeline, batch, split=split, min_confidence=min_confidence, explain=explain)


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


def read_lines(stream: IO[bytes], *, encoding: str = _DEFAULTS.encoding, name: str = "<stdin>") -> Iterator[str]:
    """Decode a binary stream line by line, naming the line of any bad byte.

    Parameters
    ----------
    stream : binary file
        The input.
    encoding : str
        Its encoding; a UTF-8 byte-order mark is dropped.
    name : str
        How to call the input in messages.

    Yields
    ------
    str
        Lines without their line ends (``\\n`` or ``\\r\\n``).

    Raises
    ------
    DataError
        On bytes that are not valid in ``encoding``.
    """
    import codecs

    from .data import check_encoding

    is_utf8 = check_encoding(encoding) == "utf-8"
    number = 0
    first = True
    while True:
        block = stream.readlines(1 << 22)
        if not block:
            return
        if first and is_utf8 and block[0].startswith(codecs.BOM_UTF8):
            block[0] = block[0][3:]
        first = False
        try:
            text = b"".join(block).decode(encoding)
        except UnicodeDecodeError:
            for offset, raw in enumerate(block, number + 1):
                try:
                    raw.decode(encoding)
                except UnicodeDecodeError as exc:
                    raise DataError(
                        f"Line {offset} of {name} is not valid {encoding}: byte 0x{raw[exc.start]:02x} at "
                        f"column {exc.start + 1}. Pass the right --encoding (e.g. latin-1) or re-save as UTF-8."
                    ) from None
            raise
        lines = text.split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        number += len(block)
        for line in lines:
            yield line[:-1] if line.endswith("\r") else line


# Worker processes inherit the model through fork; these hold it.
_WORKER: dict[str, Any] = {}


def _work(chunk: list[tuple[int, str]]) -> str:
    options = _WORKER["options"]
    records = _label_chunk(_WORKER["model"], chunk, **options["label"])
    return format_records(records, **options["format"])


def _chunks(texts: Iterable[str], size: int, start: int = 1) -> Iterator[list[tuple[int, str]]]:
    batch: list[tuple[int, str]] = []
    for doc, text in enumerate(texts, start):
        batch.append((doc, text))
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def write_predictions(
    texts: Iterable[str],
    out: IO[str],
    *,
    model: Pipeline | str | Path | None = None,
    output_format: str = _DEFAULTS.output_format,
    split: bool = True,
    chunk_size: int = _DEFAULTS.chunk_size,
    n_jobs: int = _DEFAULTS.n_jobs,
    min_confidence: float = _DEFAULTS.min_confidence,
    explain: int = _DEFAULTS.explain,
    color: bool = False,
    width: int | None = None,
) -> int:
    """Label texts and write the records to a text stream, chunk by chunk.

    Inputs of more than one chunk are labelled by ``n_jobs`` worker processes
    (fork); results are written in input order and equal those of one process.

    Parameters
    ----------
    texts : iterable of str
        Texts (for example the lines of a file); ``doc`` is the 1-based index.
    out : text stream
        Where the formatted records go. Nothing, not even a header, is written
        when there is no sentence.
    model : Pipeline, str or Path, optional
        A fitted pipeline or a model directory.
    output_format : {"table", "jsonl", "csv"}
        See `trainer.output.format_records`.
    split, chunk_size, min_confidence, explain
        As in `label_texts`.
    n_jobs : int
        Worker processes; ``-1`` for one per core, ``1`` for none.
    color, width : optional
        Table styling.

    Returns
    -------
    int
        The number of texts read.
    """
    pipeline = _resolve(model)
    options = {
        "label": {"split": split, "min_confidence": min_confidence, "explain": explain},
        "format": {"output_format": output_format, "color": color, "width": width},
    }
    header = format_header(output_format, explain=bool(explain), color=color)
    chunks = _chunks(texts, chunk_size)
    first = next(chunks, None)
    if first is None:
        return 0
    second = next(chunks, None)
    jobs = os.cpu_count() or 1 if n_jobs < 0 else max(1, n_jobs)
    _WORKER.update(model=pipeline, options=options)
    _features(pipeline, [""])  # build the n-gram index once, before workers fork
    written_header = False
    n_texts = 0

    def emit(formatted: str) -> None:
        nonlocal written_header
        if formatted:
            if not written_header:
                out.write(header)
                written_header = True
            out.write(formatted)

    try:
        if second is None or jobs == 1:
            for chunk in (first, second, *()) if second is None else _prepend(first, second, chunks):
                if chunk is None:
                    continue
                n_texts += len(chunk)
                emit(_work(chunk))
            return n_texts
        import multiprocessing

        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            pending: deque = deque()
            for chunk in _prepend(first, second, chunks):
                n_texts += len(chunk)
                pending.append(pool.apply_async(_work, (chunk,)))
                while len(pending) > 2 * jobs:
                    emit(pending.popleft().get())
            while pending:
                emit(pending.popleft().get())
        return n_texts
    finally:
        _WORKER.clear()


def _prepend(first, second, rest):
    yield first
    yield second
    yield from rest
