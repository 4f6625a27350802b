#!/bin/bash
# fix_corpora.sh LOADLINT [CORPUS_DIR...] - `loadlint --fix` and `--unsafe-fixes` on
# copies of real code, checked from the outside.
#
# The corpora: the directories given; else those of $LOADLINT_FIX_CORPORA
# (colon-separated); else the benchmark's corpora already built in
# ${LOADLINT_CACHE_DIR:-~/.cache/loadlint}/bench-corpora (stdlib, ml, dense, keras:
# bench/run.sh or bench_build_corpora in bench/lib.sh builds them; this test never
# builds or installs anything). With none, it says so and exits 77 (skipped).
#
# For each corpus, on a copy in a temporary directory (the corpus itself is never
# written):
#   1. scan it (JSON, with suppressed findings) and note which findings carry a fix
#      that applies (`"fix": {"applicability": "safe" | "unsafe", ...}`, on a
#      finding that is reported or hidden only as a duplicate);
#   2. `loadlint --fix` (the safe fixes), then `--fix --unsafe-fixes` (the rest),
#      counting what each says it fixed;
#   3. every changed file still parses: Debian's Python, ast.parse on its bytes
#      (so its encoding declaration is honoured);
#   4. only files with a fix changed;
#   5. rescanned, each (file, rule) with fixes has exactly its unfixed findings
#      left (files the fix step refused to write, with a warning, aside), and no
#      rule has more findings (suppressed included) than before (a fix may reveal
#      a finding another rule's finding was hiding on the same call, LL301 once
#      LL302's safe_mode=False is gone, never a new one);
#   6. a second `--fix --unsafe-fixes` changes no byte, and `--diff` on the fixed
#      copy prints nothing.
# Registered in ctest as fix-corpora (skipped when no corpus is built); by hand:
#   bash tests/integration/fix_corpora.sh build/loadlint [DIR...]
set -u
. "$(dirname "$0")/lib.sh"
shift

SCAN_FLAGS=(--isolated --exit-zero -j2)

declare -a CORPUS_DIRS=()
if [ "$#" -gt 0 ]; then
    CORPUS_DIRS=("$@")
elif [ -n "${LOADLINT_FIX_CORPORA:-}" ]; then
    IFS=: read -r -a CORPUS_DIRS <<<"$LOADLINT_FIX_CORPORA"
else
    built=${LOADLINT_CACHE_DIR:-$HOME/.cache/loadlint}/bench-corpora
    for c in stdlib ml dense keras; do
        [ -d "$built/$c" ] && CORPUS_DIRS+=("$built/$c")
    done
fi
if [ "${#CORPUS_DIRS[@]}" = 0 ]; then
    echo "fix_corpora: skipped: no corpus given and none built in ${built:-?} (bench/run.sh builds them)"
    exit 77
fi

# tree_digest DIR: one line per file, "sha256  path", sorted
tree_digest() { (cd "$1" && find . -type f -print0 | sort -z | xargs -0 -r sha256sum); }
# fixed_count FILE: N of "loadlint: fixed N findings in M files" (0 for "nothing fixed")
fixed_count() { sed -n 's/^loadlint: fixed \([0-9]*\) findings\{0,1\} in .*/\1/p' "$1" | head -1 | grep . || echo 0; }

for src in "${CORPUS_DIRS[@]}"; do
    name=$(basename "$src")
    copy=$WORK/$name
    rm -rf "$copy"
    cp -r "$src" "$copy"
    start=$(date +%s)

    "$LOADLINT" "${SCAN_FLAGS[@]}" -q --show-suppressed -f json "$copy" >"$WORK/$name.before.json" 2>"$WORK/$name.err"
    check "$name: scanned" test -s "$WORK/$name.before.json"
    run_rc "$LOADLINT" "${SCAN_FLAGS[@]}" --fix "$copy"
    cp "$WORK/err" "$WORK/$name.fix.err"
    check "$name: --fix ran (status $RC)" test "$RC" -lt 2
    safe=$(fixed_count "$WORK/$name.fix.err")
    run_rc "$LOADLINT" "${SCAN_FLAGS[@]}" --fix --unsafe-fixes "$copy"
    cp "$WORK/err" "$WORK/$name.unsafe.err"
    check "$name: --fix --unsafe-fixes ran (status $RC)" test "$RC" -lt 2
    unsafe=$(fixed_count "$WORK/$name.unsafe.err")
    # files the fix step did not write (a warning or an error naming them)
    cat "$WORK/$name.fix.err" "$WORK/$name.unsafe.err" |
        sed -n 's/^loadlint: \(.*\): \(warning\|error\): \(not written\|not fixed\).*/\1/p' | sort -u >"$WORK/$name.refused"
    echo "# $name: --fix applied $safe fixes, --unsafe-fixes $unsafe more; $(wc -l <"$WORK/$name.refused") files refused"

    # changed files: parse each with Python, and each had a fix
    "$PY" - "$src" "$copy" "$WORK/$name.before.json" >"$WORK/$name.changed" 2>"$WORK/$name.changed.err" <<'PYCHANGED'
