"""Read labelled rows from local files and Hugging Face Hub datasets through `datasets`.

Local CSV, TSV, JSON Lines, JSON and Parquet files are read by extension; any
other name is taken as a Hub dataset. Local files are checked for their encoding
and structure first, so errors name the line, and are read with a temporary
cache, so nothing is left behind in the user's home directory.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import json
import os
import re
import stat
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from .errors import DataError

__all__ = ["check_encoding", "read_source"]

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


def read_source(
    source: str | Path, *, encoding: str, start: int, strings: Mapping[str, str] | None = None
) -> tuple[dict, _Source]:
    """Read one source into columns.

    Parameters
    ----------
    source : str or Path
        A local file or a Hub dataset name. A name that looks like a path (a
        path separator, a file extension, a leading ``.`` or ``~``) is always
        read as a local file, never looked up on the Hub.
    encoding : str
        Encoding of local text files.
    start : int
        Index of the source's first row among all rows read, for `_Source.locate`.
    strings : mapping, optional
        Columns whose values must be strings (or null), each with its role for
        messages, e.g. ``{"text": "text", "label": "the label"}``. Every other
        column must hold one JSON type throughout a file.

    Returns
    -------
    columns : dict
        Column name -> list of values.
    source : _Source
        Where the rows came from.

    Raises
    ------
    DataError
        If the source is missing, empty, unreadable or malformed.
    """
    strings = dict(strings or {})
    if _looks_local(str(source)):
        columns, located = _read_local(Path(source), encoding=encoding, start=start, strings=strings)
    else:
        columns, located = _read_hub(str(source), start=start)
    _check_strings(columns, located, strings)
    return columns, located


# A Hub dataset name is NAME or OWNER/NAME, without a file extension.
_FILE_EXTENSION = re.compile(r"\.[A-Za-z][A-Za-z0-9]*$")


def _looks_local(name: str) -> bool:
    """Whether ``name`` is a local path (it exists or looks like one), never to be sent to the Hub."""
    if os.path.lexists(name) or name.startswith((".", "~", "/")) or "\\" in name:
        return True
    parts = name.split("/")
    return len(parts) > 2 or bool(_FILE_EXTENSION.search(parts[-1])) or (len(parts) == 2 and Path(parts[0]).is_dir())


def _kind(value: object) -> str:
    """The JSON type of a value, for messages."""
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, str):
        return "a string"
    return f"a {type(value).__name__}"


def _type_message(role: str, column: str, value: object, where: str) -> str:
    return (
        f"Expected {role} in column {column!r} to be a string but found {_kind(value)} on {where}. "
        "Quote it or fix the row."
    )


def _check_strings(columns: dict, located: _Source, strings: Mapping[str, str]) -> None:
    """Refuse a text or label column holding values that are not strings (numbers, lists, objects)."""
    for column, role in strings.items():
        for row, value in enumerate(columns.get(column, ())):
            if value is not None and not isinstance(value, str):
                raise DataError(_type_message(role, column, value, located.locate(located.start + row)))


def _quiet_datasets():
    import datasets

    datasets.disable_progress_bars()
    # Errors too: each one is also raised, and our message replaces it (no second, raw line).
    datasets.logging.set_verbosity(datasets.logging.CRITICAL)
    return datasets


def _read_local(path: Path, *, encoding: str, start: int, strings: Mapping[str, str]) -> tuple[dict, _Source]:
    name = str(path)
    suffix = path.suffix.lower()
    if not os.path.lexists(path) and suffix not in _BUILDERS:
        raise DataError(
            f"No file at {name}. Check the path passed to --data: data files end in .csv, .tsv, .jsonl, .json or "
            ".parquet (a name that looks like a path is never looked up on the Hugging Face Hub)."
        )
    if not path.is_file():
        raise DataError(f"Expected a data file at {name} but {_what_is_there(path)}. Check the path passed to --data.")
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
                kwargs["quoting"] = csv.QUOTE_NONE  # TSV has no quoting: a leading '"' is part of the text
        elif builder == "json":
            _check_top_level(path, load_path, strings)
            kwargs = {"on_mixed_types": None}  # fail on a mixed column (found below), never JSON-encode it
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
            full = _disk_full(exc)
            if full is not None:  # not the data's fault
                raise DataError(_temporary_full(name, full)) from None
            raise DataError(_diagnose(path, load_path, exc, strings)) from None
        if ds.num_rows == 0:
            raise DataError(f"{name} has no rows. Add labelled sentences to it.")
        columns = _columns(ds)
    return columns, _Source(name, path, start)


def _disk_full(exc: BaseException) -> OSError | None:
    """The "no space" or "quota" error behind ``exc`` (libraries wrap it), if there is one."""
    import errno

    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
            return exc
        exc = exc.__cause__ or exc.__context__
    return None


def _temporary_full(name: str, error: OSError) -> str:
    return (
        f"Cannot read {name}: the temporary directory {tempfile.gettempdir()} is full ({error.strerror}); the "
        "file itself is fine. Free some space there or point TMPDIR at a directory with room."
    )


def _what_is_there(path: Path) -> str:
    """Say what is at a path that is not a regular file, for a message."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return "it does not exist"
    if stat.S_ISDIR(mode):
        return "it is a directory"
    if stat.S_ISFIFO(mode):
        return "it is a named pipe (FIFO), which trainer cannot read twice: save the data to a file first"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "it is a device (like /dev/null), not a file"
    return "it is not a regular file"


