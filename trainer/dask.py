"""Label archives that outgrow one machine, on a Dask cluster (the optional extra ``trainer[dask]``).

Two entry points, both on the one predictor (`trainer.predictor.Predictor`):

* `label_dataframe` labels a column of a Dask DataFrame and returns a Dask
  DataFrame of per-sentence records;
* `label_files` labels text, JSON Lines, CSV or Parquet files (local paths, globs
  or any ``fsspec`` URL such as ``s3://bucket/archive/*.jsonl``) and writes one
  output file per input file, JSON Lines or Parquet.

The model is loaded, and verified as `trainer.load_model` verifies it, once per
worker process: tasks carry only its path. Each output file is written under a
temporary name and renamed when complete, so a task that Dask retries after a
worker died leaves each record exactly once, and nothing is ever half-written.
A JSON Lines output file is byte for byte what ``trainer predict --format jsonl
--file INPUT`` writes for a text file; records are in input order.
"""

from __future__ import annotations

import io
import posixpath
import uuid
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from .config import LABELS, PredictConfig
from .errors import DataError, TrainerError

__all__ = ["RECORD_COLUMNS", "connect", "label_dataframe", "label_files"]

_DEFAULTS = PredictConfig()
#: Columns of the per-sentence records.
RECORD_COLUMNS = ("source", "doc", "sentence", "text", "label", *(f"p_{label}" for label in LABELS))
_INPUT_FORMATS = {".txt": "text", ".text": "text", ".jsonl": "jsonl", ".csv": "csv", ".parquet": "parquet"}
_OUTPUT_FORMATS = ("jsonl", "parquet")
_PREDICTORS: dict[str, Any] = {}  # model directory -> Predictor, in each worker process
_MISSING = "Labelling on a cluster needs Dask: pip install 'trainer[dask]'."


def _require() -> Any:
    try:
        import dask
        import distributed  # noqa: F401
    except ImportError:
        raise TrainerError(_MISSING) from None
    return dask


def connect(scheduler: str) -> Any:
    """A ``distributed.Client``: ``"local"`` starts a LocalCluster on this machine, else a scheduler address.

    Parameters
    ----------
    scheduler : str
        ``"local"`` (one single-threaded worker process per core) or an address
        such as ``tcp://10.0.0.5:8786``.

    Returns
    -------
    distributed.Client

    Raises
    ------
    TrainerError
        If Dask is missing or the scheduler cannot be reached.
    """
    _require()
    from distributed import Client, LocalCluster

    from .workers import job_count

    try:
        if scheduler == "local":
            workers = job_count(-1)
            cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)
            return Client(cluster)
        return Client(scheduler, timeout="20s")
    except (OSError, TimeoutError) as exc:
        raise TrainerError(
            f"Cannot reach the Dask scheduler at {scheduler} ({exc}). Check the address or pass --scheduler local."
        ) from None


def _predictor(model_dir: str) -> Any:
    """The predictor of a model directory, loaded and verified once per process."""
    predictor = _PREDICTORS.get(model_dir)
    if predictor is None:
        from .store import load_predictor
        from .workers import keep_freed_memory

        keep_freed_memory()  # as trainer predict's own workers do: page faults would cost a third of the time
        predictor = _PREDICTORS[model_dir] = load_predictor(model_dir)
    return predictor


def _model_path(model: str | Path | None) -> str:
    if model is None:
        from .paths import default_model_dir

        model = default_model_dir()
    return str(Path(model).resolve())


def _label_pairs(predictor: Any, pairs: list[tuple[int, str]], *, split: bool, min_confidence: float) -> Any:
    from .predict import label_chunk

    return label_chunk(predictor, pairs, split=split, min_confidence=min_confidence, explain=0)


def _records_frame(chunks: list, source: str) -> Any:
    import numpy as np
    import pandas as pd

    docs, positions, texts, labels, proba = [], [], [], [], []
    for chunk in chunks:
        docs += chunk.docs
        positions += chunk.positions
        texts += chunk.sentences
        labels += chunk.labels
        proba.append(chunk.proba)
    matrix = np.vstack(proba) if proba else np.zeros((0, len(LABELS)))
    frame = pd.DataFrame(
        {
            "source": pd.Series([source] * len(docs), dtype=object),
            "doc": pd.Series(docs, dtype="int64"),
            "sentence": pd.Series(positions, dtype="int64"),
            "text": pd.Series(texts, dtype=object),
            "label": pd.Series(labels, dtype=object),
        }
    )
    for column, label in enumerate(LABELS):
        frame[f"p_{label}"] = matrix[:, column]
    return frame


def _empty_records() -> Any:
    return _records_frame([], "")


