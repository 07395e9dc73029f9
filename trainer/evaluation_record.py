"""What a fit records for honest evaluations later: the held-out predictions and the training texts.

``evaluation.npz`` in a model directory holds

* the held-out sentences, their gold labels and the probabilities that the
  model fitted on the training documents alone gave them, so that ``trainer
  evaluate`` shows true held-out scores (the saved model was refitted on all the
  data, held-out documents included);
* a 64-bit hash of every sentence the saved model was trained on, so that an
  evaluation on other data can say which share of it the model has seen.

Plain arrays, loaded without pickle.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .config import LABELS

__all__ = ["EVALUATION", "EvaluationRecord", "text_hashes"]

EVALUATION = "evaluation.npz"
_SEPARATOR = "\x1e"


def text_hashes(texts: Sequence[str]) -> Any:
    """64-bit hashes of sentences, equal for texts that differ only in case and white space.

    Examples
    --------
    >>> a, b = text_hashes(["Prices  rose.", "prices rose."])
    >>> bool(a == b)
    True
    """
    digests = (
        hashlib.blake2b(" ".join(t.lower().split()).encode("utf-8", "surrogatepass"), digest_size=8) for t in texts
    )
    return np.fromiter((int.from_bytes(d.digest(), "little") for d in digests), dtype=np.uint64, count=len(texts))


@dataclass(frozen=True)
class EvaluationRecord:
    """Held-out predictions made at fit time, and the hashes of the training texts.

    Attributes
    ----------
    texts : list of str
        The held-out sentences.
    gold : list of str
        Their labels.
    probabilities : numpy.ndarray, shape (n, 3)
        The held-out model's probabilities, columns in `LABELS` order.
    training_hashes : numpy.ndarray of uint64
        `text_hashes` of the saved model's training sentences, sorted.
    """

    texts: list[str]
    gold: list[str]
    probabilities: Any
    training_hashes: Any

    def save(self, path: str | Path) -> None:
        """Write the record as an ``.npz`` file (no pickle)."""
        joined = _SEPARATOR.join(self.texts).encode("utf-8", "surrogatepass")
        with Path(path).open("wb") as f:
            np.savez(
                f,
                texts=np.frombuffer(joined, dtype=np.uint8),
                gold=np.array([LABELS.index(g) for g in self.gold], dtype=np.int8),
                probabilities=np.asarray(self.probabilities, dtype=np.float32),
                training_hashes=np.sort(np.asarray(self.training_hashes, dtype=np.uint64)),
            )

    @classmethod
    def load(cls, path: str | Path) -> EvaluationRecord:
        """Read a record written by `save`.

        Raises
        ------
        ValueError, OSError
            If the file is not such a record.
        """
        with np.load(path, allow_pickle=False) as data:
            raw, gold, probabilities, hashes = (data[n] for n in ("texts", "gold", "probabilities", "training_hashes"))
        kinds = {"texts": (raw, "u", 1), "gold": (gold, "iu", 1), "probabilities": (probabilities, "f", 2)}
        for name, (array, kind, ndim) in {**kinds, "training_hashes": (hashes, "u", 1)}.items():
            if array.dtype.kind not in kind or array.ndim != ndim:
                raise ValueError(f"its array {name!r} has type {array.dtype} and {array.ndim} dimensions")
        texts = bytes(raw).decode("utf-8", "surrogatepass").split(_SEPARATOR) if len(raw) else []
        if probabilities.shape != (len(texts), len(LABELS)) or gold.shape != (len(texts),):
            raise ValueError("its arrays do not fit together")
        if len(gold) and (gold.min() < 0 or gold.max() >= len(LABELS)):
            raise ValueError("it holds unknown labels")
        return cls(texts, [LABELS[i] for i in gold.tolist()], probabilities.astype(np.float64), hashes)

    def seen_share(self, texts: Sequence[str]) -> float:
        """The share of ``texts`` that the saved model was trained on."""
        if not len(texts):
            return 0.0
        hashes = text_hashes(texts)
        position = np.searchsorted(self.training_hashes, hashes)
        position[position == len(self.training_hashes)] = 0
        return float(np.mean(self.training_hashes[position] == hashes)) if len(self.training_hashes) else 0.0
