"""Make news-like benchmark data from the shipped corpus.

Reads data/sentences.jsonl (or, while it does not exist yet, data/parts/*.jsonl) and writes,
under --out (default benchmarks/.cache/data):

  train-N.jsonl / train-N.ft   N labelled sentences made from TRAIN-split documents only
                               (JSONL fields text,label,doc_id; fastText "__label__X text")
  test.jsonl / .ft / .txt      the corpus's TEST-split sentences, unchanged (held-out set)
  text-N.txt                   N plain sentences, one per line, from all documents (for predict)

Large sizes are made by recombining the corpus with a fixed seed, one variant document at a
time: numbers are swapped for numbers of the same shape (round stays round, years stay years),
capitalised names for other names (weekdays/months among themselves), some words for words of
the same ending seen in sentences of the SAME label, and some sentences are joined with a clause
of another sentence of the same label. Cue words (hedges, opinion words) are never replaced, so
labels stay plausible. Files of one kind are nested prefixes: text-10000 is the head of
text-1000000. A stamp file makes reruns with the same corpus, seed and script a no-op.
"""

import argparse
import collections
import contextlib
import glob
import hashlib
import json
import os
import random
import re
import sys
from pathlib import Path

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NUM_RE = re.compile(r"\d+(?:[.,]\d+)*")
WORD_RE = re.compile(r"[A-Za-z][a-z]+")
_DAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday"
_MONTHS = "January February March April May June July August September October November December"
_NOT_NAMES = "No Mr Mrs Ms Dr St Jr Sr Prof Gen Col Sgt Lt Gov Sen Rep Inc Ltd Co"
_STOP = """the a an and or but if of to in on at by for with from as is are was were be been being
this that these those it its they them their there here he she his her we our you your i my me
not no nor so than then too very can could would should will shall may might must do does did
has have had about around roughly nearly almost some up over more less least most many much few
estimated expected forecast projected likely unlikely perhaps maybe probably poll polls survey
said says say told according claimed think believe feel seems seem clearly obviously frankly
just only even still yet also really surely"""
DAYS, MONTHS = _DAYS.split(), _MONTHS.split()
NOT_NAMES, STOP = set(_NOT_NAMES.split()), set(_STOP.split())


def load_corpus(path=None):
    """Return the corpus rows (dicts) from PATH, data/sentences.jsonl or data/parts/*.jsonl."""
    if path:
        files = [path]
    elif os.path.exists(os.path.join(ROOT, "data", "sentences.jsonl")):
        files = [os.path.join(ROOT, "data", "sentences.jsonl")]
    else:
        files = sorted(glob.glob(os.path.join(ROOT, "data", "parts", "*.jsonl")))
    rows = []
    for f in files:
        with open(f, encoding="utf-8") as fh:
            rows.extend(json.loads(line) for line in fh if line.strip())
    if not rows:
        sys.exit("make_data: no corpus found (data/sentences.jsonl or data/parts/*.jsonl)")
    return files, rows


class Recombiner:
    """Makes endless variant documents from a list of corpus rows, deterministically."""

    def __init__(self, rows, seed):
        self.rng = random.Random(seed)
        self.docs = collections.OrderedDict()
        for r in rows:
            self.docs.setdefault(r["doc_id"], []).append(r)
        self.doc_ids = list(self.docs)
        self.by_label = collections.defaultdict(list)
        counts = collections.defaultdict(collections.Counter)
        names = set()
        for r in rows:
            self.by_label[r["label"]].append(r["text"])
            toks = r["text"].split()
            for i, t in enumerate(toks):
                w = t.strip(".,;:!?\"'()“”‘’")
                if i > 0 and re.fullmatch(r"[A-Z][a-z]{2,}", w) and w not in NOT_NAMES and w not in DAYS + MONTHS:
                    names.add(w)
                if WORD_RE.fullmatch(w) and w.islower():
                    counts[w][r["label"]] += 1
        self.names = sorted(names)
        # cue words: seen >= 3 times, >= 80% in one label; never replaced
        self.cues = {w for w, c in counts.items() if sum(c.values()) >= 3 and max(c.values()) >= 0.8 * sum(c.values())}
        # replacement pools: (label, 3-letter ending) -> words seen in that label
        self.pool = collections.defaultdict(list)
        for w, c in sorted(counts.items()):
            if len(w) >= 5 and w not in STOP and w not in self.cues:
                for label in c:
                    self.pool[(label, w[-3:])].append(w)
        self.serial = 0

    def _number(self, m):
        s = m.group(0)
        digits = re.sub(r"\D", "", s)
        if re.fullmatch(r"(19|20)\d\d", s):  # a year; a decade ("1990s") stays a decade
            year = self.rng.randint(2019, 2027)
            decade = m.string[m.end() : m.end() + 1] == "s"
            return str(year - year % 10 if decade else year)
        if len(digits) > 7:  # phone-like or huge: leave alone
            return s
        zeros = len(digits) - len(digits.rstrip("0")) if digits.strip("0") else 0
        out = []
        for i, ch in enumerate(s):
            if ch.isdigit():
                first = not any(c.isdigit() for c in s[:i])
                tail = sum(c.isdigit() for c in s[i:]) <= zeros
                out.append("0" if tail else str(self.rng.randint(1 if first else 0, 9)))
            else:
                out.append(ch)
        return "".join(out)

    def _word(self, m, label, first):
        w = m.group(0)
        rng = self.rng
        if first or w in NOT_NAMES:
            return w
        if w in DAYS:
            return rng.choice(DAYS) if rng.random() < 0.5 else w
        if w in MONTHS:
            return rng.choice(MONTHS) if rng.random() < 0.5 else w
        if w[0].isupper():
            return rng.choice(self.names) if self.names and rng.random() < 0.4 else w
        if len(w) >= 5 and w not in STOP and w not in self.cues and rng.random() < 0.15:
            cands = self.pool.get((label, w[-3:]))
            if cands:
                return rng.choice(cands)
        return w

    def vary(self, text, label):
        """One variant of TEXT: maybe a clause join, then number/name/word swaps."""
        rng = self.rng
        if rng.random() < 0.15 and ", " in text:
            other = rng.choice(self.by_label[label])
            if ", " in other:
                head = text.split(", ")[0]
                tail = other.rsplit(", ", 1)[1]
                if len(head.split()) >= 4 and len(tail.split()) >= 3:
                    text = head + ", " + tail
        text = NUM_RE.sub(self._number, text)

        def word(m):
            first = m.start() == 0 or not text[: m.start()].strip(" \"'“‘(")
            return self._word(m, label, first)

        return WORD_RE.sub(word, text)

    def stream(self):
        """Yield (text, label, doc_id) forever: one variant document after another."""
        while True:
            base = self.rng.choice(self.doc_ids)
            self.serial += 1
            doc_id = f"{base}~v{self.serial}"
            for r in self.docs[base]:
                yield self.vary(r["text"], r["label"]).replace("\n", " "), r["label"], doc_id


