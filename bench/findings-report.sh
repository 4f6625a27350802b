#!/usr/bin/env bash
# bench/findings-report.sh [--corpora LIST] [--sample N [--seed S] [--severity SEV]] - what loadlint reports, by context.
#
# Runs $LOADLINT_BIN -q --exit-zero --isolated -j2 -f json --show-suppressed on
# each corpus (default: ml,dense; LIST is comma-separated among ml, stdlib,
# dense, keras, or `all`; the corpora are built or reused as bench/run.sh builds
# them, bench/lib.sh) and prints markdown: the findings per corpus by context
# (library / test) and severity, with the suppressed ones counted apart, then by
# rule and context, so that before/after numbers can be compared. A file is a
# test file when its path has a tests/ or test/ component, or its name is
# test_*.py, *_test.py or conftest.py.
#   --sample N   instead, print N random findings of severity SEV (default
#                warning; error, note or any) with path:line, message and two
#                lines of context either side, for manual review
#   --seed S     the random seed of --sample (default 0): same seed, same reports, same sample
#   --reports DIR  read DIR/<corpus>/loadlint.json (e.g. $LOADLINT_CACHE_DIR/parity, left
#                by bench/parity.sh) instead of running loadlint
# Environment: LOADLINT_BIN (default build/loadlint), LOADLINT_CACHE_DIR,
#   BENCH_DENSE_SRC, BENCH_KERAS_SRC.
set -euo pipefail
# cold scans only: with the result cache (on by default) every timed run after the
# first would be a cache hit, and the corpora would fill with caches
# (bench/incremental.sh measures the cache)
export LOADLINT_NO_CACHE=1

LIST=ml,dense
PYARGS=()
REPORTS=
while [ $# -gt 0 ]; do
    case $1 in
    --corpora)
        LIST=${2:?--corpora needs a list}
        shift
        ;;
    --sample | --seed | --severity)
        [ $# -ge 2 ] || { echo "bench/findings-report.sh: $1 needs a value" >&2; exit 2; }
        PYARGS+=("$1" "$2")
        shift
        ;;
    --reports)
        REPORTS=${2:?--reports needs a directory}
        shift
        ;;
    -h | --help)
        sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'
        exit 0
        ;;
    *)
        echo "bench/findings-report.sh: unknown argument '$1' (try --help)" >&2
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
        echo "bench/findings-report.sh: corpus '$c' is not one of ml, stdlib, dense, keras" >&2
        exit 2
        ;;
    esac
done
LL=${LOADLINT_BIN:-$ROOT/build/loadlint}
case $LL in /*) ;; *) LL=$PWD/$LL ;; esac
if [ -z "$REPORTS" ] && ! [ -x "$LL" ]; then
    echo "bench/findings-report.sh: no loadlint binary at $LL (build it, or set LOADLINT_BIN)" >&2
    exit 2
fi

bench_install_missing
bench_build_corpora "${WANT[@]}"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
SPECS=()
for c in "${WANT[@]}"; do
    if [ -z "${CPATHS[$c]:-}" ]; then
        log "corpus $c is not available: skipped"
        continue
    fi
    dir=${CPATHS[$c]% }
    if [ -n "$REPORTS" ]; then
        rep=$REPORTS/$c/loadlint.json
        [ -f "$rep" ] || { echo "bench/findings-report.sh: no $rep" >&2; exit 2; }
    else
        rep=$TMP/$c.json
        (cd "$dir" && "$LL" -q --exit-zero --isolated -j 2 -f json --show-suppressed "$dir" >"$rep") ||
            { echo "bench/findings-report.sh: loadlint failed on $c" >&2; exit 2; }
    fi
    SPECS+=("$c=$dir=$rep")
done
if [ ${#SPECS[@]} = 0 ]; then echo "bench/findings-report.sh: no corpus to report" >&2; exit 2; fi
if [ ${#PYARGS[@]} = 0 ] || [[ " ${PYARGS[*]} " != *" --sample "* ]]; then
    echo "## loadlint findings by context"
    echo
    if [ -n "$REPORTS" ]; then
        echo "Reports: $REPORTS/<corpus>/loadlint.json"
    else
        echo "loadlint: $("$LL" --version 2>&1 | head -1) (git $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo ?)$(git -C "$ROOT" diff --quiet HEAD -- src rules 2>/dev/null || echo ', uncommitted changes in src/ or rules/')), $LL"
    fi
    echo
fi
$PY "$ROOT/bench/findings_report.py" "${PYARGS[@]}" "${SPECS[@]}"
