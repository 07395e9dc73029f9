#!/usr/bin/env bash
# Build the fastText command-line binary from the `fasttext` source release on PyPI.
# Result: benchmarks/.cache/fasttext (git-ignored); reused if it already exists and runs.
# Usage: bash benchmarks/build_fasttext.sh   (env PYTHON: python with pip, default .venv/bin/python)
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(dirname "$HERE")"
CACHE="$HERE/.cache"
BIN="$CACHE/fasttext"
VERSION="0.9.3"
PY="${PYTHON:-$ROOT/.venv/bin/python}"
[ -x "$PY" ] || PY="$(command -v python3)"

works() { [ -x "$BIN" ] && case "$("$BIN" 2>&1 || true)" in *"usage: fasttext"*) true ;; *) false ;; esac; }
if works; then
  echo "fastText binary present: $BIN"; exit 0
fi
mkdir -p "$CACHE"
SRC="$CACHE/fasttext-src"
rm -rf "$SRC"; mkdir -p "$SRC"
echo "downloading fasttext==$VERSION source from PyPI ..."
"$PY" -m pip download --quiet --no-binary :all: --no-deps "fasttext==$VERSION" -d "$SRC"
tar -xzf "$SRC/fasttext-$VERSION.tar.gz" -C "$SRC"
echo "compiling (g++ -O3) ..."
g++ -O3 -march=native -pthread -std=c++17 -funroll-loops -DNDEBUG \
  "$SRC/fasttext-$VERSION"/src/*.cc -o "$BIN.tmp"
mv "$BIN.tmp" "$BIN"
echo "$VERSION" > "$CACHE/fasttext.version"
works || { echo "built binary does not run: $BIN" >&2; exit 1; }
echo "built $BIN"
