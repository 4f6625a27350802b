#!/bin/bash
# fix_corpora.sh LOADLINT [CORPUS_DIR...] - `loadlint --fix --unsafe-fixes` on
# copies of real code, checked from the outside.
#
# For each corpus (the directories given, else the benchmark's corpora built or
# reused by bench/lib.sh: stdlib, ml, and dense and keras when their sources
# exist), on a copy in a temporary directory:
#   1. scan it (JSON, with suppressed findings) and note which findings carry a
#      fix (`"fix": {"applicability": "safe" | "unsafe", ...}`);
#   2. run `loadlint --fix --unsafe-fixes` on the copy;
#   3. every changed file still parses: Debian's Python, ast.parse on its bytes
#      (so its encoding declaration is honoured);
#   4. only files with a fix changed;
#   5. rescanned, each (file, rule) with fixes has exactly its unfixed findings
#      left, and no rule has more findings (suppressed included) than before
#      (a fix may reveal a finding another rule's finding was hiding on the same
#      call, LL301 once LL302's safe_mode=False is gone, never a new one);
#   6. a second `--fix --unsafe-fixes` changes no byte, and `--diff` on the
#      fixed copy prints nothing.
# Not registered in ctest until the CLI has the flags; run it by hand:
#   bash tests/integration/fix_corpora.sh build/loadlint [DIR...]
set -u
. "$(dirname "$0")/lib.sh"
shift

FIX_FLAGS=(--fix --unsafe-fixes)
SCAN_FLAGS=(--isolated --exit-zero -q -j2)

declare -a CORPUS_DIRS=()
if [ "$#" -gt 0 ]; then
    CORPUS_DIRS=("$@")
else
    . "$(dirname "$0")/../../bench/lib.sh"
    bench_build_corpora stdlib ml dense keras || exit 2
    for c in stdlib ml dense keras; do
        [ -n "${CPATHS[$c]:-}" ] && CORPUS_DIRS+=("${CPATHS[$c]}")
    done
fi
[ "${#CORPUS_DIRS[@]}" -gt 0 ] || { echo "fix_corpora: no corpus" >&2; exit 2; }

# tree_digest DIR: one line per file, "sha256  path", sorted
tree_digest() { (cd "$1" && find . -type f -print0 | sort -z | xargs -0 -r sha256sum); }

for src in "${CORPUS_DIRS[@]}"; do
    name=$(basename "$src")
    copy=$WORK/$name
    rm -rf "$copy"
    cp -r "$src" "$copy"
    echo "# corpus $name ($src)"

    "$LOADLINT" "${SCAN_FLAGS[@]}" --show-suppressed -f json "$copy" >"$WORK/$name.before.json" 2>"$WORK/$name.err"
    check "$name: scanned" test -s "$WORK/$name.before.json"
    run_rc "$LOADLINT" "${SCAN_FLAGS[@]}" "${FIX_FLAGS[@]}" "$copy"
    check "$name: --fix --unsafe-fixes ran (status $RC)" test "$RC" -lt 2

    # changed files: parse each with Python, and each had a fix
    "$PY" - "$src" "$copy" "$WORK/$name.before.json" >"$WORK/$name.changed" 2>"$WORK/$name.changed.err" <<'PYCHANGED'
import ast, filecmp, json, os, sys
src, copy, before = sys.argv[1:4]
with open(before, encoding="utf-8") as f:
    results = json.load(f)["results"]
with_fix = {r["path"] for r in results
            if not r.get("suppressed") and (r.get("fix") or {}).get("applicability") in ("safe", "unsafe")}
bad = 0
changed = 0
for root, dirs, files in os.walk(copy):
    for fn in files:
        p = os.path.join(root, fn)
        rel = os.path.relpath(p, copy)
        o = os.path.join(src, rel)
        if os.path.exists(o) and filecmp.cmp(o, p, shallow=False):
            continue
        changed += 1
        print(rel)
        try:
            with open(p, "rb") as f:
                ast.parse(f.read(), filename=p)
        except SyntaxError as e:
            bad += 1
            print(f"SYNTAX {rel}: {e}", file=sys.stderr)
        if not any(w == p or w.endswith("/" + rel) or w == rel for w in with_fix):
            bad += 1
            print(f"CHANGED WITHOUT A FIX {rel}", file=sys.stderr)
print(f"{changed} files changed", file=sys.stderr)
sys.exit(1 if bad else 0)
PYCHANGED
    check "$name: every changed file parses (ast.parse) and had a fix" test $? = 0
    cat "$WORK/$name.changed.err" >&2

    "$LOADLINT" "${SCAN_FLAGS[@]}" --show-suppressed -f json "$copy" >"$WORK/$name.after.json" 2>>"$WORK/$name.err"
    "$PY" - "$WORK/$name.before.json" "$WORK/$name.after.json" <<'PYCOUNT' >&2
import collections, json, sys
def load(p):
    with open(p, encoding="utf-8") as f:
        return json.load(f)["results"]
before, after = load(sys.argv[1]), load(sys.argv[2])
shown_b, fixed, all_b = collections.Counter(), collections.Counter(), collections.Counter()
for r in before:
    k = (r["path"], r["rule_id"])
    all_b[r["rule_id"]] += 1
    if not r.get("suppressed"):
        shown_b[k] += 1
        if (r.get("fix") or {}).get("applicability") in ("safe", "unsafe"):
            fixed[k] += 1
shown_a, all_a = collections.Counter(), collections.Counter()
for r in after:
    all_a[r["rule_id"]] += 1
    if not r.get("suppressed"):
        shown_a[(r["path"], r["rule_id"])] += 1
bad = 0
for k, n in fixed.items():
    if shown_a[k] != shown_b[k] - n:
        bad += 1
        print(f"NOT FIXED {k[0]} {k[1]}: {shown_b[k]} before, {n} with a fix, {shown_a[k]} after")
for rule, n in all_a.items():
    if n > all_b[rule]:
        bad += 1
        print(f"NEW FINDINGS {rule}: {all_b[rule]} before, {n} after")
print(f"fixed {sum(fixed.values())} findings: {sum(shown_b.values())} -> {sum(shown_a.values())} shown")
sys.exit(1 if bad else 0)
PYCOUNT
    check "$name: rescanned, the fixed findings are gone and nothing new appears" test $? = 0

    tree_digest "$copy" >"$WORK/$name.d1"
    run_rc "$LOADLINT" "${SCAN_FLAGS[@]}" "${FIX_FLAGS[@]}" "$copy"
    tree_digest "$copy" >"$WORK/$name.d2"
    check "$name: a second --fix changes nothing" cmp -s "$WORK/$name.d1" "$WORK/$name.d2"
    "$LOADLINT" "${SCAN_FLAGS[@]}" "${FIX_FLAGS[@]}" --diff "$copy" >"$WORK/$name.diff" 2>/dev/null
    check "$name: --diff on the fixed copy prints nothing" test ! -s "$WORK/$name.diff"
    rm -rf "$copy"
done
finish