def write_sizes(stream, sizes, out, kind):
    """Write the first max(sizes) items of STREAM into nested files of each size."""
    sizes = sorted(set(sizes))
    with contextlib.ExitStack() as stack:
        names = {n: [f"train-{n}.jsonl", f"train-{n}.ft"] if kind == "train" else [f"text-{n}.txt"] for n in sizes}
        fhs = {
            n: [stack.enter_context(open(os.path.join(out, f), "w", encoding="utf-8")) for f in fs]
            for n, fs in names.items()
        }
        _write(stream, sizes[-1], fhs, kind)


def _write(stream, total, fhs, kind):
    """Write items of STREAM to every file whose size is not reached yet; stop at TOTAL."""
    seen = {}
    i = 0
    for text, label, doc_id in stream:
        if i >= total:
            break
        if kind == "train":  # the same text must never carry two labels
            key = " ".join(text.split())
            if seen.setdefault(key, label) != label:
                continue
        for n, fh in fhs.items():
            if i < n:
                if kind == "train":
                    fh[0].write(json.dumps({"text": text, "label": label, "doc_id": doc_id}, ensure_ascii=False) + "\n")
                    fh[1].write(f"__label__{label} {text}\n")
                else:
                    fh[0].write(text + "\n")
        i += 1


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=os.path.join(ROOT, "benchmarks", ".cache", "data"))
    ap.add_argument("--corpus", help="labelled JSONL (default: data/sentences.jsonl or parts)")
    ap.add_argument("--train-sizes", type=int, nargs="*", default=[10_000, 100_000, 1_000_000])
    ap.add_argument("--text-sizes", type=int, nargs="*", default=[10_000, 200_000, 1_000_000])
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)

    files, rows = load_corpus(args.corpus)
    h = hashlib.sha256()
    for f in [*files, os.path.abspath(__file__)]:
        with open(f, "rb") as fh:
            h.update(fh.read())
    h.update(repr((args.seed, sorted(args.train_sizes), sorted(args.text_sizes))).encode())
    os.makedirs(args.out, exist_ok=True)
    stamp = os.path.join(args.out, "STAMP")
    if os.path.exists(stamp) and Path(stamp).read_text().strip() == h.hexdigest():
        print(f"make_data: {args.out} is up to date")
        return
    if os.path.exists(stamp):
        os.remove(stamp)

    train = [r for r in rows if r.get("split") == "train"]
    test = [r for r in rows if r.get("split") == "test"]
    if not train or not test:
        sys.exit("make_data: corpus needs both split=='train' and split=='test' rows")
    with (
        open(os.path.join(args.out, "test.jsonl"), "w", encoding="utf-8") as j,
        open(os.path.join(args.out, "test.ft"), "w", encoding="utf-8") as f,
        open(os.path.join(args.out, "test.txt"), "w", encoding="utf-8") as t,
    ):
        for r in test:
            j.write(
                json.dumps(
                    {"text": r["text"], "label": r["label"], "doc_id": r["doc_id"], "split": "test"}, ensure_ascii=False
                )
                + "\n"
            )
            f.write(f"__label__{r['label']} {r['text']}\n")
            t.write(r["text"] + "\n")
    write_sizes(Recombiner(train, args.seed).stream(), args.train_sizes, args.out, "train")
    write_sizes(Recombiner(rows, args.seed + 1).stream(), args.text_sizes, args.out, "text")
    with open(stamp, "w") as fh:
        fh.write(h.hexdigest() + "\n")
    print(
        f"make_data: wrote {args.out} from {len(files)} corpus file(s): "
        f"{len(train)} train / {len(test)} test sentences; "
        f"train sizes {sorted(args.train_sizes)}, text sizes {sorted(args.text_sizes)}"
    )


if __name__ == "__main__":
    main()
