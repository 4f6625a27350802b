#!/usr/bin/env bash
# Test the SARIF validator itself: run tests/tools/sarif-validate.sh on every sample in
# sarif/ and check its verdict (exit code) and that the expected problems are named, so
# a broken validator (one that passes everything, or a check that silently stops
# working) fails here. Also checks the exit codes for a non-JSON file and a missing file.
#
#   tests/tools/test-sarif-validator.sh [--tools DIR]
#
# The tools must be installed (tests/tools/install-sarif-tools.sh; scripts/test.sh does
# it). Ends with "N passed, M failed"; exit 0 only if nothing failed.
set -eu

here=$(cd "$(dirname "$0")" && pwd -P)
root=$(cd "$here/../.." && pwd -P)
validate=$here/sarif-validate.sh
samples=$root/sarif

tools_args=()
case "${1:-}" in
  --tools) [ "$#" -eq 2 ] || { echo "usage: ${0##*/} [--tools DIR]" >&2; exit 2; }
           tools_args=(--tools "$2") ;;
  --tools=*) tools_args=("$1") ;;
  '') ;;
  *) echo "usage: ${0##*/} [--tools DIR]" >&2; exit 2 ;;
esac

[ -x "$validate" ] || { echo "${0##*/}: $validate is missing or not executable" >&2; exit 2; }

# sample | expected exit code | substrings that must all appear in the output (';'-separated)
# Keep in sync with sarif/README.md.
CASES='valid.sarif|0|jsonschema: ok;ajv: ok;multitool: ok
full.sarif|0|jsonschema: ok;ajv: ok;multitool: ok
minimal.sarif|1|GH1018
invalid-schema.sarif|1|jsonschema: /: '\''version'\'' is a required property;'\''critical'\'' is not one of;startLine: 0 is less than the minimum of 1;ajv: /: must have required property '\''version'\'';ajv: /runs/0/results/0/level: must be equal to one of the allowed values;must be >= 1
invalid-gh.sarif|1|GH1015;GH1017;GH2012;does not provide a '\''text'\'' property
invalid-uri.sarif|1|is not a '\''uri-reference'\'';is not a '\''uri'\'';must match format "uri-reference";must match format "uri";SARIF1002;SARIF1005'

passed=0 failed=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/test-sarif-validator.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# check NAME EXPECTED_RC OUTPUT_FILE ACTUAL_RC NEEDLES
check() {
  local name=$1 want=$2 out=$3 got=$4 needles=$5 missing='' needle
  if [ -n "$needles" ]; then
    while IFS= read -r needle; do
      [ -z "$needle" ] && continue
      grep -qF -- "$needle" "$out" || missing="$missing
    missing in output: $needle"
    done <<EOF_NEEDLES
$(printf '%s\n' "$needles" | tr ';' '\n')
EOF_NEEDLES
  fi
  if [ "$got" = "$want" ] && [ -z "$missing" ]; then
    passed=$((passed + 1))
    printf 'PASS %s (exit %s)\n' "$name" "$got"
  else
    failed=$((failed + 1))
    printf 'FAIL %s: exit %s, expected %s%s\n' "$name" "$got" "$want" "$missing"
    sed 's/^/    | /' "$out"
  fi
}

while IFS='|' read -r sample want needles; do
  [ -n "$sample" ] || continue
  out=$tmp/$sample.out
  if [ ! -f "$samples/$sample" ]; then
    failed=$((failed + 1)); printf 'FAIL %s: sample missing from %s\n' "$sample" "$samples"; continue
  fi
  rc=0
  "$validate" "${tools_args[@]}" "$samples/$sample" >"$out" 2>&1 || rc=$?
  check "$sample" "$want" "$out" "$rc" "$needles"
done <<EOF_CASES
$CASES
EOF_CASES

# Not JSON at all: invalid (1), not a tool error.
printf '{"version": "2.1.0", "runs": [' >"$tmp/truncated.sarif"
rc=0; "$validate" "${tools_args[@]}" "$tmp/truncated.sarif" >"$tmp/truncated.out" 2>&1 || rc=$?
check "truncated JSON" 1 "$tmp/truncated.out" "$rc" "not valid JSON"

# A missing file is a tool error (2), and 2 outranks 1 when files are mixed.
rc=0; "$validate" "${tools_args[@]}" "$samples/invalid-gh.sarif" "$tmp/no-such-file.sarif" >"$tmp/missing.out" 2>&1 || rc=$?
check "missing file" 2 "$tmp/missing.out" "$rc" "cannot read"

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
