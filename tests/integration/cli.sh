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

# --- issue 15: a typo must not disable the scan -------------------------------
run_rc "$LOADLINT" --select XYZ "$WORK/proj/a.py"
check "--select XYZ (no such rule) exits 2" test "$RC" = 2
check "... saying so, before any output" bash -c "grep -q \"select: 'XYZ' is not the code or prefix of any rule\" '$WORK/err' && [ ! -s '$WORK/out' ]"
run_rc "$LOADLINT" --select ll401 "$WORK/proj/a.py"
check "--select ll401 exits 2 suggesting LL401" bash -c "[ $RC = 2 ] && grep -q 'did you mean LL401?' '$WORK/err'"
run_rc "$LOADLINT" --ignore LL7 "$WORK/proj/a.py"
check "a prefix of no rule (--ignore LL7) exits 2" test "$RC" = 2
run_rc "$LOADLINT" --per-file-ignores 'x/*:LL1,LL10O' "$WORK/proj/a.py"
check "--per-file-ignores codes are checked too (LL10O: did you mean LL101..LL109?)" \
    bash -c "[ $RC = 2 ] && grep -q \"per-file-ignores: 'LL10O'.*did you mean LL10\" '$WORK/err'"
run_rc "$LOADLINT" --select S301 "$WORK/proj"
check "--select S301 (Ruff's code) selects the pickle rules" \
    bash -c "[ $RC = 1 ] && grep -q 'LL101' '$WORK/out' && ! grep -q LL501 '$WORK/out'"
run_rc "$LOADLINT" --extend-ignore B301 "$WORK/proj"
check "--extend-ignore B301 (Bandit's code) ignores them" \
    bash -c "[ $RC = 1 ] && ! grep -q 'LL101' '$WORK/out' && grep -q LL501 '$WORK/out'"
run_rc "$LOADLINT" --list-rules --select LL1O1
check "--list-rules checks --select too" test "$RC" = 2
run_rc "$LOADLINT" --explain ll201
check "--explain ll201 suggests LL201" bash -c "[ $RC = 2 ] && grep -q 'no rule ll201 (did you mean LL201?)' '$WORK/err'"
run_rc "$LOADLINT" --explain B301
check "--explain B301 names the rules Bandit's code stands for" grep -q "B301 (it is another tool's code for LL101, " "$WORK/err"

# --- issue 15: every option combination works or is refused, before scanning ----
run_rc "$LOADLINT" -v --statistics -f sarif "$WORK/proj"
check "--statistics -f sarif exits 2" test "$RC" = 2
check "... before scanning: the reason is the only line" \
    bash -c "[ \"\$(cat '$WORK/err')\" = 'loadlint: --statistics prints text or json, not sarif' ] && [ ! -s '$WORK/out' ]"
run_rc "$LOADLINT" --statistics -f github "$WORK/proj"
check "--statistics -f github exits 2" test "$RC" = 2
run_rc "$LOADLINT" --list-rules -f json
check "--list-rules -f json prints JSON" "$PY" -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if d and d[0]["code"]=="LL101" else 1)' "$WORK/out"
run_rc "$LOADLINT" --list-rules -f sarif
check "--list-rules -f sarif is refused" bash -c "[ $RC = 2 ] && grep -q 'list-rules prints text or json' '$WORK/err'"
run_rc "$LOADLINT" --explain LL101 -f json
check "--explain -f json is refused (it prints markdown)" test "$RC" = 2
run_rc "$LOADLINT" --list-rules --explain LL101
check "--list-rules with --explain is refused" test "$RC" = 2
run_rc "$LOADLINT" --show-settings --baseline b.json "$WORK/proj"
check "--show-settings with --baseline is refused" test "$RC" = 2
run_rc "$LOADLINT" --sarif-category x "$WORK/proj/a.py"
check "--sarif-category without -f sarif is refused" test "$RC" = 2
run_rc "$LOADLINT" --show-suppressed "$WORK/proj/a.py"
check "--show-suppressed with text output is refused" test "$RC" = 2
run_rc "$LOADLINT" --write-baseline "$WORK/b.json" -o "$WORK/r.txt" "$WORK/proj/a.py"
check "--write-baseline with --output is refused, nothing written" \
    bash -c "[ $RC = 2 ] && [ ! -e '$WORK/b.json' ] && [ ! -e '$WORK/r.txt' ]"
