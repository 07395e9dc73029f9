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
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from .config import LABELS, UNCERTAIN, PredictConfig
from .errors import DataError
from .features import transform
from .inference import LinearTextModel
from .output import format_columns, format_header, format_records
from .sentences import split_sentences

if TYPE_CHECKING:
    from sklearn.pipeline import Pipeline

__all__ = ["label_text", "label_texts", "write_predictions", "write_stream_predictions"]

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


# Worker processes inherit the model through fork; these hold it.
_WORKER: dict[str, Any] = {}


def _work(chunk: list[tuple[int, str]]) -> str:
    """Label and format one chunk of ``(doc, text)`` pairs."""
    options = _WORKER["options"]
    labelled = _label_chunk(_WORKER["model"], chunk, **options["label"])
    if labelled is None:
        return ""
    if labelled.explanations is None and options["format"]["output_format"] != "table":
        columns = (labelled.docs, labelled.positions, labelled.sentences, labelled.labels, labelled.proba)
        return format_columns(options["format"]["output_format"], *columns)
    return format_records(labelled.records(), **options["format"])


def _work_on_bytes(block: tuple[int, bytes]) -> str:
    """Decode a block of whole lines (in the worker, to spare the reading process) and label it."""
    first_line, data = block
    return _work(list(enumerate(_decode_lines(data, first_line), first_line)))


def _decode_lines(data: bytes, first_line: int) -> list[str]:
    encoding, name = _WORKER["encoding"], _WORKER["name"]
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        for number, raw in enumerate(data.split(b"\n"), first_line):
            try:
                raw.decode(encoding)
            except UnicodeDecodeError as exc:
                raise DataError(
                    f"Line {number} of {name} is not valid {encoding}: byte 0x{raw[exc.start]:02x} at "
                    f"column {exc.start + 1}. Pass the right --encoding (e.g. latin-1) or re-save it as UTF-8."
                ) from None
        raise
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    return [line[:-1] if line.endswith("\r") else line for line in lines]


def _text_chunks(texts: Iterable[str], size: int) -> Iterator[list[tuple[int, str]]]:
    batch: list[tuple[int, str]] = []
    for doc, text in enumerate(texts, 1):
        batch.append((doc, text))
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _byte_blocks(stream: IO[bytes], size: int, *, drop_bom: bool) -> Iterator[tuple[int, bytes]]:
    """Blocks of about ``size`` bytes that end at a line end, with the number of their first line."""
    import codecs

    line = 1
    first = True
    while True:
        data = stream.read(size)
        if not data:
            return
        if not data.endswith(b"\n"):
            data += stream.readline()
        if first and drop_bom and data.startswith(codecs.BOM_UTF8):
            data = data[len(codecs.BOM_UTF8) :]
        first = False
        yield line, data
        line += data.count(b"\n")


def _run(chunks: Iterator, work, emit, n_jobs: int) -> None:
    """Apply ``work`` to every chunk and ``emit`` the results in order, in worker processes if worth it."""
    first = next(chunks, None)
    if first is None:
        return
    second = next(chunks, None)
    jobs = (os.cpu_count() or 1) if n_jobs < 0 else max(1, n_jobs)
    everything = chain([first], [] if second is None else [second], chunks)
    if second is None or jobs == 1:
        for chunk in everything:
            emit(work(chunk))
        return
    import multiprocessing

    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        pending: deque = deque()
        for chunk in everything:
            pending.append(pool.apply_async(work, (chunk,)))
            while len(pending) > 2 * jobs:  # bounded read-ahead: memory stays flat
                emit(pending.popleft().get())
        while pending:
            emit(pending.popleft().get())


def _write(chunks: Iterator, work, out: IO[str], *, model: Any, options: dict, n_jobs: int, **worker: Any) -> None:
    pipeline = _resolve(model)
    output_format = options["format"]["output_format"]
    header = format_header(output_format, explain=bool(options["label"]["explain"]), color=options["format"]["color"])
    _WORKER.update(model=pipeline, options=options, **worker)
    _features(pipeline, [""])  # build the n-gram index once, before workers fork
    started = False

    def emit(formatted: str) -> None:
        nonlocal started
        if formatted:
            if not started:
                out.write(header)
                started = True
            out.write(formatted)

    try:
        _run(chunks, work, emit, n_jobs)
    finally:
        _WORKER.clear()


def _options(output_format, split, min_confidence, explain, color, width) -> dict:
    return {
        "label": {"split": split, "min_confidence": min_confidence, "explain": explain},
        "format": {"output_format": output_format, "color": color, "width": width},
    }


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
) -> None:
    """Label texts and write the records to a text stream, chunk by chunk.

    Inputs of more than one chunk are labelled by ``n_jobs`` worker processes
    (fork); results are written in input order and equal those of one process.

    Parameters
    ----------
    texts : iterable of str
        Texts; ``doc`` is the 1-based index.
    out : text stream
        Where the formatted records go. Nothing, not even a header, is written
        when there is no sentence.
    model : Pipeline, LinearTextModel, str or Path, optional
        A fitted model or a model directory.
    output_format : {"table", "jsonl", "csv"}
        See `trainer.output.format_records`.
    split, chunk_size, min_confidence, explain
        As in `label_texts`.
    n_jobs : int
        Worker processes; ``-1`` for one per core, ``1`` for none.
    color, width : optional
        Table styling.

    Examples
    --------
    >>> import sys
    >>> write_predictions(["Prices rose 3%."], sys.stdout, output_format="jsonl")  # doctest: +SKIP
    """
    options = _options(output_format, split, min_confidence, explain, color, width)
    _write(_text_chunks(texts, chunk_size), _work, out, model=model, options=options, n_jobs=n_jobs)


def write_stream_predictions(
    stream: IO[bytes],
    out: IO[str],
    *,
    model: Pipeline | str | Path | None = None,
    encoding: str = _DEFAULTS.encoding,
    name: str = "<stdin>",
    output_format: str = _DEFAULTS.output_format,
    split: bool = True,
    block_size: int = _DEFAULTS.block_size,
    n_jobs: int = _DEFAULTS.n_jobs,
    min_confidence: float = _DEFAULTS.min_confidence,
    explain: int = _DEFAULTS.explain,
    color: bool = False,
    width: int | None = None,
) -> None:
    """Label each line of a binary stream (a file, standard input) and write the records.

    The stream is read in blocks of whole lines that worker processes decode,
    label and format, so the reading process stays free and memory stays flat.
    ``doc`` is the line number; blank lines give no record.

    Parameters
    ----------
    stream : binary file
        The input, one text per line (``\n`` or ``\r\n``); a UTF-8 byte-order mark is dropped.
    out : text stream
        Where the formatted records go.
    encoding : str
        The input's encoding.
    name : str
        How to call the input in messages.
    block_size : int
        Bytes read at a time (rounded up to a line end).
    model, output_format, split, n_jobs, min_confidence, explain, color, width
        As in `write_predictions`.

    Raises
    ------
    DataError
        On bytes that are not valid in ``encoding`` (naming the line and column).
    """
    from .data import check_encoding

    drop_bom = check_encoding(encoding) == "utf-8"
    options = _options(output_format, split, min_confidence, explain, color, width)
    blocks = _byte_blocks(stream, block_size, drop_bom=drop_bom)
    _write(blocks, _work_on_bytes, out, model=model, options=options, n_jobs=n_jobs, encoding=encoding, name=name)
