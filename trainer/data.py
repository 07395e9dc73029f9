"""Read labelled sentences through `datasets`, validate them and split them by document.

Local CSV, TSV, JSON Lines, JSON and Parquet files are read by extension; any
other name is taken as a Hugging Face Hub dataset. Local files are checked for
their encoding first and read with a temporary cache, so nothing is left behind
in the user's home directory. Every validation error names the file and the
line (or row) and says how to fix it.
"""

from __future__ import annotations

import codecs
import csv
import json
import logging
import math
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .config import LABELS, TrainingConfig
from .errors import DataError

__all__ = ["LabelledData", "parse_label_map", "read_data", "split_by_document"]

logger = logging.getLogger(__name__)

_BUILDERS = {
    ".csv": "csv",
    ".tsv": "csv",
    ".jsonl": "json",
    ".ndjson": "json",
    ".json": "json",
    ".parquet": "parquet",
}
_TEXT_FORMATS = {".csv", ".tsv", ".jsonl", ".ndjson", ".json"}


@dataclass(frozen=True)
class _Source:
    """Where a block of rows came from, to name lines in messages."""

    name: str
    path: Path | None
    start: int
    header_lines: int = 0

    def locate(self, row: int) -> str:
        """Describe row ``row`` (0-based, within the whole data) for a message."""
        index = row - self.start
        if self.path is None:
            return f"row {index + 1} of {self.name}"
        suffix = self.path.suffix.lower()
        if suffix in (".csv", ".tsv"):
            return f"line {_csv_line(self.path, index)} of {self.name}"
        if suffix in _TEXT_FORMATS and suffix != ".json":
            return f"line {_jsonl_line(self.path, index)} of {self.name}"
        return f"row {index + 1} of {self.name}"