run_rc "$LOADLINT" --write-baseline "$WORK/b.json" --baseline "$WORK/b.json" "$WORK/proj/a.py"
check "--write-baseline with --baseline is refused" test "$RC" = 2
run_rc "$LOADLINT" --list-rules -o "$WORK/rules.txt"
check "--list-rules -o writes the file" bash -c "[ $RC = 0 ] && [ ! -s '$WORK/out' ] && grep -q '^LL101' '$WORK/rules.txt'"

# --- issue 15: files that cannot be read as Python always get a word -------------
head -c 600 /dev/urandom > "$WORK/x.py"
printf '\x00\x01binary\x00' >> "$WORK/x.py"
run_rc "$LOADLINT" "$WORK/x.py"
check "a binary x.py named on the command line gets a diagnostic" grep -q 'x.py:.*\(warning\|error\): ' "$WORK/err"
printf 'def broken(:\n    pass\n' > "$WORK/syntax.py"
run_rc "$LOADLINT" "$WORK/syntax.py"
check "a named file with a syntax error and no loader gets a diagnostic" grep -q 'syntax.py:1:.*syntax error' "$WORK/err"
run_rc "$LOADLINT" - < "$WORK/syntax.py"
check "... so does standard input" grep -q '<stdin>:1:.*syntax error' "$WORK/err"
mkdir -p "$WORK/nopy"
printf 'hello\n' > "$WORK/nopy/README.txt"
run_rc "$LOADLINT" "$WORK/nopy"
check "a directory without Python: exit 0 and a warning that nothing was scanned" \
    bash -c "[ $RC = 0 ] && grep -q 'warning: no Python file .*found in .*nopy: nothing was scanned' '$WORK/err'"
run_rc "$LOADLINT" "$WORK/missing.py"
check "a missing path: the error, and no '0 findings in 0 files'" \
    bash -c "grep -q 'nothing scanned: 1 error' '$WORK/err' && ! grep -q '0 findings' '$WORK/err'"

# --- issue 15: Ruff's habits ---------------------------------------------------
run_rc "$LOADLINT" --output-format concise "$WORK/proj/a.py"
check "--output-format concise is text" bash -c "[ $RC = 1 ] && grep -q '^.*a.py:2:1: warning: ' '$WORK/out'"
RC=0
printf 'import pickle\npickle.loads(x)\n' | "$LOADLINT" --stdin-filename src/y.py > "$WORK/out" 2> "$WORK/err" || RC=$?
check "--stdin-filename without '-' reads a piped standard input" \
    bash -c "[ $RC = 1 ] && grep -q '^src/y.py:2:1: warning:' '$WORK/out'"
run_rc "$LOADLINT" --stdin-filename src/y.py "$WORK/proj/a.py"
check "--stdin-filename with other paths and no '-' is refused" test "$RC" = 2
(cd "$WORK/proj" && "$LOADLINT" check . > "$WORK/out" 2> "$WORK/err") && RC=0 || RC=$?
check "loadlint check . says loadlint has no subcommands, and the right command" \
    bash -c "[ $RC = 2 ] && grep -q 'loadlint has no subcommands: run \`loadlint .\`' '$WORK/err' && [ ! -s '$WORK/out' ]"
mkdir -p "$WORK/proj2/check"
printf 'import pickle\npickle.loads(x)\n' > "$WORK/proj2/check/c.py"
(cd "$WORK/proj2" && "$LOADLINT" check > "$WORK/out" 2> "$WORK/err") && RC=0 || RC=$?
check "... but a directory named check is scanned" bash -c "[ $RC = 1 ] && grep -q '^check/c.py' '$WORK/out'"

