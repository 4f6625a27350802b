#!/usr/bin/env bash
# bench/artifacts.sh - the pickle-family readers on real PyTorch checkpoints.
#
#   bench/artifacts.sh [--quick]
#
# Makes (once) a set of real torch.save state dicts with Debian's
# python3-torch under $LOADLINT_CACHE_DIR/artifact-bench/ (default
# ~/.cache/loadlint): zip checkpoints (torch.save's default) and legacy
# ones (_use_new_zipfile_serialization=False), a few hundred MB in all,
# each a transformer-like state dict of a few hundred tensors. Builds
# loadlint-artifact-scan (Release) in $LOADLINT_BENCH_BUILD_DIR (default
# build/) and measures, with hyperfine (warm page cache, median of
# $BENCH_RUNS runs, default 5; --quick: 3):
#
#   read floor   loadlint-artifact-scan --read-only: reads each zip's central
#                directory and every *.pkl member (checksums their bytes),
#                what any scan of the pickles must do; for the legacy files it
#                reads the whole file (their pickles have no index)
#   scan         loadlint-artifact-scan -q: the full scan (sniff, zip, walk,
#                policy, findings)
#
# then, with the files evicted from the page cache (posix_fadvise
# DONTNEED, per file, just before it is scanned) the bytes the scan
# brought in (mincore, --residency) and the major page faults and peak RSS
# of that run (GNU time); and peak RSS for one file against all of them
# (memory must stay flat). It prints one table; targets: the scan costs
# under 2x the read floor on the zip set, tensor data is not read, peak
# RSS does not grow with the number of files.
#
# Environment: LOADLINT_CACHE_DIR, LOADLINT_BENCH_BUILD_DIR, BENCH_RUNS,
#   BENCH_ZIP_FILES (default 40), BENCH_LEGACY_FILES (default 10),
#   BENCH_LAYERS (transformer blocks per checkpoint, default 24).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd -P)
cd "$ROOT"
me=${0##*/}
say() { printf '%s: %s\n' "$me" "$*" >&2; }

RUNS=${BENCH_RUNS:-5}
[ "${1:-}" = --quick ] && RUNS=3
CACHE=${LOADLINT_CACHE_DIR:-$HOME/.cache/loadlint}
SET=$CACHE/artifact-bench
BUILD=${LOADLINT_BENCH_BUILD_DIR:-build}
NZIP=${BENCH_ZIP_FILES:-40}
NLEG=${BENCH_LEGACY_FILES:-10}
LAYERS=${BENCH_LAYERS:-24}

need_pkgs=()
/usr/bin/python3 -c 'import torch' 2> /dev/null || need_pkgs+=(python3-torch)
command -v hyperfine > /dev/null || need_pkgs+=(hyperfine)
[ -x /usr/bin/time ] || need_pkgs+=(time)
if [ "${#need_pkgs[@]}" -gt 0 ]; then
    say "installing ${need_pkgs[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${need_pkgs[@]}" > /dev/null
fi

# ---- the checkpoint set ----------------------------------------------------------
stamp="$SET/.done-v2-$NZIP-$NLEG-$LAYERS"
if [ ! -f "$stamp" ]; then
    say "writing $NZIP zip and $NLEG legacy checkpoints into $SET (once)"
    rm -rf "$SET"
    mkdir -p "$SET/zip" "$SET/legacy"
    /usr/bin/python3 - "$SET" "$NZIP" "$NLEG" "$LAYERS" <<'EOF'
import sys, torch
out, nzip, nleg, layers = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
def state_dict(seed, d=128):
    g = torch.Generator().manual_seed(seed)
    sd = {"embed.weight": torch.randn(1000, d, generator=g)}
    for i in range(layers):
        p = "layers.%d." % i
        for n in ("q", "k", "v", "o"):
            sd[p + "attn.%s.weight" % n] = torch.randn(d, d, generator=g)
            sd[p + "attn.%s.bias" % n] = torch.randn(d, generator=g)
        sd[p + "mlp.up.weight"] = torch.randn(2 * d, d, generator=g)
        sd[p + "mlp.down.weight"] = torch.randn(d, 2 * d, generator=g)
        sd[p + "norm1.weight"] = torch.ones(d)
        sd[p + "norm2.weight"] = torch.ones(d)
        sd[p + "steps"] = torch.tensor([i], dtype=torch.int64)
    return sd
for i in range(nzip):
    torch.save(state_dict(i), "%s/zip/model-%03d.pt" % (out, i))
for i in range(nleg):
    torch.save(state_dict(1000 + i), "%s/legacy/model-%03d.pt" % (out, i), _use_new_zipfile_serialization=False)
EOF
    touch "$stamp"
fi
ZIPS=("$SET"/zip/*.pt)
LEGS=("$SET"/legacy/*.pt)

# ---- the driver ----------------------------------------------------------------------
if [ ! -f "$BUILD/CMakeCache.txt" ]; then
    cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=Release > /dev/null
fi
cmake --build "$BUILD" -j"$(nproc)" --target loadlint-artifact-scan > /dev/null
SCAN=$BUILD/loadlint-artifact-scan
grep -q 'CMAKE_BUILD_TYPE:STRING=Release' "$BUILD/CMakeCache.txt" || say "warning: $BUILD is not a Release build"

RES=$CACHE/artifact-bench-results
mkdir -p "$RES"

bytes_of() { local t=0 f; for f in "$@"; do t=$((t + $(stat -c %s "$f"))); done; echo "$t"; }
pkl_bytes() { "$SCAN" --read-only "$@" | sed -n 's/^read-only: \([0-9]*\) bytes.*/\1/p'; }

# median wall time in seconds of a command, warm cache
median() { # median NAME CMD...
    local name=$1
    shift
    hyperfine -N -w 1 -r "$RUNS" --export-json "$RES/$name.json" "$(printf '%q ' "$@")" > /dev/null 2>&1 ||
        hyperfine -w 1 -r "$RUNS" --export-json "$RES/$name.json" "$(printf '%q ' "$@")" > /dev/null
    /usr/bin/python3 -c 'import json,sys; print("%.4f" % json.load(open(sys.argv[1]))["results"][0]["median"])' "$RES/$name.json"
}

# cold: every file evicted before it is scanned; prints resident bytes after
cold() { # cold NAME FILES... -> "resident_bytes major_faults max_rss_kb"
    local name=$1
    shift
    /usr/bin/time -f '%F %M' -o "$RES/$name.time" "$SCAN" -q --residency "$@" > "$RES/$name.res"
    local resident
    resident=$(sed -n 's/.*resident .*(\([0-9]*\) of [0-9]* bytes)$/\1/p' "$RES/$name.res" | awk '{s += $1} END {print s + 0}')
    echo "$resident $(cat "$RES/$name.time")"
}

# findings must be none (all benign)
"$SCAN" "${ZIPS[@]}" "${LEGS[@]}" > "$RES/findings.txt"
bad=$(grep -c -v 'verdict=safe findings=0' "$RES/findings.txt" || true)
[ "$bad" = 0 ] || say "warning: $bad lines other than clean verdicts (see $RES/findings.txt)"

ZB=$(bytes_of "${ZIPS[@]}")
LB=$(bytes_of "${LEGS[@]}")
ZP=$(pkl_bytes "${ZIPS[@]}")
say "zip set: ${#ZIPS[@]} files, $ZB bytes, $ZP bytes of pickle members; legacy: ${#LEGS[@]} files, $LB bytes"

say "timing (warm cache, median of $RUNS)"
t_zread=$(median zip-read "$SCAN" --read-only "${ZIPS[@]}")
t_zscan=$(median zip-scan "$SCAN" -q "${ZIPS[@]}")
t_lread=$(median legacy-read "$SCAN" --read-only "${LEGS[@]}")
t_lscan=$(median legacy-scan "$SCAN" -q "${LEGS[@]}")

say "cold cache: bytes brought in, major faults, peak RSS"
read -r zres zmaj zrss <<< "$(cold zip-cold "${ZIPS[@]}")"
read -r lres lmaj lrss <<< "$(cold legacy-cold "${LEGS[@]}")"
read -r _ _ rss1 <<< "$(cold one-file "${ZIPS[0]}")"

/usr/bin/python3 - "$ZB" "$ZP" "$LB" "$t_zread" "$t_zscan" "$t_lread" "$t_lscan" "$zres" "$zmaj" "$zrss" \
    "$lres" "$lmaj" "$lrss" "$rss1" "${#ZIPS[@]}" "${#LEGS[@]}" "$RUNS" <<'EOF'
import sys
(zb, zp, lb, tzr, tzs, tlr, tls, zres, zmaj, zrss, lres, lmaj, lrss, rss1, nz, nl, runs) = sys.argv[1:]
zb, zp, lb, zres, lres = int(zb), int(zp), int(lb), int(zres), int(lres)
tzr, tzs, tlr, tls = float(tzr), float(tzs), float(tlr), float(tls)
MB = 1e6
print("| set | files | MB | pickle MB | read floor (s) | scan (s) | scan / floor | scan MB/s (file) | scan MB/s (pickle) | touched cold | major faults | peak RSS |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
print("| zip | %s | %.1f | %.2f | %.4f | %.4f | %.2fx | %.0f | %.1f | %.2f MB (%.2f%%) | %s | %.1f MB |" % (
    nz, zb / MB, zp / MB, tzr, tzs, tzs / tzr if tzr else 0, zb / MB / tzs, zp / MB / tzs,
    zres / MB, 100.0 * zres / zb, zmaj, int(zrss) / 1024))
print("| legacy | %s | %.1f | n/a | %.4f (whole files) | %.4f | %.2fx | %.0f | n/a | %.2f MB (%.2f%%) | %s | %.1f MB |" % (
    nl, lb / MB, tlr, tls, tls / tlr if tlr else 0, lb / MB / tls, lres / MB, 100.0 * lres / lb, lmaj,
    int(lrss) / 1024))
print()
print("peak RSS: one zip checkpoint %.1f MB, all %s: %.1f MB (%.2fx)" % (int(rss1) / 1024, nz, int(zrss) / 1024,
      int(zrss) / max(int(rss1), 1)))
ok_speed = tzs < 2 * tzr
ok_touch = zres < 0.05 * zb and lres < 0.05 * lb
ok_rss = int(zrss) < 1.5 * int(rss1)
print("targets: scan < 2x read floor (zip): %s; tensor data not read (< 5%% of bytes touched cold): %s; "
      "flat memory (< 1.5x one file): %s" % ("met" if ok_speed else "NOT met", "met" if ok_touch else "NOT met",
                                             "met" if ok_rss else "NOT met"))
print("(warm cache medians of %s runs; 'touched cold': bytes resident after each file was evicted and scanned)" % runs)
EOF
