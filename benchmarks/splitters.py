"""Compare sentence splitters on news text: trainer's own, pysbd and sentencex.

Accuracy on the tricky cases of tests/test_sentences.py (abbreviations, decimals,
initials, quotes, ellipses, bullets) and on the shipped corpus (every document's
joined text must split back into its labelled sentences), and speed on the corpus.

    .venv/bin/pip install pysbd sentencex   # the other splitters, for this comparison only
    .venv/bin/python benchmarks/splitters.py
"""

import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.test_sentences import CASES  # noqa: E402
from trainer.sentences import split_sentences  # noqa: E402


def _splitters():
    found = {"trainer": split_sentences}
    try:
        import pysbd

        segmenter = pysbd.Segmenter(language="en", clean=False)
        found["pysbd 0.3"] = lambda text: [s.strip() for s in segmenter.segment(text) if s.strip()]
    except ImportError:
        print("pysbd not installed: pip install pysbd", file=sys.stderr)
    try:
        from sentencex import segment

        found["sentencex"] = lambda text: [s.strip() for s in segment("en", text) if s.strip()]
    except ImportError:
        print("sentencex not installed: pip install sentencex", file=sys.stderr)
    return found


def _documents():
    docs: dict[str, list[str]] = {}
    for line in (ROOT / "data" / "sentences.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        docs.setdefault(row["doc_id"], []).append(row["text"])
    return list(docs.values())


def main() -> None:
    documents = _documents()
    texts = [" ".join(d) for d in documents]
    n_sentences = sum(len(d) for d in documents)
    print("| splitter | tricky cases right | corpus documents split back exactly | sentences/s (median of 5) |")
    print("|---|---|---|---|")
    for name, split in _splitters().items():
        cases = sum(split(text) == expected for text, expected in CASES)
        exact = sum(split(text) == doc for text, doc in zip(texts, documents, strict=True))
        times = []
        for _ in range(5):
            start = time.perf_counter()
            for text in texts:
                split(text)
            times.append(time.perf_counter() - start)
        rate = n_sentences / statistics.median(times)
        print(f"| {name} | {cases}/{len(CASES)} | {exact}/{len(documents)} | {rate:,.0f} |")


if __name__ == "__main__":
    main()