# --- issue 12: exit status by severity (fail-on) -----------------------------------
printf 'class P:\n    def __reduce__(self):\n        return (print, ())\n' > "$WORK/reduce.py"
run_rc "$LOADLINT" "$WORK/reduce.py"
check "a note is reported but exits 0 (fail-on = warning by default)" \
    bash -c "[ $RC = 0 ] && grep -q 'note: .*\[LL601\]' '$WORK/out'"
run_rc "$LOADLINT" --fail-on note "$WORK/reduce.py"
check "--fail-on note: a note exits 1" test "$RC" = 1
run_rc "$LOADLINT" --fail-on error "$WORK/proj/a.py"
check "--fail-on error: a warning exits 0" test "$RC" = 0
run_rc "$LOADLINT" --fail-on never --fail-on error "$WORK/proj/a.py"
check "--fail-on: the last one wins" test "$RC" = 0
run_rc "$LOADLINT" --fail-on loud "$WORK/proj/a.py"
check "--fail-on with a bad level exits 2" bash -c "[ $RC = 2 ] && grep -q 'fail-on takes note, warning, error or never' '$WORK/err'"
printf 'import pickle, sys\npickle.loads(sys.argv[1])\n' > "$WORK/err.py"
run_rc "$LOADLINT" --fail-on error "$WORK/err.py"
check "--fail-on error: an error exits 1" test "$RC" = 1

# --- the new settings flags reach the settings ----------------------------------
run_rc "$LOADLINT" --isolated --show-settings --fail-on error --test-paths 'qa/**,checks' \
    --test-severity note --no-artifacts --cache-dir cache --no-cache \
    --assume-version torch==2.4.0 --assume-version numpy==1.26 --allow-global collections.OrderedDict \
    --allow-global 'numpy.*' "$WORK/proj/a.py"
for want in 'fail-on = "error"' 'test-paths = \["qa/\*\*", "checks"\]' 'test-severity = "note"' \
    'artifacts = false' 'cache-dir = ".*/cache"' 'cache = false' \
    'assume-versions = { torch = "2.4.0", numpy = "1.26" }' \
    'allowed-globals = \["collections.OrderedDict", "numpy.\*"\]'; do
    check "--show-settings shows $want" grep -q "^$want\$" "$WORK/out"
done
run_rc "$LOADLINT" --isolated --show-settings --no-artifacts --artifacts "$WORK/proj/a.py"
check "--artifacts after --no-artifacts turns them back on" grep -q '^artifacts = true$' "$WORK/out"
for bad in "--test-severity loud" "--assume-version torch" "--assume-version ==1" "--allow-global os" \
    "--allow-global os.*.x" "--cache-dir="; do
    run_rc "$LOADLINT" $bad "$WORK/proj/a.py"
    check "$bad is refused (exit 2)" test "$RC" = 2
done

# --- issue 15: --help and the README's options table agree ----------------------
"$LOADLINT" --help > "$WORK/help.txt"
grep -oE -- '--[a-z][a-z0-9-]+' "$WORK/help.txt" | sort -u > "$WORK/help.flags"
sed -n '/^| Option | Meaning |$/,/^$/p' README.md > "$WORK/table.md"
grep -oE -- '--[a-z][a-z0-9-]+' "$WORK/table.md" | sort -u > "$WORK/table.flags"
check "every --flag of --help is in the README options table" \
    bash -c "comm -23 '$WORK/help.flags' '$WORK/table.flags' | sed 's/^/missing from README: /' | grep . && exit 1 || exit 0"
check "every --flag of the README options table is in --help" \
    bash -c "comm -13 '$WORK/help.flags' '$WORK/table.flags' | sed 's/^/missing from --help: /' | grep . && exit 1 || exit 0"
