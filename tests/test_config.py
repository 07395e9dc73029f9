"""The defaults: grouped by concern, and a value that cannot work refused before any fit."""

from dataclasses import replace

import pytest

from trainer.config import ClassifierConfig, DataConfig, FeatureConfig, SearchConfig, TrainingConfig
from trainer.model import build_pipeline


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: TrainingConfig(save_format="zip"), r"save_format must be one of \['joblib', 'skops'\], not 'zip'"),
        (lambda: TrainingConfig(n_jobs=0), "n_jobs must be -1"),
        (lambda: TrainingConfig(n_jobs=-2), "n_jobs must be -1"),
        (lambda: DataConfig(test_size=0), "test_size must lie between 0 and 1"),
        (lambda: DataConfig(test_size=1.5), "test_size must lie between 0 and 1"),
        (lambda: FeatureConfig(ngram_range=(2, 1)), "ngram_range must be"),
        (lambda: FeatureConfig(min_df=0), "min_df must be a whole number"),
        (lambda: ClassifierConfig(C=0), "C must be positive"),
        (lambda: ClassifierConfig(class_weight="heavy"), "class_weight must be None or 'balanced'"),
        (lambda: SearchConfig(cv_folds=1), "cv_folds must be a whole number of at least 2"),
        (lambda: SearchConfig(cv_folds=True), "cv_folds must be a whole number"),
        (lambda: SearchConfig(space={"alpha": [1.0]}), r"space names unknown hyperparameters \['alpha'\]"),
        (lambda: SearchConfig(space={"C": []}), r"space gives no values for \['C'\]"),
    ],
)
def test_a_value_that_cannot_work_is_refused_on_construction(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_every_problem_is_named_at_once():
    with pytest.raises(ValueError, match=r"save_format.*; n_jobs"):
        TrainingConfig(save_format="zip", n_jobs=0)


def test_replace_validates_too():
    with pytest.raises(ValueError, match="test_size"):
        replace(DataConfig(), test_size=2.0)


def test_the_pipeline_takes_its_defaults_from_the_parts():
    config = TrainingConfig(
        features=FeatureConfig(ngram_range=(1, 3), cues=False), classifier=ClassifierConfig(C=2.0, max_iter=50)
    )
    pipe = build_pipeline(config=config)
    assert pipe.named_steps["features"].ngram_range == (1, 3) and pipe.named_steps["features"].cues is False
    assert pipe.named_steps["clf"].C == 2.0 and pipe.named_steps["clf"].max_iter == 50
    assert config.hyperparameters() == {
        "ngram_range": (1, 3),
        "sublinear_tf": True,
        "min_df": 1,
        "quotes": True,
        "cues": False,
        "C": 2.0,
        "class_weight": None,
    }
