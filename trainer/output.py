"""Format per-sentence records as a table (for people), JSON Lines or CSV (for programs).

Formatters take a block of records and return one string, so that labelling and
formatting can run in worker processes and the output is written in large pieces.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from json.encoder import encode_basestring
from typing import Any

from .config import LABELS, UNCERTAIN

__all__ = ["LOW_CONFIDENCE", "OUTPUT_FORMATS", "format_columns", "format_header", "format_records"]

OUTPUT_FORMATS = ("table", "jsonl", "csv")
#: Table rows whose top probability is below this are dimmed and marked with "?".
LOW_CONFIDENCE = 0.5

_COLOURS = {"reported_fact": "cyan", "estimate": "yellow", "opinion": "magenta", UNCERTAIN: "white"}
_SHORT = {"estimate": "p_est", "opinion": "p_opi", "reported_fact": "p_fact"}
# C0/C1 control characters would break a table row: show them as spaces.
_CONTROL = {c: " " for c in (*range(32), *range(127, 160))}
_LABEL_WIDTH = max(len(label) for label in (*LABELS, UNCERTAIN))


def format_header(output_format: str, *, explain: bool = False, color: bool = False) -> str:
    """Return the header line of a format (empty for JSON Lines).

    Parameters
    ----------
    output_format : {"table", "jsonl", "csv"}
        The output format.
    explain : bool
        Whether records carry an ``explanation``.
    color : bool
        Use ANSI styles (tables only).

    Returns
    -------
    str
        The header with its line end, or ``""``.
    """
    if output_format == "csv":
        columns = ["doc", "sentence", "text", "label", *(f"p_{label}" for label in LABELS)]
        return ",".join([*columns, "explanation"] if explain else columns) + "\n"
    if output_format == "table":
        probs = " ".join(f"{_SHORT[label]:>6}" for label in LABELS)
        line = f"{'doc':>5} {'sent':>4}  {'label':<{_LABEL_WIDTH}}  {probs}  text"
        return (_style(line, bold=True) if color else line) + "\n"
    return ""


def format_records(
    records: Sequence[dict[str, Any]],
    output_format: str,
    *,
    color: bool = False,
    width: int | None = None,
) -> str:
    """Format records in one of `OUTPUT_FORMATS`.

    Parameters
    ----------
    records : sequence of dict
        Records with ``doc``, ``sentence``, ``text``, ``label``, ``probabilities``
        and optionally ``explanation``.
    output_format : {"table", "jsonl", "csv"}
        The output format.
    color : bool
        Colour labels and dim low-confidence rows (tables only).
    width : int, optional
        Cut table text to fit this many columns, with an ellipsis.

    Returns
    -------
    str
        One line per record (tables: plus one per explanation).
    """
    if output_format == "jsonl":
        return "".join(_jsonl(r) for r in records)
    if output_format == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        for r in records:
            row = [r["doc"], r["sentence"], r["text"], r["label"], *(f"{r['probabilities'][k]:.6f}" for k in LABELS)]
            if "explanation" in r:
                row.append(" ".join(f"{f}:{c:+.4f}" for f, c in r["explanation"]))
            writer.writerow(row)
        return buffer.getvalue()
    if output_format == "table":
        return "".join(_table_row(r, color=color, width=width) for r in records)
    raise ValueError(f"unknown output format {output_format!r}")


def format_columns(
    output_format: str,
    docs: Sequence[int],
    positions: Sequence[int],
    texts: Sequence[str],
    labels: Sequence[str],
    proba: Any,
    *,
    color: bool = False,
    width: int | None = None,
) -> str:
    """Format labelled sentences given column by column as JSON Lines, CSV or a table.

    The fast path for large outputs: it writes the same text as `format_records`
    without building a dictionary per sentence.

    Parameters
    ----------
    output_format : {"jsonl", "csv", "table"}
        The output format.
    docs, positions, texts, labels : sequence
        One entry per sentence.
    proba : numpy.ndarray
        Probabilities, one row per sentence, columns in `LABELS` order.
    color, width : optional
        Table styling, as in `format_records`.

    Returns
    -------
    str
        One line per sentence.
    """
    if output_format == "jsonl":  # one %-format per row over columns: a third faster than an f-string
        written = _probability_fields(proba)
        if written is None:  # values "%.6f" writes otherwise than "0.dddddd" (never from a model)
            probabilities = ", ".join(f'"{label}": %.6f' for label in LABELS)
            columns = zip(docs, positions, map(encode_basestring, texts), labels, *proba.T.tolist(), strict=True)
        else:
            probabilities = f'"{LABELS[0]}": %s'
            columns = zip(docs, positions, map(encode_basestring, texts), labels, written, strict=True)
        line = '{"doc": %d, "sentence": %d, "text": %s, "label": "%s", "probabilities": {' + probabilities + "}}\n"
        return "".join(map(line.__mod__, columns))
    rows = zip(docs, positions, texts, labels, proba.tolist(), strict=True)
    if output_format == "csv":
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerows(
            (d, s, t, lab, f"{p[0]:.6f}", f"{p[1]:.6f}", f"{p[2]:.6f}") for d, s, t, lab, p in rows
        )
        return buffer.getvalue()
    if output_format == "table":
        if color:  # styled rows are rare (a terminal): the per-record path
            records = [
                {"doc": d, "sentence": s, "text": t, "label": lab, "probabilities": dict(zip(LABELS, p, strict=True))}
                for d, s, t, lab, p in rows
            ]
            return format_records(records, "table", color=True, width=width)
        return "".join(_plain_table_rows(rows, width))
    raise ValueError(f"format_columns writes jsonl, csv or table, not {output_format!r}")


def _probability_fields(proba: Any) -> list[str] | None:
    """The probabilities of each row as JSON Lines writes them, from the first value on, made with NumPy.

    ``0.123456, "opinion": 0.234567, "reported_fact": 0.642077`` for each row: what
    ``"%.6f"`` gives of each value, written as digits of the value rounded to
    millionths, without a ``%`` format of each float. None if a value is not in
    [0, 1] (or is -0.0), where ``"%.6f"`` writes something else.
    """
    import numpy as np  # here: the CLI imports this module for --help, which must not import numpy

    values = np.asarray(proba, dtype=np.float64)
    if values.ndim != 2 or values.shape[1] != len(LABELS) or not np.all((values >= 0) & (values <= 1)):
        return None
    if np.signbit(values).any():
        return None
    glue = [f', "{label}": ' for label in LABELS[1:]] + ["\n"]
    parts = []
    for column, after in zip(values.T, glue, strict=True):
        parts.append(_millionths(column))
        parts.append(np.broadcast_to(np.frombuffer(after.encode("ascii"), dtype=np.uint8), (len(values), len(after))))
    return np.concatenate(parts, axis=1).tobytes().decode("ascii").split("\n")[:-1]


def _millionths(values: Any) -> Any:
    """``"%.6f" % v`` of each value in [0, 1], as rows of 8 ASCII bytes.

    ``v * 1e6`` is within 1e-9 of the exact product, so it rounds to the same whole
    number as ``"%.6f"`` does unless it lies that close to a half; those few (such
    as 1/128, a tie that ``"%.6f"`` rounds to even) are written by ``"%.6f"`` itself.
    """
    import numpy as np

    scaled = values * 1e6
    whole = np.floor(scaled + 0.5).astype(np.int64)
    for i in np.flatnonzero(np.abs(scaled - np.floor(scaled) - 0.5) < 1e-6).tolist():
        whole[i] = int(f"{values[i]:.6f}".replace(".", ""))
    digits = np.empty((len(values), 8), dtype=np.uint8)
    digits[:, 0] = ord("0") + whole // 1_000_000
    digits[:, 1] = ord(".")
    rest = whole % 1_000_000
    for place in range(7, 1, -1):
        digits[:, place] = ord("0") + rest % 10
        rest //= 10
    return digits


def _plain_table_rows(rows, width: int | None):
    """Table rows without styles, as `_table_row` writes them, without a dictionary per row."""
    for d, s, t, lab, p in rows:
        mark = "?" if max(p) < LOW_CONFIDENCE or lab == UNCERTAIN else " "
        prefix = f"{d:>5} {s:>4}{mark} "
        text = t.translate(_CONTROL) if not t.isprintable() else t
        if width is not None:
            room = max(10, width - len(prefix) - _LABEL_WIDTH - 24)
            if len(text) > room:
                text = text[: room - 1] + "…"
        yield f"{prefix}{lab:<{_LABEL_WIDTH}}  {p[0]:6.2f} {p[1]:6.2f} {p[2]:6.2f}  {text}\n"


def _jsonl(r: dict[str, Any]) -> str:
    p = r["probabilities"]
    probs = ", ".join(f'"{k}": {p[k]:.6f}' for k in LABELS)
    extra = ""
    if "explanation" in r:
        pairs = ", ".join(f"[{encode_basestring(f)}, {c:.6f}]" for f, c in r["explanation"])
        extra = f', "explanation": [{pairs}]'
    return (
        f'{{"doc": {r["doc"]}, "sentence": {r["sentence"]}, "text": {encode_basestring(r["text"])}, '
        f'"label": "{r["label"]}", "probabilities": {{{probs}}}{extra}}}\n'
    )


def _style(text: str, **kwargs: Any) -> str:
    import click

    return click.style(text, **kwargs)


def _table_row(r: dict[str, Any], *, color: bool, width: int | None) -> str:
    p = r["probabilities"]
    top = max(p.values())
    low = top < LOW_CONFIDENCE or r["label"] == UNCERTAIN
    mark = "?" if low else " "
    probs = " ".join(f"{p[k]:6.2f}" for k in LABELS)
    prefix = f"{r['doc']:>5} {r['sentence']:>4}{mark} "
    label = f"{r['label']:<{_LABEL_WIDTH}}"
    text = r["text"].translate(_CONTROL)
    room = None if width is None else max(10, width - len(prefix) - _LABEL_WIDTH - len(probs) - 4)
    if room is not None and len(text) > room:
        text = text[: room - 1] + "…"
    if color:
        label = _style(label, fg=_COLOURS.get(r["label"], "white"), dim=low)
        text = _style(text, dim=low)
    line = f"{prefix}{label}  {probs}  {text}\n"
    if "explanation" in r:
        why = ", ".join(f"{f} {c:+.2f}" for f, c in r["explanation"]) or "(no n-gram favours it)"
        line += f"{'':>12}why: {why}\n"
    return line
