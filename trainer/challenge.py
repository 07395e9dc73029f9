"""The behavioural challenge suite: per-capability accuracy of a model on sentences it never saw.

``data/challenge.jsonl`` holds sentences written apart from the training corpus,
each testing one rule of the labelling guidelines or one shortcut of the corpus
(CheckList style: Ribeiro et al., ACL 2020). An item is a single test (``mft``),
one half of a minimal pair (``pair``: one small change flips the label) or a
member of an invariance group (``inv``: names, numbers, tense or person changed,
label kept).
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .config import LABELS
from .errors import DataError

__all__ = ["ChallengeResult", "read_challenge", "score_challenge"]

_FIELDS = {"capability", "test", "group", "text", "label"}
_TESTS = {"mft", "pair", "inv"}


@dataclass(frozen=True)
class ChallengeResult:
    """Scores of a model on the challenge suite.

    Attributes
    ----------
    capabilities : dict
        Capability -> ``{"items", "accuracy", "groups", "groups_passed"}``: a pair
        or invariance group passes when every member is labelled right.
    mean_accuracy : float
        Mean of the per-capability accuracies.
    min_accuracy : float
        The lowest per-capability accuracy.
    expected_calibration_error : float
        Over all items, with 10 bins of top probability.
    """

    capabilities: dict[str, dict[str, Any]]
    mean_accuracy: float
    min_accuracy: float
    expected_calibration_error: float

    def to_dict(self) -> dict[str, Any]:
        """The result as plain data, for JSON."""
        return {
            "mean_accuracy": self.mean_accuracy,
            "min_accuracy": self.min_accuracy,
            "expected_calibration_error": self.expected_calibration_error,
            "capabilities": self.capabilities,
        }

    def format(self) -> str:
        """The result as a table for people, weakest capability first."""
        lines = [f"{'capability':34s} {'items':>5s} {'accuracy':>8s} {'groups passed':>14s}"]
        for name, score in sorted(self.capabilities.items(), key=lambda kv: (kv[1]["accuracy"], kv[0])):
            groups = f"{score['groups_passed']}/{score['groups']}" if score["groups"] else "-"
            lines.append(f"{name:34s} {score['items']:5d} {score['accuracy']:8.3f} {groups:>14s}")
        lines.append(
            f"\nMean per-capability accuracy {self.mean_accuracy:.3f}; lowest {self.min_accuracy:.3f}; "
            f"expected calibration error {self.expected_calibration_error:.3f} ({len(self.capabilities)} capabilities)."
        )
        return "\n".join(lines)


def read_challenge(path: str | Path | None = None) -> list[dict[str, str]]:
    """Read and check the items of a challenge file (default: the shipped suite).

    Raises
    ------
    DataError
        If the file is missing or an item is malformed (naming its line).
    """
    from .paths import default_challenge

    path = default_challenge() if path is None else Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(f"Cannot read the challenge suite {path}: {exc}. Pass --challenge FILE.") from None
    items = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise DataError(f"Line {number} of {path} is not JSON ({exc.msg}). Fix the line.") from None
        if not isinstance(item, dict) or set(item) != _FIELDS:
            raise DataError(f"Expected the fields {sorted(_FIELDS)} on line {number} of {path}. Fix the line.")
        if item["label"] not in LABELS or item["test"] not in _TESTS or not isinstance(item["text"], str):
            raise DataError(
                f"Expected a label in {list(LABELS)} and a test in {sorted(_TESTS)} on line {number} of {path} "
                f"but found {item['label']!r} and {item['test']!r}. Fix the line."
            )
        items.append(item)
    if not items:
        raise DataError(f"{path} holds no challenge items.")
    return items


def score_challenge(model: Any = None, *, path: str | Path | None = None) -> ChallengeResult:
    """Score a model on the challenge suite.

    Parameters
    ----------
    model : Predictor, Pipeline, str or Path, optional
        The model (default: the default model directory).
    path : str or Path, optional
        The challenge file (default: the shipped suite, `trainer.paths.default_challenge`).

    Returns
    -------
    ChallengeResult

    Raises
    ------
    DataError, ModelError
        If the suite or the model cannot be read.

    Examples
    --------
    >>> result = score_challenge()  # doctest: +SKIP
    >>> round(result.mean_accuracy, 2)  # doctest: +SKIP
    0.9
    """
    import numpy as np

    from .evaluate import calibration_error
    from .predict import as_predictor

    items = read_challenge(path)
    predictor = as_predictor(model)
    proba = predictor.predict_proba([item["text"] for item in items])
    predicted = predictor.classes_[proba.argmax(axis=1)]
    right = np.array([p == item["label"] for p, item in zip(predicted, items, strict=True)])
    by_capability: dict[str, list[int]] = defaultdict(list)
    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, item in enumerate(items):
        by_capability[item["capability"]].append(i)
        if item["test"] != "mft":
            groups[(item["capability"], item["group"])].append(i)
    capabilities = {}
    for name, rows in sorted(by_capability.items()):
        mine = [members for (capability, _), members in groups.items() if capability == name]
        capabilities[name] = {
            "items": len(rows),
            "accuracy": round(float(right[rows].mean()), 4),
            "groups": len(mine),
            "groups_passed": sum(bool(right[members].all()) for members in mine),
        }
    accuracies = [score["accuracy"] for score in capabilities.values()]
    return ChallengeResult(
        capabilities=capabilities,
        mean_accuracy=round(float(np.mean(accuracies)), 4),
        min_accuracy=min(accuracies),
        expected_calibration_error=round(calibration_error(proba.max(axis=1), right), 4),
    )
