"""An evaluation report on disk: metrics, confusion and confidence pictures, and the most confident mistakes.

Plotting needs matplotlib (``pip install 'trainer[plot]'``); it draws with the
Agg canvas on standalone figures, so no display and no pyplot state are involved.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .config import PredictConfig
from .errors import ReportError
from .evaluate import calibration_bins

if TYPE_CHECKING:
    import numpy as np

    from .evaluate import ScoredData

__all__ = ["REPORT_FILES", "write_report"]

_DEFAULTS = PredictConfig()

#: The files `write_report` writes, in this order.
REPORT_FILES: tuple[str, ...] = ("metrics.json", "confusion_matrix.png", "confidence.png", "report.md")

_MISSING_MATPLOTLIB = "--report needs matplotlib: pip install 'trainer[plot]'"


def write_report(
    scored: ScoredData,
    directory: str | Path,
    *,
    mistakes: int = _DEFAULTS.report_mistakes,
    explain: int = _DEFAULTS.report_explain,
    bins: int = _DEFAULTS.report_bins,
) -> list[Path]:
    """Write an evaluation report into a directory.

    The files are ``metrics.json`` (`ScoredData.metrics`: what
    `trainer.evaluate.compute_metrics` returns plus ``data``, ``split`` and
    ``model``), ``confusion_matrix.png``, ``confidence.png`` (accuracy by bin
    of top probability, and a histogram of top probabilities) and ``report.md``,
    which embeds both pictures and the metrics table and lists the most
    confident mistakes, each explained by the n-grams that pushed it most toward
    its predicted label (as ``trainer predict --explain`` does). Other files in
    the directory are left alone; earlier report files are replaced.

    Parameters
    ----------
    scored : ScoredData
        Labelled sentences and a model's probabilities, from
        `trainer.evaluate.score_data`.
    directory : str or Path
        Where to write; created if missing.
    mistakes : int
        How many wrong predictions to list, highest top probability first.
    explain : int
        N-grams that explain each listed mistake.
    bins : int
        Equal-width bins of top probability in the reliability picture.

    Returns
    -------
    list of Path
        The files written, in the order of `REPORT_FILES`.

    Raises
    ------
    ReportError
        If matplotlib is not installed (checked before anything is written) or
        the directory cannot be written.

    Examples
    --------
    >>> from trainer.evaluate import score_data
    >>> write_report(score_data(split="test"), "/tmp/report")  # doctest: +SKIP
    [PosixPath('/tmp/report/metrics.json'), PosixPath('/tmp/report/confusion_matrix.png'), ...]
    """
    import numpy as np

    figure_types = _matplotlib()
    metrics = scored.metrics()
    best = scored.probabilities.argmax(axis=1)
    top = scored.probabilities[np.arange(len(best)), best]
    correct = np.array([scored.classes[b] == g for b, g in zip(best, scored.gold, strict=True)], dtype=bool)
    calibration = calibration_bins(top, correct, bins=bins)
    target = Path(directory)
    paths = [target / name for name in REPORT_FILES]
    try:
        target.mkdir(parents=True, exist_ok=True)
        paths[0].write_text(json.dumps(metrics, indent=2) + "\n", encoding="utf-8")
        _save(_confusion_figure(figure_types, metrics), paths[1])
        _save(_confidence_figure(figure_types, top, correct, calibration, bins), paths[2])
        rows = _mistakes(scored, best, top, correct, mistakes=mistakes, explain=explain)
        wrong = int((~correct).sum())
        markdown = _markdown(metrics, calibration, rows, wrong=wrong, explain=explain, warning=scored.warning())
        paths[3].write_text(markdown, encoding="utf-8")
    except OSError as exc:
        raise ReportError(
            f"Cannot write a report to {target}: {exc.strerror or exc}. Pass a writable --report directory."
        ) from None
    return paths


def _matplotlib() -> tuple[type, type]:
    try:
        import matplotlib  # noqa: F401  (fails first and clearly when matplotlib is missing)
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError:
        raise ReportError(_MISSING_MATPLOTLIB) from None
    return Figure, FigureCanvasAgg


def _save(figure: Any, path: Path) -> None:
    figure.savefig(path, format="png", dpi=100)


def _confusion_figure(figure_types: tuple[type, type], metrics: dict[str, Any]) -> Any:
    import numpy as np

    figure_class, canvas_class = figure_types
    labels = metrics["labels"]
    counts = np.asarray(metrics["confusion_matrix"])
    shares = counts / np.maximum(counts.sum(axis=1, keepdims=True), 1)
    fig = figure_class(figsize=(6, 5), layout="constrained")
    canvas_class(fig)
    ax = fig.add_subplot()
    image = ax.imshow(shares, cmap="Blues", vmin=0, vmax=1)
    for i in range(len(labels)):
        for j in range(len(labels)):
            color = "white" if shares[i, j] > 0.5 else "black"
            ax.text(j, i, f"{counts[i, j]}\n{shares[i, j]:.0%}", ha="center", va="center", color=color)
    ax.set_xticks(range(len(labels)), labels)
    ax.set_yticks(range(len(labels)), labels)
    ax.set_xlabel("predicted label")
    ax.set_ylabel("true label")
    ax.set_title(f"Confusion matrix ({metrics['support']} sentences)")
    fig.colorbar(image, ax=ax, label="share of the true label")
    return fig


def _confidence_figure(
    figure_types: tuple[type, type], top: np.ndarray, correct: np.ndarray, calibration: dict[str, Any], bins: int
) -> Any:
    import numpy as np

    figure_class, canvas_class = figure_types
    fig = figure_class(figsize=(11, 4.5), layout="constrained")
    canvas_class(fig)
    reliability, histogram = fig.subplots(1, 2)
    rows = calibration["bins"]
    low = min(row["low"] for row in rows)
    lefts, accuracies = [row["low"] for row in rows], [row["accuracy"] for row in rows]
    style = {"color": "tab:blue", "edgecolor": "white", "label": "accuracy"}
    reliability.bar(lefts, accuracies, width=1 / bins, align="edge", **style)
    for row in rows:
        reliability.text(row["low"] + 0.5 / bins, row["accuracy"] + 0.01, str(row["n"]), ha="center", fontsize=8)
    reliability.plot([0, 1], [0, 1], linestyle="--", color="grey", label="perfectly calibrated")
    reliability.set_xlim(low, 1)
    reliability.set_ylim(0, 1.08)
    reliability.set_xlabel("top probability (bins; sentences above each bar)")
    reliability.set_ylabel("accuracy")
    reliability.set_title(f"Reliability (expected calibration error {calibration['ece']:.3f})")
    reliability.legend(loc="upper left")
    edges = np.linspace(0, 1, bins + 1)
    colors, names = ["tab:green", "tab:red"], ["right", "wrong"]
    histogram.hist([top[correct], top[~correct]], bins=edges, stacked=True, color=colors, label=names)
    histogram.set_xlim(low, 1)
    histogram.set_xlabel("top probability")
    histogram.set_ylabel("sentences")
    histogram.set_title("Top probabilities")
    histogram.legend(loc="upper left")
    return fig


def _mistakes(
    scored: ScoredData, best: np.ndarray, top: np.ndarray, correct: np.ndarray, *, mistakes: int, explain: int
) -> list[dict[str, Any]]:
    """The most confident wrong predictions, each with its explanation."""
    import numpy as np

    wrong = np.flatnonzero(~correct)
    chosen = wrong[np.argsort(-top[wrong], kind="stable")][:mistakes]
    if not len(chosen):
        return []
    features = scored.model.transform([scored.texts[i] for i in chosen])
    names = scored.model.feature_names()
    return [
        {
            "text": scored.texts[i],
            "gold": scored.gold[i],
            "predicted": scored.classes[best[i]],
            "probability": float(top[i]),
            "explanation": scored.model.explain(features, row, int(best[i]), explain, names) if explain else [],
        }
        for row, i in enumerate(chosen)
    ]


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _markdown(
    metrics: dict[str, Any],
    calibration: dict[str, Any],
    rows: list[dict[str, Any]],
    *,
    wrong: int,
    explain: int,
    warning: str | None = None,
) -> str:
    from .evaluate import format_metrics

    sources = ", ".join(f"`{s}`" for s in metrics["data"])
    if metrics.get("recorded_at_fit"):
        what = (
            f"Model `{metrics['model']}`: the {metrics['support']} held-out sentences of {sources}, labelled at fit "
            "time by the model fitted on the training documents only (true held-out scores). The explanations "
            "of mistakes below come from the saved model, which was then refitted on all the data."
        )
    else:
        what = f"Model `{metrics['model']}` on {metrics['support']} sentences of {sources} ({metrics['split']} rows)."
    lines = [
        "# Evaluation report",
        "",
        *([f"> **Warning:** {warning}", ""] if warning else []),
        what,
        "",
        "## Scores",
        "",
        "```text",
        format_metrics(metrics),
        "```",
        "",
        f"Macro-F1 {metrics['macro']['f1']:.3f}, accuracy {metrics['accuracy']:.3f}. "
        "All figures are in [`metrics.json`](metrics.json).",
        "",
        "![Confusion matrix: rows are the true labels, columns the predicted ones](confusion_matrix.png)",
        "",
        "## Confidence",
        "",
        "A well-calibrated model whose top probability is p is right about p of the time. "
        f"Expected calibration error: {calibration['ece']:.3f} (the gap between accuracy and top probability, "
        "averaged over the bins, weighted by their sentences).",
        "",
        "![Accuracy by top probability, and how the top probabilities are spread](confidence.png)",
        "",
        "| top probability | sentences | accuracy | mean top probability |",
        "|---|---:|---:|---:|",
        *(
            f"| {b['low']:.2f}–{b['high']:.2f} | {b['n']} | {b['accuracy']:.3f} | {b['mean']:.3f} |"
            for b in calibration["bins"]
        ),
        "",
        "## Most confident mistakes",
        "",
    ]
    if not wrong or not rows:
        lines.append("There are no mistakes." if not wrong else f"{wrong} wrong predictions; none listed.")
        return "\n".join(lines) + "\n"
    intro = f"The {len(rows)} of {wrong} wrong predictions with the highest top probability, most confident first."
    if explain:
        intro += (
            f" *Why* lists up to {explain} n-grams that pushed the sentence most toward the predicted label "
            "(tf-idf value times the label's coefficient); numbers appear as their shape "
            "(`_round_number_`, `_exact_number_`, `_decimal_`, `_year_`, `_range_`)."
        )
    lines += [
        intro,
        "",
        "| # | sentence | gold | predicted | probability | why |",
        "|---:|---|---|---|---:|---|",
    ]
    for rank, row in enumerate(rows, 1):
        why = ", ".join(f"`{name}` ({weight:.3f})" for name, weight in row["explanation"])
        lines.append(
            f"| {rank} | {_cell(row['text'])} | {row['gold']} | {row['predicted']} | {row['probability']:.3f} | {why} |"
        )
    return "\n".join(lines) + "\n"
