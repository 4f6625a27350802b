#!/bin/bash
# A file's findings, suppressions and warnings do not depend on which other
# roots are scanned with it, nor on their order, when it imports nothing from
# them: other roots' configurations, rule directories (rules and sources)
# and same-named modules stay theirs. Also: a user's sources file given with
# --rules grades findings end to end.
set -u
. "$(dirname "$0")/lib.sh"
LOADLINT=$(cd "$(dirname "$LOADLINT")" && pwd)/$(basename "$LOADLINT")

P=$WORK/roots
mkdir -p "$P/a/app" "$P/b/app" "$P/b/rules"
# root a: its own configuration; a suppression naming a rule only b loads;
# a flow into a function of its own utils module; a value from mylib
printf '[tool.loadlint]\nextend-select = ["LL601"]\n' > "$P/a/pyproject.toml"
printf '' > "$P/a/app/__init__.py"
printf 'import pickle\n\n\ndef load(blob):\n    return pickle.loads(blob)\n' > "$P/a/app/utils.py"
cat > "$P/a/app/main.py" <<'PY'
import pickle
import sys

import mylib

from app import utils

utils.load(sys.argv[1].encode())
pickle.loads(mylib.fetch())  # loadlint: ignore[XX901]
x = 1  # loadlint: ignore[LL101]
PY
# root b: a rule directory with a custom rule and a sources file making
# mylib.fetch() untrusted; a same-named module app.utils with another sink
printf '[tool.loadlint]\nrules = ["rules"]\n' > "$P/b/pyproject.toml"
printf '' > "$P/b/app/__init__.py"
printf 'import marshal\n\n\ndef load(blob):\n    return marshal.loads(blob)\n' > "$P/b/app/utils.py"
printf 'import mylib\nimport pickle\n\npickle.loads(mylib.fetch())\n' > "$P/b/app/main.py"
cat > "$P/b/rules/XX901-eval.json" <<'JSON'
{"code": "XX901", "name": "eval-call", "severity": "warning", "summary": "eval",
 "message": "`{callee}` evaluates its input", "precision": "high", "security_severity": "5.0",
 "cwe": ["CWE-95"], "tags": [], "match": {"call": ["eval"]},
 "docs": {"what": "w", "why": "y", "example": "e", "use_instead": "u", "references": ["https://example.com/"]}}
JSON
cat > "$P/b/rules/mylib-sources.json" <<'JSON'
{"kind": "sources", "name": "mylib", "description": "our RPC library", "sources": ["mylib.fetch()"]}
JSON

# scan_a ARGS...: stdout and stderr lines about root a, as one text
scan_a() {
    (cd "$P" && "$LOADLINT" --report-unused-suppressions -f json "$@" > "$WORK/a.json" 2> "$WORK/a.err")
    (cd "$P" && "$LOADLINT" --report-unused-suppressions "$@" 2>&1 | grep '^\(loadlint: \)\?a/' | sort)
    "$PY" - "$WORK/a.json" <<'PYJ'
import json, sys
doc = json.load(open(sys.argv[1]))
for r in doc["results"]:
    if r["path"].startswith("a/"):
        print(json.dumps(r, sort_keys=True))
for e in doc["errors"]:
    if e["path"].startswith("a/"):
        print(json.dumps(e, sort_keys=True))
PYJ
}
scan_a a > "$WORK/alone.txt"
scan_a a b > "$WORK/ab.txt"
scan_a b a > "$WORK/ba.txt"
check "root a alone has findings" grep -q '^a/app/utils.py:5:12: error: ' "$WORK/alone.txt"
check "a's suppression of a rule only b loads names no rule" \
    grep -q 'a/app/main.py:9:.*unused suppression: ignore\[XX901\] matches no rule' "$WORK/alone.txt"
check "a's flow into its own app.utils" grep -q 'a/app/utils.py:5:12: error: .*called at a/app/main.py:8' "$WORK/alone.txt"
check "mylib.fetch() is not a source in a (b's sources stay b's)" \
    grep -q '^a/app/main.py:9:1: warning: ' "$WORK/alone.txt"
check "a scanned with b: byte-identical" cmp -s "$WORK/alone.txt" "$WORK/ab.txt"
check "a scanned with b, b first: byte-identical" cmp -s "$WORK/alone.txt" "$WORK/ba.txt"
(cd "$P" && "$LOADLINT" a b > "$WORK/b.txt" 2>&1)
check "b's own sources grade b's load as an error" grep -q '^b/app/main.py:4:1: error: .*untrusted mylib.fetch()' "$WORK/b.txt"

# a user's sources file through --rules, end to end
mkdir -p "$WORK/userrules"
cp "$P/b/rules/mylib-sources.json" "$WORK/userrules/"
(cd "$P" && "$LOADLINT" --rules "$WORK/userrules" a > "$WORK/user.txt" 2>&1)
check "--rules sources file: mylib.fetch() is untrusted" \
    grep -q '^a/app/main.py:9:1: error: .*its input comes from untrusted mylib.fetch() (line 9)' "$WORK/user.txt"
printf '{"kind": "sources", "name": "x", "description": "d", "sources": ["my lib"]}\n' > "$WORK/userrules/bad.json"
run_rc "$LOADLINT" --rules "$WORK/userrules" "$P/a"
check "a bad sources file: exit 2" test "$RC" = 2
check "a bad sources file: the error names file, line and pointer" \
    grep -q 'bad.json:1:.*/sources/0: "my lib" is not a canonical dotted name' "$WORK/err"
finish
