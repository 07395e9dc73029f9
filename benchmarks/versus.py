"""Side by side in one run: this trainer, an earlier trainer ("before") and fastText.

    python benchmarks/versus.py [--before DIR] [--repeat 3] [--sentences 200000] [--out FILE] [--predict-only]

DIR is a checkout of an earlier trainer with its own ``.venv`` (for example
``git worktree add /tmp/before 80885cb && python3 -m venv /tmp/before/.venv &&
/tmp/before/.venv/bin/pip install -e /tmp/before``). Every measure is the median
of ``--repeat`` runs; the runs of the tools alternate, so load on a shared
machine hits them alike. Measured:

* ``trainer predict --format jsonl`` on N sentences: with ``--no-split`` (one
  sentence a line) and on the default path (sentence splitting), and the table
  format on the default path; against ``fasttext predict-prob`` on the same file;
* the default ``trainer fit`` (with the hyperparameter search) on the shipped
  corpus, and on the earlier corpus for a like-for-like comparison;
* cold start of ``trainer predict "one sentence"`` against the scikit-learn
  import floor;
* the size and load time of a joblib and a skops model file.

The result is printed as markdown (and written to ``--out``). ``--predict-only``
measures the predict rows and the cold start alone: each trainer fits its default
model once, untimed, and the fit and model-file measures are left out.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CACHE = HERE / ".cache"
FASTTEXT = CACHE / "fasttext"


def log(message: str) -> None:
    print(f"[versus {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def seconds(cmd: list, *, stdout=subprocess.DEVNULL, cwd=None) -> float:
    start = time.perf_counter()
    subprocess.run([str(c) for c in cmd], stdout=stdout, stderr=subprocess.DEVNULL, check=True, cwd=cwd)
    return time.perf_counter() - start


def median_of(cmds: dict[str, list], repeat: int, **kwargs) -> dict[str, float]:
    """Median seconds of each command, the commands alternating run by run."""
    times: dict[str, list[float]] = {name: [] for name in cmds}
    for _ in range(repeat):
        for name, cmd in cmds.items():
            times[name].append(seconds(cmd, **kwargs))
    return {name: statistics.median(ts) for name, ts in times.items()}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, help="checkout of an earlier trainer with its own .venv")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sentences", type=int, default=200_000)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--predict-only", action="store_true", help="skip the fit and model-file measures")
    args = parser.parse_args(argv)

    now = Path(sys.executable).parent / "trainer"
    tools = {"now": (now, ROOT)}
    if args.before:
        tools["before"] = (args.before / ".venv" / "bin" / "trainer", args.before)
    work = Path(tempfile.mkdtemp(prefix="versus-"))  # the models, fastText's among them: about 1 GB
    try:
        rows, files = _measure(args, tools, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    result = {
        "rows": rows,
        "files": files,
        "date": datetime.date.today().isoformat(),
        "repeat": args.repeat,
        "predict_only": args.predict_only,
    }
    markdown = render(result, tools)
    print(markdown)
    if args.out:
        args.out.write_text(markdown + "\n", encoding="utf-8")
        args.out.with_suffix(".json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


def _measure(args, tools: dict, work: Path) -> tuple[dict, dict]:
    """Run every measure in ``work``: the rows of the table, and the model files' sizes and load times."""
    now = tools["now"][0]
    data = CACHE / "data"
    log("making the benchmark data")
    subprocess.run(
        [
            sys.executable,
            HERE / "make_data.py",
            "--out",
            data,
            "--train-sizes",
            "100000",
            "--text-sizes",
            str(args.sentences),
        ],
        check=True,
    )
    text = data / f"text-{args.sentences}.txt"
    corpus_now = ROOT / "data" / "sentences.jsonl"
    corpus_before = (args.before / "data" / "sentences.jsonl") if args.before else None
    rows = {}

    # Default fit (with search) on the shipped corpus: the model predict then uses.
    fits = {
        name: [trainer, "fit", "--data", corpus_now, "--model", work / f"{name}-model"]
        for name, (trainer, _) in tools.items()
    }
    log("default fit on the shipped corpus")
    if args.predict_only:  # the models predict uses, fitted once, untimed
        median_of(fits, 1)
    else:
        rows["fit, default (with search), shipped corpus"] = median_of(fits, args.repeat)
    if corpus_before and not args.predict_only:
        old = {
            name: [trainer, "fit", "--data", corpus_before, "--model", work / f"{name}-old"]
            for name, (trainer, _) in tools.items()
        }
        log("default fit on the earlier corpus")
        size = sum(1 for line in corpus_before.open(encoding="utf-8") if line.strip())
        rows[f"fit, default (with search), the before checkout's corpus ({size:,} sentences)"] = median_of(
            old, args.repeat
        )

    def predict(name: str, *options: str) -> list:
        trainer = tools[name][0]
        return [trainer, "predict", *options, "--file", text, "--model", work / f"{name}-model"]

    for title, options in [
        ("predict --no-split --format jsonl", ("--no-split", "--format", "jsonl")),
        ("predict --format jsonl (sentence splitting)", ("--format", "jsonl")),
        ("predict --format table (sentence splitting)", ("--format", "table")),
    ]:
        cmds = {name: predict(name, *options) for name in tools}
        if FASTTEXT.exists() and "jsonl" in options:
            ftmodel = work / "fasttext"
            if not ftmodel.with_suffix(".bin").exists():
                seconds(
                    [
                        FASTTEXT,
                        "supervised",
                        "-input",
                        data / "train-100000.ft",
                        "-output",
                        ftmodel,
                        "-epoch",
                        "5",
                        "-wordNgrams",
                        "2",
                        "-thread",
                        "2",
                        "-verbose",
                        "0",
                    ]
                )
            cmds["fastText predict-prob"] = [FASTTEXT, "predict-prob", ftmodel.with_suffix(".bin"), text, "3"]
        log(title)
        rows[f"{title}, {args.sentences:,} lines"] = median_of(cmds, args.repeat)

    cold = {name: [tools[name][0], "predict", "one sentence", "--model", work / f"{name}-model"] for name in tools}
    cold["scikit-learn import floor"] = [sys.executable, "-c", "import sklearn.linear_model, sklearn.pipeline"]
    log("cold start")
    rows['cold start, trainer predict "one sentence"'] = median_of(cold, max(5, args.repeat))

    files = {}
    for fmt in () if args.predict_only else ("joblib", "skops"):
        target = work / f"now-{fmt}"
        seconds([now, "fit", "--no-search", "--save-format", fmt, "--model", target])
        model_file = target / f"model.{fmt}"
        load = [sys.executable, "-c", f"import trainer; trainer.load_model({str(target)!r})"]
        files[fmt] = {"bytes": model_file.stat().st_size, "load": median_of({"load": load}, args.repeat)["load"]}
    return rows, files


