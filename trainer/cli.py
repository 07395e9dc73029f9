"""The ``trainer`` command line: parse options, call one library function, format the result.

Heavy libraries (scikit-learn, datasets) are imported only inside commands, so
``trainer --help`` starts fast.
"""

from __future__ import annotations

import functools
import logging
import sys
import warnings
from pathlib import Path

import click

from . import paths
from .config import SAVE_FORMATS, PredictConfig, TrainingConfig
from .errors import TrainerError
from .output import OUTPUT_FORMATS

TRAIN = TrainingConfig()
PREDICT = PredictConfig()


#: Exit status of a `trainer fit` that saved its model but could not print its scores.
SAVED_BUT_NOT_SHOWN = 3


class _OutputError(Exception):
    """Standard output could not be written (a full disk, a closed or broken descriptor)."""

    def __init__(self, error: OSError):
        super().__init__(error.strerror or str(error))


class _SavedButNotShown(click.ClickException):
    exit_code = SAVED_BUT_NOT_SHOWN


class _Output:
    """The one writer of standard output: an OS error on writing becomes `_OutputError` (one line).

    A broken pipe is let through: `predict` stops quietly when its reader has gone.
    """

    def __init__(self, stream):
        self._stream = stream

    def _guarded(self, method, *args):
        try:
            return method(*args)
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise _OutputError(exc) from None

    def write(self, data):
        return self._guarded(self._stream.write, data)

    def writelines(self, lines):
        return self._guarded(self._stream.writelines, lines)

    def flush(self):
        return self._guarded(self._stream.flush)

    @property
    def buffer(self):
        return _Output(self._stream.buffer)

    def __getattr__(self, name):
        return getattr(self._stream, name)


def _silence_stdout() -> None:
    """After an output error: point descriptor 1 at /dev/null so the exit's final flush cannot fail again."""
    import contextlib
    import os

    with contextlib.suppress(Exception):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.__stdout__.fileno())


def _errors_to_click(command):
    """Turn library errors into one-line messages with exit status 1, and warnings into lines.

    Standard output is written through `_Output` while the command runs, so a full
    disk or a closed descriptor is one line too. A `fit` that saved its model and
    then could not print exits with `SAVED_BUT_NOT_SHOWN` (3) and says the model was saved.
    """

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        def show(message, category, *_args, **_kwargs):
            click.echo(f"Warning: {message}", err=True)

        warnings.showwarning = show
        if sys.stdout is None:
            raise click.ClickException(
                "Cannot write the output: standard output is closed. Run again with it open or redirected "
                "(e.g. > out.txt)."
            )
        stdout = sys.stdout
        sys.stdout = _Output(stdout)
        try:
            return command(*args, **kwargs)
        except _OutputError as exc:
            _silence_stdout()
            ctx = click.get_current_context(silent=True)
            saved = ctx.meta.get("trainer.saved_model") if ctx is not None else None
            if saved is not None:
                raise _SavedButNotShown(
                    f"The model was saved to {saved}, but its scores could not be written to standard output: "
                    f"{exc}. See them with `trainer evaluate --model {saved}`."
                ) from None
            raise click.ClickException(f"Cannot write to standard output: {exc}.") from None
        except TrainerError as exc:
            raise click.ClickException(str(exc)) from None
        except UnicodeEncodeError as exc:
            raise click.ClickException(
                f"Cannot write {exc.object[exc.start : exc.end]!r} in the output's encoding ({exc.encoding}). "
                "Set PYTHONIOENCODING=utf-8 (or a UTF-8 locale) and run again."
            ) from None
        finally:
            sys.stdout = stdout

    return wrapper


class _ResolvedDefault(click.Option):
    """An option whose default (None when not given) is resolved by ``resolve`` and shown resolved in --help."""

    def __init__(self, *args, resolve, **kwargs):
        self.resolve = resolve
        super().__init__(*args, **kwargs)

    def get_help_extra(self, ctx):
        extra = super().get_help_extra(ctx)
        extra["default"] = str(self.resolve())
        return extra


def _model_dir(model_dir: Path | None, *, train_if_missing: bool = True) -> Path:
    """The --model directory; without one, the default, trained on the shipped corpus on first use."""
    if model_dir is not None:
        return model_dir
    if not train_if_missing:
        return paths.default_model_dir()
    return paths.ensure_default_model(notice=lambda line: click.echo(line, err=True))


