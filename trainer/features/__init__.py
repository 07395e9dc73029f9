"""The text representation, in one place: rules, cue lists, the fast kernel and the transformer.

* `rules`: what the model sees of a sentence, in plain Python (the reference);
* `cues`: the cue word lists;
* `tokens`, `lookup`, `ngrams`: the fast kernel on UTF-8 bytes;
* `vocabulary`: fitting and applying a vocabulary (`Vocabulary`);
* `transformer`: `TextFeatures`, the scikit-learn transformer (imports scikit-learn).

Only `transformer` imports scikit-learn, so that ``trainer predict`` does not.
"""

from __future__ import annotations

from typing import Any

from .rules import FEATURIZER_VERSION, analyze, normalize_text, read_in_context
from .vocabulary import Tokenized, Vocabulary, fit_vocabulary, tokenize

__all__ = [
    "FEATURIZER_VERSION",
    "TextFeatures",
    "Tokenized",
    "Vocabulary",
    "analyze",
    "fit_vocabulary",
    "normalize_text",
    "read_in_context",
    "tokenize",
]


def __getattr__(name: str) -> Any:
    if name == "TextFeatures":
        from .transformer import TextFeatures

        return TextFeatures
    raise AttributeError(f"module 'trainer.features' has no attribute {name!r}")