check "the README options table names every output format" \
    bash -c "for f in text concise json sarif github; do grep -q -- \"--format.*\$f\" '$WORK/table.md' || { echo \"no \$f\"; exit 1; }; done"

# --- issue 15: rule docs: a page only where one exists -----------------------------
mkdir -p "$WORK/docrules"
sed 's/"code": "LL101"/"code": "XX101"/; s/"name": "pickle-load"/"name": "x-pickle-load"/' \
    rules/LL101-pickle-load.json > "$WORK/docrules/XX101-x-pickle-load.json"
sed 's/"code": "LL101"/"code": "XX102"/; s/"name": "pickle-load"/"name": "y-pickle-load"/; s|^{|{"url": "https://example.org/rules/XX102",|' \
    rules/LL101-pickle-load.json > "$WORK/docrules/XX102-y-pickle-load.json"
run_rc "$LOADLINT" --rules "$WORK/docrules" -f sarif "$WORK/proj/pkg/b.py"
check "SARIF: helpUri only for a rule with a url; docs always in help" "$PY" -c '
import json,sys
rules={r["id"]: r for r in json.load(open(sys.argv[1]))["runs"][0]["tool"]["driver"]["rules"]}
ok = rules["XX102"].get("helpUri") == "https://example.org/rules/XX102"
ok &= "helpUri" not in rules["XX101"] and "helpUri" not in rules["LL101"]
ok &= all(r["help"]["markdown"].startswith("# ") for r in rules.values())
sys.exit(0 if ok else 1)' "$WORK/out"
"$LOADLINT" --rules "$WORK/docrules" --select XX101 -f json "$WORK/proj/pkg/b.py" > "$WORK/x1.json" 2>/dev/null
"$LOADLINT" --rules "$WORK/docrules" --select XX102 -f json "$WORK/proj/pkg/b.py" > "$WORK/x2.json" 2>/dev/null
check "JSON: url is the rule's url, or null" "$PY" -c '
import json,sys
urls=[r["url"] for p in sys.argv[1:] for r in json.load(open(p))["results"]]
sys.exit(0 if urls == [None, "https://example.org/rules/XX102"] else 1)' "$WORK/x1.json" "$WORK/x2.json"
mkdir -p "$WORK/halfrule"
printf '{"code": "XX201", "severity": "warning", "message": "m", "precision": "high",\n "security_severity": "5.0", "cwe": ["CWE-502"], "tags": [], "match": {"call": ["m.load"]},\n "docs": {"what": "w", "example": "e", "references": ["https://example.org"]}}\n' \
    > "$WORK/halfrule/XX201-x.json"
run_rc "$LOADLINT" --rules "$WORK/halfrule" "$WORK/proj/a.py"
check "a rule file missing several keys names them all at once" \
    bash -c "[ $RC = 2 ] && grep -q 'missing required keys \"name\", \"summary\", \"docs/why\" and \"docs/use_instead\"' '$WORK/err'"

# --- issue 15: docs name no tag, release or page that does not exist --------------
check "docs pin no loadlint tag that does not exist (rev: vX, loadlint@vX)" \
    bash -c "! grep -nE 'rev: *v[0-9]|loadlint/loadlint@v[0-9]|releases/download' README.md docs/integrations.md"

# --- issue 15: the progress line: standard error only, never in pipes unless asked
"$LOADLINT" --exit-zero tests/corpus > "$WORK/plain.txt" 2> "$WORK/plain.err"
check "no progress line in a pipe without --progress" bash -c "! grep -q ' files, .* MB' '$WORK/plain.err'"
"$LOADLINT" --exit-zero --progress tests/corpus > "$WORK/prog.txt" 2> "$WORK/prog.err"
check "--progress in a pipe: lines on standard error, ending with the whole run" \
    grep -qE '^loadlint: ([0-9]+)/\1 files, [0-9.]+/[0-9.]+ MB, [0-9.]+ MB/s, ETA 0s$' "$WORK/prog.err"