def _csv_reader(f, path: Path, **kwargs):
    """The one reading of CSV and TSV rows: TSV has no quoting (a '"' is text), CSV has CSV's."""
    if path.suffix.lower() == ".tsv":
        return csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE, **kwargs)
    return csv.reader(f, delimiter=",", **kwargs)


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
        info = codecs.lookup(encoding)
    except LookupError:
        raise DataError(
            f"Expected a known text encoding but found {encoding!r}. "
            "Pass a Python codec name such as --encoding latin-1."
        ) from None
    if not getattr(info, "_is_text_encoding", True):  # rot13, base64, zlib, hex: bytes-to-bytes or str-to-str
        raise DataError(
            f"{encoding!r} is a Python codec but not a text encoding. Pass a text encoding such as "
            "--encoding latin-1 or --encoding utf-16."
        )
    return info.name


def _columns(ds) -> dict[str, list]:
    """All columns of a dataset as Python lists, converted by Arrow (row-by-row access is slow)."""
    table = ds.with_format("arrow")[:]
    return {name: table.column(name).to_pylist() for name in table.column_names}


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
                except UnicodeError as exc:  # codecs such as undefined, punycode, idna, utf-16: no position
                    raise DataError(_undecodable(path, encoding, exc, line)) from None
                if out is not None:
                    out.write(decoded)
                line += block.count(b"\n")
                last_break = block.rfind(b"\n")
                carry = len(block) - last_break - 1 if last_break >= 0 else carry + len(block)
            if out is not None:
                out.flush()
            try:
                rest = decoder.decode(b"", final=True)
            except UnicodeError:
                raise DataError(
                    f"{path} ends inside a character: its last bytes, on line {line}, are not complete "
                    f"{encoding} text (a cut-off file?). Restore the end of the file or pass its encoding."
                ) from None
            if out is not None:
                out.write(rest)
                out.flush()
        except OSError as exc:
            if _disk_full(exc) is None:
                raise
            raise DataError(_temporary_full(str(path), exc)) from None
        finally:
            if out is not None:
                with contextlib.suppress(OSError):
                    out.close()
    return tmp / f"data{path.suffix.lower()}" if needs_copy else path


def _undecodable(name: object, encoding: str, error: UnicodeError, line: int) -> str:
    """The message for a decoding error that names no byte (``UnicodeError`` itself, not its subclass)."""
    return (
        f"{name} cannot be read as {encoding} text ({error}), at or after line {line}. Pass the file's "
        "encoding, e.g. --encoding latin-1, or re-save it as UTF-8."
    )


def _check_top_level(path: Path, load_path: Path, strings: Mapping[str, str]) -> None:
    """Refuse JSON (Lines) whose top-level values are not all objects, before pyarrow reads it.

    pyarrow's JSON reader, which `datasets` uses, crashes the process (a segmentation
    fault) on a top-level ``null``, e.g. a file holding only ``null``. A file that is one
    JSON array is parsed by Python's json instead, and is left to `datasets`.
    """
    data = load_path.read_bytes()
    if data.startswith(b"{") and data.count(b"\n{") == data.count(b"\n") - data.endswith(b"\n"):
        return  # the common case, found by two byte counts: every line opens an object
    del data
    text = load_path.read_text(encoding="utf-8")
    if path.suffix.lower() == ".json" and text.lstrip().startswith("["):
        return
    decoder, at = json.JSONDecoder(), 0
    while (at := _SPACE.match(text, at).end()) < len(text):
        try:
            value, end = decoder.raw_decode(text, at)
        except json.JSONDecodeError as exc:
            raise DataError(_diagnose(path, load_path, exc, strings)) from None
        if not isinstance(value, dict):
            line = text.count("\n", 0, at) + 1
            kind = "null" if value is None else _kind(value)
            raise DataError(
                f"Line {line} of {path} is {kind} in JSON, not an object. "
                'Write each row as {"text": ..., "label": ...}.'
            )
        at = end


