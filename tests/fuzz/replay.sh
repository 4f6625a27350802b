#!/bin/bash
# The fuzz-regressions test: every fuzz target's seeds and saved regression
# inputs through its replay driver (BINDIR/<target>_replay, built by
# tests/fuzz/CMakeLists.txt), each regression input on its own, 60 s at most.
#
#   bash tests/fuzz/replay.sh BINDIR        (from the repository root)
#
# tests/fuzz/regressions/<target>/NAME is an input that once crashed, hung or
# broke a property; it must now pass. NAME ending in ".known" is a reported,
# not yet fixed bug: its failure is listed as "# TODO" and does not fail the
# test (set LOADLINT_STRICT=1 to count it); once it passes, rename it
# without ".known".
set -u
BINDIR=${1:?usage: $0 BINDIR}
STRICT=${LOADLINT_STRICT:-0}
PASS=0 FAIL=0 TODO=0

verdict() { # verdict NAME KNOWN RC
    if [ "$3" = 0 ]; then
        PASS=$((PASS + 1))
        if [ "$2" = 1 ]; then echo "ok - $1 # known bug now passes: drop .known from its name"; else echo "ok - $1"; fi
    elif [ "$2" = 1 ] && [ "$STRICT" != 1 ]; then
        TODO=$((TODO + 1))
        echo "not ok - $1 # TODO known bug (exit $3)"
    else
        FAIL=$((FAIL + 1))
        echo "not ok - $1 (exit $3)"
    fi
}

seeds() {
    case $1 in
        fuzz_pipeline) echo tests/corpus tests/corpus/dataflow ;;
        fuzz_split|fuzz_prefilter) echo tests/corpus tests/corpus/dataflow tests/integration/split-cases/* ;;
        fuzz_rules) echo rules ;;
        fuzz_config) echo tests/fuzz/seeds/config ;;
    esac
    echo "tests/fuzz/seeds/$1" # seeds of its own, when there are any
}

for src in tests/fuzz/fuzz_*.c; do
    t=${src##*/}
    t=${t%.c}
    bin=$BINDIR/${t}_replay
    if [ ! -x "$bin" ]; then
        FAIL=$((FAIL + 1))
        echo "not ok - $t: no replay driver $bin"
        continue
    fi
    dirs=()
    for d in $(seeds "$t"); do [ -d "$d" ] && dirs+=("$d"); done
    rc=0
    timeout 300 "$bin" "${dirs[@]}" > /dev/null 2> "${TMPDIR:-/tmp}/replay.$$" || rc=$?
    [ "$rc" = 0 ] || tail -n 20 "${TMPDIR:-/tmp}/replay.$$"
    verdict "$t: seeds (${dirs[*]})" 0 "$rc"
    for f in tests/fuzz/regressions/$t/*; do
        [ -f "$f" ] || continue
        known=0
        case $f in *.known) known=1 ;; esac
        rc=0
        timeout 60 "$bin" "$f" > /dev/null 2> "${TMPDIR:-/tmp}/replay.$$" || rc=$?
        [ "$rc" = 0 ] || tail -n 20 "${TMPDIR:-/tmp}/replay.$$"
        verdict "$t: $f" "$known" "$rc"
    done
done
rm -f "${TMPDIR:-/tmp}/replay.$$"
echo "$PASS passed, $FAIL failed, $TODO known bugs"
[ "$FAIL" = 0 ]
