"""Write labels of many texts or of a byte stream, chunk by chunk, in worker processes.

Input is read a chunk at a time and results are written in order as they come,
so memory stays flat however long the input is. Worker processes (fork) share
the chunks; the output equals that of one process.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterable, Iterator
from itertools import chain
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from .config import PredictConfig
from .errors import DataError, TrainerError
from .output import format_columns, format_header, format_records
from .predict import as_predictor, label_chunk
from .sources import _undecodable
from .workers import fork_pool, job_count, spawning_without_interrupts

if TYPE_CHECKING:
    from sklearn.pipeline import Pipeline

__all__ = ["write_predictions", "write_stream_predictions"]

_DEFAULTS = PredictConfig()

# Worker processes inherit the model through fork; these hold it.
_WORKER: dict[str, Any] = {}


def _work(chunk: list[tuple[int, str]]) -> str | bytes:
    """Label and format one chunk of ``(doc, text)`` pairs (as UTF-8 bytes if the output takes them)."""
    formatted = _format(chunk)
    return formatted.encode("utf-8") if _WORKER["binary"] else formatted


def _format(chunk: list[tuple[int, str]]) -> str:
    options = _WORKER["options"]
    labelled = label_chunk(_WORKER["model"], chunk, **options["label"])
    if labelled is None:
        return ""
    if labelled.explanations is None:
        columns = (labelled.docs, labelled.positions, labelled.sentences, labelled.labels, labelled.proba)
        return format_columns(options["format"]["output_format"], *columns, **_styling(options["format"]))
    return format_records(labelled.records(), **options["format"])


def _styling(options: dict) -> dict:
    """The table's styling options (ignored by the other formats)."""
    return {"color": options["color"], "width": options["width"]} if options["output_format"] == "table" else {}


def _work_on_bytes(block: tuple[int, bytes]) -> str | bytes:
    """Decode a block of whole lines (in the worker, to spare the reading process) and label it."""
    first_line, data = block
    return _work(list(enumerate(_decode_lines(data, first_line), first_line)))


def _decode_lines(data: bytes, first_line: int) -> list[str]:
    encoding, name = _WORKER["encoding"], _WORKER["name"]
    try:
        text = data.decode(encoding)
    except UnicodeError as whole:
        for number, raw in enumerate(data.split(b"\n"), first_line):
            try:
                raw.decode(encoding)
            except UnicodeError as exc:
                if not isinstance(exc, UnicodeDecodeError):  # undefined, punycode, idna: no byte to name
                    raise DataError(_undecodable(name, encoding, exc, number)) from None
                if exc.reason == "unexpected end of data":
                    raise DataError(
                        f"Line {number} of {name} ends inside a character: byte 0x{raw[exc.start]:02x} at column "
                        f"{exc.start + 1} starts a {encoding} character that is cut off (a truncated file?). "
                        "Restore the end of the line or pass the right --encoding."
                    ) from None
                raise DataError(
                    f"Line {number} of {name} is not valid {encoding}: byte 0x{raw[exc.start]:02x} at "
                    f"column {exc.start + 1}. Pass the right --encoding (e.g. latin-1) or re-save it as UTF-8."
                ) from None
        raise DataError(_undecodable(name, encoding, whole, first_line)) from None
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    if "\r" not in text:  # most files: no line to look at
        return lines
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


def _lines_are_bytes(encoding: str) -> bool:
    """Whether a line end is the byte ``\\n`` in ``encoding`` (not so in UTF-16 or UTF-32)."""
    try:
        return "a\n".encode(encoding) == b"a\n"
    except (UnicodeError, LookupError, TypeError):
        return False


def _decoded_lines(stream: IO[bytes], encoding: str, name: str) -> Iterator[str]:
    """The lines of a stream in an encoding whose line ends are not single bytes, decoded here."""
    import io

    text = io.TextIOWrapper(stream, encoding=encoding, newline="\n")
    number = 0
    try:
        for number, line in enumerate(text, 1):  # noqa: B007 (used in the message)
            line = line[:-1] if line.endswith("\n") else line
            yield line[:-1] if line.endswith("\r") else line
    except UnicodeDecodeError as exc:
        if exc.reason in ("truncated data", "unexpected end of data"):
            raise DataError(
                f"{name} ends inside a character after line {number}: its last bytes are not complete "
                f"{encoding} text (a truncated file?). Restore the end of the file or pass the right --encoding."
            ) from None
        raise DataError(
            f"Line {number + 1} of {name} is not valid {encoding} ({exc.reason}). Pass the right --encoding "
            "(e.g. utf-16) or re-save it as UTF-8."
        ) from None
    except UnicodeError as exc:  # undefined, punycode, a UTF-16 stream without its BOM: no byte to name
        raise DataError(_undecodable(name, encoding, exc, number + 1)) from None
    finally:
        text.detach()