model_option = click.option(
    "--model",
    "model_dir",
    cls=_ResolvedDefault,
    resolve=paths.default_model_dir,
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help=f"Model directory. The default: ${paths.MODEL_DIR_ENV} if set, else models/default of the "
    "checkout, else of the per-user data directory.",
)
data_option = click.option(
    "--data",
    "data",
    cls=_ResolvedDefault,
    resolve=paths.default_data,
    multiple=True,
    metavar="PATH_OR_NAME",
    help="Labelled data: a .csv/.tsv/.jsonl/.json/.parquet file or a Hugging Face Hub dataset; "
    "repeat to combine. The default is the shipped corpus.",
)


def _check_encoding(ctx, param, value: str) -> str:
    from .errors import DataError
    from .sources import check_encoding

    try:
        check_encoding(value)
    except DataError as exc:
        raise click.BadParameter(str(exc)) from None
    return value


encoding_option = click.option(
    "--encoding",
    default=PREDICT.encoding,
    show_default=True,
    callback=_check_encoding,
    help="Encoding of the input text files.",
)


def _column_options(command):
    for option in reversed(
        [
            click.option(
                "--text-column", default=TRAIN.data.text_column, show_default=True, help="Column of sentences."
            ),
            click.option(
                "--label-column", default=TRAIN.data.label_column, show_default=True, help="Column of labels."
            ),
            click.option(
                "--doc-column",
                default=TRAIN.data.doc_column,
                show_default=True,
                help="Column of document ids (held-out data is split by document).",
            ),
            click.option(
                "--label-map",
                multiple=True,
                metavar="FROM=TO,...",
                callback=_check_label_map,
                help="Rename labels found in the data, e.g. fakt=reported_fact.",
            ),
            encoding_option,
        ]
    ):
        command = option(command)
    return command


def _config(*, data: dict | None = None, search: bool | None = None, **overrides) -> TrainingConfig:
    """`TRAIN` with the options given on the command line (None: not given)."""
    from dataclasses import replace

    data = replace(TRAIN.data, **{k: v for k, v in (data or {}).items() if v is not None})
    searching = TRAIN.search if search is None else replace(TRAIN.search, enabled=search)
    return replace(TRAIN, data=data, search=searching, **{k: v for k, v in overrides.items() if v is not None})


def _check_label_map(ctx, param, value: tuple[str, ...]) -> tuple[str, ...]:
    from .data import parse_label_map
    from .errors import DataError

    try:
        parse_label_map(value)
    except DataError as exc:
        raise click.BadParameter(str(exc)) from None
    return value


def _check_jobs(ctx, param, value: int) -> int:
    if value == 0 or value < -1:
        raise click.BadParameter(f"{value} is not -1 (one per core) or a positive number of workers.")
    return value


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="trainer")
@click.option("-v", "--verbose", is_flag=True, help="Log progress to standard error.")
def main(verbose: bool) -> None:
    """Label each sentence of news and commentary as reported_fact, estimate or opinion."""
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, format="%(levelname)s: %(message)s")


