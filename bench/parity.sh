#!/usr/bin/env bash
# bench/parity.sh [--corpora LIST] [--check] [--fresh-peers] - loadlint's recall against its peers.
#
# On each corpus (default: ml; LIST is comma-separated among ml, stdlib, dense,
# keras, or `all`), built or reused exactly as bench/run.sh builds it
# (bench/lib.sh), runs
#   loadlint   $LOADLINT_BIN -q --exit-zero --isolated -j2 -f json --show-suppressed CORPUS
#   bandit     bandit -r -q -f json -t B301,B302,B506 CORPUS          (Debian's bandit)
#   ast-grep   ast-grep scan -c bench/astgrep/sgconfig.yml --json=stream CORPUS  (the pinned one)
# with the corpus root as working directory, then bench/parity.py computes the
# peer lines (file, line) minus import lines, which of them loadlint reports or
# withholds (a suppressed finding listed under --show-suppressed), the parity per
# corpus and per peer, every missed line with the reviewed verdict from
# bench/parity-verdicts.tsv (or "unreviewed"), and the loadlint findings no peer
# flags. It writes
#   bench/results/parity.md                 summary, per-rule parity, every missed line
#   bench/results/parity-misses.tsv         the missed lines (first six columns: the verdict file's)
#   bench/results/parity-loadlint-only.tsv  loadlint findings without a peer line
# (PARITY_OUT=DIR writes them to DIR instead) and prints one line per corpus.
#
# The peers' reports are kept in $LOADLINT_CACHE_DIR/parity/<corpus>/ and reused
# while the corpus, the peer's version and bench/astgrep/ are unchanged (bandit
# takes minutes); loadlint runs every time. --fresh-peers reruns them.
#   --check   exit 1 unless the ml corpus (the first corpus when ml is not run) has
#             parity >= 98 % and each line it misses is a reviewed peer false positive
# Environment: LOADLINT_BIN (default build/loadlint; build it first, e.g.
#   cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release && cmake --build build-bench --target loadlint
#   and LOADLINT_BIN=build-bench/loadlint), LOADLINT_BUILD_DESC (what the binary was built
#   from, for the report), PARITY_OUT, PARITY_TARGET (default 98),
#   LOADLINT_CACHE_DIR, BENCH_DENSE_SRC, BENCH_KERAS_SRC.
# Self-test of the computation (hand-made reports, no tools): python3 bench/test_parity.py
set -euo pipefail
# cold scans only: with the result cache (on by default) every timed run after the
# first would be a cache hit, and the corpora would fill with caches
# (bench/incremental.sh measures the cache)
export LOADLINT_NO_CACHE=1

LIST=ml
CHECK=0
FRESH=0
while [ $# -gt 0 ]; do
    case $1 in
    --corpora)
        LIST=${2:?--corpora needs a list}
        shift
        ;;
    --corpora=*) LIST=${1#--corpora=} ;;
    --check) CHECK=1 ;;
    --fresh-peers) FRESH=1 ;;
    -h | --help)
        sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'
        exit 0
        ;;
    *)
        echo "bench/parity.sh: unknown argument '$1' (try --help)" >&2
        exit 2
        ;;
    esac
    shift
done
. "$(dirname "$0")/lib.sh"
ROOT=$BENCH_ROOT
if [ "$LIST" = all ]; then LIST=ml,stdlib,dense,keras; fi
IFS=, read -r -a WANT <<<"$LIST"
for c in "${WANT[@]}"; do
    case $c in ml | stdlib | dense | keras) ;; *)
        echo "bench/parity.sh: corpus '$c' is not one of ml, stdlib, dense, keras" >&2
        exit 2
        ;;
    esac
done

