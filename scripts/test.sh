#!/usr/bin/env bash
# Build loadlint and run its whole test suite (what CI runs, through .ci/run).
#
#   scripts/test.sh
#
# 1. scripts/setup.sh --deps-only --no-scan   (apt-get only if something is missing)
# 2. cmake -S . -B build -DCMAKE_BUILD_TYPE=Release && cmake --build build -j$(nproc)
# 3. tests/tools/install-sarif-tools.sh       (npm, into a cache outside the repo, skipped
#    when already there) and export LOADLINT_SARIF_TOOLS for the tests
# 4. ctest --test-dir build --output-on-failure --no-tests=error -j2 (no tests = failure)
# 5. scripts/sanitize.sh build/loadlint: the whole suite again under ASan + UBSan (build-asan/),
#    and valgrind memcheck of a corpus scan (SECURITY.md)
# 6. tests/fuzz/run.sh $LOADLINT_FUZZ_SECONDS (default 15): each fuzz target, in build-fuzz/
# LOADLINT_QUICK=1 skips 5 and 6.
# Exit status: ctest's; or 10 deps, 11 build, 13 SARIF tools install, 14 sanitizers, 15 fuzzing
# failed.
set -eu

me=${0##*/}
say() { printf '%s: %s\n' "$me" "$*" >&2; }
die() { local rc=$1; shift; printf '%s: error: %s\n' "$me" "$*" >&2; exit "$rc"; }

case "${1:-}" in
  -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
  '') ;;
  *) die 12 "no arguments expected (see $me --help)" ;;
esac

ROOT=$(cd "$(dirname "$0")/.." && pwd -P)
cd "$ROOT"

rc=0
bash "$ROOT/scripts/setup.sh" --deps-only --no-scan || rc=$?
[ "$rc" = 0 ] || die "$rc" "installing dependencies failed (scripts/setup.sh --deps-only, exit $rc)"

say "building into build/"
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release || die 11 "cmake configure failed"
cmake --build build -j"$(nproc)" || die 11 "build failed"

say "SARIF validation tools"
tools=$(bash "$ROOT/tests/tools/install-sarif-tools.sh") \
  || die 13 "installing the SARIF validation tools failed (tests/tools/install-sarif-tools.sh)"
export LOADLINT_SARIF_TOOLS="$tools"
say "LOADLINT_SARIF_TOOLS=$LOADLINT_SARIF_TOOLS"

say "running: ctest --test-dir build --output-on-failure --no-tests=error -j2"
rc=0
ctest --test-dir build --output-on-failure --no-tests=error -j2 || rc=$?
[ "$rc" = 0 ] || say "ctest failed (exit $rc)"

if [ "${LOADLINT_QUICK:-0}" != 1 ]; then
  say "running: scripts/sanitize.sh build/loadlint (ASan/UBSan suite in build-asan/, valgrind)"
  bash "$ROOT/scripts/sanitize.sh" "$ROOT/build/loadlint" \
    || { say "sanitizer checks failed"; [ "$rc" != 0 ] || rc=14; }
  say "running: tests/fuzz/run.sh ${LOADLINT_FUZZ_SECONDS:-15}"
  bash "$ROOT/tests/fuzz/run.sh" "${LOADLINT_FUZZ_SECONDS:-15}" \
    || { say "fuzzing failed"; [ "$rc" != 0 ] || rc=15; }
fi
exit "$rc"
