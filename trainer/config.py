"""Labels and every default setting, in one place.

The CLI reads its option defaults from these objects, so a default is never
written twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

__all__ = [
    "DEFAULT_DATA",
    "DEFAULT_MODEL_DIR",
    "FORMAT_VERSION",
    "LABELS",
    "PredictConfig",
    "TrainingConfig",
]

#: The three labels, sorted as scikit-learn sorts ``classes_``.
LABELS: tuple[str, ...] = ("estimate", "opinion", "reported_fact")

#: The shipped corpus, relative to the working directory (the repository root).
DEFAULT_DATA = Path("data/sentences.jsonl")

#: Where ``trainer fit`` writes and every other command reads a model by default.
DEFAULT_MODEL_DIR = Path("models/default")

#: Version of the model-directory layout; a newer one is refused on load.
FORMAT_VERSION = 1


@dataclass(frozen=True)
class TrainingConfig:
    """Defaults for reading labelled data, choosing hyperparameters and fitting.

    Parameters
    ----------
    text_column, label_column, doc_column, split_column : str
        Column names in the labelled data.
    test_size : float
        Share of documents held out when the data has no split column.
    seed : int
        Random state for the held-out split, cross-validation folds and the model.
    cv_folds : int
        Folds of the grouped cross-validation that chooses hyperparameters.
    ngram_range, sublinear_tf, min_df, C, class_weight : object
        Hyperparameters of the default pipeline, used by `build_pipeline` and as
        the fallback when no search is run.
    solver, tol, max_iter : object
        How the logistic regression is fitted. Newton-CG converges in a few
        steps; L-BFGS stops earlier at the default tolerance and scores lower.
    search_space : dict
        Candidate hyperparameters tried by the grouped cross-validation.
    save_format : str
        ``"joblib"`` (fast, a pickle) or ``"skops"`` (safe to load from others).
    """

    text_column: str = "text"
    label_column: str = "label"
    doc_column: str = "doc_id"
    split_column: str = "split"
    test_size: float = 0.2
    seed: int = 0
    cv_folds: int = 5
    ngram_range: tuple[int, int] = (1, 2)
    sublinear_tf: bool = True
    min_df: int = 1
    C: float = 30.0
    class_weight: str | None = None
    solver: str = "newton-cg"
    tol: float = 1e-4
    max_iter: int = 2000
    search_space: dict = field(
        default_factory=lambda: {
            "ngram_range": [(1, 2), (1, 3)],
            "C": [3.0, 10.0, 30.0, 100.0],
            "class_weight": [None, "balanced"],
        }
    )
    search: bool = True
    save_format: str = "joblib"
    n_jobs: int = -1


@dataclass(frozen=True)
class PredictConfig:
    """Defaults for labelling text.

    Parameters
    ----------
    output_format : str
        ``"table"`` for people, ``"jsonl"`` or ``"csv"`` for programs.
    chunk_size : int
        Texts labelled and written at a time; memory stays flat.
    block_size : int
        Bytes of a file read, labelled and written at a time.
    n_jobs : int
        Worker processes for large inputs (``-1``: one per core).
    encoding : str
        Encoding of input files and standard input.
    min_confidence : float
        Below this top probability a sentence is labelled ``uncertain`` (0: off).
    explain : int
        Number of n-grams that explain each label (0: off).
    inspect_top : int
        N-grams listed per label by ``trainer inspect``.
    report_mistakes : int
        Most confident mistakes listed in an evaluation report.
    report_explain : int
        N-grams that explain each mistake in an evaluation report.
    report_bins : int
        Bins of top probability in an evaluation report's reliability picture.
    """

    output_format: str = "table"
    chunk_size: int = 20_000
    block_size: int = 1 << 20
    n_jobs: int = -1
    encoding: str = "utf-8"
    min_confidence: float = 0.0
    explain: int = 0
    inspect_top: int = 15
    report_mistakes: int = 20
    report_explain: int = 5
    report_bins: int = 10


UNCERTAIN = "uncertain"
