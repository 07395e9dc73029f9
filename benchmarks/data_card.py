"""Regenerate the tables of the data card (data/README.md) from the corpus.

    python benchmarks/data_card.py

Rewrites the split table, the label shares, the topic and genre table and the
shortcut table between their markers; the prose around them is kept.
"""

from __future__ import annotations

import collections
import importlib.util
import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CARD = ROOT / "data" / "README.md"
LABELS = ("estimate", "opinion", "reported_fact")


def _shortcuts():
    spec = importlib.util.spec_from_file_location("shortcuts", ROOT / "benchmarks" / "shortcuts.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def split_table(rows: list[dict]) -> str:
    lines = ["| split | documents | sentences | estimate | opinion | reported_fact |", "|---|---|---|---|---|---|"]
    for split in ("train", "test", "all"):
        subset = [r for r in rows if split == "all" or r["split"] == split]
        counts = collections.Counter(r["label"] for r in subset)
        cells = [str(len({r["doc_id"] for r in subset})), str(len(subset)), *(str(counts[label]) for label in LABELS)]
        lines.append(f"| {split} | " + " | ".join(cells) + " |")
    counts = collections.Counter(r["label"] for r in rows)
    shares = ", ".join(f"{label} {counts[label] / len(rows):.1%}" for label in sorted(LABELS, key=lambda x: -counts[x]))
    return "\n".join(lines) + f"\n\nShares over all sentences: {shares}."


def topic_genre_table(rows: list[dict]) -> str:
    docs = {}
    for row in rows:
        docs.setdefault(row["doc_id"], row)
    tables = []
    for key in ("topic", "genre"):
        n_docs = collections.Counter(d[key] for d in docs.values())
        n_rows = collections.Counter(r[key] for r in rows)
        tables.append([(name, n_docs[name], n_rows[name]) for name in sorted(n_docs, key=lambda k: -n_rows[k])])
    lines = ["| topic | docs | sentences | | genre | docs | sentences |", "|---|---|---|---|---|---|---|"]
    for i in range(max(map(len, tables))):
        cells = [" | ".join(map(str, t[i])) if i < len(t) else " | " for t in tables]
        lines.append(f"| {cells[0]} | | {cells[1]} |")
    return "\n".join(lines)


def main() -> None:
    rows = [json.loads(line) for line in (ROOT / "data" / "sentences.jsonl").read_text(encoding="utf-8").splitlines()]
    card = CARD.read_text(encoding="utf-8")
    for name, table in (
        ("split", split_table(rows)),
        ("topics", topic_genre_table(rows)),
        ("shortcuts", _shortcuts().markdown(rows)),
    ):
        pattern = re.compile(rf"(<!-- {name} -->\n).*?(\n<!-- /{name} -->)", re.S)
        if not pattern.search(card):
            raise SystemExit(f"{CARD} lacks the markers <!-- {name} --> ... <!-- /{name} -->")
        card = pattern.sub(lambda m, t=table: m.group(1) + t + m.group(2), card)
    CARD.write_text(card, encoding="utf-8")
    print(f"{CARD}: {len(rows)} sentences, {len({r['doc_id'] for r in rows})} documents")


if __name__ == "__main__":
    main()
