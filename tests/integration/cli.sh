#!/bin/bash
# The command-line contract: exit codes, formats, sorting, paths, determinism.
set -u
. "$(dirname "$0")/lib.sh"

mkdir -p "$WORK/proj/pkg" "$WORK/proj/.git" "$WORK/proj/__pycache__" "$WORK/proj/venv"
printf 'import pickle\n\ndef f(b):\n    return pickle.loads(b)\n' > "$WORK/proj/pkg/b.py"
printf 'import yaml\nyaml.load(open(path))\n' > "$WORK/proj/a.py"
printf 'import json\njson.loads("{}")\n' > "$WORK/proj/clean.py"
printf 'import pickle\npickle.loads(x)\n' > "$WORK/proj/.git/hidden.py"
printf 'import pickle\npickle.loads(x)\n' > "$WORK/proj/__pycache__/hidden.py"
printf 'home = /usr\n' > "$WORK/proj/venv/pyvenv.cfg"
printf 'import pickle\npickle.loads(x)\n' > "$WORK/proj/venv/hidden.py"
printf 'import pickle\npickle.loads(x)\n' > "$WORK/proj/notes.txt"

# exit codes
run_rc "$LOADLINT" "$WORK/proj/clean.py"
check "clean file exits 0" test "$RC" = 0
run_rc "$LOADLINT" "$WORK/proj/a.py"
check "finding exits 1" test "$RC" = 1
run_rc "$LOADLINT" --exit-zero "$WORK/proj/a.py"
check "--exit-zero exits 0" test "$RC" = 0
run_rc "$LOADLINT" --no-such-flag
check "unknown flag exits 2" test "$RC" = 2
check "unknown flag is explained" grep -q "unknown option '--no-such-flag'" "$WORK/err"
run_rc "$LOADLINT" "$WORK/missing.py"
check "missing path exits 2" test "$RC" = 2
check "missing path is named" grep -q "missing.py: no such file" "$WORK/err"
run_rc "$LOADLINT" --exit-zero "$WORK/missing.py" "$WORK/proj/a.py"
check "missing path outranks findings and --exit-zero" test "$RC" = 2
check "other findings still reported" grep -q "a.py:2:1: warning:" "$WORK/out"
run_rc "$LOADLINT" --format xml .
check "bad format exits 2" test "$RC" = 2

# directory walk: sorted, relative, default excludes, only .py
(cd "$WORK/proj" && "$LOADLINT" > "$WORK/walk.txt" 2>/dev/null)
check "walk lists the two findings in path order" diff -u - "$WORK/walk.txt" <<'X'
a.py:2:1: warning: `yaml.load` with Loader=default can build arbitrary Python objects from the document; use yaml.safe_load or Loader=yaml.SafeLoader [LL501]
pkg/b.py:4:12: warning: `pickle.loads` unpickles its input, which runs any code the data asks for [LL101]
X
run_rc "$LOADLINT" "$WORK/proj/notes.txt"
check "an explicitly named file is scanned whatever its name" test "$RC" = 1

# text format shape, as the gcc/vim errorformat reads it
check "every text line is path:line:col: severity: message [CODE]" \
    bash -c "! grep -qvE '^[^:]+:[0-9]+:[0-9]+: (error|warning|note): .+ \\[LL[0-9]+\\]\$' '$WORK/walk.txt'"
check "no colour when stdout is not a tty" bash -c "! grep -q $'\e\\[' '$WORK/walk.txt'"
"$LOADLINT" --color=always "$WORK/proj/a.py" > "$WORK/color.txt" 2>/dev/null
check "--color=always colours" grep -q $'\e\[' "$WORK/color.txt"

# stdin
printf 'import pickle\npickle.loads(x)\n' | "$LOADLINT" --stdin-filename src/x.py - > "$WORK/stdin.txt" 2>/dev/null
check "stdin is reported under --stdin-filename" grep -q '^src/x.py:2:1: warning:' "$WORK/stdin.txt"

