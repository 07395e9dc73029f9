"""What a saved model learned: its strongest n-grams per label, and its metadata in readable form."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sklearn.pipeline import Pipeline

__all__ = ["format_inspection", "top_features"]


def top_features(model: Pipeline, *, top: int) -> dict[str, list[tuple[str, float]]]:
    """Return the n-grams with the largest coefficients for each label.

    A large positive coefficient means the n-gram pushes a sentence toward the
    label. With two labels, the second label's coefficients are the model's
    and the first label's are their negation.

    Parameters
    ----------
    model : sklearn.pipeline.Pipeline
        A fitted pipeline: a vectorizer with ``get_feature_names_out`` followed
        by a linear classifier with ``coef_`` and ``classes_``.
    top : int
        N-grams per label, at least 1.

    Returns
    -------
    dict
        Label -> up to ``top`` ``(n-gram, coefficient)`` pairs with positive
        coefficients, largest first (ties in n-gram order), labels in the order
        of ``model.classes_``.

    Raises
    ------
    ValueError
        If ``top`` is less than 1.
    ModelError
        If the model is not a fitted vectorizer and linear classifier.

    Examples
    --------
    >>> import trainer
    >>> features = top_features(trainer.load_model(), top=3)  # doctest: +SKIP
    >>> features["estimate"]  # doctest: +SKIP
    [('about', 9.87), ('expected', 7.65), ('_round_number_', 6.54)]
    """
    import numpy as np

    if top < 1:
        raise ValueError(f"Expected top >= 1 but got {top}.")
    from .predict import as_predictor

    predictor = as_predictor(model)
    names = predictor.feature_names()
    coef = predictor.coef_
    classes = [str(c) for c in predictor.classes_]
    rows = np.vstack([-coef[0], coef[0]]) if coef.shape[0] == 1 else coef
    features = {}
    for label, weights in zip(classes, rows, strict=True):
        order = np.argsort(-weights, kind="stable")[:top]
        features[label] = [(str(names[j]), float(weights[j])) for j in order if weights[j] > 0]
    return features


def format_inspection(metadata: dict[str, Any], features: dict[str, list[tuple[str, float]]]) -> str:
    """Render a model's metadata and strongest n-grams as plain text for people.

    Missing metadata fields are shown as ``?``, so models written by older
    versions can be inspected too.

    Parameters
    ----------
    metadata : dict
        A model directory's ``metadata.json`` (see `trainer.store.read_metadata`).
    features : dict
        As returned by `top_features`.

    Returns
    -------
    str
        Several lines, no trailing newline.

    Examples
    --------
    >>> from trainer.store import load_model_with_metadata
    >>> model, metadata = load_model_with_metadata("models/default")  # doctest: +SKIP
    >>> print(format_inspection(metadata, top_features(model, top=5)))  # doctest: +SKIP
    """
    from .evaluate import format_metrics

    lines = [
        f"Model file: {metadata.get('model_file', '?')} ({metadata.get('model_format', '?')}, "
        f"SHA-256 {str(metadata.get('model_sha256', '?'))[:16]}…), "
        f"format version {metadata.get('format_version', '?')}",
        f"Created: {metadata.get('created', '?')}",
        f"Versions: {_pairs(metadata.get('versions', {}), sep=' ')}",
        "",
        *_data_lines(metadata.get("data", {})),
        "",
        f"Hyperparameters: {_pairs(metadata.get('hyperparameters', {}), sep='=')}",
        *_how_chosen(metadata.get("search", {})),
        f"Seed: {metadata.get('seed', '?')}",
    ]
    if metadata.get("heldout_metrics"):
        lines += ["", "Held-out scores (documents not seen in training):", format_metrics(metadata["heldout_metrics"])]
    lines += ["", "Strongest n-grams per label (logistic-regression coefficient, largest first):"]
    width = max((len(name) for pairs in features.values() for name, _ in pairs), default=0)
    for label, pairs in features.items():
        lines.append("")
        lines.append(label)
        lines += [f"  {rank:>3}. {name:<{width}}  {weight:7.3f}" for rank, (name, weight) in enumerate(pairs, 1)]
        if not pairs:
            lines.append("  (no n-gram with a positive coefficient)")
    return "\n".join(lines)


def _pairs(mapping: dict[str, Any], *, sep: str) -> str:
    return ", ".join(f"{k}{sep}{v}" for k, v in mapping.items()) or "?"


def _data_lines(data: dict[str, Any]) -> list[str]:
    counts = ", ".join(f"{label} {n}" for label, n in data.get("label_counts", {}).items()) or "?"
    digest = data.get("sha256")
    return [
        f"Data: {data.get('sources', '?')}" + (f" (SHA-256 {digest[:16]}…)" if digest else ""),
        f"  {data.get('sentences', '?')} sentences in {data.get('documents', '?')} documents; labels: {counts}",
        f"  held out by document ({data.get('split', '?')}): {data.get('heldout_sentences', '?')} sentences; "
        f"trained on {data.get('train_sentences', '?')}, then refitted on all",
    ]


def _how_chosen(search: dict[str, Any]) -> list[str]:
    if not search.get("enabled"):
        return ["  the defaults (no search)"]
    score = search.get("cv_macro_f1")
    if score is None:
        return ["  the defaults (too few documents to cross-validate)"]
    space = "; ".join(f"{k} {v}" for k, v in search.get("space", {}).items())
    return [
        f"  chosen by {search.get('cv_folds', '?')}-fold cross-validation grouped by {search.get('grouped_by', '?')}"
        f" (cross-validated macro-F1 {score})",
        f"  candidates: {space}",
    ]
