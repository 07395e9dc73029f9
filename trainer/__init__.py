"""Label sentences of news and commentary as reported_fact, estimate or opinion.

The public API; importing it does not import scikit-learn or datasets.

Examples
--------
>>> import trainer
>>> model = trainer.load_model()  # doctest: +SKIP
>>> trainer.label_text("Prices rose 3% in May. That is a disgrace.")  # doctest: +SKIP
"""

from .config import LABELS, PredictConfig, TrainingConfig
from .data import read_data, split_by_document
from .errors import DataError, ModelError, TrainerError
from .evaluate import compute_metrics, evaluate
from .model import build_pipeline
from .predict import label_text, label_texts
from .sentences import split_sentences
from .store import ModelVersionWarning, load_model, read_metadata, save_model
from .streaming import write_predictions, write_stream_predictions
from .training import FitResult, fit

__all__ = [
    "LABELS",
    "DataError",
    "FitResult",
    "ModelError",
    "ModelVersionWarning",
    "PredictConfig",
    "TrainerError",
    "TrainingConfig",
    "build_pipeline",
    "compute_metrics",
    "evaluate",
    "fit",
    "label_text",
    "label_texts",
    "load_model",
    "read_data",
    "read_metadata",
    "save_model",
    "split_by_document",
    "split_sentences",
    "write_predictions",
    "write_stream_predictions",
]
