#!/usr/bin/env bash
# bench/artifacts-overhead.sh - model-file scanning inside the real CLI.
#
#   bench/artifacts-overhead.sh [--quick]
#
# Measures loadlint itself (not the readers' driver), warm page cache,
# $BENCH_RUNS rounds (default 5; --quick: 3):
#
#  (a) throughput on the checkpoint set of bench/artifacts.sh (40 zip and
#      10 legacy torch.save state dicts under $LOADLINT_CACHE_DIR/
#      artifact-bench; made by bench/artifacts.sh when missing; hyperfine,
#      median of 4 x $BENCH_RUNS runs): MB/s of
#      checkpoint and of pickle members for `loadlint DIR`, against the
#      read floor (loadlint-artifact-scan --read-only: a zip's directory
#      and its *.pkl members, legacy files whole) and against the readers
#      alone (loadlint-artifact-scan -q); the CLI must report nothing on
#      these benign files;
#  (b) the Python-only corpora of bench/lib.sh (stdlib, ml): `loadlint`
#      with model-file scanning on (the default) against `--no-artifacts`;
#      target: within 5 %;
#  (c) a mixed tree, Debian's /usr/lib/python3/dist-packages (Python next
#      to .so libraries, data files, images...): the same pair, what
#      sniffing the first bytes of every other file costs.
#
# (b) and (c) run the two commands alternately ($BENCH_RUNS rounds after a
# warm-up round) and compare the medians of their CPU time (user + system,
# GNU time) as well as of wall time: on a machine shared with other work
# the wall time of runs many seconds long varies by tens of percent from
# one run to the next, the CPU time much less; the verdict uses CPU time.
#
# Environment: LOADLINT_CACHE_DIR, LOADLINT_BENCH_BUILD_DIR (default
# build/), BENCH_RUNS, BENCH_MIXED (default /usr/lib/python3/dist-packages;
# empty: skip (c)). Exit status 1 when (b) misses its target.
set -euo pipefail
# cold scans only: with the result cache (on by default) every timed run after the
# first would be a cache hit, and the corpora would fill with caches
# (bench/incremental.sh measures the cache)
export LOADLINT_NO_CACHE=1
. "$(dirname "$0")/lib.sh"
cd "$BENCH_ROOT"
me=${0##*/}
say() { printf '%s: %s\n' "$me" "$*" >&2; }

RUNS=${BENCH_RUNS:-5}
[ "${1:-}" = --quick ] && RUNS=3
HRUNS=$((RUNS * 4)) # (a): runs of a few hundredths of a second
BUILD=${LOADLINT_BENCH_BUILD_DIR:-build}
MIXED=${BENCH_MIXED-/usr/lib/python3/dist-packages}
SET=$CACHE/artifact-bench
RES=$CACHE/artifact-overhead-results
mkdir -p "$RES"

bench_install_missing hyperfine:hyperfine /usr/bin/time:time
bench_build_corpora stdlib ml
if [ ! -d "$SET/zip" ] || [ ! -d "$SET/legacy" ]; then
    say "no checkpoint set in $SET: making it with bench/artifacts.sh"
    LOADLINT_BENCH_BUILD_DIR=$BUILD bash bench/artifacts.sh --quick > /dev/null
fi
if [ ! -f "$BUILD/CMakeCache.txt" ]; then
    cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=Release > /dev/null
fi
cmake --build "$BUILD" -j"$(nproc)" --target loadlint loadlint-artifact-scan > /dev/null
grep -q 'CMAKE_BUILD_TYPE:STRING=Release' "$BUILD/CMakeCache.txt" || say "warning: $BUILD is not a Release build"
LL=$BUILD/loadlint
SCAN=$BUILD/loadlint-artifact-scan

median() { # median NAME CMD... -> seconds
    local name=$1
    shift
    hyperfine -N -i -w 1 -r "$HRUNS" --export-json "$RES/$name.json" "$(printf '%q ' "$@")" > /dev/null 2>&1 ||
        hyperfine -i -w 1 -r "$HRUNS" --export-json "$RES/$name.json" "$(printf '%q ' "$@")" > /dev/null
    "$PY" -c 'import json,sys; print("%.4f" % json.load(open(sys.argv[1]))["results"][0]["median"])' "$RES/$name.json"
}
bytes_of() { find "$@" -type f -printf '%s\n' | awk '{s += $1} END {print s + 0}'; }

# ---- (a) checkpoints ---------------------------------------------------------
ZIPS=("$SET"/zip/*.pt)
LEGS=("$SET"/legacy/*.pt)
rc=0
"$LL" --isolated "$SET" > "$RES/findings.txt" 2> "$RES/findings.err" || rc=$?
[ "$rc" = 0 ] || say "warning: loadlint reports findings or problems on the benign checkpoints (exit $rc; $RES/findings.txt)"
ZB=$(bytes_of "$SET/zip")
LB=$(bytes_of "$SET/legacy")
ZP=$("$SCAN" --read-only "${ZIPS[@]}" | sed -n 's/^read-only: \([0-9]*\) bytes.*/\1/p')
say "checkpoints: ${#ZIPS[@]} zip ($ZB bytes, $ZP of pickle members), ${#LEGS[@]} legacy ($LB bytes)"
say "(a) timing (warm cache, median of $RUNS)"
t_zfloor=$(median a-zip-floor "$SCAN" --read-only "${ZIPS[@]}")
t_ztool=$(median a-zip-readers "$SCAN" -q "${ZIPS[@]}")
t_zcli=$(median a-zip-cli "$LL" -q --isolated --exit-zero "$SET/zip")
t_zoff=$(median a-zip-cli-off "$LL" -q --isolated --exit-zero --no-artifacts "$SET/zip")
t_lfloor=$(median a-legacy-floor "$SCAN" --read-only "${LEGS[@]}")
t_lcli=$(median a-legacy-cli "$LL" -q --isolated --exit-zero "$SET/legacy")

# ---- (b) Python-only corpora, (c) a mixed tree ----------------------------------
# pair NAME PATHS...: alternate runs with and without model files; prints
# "on_wall on_cpu off_wall off_cpu" (medians; the first round is a warm-up)
pair() {
    local name=$1 i
    shift
    for i in $(seq 0 "$RUNS"); do
        /usr/bin/time -f '%e %U %S' -o "$RES/$name.on.$i" "$LL" -q --isolated --exit-zero "$@" > /dev/null 2>&1
        /usr/bin/time -f '%e %U %S' -o "$RES/$name.off.$i" "$LL" -q --isolated --exit-zero --no-artifacts "$@" \
            > /dev/null 2>&1
    done
    "$PY" - "$RES/$name" "$RUNS" <<'PYEOF'
import statistics, sys
base, runs = sys.argv[1], int(sys.argv[2])
out = []
for side in ("on", "off"):
    wall, cpu = [], []
    for i in range(1, runs + 1):
        e, u, s = map(float, open("%s.%s.%d" % (base, side, i)).read().split()[-3:])
        wall.append(e)
        cpu.append(u + s)
    out += ["%.3f" % statistics.median(wall), "%.3f" % statistics.median(cpu)]
print(" ".join(out))
PYEOF
}
declare -A R FILES
pairs=(stdlib ml)
[ -n "$MIXED" ] && [ -d "$MIXED" ] && pairs+=(mixed)
for c in "${pairs[@]}"; do
    if [ "$c" = mixed ]; then P=("$MIXED"); else read -r -a P <<< "${CPATHS[$c]}"; fi
    FILES[$c]=$(find "${P[@]}" -type f | wc -l)
    say "($([ "$c" = mixed ] && echo c || echo b)) $c: ${FILES[$c]} files, $RUNS rounds on/off"
    R[$c]=$(pair "b-$c" "${P[@]}")
done
MIXED_MODELS=""
if [ -n "${R[mixed]:-}" ]; then
    MIXED_MODELS=$("$LL" --isolated --exit-zero --statistics "$MIXED" 2> /dev/null | awk -F'\t' '$2 ~ /^LL9/ {s += $1} END {print s + 0}')
fi

"$PY" - "$ZB" "$ZP" "$LB" "$t_zfloor" "$t_ztool" "$t_zcli" "$t_zoff" "$t_lfloor" "$t_lcli" "$RUNS" \
    "${R[stdlib]}" "${FILES[stdlib]}" "${R[ml]}" "${FILES[ml]}" "${R[mixed]:-0 0 0 0}" "${FILES[mixed]:-0}" \
    "$MIXED" "${MIXED_MODELS:-0}" <<'EOF'
import sys
a = sys.argv[1:]
zb, zp, lb = int(a[0]), int(a[1]), int(a[2])
tzf, tzt, tzc, tzo, tlf, tlc = map(float, a[3:9])
runs = a[9]
MB = 1e6
print("(a) model files through the CLI (warm cache, median of %d runs)" % (int(runs) * 4))
print("    %-34s %9s %12s %16s" % ("", "seconds", "MB/s file", "MB/s pickles"))
print("    %-34s %9.3f %12.0f %16.1f" % ("zip: read floor", tzf, zb / MB / tzf, zp / MB / tzf))
print("    %-34s %9.3f %12.0f %16.1f" % ("zip: readers alone", tzt, zb / MB / tzt, zp / MB / tzt))
print("    %-34s %9.3f %12.0f %16.1f" % ("zip: loadlint DIR", tzc, zb / MB / tzc, zp / MB / tzc))
print("    %-34s %9.3f" % ("zip: loadlint --no-artifacts DIR", tzo))
print("    %-34s %9.3f %12.0f" % ("legacy: read floor (whole files)", tlf, lb / MB / tlf))
print("    %-34s %9.3f %12.0f" % ("legacy: loadlint DIR", tlc, lb / MB / tlc))
print("    zip: loadlint costs %.2fx the read floor; without the CLI's fixed cost (the --no-artifacts run) "
      "%.2fx (target < 2x)" % (tzc / tzf, max(tzc - tzo, 0.0) / tzf))
ok = True
print("(b) Python-only corpora: model-file scanning on vs --no-artifacts (medians of %s alternating rounds)" % runs)
rows = [("stdlib", a[10], a[11]), ("ml", a[12], a[13])]
if float(a[14].split()[0]) > 0:
    rows.append(("mixed: " + a[16], a[14], a[15]))
for name, r, files in rows:
    onw, onc, offw, offc = map(float, r.split())
    dc = (onc - offc) / offc * 100
    dw = (onw - offw) / offw * 100
    mixed = name.startswith("mixed")
    if not mixed:
        ok &= dc <= 5.0
    print("    %-40s %6s files  cpu on %.2f s off %.2f s %+5.1f %%   wall on %.2f s off %.2f s %+5.1f %%%s" % (
        name, files, onc, offc, dc, onw, offw, dw,
        "" if mixed else ("   (target cpu <= +5 %%: %s)" % ("met" if dc <= 5.0 else "MISSED"))))
if len(rows) > 2:
    print("    (c) the mixed tree holds %s model-file findings (LL9xx)" % a[17])
sys.exit(0 if ok else 1)
EOF
