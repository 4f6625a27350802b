#!/bin/bash
# Editor recipes of docs/integrations.md against real loadlint output: vim's own
# quickfix parser (default errorformat, the documented one, and :make with the
# documented makeprg), the VS Code problem-matcher regexp (taken from the docs'
# tasks.json), VS Code's $gcc regex, and the stdin recipe of nvim-lint/flycheck.
# Ground truth for every position is loadlint's JSON output.
set -u
. "$(dirname "$0")/lib.sh"
DOC=$PWD/docs/integrations.md
BIN_DIR=$(cd "$(dirname "$LOADLINT")" && pwd)

if ! command -v vim >/dev/null 2>&1; then
    echo "not ok - vim is not installed (apt-get install -y vim)"
    exit 1
fi

P=$WORK/proj
mkdir -p "$P/pkg"
printf 'import pickle\nimport flask\n\ndef f(b):\n    return pickle.loads(b)\n\ndef g():\n    return pickle.loads(flask.request.data)\n' > "$P/a.py"
printf 'import os\n\nclass P:\n    def __reduce__(self):\n        return (os.system, ("id",))\n' > "$P/pkg/b.py"
printf 'import torch\nm = torch.jit.load("model.pt")\nimport yaml\ndef h(s):\n\treturn yaml.load(s)\n' > "$P/pkg/c.py"
printf 'import json\njson.loads("{}")\n' > "$P/clean.py"

(cd "$P" && "$LOADLINT" --color never -q . > "$WORK/out.txt" 2>"$WORK/err.txt")
(cd "$P" && "$LOADLINT" -f json -q . > "$WORK/out.json" 2>/dev/null)
check "the project has error, warning and note findings" \
    bash -c "grep -q ': error: ' '$WORK/out.txt' && grep -q ': warning: ' '$WORK/out.txt' && grep -q ': note: ' '$WORK/out.txt'"

# expected "lnum col type-letter" per text line, from the JSON report
"$PY" - "$WORK/out.json" > "$WORK/expect.txt" <<'EOF'
import json, sys
for r in json.load(open(sys.argv[1]))["results"]:
    print(r["start"]["line"], r["start"]["column"], r["severity"][0])
EOF
check "text and json list the same findings" \
    test "$(wc -l < "$WORK/expect.txt")" = "$(wc -l < "$WORK/out.txt")"

# --- vim -----------------------------------------------------------------------------------
qf() { # qf OUTFILE VIM-ARGS...: writes "valid lnum col type" per quickfix entry
    local out=$1
    shift
    (cd "$WORK" && vim -Nu NONE -es "$@" \
        -c "call writefile(map(getqflist(), {_, e -> printf('%d %d %d %s', e.valid, e.lnum, e.col, e.type)}), '$out')" \
        -c 'qa!' </dev/null >/dev/null 2>&1)
}
qf qf-default.txt -c "cgetfile $WORK/out.txt"
awk '{ print "1", $1, $2, "" }' "$WORK/expect.txt" > "$WORK/expect-default.txt"
check "vim's default errorformat reads every line (valid, lnum, col)" \
    diff -u "$WORK/expect-default.txt" "$WORK/qf-default.txt"

# the documented vim block, sourced as written
awk '/^```vim$/ { on = 1; next } /^```$/ { on = 0 } on' "$DOC" > "$WORK/doc.vim"
check "docs/integrations.md has a vim block with makeprg and errorformat" \
    bash -c "grep -q '^set makeprg=' '$WORK/doc.vim' && grep -q '^set errorformat=' '$WORK/doc.vim'"
qf qf-doc.txt -S "$WORK/doc.vim" -c "cgetfile $WORK/out.txt"
awk '{ print "1", $1, $2, $3 }' "$WORK/expect.txt" > "$WORK/expect-typed.txt"
check "the documented errorformat gives lnum, col and type e/w/n" \
    diff -u "$WORK/expect-typed.txt" "$WORK/qf-doc.txt"

# :make with the documented makeprg, on one file of the project
(cd "$P" && PATH="$BIN_DIR:$PATH" vim -Nu NONE -es -S "$WORK/doc.vim" -c 'edit a.py' -c 'silent make' \
    -c "call writefile(map(getqflist(), {_, e -> printf('%d %d %d %s %s', e.valid, e.lnum, e.col, e.type, bufname(e.bufnr))}), '$WORK/qf-make.txt')" \
    -c 'qa!' </dev/null >/dev/null 2>&1)