def label_dataframe(
    ddf: Any,
    *,
    column: str = "text",
    key: str | None = None,
    model: str | Path | None = None,
    split: bool = True,
    min_confidence: float = _DEFAULTS.min_confidence,
) -> Any:
    """Label the texts of a Dask DataFrame column, sentence by sentence.

    Parameters
    ----------
    ddf : dask.dataframe.DataFrame
        The texts, one per row.
    column : str
        The column of texts.
    key : str, optional
        A column that names each row (an article id, say), kept as ``source``;
        by default ``source`` is empty and ``doc`` numbers the rows of each
        partition from 1.
    model : str or Path, optional
        The model directory, visible to every worker (default: the default model).
    split : bool
        Split texts into sentences.
    min_confidence : float
        Label sentences whose top probability is below this ``"uncertain"``.

    Returns
    -------
    dask.dataframe.DataFrame
        Columns `RECORD_COLUMNS`, in partition, row and sentence order.

    Examples
    --------
    >>> import dask.dataframe as dd, pandas as pd  # doctest: +SKIP
    >>> frame = pd.DataFrame({"text": ["Prices rose 3%. It is a scandal."]})  # doctest: +SKIP
    >>> ddf = dd.from_pandas(frame, npartitions=1)  # doctest: +SKIP
    >>> label_dataframe(ddf).compute()["label"].tolist()  # doctest: +SKIP
    ['reported_fact', 'opinion']
    """
    _require()
    if column not in ddf.columns or (key is not None and key not in ddf.columns):
        missing = column if column not in ddf.columns else key
        raise DataError(f"Expected a column {missing!r} but the DataFrame has {list(ddf.columns)}. Pass column=...")
    return ddf.map_partitions(
        _label_partition,
        column=column,
        key=key,
        model_dir=_model_path(model),
        split=split,
        min_confidence=min_confidence,
        meta=_empty_records(),
        align_dataframes=False,
    )


def _label_partition(frame: Any, *, column: str, key: str | None, model_dir: str, split: bool, min_confidence: float):
    import pandas as pd

    predictor = _predictor(model_dir)
    texts = ["" if t is None or t != t else str(t) for t in frame[column].tolist()]  # None and NaN: no sentence
    keys = ["" if key is None else str(k) for k in (frame[key].tolist() if key else texts)]
    frames = []
    for source, rows in _runs(keys):
        pairs = [(i - rows.start + 1, texts[i]) for i in rows] if key else [(i + 1, texts[i]) for i in rows]
        chunk = _label_pairs(predictor, pairs, split=split, min_confidence=min_confidence)
        frames.append(_records_frame([chunk] if chunk else [], source))
    return pd.concat(frames, ignore_index=True) if frames else _empty_records()


def _runs(keys: list[str]) -> Iterator[tuple[str, range]]:
    """Runs of equal keys, in order."""
    start = 0
    for i in range(1, len(keys) + 1):
        if i == len(keys) or keys[i] != keys[start]:
            yield keys[start], range(start, i)
            start = i


def label_files(
    paths: str | Sequence[str],
    output: str,
    *,
    model: str | Path | None = None,
    client: Any = None,
    output_format: str = "jsonl",
    text_column: str = "text",
    split: bool = True,
    encoding: str = _DEFAULTS.encoding,
    min_confidence: float = _DEFAULTS.min_confidence,
    storage_options: dict | None = None,
) -> list[str]:
    """Label every text of many files on a Dask cluster and write one output file per input file.

    Parameters
    ----------
    paths : str or sequence of str
        Files, globs or ``fsspec`` URLs. ``.txt`` files hold one text per line;
        ``.jsonl``, ``.csv`` and ``.parquet`` files one text per row in ``text_column``.
    output : str
        The output directory (local or an ``fsspec`` URL); created if missing.
    model : str or Path, optional
        The model directory, visible to every worker.
    client : distributed.Client, optional
        The cluster (default: Dask's current client, else a LocalCluster).
    output_format : {"jsonl", "parquet"}
        JSON Lines as ``trainer predict --format jsonl`` writes it, or Parquet
        with the columns `RECORD_COLUMNS`.
    text_column : str
        The column of texts in JSON Lines, CSV and Parquet inputs.
    split : bool
        Split texts into sentences.
    encoding : str
        Encoding of text, JSON Lines and CSV inputs.
    min_confidence : float
        Label sentences whose top probability is below this ``"uncertain"``.
    storage_options : dict, optional
        Passed to ``fsspec`` (credentials, endpoints).

    Returns
    -------
    list of str
        The output files, in input order: ``NNNNN-<input name>.jsonl`` (or ``.parquet``).

    Raises
    ------
    DataError
        If no file matches, a format is unknown, or an input is bad (naming the file and line).
    ModelError
        If the model cannot be loaded.
    """
    _require()
    import fsspec

    if output_format not in _OUTPUT_FORMATS:
        raise DataError(f"Expected an output format in {list(_OUTPUT_FORMATS)} but found {output_format!r}.")
    options = storage_options or {}
    inputs = fsspec.open_files(paths if isinstance(paths, str) else list(paths), mode="rb", **options)
    if not inputs:
        raise DataError(f"No input file matches {paths!r}. Check the path or glob.")
    for opened in inputs:
        if _format_of(opened.path) is None:
            raise DataError(
                f"Expected input files ending in {sorted(_INPUT_FORMATS)} but found {opened.path}. "
                "Rename or convert it."
            )
    out_fs, out_root = fsspec.core.url_to_fs(output, **options)
    out_fs.makedirs(out_root, exist_ok=True)
    model_dir = _model_path(model)
    from .store import load_predictor

    load_predictor(model_dir)  # a bad model fails here, once, not in every task
    names = [
        posixpath.join(out_root, f"{i:05d}-{posixpath.basename(o.path)}.{output_format}") for i, o in enumerate(inputs)
    ]
    import dask

    tasks = [
        dask.delayed(_label_file, pure=False)(
            opened,
            (out_fs, name),
            model_dir=model_dir,
            output_format=output_format,
            text_column=text_column,
            split=split,
            encoding=encoding,
            min_confidence=min_confidence,
        )
        for opened, name in zip(inputs, names, strict=True)
    ]
    if client is None:
        from distributed import default_client

        try:
            client = default_client()
        except ValueError:
            client = None
    if client is None:
        with connect("local") as local:
            _compute(local, tasks)
    else:
        _compute(client, tasks)
    _remove_leftovers(out_fs, out_root, names)
    local = "file" in (out_fs.protocol if isinstance(out_fs.protocol, tuple) else (out_fs.protocol,))
    return names if local else [out_fs.unstrip_protocol(name) for name in names]


