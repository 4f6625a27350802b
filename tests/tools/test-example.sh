#!/usr/bin/env bash
# End-to-end check of the bundled example project with the real binary.
#
#   tests/tools/test-example.sh LOADLINT [EXAMPLE_DIR]
#
# EXAMPLE_DIR defaults to examples/vulnerable-app. Checks:
#   - every .py file of the example is valid Python (python3 ast.parse; writes no .pyc)
#   - `LOADLINT -f sarif -o OUT .` run inside the example exits 1 (findings)
#   - OUT passes tests/tools/sarif-validate.sh (schema, ajv, Sarif.Multitool Sarif;Gh)
#   - the findings sit exactly on the marked lines: each `# UNSAFE:` comment marks the
#     next non-comment line, which must have a finding; each `# Safe:` comment marks a
#     line that must have none; a finding on any unmarked line is a false positive.
# Ends with "N passed, M failed"; exit 0 only if nothing failed.
set -eu

me=${0##*/}
if [ "$#" -lt 1 ] || [ "$#" -gt 2 ]; then
  echo "usage: $me LOADLINT [EXAMPLE_DIR]" >&2
  exit 2
fi
here=$(cd "$(dirname "$0")" && pwd -P)
root=$(cd "$here/../.." && pwd -P)
loadlint=$(cd "$(dirname "$1")" && pwd -P)/${1##*/}
example=${2:-$root/examples/vulnerable-app}
[ -x "$loadlint" ] || { echo "$me: $loadlint is not an executable" >&2; exit 2; }
[ -d "$example" ] || { echo "$me: no such folder: $example" >&2; exit 2; }
example=$(cd "$example" && pwd -P)
PYTHON=${LOADLINT_PYTHON:-python3}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/test-example.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0
pass() { passed=$((passed + 1)); printf 'PASS %s\n' "$1"; }
fail() { failed=$((failed + 1)); printf 'FAIL %s\n' "$1"; [ ! -s "${2:-/dev/null}" ] || sed 's/^/    | /' "$2"; }

# 1. valid Python
if (cd "$example" && find . -name '*.py' -print0 | sort -z | xargs -0 "$PYTHON" -c '
import ast, sys
for p in sys.argv[1:]:
    with open(p, encoding="utf-8") as f:
        ast.parse(f.read(), p)
print("%d files parse" % (len(sys.argv) - 1))
') >"$tmp/py.out" 2>&1; then
  pass "example is valid Python ($(cat "$tmp/py.out"))"
else
  fail "example is valid Python" "$tmp/py.out"
fi

# 2. scan, SARIF out
rc=0
(cd "$example" && "$loadlint" -f sarif -o "$tmp/example.sarif" .) >"$tmp/scan.out" 2>&1 || rc=$?
if [ "$rc" = 1 ]; then pass "scan exits 1 (findings)"; else fail "scan exits 1 (findings), got $rc" "$tmp/scan.out"; fi
if [ ! -s "$tmp/example.sarif" ]; then
  fail "scan wrote $tmp/example.sarif" "$tmp/scan.out"
  echo "$passed passed, $failed failed"
  exit 1
fi

# 3. the SARIF is valid for GitHub
if bash "$here/sarif-validate.sh" -q "$tmp/example.sarif" >"$tmp/validate.out" 2>&1; then
  pass "example SARIF passes sarif-validate.sh"
else
  fail "example SARIF passes sarif-validate.sh" "$tmp/validate.out"
fi

# 4. findings exactly on the marked lines (file:line lists, sorted)
# shellcheck disable=SC2016 # awk program, not shell
(cd "$example" && find . -name '*.py' -print0 | sort -z | xargs -0 awk '
  FNR == 1 { want = "" }
  /^[ \t]*#/ {
    if ($0 ~ /#[ \t]*UNSAFE:/) want = "unsafe"
    else if ($0 ~ /#[ \t]*Safe:/) want = "safe"
    next
  }
  want != "" { f = FILENAME; sub(/^\.\//, "", f); print want, f ":" FNR; want = "" }
') >"$tmp/marks"
grep '^unsafe ' "$tmp/marks" | cut -d' ' -f2 | sort -u >"$tmp/want"
grep '^safe ' "$tmp/marks" | cut -d' ' -f2 | sort -u >"$tmp/safe"
if ! jq -r '.runs[0].results[]
      | .locations[0].physicalLocation
      | "\(.artifactLocation.uri | sub("^\\./"; "")):\(.region.startLine)"' \
      "$tmp/example.sarif" 2>"$tmp/jq.err" | sort -u >"$tmp/got"; then
  fail "read findings from the SARIF" "$tmp/jq.err"
fi
# URIs are percent-encoded; the example's file names need no encoding.
if [ ! -s "$tmp/want" ]; then
  fail "the example has # UNSAFE: markers"
fi
while IFS= read -r loc; do
  if grep -qxF "$loc" "$tmp/got"; then pass "finding at $loc"; else fail "finding at $loc (missing)"; fi
done <"$tmp/want"
while IFS= read -r loc; do
  if grep -qxF "$loc" "$tmp/got"; then fail "no finding at $loc (# Safe:), but there is one"; else pass "no finding at $loc (safe twin)"; fi
done <"$tmp/safe"
extra=$(comm -23 "$tmp/got" "$tmp/want" | grep -vxF -f "$tmp/safe" || true)
if [ -z "$extra" ]; then
  pass "no findings on unmarked lines"
else
  printf '%s\n' "$extra" >"$tmp/extra"
  fail "no findings on unmarked lines (false positives below)" "$tmp/extra"
fi

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