def _byte_blocks(stream: IO[bytes], size: int, *, drop_bom: bool, jobs: int = 1) -> Iterator[tuple[int, bytes]]:
    """Blocks of about ``size`` bytes that end at a line end, with the number of their first line.

    Near the end of a file of known size the blocks get smaller (down to an eighth
    of ``size``), so that the ``jobs`` workers finish at about the same time
    instead of one labelling a whole last block alone.
    """
    import codecs

    end = _file_size(stream)
    line = 1
    first = True
    while True:
        wanted = size
        if end is not None and jobs > 1:
            wanted = min(size, max(size // 8, (end - stream.tell()) // (2 * jobs)))
        data = stream.read(wanted)
        if not data:
            return
        if not data.endswith(b"\n"):
            data += stream.readline()
        if first and drop_bom and data.startswith(codecs.BOM_UTF8):
            data = data[len(codecs.BOM_UTF8) :]
        first = False
        yield line, data
        line += data.count(b"\n")


def _file_size(stream: IO[bytes]) -> int | None:
    """The size of a regular file (None for a pipe, a terminal or a stream without a file)."""
    import stat

    try:
        status = os.fstat(stream.fileno())
        stream.tell()
    except (AttributeError, OSError, ValueError):
        return None
    return status.st_size if stat.S_ISREG(status.st_mode) else None


def _run(chunks: Iterator, work, emit, n_jobs: int, before_fork=lambda: None) -> None:
    """Apply ``work`` to every chunk and ``emit`` the results in order, in worker processes if worth it."""
    first = next(chunks, None)
    if first is None:
        return
    second = next(chunks, None)
    jobs = job_count(n_jobs)
    everything = chain([first], [] if second is None else [second], chunks)
    if second is None or jobs == 1:
        for chunk in everything:
            emit(work(chunk))
        return
    from concurrent.futures.process import BrokenProcessPool

    before_fork()
    with fork_pool(jobs) as pool:
        pending: deque = deque()
        try:
            with spawning_without_interrupts(start_trackers=False):  # the first submit forks every worker
                pending.append(pool.submit(work, next(everything)))
            for chunk in everything:
                pending.append(pool.submit(work, chunk))
                while len(pending) > 2 * jobs:  # bounded read-ahead: memory stays flat
                    emit(pending.popleft().result())
            while pending:
                emit(pending.popleft().result())
        except BrokenProcessPool:
            raise TrainerError(
                "A worker process died while labelling (out of memory?). Run again, or with --jobs 1."
            ) from None
        finally:
            for future in pending:
                future.cancel()


def _write(chunks: Iterator, work, out: IO[str], *, model: Any, options: dict, n_jobs: int, **worker: Any) -> None:
    predictor = as_predictor(model)
    output_format = options["format"]["output_format"]
    header = format_header(output_format, explain=bool(options["label"]["explain"]), color=options["format"]["color"])
    # Workers hand UTF-8 bytes straight to a UTF-8 output's buffer: no decoding and re-encoding here.
    utf8 = (getattr(out, "encoding", None) or "").lower().replace("-", "") == "utf8"
    binary = getattr(out, "buffer", None) if utf8 else None
    _WORKER.update(model=predictor, options=options, binary=binary is not None, **worker)
    started = False

    def emit(formatted: str | bytes) -> None:
        nonlocal started
        if formatted:
            if not started:
                out.write(header)
                out.flush()
                started = True
            if binary is None:
                out.write(formatted)
            else:
                binary.write(formatted)

    def before_fork() -> None:
        predictor.vocabulary.index.prepare()  # build the hash tables once, for all workers

    try:
        _run(chunks, work, emit, n_jobs, before_fork)
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
    model : Predictor, Pipeline, str or Path, optional
        A predictor, a fitted pipeline or a model directory.
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
    from .sources import check_encoding

    codec = check_encoding(encoding)
    options = _options(output_format, split, min_confidence, explain, color, width)
    if not _lines_are_bytes(codec):  # UTF-16, UTF-32: decode here, label the lines in the workers
        lines = _text_chunks(_decoded_lines(stream, encoding, name), _DEFAULTS.chunk_size)
        _write(lines, _work, out, model=model, options=options, n_jobs=n_jobs)
        return
    blocks = _byte_blocks(stream, block_size, drop_bom=codec == "utf-8", jobs=job_count(n_jobs))
    _write(blocks, _work_on_bytes, out, model=model, options=options, n_jobs=n_jobs, encoding=encoding, name=name)
