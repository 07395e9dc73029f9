"""Run the trainer benchmark suite and write the results as markdown (docs/benchmarks.md).

Measures, as ratios of medians over repeated runs: predict throughput (trainer CLI vs fastText
vs in-process predict_proba), fit time and held-out macro-F1 (trainer CLI vs fastText vs the bare
pipeline fit), cold start (trainer predict vs the scikit-learn import floor vs trainer --help)
and peak memory of trainer predict on a small and a large file. Normally started by
benchmarks/run.sh, which builds fastText first. Use --quick for a small smoke run.
"""

import argparse
import datetime
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CACHE = HERE / ".cache"
FASTTEXT = CACHE / "fasttext"
BIN = Path(sys.executable).parent  # the venv that has trainer installed
TRAINER = str(BIN / "trainer") if (BIN / "trainer").exists() else shutil.which("trainer")
PY = sys.executable
INPROC = str(HERE / "inproc.py")
FT_OPTS = ["-epoch", "5", "-wordNgrams", "2", "-thread", "2", "-verbose", "0"]

PLANS = {  # full: about 15-25 minutes on 2 cores; quick: a smoke run of a minute or two
    "full": dict(
        train=[10_000, 100_000, 1_000_000],
        predict=200_000,
        mem=[10_000, 1_000_000],
        model=100_000,
        repeat=3,
        cold_runs=10,
        mem_runs=2,
    ),
    "quick": dict(
        train=[2_000, 10_000], predict=10_000, mem=[2_000, 20_000], model=10_000, repeat=1, cold_runs=3, mem_runs=1
    ),
}
TARGETS = {"throughput": 1.0, "cold": 1.25, "memory": 1.3, "fit": 2.0}


def log(msg):
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def show(cmd):
    """A command as text, with paths relative to the repository root."""
    text = " ".join(f'"{c}"' if " " in c else c for c in map(str, cmd))
    return text.replace(str(ROOT) + "/", "").replace(str(BIN) + "/", "")


def run(cmd, stdout=subprocess.DEVNULL):
    """Run CMD from the repository root; on failure show its stderr and stop."""
    res = subprocess.run([str(c) for c in cmd], cwd=ROOT, stdout=stdout, stderr=subprocess.PIPE, text=True)
    if res.returncode != 0:
        sys.exit(f"bench: command failed ({res.returncode}): {show(cmd)}\n{res.stderr[-3000:]}")
    return res


def timed(cmd, repeat, warmup=0, before=None):
    """Wall-clock seconds of REPEAT runs of CMD (after WARMUP untimed runs)."""
    times = []
    for i in range(warmup + repeat):
        if before:
            before()
        os.sync()  # flush earlier writes (fastText models are ~800 MB) outside the timing
        t0 = time.perf_counter()
        run(cmd)
        if i >= warmup:
            times.append(time.perf_counter() - t0)
    return times


def inproc(*args):
    return json.loads(run([PY, INPROC, *args], stdout=subprocess.PIPE).stdout)


