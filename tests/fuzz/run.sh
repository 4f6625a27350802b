#!/usr/bin/env bash
# Build the libFuzzer targets into build-fuzz/ and run each for SECONDS.
#
#   tests/fuzz/run.sh [SECONDS] [TARGET...]     (default: 60 s, every target)
#
# Targets (tests/fuzz/*.c): fuzz_pipeline (Python bytes -> scan -> reports),
# fuzz_split (Python bytes -> the plan of a partial parse), fuzz_prefilter
# (Python bytes -> the identifiers outside comments), fuzz_rules (rule
# JSON), fuzz_config (configuration TOML), and the readers of model files and
# dependency files. Built with clang,
# -fsanitize=fuzzer,address,undefined (-DLOADLINT_FUZZ=ON); targets run two
# at a time (FUZZ_PARALLEL) with -timeout=25 s per input and 2 GB RSS.
#
# Corpora: build-fuzz/corpus/<target>/ grows from run to run; seeds are
# copied at run time from tests/corpus (Python), rules/ (rule files) and
# tests/fuzz/seeds/config, plus tests/fuzz/regressions/<target>/.
#
# Fuzzing goes on after a failure (fork mode); each failing input is saved
# as build-fuzz/artifacts/<target>/crash-* (or leak-, timeout-, oom-) and
# replayed; a failure whose output matches a line of
# tests/fuzz/known-bugs.txt (target, pattern, description) is a reported bug
# and only listed.
#
# Exit status: 0 no new failure; 1 some input crashed, leaked, hit undefined
# behaviour, timed out or broke a checked property, and is no known bug:
# minimise it (<target> -minimize_crash=1 -runs=10000 FILE), add it to
# tests/fuzz/regressions/<target>/ (suffix .known while the bug is open),
# add its pattern to known-bugs.txt and report it; 2 build or usage error.
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd -P)
cd "$ROOT"
me=${0##*/}
say() { printf '%s: %s\n' "$me" "$*" >&2; }

SECONDS_EACH=${1:-60}
case $SECONDS_EACH in ''|*[!0-9]*) say "usage: $me [SECONDS] [TARGET...]"; exit 2 ;; esac
[ "$#" -gt 0 ] && shift
TARGETS=("$@")
if [ "${#TARGETS[@]}" = 0 ]; then # every tests/fuzz/fuzz_*.c
    for f in tests/fuzz/fuzz_*.c; do t=${f##*/}; TARGETS+=("${t%.c}"); done
fi
PARALLEL=${FUZZ_PARALLEL:-2}
B=$ROOT/build-fuzz
BIN=$B/tests/fuzz
mkdir -p "$B"

command -v clang > /dev/null || { say "clang is missing (apt-get install clang libclang-rt-14-dev)"; exit 2; }
say "building into build-fuzz/ (clang, -fsanitize=fuzzer,address,undefined)"
CC=clang cmake -S . -B "$B" -DLOADLINT_FUZZ=ON -DLOADLINT_TESTS=OFF \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo > "$B/configure.log" 2>&1 \
    || { cat "$B/configure.log" >&2; say "configure failed"; exit 2; }
cmake --build "$B" -j"$(nproc)" --target "${TARGETS[@]}" > "$B/build.log" 2>&1 \
    || { tail -n 40 "$B/build.log" >&2; say "build failed"; exit 2; }

seed() { # seed TARGET DIR: fills DIR with the target's seeds
    local t=$1 d=$2 f
    rm -rf "$d"
    mkdir -p "$d"
    case $t in
        fuzz_pipeline|fuzz_split|fuzz_prefilter) cp tests/corpus/*.py "$d/"; for f in tests/corpus/*/*.py; do
                           [ -f "$f" ] && cp "$f" "$d/$(echo "${f#tests/corpus/}" | tr / _)"; done ;;
        fuzz_rules) cp rules/*.json "$d/" ;;
        fuzz_config) cp tests/fuzz/seeds/config/* "$d/" ;;
    esac
    # seeds of their own: tests/fuzz/seeds/<target>/
    for f in tests/fuzz/seeds/"$t"/*; do [ -f "$f" ] && cp "$f" "$d/"; done
    for f in tests/fuzz/regressions/"$t"/*; do
        case $f in *.known) continue ;; esac # still failing: it would only be found again
        [ -f "$f" ] && cp "$f" "$d/regression-${f##*/}"
    done
    true
}

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

