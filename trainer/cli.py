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

TRAIN = TrainingConfig()
PREDICT = PredictConfig()


def _errors_to_click(command):
    """Turn library errors into one-line messages with exit status 1, and warnings into lines."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        def show(message, category, *_args, **_kwargs):
            click.echo(f"Warning: {message}", err=True)

        warnings.showwarning = show
        try:
            return command(*args, **kwargs)
        except TrainerError as exc:
            raise click.ClickException(str(exc)) from None
        except UnicodeEncodeError as exc:
            raise click.ClickException(
                f"Cannot write {exc.object[exc.start : exc.end]!r} in the output's encoding ({exc.encoding}). "
                "Set PYTHONIOENCODING=utf-8 (or a UTF-8 locale) and run again."
            ) from None

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
encoding_option = click.option(
    "--encoding", default=PREDICT.encoding, show_default=True, help="Encoding of the input text files."
)


def _column_options(command):
    for option in reversed(
        [
            click.option("--text-column", default=TRAIN.text_column, show_default=True, help="Column of sentences."),
            click.option("--label-column", default=TRAIN.label_column, show_default=True, help="Column of labels."),
            click.option(
                "--doc-column",
                default=TRAIN.doc_column,
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


def _config(**overrides) -> TrainingConfig:
    from dataclasses import replace

    return replace(TRAIN, **{k: v for k, v in overrides.items() if v is not None})


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
    default=TRAIN.test_size,
    show_default=True,
    type=click.FloatRange(0, 1, min_open=True, max_open=True),
    help="Share of documents held out when the data has no split column.",
)
@click.option(
    "--search/--no-search",
    default=TRAIN.search,
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
@_errors_to_click
def fit(
    data, model_dir, text_column, label_column, doc_column, label_map, encoding, seed, test_size, search, save_format
):
    """Train on labelled sentences, report held-out scores and save the model.

    \b
    Examples:
      trainer fit
      trainer fit --data mine.csv --label-map fakt=reported_fact --model models/mine
    """
    from .data import parse_label_map
    from .evaluate import format_metrics
    from .training import fit as fit_model

    config = _config(
        text_column=text_column,
        label_column=label_column,
        doc_column=doc_column,
        seed=seed,
        test_size=test_size,
        search=search,
        save_format=save_format,
    )
    result = fit_model(
        data=data,
        model_dir=_model_dir(model_dir, train_if_missing=False),
        config=config,
        label_map=parse_label_map(label_map),
        encoding=encoding,
    )
    meta = result.metadata["data"]
    click.echo(
        f"Data: {meta['sentences']} sentences in {meta['documents']} documents ({meta['sources']}); "
        f"held out by document: {result.n_test} sentences."
    )
    params = ", ".join(f"{k}={v}" for k, v in result.hyperparameters.items())
    cv = "" if result.cv_macro_f1 != result.cv_macro_f1 else f" (cross-validated macro-F1 {result.cv_macro_f1:.3f})"
    click.echo(f"Hyperparameters: {params}{cv}")
    click.echo("\nHeld-out scores (documents not seen in training):")
    click.echo(format_metrics(result.metrics))
    click.echo(f"\nMacro-F1: {result.metrics['macro']['f1']:.3f}")
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
    type=click.Choice(("table", "jsonl", "csv", "parquet")),
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
    """Score a saved model on labelled data (default: the corpus's test split).

    \b
    Examples:
      trainer evaluate
      trainer evaluate --data other.csv --model models/mine
      trainer evaluate --report reports/default
    """
    from .data import parse_label_map
    from .evaluate import format_metrics, score_data

    config = _config(text_column=text_column, label_column=label_column, doc_column=doc_column)
    model_dir = _model_dir(model_dir)
    scored = score_data(
        data=data, model=model_dir, split=split, config=config, label_map=parse_label_map(label_map), encoding=encoding
    )
    metrics = scored.metrics()
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
        click.echo(
            f"{metrics['support']} sentences of {', '.join(metrics['data'])} ({metrics['split']} rows), "
            f"model {model_dir}:"
        )
        click.echo(format_metrics(metrics))
        click.echo(f"\nMacro-F1: {metrics['macro']['f1']:.3f}")
    if scored.seen_in_training:
        heldout = scored.heldout_macro_f1
        click.echo(
            "Warning: the model was refitted on all of this data, held-out documents included, so these scores "
            f"are not held-out; its held-out macro-F1 before the refit was {heldout:.3f} (see its model card).",
            err=True,
        )
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
    from .store import load_predictor, read_metadata

    model_dir = _model_dir(model_dir)
    predictor = load_predictor(model_dir)
    click.echo(format_inspection(read_metadata(model_dir), top_features(predictor, top=top)))


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
