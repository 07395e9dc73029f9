import pytest

from tests.conftest import FAST, tiny_rows
from trainer.config import LABELS, TrainingConfig
from trainer.model import build_pipeline, default_hyperparameters, search_hyperparameters


def test_build_pipeline_has_text_features_then_logistic_regression():
    pipe = build_pipeline(C=3.0, ngram_range=(1, 1), cues=False)
    assert [name for name, _ in pipe.steps] == ["features", "clf"]
    assert pipe.named_steps["clf"].C == 3.0
    assert pipe.named_steps["features"].get_params()["ngram_range"] == (1, 1)
    assert pipe.named_steps["features"].cues is False
    assert pipe.named_steps["clf"].random_state == TrainingConfig().seed


def test_build_pipeline_rejects_unknown_hyperparameters():
    with pytest.raises(TypeError, match="Unknown hyperparameters"):
        build_pipeline(alpha=1.0)


def test_fitted_classes_are_the_three_labels():
    rows = tiny_rows()
    pipe = build_pipeline().fit([r["text"] for r in rows], [r["label"] for r in rows])
    assert list(pipe.classes_) == list(LABELS)


def test_search_returns_a_point_of_the_space_and_a_score():
    rows = tiny_rows()
    params, score = search_hyperparameters(
        [r["text"] for r in rows], [r["label"] for r in rows], [r["doc_id"] for r in rows], config=FAST
    )
    assert params["C"] in FAST.search.space["C"]
    assert 0.0 <= score <= 1.0
    assert set(params) == set(default_hyperparameters())


def test_search_with_one_document_falls_back_to_defaults():
    rows = tiny_rows()[:3]
    params, score = search_hyperparameters(
        [r["text"] for r in rows], [r["label"] for r in rows], ["d"] * 3, config=FAST
    )
    assert params == default_hyperparameters(FAST)
    assert score != score  # NaN


def test_search_shows_its_progress_on_standard_error_when_asked(capsys):
    rows = tiny_rows()
    texts, labels, groups = [r["text"] for r in rows], [r["label"] for r in rows], [r["doc_id"] for r in rows]
    search_hyperparameters(texts, labels, groups, config=FAST, progress=True)
    captured = capsys.readouterr()
    assert "Choosing hyperparameters" in captured.err and "fit" in captured.err
    assert captured.out == ""
    search_hyperparameters(texts, labels, groups, config=FAST)
    assert capsys.readouterr().err == ""


def test_search_picks_what_grid_search_picks():
    from sklearn.model_selection import GridSearchCV, GroupKFold

    rows = tiny_rows()
    texts, labels, groups = [r["text"] for r in rows], [r["label"] for r in rows], [r["doc_id"] for r in rows]
    params, score = search_hyperparameters(texts, labels, groups, config=FAST)
    grid = GridSearchCV(
        build_pipeline(config=FAST),
        {f"clf__{k}": v for k, v in FAST.search.space.items()},
        scoring="f1_macro",
        cv=GroupKFold(n_splits=FAST.search.cv_folds, shuffle=True, random_state=FAST.seed),
        refit=False,
    ).fit(texts, labels, groups=groups)
    assert params["C"] == grid.best_params_["clf__C"]
    assert score == pytest.approx(grid.best_score_)


@pytest.mark.parametrize("workers", [1, 2, 8])
def test_search_jobs_cover_every_fit_once_and_share_features(workers):
    from sklearn.model_selection import ParameterGrid

    from trainer.model import _search_jobs

    candidates = list(
        ParameterGrid({"C": [1.0, 3.0, 10.0], "class_weight": [None, "balanced"], "ngram_range": [(1, 1), (1, 2)]})
    )
    jobs = _search_jobs(candidates, 5, workers=workers)
    fits = sorted((c, s) for chunk, s in jobs for c in chunk)
    assert fits == sorted((c, s) for c in range(len(candidates)) for s in range(5))
    for chunk, _ in jobs:
        assert len({candidates[c]["ngram_range"] for c in chunk}) == 1
    assert len(jobs) >= min(4 * workers, len(candidates) * 5)


def test_fold_scores_equal_each_candidates_own_pipeline():
    # The search fits a fold's features once for the candidates that share them; each result
    # must be what that candidate's own pipeline gives on the fold.
    import numpy as np

    from trainer.model import _fold_scores

    rows = tiny_rows()
    texts, labels = [r["text"] for r in rows], np.asarray([r["label"] for r in rows], dtype=object)
    train, test = np.arange(0, len(rows), 2), np.arange(1, len(rows), 2)
    candidates = [(0, {"C": 1.0, "class_weight": None}), (1, {"C": 10.0, "class_weight": "balanced"})]
    found = _fold_scores(candidates, 3, texts, labels, (train, test), FAST)
    for (candidate, params), (c, split, score, decision) in zip(candidates, found, strict=True):
        own = build_pipeline(config=FAST, **params).fit([texts[i] for i in train], labels[train])
        expected = np.asarray(own.decision_function([texts[i] for i in test]), dtype=np.float32)
        assert (c, split) == (candidate, 3)
        np.testing.assert_array_equal(decision, expected)
        assert 0.0 <= score <= 1.0