grep '^a.py:' "$WORK/out.txt" | sed -E 's/^a.py:([0-9]+):([0-9]+): (.).*/1 \1 \2 \3 a.py/' > "$WORK/expect-make.txt"
check ":make with the documented makeprg fills the quickfix list" \
    bash -c "test -s '$WORK/expect-make.txt' && diff -u '$WORK/expect-make.txt' '$WORK/qf-make.txt'"

# --- VS Code problem matcher -------------------------------------------------------------------
check "the VS Code problemMatcher regexp reads file, line, column, severity, message and code" \
    "$PY" - "$DOC" "$WORK/out.txt" "$WORK/out.json" <<'EOF'
import json, re, sys
doc = open(sys.argv[1]).read()
blocks = re.findall(r"^```json\n(.*?)^```$", doc, re.S | re.M)
tasks = [json.loads(b) for b in blocks if "problemMatcher" in b]
assert len(tasks) == 1, "expected one tasks.json block"
task = tasks[0]["tasks"][0]
assert task["args"][:3] == ["--quiet", "--color", "never"], task["args"]
pat = task["problemMatcher"]["pattern"]
rx = re.compile(pat["regexp"])
lines = open(sys.argv[2]).read().splitlines()
results = json.load(open(sys.argv[3]))["results"]
ok = len(lines) == len(results) > 0
for line, r in zip(lines, results):
    m = rx.match(line)
    if not m:
        print("no match:", line); ok = False; continue
    got = (m.group(pat["file"]), int(m.group(pat["line"])), int(m.group(pat["column"])),
           m.group(pat["severity"]), m.group(pat["message"]), m.group(pat["code"]))
    want = (r["path"], r["start"]["line"], r["start"]["column"], r["severity"], r["message"], r["rule_id"])
    if got != want:
        print("got ", got); print("want", want); ok = False
sys.exit(0 if ok else 1)
EOF

# --- gcc-style consumers ($gcc, efm, ALE) ---------------------------------------------------------
check "every error/warning line matches the \$gcc regex, notes do not" "$PY" - "$WORK/out.txt" <<'EOF'
import re, sys
gcc = re.compile(r"^(.*?):(\d+):(\d*):?\s+(?:fatal\s+)?(warning|error):\s+(.*)$")
ok = True
for line in open(sys.argv[1]).read().splitlines():
    sev = line.split(": ")[1]
    m = gcc.match(line)
    if sev in ("error", "warning"):
        if not m or m.group(4) != sev or m.group(1) + ":" + m.group(2) + ":" + m.group(3) != line.split(": ")[0]:
            print("bad:", line); ok = False
    elif m:
        print("note matched:", line); ok = False
sys.exit(0 if ok else 1)
EOF

# --- stdin recipes (nvim-lint, flycheck, efm): the buffer's own name in every line --------------
ABS=$P/pkg/unsaved.py
"$LOADLINT" --quiet --color never --stdin-filename "$ABS" - < "$P/a.py" > "$WORK/stdin.txt" 2>"$WORK/stdin.err"
check "stdin output names the buffer's file on every line" \
    bash -c "test \$(wc -l < '$WORK/stdin.txt') = 2 && ! grep -qv '^$ABS:[0-9]*:[0-9]*: ' '$WORK/stdin.txt'"
check "--quiet leaves standard error empty for editors" test ! -s "$WORK/stdin.err"
"$LOADLINT" --quiet --format json --stdin-filename "$ABS" - < "$P/a.py" > "$WORK/stdin.json" 2>/dev/null
check "the nvim-lint recipe's JSON has the fields its parser reads" "$PY" - "$WORK/stdin.json" "$ABS" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
rs = d["results"]
ok = len(rs) == 2 and all(
    r["path"] == sys.argv[2] and r["severity"] in ("error", "warning", "note")
    and r["start"]["line"] >= 1 and r["start"]["column"] >= 1
    and r["end"]["line"] >= r["start"]["line"] and isinstance(r["message"], str) and r["rule_id"]
    for r in rs)
sys.exit(0 if ok else 1)
EOF

finish
