#!/usr/bin/env bash
# bench/run.sh [--quick | --corpora-only] - loadlint against its floor and its peers.
#
# Installs what it needs when missing (apt-get: hyperfine, GNU time, bandit,
# the sixteen Debian ML packages and the rest of the Debian stdlib; npm: a pinned
# @ast-grep/cli into $LOADLINT_CACHE_DIR/bench-tools), builds loadlint and
# loadlint-parse-only (Release), builds the corpora under
# $LOADLINT_CACHE_DIR/bench-corpora (bench/lib.sh: stdlib; ml, the .py files of
# the Debian packages python3-numpy, -scipy, -pandas, -sklearn, -torch, -skimage,
# -joblib, -dill, -cloudpickle, -nltk, -networkx, -matplotlib, -dask,
# -distributed, -numba, -tables; dense, the .py files of the diffusers snapshot
# at $BENCH_DENSE_SRC, default /work/corpora/diffusers, skipped with a message
# when missing; stdlib x2/x4/x8), then measures, on every corpus, with
# 2 threads where the tool allows:
#
#   loadlint          loadlint -j2 -q --exit-zero -f json CORPUS
#   loadlint (no pre-filter)   the same with --no-prefilter (n/a until the flag exists)
#   floor             loadlint-parse-only -j2 CORPUS   (read + tree-sitter parse only)
#   ast-grep          ast-grep scan -j 2 -c bench/astgrep/sgconfig.yml --json=stream CORPUS
#   bandit            bandit -r -q -f json -t B301,B302,B506[,B614] CORPUS (one run)
#
# Wall time is hyperfine's median over $RUNS runs (after one warm-up run: the
# page cache is warm); CPU (user + system) and peak RSS come from
# /usr/bin/time wrapped around each of those runs (CPU: median; RSS: the
# largest). It prints one table and a verdict per target, and writes both,
# with the machine, to bench/results/latest.md (--quick: latest-quick.md).
# Raw data (hyperfine JSON, time logs, reports) stays in
# $LOADLINT_CACHE_DIR/bench-results/.
#
#   --quick   3 runs; corpora stdlib, ML, dense and stdlib x8 (not x2, x4);
#             bandit on stdlib and ML only
#   --corpora-only   install the corpus packages and build the corpora, measure nothing
# Environment: LOADLINT_CACHE_DIR (default ~/.cache/loadlint), BENCH_DENSE_SRC,
#   LOADLINT_BENCH_BUILD_DIR (default build/), BENCH_RUNS (default 5, quick 3),
#   BENCH_IDLE_WAIT (default 1800: before each measurement wait for idle CPUs,
#   at most this many seconds in the whole run; the report says how busy they were).
set -euo pipefail
# cold scans only: with the result cache (on by default) every timed run after the
# first would be a cache hit, and the corpora would fill with caches
# (bench/incremental.sh measures the cache)
export LOADLINT_NO_CACHE=1

QUICK=0
CORPORA_ONLY=0
for a in "$@"; do
    case $a in
    --quick) QUICK=1 ;;
    --corpora-only) CORPORA_ONLY=1 ;;
    -h | --help)
        sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'
        exit 0
        ;;
    *)
        echo "bench/run.sh: unknown argument '$a' (try --help)" >&2
        exit 2
        ;;
    esac
done
# paths, ast-grep's pin, the corpus packages and the corpus builders
. "$(dirname "$0")/lib.sh"
ROOT=$BENCH_ROOT
BUILD=${LOADLINT_BENCH_BUILD_DIR:-$ROOT/build}
JOBS=2

if [ "$CORPORA_ONLY" = 1 ]; then
    bench_install_missing
    bench_build_corpora stdlib stdlib-x8 ml dense
    for c in stdlib stdlib-x8 ml dense; do
        if [ -n "${CPATHS[$c]:-}" ]; then log "corpus $c: $(corpus_summary "$c") in ${CPATHS[$c]% }"; fi
    done
    exit 0
fi

if [ "$QUICK" = 1 ]; then
    RUNS=${BENCH_RUNS:-3}
    OUT_MD=$ROOT/bench/results/latest-quick.md
else
    RUNS=${BENCH_RUNS:-5}
    OUT_MD=$ROOT/bench/results/latest.md
fi
IDLE_WAIT=${BENCH_IDLE_WAIT:-1800}
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
RAW=$CACHE/bench-results/$STAMP
mkdir -p "$RAW" "$TOOLS" "$CORPORA" "$ROOT/bench/results"