@main.command()
@data_option
@model_option
@_column_options
@click.option("--seed", default=TRAIN.seed, show_default=True, help="Random state of splits, folds and model.")
@click.option(
    "--test-size",
    default=TRAIN.data.test_size,
    show_default=True,
    type=click.FloatRange(0, 1, min_open=True, max_open=True),
    help="Share of documents held out when the data has no split column.",
)
@click.option(
    "--search/--no-search",
    default=TRAIN.search.enabled,
    show_default=True,
    help="Choose hyperparameters by grouped cross-validation, or use the defaults.",
)
@click.option(
    "--save-format",
    type=click.Choice(sorted(SAVE_FORMATS)),
    default=TRAIN.save_format,
    show_default=True,
    help="joblib (a pickle: trusted sources only) or skops (safe to load from others).",
)
@click.option("-q", "--quiet", is_flag=True, help="No progress bar (it shows only when standard error is a terminal).")
@_errors_to_click
def fit(
    data,
    model_dir,
    text_column,
    label_column,
    doc_column,
    label_map,
    encoding,
    seed,
    test_size,
    search,
    save_format,
    quiet,
):
    """Train on labelled sentences, report held-out scores and save the model.

    Exit status: 0 when the model was saved and its scores printed; 1 on an
    error (the previous model is left as it was); 3 when the model was saved
    but its scores could not be written to standard output (a full disk).

    \b
    Examples:
      trainer fit
      trainer fit --data mine.csv --label-map fakt=reported_fact --model models/mine
    """
    from .data import parse_label_map
    from .evaluate import format_metrics
    from .training import fit as fit_model

    config = _config(
        data={
            "text_column": text_column,
            "label_column": label_column,
            "doc_column": doc_column,
            "test_size": test_size,
        },
        search=search,
        seed=seed,
        save_format=save_format,
    )
    result = fit_model(
        data=data,
        progress=not quiet and sys.stderr.isatty(),
        model_dir=_model_dir(model_dir, train_if_missing=False),
        config=config,
        label_map=parse_label_map(label_map),
        encoding=encoding,
    )
    click.get_current_context().meta["trainer.saved_model"] = result.model_dir
    meta = result.metadata["data"]
    click.echo(
        f"Data: {meta['sentences']} sentences in {meta['documents']} documents ({meta['sources']}); "
        f"held out by document: {result.n_test} sentences."
    )
    params = ", ".join(f"{k}={v}" for k, v in result.hyperparameters.items())
    click.echo(f"Hyperparameters: {params}")
    search = result.metadata["search"]
    if result.cv_macro_f1 == result.cv_macro_f1:  # not NaN: a search ran
        if search.get("shift_aware"):
            click.echo(
                f"Shift-aware score: cross-validated macro-F1 {result.cv_macro_f1:.3f} (folds leaving whole "
                f"{search['grouped_by']}s out), which chose them."
            )
        else:
            click.echo(
                f"Cross-validated macro-F1 {result.cv_macro_f1:.3f} (folds grouped by document; a "
                f"{TRAIN.data.style_column!r} column would give a shift-aware score)."
            )
    temperature = result.metadata.get("calibration", {}).get("temperature")
    if temperature is not None and temperature != 1.0:
        click.echo(f"Probabilities calibrated on those folds: temperature {temperature:.3f}.")
    click.echo("\nHeld-out scores (documents not seen in training):")
    click.echo(format_metrics(result.metrics))
    click.echo(f"\nMacro-F1: {result.metrics['macro']['f1']:.3f} (held-out documents)")
    click.echo(f"Model refitted on all data and saved to {result.model_dir}")