run_one() { # run_one TARGET: fuzzes it (log: build-fuzz/logs/TARGET.log); in fork mode,
    # going on after a failure: every failing input is saved in build-fuzz/artifacts/TARGET/
    local t=$1
    local dict=()
    [ -f "tests/fuzz/$t.dict" ] && dict=(-dict="tests/fuzz/$t.dict")
    rm -rf "$B/artifacts/$t"
    mkdir -p "$B/corpus/$t" "$B/artifacts/$t" "$B/logs"
    seed "$t" "$B/seeds/$t"
    "$BIN/$t" "$B/corpus/$t" "$B/seeds/$t" "${dict[@]}" -max_total_time="$SECONDS_EACH" \
        -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
        -timeout=25 -rss_limit_mb=2048 -max_len=16384 \
        -artifact_prefix="$B/artifacts/$t/" > "$B/logs/$t.log" 2>&1
}

# known TARGET OUTPUT: prints the description of the reported bug whose
# pattern (tests/fuzz/known-bugs.txt) the failure output matches
known() {
    local t=$1 out=$2 kt pat what
    [ -f tests/fuzz/known-bugs.txt ] || return 1
    while IFS=$'\t' read -r kt pat what; do
        case $kt in ''|'#'*) continue ;; esac
        [ "$kt" = "$t" ] && grep -qE -- "$pat" "$out" && { echo "$what"; return 0; }
    done < tests/fuzz/known-bugs.txt
    return 1
}

rc=0
pids=()
for t in "${TARGETS[@]}"; do
    [ -x "$BIN/$t" ] || { say "no target $t"; exit 2; }
    say "fuzzing $t for ${SECONDS_EACH}s (log: build-fuzz/logs/$t.log)"
    run_one "$t" &
    pids+=($!)
    if [ "${#pids[@]}" -ge "$PARALLEL" ]; then
        wait "${pids[0]}" || rc=1
        pids=("${pids[@]:1}")
    fi
done
for p in "${pids[@]}"; do
    wait "$p" || rc=1
done
[ "$rc" = 0 ] || say "a fuzzer exited with an error"
for t in "${TARGETS[@]}"; do
    last=$(grep -E '^#[0-9]+: cov: ' "$B/logs/$t.log" | tail -n 1)
    say "$t: ${last:-no statistics (see build-fuzz/logs/$t.log)}"
    for a in "$B/artifacts/$t"/*; do
        [ -f "$a" ] || continue
        case ${a##*/} in slow-unit-*) continue ;; esac
        out="$B/logs/$t.${a##*/}.txt"
        timeout 300 "$BIN/$t" -runs=1 -timeout=25 -rss_limit_mb=2048 "$a" > "$out" 2>&1 || true
        if what=$(known "$t" "$out"); then
            say "$t: ${a#"$ROOT"/}: known bug ($what)"
        else
            rc=1
            say "$t: NEW FAILURE ${a#"$ROOT"/}; its replay (${out#"$ROOT"/}) ends with:"
            grep -vE '^(INFO|#[0-9]+|MERGE)' "$out" | tail -n 30 >&2
        fi
    done
done
if [ "$rc" != 0 ]; then
    say "FAILED: minimise each new input ($BIN/TARGET -minimize_crash=1 -runs=10000 FILE),"
    say "add it to tests/fuzz/regressions/TARGET/ (NAME.known while the bug is open) and report it"
    exit 1
fi
say "no new failure in ${#TARGETS[@]} target(s), ${SECONDS_EACH}s each"
