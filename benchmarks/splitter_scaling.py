"""Time the sentence splitter on single lines megabytes long (issue 12).

Builds one line of 1, 4, 16 and 64 MB (UTF-8) from the news sentences of
data/sentences.jsonl, shuffled with a fixed seed and joined by spaces, times
``split_sentences`` on it (median of 3 runs) and prints a markdown table. A
linear splitter keeps the MB/s column flat as the line grows; before the fix
of issue 12 it fell by about four times for every fourfold size.

    .venv/bin/python benchmarks/splitter_scaling.py            # 1, 4, 16, 64 MB
    .venv/bin/python benchmarks/splitter_scaling.py --sizes 1 4
"""

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from trainer.sentences import split_sentences  # noqa: E402

MB = 1_000_000


def _sentences() -> list[str]:
    rows = (json.loads(line) for line in (ROOT / "data" / "sentences.jsonl").read_text(encoding="utf-8").splitlines())
    texts = [" ".join(row["text"].split()) for row in rows]  # one line: no line breaks inside
    random.Random(12).shuffle(texts)
    return texts


def build_line(megabytes: int, sentences: list[str]) -> str:
    """One line of whole news sentences joined by spaces, about ``megabytes`` MB in UTF-8.

    Parameters
    ----------
    megabytes : int
        Target size in MB (10**6 bytes of UTF-8); the line stops at the first whole
        sentence that reaches it.
    sentences : list of str
        Sentences to cycle through.

    Returns
    -------
    str
        The line.
    """
    parts, size, i = [], 0, 0
    while size < megabytes * MB:
        sentence = sentences[i % len(sentences)]
        parts.append(sentence)
        size += len(sentence.encode("utf-8")) + 1
        i += 1
    return " ".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 4, 16, 64], help="line sizes in MB")
    parser.add_argument("--repeats", type=int, default=3, help="runs per size; the median is reported")
    args = parser.parse_args()
    sentences = _sentences()
    print(f"| line size (MB) | sentences | seconds (median of {args.repeats}) | MB/s |")
    print("|---:|---:|---:|---:|")
    for megabytes in args.sizes:
        line = build_line(megabytes, sentences)
        size = len(line.encode("utf-8")) / MB
        times, count = [], 0
        for _ in range(args.repeats):
            start = time.perf_counter()
            count = len(split_sentences(line))
            times.append(time.perf_counter() - start)
        seconds = statistics.median(times)
        print(f"| {size:.1f} | {count:,} | {seconds:.2f} | {size / seconds:.1f} |", flush=True)


if __name__ == "__main__":
    main()
