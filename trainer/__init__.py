"""Label sentences of news and commentary as reported_fact, estimate or opinion.

The public API. Names are imported on first use (PEP 562), so ``import trainer``
and ``trainer --help`` do not import NumPy, scikit-learn or datasets.

Examples
--------
>>> import trainer
>>> model = trainer.load_model()  # doctest: +SKIP
>>> trainer.label_text("Prices rose 3% in May. That is a disgrace.")  # doctest: +SKIP
"""

from __future__ import annotations

import importlib
from typing import Any

# Public name -> the module that defines it.
_MODULES = {
    "LABELS": "config",
    "ClassifierConfig": "config",
    "DataConfig": "config",
    "FeatureConfig": "config",
    "PredictConfig": "config",
    "SearchConfig": "config",
    "TrainingConfig": "config",
    "DataError": "errors",
    "ModelError": "errors",
    "TrainerError": "errors",
    "read_data": "data",
    "split_by_document": "data",
    "compute_metrics": "evaluate",
    "evaluate": "evaluate",
    "build_pipeline": "model",
    "TextFeatures": "features.transformer",
    "Predictor": "predictor",
    "label_text": "predict",
    "label_texts": "predict",
    "split_sentences": "sentences",
    "ModelVersionWarning": "store",
    "load_model": "store",
    "load_predictor": "store",
    "read_metadata": "store",
    "save_model": "store",
    "write_predictions": "streaming",
    "write_stream_predictions": "streaming",
    "FitResult": "training",
    "fit": "training",
    "score_challenge": "challenge",
}

__all__ = sorted(_MODULES)


def __getattr__(name: str) -> Any:
    if name not in _MODULES:
        raise AttributeError(f"module 'trainer' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{_MODULES[name]}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