_SPACE = re.compile(r"\s*")


def _check_csv(path: Path, load_path: Path) -> None:
    """Check that every row has as many fields as the header (pandas would guess otherwise)."""
    with load_path.open(encoding="utf-8", newline="") as f:
        reader = _csv_reader(f, path, strict=True)
        try:
            header = next(reader, [])
            rows = 0
            for row in reader:
                if row and len(row) != len(header):
                    raise DataError(
                        f"Line {reader.line_num} of {path} has {len(row)} fields but the header has "
                        f"{len(header)}. "
                        + (
                            "A TSV field cannot hold a tab: remove the extra tab, or fix the line."
                            if path.suffix.lower() == ".tsv"
                            else "Quote fields that contain the delimiter, or fix the line."
                        )
                    )
                rows += bool(row)
        except csv.Error as err:
            raise DataError(
                f"Line {reader.line_num} of {path} is not valid CSV ({err}). Fix the quoting on that line."
            ) from None
    if not rows:
        raise DataError(f"{path} has a header but no rows. Add labelled sentences below the header.")


def _diagnose(path: Path, load_path: Path, exc: Exception, strings: Mapping[str, str]) -> str:
    """Find the first bad line of a file that `datasets` could not parse."""
    suffix = path.suffix.lower()
    if suffix == ".json" and load_path.read_text(encoding="utf-8").lstrip().startswith("["):
        try:
            records = json.loads(load_path.read_text(encoding="utf-8"))
        except json.JSONDecodeError:
            records = None
        if isinstance(records, list) and all(isinstance(r, dict) for r in records):
            mixed = _first_mixed(((f"row {i} of {path}", r) for i, r in enumerate(records, 1)), strings)
            if mixed:
                return mixed
    if suffix in (".jsonl", ".ndjson", ".json"):
        types = _ColumnTypes(strings)
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
                mixed = types.problem(f"line {number} of {path}", value)
                if mixed:
                    return mixed
            if number and not load_path.read_text(encoding="utf-8").strip():
                return f"{path} has no rows, only blank lines. Add labelled sentences, one JSON object per line."
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return f"Could not read {path}: {first}. Check that the file is valid {suffix.lstrip('.').upper()}."


class _ColumnTypes:
    """Finds, row by row, the first value whose type is not its column's (text and label: strings)."""

    def __init__(self, strings: Mapping[str, str]):
        self.strings = strings
        self.first: dict[str, tuple[str, str]] = {}

    def problem(self, where: str, row: dict) -> str | None:
        for column, value in row.items():
            if value is None:
                continue
            if column in self.strings:
                if not isinstance(value, str):
                    return _type_message(self.strings[column], column, value, where)
                continue
            kind, seen = _kind(value), self.first.setdefault(column, (_kind(value), where))
            if kind != seen[0]:
                return (
                    f"Expected column {column!r} to hold one type of value but found {seen[0]} on {seen[1]} and "
                    f"{kind} on {where}. Quote the values or fix the row."
                )
        return None


def _first_mixed(rows: Iterable[tuple[str, dict]], strings: Mapping[str, str]) -> str | None:
    types = _ColumnTypes(strings)
    return next((p for where, row in rows if (p := types.problem(where, row))), None)


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
        for column, values in _columns(ds).items():
            columns.setdefault(column, []).extend(values)
        if "split" not in ds.column_names:
            columns.setdefault("split", []).extend(["test" if split_name == "test" else "train"] * ds.num_rows)
    return columns, _Source(f"Hub dataset {name!r}", None, start)


def _csv_line(path: Path, index: int) -> int:
    """Physical line where data row ``index`` starts (quoted fields may span lines)."""
    with path.open(encoding="utf-8-sig", errors="replace", newline="") as f:
        reader = _csv_reader(f, path)
        line, number = 1, -1  # number: of the row (the header is 0); blank lines hold no row
        for row in reader:
            if row:
                number += 1
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
