#!/usr/bin/env bash
# Run the trainer benchmark suite from a fresh checkout and write docs/benchmarks.md.
#   bash benchmarks/run.sh            full run (about 15-25 minutes on 2 cores)
#   bash benchmarks/run.sh --quick    smoke run (a minute or two; says so in its output)
# Other options go to benchmarks/bench.py (--repeat N, --out FILE). Data, models and the
# fastText binary are kept in benchmarks/.cache/ (git-ignored) and reused.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(dirname "$HERE")"
cd "$ROOT"

if [ ! -x .venv/bin/trainer ]; then
  echo "[run.sh] installing trainer into .venv" >&2
  [ -x .venv/bin/python ] || python3 -m venv .venv
  .venv/bin/python -m pip install --quiet -e .
fi
bash "$HERE/build_fasttext.sh" >&2
command -v hyperfine >/dev/null || echo "[run.sh] hyperfine not found (apt-get install hyperfine); timing cold start with perf_counter" >&2

BENCH_COMMAND="bash benchmarks/run.sh${*:+ $*}" exec .venv/bin/python "$HERE/bench.py" "$@"