check "--progress leaves standard output as it was" cmp "$WORK/plain.txt" "$WORK/prog.txt"
check "--progress in a pipe writes whole lines, no terminal control" bash -c "! grep -q $'[\r\e]' '$WORK/prog.err'"
"$LOADLINT" --exit-zero --progress -q tests/corpus > /dev/null 2> "$WORK/progq.err"
check "--quiet wins over --progress" bash -c "! grep -q ' files, ' '$WORK/progq.err'"
if command -v script > /dev/null; then
    # a terminal: a quick scan shows nothing; --progress draws in place and erases the line
    TERM=xterm script -qec "'$LOADLINT' --exit-zero tests/corpus/LL101-pickle-load.py >/dev/null" /dev/null > "$WORK/tty.err" 2>&1
    check "a terminal sees no progress line for a scan under a second" bash -c "! grep -q ' files, ' '$WORK/tty.err'"
    TERM=xterm script -qec "'$LOADLINT' --exit-zero --progress tests/corpus >/dev/null" /dev/null > "$WORK/tty.err" 2>&1
    check "--progress on a terminal redraws in place and erases its line at the end" "$PY" -c '
import re, sys
parts = open(sys.argv[1], "rb").read().split(b"\r\x1b[K")
sys.exit(0 if len(parts) >= 3 and re.match(rb"loadlint: \d+/\d+ files, ", parts[-2])
         and b"\n" not in parts[-2] and not re.match(rb"loadlint: \d+/\d+ files", parts[-1]) else 1)' "$WORK/tty.err"
fi

# --- issue 11: an attribute assigned from itself (self.x = self.x.to(d)) is a
# cycle that is cut, not followed until the depth limit warns; a real deep
# chain still warns
mkdir -p "$WORK/cycle"
printf 'import pickle\n\n\nclass S:\n    def __init__(self, sigmas, dev):\n        self.loader = pickle.loads\n        self.sigmas = sigmas\n        self.sigmas = self.sigmas.to(dev)\n        self.sigmas = self.sigmas.to("cpu")\n        self.loader = self.loader\n\n    def step(self, blob):\n        self.sigmas = self.sigmas.flip(0).cumsum(0)\n        return self.loader(blob), self.sigmas.sum()\n' > "$WORK/cycle/s.py"
run_rc "$LOADLINT" "$WORK/cycle/s.py"
check "self.x = self.x.to(d): no depth warning, the loader behind self.loader found" \
    bash -c "[ $RC = 1 ] && ! grep -q 'name resolution stopped' '$WORK/err' && grep -q ':14:16: warning: .*pickle.loads' '$WORK/out'"
printf 'import pickle\n\n\ndef f(b, x):\n    y = x.a().b().c().d().e().f().g().h().i().j().k()\n    return pickle.loads(b), y\n' > "$WORK/cycle/chain.py"
run_rc "$LOADLINT" "$WORK/cycle/chain.py"
check "a chain of eleven calls still reports where resolution stopped" \
    grep -q 'chain.py:5:9: warning: name resolution stopped here after 8 nested steps' "$WORK/err"

# --- issue 15: a file named next to a directory still gets its diagnostic
mkdir -p "$WORK/named/dir"
printf 'def f(:\n    pass\n' > "$WORK/named/bad.py"
printf 'x = 1\n' > "$WORK/named/dir/ok.py"
run_rc "$LOADLINT" "$WORK/named/bad.py" "$WORK/named/dir"
check "a named file with a syntax error, next to a directory: its warning" \
    grep -q 'named/bad.py:1:7: warning: syntax error' "$WORK/err"
run_rc "$LOADLINT" "$WORK/named"
check "... the same file found by walking, with no loader token: skipped as before" \
    bash -c "! grep -q 'bad.py' '$WORK/err'"

finish
