#!/usr/bin/env bash
# Memory-safety checks: the whole test suite under ASan + UBSan, and a scan
# of the corpus under valgrind memcheck.
#
#   scripts/sanitize.sh [--asan-only | --valgrind-only] [LOADLINT]
#
# 1. cmake -S . -B build-asan -DLOADLINT_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug,
#    build, and ctest --test-dir build-asan -j2 (every test, the
#    integration scripts driving the instrumented binary); any sanitizer
#    report fails it (halt_on_error, leaks detected).
# 2. valgrind --error-exitcode=99 --leak-check=full LOADLINT --test-severity keep tests/corpus
#    (LOADLINT: default build/loadlint), once with one worker and the text
#    report, once with two and SARIF: no invalid access, no uninitialised
#    use, no leak of any kind.
# Run from anywhere; needs the dependencies of scripts/test.sh plus valgrind
# (apt-get install valgrind). Exit status: 0 clean; 1 a check failed; 2
# build or usage error.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd -P)
cd "$ROOT"
me=${0##*/}
say() { printf '%s: %s\n' "$me" "$*" >&2; }

asan=1 vg=1
case "${1:-}" in
    --asan-only) vg=0; shift ;;
    --valgrind-only) asan=0; shift ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    -*) say "unknown option $1"; exit 2 ;;
esac
LOADLINT=${1:-$ROOT/build/loadlint}
rc=0

if [ "$asan" = 1 ]; then
    say "building build-asan/ (-DLOADLINT_SANITIZE=ON, Debug)"
    mkdir -p build-asan
    cmake -S . -B build-asan -DLOADLINT_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug > build-asan/configure.log 2>&1 \
        || { cat build-asan/configure.log >&2; say "configure failed"; exit 2; }
    cmake --build build-asan -j"$(nproc)" > build-asan/build.log 2>&1 \
        || { tail -n 40 build-asan/build.log >&2; say "build failed"; exit 2; }
    export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:halt_on_error=1:abort_on_error=1:detect_stack_use_after_return=1:strict_string_checks=1}
    export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
    say "running the test suite under ASan + UBSan (ctest --test-dir build-asan -j2)"
    if ! ctest --test-dir build-asan --output-on-failure --no-tests=error -j2; then
        say "ASan/UBSan test suite FAILED"
        rc=1
    fi
fi

if [ "$vg" = 1 ]; then
    command -v valgrind > /dev/null || { say "valgrind is missing (apt-get install valgrind)"; exit 2; }
    [ -x "$LOADLINT" ] || { say "no binary $LOADLINT (build it first)"; exit 2; }
    for run in "1 text" "2 sarif"; do
        set -- $run
        jobs=$1 fmt=$2
        say "valgrind memcheck: $LOADLINT --jobs $jobs -f $fmt tests/corpus"
        log=$(mktemp)
        vrc=0
        valgrind --quiet --error-exitcode=99 --leak-check=full --show-leak-kinds=all \
            --errors-for-leak-kinds=all --track-origins=yes --log-file="$log" \
            "$LOADLINT" --jobs "$jobs" -f "$fmt" --test-severity keep tests/corpus > /dev/null 2>&1 || vrc=$?
        # loadlint itself exits 1 (the corpus has findings, graded as they
        # would be outside tests/); 99 is valgrind's
        if [ "$vrc" != 1 ] || [ -s "$log" ]; then
            say "valgrind FAILED (exit $vrc; 1 expected):"
            cat "$log" >&2
            rc=1
        fi
        rm -f "$log"
    done
fi

[ "$rc" = 0 ] && say "clean"
exit "$rc"