# json
"$LOADLINT" -f json "$WORK/proj/clean.py" > "$WORK/clean.json" 2>/dev/null
check "clean json has empty results" "$PY" -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if d["results"]==[] and d["version"]==1 else 1)' "$WORK/clean.json"
(cd "$WORK/proj" && "$LOADLINT" -f json > "$WORK/walk.json" 2>/dev/null)
"$LOADLINT" -f json tests/corpus > "$WORK/corpus.json" 2>/dev/null
check "json results carry rule, position, severity" "$PY" -c '
import json,sys
d=json.load(open(sys.argv[1]))
r=[(x["path"],x["start"]["line"],x["start"]["column"],x["rule_id"],x["severity"]) for x in d["results"]]
sys.exit(0 if r==[("a.py",2,1,"LL501","warning"),("pkg/b.py",4,12,"LL101","warning")] else 1)' "$WORK/walk.json"

check "json output matches docs/json-output.schema.json" "$PY" -c '
import json,sys
from jsonschema import Draft202012Validator as V
schema=json.load(open("docs/json-output.schema.json"))
errs=[]
for p in sys.argv[1:]:
    errs += list(V(schema, format_checker=V.FORMAT_CHECKER).iter_errors(json.load(open(p))))
for e in errs: print(e.message)
sys.exit(1 if errs else 0)' "$WORK/walk.json" "$WORK/clean.json" "$WORK/corpus.json"

# --output writes the report whole even with findings
run_rc "$LOADLINT" -f sarif -o "$WORK/out.sarif" "$WORK/proj/a.py"
check "--output with findings exits 1" test "$RC" = 1
check "--output leaves stdout empty" test ! -s "$WORK/out"
check "--output file is complete JSON" "$PY" -c 'import json,sys; json.load(open(sys.argv[1]))' "$WORK/out.sarif"

# rules
run_rc "$LOADLINT" --list-rules
check "--list-rules lists the built-in rules" test "$(wc -l < "$WORK/out")" -ge 28
run_rc "$LOADLINT" --explain LL201
check "--explain prints the docs" grep -q "## Why is this bad?" "$WORK/out"
run_rc "$LOADLINT" --select LL5 "$WORK/proj"
check "--select keeps only the selected rules" bash -c "grep -q LL501 '$WORK/out' && ! grep -q LL101 '$WORK/out'"
run_rc "$LOADLINT" --ignore LL501,LL101 "$WORK/proj"
check "--ignore drops rules" test "$RC" = 0
mkdir -p "$WORK/badrules"
printf '{\n  "code": "LL999",\n  "nme": "x"\n}\n' > "$WORK/badrules/LL999-x.json"
run_rc "$LOADLINT" --rules "$WORK/badrules" "$WORK/proj/clean.py"
check "invalid rule file exits 2" test "$RC" = 2
check "invalid rule file error names file, line and key" grep -q 'LL999-x.json:3:10: /nme: unknown key "nme"' "$WORK/err"

# determinism: byte-identical for any job count and path order
for f in text json sarif; do
    "$LOADLINT" -f $f -j1 tests/corpus > "$WORK/j1.$f" 2>/dev/null
    "$LOADLINT" -f $f -j4 tests/corpus > "$WORK/j4.$f" 2>/dev/null
    check "$f output identical with -j1 and -j4" cmp -s "$WORK/j1.$f" "$WORK/j4.$f"
done
"$LOADLINT" "$WORK/proj/pkg/b.py" "$WORK/proj/a.py" > "$WORK/o1" 2>/dev/null
"$LOADLINT" "$WORK/proj/a.py" "$WORK/proj/pkg/b.py" > "$WORK/o2" 2>/dev/null
check "output does not depend on path order" cmp -s "$WORK/o1" "$WORK/o2"

# syntax errors do not hide findings in valid parts
printf 'import pickle\ndef broken(:\n    pass\npickle.loads(x)\n' > "$WORK/broken.py"
run_rc "$LOADLINT" "$WORK/broken.py"
check "finding after a syntax error is reported" grep -q 'broken.py:4:1: warning:' "$WORK/out"
check "syntax error is reported on stderr" grep -q 'broken.py:2:.*syntax error' "$WORK/err"

finish