@main.command()
@click.argument("texts", nargs=-1)
@click.option(
    "--file",
    "file",
    type=click.Path(path_type=Path, dir_okay=False, allow_dash=True),
    help="Read texts from this file, one per line ('-' for standard input).",
)
@model_option
@click.option(
    "--format",
    "output_format",
    type=click.Choice((*OUTPUT_FORMATS, "parquet")),
    default=PREDICT.output_format,
    show_default=True,
    help="table for people; jsonl or csv for programs; parquet with --scheduler only.",
)
@click.option("--no-split", is_flag=True, help="Label each TEXT or input line as one unit, without splitting.")
@encoding_option
@click.option(
    "--jobs",
    default=PREDICT.n_jobs,
    show_default=True,
    callback=_check_jobs,
    help="Worker processes for large inputs (-1: one per core; never more than the cores).",
)
@click.option(
    "--min-confidence",
    default=PREDICT.min_confidence,
    show_default=True,
    type=click.FloatRange(0, 1),
    help="Label sentences whose top probability is below this 'uncertain' (0: off).",
)
@click.option(
    "--explain",
    default=PREDICT.explain,
    show_default=True,
    type=click.IntRange(0),
    metavar="N",
    help="Show the N n-grams that pushed each sentence most toward its label.",
)
@click.option("--strict", is_flag=True, help="Refuse a model saved with another scikit-learn version.")
@click.option(
    "--scheduler",
    envvar="TRAINER_SCHEDULER",
    metavar="ADDRESS",
    help="Label --file (a path, glob or fsspec URL) on a Dask cluster: 'local' for one on this machine, or "
    "a scheduler address such as tcp://HOST:8786 (also from TRAINER_SCHEDULER). Needs --output and "
    "pip install 'trainer[dask]'.",
)
@click.option(
    "--output",
    metavar="DIR",
    help="With --scheduler: the directory (or fsspec URL) for one output file per input file.",
)
@_errors_to_click
@click.pass_context
def predict(
    ctx,
    texts,
    file,
    model_dir,
    output_format,
    no_split,
    encoding,
    jobs,
    min_confidence,
    explain,
    strict,
    scheduler,
    output,
):
    """Split text into sentences and label each, with probabilities.

    Input is the TEXT arguments, or --file, or standard input when neither is
    given; in files each line is one text.

    \b
    Examples:
      trainer predict "Prices rose 3% in May. That is a disgrace."
      trainer predict --file article.txt --format jsonl
      cat comments.txt | trainer predict --no-split --format csv
    """
    import shutil

    from .store import load_predictor
    from .streaming import write_predictions, write_stream_predictions

    if texts and file is not None:
        raise click.UsageError("Give TEXT arguments or --file, not both.")
    _check_texts(texts)
    if scheduler is not None or output is not None:
        _predict_on_cluster(ctx, file, model_dir, output_format, no_split, encoding, min_confidence, scheduler, output)
        return
    if output_format == "parquet":
        raise click.UsageError("--format parquet writes files: use it with --scheduler and --output.")
    pipeline = load_predictor(_model_dir(model_dir), strict=strict)
    stdout = sys.stdout
    to_terminal = stdout.isatty()
    options = {
        "model": pipeline,
        "output_format": output_format,
        "split": not no_split,
        "n_jobs": jobs,
        "min_confidence": min_confidence,
        "explain": explain,
        "color": to_terminal and output_format == "table",
        "width": shutil.get_terminal_size().columns if to_terminal else None,
    }
    try:
        if texts:
            write_predictions(texts, stdout, **options)
        elif file is None or str(file) == "-":
            if sys.stdin is None:
                raise click.ClickException(
                    "Cannot read standard input: standard input is closed. Give TEXT arguments or --file, or pipe "
                    "text in."
                )
            write_stream_predictions(sys.stdin.buffer, stdout, encoding=encoding, **options)
        else:
            try:
                stream = file.open("rb")
            except OSError as exc:
                message = f"Cannot read {file}: {exc.strerror}. Check the path passed to --file."
                raise click.ClickException(message) from None
            with stream:
                write_stream_predictions(stream, stdout, encoding=encoding, name=str(file), **options)
        stdout.flush()
    except BrokenPipeError:
        # The reader (e.g. `head`) has gone: stop quietly, as Unix tools do.
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), stdout.fileno())


def _check_texts(texts: tuple[str, ...]) -> None:
    """Refuse a TEXT argument holding bytes that are not UTF-8 (Python keeps them as lone surrogates)."""
    for number, text in enumerate(texts, 1):
        try:
            text.encode("utf-8")
        except UnicodeEncodeError as exc:
            raw = text[exc.start : exc.end].encode("utf-8", "surrogateescape")
            shown = " ".join(f"0x{b:02x}" for b in raw[:4])
            raise click.UsageError(
                f"TEXT argument {number} holds bytes that are not valid UTF-8 ({shown} at character "
                f"{exc.start + 1}). Pass UTF-8 text, or put the text in a file and use --file with --encoding."
            ) from None


def _predict_on_cluster(ctx, file, model_dir, output_format, no_split, encoding, min_confidence, scheduler, output):
    """``trainer predict --scheduler``: label files on a Dask cluster, one output file per input file."""
    from .dask import connect, label_files

    if scheduler is None or output is None or file is None or str(file) == "-":
        raise click.UsageError("Labelling on a cluster needs --file PATH_OR_GLOB, --output DIR and --scheduler.")
    if ctx.get_parameter_source("output_format").name == "DEFAULT":
        output_format = "jsonl"
    if output_format not in ("jsonl", "parquet"):
        raise click.UsageError(f"--scheduler writes jsonl or parquet files, not {output_format}.")
    with connect(scheduler) as client:
        outputs = label_files(
            str(file),
            output,
            model=_model_dir(model_dir),
            client=client,
            output_format=output_format,
            split=not no_split,
            encoding=encoding,
            min_confidence=min_confidence,
        )
    click.echo(f"Labelled {len(outputs)} file(s) into {output}.", err=True)