def _remove_leftovers(fs: Any, root: str, names: list[str]) -> None:
    """Delete the temporary files of attempts that a dead worker left behind (their task was retried)."""
    prefixes = tuple(f"{posixpath.basename(name)}.tmp-" for name in names)
    for entry in fs.ls(root, detail=False):
        if posixpath.basename(entry).startswith(prefixes):
            fs.rm(entry)


def _compute(client: Any, tasks: list) -> None:
    futures = client.compute(tasks)
    try:
        client.gather(futures)
    finally:
        for future in futures:
            future.release()


def _format_of(path: str) -> str | None:
    return _INPUT_FORMATS.get(posixpath.splitext(path)[1].lower())


def _label_file(
    opened: Any,
    target: tuple,
    *,
    model_dir: str,
    output_format: str,
    text_column: str,
    split: bool,
    encoding: str,
    min_confidence: float,
) -> str:
    """Label one input file and write its output under a temporary name, then rename it into place."""
    fs, name = target
    predictor = _predictor(model_dir)
    chunks = []
    batch: list[tuple[int, str]] = []
    for number, text in _texts(opened, text_column=text_column, encoding=encoding):
        batch.append((number, text))
        if len(batch) >= _DEFAULTS.chunk_size:
            chunks.append(_label_pairs(predictor, batch, split=split, min_confidence=min_confidence))
            batch = []
    if batch:
        chunks.append(_label_pairs(predictor, batch, split=split, min_confidence=min_confidence))
    chunks = [chunk for chunk in chunks if chunk is not None]
    temporary = f"{name}.tmp-{uuid.uuid4().hex}"
    try:
        with fs.open(temporary, "wb") as out:
            if output_format == "jsonl":
                from .output import format_columns

                for c in chunks:
                    columns = (c.docs, c.positions, c.sentences, c.labels, c.proba)
                    out.write(format_columns("jsonl", *columns).encode("utf-8"))
            else:
                import pyarrow as pa
                import pyarrow.parquet as pq

                pq.write_table(pa.Table.from_pandas(_records_frame(chunks, opened.path), preserve_index=False), out)
        fs.mv(temporary, name)
    except BaseException:
        if fs.exists(temporary):
            fs.rm(temporary)
        raise
    return name


def _texts(opened: Any, *, text_column: str, encoding: str) -> Iterator[tuple[int, str]]:
    """``(line or row number, text)`` of one input file; bad input names the file and line."""
    kind = _format_of(opened.path)
    with opened as raw:
        data = raw.read()
    if kind == "parquet":
        import pyarrow.parquet as pq

        table = pq.read_table(io.BytesIO(data))
        if text_column not in table.column_names:
            raise DataError(f"Expected a column {text_column!r} in {opened.path} but found {table.column_names}.")
        yield from ((i, _as_text(t)) for i, t in enumerate(table.column(text_column).to_pylist(), 1))
        return
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise DataError(
            f"Line {line} of {opened.path} is not valid {encoding}. Pass the right --encoding or re-save it as UTF-8."
        ) from None
    lines = text.removeprefix("\ufeff").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if kind == "text":
        yield from ((i, line.removesuffix("\r")) for i, line in enumerate(lines, 1))
    elif kind == "jsonl":
        import json

        for i, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise DataError(f"Line {i} of {opened.path} is not valid JSON ({exc.msg}). Fix the line.") from None
            if not isinstance(row, dict) or text_column not in row:
                raise DataError(f"Expected a {text_column!r} field on line {i} of {opened.path}. Fix the line.")
            yield i, _as_text(row[text_column])
    else:
        import csv

        reader = csv.DictReader(lines)
        if reader.fieldnames is None or text_column not in reader.fieldnames:
            raise DataError(f"Expected a column {text_column!r} in {opened.path} but found {reader.fieldnames}.")
        for i, row in enumerate(reader, 1):
            yield i, _as_text(row[text_column])


def _as_text(value: object) -> str:
    return "" if value is None else value if isinstance(value, str) else str(value)
