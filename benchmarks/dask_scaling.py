"""Labelling on Dask against plain ``trainer predict``, side by side on one machine.

    python benchmarks/dask_scaling.py [--sentences 2000000] [--files 16] [--repeat 3] [--model DIR]

Makes ``--files`` text files of news-like sentences (``benchmarks/make_data.py``),
then times, alternating, ``--repeat`` runs of

* ``trainer predict --file ALL.txt --format jsonl`` on their concatenation (the
  local path: one process and its worker pool on every core), and
* ``trainer predict --file 'DIR/*.txt' --output OUT --scheduler local`` (a Dask
  LocalCluster of one worker process per core, one task per file),

and prints the medians, the ratio, the throughput per worker and the scheduler's
time per task, the figures that docs/dask.md scales up to 10, 100 and 1,000 workers.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
TRAINER = Path(sys.executable).parent / "trainer"


def timed(cmd: list) -> float:
    start = time.perf_counter()
    subprocess.run([str(c) for c in cmd], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=2_000_000)
    parser.add_argument("--files", type=int, default=16)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--model", type=Path, help="model directory (default: a --no-search fit on the corpus)")
    args = parser.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="dask-bench-"))
    data = HERE / ".cache" / "data"
    subprocess.run(
        [
            sys.executable,
            HERE / "make_data.py",
            "--out",
            data,
            "--train-sizes",
            "10000",
            "--text-sizes",
            str(args.sentences),
        ],
        check=True,
    )
    lines = (data / f"text-{args.sentences}.txt").read_text(encoding="utf-8").splitlines(keepends=True)
    files = work / "archive"
    files.mkdir()
    per = -(-len(lines) // args.files)
    for i in range(args.files):
        (files / f"part-{i:02d}.txt").write_text("".join(lines[i * per : (i + 1) * per]), encoding="utf-8")
    everything = work / "all.txt"
    everything.write_text("".join(lines), encoding="utf-8")
    model = args.model or work / "model"
    if args.model is None:
        subprocess.run([TRAINER, "fit", "--no-search", "--model", model], check=True, stdout=subprocess.DEVNULL)

    local_cmd = [TRAINER, "predict", "--file", everything, "--format", "jsonl", "--model", model]
    dask_cmd = [
        TRAINER,
        "predict",
        "--file",
        f"{files}/*.txt",
        "--output",
        work / "out",
        "--scheduler",
        "local",
        "--format",
        "jsonl",
        "--model",
        model,
    ]
    times = {"local": [], "dask": []}
    for _ in range(args.repeat):
        times["local"].append(timed(local_cmd))
        shutil.rmtree(work / "out", ignore_errors=True)
        times["dask"].append(timed(dask_cmd))
    local, dask = statistics.median(times["local"]), statistics.median(times["dask"])
    overhead = scheduler_overhead()
    workers = 2
    print(f"| run | median of {args.repeat} | sentences/s |")
    print("|---|---:|---:|")
    print(f"| `trainer predict --file all.txt --format jsonl` | {local:.2f} s | {len(lines) / local:,.0f} |")
    print(
        f"| `trainer predict --file 'archive/*.txt' --output out --scheduler local` | {dask:.2f} s | "
        f"{len(lines) / dask:,.0f} |"
    )
    print(
        f"\nDask / local: {dask / local:.2f}x ({len(lines):,} sentences in {args.files} files, {workers} workers); "
        f"per worker {len(lines) / dask / workers:,.0f} sentences/s; all runs: {times}"
    )
    print(f"Scheduler overhead: {overhead * 1000:.2f} ms per task (median of 3 runs of 2,000 empty tasks).")
    shutil.rmtree(work, ignore_errors=True)


def scheduler_overhead(tasks: int = 2000) -> float:
    """Seconds of scheduling per task: the time to run many empty tasks on a LocalCluster, per task."""
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None) as cluster, Client(cluster) as client:
        client.gather(client.map(abs, range(100), pure=False))  # warm up
        runs = []
        for _ in range(3):
            start = time.perf_counter()
            client.gather(client.map(abs, range(tasks), pure=False))
            runs.append((time.perf_counter() - start) / tasks)
    return statistics.median(runs)


if __name__ == "__main__":
    main()
