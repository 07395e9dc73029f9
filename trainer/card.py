"""The model card: a Hugging Face model card (YAML front matter, then Markdown) written with every model.

The front matter (``library_name``, ``license``, ``language``, ``pipeline_tag``,
``tags``, ``datasets`` and a ``model-index`` with the held-out metrics) lets a
model directory be pushed to the Hub as it is; a test reads it back with
``huggingface_hub.ModelCard``.
"""

from __future__ import annotations

import json
from typing import Any

__all__ = ["model_card"]

_LICENSE = "cc-by-4.0"  # the shipped corpus's licence (data/README.md)


def _front_matter(meta: dict[str, Any]) -> str:
    macro = meta["heldout_metrics"]["macro"]
    metrics = [
        {"type": "f1", "name": "Held-out macro-F1 (documents not seen in training)", "value": round(macro["f1"], 4)},
        {"type": "accuracy", "name": "Held-out accuracy", "value": round(meta["heldout_metrics"]["accuracy"], 4)},
    ]
    cv = meta["search"].get("cv_macro_f1")
    if cv is not None:
        grouped = "genres" if meta["search"].get("shift_aware") else "documents"
        metrics.append(
            {"type": "f1", "name": f"Cross-validated macro-F1, folds leaving whole {grouped} out", "value": cv}
        )
    index = [
        {
            "name": "trainer",
            "results": [
                {
                    "task": {
                        "type": "text-classification",
                        "name": "Sentence labelling: reported fact, estimate, opinion",
                    },
                    "dataset": {"type": "trainer-corpus", "name": str(meta["data"]["sources"])},
                    "metrics": metrics,
                }
            ],
        }
    ]
    lines = [
        "---",
        "library_name: sklearn",
        f"license: {_LICENSE}",
        "language: en",
        "pipeline_tag: text-classification",
        "tags:",
        *(
            f"- {tag}"
            for tag in (
                "sklearn",
                "tabular-text",
                "text-classification",
                "tf-idf",
                "logistic-regression",
                "fact-checking",
                "news",
            )
        ),
        "datasets:",
        "- trainer-corpus",
        # JSON is YAML: the model index written as one JSON value, exactly as the metadata holds it.
        f"model-index: {json.dumps(index)}",
        "---",
    ]
    return "\n".join(lines)


def model_card(meta: dict[str, Any]) -> str:
    """The model card of a model from its metadata.

    Parameters
    ----------
    meta : dict
        What `trainer.training.fit` writes to ``metadata.json``.

    Returns
    -------
    str
        YAML front matter and Markdown.
    """
    from .evaluate import format_metrics

    data = meta["data"]
    hyper = ", ".join(f"{k}={v}" for k, v in meta["hyperparameters"].items())
    search = meta["search"]
    grouped = "genre (whole genres held out: a shift-aware score)" if search.get("shift_aware") else "document"
    calibration = meta.get("calibration", {})
    return f"""{_front_matter(meta)}

# trainer model

Labels each sentence of news or commentary as `reported_fact`, `estimate` or `opinion`
(definitions: the project's `data/GUIDELINES.md`). A scikit-learn pipeline:
`trainer.features.TextFeatures` (tf-idf weighted word n-grams, quotation marks and cue classes)
-> `LogisticRegression`.

## Data
- Sources: {data["sources"]} (SHA-256 `{data["sha256"][:16]}…`)
- {data["sentences"]} sentences in {data["documents"]} documents; labels {data["label_counts"]}
- Held out by document ({data["split"]}): {data["heldout_sentences"]} sentences

## Hyperparameters
{hyper}; seed {meta["seed"]}; chosen by {search["cv_folds"]}-fold cross-validation grouped by {grouped};
cross-validated macro-F1 {search["cv_macro_f1"]}. Probabilities scaled by temperature
{calibration.get("temperature", 1.0)} ({calibration.get("fitted_on", "not calibrated")}).

## Held-out metrics (documents never seen in training)
```
{format_metrics(meta["heldout_metrics"])}
```
The saved model was then refitted on all documents. `trainer evaluate` shows these held-out scores.

## Limits
- English news and commentary only; a bag of n-grams and cues, blind to context beyond the sentence.
- It judges how a sentence is written, not whether it is true.
- Scores on other kinds of text will be lower than the held-out figure above; the cross-validated
  score over held-out genres is the better guide to text unlike the corpus.

## Loading
Loading needs `trainer` importable (the pipeline's first step is its `TextFeatures`). `model.joblib`
is a pickle: loading it can run code, so load it only from sources you trust; `trainer` checks the
SHA-256 recorded in `metadata.json` first. A `model.skops` file is loaded by skops with one trusted
type, `trainer.features.transformer.TextFeatures`, and refused if it holds any other.
`inference.npz` (plain arrays, no pickle) is what `trainer predict` loads.

Versions: {", ".join(f"{k} {v}" for k, v in meta["versions"].items())}. Created {meta["created"]}.
"""
