"""Labels and every default setting, in one place.

The CLI reads its option defaults from these objects, so a default is never
written twice.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any

__all__ = [
    "FORMAT_VERSION",
    "LABELS",
    "SAVE_FORMATS",
    "ClassifierConfig",
    "DataConfig",
    "FeatureConfig",
    "PredictConfig",
    "SearchConfig",
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


def _refuse(problems: list[str]) -> None:
    if problems:
        raise ValueError("; ".join(problems))


def _whole(value: object, least: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= least


@dataclass(frozen=True)
class DataConfig:
    """Where the labelled data keeps what, and how documents are held out.

    Parameters
    ----------
    text_column, label_column, doc_column, split_column, style_column : str
        Column names in the labelled data. The style column (a genre or writing
        style) is optional; with it, hyperparameters are chosen by shift-aware
        cross-validation that leaves whole styles out.
    test_size : float
        Share of documents held out when the data has no split column.

    Examples
    --------
    >>> DataConfig(text_column="sentence").label_column
    'label'
    """

    text_column: str = "text"
    label_column: str = "label"
    doc_column: str = "doc_id"
    split_column: str = "split"
    style_column: str = "genre"
    test_size: float = 0.2

    def __post_init__(self) -> None:
        problems = []
        if not 0 < self.test_size < 1:
            problems.append(f"test_size must lie between 0 and 1, not {self.test_size!r}")
        _refuse(problems)


@dataclass(frozen=True)
class FeatureConfig:
    """Default hyperparameters of the text features (`trainer.features.TextFeatures`).

    Parameters
    ----------
    ngram_range : tuple of int
        Lowest and highest n-gram length.
    sublinear_tf : bool
        Use ``1 + log(tf)`` instead of raw counts.
    min_df : int
        Keep n-grams found in at least this many sentences.
    quotes : bool
        Mark tokens inside quotation marks (``q:``) and the sentence's quotation shape.
    cues : bool
        Add the cue classes of the team's word lists (``[hedge]``, ``[evaluative]``, ...).
    """

    ngram_range: tuple[int, int] = (1, 2)
    sublinear_tf: bool = True
    min_df: int = 1
    quotes: bool = True
    cues: bool = True

    def __post_init__(self) -> None:
        problems = []
        low, high = self.ngram_range
        if not 1 <= low <= high:
            problems.append(f"ngram_range must be (low, high) with 1 <= low <= high, not {self.ngram_range!r}")
        if not _whole(self.min_df, 1):
            problems.append(f"min_df must be a whole number of at least 1, not {self.min_df!r}")
        _refuse(problems)


@dataclass(frozen=True)
class ClassifierConfig:
    """The logistic regression: default hyperparameters and how it is fitted.

    Parameters
    ----------
    C : float
        Inverse regularisation strength.
    class_weight : str or None
        ``None`` or ``"balanced"``.
    solver, tol, max_iter : object
        Newton-CG converges in a few steps; L-BFGS stops earlier at the default
        tolerance and scores lower.
    """

    C: float = 10.0
    class_weight: str | None = None
    solver: str = "newton-cg"
    tol: float = 1e-4
    max_iter: int = 2000

    def __post_init__(self) -> None:
        problems = []
        if not self.C > 0:
            problems.append(f"C must be positive, not {self.C!r}")
        if self.class_weight not in (None, "balanced"):
            problems.append(f"class_weight must be None or 'balanced', not {self.class_weight!r}")
        if not _whole(self.max_iter, 1):
            problems.append(f"max_iter must be a whole number of at least 1, not {self.max_iter!r}")
        _refuse(problems)


@dataclass(frozen=True)
class SearchConfig:
    """How hyperparameters are chosen and probabilities calibrated.

    Parameters
    ----------
    enabled : bool
        Choose hyperparameters by grouped cross-validation (else use the defaults of
        `FeatureConfig` and `ClassifierConfig`).
    space : dict
        Candidate hyperparameters: names of `FeatureConfig` or ``C``/``class_weight``,
        each with a list of values.
    cv_folds : int
        Folds of the grouped cross-validation.
    calibrate : bool
        Scale the probabilities by one temperature fitted on out-of-fold scores of the
        same grouped folds (`trainer.calibration`).
    """

    enabled: bool = True
    space: dict = field(
        default_factory=lambda: {
            "C": [1.0, 3.0, 10.0, 30.0],
            "class_weight": [None, "balanced"],
        }
    )
    cv_folds: int = 5
    calibrate: bool = True

    def __post_init__(self) -> None:
        problems = []
        if not _whole(self.cv_folds, 2):
            problems.append(f"cv_folds must be a whole number of at least 2, not {self.cv_folds!r}")
        known = {f.name for f in fields(FeatureConfig)} | {"C", "class_weight"}
        unknown = sorted(set(self.space) - known)
        if unknown:
            problems.append(f"space names unknown hyperparameters {unknown}; known: {sorted(known)}")
        empty = sorted(name for name, values in self.space.items() if not list(values))
        if empty:
            problems.append(f"space gives no values for {empty}")
        _refuse(problems)


@dataclass(frozen=True)
class TrainingConfig:
    """Every default of `trainer fit`, grouped by concern.

    Parameters
    ----------
    data : DataConfig
        Column names and the held-out share.
    features : FeatureConfig
        Default text-feature hyperparameters.
    classifier : ClassifierConfig
        Default logistic-regression hyperparameters and solver.
    search : SearchConfig
        The hyperparameter search and calibration.
    seed : int
        Random state for the held-out split, cross-validation folds and the model.
    save_format : str
        ``"joblib"`` (fast, a pickle) or ``"skops"`` (safe to load from others).
    n_jobs : int
        Worker processes (``-1``: one per core).

    Raises
    ------
    ValueError
        On a value that cannot work, before anything is fitted.

    Examples
    --------
    >>> from dataclasses import replace
    >>> config = TrainingConfig()
    >>> replace(config, search=replace(config.search, enabled=False)).search.enabled
    False
    >>> TrainingConfig(save_format="zip")
    Traceback (most recent call last):
    ...
    ValueError: save_format must be one of ['joblib', 'skops'], not 'zip'
    """

    data: DataConfig = field(default_factory=DataConfig)
    features: FeatureConfig = field(default_factory=FeatureConfig)
    classifier: ClassifierConfig = field(default_factory=ClassifierConfig)
    search: SearchConfig = field(default_factory=SearchConfig)
    seed: int = 0
    save_format: str = "joblib"
    n_jobs: int = -1

    def __post_init__(self) -> None:
        problems = []
        if self.save_format not in SAVE_FORMATS:
            problems.append(f"save_format must be one of {sorted(SAVE_FORMATS)}, not {self.save_format!r}")
        if not isinstance(self.n_jobs, int) or self.n_jobs == 0 or self.n_jobs < -1:
            problems.append(f"n_jobs must be -1 (one per core) or a positive number, not {self.n_jobs!r}")
        if not isinstance(self.seed, int):
            problems.append(f"seed must be a whole number, not {self.seed!r}")
        _refuse(problems)

    def hyperparameters(self) -> dict[str, Any]:
        """Return the pipeline hyperparameters used when no search is run.

        Returns
        -------
        dict
            The fields of `FeatureConfig` plus ``C`` and ``class_weight``.

        Examples
        --------
        >>> sorted(TrainingConfig().hyperparameters())
        ['C', 'class_weight', 'cues', 'min_df', 'ngram_range', 'quotes', 'sublinear_tf']
        """
        return {**asdict(self.features), "C": self.classifier.C, "class_weight": self.classifier.class_weight}


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
