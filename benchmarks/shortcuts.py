"""How well one surface feature alone predicts the label of a corpus: the shortcut table of the data card.

    python benchmarks/shortcuts.py [data/sentences.jsonl]

Each feature puts a sentence into a bin (tense, grammatical person, quotation,
length, reporting verb, question mark). A rule that gives every sentence of a bin
that bin's most common label reaches the "one-feature accuracy" printed here. A
corpus in which such a rule scores high teaches the model the shortcut; the data
card shows this table, and a test keeps every figure below 0.60.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

LABELS = ("estimate", "opinion", "reported_fact")


def tense(text: str) -> str:
    s = text.lower()
    if re.search(r"\b(will|shall|won't|going to|\w+'ll)\b", s):
        return "future"
    if re.search(r"\b(was|were|had|did|said|told|went|came|made|took|gave|saw|got|\w{3,}ed)\b", s):
        return "past"
    return "present"


def person(text: str) -> str:
    s = text.lower()
    if re.search(r"\b(i|me|my|mine|we|us|our|ours|i'm|we're|i've|we've|i'd)\b", s):
        return "first"
    if re.search(r"\b(you|your|yours|you're)\b", s):
        return "second"
    return "third"


def quotation(text: str) -> str:
    return "quote" if re.search(r"[\"“”«»]", text) else "no quote"


def length(text: str) -> str:
    n = len(text.split())
    return "under 12 words" if n < 12 else ("12-25 words" if n <= 25 else "over 25 words")


def reporting(text: str) -> str:
    verbs = r"\b(said|says|say|told|added|according to|stated|announced|claimed|argued|warned)\b"
    return "reporting verb" if re.search(verbs, text.lower()) else "no reporting verb"


def question(text: str) -> str:
    return "question mark" if "?" in text else "no question mark"


FEATURES = {
    "tense": tense,
    "person": person,
    "quotation": quotation,
    "length": length,
    "reporting verb": reporting,
    "question mark": question,
}


def shortcut_table(rows: list[dict]) -> dict[str, dict]:
    """Feature -> ``{"accuracy": one-feature accuracy, "bins": {bin: Counter of labels}}``."""
    table = {}
    for name, feature in FEATURES.items():
        bins: dict[str, Counter] = defaultdict(Counter)
        for row in rows:
            bins[feature(row["text"])][row["label"]] += 1
        accuracy = sum(max(c.values()) for c in bins.values()) / len(rows)
        table[name] = {"accuracy": accuracy, "bins": dict(sorted(bins.items()))}
    return table


def markdown(rows: list[dict]) -> str:
    """The table as markdown: one row per bin, label shares, and each feature's accuracy."""
    lines = [
        "| feature | bin | sentences | estimate | opinion | reported_fact | one-feature accuracy |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for name, entry in shortcut_table(rows).items():
        for i, (bin_name, counts) in enumerate(entry["bins"].items()):
            n = sum(counts.values())
            shares = " | ".join(f"{counts[label] / n:.0%}" for label in LABELS)
            accuracy = f"{entry['accuracy']:.3f}" if i == 0 else ""
            lines.append(f"| {name if i == 0 else ''} | {bin_name} | {n} | {shares} | {accuracy} |")
    return "\n".join(lines)


if __name__ == "__main__":
    path = Path(sys.argv[1] if len(sys.argv) > 1 else "data/sentences.jsonl")
    print(markdown([json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]))
