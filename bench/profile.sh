#!/usr/bin/env bash
# bench/profile.sh [SUBSET_MB] - where loadlint's time goes beyond parsing.
#
# Builds loadlint and loadlint-parse-only (Release, with -g) in
# $LOADLINT_CACHE_DIR/bench-profile-build, takes the first files (byte order
# of paths) of the benchmark's stdlib corpus up to SUBSET_MB MB (default 2),
# runs both under valgrind --tool=callgrind with one thread
# (loadlint -j 1 --no-prefilter when the flag exists, else plain -j 1), and
# prints instruction counts of both and loadlint's top 15 functions by
# inclusive cost outside tree-sitter's parser (the parse itself, its lexer,
# external scanner, stack and subtree code), with their share of the total.
# Run bench/run.sh once first (it builds the corpora and installs valgrind's
# friends); valgrind is installed here if missing.
set -euo pipefail
# cold scans only: with the result cache (on by default) every timed run after the
# first would be a cache hit, and the corpora would fill with caches
# (bench/incremental.sh measures the cache)
export LOADLINT_NO_CACHE=1
ROOT=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${LOADLINT_CACHE_DIR:-$HOME/.cache/loadlint}
BUILD=$CACHE/bench-profile-build
MB=${1:-2}
STDLIB=$CACHE/bench-corpora/stdlib
OUT=$CACHE/bench-profile
[ -d "$STDLIB" ] || { echo "bench/profile.sh: run bench/run.sh first (no $STDLIB)" >&2; exit 2; }
command -v valgrind >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends valgrind >&2

cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DCMAKE_C_FLAGS=-g -DLOADLINT_TESTS=OFF >&2
cmake --build "$BUILD" -j"$(nproc)" --target loadlint loadlint-parse-only >&2

rm -rf "$OUT" && mkdir -p "$OUT/subset"
(cd "$STDLIB" && find . -type f \( -name '*.py' -o -name '*.pyi' \) -print0 | LC_ALL=C sort -z |
    while IFS= read -r -d '' f; do
        printf '%s\0' "$f"
        total=$((${total:-0} + $(stat -c %s "$f")))
        [ "$total" -ge $((MB * 1000000)) ] && break
    done | tar --null -T - -cf -) | tar -xf - -C "$OUT/subset"
echo "subset: $(find "$OUT/subset" -type f | wc -l) files, $(find "$OUT/subset" -type f -print0 | du -cb --files0-from=- | tail -1 | cut -f1) bytes"

NOPRE=()
if "$BUILD/loadlint" --help 2>&1 | grep -q -- --no-prefilter; then NOPRE=(--no-prefilter); fi
valgrind --tool=callgrind --callgrind-out-file="$OUT/loadlint.cg" \
    "$BUILD/loadlint" -j 1 "${NOPRE[@]}" -q --exit-zero -f json "$OUT/subset" >/dev/null 2>"$OUT/loadlint.vg" || true
valgrind --tool=callgrind --callgrind-out-file="$OUT/floor.cg" \
    "$BUILD/loadlint-parse-only" -j 1 "$OUT/subset" >/dev/null 2>"$OUT/floor.vg" || true
callgrind_annotate --inclusive=yes --threshold=100 --auto=no "$OUT/loadlint.cg" >"$OUT/loadlint.incl.txt"
callgrind_annotate --inclusive=yes --threshold=100 --auto=no "$OUT/floor.cg" >"$OUT/floor.incl.txt"

/usr/bin/python3 "$ROOT/bench/cg_top.py" "$OUT/loadlint.incl.txt" "$OUT/floor.incl.txt" \
    "loadlint -j 1${NOPRE:+ ${NOPRE[*]}}"
echo "(callgrind files and annotations in $OUT)"