@dataclass(frozen=True)
class LabelledData:
    """Labelled sentences with their documents and, optionally, their split.

    Attributes
    ----------
    texts, labels, docs : list of str
        One entry per sentence; ``docs`` groups sentences into documents.
    splits : list of str or None
        ``"train"`` or ``"test"`` per sentence when the data has a split column.
    sources : tuple
        Where the rows came from, used by `locate`.
    """

    texts: list[str]
    labels: list[str]
    docs: list[str]
    splits: list[str] | None
    sources: tuple[_Source, ...]

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

    def subset(self, rows: Sequence[int]) -> LabelledData:
        """Return the given rows (labels and documents kept, sources dropped)."""
        return LabelledData(
            texts=[self.texts[i] for i in rows],
            labels=[self.labels[i] for i in rows],
            docs=[self.docs[i] for i in rows],
            splits=None if self.splits is None else [self.splits[i] for i in rows],
            sources=(_Source(self.name, None, 0),),
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
    sources: Sequence[str | Path],
    *,
    config: TrainingConfig = TrainingConfig(),
    label_map: dict[str, str] | None = None,
    encoding: str = "utf-8",
) -> LabelledData:
    """Read and validate labelled sentences from local files or Hub datasets.

    Parameters
    ----------
    sources : sequence of str or Path
        Local files (``.csv``, ``.tsv``, ``.jsonl``, ``.json``, ``.parquet``) or
        Hugging Face Hub dataset names; rows of all sources are concatenated.
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
    if not sources:
        raise DataError("Expected at least one data source but none was given. Pass --data PATH.")
    label_map = label_map or {}
    texts: list[str] = []
    labels: list[str] = []
    docs: list[str] = []
    splits: list[str] = []
    has_split = True
    located: list[_Source] = []
    for number, source in enumerate(sources):
        columns, src = _read_source(source, encoding=encoding, start=len(texts))
        located.append(src)
        _check_columns(columns, src, config)
        n = len(columns[config.text_column])
        texts.extend(columns[config.text_column])
        labels.extend(columns[config.label_column])
        doc_ids = columns.get(config.doc_column)
        if doc_ids is None:
            logger.warning(
                "%s has no %r column: each sentence is treated as its own document.",
                src.name,
                config.doc_column,
            )
            doc_ids = [f"row{i}" for i in range(n)]
        prefix = f"{number}:" if len(sources) > 1 else ""
        docs.extend(f"{prefix}{d}" for d in doc_ids)
        split_values = columns.get(config.split_column)
        if split_values is None:
            has_split = False
        else:
            splits.extend(split_values)
    data = LabelledData(
        texts=[_as_text(t) for t in texts],
        labels=[label_map.get(_as_text(lab), _as_text(lab)) for lab in labels],
        docs=docs,
        splits=[_as_text(s).lower() for s in splits] if has_split else None,
        sources=tuple(located),
    )
    _validate(data, config, label_map)
    return data


def _as_text(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value)


def _read_source(source: str | Path, *, encoding: str, start: int) -> tuple[dict, _Source]:
    path = Path(source)
    suffix = path.suffix.lower()
    if path.exists() or suffix in _BUILDERS:
        return _read_local(path, encoding=encoding, start=start)
    return _read_hub(str(source), start=start)


def _quiet_datasets():
    import datasets

    datasets.disable_progress_bars()
    datasets.logging.set_verbosity_error()
    return datasets


def _read_local(path: Path, *, encoding: str, start: int) -> tuple[dict, _Source]:
    name = str(path)
    if not path.is_file():
        hint = "it is a directory" if path.is_dir() else "it does not exist"
        raise DataError(f"Expected a data file at {name} but {hint}. Check the path passed to --data.")
    suffix = path.suffix.lower()
    builder = _BUILDERS.get(suffix)
    if builder is None:
        raise DataError(
            f"Expected a .csv, .tsv, .jsonl, .json or .parquet file but found {name}. "
            "Convert it to one of these formats or rename it with the right extension."
        )
    if path.stat().st_size == 0:
        raise DataError(f"{name} is empty. Expected labelled rows; check that the right file was passed.")
    with tempfile.TemporaryDirectory(prefix="trainer-") as tmp:
        load_path = path
        if suffix in _TEXT_FORMATS:
            load_path = _utf8_copy(path, encoding=encoding, tmp=Path(tmp))
        kwargs: dict = {}
        if builder == "csv":
            _check_csv(path, load_path)
            kwargs = {"keep_default_na": False, "na_filter": False}
            if suffix == ".tsv":
                kwargs["sep"] = "\t"
        datasets = _quiet_datasets()
        try:
            ds = datasets.load_dataset(
                builder,
                data_files=str(load_path),
                split="train",
                cache_dir=str(Path(tmp) / "cache"),
                **kwargs,
            )
        except Exception as exc:  # datasets wraps parser errors in many types
            raise DataError(_diagnose(path, load_path, exc)) from None
        header_lines = 1 if builder == "csv" else 0
        if ds.num_rows == 0:
            what = "a header but no rows" if header_lines else "no rows"
            raise DataError(f"{name} has {what}. Add labelled sentences below the header.")
        columns = {column: ds[column] for column in ds.column_names}
    return columns, _Source(name, path, start, header_lines)


def check_encoding(encoding: str) -> str:
    """Return the codec name of ``encoding``.

    Parameters
    ----------
    encoding : str
        A Python codec name or alias, e.g. ``"latin-1"``.

    Returns
    -------
    str
        The canonical codec name, e.g. ``"utf-8"``.

    Raises
    ------
    DataError
        If Python knows no such codec.
    """
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        raise DataError(
            f"Expected a known text encoding but found {encoding!r}. "
            "Pass a Python codec name such as --encoding latin-1."
        ) from None


def _utf8_copy(path: Path, *, encoding: str, tmp: Path) -> Path:
    """Check that ``path`` decodes; return it, or a clean UTF-8 copy when it must be converted."""
    is_utf8 = check_encoding(encoding) == "utf-8"
    decoder = codecs.getincrementaldecoder("utf-8-sig" if is_utf8 else encoding)()
    with path.open("rb") as f:
        head = f.read(3)
        f.seek(0)
        needs_copy = not is_utf8 or head.startswith(codecs.BOM_UTF8)
        line, carry = 1, 0  # carry: bytes since the last line break of earlier blocks
        out = (tmp / f"data{path.suffix.lower()}").open("w", encoding="utf-8") if needs_copy else None
        try:
            for block in iter(lambda: f.read(1 << 20), b""):
                try:
                    decoded = decoder.decode(block)
                except UnicodeDecodeError as exc:
                    before = block[: exc.start]
                    last_break = before.rfind(b"\n")
                    column = exc.start - last_break if last_break >= 0 else carry + exc.start + 1
                    bad_line = line + before.count(b"\n")
                    raise DataError(
                        f"{path} is not valid {encoding} text: byte 0x{block[exc.start]:02x} on line "
                        f"{bad_line}, column {column}. Pass the file's encoding, e.g. --encoding "
                        "latin-1, or re-save it as UTF-8."
                    ) from None
                if out is not None:
                    out.write(decoded)
                line += block.count(b"\n")
                last_break = block.rfind(b"\n")
                carry = len(block) - last_break - 1 if last_break >= 0 else carry + len(block)
            if out is not None:
                out.write(decoder.decode(b"", final=True))
        finally:
            if out is not None:
                out.close()
    return tmp / f"data{path.suffix.lower()}" if needs_copy else path


def _check_csv(path: Path, load_path: Path) -> None:
    """Check that every row has as many fields as the header (pandas would guess otherwise)."""
    with load_path.open(encoding="utf-8", newline="") as f:
        reader = csv.reader(f, delimiter="\t" if path.suffix.lower() == ".tsv" else ",", strict=True)
        try:
            header = next(reader, [])
            rows = 0
            for row in reader:
                if row and len(row) != len(header):
                    raise DataError(
                        f"Line {reader.line_num} of {path} has {len(row)} fields but the header has "
                        f"{len(header)}. Quote fields that contain the delimiter, or fix the line."
                    )
                rows += bool(row)
        except csv.Error as err:
            raise DataError(
                f"Line {reader.line_num} of {path} is not valid CSV ({err}). Fix the quoting on that line."
            ) from None
    if not rows:
        raise DataError(f"{path} has a header but no rows. Add labelled sentences below the header.")


def _diagnose(path: Path, load_path: Path, exc: Exception) -> str:
    """Find the first bad line of a file that `datasets` could not parse."""
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson", ".json"):
        with load_path.open(encoding="utf-8") as f:
            number = 0
            for number, line in enumerate(f, 1):
                if not line.strip():
                    continue
                try:
                    value = json.loads(line)
                except json.JSONDecodeError as err:
                    if number == 1 and suffix == ".json" and line.lstrip().startswith("["):
                        break
                    return (
                        f"Line {number} of {path} is not valid JSON ({err.msg} at column {err.colno}). "
                        "Fix or remove that line; each line must be one JSON object."
                    )
                if not isinstance(value, dict):
                    return (
                        f"Line {number} of {path} is a JSON {type(value).__name__}, not an object. "
                        'Write each row as {"text": ..., "label": ...}.'
                    )
            if number and not load_path.read_text(encoding="utf-8").strip():
                return f"{path} has no rows, only blank lines. Add labelled sentences, one JSON object per line."
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return f"Could not read {path}: {first}. Check that the file is valid {suffix.lstrip('.').upper()}."


def _read_hub(name: str, *, start: int) -> tuple[dict, _Source]:
    datasets = _quiet_datasets()
    try:
        loaded = datasets.load_dataset(name)
    except Exception as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise DataError(
            f"{name!r} is not a local file, and loading it from the Hugging Face Hub failed: {first}. "
            "Check the path or dataset name; Hub datasets need network access to the Hub."
        ) from None
    columns: dict[str, list] = {}
    for split_name, ds in loaded.items():
        for column in ds.column_names:
            columns.setdefault(column, []).extend(ds[column])
        if "split" not in ds.column_names:
            columns.setdefault("split", []).extend(["test" if split_name == "test" else "train"] * ds.num_rows)
    return columns, _Source(f"Hub dataset {name!r}", None, start)


def _check_columns(columns: dict, source: _Source, config: TrainingConfig) -> None:
    for role, column in (("text", config.text_column), ("label", config.label_column)):
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
                f"Expected a sentence in column {config.text_column!r} but found a blank value on "
                f"{data.locate(row)}. Fill in the text or remove the row."
            )
    unknown: dict[str, int] = {}
    for row, label in enumerate(data.labels):
        if label not in LABELS and label not in unknown:
            unknown[label] = row
    if unknown:
        label, row = next(iter(unknown.items()))
        more = f" (also {sorted(unknown)[:5]})" if len(unknown) > 1 else ""
        mapped = ",".join(f"{k}=LABEL" for k in list(unknown)[:3])
        raise DataError(
            f"Expected labels {list(LABELS)} but found {label!r} on {data.locate(row)}{more}. "
            f"Fix the label or map it with --label-map {mapped}."
        )
    seen: dict[str, int] = {}
    for row, text in enumerate(data.texts):
        key = " ".join(text.split())
        first = seen.setdefault(key, row)
        if data.labels[first] != data.labels[row]:
            raise DataError(
                f"The same text is labelled {data.labels[first]!r} on {data.locate(first)} and "
                f"{data.labels[row]!r} on {data.locate(row)}: {_preview(text)}. Keep one label."
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
                    f"Expected column {config.split_column!r} to hold 'train' or 'test' but found "
                    f"{split!r} on {data.locate(row)}. Fix the value or remove the column."
                )


def _preview(text: str, width: int = 60) -> str:
    text = " ".join(text.split())
    return repr(text if len(text) <= width else text[: width - 1] + "…")


def split_by_document(data: LabelledData, *, config: TrainingConfig = TrainingConfig()) -> tuple[list[int], list[int]]:
    """Split rows into training and held-out rows so that no document is in both.

    The data's split column is used when present; otherwise a seeded share of
    documents (``config.test_size``) is held out.

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
                f"Expected at least 2 documents (column {config.doc_column!r}) to hold some out for "
                f"testing but found {len(unique)} in {data.name}. Add documents, or a "
                f"{config.doc_column!r} column if each row is its own document."
            )
        n_test = max(1, round(len(unique) * config.test_size))
        test_docs = set(random.Random(config.seed).sample(unique, n_test))
    train = [i for i, d in enumerate(data.docs) if d not in test_docs]
    test = [i for i, d in enumerate(data.docs) if d in test_docs]
    if not train or not test:
        which = "test" if not test else "train"
        raise DataError(
            f"Expected documents in both splits but no document of {data.name} is in {which!r}. "
            f"Mark some documents {which!r} in column {config.split_column!r}, or drop the column."
        )
    return train, test


def _csv_line(path: Path, index: int) -> int:
    """Physical line where data row ``index`` starts (quoted fields may span lines)."""
    with path.open(encoding="utf-8-sig", errors="replace", newline="") as f:
        reader = csv.reader(f, delimiter="\t" if path.suffix.lower() == ".tsv" else ",")
        line = 1
        for number, _ in enumerate(reader):
            if number == index + 1:
                return line
            line = reader.line_num + 1
    return line


def _jsonl_line(path: Path, index: int) -> int:
    """Physical line of the ``index``-th non-blank line."""
    with path.open(encoding="utf-8-sig", errors="replace") as f:
        seen = -1
        for number, line in enumerate(f, 1):
            if line.strip():
                seen += 1
                if seen == index:
                    return number
    return index + 1