@main.command()
@data_option
@model_option
@_column_options
@click.option(
    "--split",
    type=click.Choice(("test", "train", "all")),
    default=None,
    help="Rows to score.  [default: test when the data has a split column, else all]",
)
@click.option("--json", "as_json", is_flag=True, help="Print the metrics as JSON.")
@click.option(
    "--report",
    "report_dir",
    type=click.Path(path_type=Path, file_okay=False),
    metavar="DIR",
    help="Also write metrics.json, confusion_matrix.png, confidence.png and report.md (the most confident "
    "mistakes, explained) into DIR. Needs matplotlib: pip install 'trainer[plot]'.",
)
@_errors_to_click
def evaluate(data, model_dir, text_column, label_column, doc_column, label_map, encoding, split, as_json, report_dir):
    """Score a model: its held-out scores, or its scores on labelled data you give.

    With no --data, it shows the scores on the documents held out when the model
    was fitted, as the model fitted on the training documents alone labelled them
    (the saved model was then refitted on everything, so it cannot be scored on
    them). With --data, it scores the saved model and says, at the top, which
    share of the sentences the model was trained on.

    \b
    Examples:
      trainer evaluate
      trainer evaluate --data other.csv --model models/mine
      trainer evaluate --report reports/default
    """
    from .data import parse_label_map
    from .evaluate import format_metrics, score_data

    config = _config(data={"text_column": text_column, "label_column": label_column, "doc_column": doc_column})
    model_dir = _model_dir(model_dir)
    scored = score_data(
        data=data, model=model_dir, split=split, config=config, label_map=parse_label_map(label_map), encoding=encoding
    )
    metrics = scored.metrics()
    warning = scored.warning()
    if warning:
        click.echo(f"Warning: {warning}", err=True)
    written = []
    if report_dir is not None:
        from .report import write_report

        written = write_report(
            scored,
            report_dir,
            mistakes=PREDICT.report_mistakes,
            explain=PREDICT.report_explain,
            bins=PREDICT.report_bins,
        )
    if as_json:
        import json

        click.echo(json.dumps(metrics, indent=2))
    else:
        if scored.recorded:
            click.echo(
                f"Held-out documents of {', '.join(metrics['data'])}: {metrics['support']} sentences, labelled at fit "
                f"time by the model fitted on the training documents only (model {model_dir}):"
            )
        else:
            click.echo(
                f"{metrics['support']} sentences of {', '.join(metrics['data'])} ({metrics['split']} rows), "
                f"model {model_dir}:"
            )
        click.echo(format_metrics(metrics))
        click.echo(f"\nMacro-F1: {metrics['macro']['f1']:.3f}")
    if written:
        click.echo(f"Report written to {report_dir}: {', '.join(path.name for path in written)}", err=as_json)


@main.command("inspect")
@model_option
@click.option(
    "--top",
    default=PREDICT.inspect_top,
    show_default=True,
    type=click.IntRange(1),
    metavar="N",
    help="N-grams listed per label.",
)
@_errors_to_click
def inspect_model(model_dir, top):
    """Show what a saved model learned and how it was made.

    Prints the model's data, hyperparameters and how they were chosen, seed,
    held-out scores, library versions and creation time, then the N n-grams
    with the largest coefficients for each label.

    \b
    Examples:
      trainer inspect
      trainer inspect --model models/mine --top 30
    """
    from .inspection import format_inspection, top_features
    from .store import load_predictor_with_metadata

    model_dir = _model_dir(model_dir)
    predictor, metadata = load_predictor_with_metadata(model_dir)  # one version: metadata and arrays together
    click.echo(format_inspection(metadata, top_features(predictor, top=top)))


@main.command("challenge")
@model_option
@click.option(
    "--challenge",
    "challenge_path",
    cls=_ResolvedDefault,
    resolve=paths.default_challenge,
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="The challenge suite (JSON Lines: capability, test, group, text, label).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
@_errors_to_click
def challenge(model_dir, challenge_path, as_json):
    """Score a model on the behavioural challenge suite, capability by capability.

    The suite's sentences were written apart from the training corpus and are
    never trained on; each capability tests one labelling rule or one shortcut
    (present-tense facts, quoted judgements, thresholds against hedges, ...).

    \b
    Examples:
      trainer challenge
      trainer challenge --model models/mine --json
    """
    from .challenge import score_challenge

    result = score_challenge(_model_dir(model_dir), path=challenge_path or paths.default_challenge())
    if as_json:
        import json

        click.echo(json.dumps(result.to_dict(), indent=2))
    else:
        click.echo(result.format())
