#!/bin/bash
# Grading as a maintainer sees it (the trusted-findings issue): the context
# of each finding (library / test / example) and test-severity, round trips
# withheld but listed with --show-suppressed, GitHub severity per grade, and
# no message template text in any output of the corpus.
set -u
. "$(dirname "$0")/lib.sh"
case $LOADLINT in /*) ;; *) LOADLINT=$PWD/$LOADLINT ;; esac

P=$WORK/proj
mkdir -p "$P/pkg" "$P/tests" "$P/examples"
printf '[tool.loadlint]\n' > "$P/pyproject.toml"
# the same unknown-input load in library, test and example code, and a
# round trip in the library
for d in pkg tests examples; do
    printf 'import pickle\n\n\ndef restore(blob):\n    return pickle.loads(blob)\n\n\ndef copy(obj):\n    return pickle.loads(pickle.dumps(obj))\n' > "$P/$d/mod.py"
done
cp "$P/pkg/mod.py" "$P/conftest.py"

json() { (cd "$P" && "$LOADLINT" -f json --show-suppressed "$@" . 2>/dev/null); }
# prints "path line severity context suppression" per result
rows() { "$PY" -c '
import json, sys
for r in json.load(sys.stdin)["results"]:
    print(r["path"], r["start"]["line"], r["severity"], r["context"], r["suppression"] or "-")' | sort; }

json > "$WORK/default.json"
rows < "$WORK/default.json" > "$WORK/default.rows"
check "library code: context library, graded warning" grep -qx 'pkg/mod.py 5 warning library -' "$WORK/default.rows"
check "tests/ and conftest.py: context test, a note by default (test-severity = note)" \
    bash -c "grep -qx 'tests/mod.py 5 note test -' '$WORK/default.rows' && grep -qx 'conftest.py 5 note test -' '$WORK/default.rows'"
check "examples/: context example, graded like library code" grep -qx 'examples/mod.py 5 warning example -' "$WORK/default.rows"
check "round trips are withheld with their reason" grep -qx 'pkg/mod.py 9 note library round-trip' "$WORK/default.rows"
run_rc bash -c "cd '$P' && '$LOADLINT' ."
check "the default text report has no round trip and exits 1 on the library warning" \
    bash -c "[ $RC = 1 ] && ! grep -q ':9:' '$WORK/out' && grep -q '^pkg/mod.py:5:' '$WORK/out'"
# a project with no loadlint configuration, scanned from another directory:
# its test files are still test code (the default test-paths "**/tests/**")
mkdir -p "$WORK/bare/tests" "$WORK/elsewhere"
cp "$P/pkg/mod.py" "$WORK/bare/tests/mod.py"
(cd "$WORK/elsewhere" && "$LOADLINT" -f json "$WORK/bare" 2>/dev/null) | rows > "$WORK/bare.rows"
check "no configuration, scanned from elsewhere: tests/ is still test code" \
    grep -qx "$WORK/bare/tests/mod.py 5 note test -" "$WORK/bare.rows"
run_rc bash -c "cd '$P' && '$LOADLINT' tests conftest.py"
check "test code alone: reported as notes, exit 0 under fail-on = warning" \
    bash -c "[ $RC = 0 ] && grep -q '^tests/mod.py:5:[0-9]*: note:' '$WORK/out'"

json --test-severity keep | rows > "$WORK/keep.rows"
check "test-severity keep" grep -qx 'tests/mod.py 5 warning test -' "$WORK/keep.rows"
json --test-severity lower | rows > "$WORK/lower.rows"
check "test-severity lower: one step down" grep -qx 'tests/mod.py 5 note test -' "$WORK/lower.rows"
json --test-severity ignore | rows > "$WORK/ignore.rows"
check "test-severity ignore: withheld as test code" grep -qx 'tests/mod.py 5 warning test test-code' "$WORK/ignore.rows"
printf '[tool.loadlint]\ntest-paths = ["examples/**"]\ntest-severity = "keep"\n' > "$P/pyproject.toml"
json | rows > "$WORK/config.rows"
check "test-paths and test-severity from pyproject.toml" \
    bash -c "grep -qx 'examples/mod.py 5 warning test -' '$WORK/config.rows' && grep -qx 'tests/mod.py 5 warning library -' '$WORK/config.rows'"
printf '[tool.loadlint]\n' > "$P/pyproject.toml"

# SARIF: each grade its own descriptor; context and provenance on results
(cd "$P" && "$LOADLINT" -f sarif --show-suppressed . > "$WORK/p.sarif" 2>/dev/null)
check "SARIF: warnings use LL101/warning (Medium), test notes LL101/note (Low), round trips are suppressed" "$PY" - "$WORK/p.sarif" <<'PY'
import json, sys
run = json.load(open(sys.argv[1]))["runs"][0]
rules = run["tool"]["driver"]["rules"]
by = {}
for r in run["results"]:
    loc = r["locations"][0]["physicalLocation"]
    by[(loc["artifactLocation"]["uri"], loc["region"]["startLine"])] = r
w = by[("pkg/mod.py", 5)]
assert w["ruleId"] == "LL101/warning" and w["level"] == "warning", w["ruleId"]
assert float(rules[w["ruleIndex"]]["properties"]["security-severity"]) < 7.0
assert w["properties"]["loadlint/context"] == "library"
n = by[("tests/mod.py", 5)]
assert n["ruleId"] == "LL101/note" and float(rules[n["ruleIndex"]]["properties"]["security-severity"]) < 4.0
assert n["properties"]["loadlint/context"] == "test" and n["properties"]["loadlint/lowered-in-test-code"]
rt = by[("pkg/mod.py", 9)]
assert rt["suppressions"][0]["kind"] == "external" and "round trip" in rt["suppressions"][0]["justification"]
assert rt["properties"]["loadlint/provenance"] == "self-produced"
PY
check "validators accept it" bash tests/tools/sarif-validate.sh "$WORK/p.sarif"

# No message template text ({callee}, {arg:...}) reaches any output, over
# the whole corpus, suppressed findings included.
PLACEHOLDER='\{(callee|class|method|arg:[A-Za-z_][A-Za-z0-9_]*|subject|detail|format)\}'
for fmt in text json sarif github; do
    extra=--show-suppressed
    [ $fmt = text ] || [ $fmt = github ] && extra=
    "$LOADLINT" --test-severity keep -f $fmt $extra tests/corpus > "$WORK/corpus.$fmt" 2>/dev/null
    check "no template text in the $fmt output of the corpus" \
        bash -c "[ -s '$WORK/corpus.$fmt' ] && ! grep -qE '$PLACEHOLDER' '$WORK/corpus.$fmt'"
done

finish
