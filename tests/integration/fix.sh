#!/bin/bash
# fix.sh LOADLINT - --fix, --unsafe-fixes and --diff through the real CLI on real
# files (copies of tests/fixes/*.py, whose .fixed.py hold every fix, safe and
# unsafe, applied):
#   - --fix --unsafe-fixes gives each .fixed.py byte for byte; every fixed file
#     parses (Debian's Python, ast.parse on the bytes); a second run changes no
#     byte; --fix alone applies the safe fixes only, and --unsafe-fixes after it
#     gives the same files;
#   - --diff changes nothing, exits 1, and `patch -p0` turns the copies into the
#     .fixed.py; on fixed files it prints nothing and exits 0;
#   - on a terminal (colour) a finding with a fix is marked [*], elsewhere the
#     line is unchanged; the summary counts what --fix and --unsafe-fixes would
#     do; --unsafe-fixes alone marks and counts the unsafe fixes, changes nothing;
#   - standard input: the fixed text on standard output, the report on standard
#     error, its encoding and BOM kept;
#   - suppressed and baselined findings are not fixed; a file's mode and a named
#     symbolic link are kept; an encoding that cannot take the text back is a
#     warning and the file is left alone;
#   - a file changed between the scan and the fix (an LD_PRELOAD shim appends a
#     line when loadlint opens it again, as an editor saving it would) is not
#     written, with an error naming it;
#   - exit statuses, refused combinations, JSON (the schema) and SARIF (the
#     validators) with fixes.
set -u
. "$(dirname "$0")/lib.sh"
case "$LOADLINT" in /*) ;; *) LOADLINT=$PWD/$LOADLINT ;; esac # the tests cd

FIXES=tests/fixes
declare -a PAIRS=()
for f in "$FIXES"/*.py; do
    case "$f" in *.fixed.py) ;; *) PAIRS+=("$(basename "$f" .py)") ;; esac
done
check "the fixture pairs are there (${#PAIRS[@]})" test "${#PAIRS[@]}" -ge 12

fresh() { # fresh DIR: the pairs' originals in $WORK/DIR
    rm -rf "${WORK:?}/$1"
    mkdir -p "$WORK/$1"
    for p in "${PAIRS[@]}"; do cp "$FIXES/$p.py" "$WORK/$1/"; done
}
same_as_fixed() { # same_as_fixed DIR
    local bad=0
    for p in "${PAIRS[@]}"; do
        if ! cmp -s "$1/$p.py" "$FIXES/$p.fixed.py"; then
            echo "    differs from $p.fixed.py:" >&2
            diff -u "$FIXES/$p.fixed.py" "$1/$p.py" | head -20 | sed 's/^/    | /' >&2
            bad=1
        fi
    done
    return $bad
}
parses() { # parses FILE...: Python's own parser accepts each (encoding declarations honoured)
    "$PY" -c '
import ast, sys
for p in sys.argv[1:]:
    with open(p, "rb") as f:
        ast.parse(f.read(), p)' "$@"
}
digest() { (cd "$1" && sha256sum -- *.py); }
L=("$LOADLINT" --isolated)

# --- --fix --unsafe-fixes: every fix, byte for byte ---------------------------------
fresh all
run_rc "${L[@]}" --fix --unsafe-fixes "$WORK/all"
cp "$WORK/err" "$WORK/all.err"
check "--fix --unsafe-fixes runs (status $RC: findings without a fix remain)" test "$RC" = 1
check "--fix --unsafe-fixes gives each .fixed.py byte for byte" same_as_fixed "$WORK/all"
check "... every fixed file parses (ast.parse)" parses "$WORK"/all/*.py
check "... the summary says what was fixed" grep -qE '^loadlint: fixed [1-9][0-9]* findings in 12 files$' "$WORK/all.err"
check "... the report lists what remains, none of it fixable" \
    bash -c "test -s '$WORK/out' && grep -q '^loadlint: [0-9]* findings (' '$WORK/all.err' && ! grep -q 'fixable' '$WORK/all.err'"
digest "$WORK/all" >"$WORK/all.d1"
run_rc "${L[@]}" --fix --unsafe-fixes "$WORK/all"
digest "$WORK/all" >"$WORK/all.d2"
check "a second --fix --unsafe-fixes changes no byte" cmp -s "$WORK/all.d1" "$WORK/all.d2"
check "... and says so" grep -q '^loadlint: nothing fixed$' "$WORK/err"

# --- --fix: the safe fixes only ---------------------------------------------------------
fresh safe
"${L[@]}" -f json --show-suppressed "$WORK/safe" >"$WORK/safe.before.json" 2>/dev/null
cp -r "$WORK/safe" "$WORK/safe.orig"
run_rc "${L[@]}" --fix "$WORK/safe"
check "--fix (safe only) runs (status $RC)" test "$RC" = 1
check "... every changed file parses" parses "$WORK"/safe/*.py
"${L[@]}" -f json --show-suppressed "$WORK/safe" >"$WORK/safe.after.json" 2>/dev/null
check "--fix changed exactly the files with a safe fix; no safe fix is left, every unsafe one is" \
    "$PY" - "$WORK/safe.before.json" "$WORK/safe.after.json" "$WORK/safe.orig" "$WORK/safe" <<'PY'
import collections, filecmp, json, os, sys
before, after, orig, fixed = sys.argv[1:5]
def load(p):
    with open(p, encoding="utf-8") as f:
        return json.load(f)["results"]
def applies(r):
    return r["suppression"] in (None, "duplicate") and r["fix"] and r["fix"]["applicability"]
b, a = load(before), load(after)
safe_files = {os.path.basename(r["path"]) for r in b if applies(r) == "safe"}
unsafe_b = collections.Counter(os.path.basename(r["path"]) for r in b if applies(r) == "unsafe")
unsafe_a = collections.Counter(os.path.basename(r["path"]) for r in a if applies(r) == "unsafe")
ok = True
for name in sorted(os.listdir(orig)):
    changed = not filecmp.cmp(os.path.join(orig, name), os.path.join(fixed, name), shallow=False)
    if changed != (name in safe_files):
        print(f"{name}: changed={changed}, has a safe fix={name in safe_files}"); ok = False
left = [r for r in a if applies(r) == "safe"]
if left:
    print("safe fixes left:", [(r["path"], r["start"]["line"]) for r in left]); ok = False
if unsafe_a != unsafe_b:
    print("unsafe fixes before/after:", dict(unsafe_b), dict(unsafe_a)); ok = False
if not safe_files or not unsafe_b:
    print("the pairs need both kinds"); ok = False
sys.exit(0 if ok else 1)
PY
run_rc "${L[@]}" --fix --unsafe-fixes "$WORK/safe"
check "--fix, then --fix --unsafe-fixes, gives each .fixed.py too" same_as_fixed "$WORK/safe"

# --- --diff ---------------------------------------------------------------------------------
fresh d
cp -r "$WORK/d" "$WORK/d.orig"
(cd "$WORK" && "${L[@]}" --diff --unsafe-fixes d >"$WORK/d.patch" 2>"$WORK/d.err")
RC=$?
check "--diff exits 1 when there is something to fix" test "$RC" = 1
check "--diff changes nothing" diff -r "$WORK/d" "$WORK/d.orig"
check "--diff says what it would fix" grep -qE '^loadlint: would fix [1-9][0-9]* findings in 12 files$' "$WORK/d.err"
(cd "$WORK" && "${L[@]}" --diff d.orig >/dev/null 2>"$WORK/d3.err")
check "--diff without --unsafe-fixes says what it left out" \
    grep -qE '^loadlint: would fix [1-9][0-9]* findings in [0-9]+ files; [1-9][0-9]* unsafe fixes left out: add --unsafe-fixes$' "$WORK/d3.err"
check "--diff prints a unified diff" grep -q '^--- d/yaml_module.py$' "$WORK/d.patch"
check "patch -p0 applies the diff" bash -c "cd '$WORK' && patch -p0 --quiet <d.patch"
check "... and gives each .fixed.py byte for byte" same_as_fixed "$WORK/d"
(cd "$WORK" && "${L[@]}" --diff --unsafe-fixes d >"$WORK/d2.patch" 2>"$WORK/d2.err")
RC=$?
check "--diff on fixed files prints nothing" test ! -s "$WORK/d2.patch"
check "... and exits 0" test "$RC" = 0
check "... saying there is nothing to fix" grep -q '^loadlint: no fix to apply$' "$WORK/d2.err"
fresh ds
(cd "$WORK" && "${L[@]}" --diff ds >"$WORK/ds.patch" 2>/dev/null)
check "--diff without --unsafe-fixes: patch gives what --fix writes" \
    bash -c "cd '$WORK' && patch -p0 --quiet <ds.patch && diff -r ds safe.orig >/dev/null; \
             cd '$WORK' && rm -rf safe2 && cp -r safe.orig safe2 && '$LOADLINT' --isolated --fix safe2 >/dev/null 2>&1; \
             for f in ds/*.py; do cmp -s \"\$f\" \"safe2/\${f#ds/}\" || exit 1; done"
run_rc "${L[@]}" --diff --exit-zero --unsafe-fixes "$WORK/d.orig"
check "--diff --exit-zero exits 0" test "$RC" = 0
run_rc "${L[@]}" --diff -f json "$WORK/d.orig"
check "--diff -f json is refused (exit 2)" test "$RC" = 2
check "... naming the reason" grep -q -- '--diff prints a diff, not a report' "$WORK/err"
run_rc "${L[@]}" --fix --write-baseline "$WORK/b.json" "$WORK/d.orig"
check "--fix with --write-baseline is refused (exit 2)" test "$RC" = 2
run_rc "${L[@]}" --fix --list-rules
check "--fix with --list-rules is refused (exit 2)" test "$RC" = 2

# --- --unsafe-fixes alone: shown, not applied -------------------------------------------
fresh u
digest "$WORK/u" >"$WORK/u.d1"
nocolor() { sed 's/\x1b\[[0-9;]*m//g' "$@"; }
"${L[@]}" --color=always "$WORK/u/torch_weights_only.py" 2>"$WORK/u.plain.err" | nocolor >"$WORK/u.plain"
run_rc "${L[@]}" --color=always --unsafe-fixes "$WORK/u/torch_weights_only.py"
nocolor "$WORK/out" >"$WORK/u.unsafe"
cp "$WORK/u.unsafe" "$WORK/out"
digest "$WORK/u" >"$WORK/u.d2"
check "--unsafe-fixes alone changes nothing" cmp -s "$WORK/u.d1" "$WORK/u.d2"
check "--unsafe-fixes alone exits as a plain scan (1)" test "$RC" = 1
n_plain=$(grep -cF '[*]' "$WORK/u.plain")
n_unsafe=$(grep -cF '[*]' "$WORK/out")
check "--unsafe-fixes marks more findings [*] ($n_plain -> $n_unsafe)" test "$n_unsafe" -gt "$n_plain"
check "a bare torch.load (unsafe to fix) is not marked without it" \
    bash -c "grep -E ':21:12: [a-z]+: .*torch.load' '$WORK/u.plain' | grep -vqF '[*]'"
check "... and is marked with it" bash -c "grep -E ':21:12: [a-z]+: \[\*\] .*torch.load' '$WORK/out' >/dev/null"
check "a torch.load inside load_state_dict (safe to fix) is marked without it" \
    bash -c "grep -E ':12:27: [a-z]+: \[\*\] .*torch.load' '$WORK/u.plain' >/dev/null"
check "the summary counts both kinds" \
    grep -qE '^loadlint: [0-9]+ findings .*; [1-9][0-9]* fixable with --fix, [1-9][0-9]* more \(unsafe\) with --unsafe-fixes$' "$WORK/u.plain.err"
check "... and with --unsafe-fixes, all of them" \
    grep -qE '^loadlint: [0-9]+ findings .*; [1-9][0-9]* fixable with --fix --unsafe-fixes$' "$WORK/err"
"${L[@]}" "$WORK/u/torch_weights_only.py" >"$WORK/u.pipe" 2>/dev/null
"${L[@]}" -f json "$WORK/u/torch_weights_only.py" 2>/dev/null >"$WORK/u.json"
check "without a terminal no line is marked: its message is the JSON report's" "$PY" - "$WORK/u.pipe" "$WORK/u.json" <<'PY'
import json, sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
msgs = [r["message"] for r in json.load(open(sys.argv[2], encoding="utf-8"))["results"]]
assert len(lines) == len(msgs) > 0
for line, m in zip(lines, msgs):
    assert line.split(": ", 2)[2] == m + " [" + line.rsplit("[", 1)[1], (line, m)
PY

# --- standard input -----------------------------------------------------------------------
for p in yaml_module latin1 bom crlf; do
    "${L[@]}" --fix --unsafe-fixes --stdin-filename "$p.py" - <"$FIXES/$p.py" >"$WORK/stdin.$p" 2>"$WORK/stdin.$p.err"
    check "stdin --fix --unsafe-fixes ($p): standard output is $p.fixed.py byte for byte" \
        cmp -s "$WORK/stdin.$p" "$FIXES/$p.fixed.py"
done
check "... and the report goes to standard error" grep -q '^yaml_module.py:[0-9]*:[0-9]*: warning: ' "$WORK/stdin.yaml_module.err"
check "... with what was fixed" grep -qE '^loadlint: fixed [1-9][0-9]* findings in 1 file$' "$WORK/stdin.yaml_module.err"
printf 'import yaml\n\n\ndef f(s):\n    return yaml.load(s)\n' >"$WORK/one.py"
printf 'import yaml\n\n\ndef f(s):\n    return yaml.safe_load(s)\n' >"$WORK/one.want"
run_rc "${L[@]}" --fix --stdin-filename one.py - <"$WORK/one.py"
check "stdin --fix: the fixed text (everything fixed: exit 0)" bash -c "cmp -s '$WORK/out' '$WORK/one.want' && test $RC = 0"
printf 'import json\n' >"$WORK/clean.py"
run_rc "${L[@]}" --fix --stdin-filename clean.py - <"$WORK/clean.py"
check "stdin --fix with nothing to fix prints the text as it was (exit 0)" \
    bash -c "cmp -s '$WORK/out' '$WORK/clean.py' && test $RC = 0"
run_rc "${L[@]}" --fix -f json --stdin-filename one.py - <"$WORK/one.py"
check "stdin --fix -f json: the fixed text on stdout, the JSON report on stderr" \
    bash -c "cmp -s '$WORK/out' '$WORK/one.want' && grep -q '\"results\": \[\]' '$WORK/err'"

# --- exit statuses on files ---------------------------------------------------------------
cp "$WORK/one.py" "$WORK/ex.py"
run_rc "${L[@]}" "$WORK/ex.py"
check "a fixable finding exits 1 without --fix" test "$RC" = 1
run_rc "${L[@]}" --fix "$WORK/ex.py"
check "--fix that leaves nothing exits 0 (Ruff: what remains decides)" test "$RC" = 0
check "... the file is fixed" cmp -s "$WORK/ex.py" "$WORK/one.want"
printf 'import torch\n\n\ndef f(p):\n    return torch.load(p)\n' >"$WORK/ex2.py"
cp "$WORK/ex2.py" "$WORK/ex2.orig"
run_rc "${L[@]}" --fix "$WORK/ex2.py"
check "--fix with only an unsafe fix exits 1, the file untouched" \
    bash -c "test $RC = 1 && cmp -s '$WORK/ex2.py' '$WORK/ex2.orig'"
check "... the summary points to --unsafe-fixes" grep -qE '^loadlint: 1 finding .*; 1 unsafe fix with --unsafe-fixes$' "$WORK/err"

# --- fixes that overlap: the later one in another pass of the same run ----------------------
# XY901 (a rule of this test) matches yaml.load and yaml.safe_load without
# `version`; its first fix renames yaml.load (overlapping LL501's), its second
# adds version=: after LL501's, the fixed text is scanned again and gets it.
mkdir -p "$WORK/xr" "$WORK/ov"
cat >"$WORK/xr/XY901-yaml-version.json" <<'JSON'
{"code": "XY901", "name": "yaml-version-pin", "severity": "warning",
 "summary": "a test rule whose fix overlaps LL501's", "message": "`{callee}` without version",
 "precision": "high", "security_severity": "5.0", "cwe": ["CWE-502"], "tags": [],
 "match": {"call": ["yaml.load", "yaml.safe_load"],
           "unless": [{"arg": {"keyword": "version"}, "is": "present"}]},
 "fixes": [{"kind": "rename-callee", "to": {"yaml.load": "yaml.full_load"}, "safe": true},
           {"kind": "set-keyword", "keyword": "version", "value": "1.2", "safe": true}],
 "docs": {"what": "w", "why": "w", "example": "e", "use_instead": "u", "references": ["https://example.com/x"]}}
JSON
printf 'import yaml\n\n\ndef f(s):\n    return yaml.load(s)\n' >"$WORK/ov/a.py"
printf 'import yaml\n\n\ndef f(s):\n    return yaml.safe_load(s, version="1.2")\n' >"$WORK/ov.want"
(cd "$WORK" && "${L[@]}" --rules xr --diff ov >"$WORK/ov.diff" 2>/dev/null)
run_rc "${L[@]}" --rules "$WORK/xr" --fix "$WORK/ov"
check "overlapping fixes: the second pass applies the other (exit 0: nothing remains)" \
    bash -c "test $RC = 0 && cmp -s '$WORK/ov/a.py' '$WORK/ov.want'"
check "... the summary counts both" grep -q '^loadlint: fixed 2 findings in 1 file$' "$WORK/err"
run_rc "${L[@]}" --rules "$WORK/xr" --fix "$WORK/ov"
check "... a second --fix changes nothing" bash -c "cmp -s '$WORK/ov/a.py' '$WORK/ov.want' && grep -q '^loadlint: nothing fixed$' '$WORK/err'"
check "... and --diff showed the same two passes" \
    bash -c "grep -qxF -- '+    return yaml.safe_load(s, version=\"1.2\")' '$WORK/ov.diff'"

# --- not fixed: suppressed, baselined -----------------------------------------------------
mkdir -p "$WORK/sup"
printf 'import yaml\n\n\ndef f(s):\n    return yaml.load(s)  # loadlint: ignore[LL501]\n\n\ndef g(s):\n    return yaml.load(s)\n' >"$WORK/sup/s.py"
"${L[@]}" --fix "$WORK/sup" >/dev/null 2>&1
check "a suppressed finding is not fixed, the other one is" \
    bash -c "grep -q 'yaml.load(s)  # loadlint: ignore' '$WORK/sup/s.py' && grep -q 'return yaml.safe_load(s)$' '$WORK/sup/s.py'"
mkdir -p "$WORK/base"
printf 'import yaml\n\n\ndef f(s):\n    return yaml.load(s)\n' >"$WORK/base/old.py"
(cd "$WORK/base" && "$LOADLINT" --isolated --write-baseline b.json . >/dev/null 2>&1)
printf 'import yaml\n\n\ndef g(s):\n    return yaml.load(s)\n' >"$WORK/base/new.py"
(cd "$WORK/base" && "$LOADLINT" --isolated --baseline b.json --fix . >/dev/null 2>&1)
check "a baselined finding is not fixed, a new one is" \
    bash -c "grep -q 'return yaml.load(s)' '$WORK/base/old.py' && grep -q 'return yaml.safe_load(s)' '$WORK/base/new.py'"

# --- what is kept: mode, symbolic links; what is refused: encodings -----------------------
cp "$WORK/one.py" "$WORK/mode.py"
chmod 640 "$WORK/mode.py"
"${L[@]}" --fix "$WORK/mode.py" >/dev/null 2>&1
check "a fixed file keeps its mode (640)" bash -c "test \"\$(stat -c %a '$WORK/mode.py')\" = 640 && cmp -s '$WORK/mode.py' '$WORK/one.want'"
mkdir -p "$WORK/link"
cp "$WORK/one.py" "$WORK/link/target.py"
ln -s target.py "$WORK/link/named.py"
"${L[@]}" --fix "$WORK/link/named.py" >/dev/null 2>&1
check "a named symbolic link stays a link; its target is fixed" \
    bash -c "test -L '$WORK/link/named.py' && cmp -s '$WORK/link/target.py' '$WORK/one.want'"
printf '# -*- coding: utf-7 -*-\nimport yaml\n\n\ndef f(s):\n    return yaml.load(s)  # caf+AOk-\n' >"$WORK/u7.py"
cp "$WORK/u7.py" "$WORK/u7.orig"
run_rc "${L[@]}" --fix "$WORK/u7.py"
check "a UTF-7 file re-encoding would change is left alone" cmp -s "$WORK/u7.py" "$WORK/u7.orig"
check "... with a warning naming it (exit 1: the finding remains)" \
    bash -c "test $RC = 1 && grep -q 'u7.py: warning: not written: encoding the file' '$WORK/err'"

# --- a file changed between the scan and the fix --------------------------------------------
# The shim appends a line to the file named FIX_TOUCH_NAME when loadlint opens it
# for the FIX_TOUCH_AT-th time, and counts the openings in FIX_COUNT_FILE. A scan
# without --fix opens it S times (it may read a file more than once); with --fix,
# S+1 is the fix's own reading, S+2 the check just before the rename.
cat >"$WORK/touch.c" <<'C'
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>
typedef int (*open_fn)(const char *, int, ...);
static int opened; /* this test process's own count */
static void touch(const char *path, open_fn real)
{
    const char *name = getenv("FIX_TOUCH_NAME"), *at = getenv("FIX_TOUCH_AT");
    const char *count = getenv("FIX_COUNT_FILE");
    size_t ln = name ? strlen(name) : 0, lp = strlen(path);
    if (!name || lp < ln || strcmp(path + lp - ln, name) != 0)
        return;
    ++opened;
    if (count) {
        int cfd = real(count, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (cfd >= 0) {
            char b[16];
            int n = snprintf(b, sizeof b, "%d\n", opened);
            if (write(cfd, b, (size_t)n) != n) {}
            close(cfd);
        }
    }
    if (!at || opened != atoi(at))
        return;
    int fd = real(path, O_WRONLY | O_APPEND);
    if (fd >= 0) {
        if (write(fd, "# changed meanwhile\n", 20) != 20) {}
        close(fd);
    }
}
#define WRAP(fn)                                                        \
    int fn(const char *path, int flags, ...)                            \
    {                                                                   \
        open_fn real = (open_fn)dlsym(RTLD_NEXT, #fn);                  \
        mode_t mode = 0;                                                \
        if (flags & O_CREAT) {                                          \
            va_list ap;                                                 \
            va_start(ap, flags);                                        \
            mode = (mode_t)va_arg(ap, int);                             \
            va_end(ap);                                                 \
        }                                                               \
        touch(path, real);                                              \
        return real(path, flags, mode);                                 \
    }
WRAP(open)
WRAP(open64)
C
if cc -shared -fPIC -o "$WORK/touch.so" "$WORK/touch.c" -ldl 2>"$WORK/cc.err"; then
    rm -rf "$WORK/chn" && mkdir -p "$WORK/chn"
    cp "$FIXES/yaml_module.py" "$FIXES/yaml_alias.py" "$WORK/chn/"
    FIX_TOUCH_NAME=/yaml_module.py FIX_COUNT_FILE="$WORK/opens" LD_PRELOAD="$WORK/touch.so" \
        ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" \
        "${L[@]}" "$WORK/chn" >/dev/null 2>&1
    S=$(cat "$WORK/opens" 2>/dev/null || echo 0)
    check "the scan opens the file (counted by the shim)" test "$S" -ge 1
    for at in $((S + 1)) $((S + 2)); do
        rm -rf "$WORK/ch$at"
        mkdir -p "$WORK/ch$at"
        cp "$FIXES/yaml_module.py" "$FIXES/yaml_alias.py" "$WORK/ch$at/"
        cp "$FIXES/yaml_module.py" "$WORK/ch$at.orig"
        printf '# changed meanwhile\n' >>"$WORK/ch$at.orig"
        RC=0
        # (a sanitizer build wants its runtime first: let the shim go first)
        FIX_TOUCH_NAME=/yaml_module.py FIX_TOUCH_AT=$at LD_PRELOAD="$WORK/touch.so" \
            ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" \
            "${L[@]}" --fix --unsafe-fixes "$WORK/ch$at" >"$WORK/out" 2>"$WORK/err" || RC=$?
        check "changed at opening $at: the file is not written (it keeps the other change)" \
            cmp -s "$WORK/ch$at/yaml_module.py" "$WORK/ch$at.orig"
        check "... an error names it (exit 2)" \
            bash -c "test $RC = 2 && grep -qE 'ch$at/yaml_module.py: error: (not fixed: the file changed since it was scanned|not written: the file changed since it was read)' '$WORK/err'"
        check "... the other file is fixed" cmp -s "$WORK/ch$at/yaml_alias.py" "$FIXES/yaml_alias.fixed.py"
    done
else
    check "cc builds the LD_PRELOAD shim" false
    sed 's/^/    | /' "$WORK/cc.err"
fi

# --- JSON and SARIF carry the fixes -----------------------------------------------------------
fresh js
"${L[@]}" -f json --show-suppressed "$WORK/js" >"$WORK/js.json" 2>/dev/null
check "JSON with fixes matches docs/json-output.schema.json; all three applicabilities occur" \
    "$PY" - "$WORK/js.json" <<'PY'
import json, sys, jsonschema
doc = json.load(open(sys.argv[1], encoding="utf-8"))
schema = json.load(open("docs/json-output.schema.json", encoding="utf-8"))
jsonschema.Draft202012Validator(schema).validate(doc)
kinds = {(r["fix"] or {}).get("applicability") for r in doc["results"]}
assert {"safe", "unsafe", "none", None} <= kinds, kinds
for r in doc["results"]:
    f = r["fix"]
    if f and f["applicability"] in ("safe", "unsafe"):
        assert f["edits"] and f["description"], r
        assert (f["reason"] is None) == (f["applicability"] == "safe"), r
    elif f:
        assert not f["edits"] and f["reason"], r
PY
(cd "$WORK" && "${L[@]}" -f sarif js >"$WORK/js.sarif" 2>/dev/null)
check "SARIF fixes: replacements, insertions as empty regions, applicability" "$PY" - "$WORK/js.sarif" <<'PY'
import json, sys
run = json.load(open(sys.argv[1], encoding="utf-8"))["runs"][0]
fixes = [f for r in run["results"] for f in r.get("fixes", [])]
assert fixes, "no fixes"
seen = set()
for f in fixes:
    assert f["description"]["text"]
    assert f["properties"]["applicability"] in ("safe", "unsafe")
    seen.add(f["properties"]["applicability"])
    for ch in f["artifactChanges"]:
        assert ch["artifactLocation"]["uri"].startswith("js/")
        for rep in ch["replacements"]:
            d = rep["deletedRegion"]
            empty = (d["startLine"], d["startColumn"]) == (d["endLine"], d["endColumn"])
            assert not empty or rep["insertedContent"]["text"], rep
assert seen == {"safe", "unsafe"}, seen
PY
check "validators accept the SARIF with fixes" bash tests/tools/sarif-validate.sh -q "$WORK/js.sarif"

finish
