"""Labelled sentences: read them (see `trainer.sources`), validate them, split them by document.

Every validation error names the file and the line (or row) and says how to fix it.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .config import LABELS, TrainingConfig
from .errors import DataError
from .sources import _Source, read_source

__all__ = ["LabelledData", "parse_label_map", "read_data", "split_by_document"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class LabelledData:
    """Labelled sentences with their documents and, optionally, their split.

    Attributes
    ----------
    texts, labels, docs : list of str
        One entry per sentence; ``docs`` groups sentences into documents.
    splits : list of str or None
        ``"train"`` or ``"test"`` per sentence when the data has a split column.
    styles : list of str or None
        The genre or writing style of each sentence when the data has a style
        column; the shift-aware cross-validation leaves whole styles out.
    sources : tuple
        Where the rows came from, used by `locate`.
    """

    texts: list[str]
    labels: list[str]
    docs: list[str]
    splits: list[str] | None
    sources: tuple[_Source, ...]
    styles: list[str] | None = None

    def __len__(self) -> int:
        return len(self.texts)

    @property
    def name(self) -> str:
        """The names of the sources, for messages."""
        return ", ".join(s.name for s in self.sources)

    def locate(self, row: int) -> str:
        """Describe a row as ``line N of FILE`` (or ``row N``) for messages."""
        source = next(s for s in reversed(self.sources) if s.start <= row)
        return source.locate(row)

    def inputs(self) -> list[str]:
        """The texts as the model reads them: each document's sentences in context.

        See `trainer.features.rules.read_in_context`: a sentence that continues a
        quotation opened by the sentence before it in the same document is read as quoted.
        """
        from .features.rules import read_in_context

        inputs: list[str] = []
        start = 0
        for end in range(1, len(self.texts) + 1):
            if end == len(self.texts) or self.docs[end] != self.docs[start]:
                inputs.extend(read_in_context(self.texts[start:end]))
                start = end
        return inputs

    def subset(self, rows: Sequence[int]) -> LabelledData:
        """Return the given rows (labels and documents kept, sources dropped)."""
        return LabelledData(
            texts=[self.texts[i] for i in rows],
            labels=[self.labels[i] for i in rows],
            docs=[self.docs[i] for i in rows],
            splits=None if self.splits is None else [self.splits[i] for i in rows],
            sources=(_Source(self.name, None, 0),),
            styles=None if self.styles is None else [self.styles[i] for i in rows],
        )

    def digest(self) -> str:
        """SHA-256 of the texts and labels, to identify the training data."""
        import hashlib

        h = hashlib.sha256()
        for text, label, doc in zip(self.texts, self.labels, self.docs, strict=True):
            h.update(f"{doc}\x1f{label}\x1f{text}\x1e".encode())
        return h.hexdigest()


def parse_label_map(items: Iterable[str]) -> dict[str, str]:
    """Parse ``FROM=TO`` pairs (comma-separated or repeated) into a mapping.

    Parameters
    ----------
    items : iterable of str
        Strings such as ``"fakt=reported_fact,guess=estimate"``.

    Returns
    -------
    dict
        From each found label to one of `LABELS`.

    Raises
    ------
    DataError
        If a pair has no ``=`` or maps to a label that is not one of `LABELS`.

    Examples
    --------
    >>> parse_label_map(["fakt=reported_fact,guess=estimate"])
    {'fakt': 'reported_fact', 'guess': 'estimate'}
    """
    mapping: dict[str, str] = {}
    for item in items:
        for pair in filter(None, (p.strip() for p in item.split(","))):
            source, sep, target = pair.partition("=")
            if not sep or not source.strip():
                raise DataError(
                    f"Expected --label-map pairs like FROM=TO but found {pair!r}. "
                    "Write it as, e.g., --label-map fakt=reported_fact."
                )
            if target.strip() not in LABELS:
                raise DataError(
                    f"Expected --label-map to map onto {list(LABELS)} but found "
                    f"{target.strip()!r} in {pair!r}. Map each label onto one of these."
                )
            mapping[source.strip()] = target.strip()
    return mapping


def read_data(
    sources: str | Path | Sequence[str | Path],
    *,
    config: TrainingConfig = TrainingConfig(),
    label_map: dict[str, str] | None = None,
    encoding: str = "utf-8",
) -> LabelledData:
    """Read and validate labelled sentences from local files or Hub datasets.

    Parameters
    ----------
    sources : str, Path or sequence of them
        Local files (``.csv``, ``.tsv``, ``.jsonl``, ``.json``, ``.parquet``) or
        Hugging Face Hub dataset names; rows of all sources are concatenated.
        One path or name may be given alone.
    config : TrainingConfig
        Column names.
    label_map : dict, optional
        Renames found labels before they are checked against `LABELS`.
    encoding : str
        Encoding of local text files; a UTF-8 byte-order mark is accepted.

    Returns
    -------
    LabelledData
        The validated rows.

    Raises
    ------
    DataError
        If a source is missing, unreadable or empty, a column is missing, a
        label is unknown, a text is blank or carries two labels, or fewer than
        two labels are present.

    Examples
    --------
    >>> data = read_data(["data/sentences.jsonl"])  # doctest: +SKIP
    >>> sorted(set(data.labels))  # doctest: +SKIP
    ['estimate', 'opinion', 'reported_fact']
    """
    if isinstance(sources, str | Path):  # one source, not a sequence of its characters
        sources = [sources]
    if not sources:
        raise DataError("Expected at least one data source but none was given. Pass --data PATH.")
    label_map = label_map or {}
    texts: list[str] = []
    labels: list[str] = []
    docs: list[str] = []
    splits: list[str] = []
    styles: list[str] = []
    has_split = has_style = True
    located: list[_Source] = []
    for number, source in enumerate(sources):
        strings = {config.data.text_column: "text", config.data.label_column: "the label"}
        columns, src = read_source(source, encoding=encoding, start=len(texts), strings=strings)
        located.append(src)
        _check_columns(columns, src, config)
        n = len(columns[config.data.text_column])
        texts.extend(columns[config.data.text_column])
        labels.extend(columns[config.data.label_column])
        doc_ids = columns.get(config.data.doc_column)
        if doc_ids is None:
            logger.warning(
                "%s has no %r column: each sentence is treated as its own document.",
                src.name,
                config.data.doc_column,
            )
            doc_ids = [f"row{i}" for i in range(n)]
        prefix = f"{number}:" if len(sources) > 1 else ""
        docs.extend(f"{prefix}{d}" for d in doc_ids)
        split_values = columns.get(config.data.split_column)
        if split_values is None:
            has_split = False
        else:
            splits.extend(split_values)
        style_values = columns.get(config.data.style_column)
        if style_values is None:
            has_style = False
        else:
            styles.extend(_as_text(s) for s in style_values)
    data = LabelledData(
        texts=[t if type(t) is str else _as_text(t) for t in texts],
        labels=[_mapped(label_map, lab) for lab in (t if type(t) is str else _as_text(t) for t in labels)],
        docs=docs,
        splits=[_as_text(s).lower() for s in splits] if has_split else None,
        sources=tuple(located),
        styles=styles if has_style else None,
    )
    _validate(data, config, label_map)
    return data


def _as_text(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value)


def _check_columns(columns: dict, source: _Source, config: TrainingConfig) -> None:
    for role, column in (("text", config.data.text_column), ("label", config.data.label_column)):
        if column not in columns:
            option = f"--{role}-column"
            raise DataError(
                f"Expected a {role} column {column!r} in {source.name} but found columns "
                f"{sorted(columns)}. Rename the column or pass {option} NAME."
            )


def _validate(data: LabelledData, config: TrainingConfig, label_map: dict[str, str]) -> None:
    for row, text in enumerate(data.texts):
        if not text.strip():
            raise DataError(
                f"Expected a sentence in column {config.data.text_column!r} but found a blank value on "
                f"{data.locate(row)}. Fill in the text or remove the row."
            )
    unknown: dict[str, int] = {}
    for row, label in enumerate(data.labels):
        if label not in LABELS and label not in unknown:
            unknown[label] = row
    if unknown:
        label, row = next(iter(unknown.items()))
        if not label.strip():  # null or blank: no --label-map can name it
            raise DataError(
                f"Expected a label in column {config.data.label_column!r} but found no label (a null or blank value) "
                f"on {data.locate(row)}. Fill in the label or remove the row."
            )
        more = f" (also {sorted(unknown)[:5]})" if len(unknown) > 1 else ""
        raise DataError(
            f"Expected labels {list(LABELS)} but found {label!r} on {data.locate(row)}{more}. "
            f"{_label_fix(list(unknown)[:3])}"
        )
    import bisect

    starts = [source.start for source in data.sources]
    seen: dict[str, int] = {}
    for row, text in enumerate(data.texts):
        key = " ".join(text.split())
        first = seen.setdefault(key, row)
        if data.labels[first] != data.labels[row]:
            raise DataError(
                f"The same text is labelled {data.labels[first]!r} on {data.locate(first)} and "
                f"{data.labels[row]!r} on {data.locate(row)}: {_preview(text)}. Keep one label."
            )
        if first != row and bisect.bisect_right(starts, first) != bisect.bisect_right(starts, row):
            raise DataError(
                f"{data.locate(row).capitalize()} repeats {data.locate(first)}: {_preview(text)}. The same "
                "sentences in two sources would be counted twice (and leak into the held-out documents). "
                "Pass each source once, or remove the repeated rows."
            )
    found = sorted(set(data.labels))
    if len(found) < 2:
        raise DataError(
            f"Expected at least two different labels but found only {found} in {data.name}. "
            "Add sentences with other labels."
        )
    if data.splits is not None:
        for row, split in enumerate(data.splits):
            if split not in ("train", "test"):
                raise DataError(
                    f"Expected column {config.data.split_column!r} to hold 'train' or 'test' but found "
                    f"{split!r} on {data.locate(row)}. Fix the value or remove the column."
                )


def _mapped(label_map: dict[str, str], label: str) -> str:
    """A label after --label-map; keys are stripped of outer spaces (the shell and the parser drop them)."""
    if label in label_map:
        return label_map[label]
    return label_map.get(label.strip(), label) if label_map else label


def _label_fix(labels: list[str]) -> str:
    """The --label-map argument that fixes these labels, quoted for a shell; only labels it can name."""
    import shlex

    mappable = [k for k in labels if k.strip() and "," not in k and "=" not in k]
    if not mappable:
        return "Fix the label in the file (a label holding ',' or '=' cannot be renamed with --label-map)."
    return f"Fix the label or map it with --label-map {shlex.quote(','.join(f'{k}=LABEL' for k in mappable))}."


def _preview(text: str, width: int = 60) -> str:
    text = " ".join(text.split())
    return repr(text if len(text) <= width else text[: width - 1] + "…")


def split_by_document(data: LabelledData, *, config: TrainingConfig = TrainingConfig()) -> tuple[list[int], list[int]]:
    """Split rows into training and held-out rows so that no document is in both.

    The data's split column is used when present; otherwise a seeded share of
    documents (``config.data.test_size``) is held out.

    Parameters
    ----------
    data : LabelledData
        Validated rows.
    config : TrainingConfig
        ``test_size`` and ``seed``.

    Returns
    -------
    train_rows, test_rows : list of int
        Row indices.

    Raises
    ------
    DataError
        If a document lies in both splits, or there are too few documents to
        hold any out.
    """
    doc_split: dict[str, tuple[str, int]] = {}
    if data.splits is not None:
        for row, (doc, split) in enumerate(zip(data.docs, data.splits, strict=True)):
            first_split, first_row = doc_split.setdefault(doc, (split, row))
            if first_split != split:
                raise DataError(
                    f"Document {doc!r} is in split {first_split!r} on {data.locate(first_row)} and in "
                    f"{split!r} on {data.locate(row)}. Put every document wholly in one split."
                )
        test_docs = {d for d, (s, _) in doc_split.items() if s == "test"}
    else:
        import random

        unique = sorted(set(data.docs))
        if len(unique) < 2:
            raise DataError(
                f"Expected at least 2 documents (column {config.data.doc_column!r}) to hold some out for "
                f"testing but found {len(unique)} in {data.name}. Add documents, or a "
                f"{config.data.doc_column!r} column if each row is its own document."
            )
        n_test = max(1, round(len(unique) * config.data.test_size))
        test_docs = set(random.Random(config.seed).sample(unique, n_test))
    train = [i for i, d in enumerate(data.docs) if d not in test_docs]
    test = [i for i, d in enumerate(data.docs) if d in test_docs]
    if not train or not test:
        which = "test" if not test else "train"
        raise DataError(
            f"Expected documents in both splits but no document of {data.name} is in {which!r}. "
            f"Mark some documents {which!r} in column {config.data.split_column!r}, or drop the column."
        )
    return train, test