import ast, filecmp, json, os, sys
src, copy, before = sys.argv[1:4]
with open(before, encoding="utf-8") as f:
    results = json.load(f)["results"]
with_fix = {r["path"] for r in results
            if r.get("suppression") in (None, "duplicate")
            and (r.get("fix") or {}).get("applicability") in ("safe", "unsafe")}
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
print(f"{changed} files changed, all parse with {sys.executable} (ast.parse)", file=sys.stderr)
sys.exit(1 if bad else 0)
PYCHANGED
    check "$name: every changed file parses (ast.parse) and had a fix" test $? = 0
    sed 's/^/    /' "$WORK/$name.changed.err"

    "$LOADLINT" "${SCAN_FLAGS[@]}" -q --show-suppressed -f json "$copy" >"$WORK/$name.after.json" 2>>"$WORK/$name.err"
    "$PY" - "$WORK/$name.before.json" "$WORK/$name.after.json" "$WORK/$name.refused" <<'PYCOUNT' >"$WORK/$name.count" 2>&1
import collections, json, sys
def load(p):
    with open(p, encoding="utf-8") as f:
        return json.load(f)["results"]
before, after = load(sys.argv[1]), load(sys.argv[2])
refused = set(open(sys.argv[3], encoding="utf-8").read().split("\n")) - {""}
shown_b, fixed, all_b = collections.Counter(), collections.Counter(), collections.Counter()
kinds = collections.Counter()
for r in before:
    k = (r["path"], r["rule_id"])
    all_b[r["rule_id"]] += 1
    if not r.get("suppressed"):
        shown_b[k] += 1
        app = (r.get("fix") or {}).get("applicability")
        kinds[app or "no fix"] += 1
        if app in ("safe", "unsafe") and r["path"] not in refused:
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
# A rule with "versions" may report a call a fix has just made: adding
# weights_only=True where the project allows torch < 2.6 turns LL201 into
# LL206 (a lesser finding the fix cannot remove; raising the pin does). Such
# findings count as new only when they are not on the line of a fixed one.
import glob, os
versioned = set()
for j in glob.glob(os.path.join(os.environ.get("LL_RULES_DIR", "rules"), "*.json")):
    d = json.load(open(j, encoding="utf-8"))
    if "versions" in d:
        versioned.add(d["code"])
fixed_lines = {(r["path"], r["start"]["line"]) for r in before
               if not r.get("suppressed") and (r.get("fix") or {}).get("applicability") in ("safe", "unsafe")
               and r["path"] not in refused}
had = {(r["path"], r["start"]["line"], r["rule_id"]) for r in before}
def on_fixed_line(r):  # the call itself, or a dependency line whose related calls include it
    return (r["path"], r["start"]["line"]) in fixed_lines or any(
        (x["path"], x["start"]["line"]) in fixed_lines for x in r.get("related", []))
moved = collections.Counter(r["rule_id"] for r in after
                            if r["rule_id"] in versioned and (r["path"], r["start"]["line"], r["rule_id"]) not in had
                            and on_fixed_line(r))
for rule, n in all_a.items():
    if n - moved[rule] > all_b[rule]:
        bad += 1
        print(f"NEW FINDINGS {rule}: {all_b[rule]} before, {n} after ({moved[rule]} on fixed lines)")
    elif moved[rule]:
        print(f"{rule}: {moved[rule]} on lines a fix changed (a version rule judges the fixed call)")
print(f"reported findings before: {dict(kinds)}; fixed {sum(fixed.values())}: "
      f"{sum(shown_b.values())} -> {sum(shown_a.values())} reported")
sys.exit(1 if bad else 0)
PYCOUNT
    check "$name: rescanned, the fixed findings are gone and nothing new appears" test $? = 0
    sed 's/^/    /' "$WORK/$name.count"

    tree_digest "$copy" >"$WORK/$name.d1"
    run_rc "$LOADLINT" "${SCAN_FLAGS[@]}" --fix --unsafe-fixes "$copy"
    tree_digest "$copy" >"$WORK/$name.d2"
    check "$name: a second --fix --unsafe-fixes changes nothing" cmp -s "$WORK/$name.d1" "$WORK/$name.d2"
    "$LOADLINT" "${SCAN_FLAGS[@]}" --unsafe-fixes --diff "$copy" >"$WORK/$name.diff" 2>/dev/null
    check "$name: --diff on the fixed copy prints nothing" test ! -s "$WORK/$name.diff"
    echo "# $name: $(($(date +%s) - start)) s"
    rm -rf "$copy"
done
finish
