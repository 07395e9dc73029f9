"""In-process measurements, run by bench.py in a fresh interpreter each time.

  inproc.py fit TRAIN.jsonl TEST.jsonl REPEAT   time trainer.build_pipeline().fit(texts, labels)
  inproc.py predict MODEL_DIR TEXT.txt REPEAT   time trainer.load_model(dir).predict_proba(lines)
  inproc.py score MODEL_DIR TEST.jsonl          macro-F1 of a saved trainer model
  inproc.py f1 TEST.jsonl PRED.txt              macro-F1 of fastText `predict` output

Only the named call is timed (time.perf_counter), after one small untimed warm-up call, never
loading data or imports. Prints one JSON object on stdout.
"""

import json
import statistics
import sys
import time


def read_jsonl(path):
    with open(path, encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh if line.strip()]
    return [r["text"] for r in rows], [r["label"] for r in rows]


def macro_f1(truth, pred):
    from sklearn.metrics import f1_score

    return float(f1_score(truth, pred, average="macro"))


def fit(train, test, repeat):
    import trainer

    texts, labels = read_jsonl(train)
    test_texts, test_labels = read_jsonl(test)
    trainer.build_pipeline().fit(texts[:2000], labels[:2000])  # warm-up (lazy imports), not timed
    times = []
    for _ in range(int(repeat)):
        pipe = trainer.build_pipeline()
        t0 = time.perf_counter()
        pipe.fit(texts, labels)
        times.append(time.perf_counter() - t0)
    return {"times": times, "median": statistics.median(times), "f1": macro_f1(test_labels, pipe.predict(test_texts))}


def predict(model_dir, path, repeat):
    import trainer

    pipe = trainer.load_model(model_dir)
    with open(path, encoding="utf-8") as fh:
        lines = fh.read().splitlines()
    pipe.predict_proba(lines[:1000])  # warm-up, not timed
    times = []
    for _ in range(int(repeat)):
        t0 = time.perf_counter()
        proba = pipe.predict_proba(lines)
        times.append(time.perf_counter() - t0)
    assert proba.shape[0] == len(lines)
    return {"times": times, "median": statistics.median(times), "lines": len(lines)}


def score(model_dir, test):
    import trainer

    texts, labels = read_jsonl(test)
    return {"f1": macro_f1(labels, trainer.load_model(model_dir).predict(texts))}


def f1(test, pred_file):
    _, labels = read_jsonl(test)
    with open(pred_file, encoding="utf-8") as fh:
        pred = [line.split()[0].removeprefix("__label__") if line.strip() else "" for line in fh]
    if len(pred) != len(labels):
        sys.exit(f"inproc f1: {len(pred)} predictions for {len(labels)} test sentences")
    return {"f1": macro_f1(labels, pred)}


if __name__ == "__main__":
    commands = {"fit": fit, "predict": predict, "score": score, "f1": f1}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        sys.exit(__doc__)
    print(json.dumps(commands[sys.argv[1]](*sys.argv[2:])))