# ---------------------------------------------------------------- tools
# commands (any provider will do: nodejs from NodeSource brings its own npm)
bench_install_missing hyperfine:hyperfine /usr/bin/time:time bandit:bandit node:nodejs npm:npm \
    cmake:cmake pkg-config:pkg-config cc:build-essential git:git
missing=()
for p in tree-sitter:libtree-sitter-dev libpcre2-8:libpcre2-dev libcjson:libcjson-dev; do
    pkg-config --exists "${p%%:*}" 2>/dev/null || missing+=("${p#*:}")
done
if [ ${#missing[@]} != 0 ]; then
    log "apt-get install ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y --no-install-recommends "${missing[@]}"
fi
bench_ensure_ast_grep

# Bandit's tests for this job; B614 (torch.load) exists from bandit 1.7.10 on.
BANDIT_TESTS=B301,B302,B506
if bandit -h 2>/dev/null | grep -q 'B614'; then BANDIT_TESTS=$BANDIT_TESTS,B614; fi

# ---------------------------------------------------------------- build
log "building loadlint and loadlint-parse-only (Release) in $BUILD"
if ! [ -f "$BUILD/CMakeCache.txt" ] || ! grep -q '^CMAKE_BUILD_TYPE:STRING=Release$' "$BUILD/CMakeCache.txt"; then
    cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release >&2
fi
cmake --build "$BUILD" -j"$(nproc)" --target loadlint loadlint-parse-only >&2
LL=$BUILD/loadlint
FLOOR=$BUILD/loadlint-parse-only
HAVE_NOPRE=0
if "$LL" --help 2>&1 | grep -q -- --no-prefilter; then HAVE_NOPRE=1; fi

# ---------------------------------------------------------------- corpora
# (bench/lib.sh: stdlib, the ML packages, the optional dense corpus, stdlib x2/x4/x8)
bench_build_corpora stdlib ml dense stdlib-x2 stdlib-x4 stdlib-x8
DENSE=()
if [ -n "${CPATHS[dense]:-}" ]; then DENSE=(dense); fi
if [ "$QUICK" = 1 ]; then
    CORPUS_LIST=(stdlib ml "${DENSE[@]}" stdlib-x8)
    BANDIT_ON=" stdlib ml "
else
    CORPUS_LIST=(stdlib ml "${DENSE[@]}" stdlib-x2 stdlib-x4 stdlib-x8)
    BANDIT_ON=" ${CORPUS_LIST[*]} "
fi

LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
if awk -v l="${LOAD_START%% *}" 'BEGIN { exit !(l > 0.5) }'; then
    log "warning: load average $LOAD_START: other work on this machine will disturb the timings"
fi

# ---------------------------------------------------------------- 1,000 extra rules
EXTRA_RULES=$RAW/extra-rules
mkdir -p "$EXTRA_RULES"
$PY - "$ROOT/rules/LL101-pickle-load.json" "$EXTRA_RULES" <<'EOF'
import json, sys
base = json.load(open(sys.argv[1]))
for i in range(1000):
    r = dict(base)
    r["code"] = "XB%04d" % i
    r["name"] = "bench-extra-%04d" % i
    r["match"] = {"call": ["benchfake%04d.load" % i, "benchfake%04d.loads" % i,
                           "benchfake%04d.sub.Unpickler" % i]}
    r.pop("peers", None)
    with open("%s/XB%04d-bench-extra-%04d.json" % (sys.argv[2], i, i), "w") as f:
        json.dump(r, f, indent=1)
EOF
"$LL" --rules "$EXTRA_RULES" --list-rules | grep -c '^XB' | grep -qx 1000 ||
    { echo "bench/run.sh: the 1,000 generated rules did not load" >&2; exit 2; }

# ---------------------------------------------------------------- measuring
TSV=$RAW/measure.tsv
EXACT=$RAW/exact.tsv
: >"$TSV"
: >"$EXACT"

# Other work on the machine skews every timing (2 CPUs): before each
# measurement wait until the CPUs are >= 90 % idle over 2 s, for at most
# $IDLE_WAIT s in the whole run, and record how busy they were when it started.
IDLE_DEADLINE=$((SECONDS + IDLE_WAIT))
BUSY=$RAW/busy.tsv
: >"$BUSY"
cpu_busy() { # percent of CPU time not idle over 2 s
    local a b
    a=$(awk '/^cpu / {print $2+$3+$4+$5+$6+$7+$8+$9, $5+$6}' /proc/stat)
    sleep 2
    b=$(awk '/^cpu / {print $2+$3+$4+$5+$6+$7+$8+$9, $5+$6}' /proc/stat)
    awk -v a="$a" -v b="$b" 'BEGIN { split(a, x, " "); split(b, y, " "); t = y[1] - x[1]; i = y[2] - x[2];
        printf "%d\n", (t > 0 ? 100 * (t - i) / t : 0) }'
}
wait_idle() { # CORPUS TOOL
    local busy
    busy=$(cpu_busy)
    while [ "$busy" -gt 10 ] && [ "$SECONDS" -lt "$IDLE_DEADLINE" ]; do
        log "CPUs $busy % busy with other work: waiting (at most $((IDLE_DEADLINE - SECONDS)) s more in this run)"
        sleep 10
        busy=$(cpu_busy)
    done
    printf '%s\t%s\t%s\n' "$1" "$2" "$busy" >>"$BUSY"
}

# bench CORPUS TOOL CMD... : hyperfine ($RUNS runs, 1 warm-up) around /usr/bin/time
bench() {
    local corpus=$1 tool=$2
    shift 2
    wait_idle "$corpus" "$tool"
    local tf=$RAW/$corpus.$tool.time js=$RAW/$corpus.$tool.hyperfine.json
    : >"$tf"
    local cmdline
    cmdline=$(printf '%q ' /usr/bin/time -f '%e %U %S %M' -a -o "$tf" "$@")
    log "$corpus: $tool ($RUNS runs)"
    grep '^cpu ' /proc/stat >"${tf%.time}.stat"
    hyperfine -N --runs "$RUNS" --warmup 1 -i --style none --output null --export-json "$js" "$cmdline" >/dev/null
    grep '^cpu ' /proc/stat >>"${tf%.time}.stat"
    printf '%s\t%s\t%s\t%s\n' "$corpus" "$tool" "$js" "$tf" >>"$TSV"
}
# once CORPUS TOOL CMD... : one run under /usr/bin/time (bandit)
once() {
    local corpus=$1 tool=$2
    shift 2
    local tf=$RAW/$corpus.$tool.time
    wait_idle "$corpus" "$tool"
    log "$corpus: $tool (1 run)"
    grep '^cpu ' /proc/stat >"${tf%.time}.stat"
    /usr/bin/time -f '%e %U %S %M' -o "$tf" "$@" >/dev/null 2>"$RAW/$corpus.$tool.stderr" || true
    grep '^cpu ' /proc/stat >>"${tf%.time}.stat"
    printf '%s\t%s\t-\t%s\n' "$corpus" "$tool" "$tf" >>"$TSV"
}
# findings CORPUS TOOL FILE : where the tool's report is
findings() { printf '%s\t%s\tfindings\t%s\n' "$1" "$2" "$3" >>"$TSV"; }

for c in "${CORPUS_LIST[@]}"; do
    read -r -a P <<<"${CPATHS[$c]}"
    # size: the floor counts files and bytes
    "$FLOOR" -j "$JOBS" "${P[@]}" 2>"$RAW/$c.size" >/dev/null || true
    printf '%s\tsize\t-\t%s\n' "$c" "$RAW/$c.size" >>"$TSV"

    # reports (findings and exactness), then timings
    set +e
    "$LL" -j "$JOBS" -q --exit-zero -f json "${P[@]}" >"$RAW/$c.loadlint.j2.json" 2>"$RAW/$c.loadlint.stderr"
    echo "$?" >"$RAW/$c.loadlint.rc"
    "$LL" -j1 -q --exit-zero -f json "${P[@]}" >"$RAW/$c.loadlint.j1.json" 2>/dev/null
    if [ "$HAVE_NOPRE" = 1 ]; then
        "$LL" -j "$JOBS" -q --exit-zero -f json --no-prefilter "${P[@]}" >"$RAW/$c.loadlint.nopre.json" 2>/dev/null
    fi
    "$AST_GREP" scan -j "$JOBS" -c "$ROOT/bench/astgrep/sgconfig.yml" --json=stream "${P[@]}" \
        >"$RAW/$c.ast-grep.jsonl" 2>/dev/null
    set -e
    findings "$c" loadlint "$RAW/$c.loadlint.j2.json"
    findings "$c" ast-grep "$RAW/$c.ast-grep.jsonl"
    printf '%s\tj1-vs-j2\t%s\t%s\n' "$c" "$RAW/$c.loadlint.j1.json" "$RAW/$c.loadlint.j2.json" >>"$EXACT"
    if [ "$HAVE_NOPRE" = 1 ]; then
        findings "$c" loadlint-noprefilter "$RAW/$c.loadlint.nopre.json"
        printf '%s\tprefilter-on-vs-off\t%s\t%s\n' "$c" "$RAW/$c.loadlint.j2.json" "$RAW/$c.loadlint.nopre.json" >>"$EXACT"
    fi

    bench "$c" loadlint "$LL" -j "$JOBS" -q --exit-zero -f json "${P[@]}"
    if [ "$HAVE_NOPRE" = 1 ]; then
        bench "$c" loadlint-noprefilter "$LL" -j "$JOBS" -q --exit-zero -f json --no-prefilter "${P[@]}"
    fi
    bench "$c" floor "$FLOOR" -j "$JOBS" "${P[@]}"
    bench "$c" ast-grep "$AST_GREP" scan -j "$JOBS" -c "$ROOT/bench/astgrep/sgconfig.yml" --json=stream "${P[@]}"
    if [ "$c" = stdlib ]; then
        "$LL" -j "$JOBS" -q --exit-zero -f json --rules "$EXTRA_RULES" "${P[@]}" >"$RAW/$c.loadlint-1000rules.json" 2>/dev/null || true
        findings "$c" loadlint-1000rules "$RAW/$c.loadlint-1000rules.json"
        bench "$c" loadlint-1000rules "$LL" -j "$JOBS" -q --exit-zero -f json --rules "$EXTRA_RULES" "${P[@]}"
    fi
    if [[ $BANDIT_ON == *" $c "* ]]; then
        once "$c" bandit bandit -r -q -f json -t "$BANDIT_TESTS" -o "$RAW/$c.bandit.json" "${P[@]}"
        findings "$c" bandit "$RAW/$c.bandit.json"
    fi
done

# ---------------------------------------------------------------- machine and report
{
    echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "mode: $([ "$QUICK" = 1 ] && echo quick || echo full), $RUNS runs per measurement (median) after 1 warm-up, $JOBS threads"
    echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'), $(nproc) CPUs"
    echo "ram: $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
    echo "kernel: $(uname -sr)"
    echo "os: $(. /etc/os-release && echo "$PRETTY_NAME") ($(cat /etc/debian_version 2>/dev/null || echo ?))"
    echo "loadlint: $("$LL" --version 2>&1 | head -1) (git $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo ?)$(git -C "$ROOT" diff --quiet HEAD -- src CMakeLists.txt 2>/dev/null || echo ', uncommitted changes in src/'), gcc $(gcc -dumpfullversion), libtree-sitter $(dpkg-query -W -f '${Version}' libtree-sitter-dev 2>/dev/null || pkg-config --modversion tree-sitter), tree-sitter-python $(sed -n 's/^version=//p' "$ROOT/grammars/tree-sitter-python.pin"))"
    echo "ast-grep: $("$AST_GREP" --version) (npm @ast-grep/cli)"
    echo "bandit: $(bandit --version 2>&1 | head -1 | sed 's/^bandit //') (Debian), tests $BANDIT_TESTS"
    echo "hyperfine: $(hyperfine --version | sed 's/^hyperfine //'); GNU time $(dpkg-query -W -f '${Version}' time 2>/dev/null || echo ?)"
    echo "python3 (stdlib corpus): $($PY -c 'import sys;print(sys.version.split()[0])') at $STDLIB_SRC"
    echo "ml corpus: $ML_SIG"
    echo "dense corpus: $([ ${#DENSE[@]} = 1 ] && cat "$CORPORA/dense/.complete" || echo "absent ($BENCH_DENSE_SRC is missing)")"
    echo "load average (1, 5, 15 min): $LOAD_START at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end"
    echo "no-prefilter flag: $([ "$HAVE_NOPRE" = 1 ] && echo present || echo 'absent (n/a)')"
} >"$RAW/machine.txt"

$PY "$ROOT/bench/summarize.py" "$TSV" "$EXACT" "$RAW/machine.txt" "$HAVE_NOPRE" "$BUSY" >"$RAW/report.md"
cp "$RAW/report.md" "$OUT_MD"
cat "$RAW/report.md"
log "written $OUT_MD (raw data in $RAW)"
