#!/usr/bin/env bash
# bench/formats.sh - the cost of each output format on many findings.
#
# Writes two corpora of 24,000 findings each (3 files of 8,000, and 24 files
# of 1,000 `pickle.loads` calls) and times `loadlint -j1 -f text|json|sarif`
# on each (CPU time, user + system, median of 5 runs: steadier than wall time
# on a shared machine), then prints each format's time relative to text.
# Target (architecture issue): JSON and SARIF within 1.5x of text.
#
#   bench/formats.sh [LOADLINT]        (default build/loadlint)
set -euo pipefail
# cold scans only: with the result cache (on by default) every timed run after the
# first would be a cache hit, and the corpora would fill with caches
# (bench/incremental.sh measures the cache)
export LOADLINT_NO_CACHE=1
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${1:-$ROOT/build/loadlint}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

gen() { # gen DIR FILES CALLS
    mkdir -p "$1"
    for f in $(seq 1 "$2"); do
        { echo "import pickle"; for i in $(seq 1 "$3"); do echo "x$i = pickle.loads(data$i)"; done; } >"$1/m$f.py"
    done
}
gen "$WORK/c3x8000" 3 8000
gen "$WORK/c24x1000" 24 1000

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
time_one() { # time_one FORMAT DIR: median CPU seconds (user + system) of 5 runs
    for _ in 1 2 3 4 5; do
        /usr/bin/time -f '%U %S' -o "$WORK/t" "$BIN" -q --exit-zero -j1 -f "$1" "$2" >/dev/null
        awk '{print $1 + $2}' "$WORK/t"
    done | median
}
printf '| corpus | findings | text CPU s | json CPU s (x text) | sarif CPU s (x text) |\n|---|---:|---:|---:|---:|\n'
for c in c3x8000 c24x1000; do
    n=$("$BIN" -q --exit-zero -f json "$WORK/$c" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["results"]))')
    t=$(time_one text "$WORK/$c")
    j=$(time_one json "$WORK/$c")
    s=$(time_one sarif "$WORK/$c")
    printf '| %s | %s | %.3f | %.3f (%.2fx) | %.3f (%.2fx) |\n' "$c" "$n" "$t" "$j" "$(echo "$j / $t" | bc -l)" \
        "$s" "$(echo "$s / $t" | bc -l)"
done