def render(result: dict, tools: dict) -> str:
    names = [*tools, "fastText predict-prob", "scikit-learn import floor"]
    lines = [
        f"Measured {result['date']} on {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}; "
        f"medians of {result['repeat']} runs, tools alternating. Command: `python benchmarks/versus.py"
        + (" --before DIR" if "before" in tools else "")
        + f" --repeat {result['repeat']}"
        + (" --predict-only" if result.get("predict_only") else "")
        + "`.",
        "",
        "| measure | " + " | ".join(names) + " | now / before | now / fastText |",
        "|---|" + "---:|" * (len(names) + 2),
    ]
    for title, times in result["rows"].items():
        cells = [f"{times[n]:.2f} s" if n in times else "" for n in names]
        before = f"{times['now'] / times['before']:.2f}x" if "before" in times else ""
        fast = f"{times['now'] / times['fastText predict-prob']:.2f}x" if "fastText predict-prob" in times else ""
        if "scikit-learn import floor" in times:
            fast = f"{times['now'] / times['scikit-learn import floor']:.2f}x of the import floor"
        lines.append(f"| {title} | " + " | ".join(cells) + f" | {before} | {fast} |")
    if result["files"]:
        lines += ["", "| model file | size | load time (`trainer.load_model()`, whole process) |", "|---|---:|---:|"]
    for fmt, entry in result["files"].items():
        lines.append(f"| model.{fmt} | {entry['bytes'] / 1e6:.1f} MB | {entry['load']:.2f} s |")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
