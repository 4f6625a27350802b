#!/usr/bin/env bash
# bench/ts-runtime.sh [CORPUS...] - Debian's tree-sitter 0.20.7 against a newer runtime.
#
# The result cache issue asks whether tree-sitter's current runtime (0.25, whose C
# sources ship in the npm package `tree-sitter`, vendor/tree-sitter/lib) is worth
# building in instead of Debian's libtree-sitter 0.20.7. This measures the part of
# a scan the runtime owns: parsing, and walking every node with a cursor.
#
# It fetches tree-sitter@$TS_NPM_VERSION (default 0.25.0) from the npm registry,
# checks its sha256 against the pin below, builds bench/ts_runtime.c twice with the
# pinned tree-sitter-python grammar of the build (build/grammars: configure the
# build first), once linked with Debian's library and once with the npm package's
# lib.c, both -O2, then runs each $BENCH_RUNS times (default 3) on every corpus
# (default: the bench corpora stdlib, ml, dense of bench/lib.sh that exist) and
# keeps the fastest run. It prints a table (CPU seconds of parse and walk, the
# ratio new/old) and writes it to bench/results/ts-runtime.md.
# Environment: LOADLINT_BENCH_BUILD_DIR (default build), TS_NPM_VERSION,
#   TS_NPM_SHA256 (with another version), BENCH_RUNS, LOADLINT_CACHE_DIR.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/bench/lib.sh"
BUILD=${LOADLINT_BENCH_BUILD_DIR:-$ROOT/build}
VERSION=${TS_NPM_VERSION:-0.25.0}
declare -A PINS=([0.25.0]=016448ee8e2c23aed7e1155c118cd66cd026e6436f7394b3f3606d30bf9aaa4a)
SHA=${TS_NPM_SHA256:-${PINS[$VERSION]:-}}
[ -n "$SHA" ] || { echo "ts-runtime: no sha256 pinned for tree-sitter@$VERSION (set TS_NPM_SHA256)" >&2; exit 2; }
RUNS=${BENCH_RUNS:-3}
GRAMMAR=$BUILD/grammars/tree-sitter-python/src
[ -f "$GRAMMAR/parser.c" ] || { echo "ts-runtime: no grammar in $GRAMMAR (configure and build $BUILD first)" >&2; exit 2; }

WORK=$CACHE/ts-runtime/$VERSION
mkdir -p "$WORK"
TGZ=$WORK/tree-sitter-$VERSION.tgz
if [ ! -f "$TGZ" ]; then
    log "fetching tree-sitter@$VERSION from the npm registry"
    (cd "$WORK" && npm pack --silent "tree-sitter@$VERSION" > /dev/null)
fi
echo "$SHA  $TGZ" | sha256sum -c --quiet - || { echo "ts-runtime: $TGZ does not match the pinned sha256" >&2; exit 2; }
rm -rf "$WORK/package" && tar -C "$WORK" -xzf "$TGZ"
LIB=$WORK/package/vendor/tree-sitter/lib
[ -f "$LIB/src/lib.c" ] || { echo "ts-runtime: no vendor/tree-sitter/lib/src/lib.c in the package" >&2; exit 2; }

log "building bench/ts_runtime.c against Debian's libtree-sitter and against $VERSION"
cc -O2 -std=c11 -o "$WORK/ts-debian" "$ROOT/bench/ts_runtime.c" "$GRAMMAR/parser.c" "$GRAMMAR/scanner.c" \
    -I"$GRAMMAR" $(pkg-config --cflags --libs tree-sitter)
cc -O2 -std=c11 -D_DEFAULT_SOURCE -o "$WORK/ts-new" -I"$LIB/include" -I"$LIB/src" "$ROOT/bench/ts_runtime.c" \
    "$GRAMMAR/parser.c" "$GRAMMAR/scanner.c" -I"$GRAMMAR" "$LIB/src/lib.c"

if [ $# = 0 ]; then
    for c in stdlib ml dense; do
        [ -d "$CORPORA/$c" ] && set -- "$@" "$CORPORA/$c"
    done
fi
[ $# -gt 0 ] || { echo "ts-runtime: no corpus (bench/run.sh --corpora-only builds them)" >&2; exit 2; }

best() { # best BIN LIST: the run with the least parse + walk time
    local bin=$1 list=$2 out best_out="" best_t=""
    for _ in $(seq "$RUNS"); do
        out=$("$bin" < "$list")
        local t
        t=$(echo "$out" | awk '{ print $4 + $5 }')
        if [ -z "$best_t" ] || awk -v a="$t" -v b="$best_t" 'BEGIN { exit !(a < b) }'; then
            best_t=$t best_out=$out
        fi
    done
    echo "$best_out"
}

REPORT=$ROOT/bench/results/ts-runtime.md
OLD=$(dpkg-query -W -f '${Version}' libtree-sitter0 2>/dev/null | sed 's/-[^-]*$//')
OLD=${OLD:-system}
{
    echo "## tree-sitter runtimes: Debian's libtree-sitter $OLD against npm tree-sitter@$VERSION"
    echo
    echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg); \`bench/ts-runtime.sh\`, best of $RUNS; CPU seconds, one thread; grammar tree-sitter-python from $GRAMMAR."
    echo
    echo "| corpus | files | MB | nodes | parse $OLD | parse $VERSION | ratio | walk $OLD | walk $VERSION | ratio |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    for corpus in "$@"; do
        list=$WORK/files.txt
        find "$corpus" -name '*.py' -type f | sort > "$list"
        read -r f b n p0 w0 < <(best "$WORK/ts-debian" "$list")
        read -r _ _ n1 p1 w1 < <(best "$WORK/ts-new" "$list")
        [ "$n" = "$n1" ] || echo "ts-runtime: node counts differ on $corpus ($n against $n1)" >&2
        awk -v c="${corpus##*/}" -v f="$f" -v b="$b" -v n="$n" -v p0="$p0" -v p1="$p1" -v w0="$w0" -v w1="$w1" 'BEGIN {
            printf "| %s | %d | %.1f | %d | %.2f | %.2f | %.2fx | %.2f | %.2f | %.2fx |\n",
                   c, f, b / 1e6, n, p0, p1, p1 / p0, w0, w1, (w0 > 0 ? w1 / w0 : 0) }'
    done
} | tee "$REPORT"