LL=${LOADLINT_BIN:-$ROOT/build/loadlint}
case $LL in /*) ;; *) LL=$PWD/$LL ;; esac
if ! [ -x "$LL" ]; then
    echo "bench/parity.sh: no loadlint binary at $LL (build it, or set LOADLINT_BIN)" >&2
    exit 2
fi
OUT=${PARITY_OUT:-$ROOT/bench/results}
RAWROOT=$CACHE/parity
BANDIT_TESTS=B301,B302,B506
mkdir -p "$OUT" "$RAWROOT"

bench_install_missing bandit:bandit node:nodejs npm:npm
bench_ensure_ast_grep
bench_build_corpora "${WANT[@]}"

RULES_SIG=$(cd "$ROOT/bench/astgrep" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum | cut -c1-16)
BANDIT_VERSION=$(bandit --version 2>&1 | head -1)
# LOADLINT_BUILD_DESC: what the binary was built from, when not the work tree (e.g. "git archive of 86bcc0d")
LL_VERSION="$("$LL" --version 2>&1 | head -1) (${LOADLINT_BUILD_DESC:+$LOADLINT_BUILD_DESC; }git $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo ?)$(git -C "$ROOT" diff --quiet HEAD -- src rules CMakeLists.txt 2>/dev/null || echo ', uncommitted changes in src/ or rules/'); binary $LL built $(date -u -r "$LL" '+%Y-%m-%d %H:%M UTC'))"

SPECS=()
RAN=()
for c in "${WANT[@]}"; do
    if [ -z "${CPATHS[$c]:-}" ]; then
        log "parity: corpus $c is not available: skipped"
        continue
    fi
    dir=${CPATHS[$c]% }
    raw=$RAWROOT/$c
    mkdir -p "$raw"
    csig=$(cat "$dir/.complete")
    log "parity $c ($(corpus_summary "$c")): loadlint"
    (cd "$dir" && "$LL" -q --exit-zero --isolated -j 2 -f json --show-suppressed "$dir" >"$raw/loadlint.json.tmp" 2>"$raw/loadlint.stderr") ||
        { echo "bench/parity.sh: loadlint failed on $c (see $raw/loadlint.stderr)" >&2; exit 2; }
    mv "$raw/loadlint.json.tmp" "$raw/loadlint.json"

    sig="$csig|$BANDIT_VERSION|$BANDIT_TESTS"
    if [ "$FRESH" = 1 ] || ! [ -s "$raw/bandit.json" ] || [ "$(cat "$raw/bandit.sig" 2>/dev/null)" != "$sig" ]; then
        log "parity $c: bandit -t $BANDIT_TESTS (minutes)"
        rm -f "$raw/bandit.sig"
        # exit status 1 means "issues found"; a report that does not parse is the failure
        (cd "$dir" && bandit -r -q -f json -t "$BANDIT_TESTS" -o "$raw/bandit.json" "$dir" 2>"$raw/bandit.stderr") || true
        $PY -c 'import json,sys; json.load(open(sys.argv[1]))["results"]' "$raw/bandit.json" ||
            { echo "bench/parity.sh: bandit gave no report on $c (see $raw/bandit.stderr)" >&2; exit 2; }
        echo "$sig" >"$raw/bandit.sig"
    else
        log "parity $c: bandit report reused ($raw/bandit.json)"
    fi
    sig="$csig|$("$AST_GREP" --version)|$RULES_SIG"
    if [ "$FRESH" = 1 ] || ! [ -f "$raw/ast-grep.jsonl" ] || [ "$(cat "$raw/ast-grep.sig" 2>/dev/null)" != "$sig" ]; then
        log "parity $c: ast-grep"
        rm -f "$raw/ast-grep.sig"
        (cd "$dir" && "$AST_GREP" scan -j 2 -c "$ROOT/bench/astgrep/sgconfig.yml" --json=stream "$dir" \
            >"$raw/ast-grep.jsonl" 2>"$raw/ast-grep.stderr") ||
            { echo "bench/parity.sh: ast-grep failed on $c (see $raw/ast-grep.stderr)" >&2; exit 2; }
        echo "$sig" >"$raw/ast-grep.sig"
    else
        log "parity $c: ast-grep report reused ($raw/ast-grep.jsonl)"
    fi
    SPECS+=("$c=$dir=$raw")
    RAN+=("$c")
done
if [ ${#SPECS[@]} = 0 ]; then echo "bench/parity.sh: no corpus to measure" >&2; exit 2; fi

CHECK_ARGS=()
if [ "$CHECK" = 1 ]; then
    if [[ " ${RAN[*]} " == *" ml "* ]]; then CHECK_ARGS=(--check ml); else CHECK_ARGS=(--check "${RAN[0]}"); fi
fi
$PY "$ROOT/bench/parity.py" --verdicts "$ROOT/bench/parity-verdicts.tsv" \
    --md "$OUT/parity.md" --misses "$OUT/parity-misses.tsv" --loadlint-only "$OUT/parity-loadlint-only.tsv" \
    --commit "$LL_VERSION" --command "bench/parity.sh --corpora $(IFS=,; echo "${RAN[*]}")" \
    --target "${PARITY_TARGET:-98}" "${CHECK_ARGS[@]}" "${SPECS[@]}"
