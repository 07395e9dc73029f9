"""Labels and every default setting, in one place.

The CLI reads its option defaults from these objects, so a default is never
written twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = [
    "FORMAT_VERSION",
    "LABELS",
    "SAVE_FORMATS",
    "PredictConfig",
    "TrainingConfig",
]

#: The three labels, sorted as scikit-learn sorts ``classes_``.
LABELS: tuple[str, ...] = ("estimate", "opinion", "reported_fact")

# Where the shipped corpus, the challenge suite and the default model live depends on how
# trainer is installed: trainer/paths.py resolves them (default_data, default_challenge,
# default_model_dir).

#: Version of the model-directory layout. Another version is refused on load, with a
#: message that says to retrain (version 1 held a scikit-learn TfidfVectorizer).
FORMAT_VERSION = 2

#: How a model file can be saved, and its file name.
SAVE_FORMATS = {"joblib": "model.joblib", "skops": "model.skops"}


@dataclass(frozen=True)
class TrainingConfig:
    """Defaults for reading labelled data, choosing hyperparameters and fitting.

    Parameters
    ----------
    text_column, label_column, doc_column, split_column, style_column : str
        Column names in the labelled data. The style column (a genre or writing
        style) is optional; with it, hyperparameters are chosen by shift-aware
        cross-validation that leaves whole styles out.
    test_size : float
        Share of documents held out when the data has no split column.
    seed : int
        Random state for the held-out split, cross-validation folds and the model.
    cv_folds : int
        Folds of the grouped cross-validation that chooses hyperparameters.
    ngram_range, sublinear_tf, min_df, quotes, cues, C, class_weight : object
        Hyperparameters of the default pipeline, used by `build_pipeline` and as
        the fallback when no search is run.
    solver, tol, max_iter : object
        How the logistic regression is fitted. Newton-CG converges in a few
        steps; L-BFGS stops earlier at the default tolerance and scores lower.
    search_space : dict
        Candidate hyperparameters tried by the grouped cross-validation.
    search : bool
        Choose hyperparameters by that cross-validation (else use the defaults above).
    calibrate : bool
        Scale the probabilities by one temperature fitted on out-of-fold scores of the
        same grouped folds (`trainer.calibration`).
    save_format : str
        ``"joblib"`` (fast, a pickle) or ``"skops"`` (safe to load from others).
    """

    text_column: str = "text"
    label_column: str = "label"
    doc_column: str = "doc_id"
    split_column: str = "split"
    style_column: str = "genre"
    test_size: float = 0.2
    seed: int = 0
    cv_folds: int = 5
    ngram_range: tuple[int, int] = (1, 2)
    sublinear_tf: bool = True
    min_df: int = 1
    quotes: bool = True
    cues: bool = True
    C: float = 10.0
    class_weight: str | None = None
    solver: str = "newton-cg"
    tol: float = 1e-4
    max_iter: int = 2000
    search_space: dict = field(
        default_factory=lambda: {
            "C": [1.0, 3.0, 10.0, 30.0],
            "class_weight": [None, "balanced"],
        }
    )
    search: bool = True
    calibrate: bool = True
    save_format: str = "joblib"
    n_jobs: int = -1

    def __post_init__(self) -> None:
        problems = []
        if self.save_format not in SAVE_FORMATS:
            problems.append(f"save_format must be one of {sorted(SAVE_FORMATS)}, not {self.save_format!r}")
        if not 0 < self.test_size < 1:
            problems.append(f"test_size must lie between 0 and 1, not {self.test_size!r}")
        if not isinstance(self.cv_folds, int) or self.cv_folds < 2:
            problems.append(f"cv_folds must be a whole number of at least 2, not {self.cv_folds!r}")
        low, high = self.ngram_range
        if not 1 <= low <= high:
            problems.append(f"ngram_range must be (low, high) with 1 <= low <= high, not {self.ngram_range!r}")
        if not isinstance(self.min_df, int) or self.min_df < 1:
            problems.append(f"min_df must be a whole number of at least 1, not {self.min_df!r}")
        if not self.C > 0:
            problems.append(f"C must be positive, not {self.C!r}")
        if not isinstance(self.n_jobs, int) or self.n_jobs == 0 or self.n_jobs < -1:
            problems.append(f"n_jobs must be -1 (one per core) or a positive number, not {self.n_jobs!r}")
        if problems:
            raise ValueError("; ".join(problems))


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
