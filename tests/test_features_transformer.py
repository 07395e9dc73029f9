"""`TextFeatures` is a real scikit-learn transformer."""

import pickle

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError

from trainer.features import TextFeatures

TEXTS = ["Prices rose about 5% in May.", '"A reckless plan," he said.', "It is closed.", "We should stop this."]


def test_params_clone_and_fitted_attributes():
    features = TextFeatures(ngram_range=(1, 3), cues=False)
    assert features.get_params() == {
        "ngram_range": (1, 3),
        "sublinear_tf": True,
        "min_df": 1,
        "quotes": True,
        "cues": False,
    }
    copy = clone(features)
    assert copy.get_params() == features.get_params()
    with pytest.raises(NotFittedError):
        features.transform(TEXTS)
    matrix = features.fit_transform(TEXTS)
    assert matrix.shape == (4, len(features.idf_)) == (4, len(features.get_feature_names_out()))
    assert features.featurizer_version_ >= 2
    assert not hasattr(clone(features), "idf_")
    assert abs(features.transform(TEXTS) - matrix).max() < 1e-7


def test_pickles_without_its_cache():
    features = TextFeatures().fit(TEXTS)
    features.transform(TEXTS)
    state = features.__getstate__()
    assert "_vocabulary" not in state
    again = pickle.loads(pickle.dumps(features))
    assert abs(again.transform(TEXTS) - features.transform(TEXTS)).max() == 0


def test_skops_round_trip_trusts_only_our_class(tmp_path):
    import skops.io

    features = TextFeatures().fit(TEXTS)
    path = tmp_path / "features.skops"
    skops.io.dump(features, path)
    assert skops.io.get_untrusted_types(file=path) == ["trainer.features.transformer.TextFeatures"]
    again = skops.io.load(path, trusted=["trainer.features.transformer.TextFeatures"])
    np.testing.assert_array_equal(again.get_feature_names_out(), features.get_feature_names_out())


@pytest.mark.parametrize("bad", ["one string", [1, 2]])
def test_bad_input_is_refused(bad):
    with pytest.raises(ValueError, match="Expected"):
        TextFeatures().fit(bad)