def tree_memory_kib(pid):
    """(summed VmRSS, summed Pss) in KiB of PID and all its descendants, read from /proc.

    RSS counts a page shared by the forked workers (the model, the interpreter) once per
    process; PSS divides it among them, so its sum is the memory the tree really holds.
    """
    rss = pss = 0
    todo = [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/status") as fh:
                rss += next((int(line.split()[1]) for line in fh if line.startswith("VmRSS:")), 0)
            with open(f"/proc/{p}/smaps_rollup") as fh:
                pss += next((int(line.split()[1]) for line in fh if line.startswith("Pss:")), 0)
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as fh:
                    todo.extend(int(c) for c in fh.read().split())
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            pass
    return rss, pss


def peak_memory(cmd):
    """(max RSS of the largest single process, peak summed RSS and peak summed PSS of the tree), in MiB."""
    proc = subprocess.Popen([str(c) for c in cmd], cwd=ROOT, stdout=subprocess.DEVNULL)
    peak = peak_pss = 0
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        rss, pss = tree_memory_kib(proc.pid)
        peak, peak_pss = max(peak, rss), max(peak_pss, pss)
        time.sleep(0.02)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        sys.exit(f"bench: command failed ({proc.returncode}): {show(cmd)}")
    single = usage.ru_maxrss  # KiB on Linux: the largest process among it and its children
    return single / 1024, max(peak, single) / 1024, peak_pss / 1024


def cold_start(cmds, runs):
    """Median seconds of each command in CMDS (a dict name -> argv), hyperfine if present."""
    hyperfine = shutil.which("hyperfine")
    if hyperfine:
        out = CACHE / "hyperfine.json"
        run(
            [
                hyperfine,
                "-N",
                "--warmup",
                "2",
                "--runs",
                str(runs),
                "--export-json",
                out,
                *[" ".join(_quote(x) for x in map(str, c)) for c in cmds.values()],
            ]
        )
        results = json.loads(out.read_text())["results"]
        return "hyperfine", {name: r["times"] for name, r in zip(cmds, results, strict=True)}
    times = {name: [] for name in cmds}
    for i in range(2 + runs):  # interleaved, the first two rounds are warm-up
        for name, cmd in cmds.items():
            t = timed(cmd, 1)[0]
            if i >= 2:
                times[name].append(t)
    return "time.perf_counter around subprocess.run", times


def _quote(arg):
    return f"'{arg}'" if " " in arg else arg


def machine_facts():
    def cpuinfo():
        with open("/proc/cpuinfo") as fh:
            return next(
                (line.split(":", 1)[1].strip() for line in fh if line.startswith("model name")),
                platform.processor() or "unknown",
            )

    with open("/proc/meminfo") as fh:
        mem_kib = int(next(line for line in fh if line.startswith("MemTotal")).split()[1])
    import sklearn

    def git(*args):
        r = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
        return r.stdout.strip() if r.returncode == 0 else ""

    try:
        from importlib.metadata import version

        trainer_version = version("trainer")
    except Exception:
        trainer_version = "unknown"
    ft_version = (
        (CACHE / "fasttext.version").read_text().strip() if (CACHE / "fasttext.version").exists() else "unknown"
    )
    commit = git("rev-parse", "--short", "HEAD") or "no commit yet"
    if git("status", "--porcelain", "--untracked-files=no"):
        commit += " (with uncommitted changes)"
    return {
        "nproc": len(os.sched_getaffinity(0)),
        "CPU": cpuinfo(),
        "RAM": f"{mem_kib / 1024**2:.1f} GiB",
        "OS": f"{platform.system()} {platform.release()}",
        "Python": platform.python_version(),
        "scikit-learn": sklearn.__version__,
        "trainer": f"{trainer_version} (commit {commit})",
        "fastText": f"{ft_version} (CLI built from the PyPI source release, g++ -O3)",
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="small sizes, one run each (smoke test)")
    ap.add_argument("--repeat", type=int, help="timed runs per measurement (default 3, quick 1)")
    ap.add_argument("--out", type=Path, help="markdown file (default docs/benchmarks.md)")
    args = ap.parse_args(argv)
    mode = "quick" if args.quick else "full"
    plan = PLANS[mode]
    repeat = args.repeat or plan["repeat"]
    out = args.out or ROOT / "docs" / "benchmarks.md"
    if not TRAINER:
        sys.exit("bench: no `trainer` command next to this Python or on PATH (pip install -e .)")
    if not FASTTEXT.exists():
        sys.exit("bench: no fastText binary; run benchmarks/build_fasttext.sh")
    start = time.perf_counter()
    res = {"mode": mode, "repeat": repeat, "plan": plan, "commands": {}}

    data = CACHE / ("data-quick" if args.quick else "data")
    models = CACHE / ("models-quick" if args.quick else "models")
    models.mkdir(parents=True, exist_ok=True)
    log(f"{mode} run, {repeat} timed run(s) per measurement; making data in {data}")
    sys.path.insert(0, str(HERE))
    import make_data

    text_sizes = sorted({plan["predict"], *plan["mem"]})
    make_data.main(
        ["--out", str(data), "--train-sizes", *map(str, plan["train"]), "--text-sizes", *map(str, text_sizes)]
    )
    test_jsonl = data / "test.jsonl"

    # 2. fit time and held-out macro-F1 (first: it makes the models the other parts use)
    res["fit"] = []
    for n in plan["train"]:
        tdir, ftm = models / f"trainer-{n}", models / f"fasttext-{n}"
        tcmd = [TRAINER, "fit", "--data", data / f"train-{n}.jsonl", "--model", tdir, "--seed", "0", "--no-search"]
        fcmd = [FASTTEXT, "supervised", "-input", data / f"train-{n}.ft", "-output", ftm, *FT_OPTS]
        log(f"fit {n:,}: trainer fit")
        t_times = timed(tcmd, repeat, before=lambda d=tdir: shutil.rmtree(d, ignore_errors=True))
        t_f1 = inproc("score", tdir, test_jsonl)["f1"]
        log(f"fit {n:,}: fastText supervised")
        f_times = timed(fcmd, repeat)
        pred = models / f"fasttext-{n}.test-pred.txt"
        with open(pred, "w") as fh:
            run([FASTTEXT, "predict", f"{ftm}.bin", data / "test.txt"], stdout=fh)
        f_f1 = inproc("f1", test_jsonl, pred)["f1"]
        Path(f"{ftm}.vec").unlink(missing_ok=True)
        if n != plan["model"]:
            Path(f"{ftm}.bin").unlink(missing_ok=True)  # ~800 MB each
        log(f"fit {n:,}: bare pipeline fit")
        bare = inproc("fit", data / f"train-{n}.jsonl", test_jsonl, str(repeat))
        res["fit"].append(
            {
                "n": n,
                "trainer": t_times,
                "fasttext": f_times,
                "bare": bare["times"],
                "f1": {"trainer": t_f1, "fasttext": f_f1, "bare": bare["f1"]},
            }
        )
        res["commands"][f"fit {n:,}"] = [
            show(tcmd),
            show(fcmd),
            show([PY, INPROC, "fit", data / f"train-{n}.jsonl", test_jsonl, repeat]),
        ]

    # 1. predict throughput
    n, text = plan["predict"], data / f"text-{plan['predict']}.txt"
    tdir, ftbin = models / f"trainer-{plan['model']}", models / f"fasttext-{plan['model']}.bin"
    tcmd = [TRAINER, "predict", "--no-split", "--format", "jsonl", "--file", text, "--model", tdir]
    fcmd = [FASTTEXT, "predict-prob", ftbin, text, "3"]
    log(f"predict {n:,}: trainer predict")
    t_times = timed(tcmd, repeat, warmup=1)
    log(f"predict {n:,}: fastText predict-prob")
    f_times = timed(fcmd, repeat, warmup=1)
    log(f"predict {n:,}: bare predict_proba")
    bare = inproc("predict", tdir, text, str(repeat))
    res["predict"] = {"n": n, "trainer": t_times, "fasttext": f_times, "bare": bare["times"]}
    res["commands"]["predict"] = [show(tcmd), show(fcmd), show([PY, INPROC, "predict", tdir, text, repeat])]

    # 3. cold start
    # an explicit model, so the result does not depend on whether models/default exists; the smallest
    # fitted one is about the size of a model trained on the shipped corpus
    small = models / f"trainer-{plan['train'][0]}"
    one = [TRAINER, "predict", "one sentence", "--model", small]
    cmds = {
        "trainer predict": one,
        "sklearn import floor": [PY, "-c", "import sklearn.linear_model, sklearn.feature_extraction.text, joblib"],
        "trainer --help": [TRAINER, "--help"],
    }
    log("cold start")
    run(one)  # fail early with a readable error
    tool, times = cold_start(cmds, plan["cold_runs"])
    res["cold"] = {"tool": tool, "times": times, "model": show([small])}
    res["commands"]["cold start"] = [show(c) for c in cmds.values()]

    # 4. peak memory
    # In one process (--jobs 1) the peak shows whether memory grows with the input; with the
    # default workers (a 10,000-sentence input is one block, so it never starts any) the tree's
    # PSS shows what the workers add.
    res["memory"] = []
    for n in plan["mem"]:
        cmd = [TRAINER, "predict", "--no-split", "--format", "jsonl", "--file", data / f"text-{n}.txt", "--model", tdir]
        log(f"memory {n:,}: trainer predict, one process and default workers")
        alone = [peak_memory([*cmd, "--jobs", "1"]) for _ in range(plan["mem_runs"])]
        runs = [peak_memory(cmd) for _ in range(plan["mem_runs"])]
        res["memory"].append(
            {
                "n": n,
                "alone": [r[0] for r in alone],
                "single": [r[0] for r in runs],
                "tree": [r[1] for r in runs],
                "pss": [r[2] for r in runs],
            }
        )
        res["commands"][f"memory {n:,}"] = [show([*cmd, "--jobs", "1"]) + " > /dev/null", show(cmd) + " > /dev/null"]

    res["elapsed_min"] = (time.perf_counter() - start) / 60
    res["machine"] = machine_facts()
    res["invocation"] = os.environ.get("BENCH_COMMAND") or show([PY, *sys.argv])
    raw = CACHE / f"results-{mode}.json"
    raw.write_text(json.dumps(res, indent=1, default=str))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(report(res))
    log(f"done in {res['elapsed_min']:.1f} min: wrote {out} (raw numbers: {raw})")
    print(out.read_text())


def report(res):
    """The results as markdown."""
    med = statistics.median
    ok = lambda good: "yes" if good else "**no**"  # noqa: E731
    fit_big = res["fit"][-1]
    p, c = res["predict"], res["cold"]["times"]
    tput = {k: p["n"] / med(p[k]) for k in ("trainer", "fasttext", "bare")}
    cold = {k: med(v) * 1000 for k, v in c.items()}
    mem_small, mem_big = res["memory"][0], res["memory"][-1]
    mem_ratio = med(mem_big["alone"]) / med(mem_small["alone"])
    fit_ratio = med(fit_big["trainer"]) / med(fit_big["fasttext"])
    f1 = fit_big["f1"]
    L = [
        "# Benchmarks",
        "",
        "Generated by `bash benchmarks/run.sh` (benchmarks/bench.py); do not edit by hand. "
        "Every figure is the median of the timed runs; ratios are ratios of medians.",
        "",
    ]
    if res["mode"] == "quick":
        L += [
            "> **Quick smoke run** (`--quick`): tiny sizes and one run each. These numbers only "
            "show that the suite works; run `bash benchmarks/run.sh` for real figures.",
            "",
        ]
    L += ["## Machine", "", "| fact | value |", "| --- | --- |"]
    L += [f"| {k} | {v} |" for k, v in res["machine"].items()]
    L += [
        f"| command | `{res['invocation']}` |",
        f"| timed runs per measurement | {res['repeat']} (cold start: {len(next(iter(c.values())))}) |",
        f"| suite wall time | {res['elapsed_min']:.1f} min |",
        "",
        "## Targets",
        "",
        "| measure | trainer | baseline | ratio | target | met |",
        "| --- | ---: | ---: | ---: | --- | --- |",
        f"| predict throughput, {p['n']:,} sentences | {tput['trainer']:,.0f} sent/s | "
        f"fastText {tput['fasttext']:,.0f} sent/s | {tput['trainer'] / tput['fasttext']:.2f}x | "
        f">= {TARGETS['throughput']}x fastText | {ok(tput['trainer'] >= TARGETS['throughput'] * tput['fasttext'])} |",
        f'| cold start, `trainer predict "one sentence"` | {cold["trainer predict"]:.0f} ms | '
        f"sklearn import {cold['sklearn import floor']:.0f} ms | "
        f"{cold['trainer predict'] / cold['sklearn import floor']:.2f}x | <= {TARGETS['cold']}x import floor | "
        f"{ok(cold['trainer predict'] <= TARGETS['cold'] * cold['sklearn import floor'])} |",
        f"| peak RSS of predict in one process, {mem_big['n']:,} vs {mem_small['n']:,} sentences | "
        f"{med(mem_big['alone']):.0f} MiB | {med(mem_small['alone']):.0f} MiB | {mem_ratio:.2f}x | "
        f"<= {TARGETS['memory']}x | {ok(mem_ratio <= TARGETS['memory'])} |",
        f"| fit time, {fit_big['n']:,} sentences | {med(fit_big['trainer']):.1f} s | "
        f"fastText {med(fit_big['fasttext']):.1f} s | {fit_ratio:.2f}x | <= {TARGETS['fit']}x fastText | "
        f"{ok(fit_ratio <= TARGETS['fit'])} |",
        f"| held-out macro-F1 after that fit | {f1['trainer']:.3f} | fastText {f1['fasttext']:.3f} | "
        f"{f1['trainer'] - f1['fasttext']:+.3f} | >= fastText | {ok(f1['trainer'] >= f1['fasttext'])} |",
        "",
        "## 1. Predict throughput",
        "",
        f"{p['n']:,} news-like sentences, one per line, labelled with all three probabilities. "
        f"The trainer and fastText models are the ones fitted on {res['plan']['model']:,} "
        "sentences in part 2. CLI runs write to /dev/null after one untimed warm-up run; "
        "the in-process figure times only `predict_proba` over the list of lines.",
        "",
        "| what | median time | sentences/s | trainer CLI vs this |",
        "| --- | ---: | ---: | ---: |",
    ]
    for key, name in (
        ("trainer", "`trainer predict --no-split --format jsonl`"),
        ("fasttext", "`fasttext predict-prob MODEL FILE 3`"),
        ("bare", "in-process `pipeline.predict_proba(lines)`"),
    ):
        L.append(f"| {name} | {med(p[key]):.2f} s | {tput[key]:,.0f} | {tput['trainer'] / tput[key]:.2f}x |")
    L += [
        "",
        "## 2. Fit time and held-out macro-F1",
        "",
        "Training data: generated from the corpus's train-split documents only; macro-F1 on the "
        "corpus's test-split sentences (unchanged), which none of the three sees while fitting. "
        "`trainer fit --no-search` uses the default hyperparameters, like the bare fit and like "
        "fastText (the grid search is far too slow for 1M sentences); it fits twice (once on 80% "
        "of the documents to report its own held-out scores, then on all) and saves the model; "
        "its F1 here is that of the saved model. "
        f"fastText: `{' '.join(FT_OPTS)}` (other options at their defaults). "
        "Bare: `trainer.build_pipeline().fit(texts, labels)` timed in one process.",
        "",
        "| sentences | trainer fit | fastText | bare fit | trainer / fastText | trainer / bare "
        "| F1 trainer | F1 fastText | F1 bare |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for f in res["fit"]:
        t, ft, b = med(f["trainer"]), med(f["fasttext"]), med(f["bare"])
        L.append(
            f"| {f['n']:,} | {t:.2f} s | {ft:.2f} s | {b:.2f} s | {t / ft:.2f}x | {t / b:.2f}x | "
            f"{f['f1']['trainer']:.3f} | {f['f1']['fasttext']:.3f} | {f['f1']['bare']:.3f} |"
        )
    L += [
        "",
        "## 3. Cold start",
        "",
        f"Timed with {res['cold']['tool']}, after two warm-up runs; model: {res['cold']['model']}.",
        "",
        "| command | median | vs import floor |",
        "| --- | ---: | ---: |",
    ]
    for name, cmd in zip(c, res["commands"]["cold start"], strict=True):
        L.append(f"| `{cmd}` | {cold[name]:.0f} ms | {cold[name] / cold['sklearn import floor']:.2f}x |")
    L += [
        "",
        "## 4. Peak memory of predict",
        "",
        "One process (`--jobs 1`): max RSS from `wait4` (what `/usr/bin/time -v` reports); the "
        "target uses this one, since it shows whether memory grows with the input. With the default "
        "workers (an input of one 1 MiB block, as 10,000 sentences are, starts none): the largest "
        "process, and the peaks of the summed RSS and of the summed PSS of the command and its "
        "workers, sampled every 20 ms. RSS counts the pages the forked workers share with their "
        "parent (the model, the interpreter) once per process; PSS shares them out, so its sum is "
        "the memory the run really holds.",
        "",
        "| sentences | one process | workers: largest process | workers: tree RSS | workers: tree PSS | runs |",
        "| ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for m in res["memory"]:
        L.append(
            f"| {m['n']:,} | {med(m['alone']):.0f} MiB | {med(m['single']):.0f} MiB | {med(m['tree']):.0f} MiB | "
            f"{med(m['pss']):.0f} MiB | {len(m['tree'])} |"
        )
    L += [
        "",
        "## Exact commands",
        "",
        "Paths are relative to the repository root; data and models "
        "live in benchmarks/.cache/ (git-ignored). The raw timings of every run are in "
        f"benchmarks/.cache/results-{res['mode']}.json.",
        "",
        "```",
    ]
    for name, cmds in res["commands"].items():
        L += [f"# {name}", *cmds]
    L += ["```", ""]
    return "\n".join(L)


if __name__ == "__main__":
    main()
