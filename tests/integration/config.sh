#!/bin/bash
# Configuration files and file selection: [tool.loadlint] discovery and
# precedence, per-file-ignores, extend-select, min-severity, excludes,
# .gitignore, symbolic links, --stdin-filename, --show-settings, errors.
set -u
. "$(dirname "$0")/lib.sh"
LOADLINT=$(cd "$(dirname "$LOADLINT")" && pwd)/$(basename "$LOADLINT")

PICKLE='import pickle\n\ndef f(b):\n    return pickle.loads(b)\n'       # LL101 warning
YAML='import yaml\n\ndef g(p):\n    return yaml.load(open(p))\n'           # LL501 warning
REDUCE='class P:\n    def __reduce__(self):\n        return (print, ())\n'  # LL601 note

# run_in DIR ARGS...: runs loadlint in DIR (stdout in $WORK/out, stderr in $WORK/err)
run_in() {
    local dir=$1
    shift
    RC=0
    (cd "$dir" && "$LOADLINT" "$@") >"$WORK/out" 2>"$WORK/err" || RC=$?
}
has() { grep -q -- "$1" "$WORK/out"; }
hasnt() { ! grep -q -- "$1" "$WORK/out"; }
err_has() { grep -q -- "$1" "$WORK/err"; }

# --- discovery from a subdirectory, --isolated ------------------------------
P=$WORK/p1
mkdir -p "$P/sub/deep"
printf '[project]\nname = "x"\n\n[tool.loadlint]\nignore = ["LL101"]\n' > "$P/pyproject.toml"
printf "$PICKLE" > "$P/sub/deep/a.py"
run_in "$P/sub" .
check "pyproject [tool.loadlint] found from a subdirectory: rc 0" test "$RC" = 0
run_in "$P/sub" --isolated .
check "--isolated ignores it: rc 1" test "$RC" = 1
run_in "$P/sub" --no-config .
check "--no-config is --isolated" test "$RC" = 1
run_in "$P/sub" --ignore LL5 .
check "--ignore replaces the configuration's ignore" test "$RC" = 1
run_in "$P/sub" --extend-ignore LL5 .
check "--extend-ignore adds to it" test "$RC" = 0
run_in "$P/sub" --select LL101 .
check "--select LL101 against ignore LL101: ignore wins a tie" test "$RC" = 0
printf '[tool.loadlint]\nignore = ["LL1"]\n' > "$P/pyproject.toml"
run_in "$P/sub" --select LL101 .
check "--select LL101 against ignore LL1: the more specific wins" test "$RC" = 1
printf '[project]\nname = "x"\n\n[tool.loadlint]\nignore = ["LL101"]\n' > "$P/pyproject.toml"
run_in "$WORK" "$P/sub/deep/a.py"
check "the file's own configuration applies, not the working directory's" test "$RC" = 0

# a pyproject.toml without [tool.loadlint] does not count; the search goes on
printf '[project]\nname = "inner"\n' > "$P/sub/pyproject.toml"
run_in "$P/sub" .
check "pyproject without [tool.loadlint] is skipped" test "$RC" = 0
# the nearest configuration wins (no merging with outer ones)
printf 'select = ["LL5"]\n' > "$P/sub/loadlint.toml"
printf "$YAML" > "$P/sub/deep/b.py"
run_in "$P" .
check "nearer loadlint.toml wins over the outer pyproject" bash -c "grep -q LL501 '$WORK/out' && ! grep -q LL101 '$WORK/out'"
printf 'select = ["LL1"]\n' > "$P/sub/.loadlint.toml"
run_in "$P" .
check ".loadlint.toml wins over loadlint.toml in one directory" bash -c "grep -q LL101 '$WORK/out' && ! grep -q LL501 '$WORK/out'"
rm "$P/sub/.loadlint.toml" "$P/sub/loadlint.toml" "$P/sub/pyproject.toml" "$P/sub/deep/b.py"

# --config
printf 'select = ["LL6"]\n' > "$WORK/only6.toml"
run_in "$P/sub" --config "$WORK/only6.toml" .
check "--config replaces discovery" test "$RC" = 0
run_in "$P/sub" --config "$WORK/only6.toml" --extend-select LL101 .
check "--extend-select adds to --config's select" test "$RC" = 1
run_in "$P/sub" --config "$WORK/missing.toml" .
check "--config with a missing file exits 2" test "$RC" = 2
run_in "$P/sub" --config "$WORK/only6.toml" --isolated .
check "--config with --isolated is a usage error" test "$RC" = 2

# --- per-file-ignores, extend-select, min-severity -------------------------
P=$WORK/p2
mkdir -p "$P/tests" "$P/app"
printf "$PICKLE" > "$P/tests/test_a.py"
printf "$PICKLE" > "$P/app/a.py"
printf "$YAML" > "$P/app/y.py"
printf "$REDUCE" > "$P/app/r.py"
cat > "$P/pyproject.toml" <<'X'
[tool.loadlint]
select = ["LL1"]
extend-select = ["LL601"]

[tool.loadlint.per-file-ignores]
"tests/*" = ["LL101"]
X
run_in "$P" .
check "per-file-ignores drops LL101 in tests/" hasnt "tests/test_a.py"
check "per-file-ignores keeps LL101 elsewhere" has "app/a.py:4:12: warning: .*\[LL101\]"
check "select LL1 leaves LL501 out" hasnt "LL501"
check "extend-select adds LL601" has "app/r.py:.*note: .*\[LL601\]"
run_in "$P" --per-file-ignores 'app/*:LL6' .
check "--per-file-ignores replaces the configuration's" bash -c "grep -q tests/test_a.py '$WORK/out' && ! grep -q LL601 '$WORK/out'"
run_in "$P" --per-file-ignores 'a.py:LL1' --per-file-ignores 'test_*.py:LL1' .
check "--per-file-ignores is repeatable; a glob without '/' matches the name" \
    bash -c "! grep -q LL101 '$WORK/out' && grep -q LL601 '$WORK/out'"
printf '[tool.loadlint]\nselect = ["LL1"]\nextend-select = ["LL601"]\nmin-severity = "warning"\nper-file-ignores = { "tests" = ["LL1"] }\n' > "$P/pyproject.toml"
run_in "$P" .
check "min-severity = warning drops notes" bash -c "! grep -q LL601 '$WORK/out' && grep -q 'app/a.py' '$WORK/out'"
check "a per-file-ignores glob without '/' matches a directory" hasnt "tests/test_a.py"
run_in "$P" --min-severity note .
check "--min-severity overrides the configuration" has "LL601"
run_in "$P" --min-severity error .
check "--min-severity error: nothing left, rc 0" test "$RC" = 0 -a ! -s "$WORK/out"
run_in "$P" --min-severity loud .
check "a bad flag value exits 2" test "$RC" = 2
check "a bad flag value is explained" err_has "--min-severity takes note, warning or error, not 'loud'"
run_in "$P" --per-file-ignores 'nocodes' .
check "--per-file-ignores without codes exits 2" test "$RC" = 2
run_in "$P" --select 'LL 1' .
check "--select with a malformed code exits 2" test "$RC" = 2

# --- exclude / extend-exclude ------------------------------------------------
P=$WORK/p3
mkdir -p "$P/src/gen" "$P/src/app" "$P/build"
printf "$PICKLE" > "$P/src/gen/g.py"
printf "$PICKLE" > "$P/src/app/a.py"
printf "$PICKLE" > "$P/build/b.py"
printf "$PICKLE" > "$P/src/app/skip_me.py"
printf '[tool.loadlint]\nexclude = ["src/gen"]\nextend-exclude = ["skip_*.py"]\n' > "$P/pyproject.toml"
run_in "$P" -v .
check "exclude with '/' is relative to the configuration's directory" hasnt "src/gen/g.py"
check "extend-exclude without '/' matches a name anywhere" hasnt "skip_me.py"
check "other files are scanned" has "src/app/a.py"
check "build/ is not excluded by default" has "build/b.py"
check "-v names excluded paths with the reason" err_has "src/gen: matches the exclude pattern \"src/gen\""
check "-v names the configuration file" err_has "using the configuration file pyproject.toml"
run_in "$P" --exclude build .
check "--exclude replaces the configuration's exclude" bash -c "grep -q src/gen/g.py '$WORK/out' && ! grep -q build/b.py '$WORK/out' && ! grep -q skip_me '$WORK/out'"
run_in "$P" --extend-exclude 'build,src/app' .
check "--extend-exclude adds (comma-separated)" bash -c "! grep -q build/b.py '$WORK/out' && ! grep -q src/app/a.py '$WORK/out' && ! grep -q src/gen '$WORK/out'"
run_in "$P" src/gen/g.py
check "a named file bypasses exclude" has "src/gen/g.py"
run_in "$P" --force-exclude src/gen/g.py
check "--force-exclude applies exclude to named files" test "$RC" = 0 -a ! -s "$WORK/out"
run_in "$P" --force-exclude --force-exclude src/gen/g.py src/app/a.py
check "--force-exclude twice is fine" bash -c "[ $RC = 1 ] && grep -q src/app/a.py '$WORK/out' && ! grep -q src/gen '$WORK/out'"
run_in "$P" --force-exclude src/gen
check "--force-exclude applies to a named directory" test "$RC" = 0
mkdir -p "$P/.venv/lib"
printf "$PICKLE" > "$P/.venv/lib/v.py"
run_in "$P" --force-exclude .venv/lib/v.py
check "--force-exclude applies the default excludes to named files" test "$RC" = 0

# --- .gitignore --------------------------------------------------------------
G=$WORK/repo
mkdir -p "$G/pkg/sub" "$G/out"
git -C "$G" init -q
printf 'gen.py\nout/\nsecret.py\n' > "$G/.gitignore"
printf "$PICKLE" > "$G/gen.py"
printf "$PICKLE" > "$G/main.py"
printf "$PICKLE" > "$G/out/o.py"
printf "$PICKLE" > "$G/pkg/gen.py"
printf '*.py\n!keep.py\n!secret.py\n' > "$G/pkg/.gitignore"
printf "$PICKLE" > "$G/pkg/keep.py"
printf "$PICKLE" > "$G/pkg/drop.py"
printf "$PICKLE" > "$G/pkg/secret.py"
printf "$PICKLE" > "$G/pkg/sub/keep.py"
printf "$PICKLE" > "$G/pkg/sub/other.py"
printf "$PICKLE" > "$G/local.py"
printf 'local.py\n' >> "$G/.git/info/exclude"
run_in "$G" -v .
check "a .gitignored file is not reported when walked" hasnt "^gen.py"
check "a directory pattern (out/) skips the directory" hasnt "out/o.py"
check "tracked files are reported" has "^main.py:4:12:"
check "nested .gitignore '*.py' ignores pkg/drop.py" hasnt "pkg/drop.py"
check "nested '!keep.py' re-includes pkg/keep.py" has "^pkg/keep.py:"
check "a negation applies below its directory too" has "^pkg/sub/keep.py:"
check "nested '*.py' applies below its directory" hasnt "pkg/sub/other.py"
check "a deeper .gitignore wins over the root one" has "^pkg/secret.py:"
check ".git/info/exclude is read" hasnt "local.py"
check "-v says why gen.py is skipped" err_has "gen.py: ignored by git (.*\.gitignore:1)"
run_in "$G" gen.py
check "a .gitignored file named explicitly is reported" has "^gen.py:4:12:"
run_in "$G" --force-exclude gen.py
check "... but not with --force-exclude" test "$RC" = 0 -a ! -s "$WORK/out"
run_in "$G" --force-exclude out/o.py pkg/keep.py
check "--force-exclude: a file in an ignored directory is skipped, a re-included one kept" \
    bash -c "! grep -q out/o.py '$WORK/out' && grep -q pkg/keep.py '$WORK/out'"
run_in "$G/pkg" --force-exclude ../gen.py
check "--force-exclude uses the repository's root .gitignore from a subdirectory" test "$RC" = 0
run_in "$G" --no-respect-gitignore .
check "--no-respect-gitignore walks ignored files" bash -c "grep -q '^gen.py' '$WORK/out' && grep -q pkg/drop.py '$WORK/out'"
printf '[tool.loadlint]\nrespect-gitignore = false\n' > "$G/pyproject.toml"
run_in "$G" .
check "respect-gitignore = false in the configuration" has "^gen.py"
rm "$G/pyproject.toml"
N=$WORK/notrepo
mkdir -p "$N"
printf 'gen.py\n' > "$N/.gitignore"
printf "$PICKLE" > "$N/gen.py"
run_in "$N" .
check "outside a git repository .gitignore does not apply" has "^gen.py"

# --- symbolic links ------------------------------------------------------------
L=$WORK/links
mkdir -p "$L/root/real" "$L/outside"
printf "$PICKLE" > "$L/root/real/r.py"
printf "$PICKLE" > "$L/outside/o.py"
ln -s ../outside "$L/root/out_link"
ln -s real "$L/root/in_link"
ln -s ../../outside/o.py "$L/root/real/file_link.py"
run_in "$L/root" -v .
check "a link to a directory outside the root is not followed" hasnt "o.py"
check "... and -v says so" err_has "out_link: symbolic link to .*outside.*not followed"
check "a link to a directory inside the root is walked (once)" test "$(grep -c 'r.py' "$WORK/out")" = 1
check "a link to a file outside the root is not followed" hasnt "file_link.py"
run_in "$L/root" .
check "no note without -v" bash -c "! grep -q 'not followed' '$WORK/err'"
run_in "$L" .
check "everything inside the named root is followed" bash -c "grep -q outside/o.py '$WORK/out' && [ \$(grep -c 'o.py' '$WORK/out') = 1 ]"

# --- standard input -------------------------------------------------------------
S=$WORK/stdin
mkdir -p "$S"
printf '[tool.loadlint]\nexclude = ["src"]\nper-file-ignores = { "lib/*" = ["LL1"] }\n' > "$S/pyproject.toml"
RC=0
(cd "$S" && printf 'import pickle\npickle.loads(x)\n' | "$LOADLINT" --stdin-filename src/x.py - >"$WORK/out" 2>"$WORK/err") || RC=$?
check "stdin: reported under --stdin-filename (named: exclude bypassed)" has "^src/x.py:2:1: warning:"
RC=0
(cd "$S" && printf 'import pickle\npickle.loads(x)\n' | "$LOADLINT" --force-exclude --stdin-filename src/x.py - >"$WORK/out" 2>"$WORK/err") || RC=$?
check "stdin: exclude with --force-exclude uses the name: no output, rc 0" test "$RC" = 0 -a ! -s "$WORK/out"
RC=0
(cd "$S" && printf 'import pickle\npickle.loads(x)\n' | "$LOADLINT" --stdin-filename lib/x.py - >"$WORK/out" 2>"$WORK/err") || RC=$?
check "stdin: per-file-ignores use the name" test "$RC" = 0
RC=0
(cd "$WORK" && printf 'import pickle\npickle.loads(x)\n' | "$LOADLINT" --stdin-display-name "$S/lib/x.py" - >"$WORK/out" 2>"$WORK/err") || RC=$?
check "stdin: the configuration is found from the name's directory" test "$RC" = 0

# --- --show-settings -----------------------------------------------------------
run_in "$WORK/p2" --show-settings tests/test_a.py
check "--show-settings exits 0" test "$RC" = 0
check "--show-settings names the configuration file" has '^config-file = "pyproject.toml"'
check "--show-settings shows min-severity" has '^min-severity = "warning"'
check "--show-settings lists the rules enabled for that file" bash -c "grep -q '^enabled-rules = \[\"LL601\"\]' '$WORK/out'"
run_in "$WORK/p3" --show-settings --extend-exclude x src/gen/g.py
check "--show-settings says whether a file is excluded" has '^excluded = true'
run_in "$WORK/p3" --show-settings --isolated src/gen/g.py
check "--show-settings --isolated: no configuration" has '^config-file = ""'

# --- configuration errors --------------------------------------------------------
E=$WORK/bad
mkdir -p "$E/sub"
printf "$PICKLE" > "$E/sub/a.py"
printf '[tool.loadlint]\nselect = ["LL1"\nignore = []\n' > "$E/pyproject.toml"
run_in "$E/sub" .
check "a syntax error in pyproject.toml exits 2" test "$RC" = 2
check "... naming pyproject.toml:LINE:COL" err_has "pyproject.toml:[0-9]*:[0-9]*: invalid TOML"
check "... and nothing is reported" test ! -s "$WORK/out"
printf '[tool.loadlint]\nselect = ["LL1"]\n  colour = "red"\n' > "$E/pyproject.toml"
run_in "$E/sub" .
check "an unknown key exits 2 with its line and column" bash -c "[ $RC = 2 ] && grep -q 'pyproject.toml:3:3: unknown key \"colour\" in \[tool.loadlint\]' '$WORK/err'"
printf '[tool.loadlint]\nrespect-gitignore = "no"\n' > "$E/pyproject.toml"
run_in "$E/sub" .
check "a wrongly typed value exits 2 with its position" bash -c "[ $RC = 2 ] && grep -q 'pyproject.toml:2:21: \"respect-gitignore\" must be true or false, not a string' '$WORK/err'"
printf '[tool.loadlint]\nrules = ["no-such-dir"]\n' > "$E/pyproject.toml"
run_in "$E/sub" .
check "a missing rules directory exits 2" test "$RC" = 2
run_in "$E/sub" --isolated .
check "--isolated does not read the broken file" test "$RC" = 1

# --- rules directories from a configuration ----------------------------------------
R=$WORK/rules
mkdir -p "$R/proj/myrules" "$R/other"
sed 's/"code": "LL101"/"code": "LL901"/; s/"name": "pickle-load"/"name": "custom-pickle-load"/' \
    rules/LL101-pickle-load.json > "$R/proj/myrules/LL901-custom-pickle-load.json"
printf '[tool.loadlint]\nrules = ["myrules"]\nignore = ["LL101"]\n' > "$R/proj/pyproject.toml"
printf "$PICKLE" > "$R/proj/a.py"
printf "$PICKLE" > "$R/other/b.py"
run_in "$R" proj other
check "a configuration's rules directory applies to its files" has "proj/a.py:.*\[LL901\]"
check "... and not to files under other settings" hasnt "other/b.py:.*LL901"
check "... which keep the built-in rules" has "other/b.py:.*LL101"
check "... and the configuration's ignore stays with its files" hasnt "proj/a.py:.*LL101"

# --- issue 15: unknown rule codes in a configuration are errors ---------------------
C=$WORK/codes
mkdir -p "$C/app"
printf "$PICKLE" > "$C/app/a.py"
printf "$YAML" > "$C/app/y.py"
printf '[tool.loadlint]\nselect = ["S301"]\n' > "$C/pyproject.toml"
run_in "$C" .
check "select = [\"S301\"] (Ruff's code) is accepted and selects the pickle rules" \
    bash -c "[ $RC = 1 ] && grep -q LL101 '$WORK/out' && ! grep -q LL501 '$WORK/out'"
printf '[tool.ruff]\nselect = ["S999"]\n\n[tool.loadlint]\nselect = [\n  "LL1",\n  "S30l",\n]\n' > "$C/pyproject.toml"
run_in "$C" .
check "an unknown code in [tool.loadlint] exits 2 at its line and column, with a suggestion" \
    bash -c "[ $RC = 2 ] && grep -q 'pyproject.toml:7:3: \"select\": \"S30l\" is not the code or prefix of any rule (did you mean S301?)' '$WORK/err'"
check "... and nothing is scanned" test ! -s "$WORK/out"
printf 'extend-ignore = ["ll5"]\n' > "$C/loadlint.toml"
run_in "$C" .
check "extend-ignore = [\"ll5\"] exits 2 suggesting LL5" \
    bash -c "[ $RC = 2 ] && grep -q 'loadlint.toml:1:18: \"extend-ignore\": \"ll5\".*did you mean LL5?' '$WORK/err'"
printf '[per-file-ignores]\n"app/*" = ["LL101", "LL1O1"]\n' > "$C/loadlint.toml"
run_in "$C" .
check "a per-file-ignores code is checked too" bash -c "[ $RC = 2 ] && grep -q 'loadlint.toml:2:21: \"per-file-ignores\": \"LL1O1\"' '$WORK/err'"
printf 'select = ["LL901"]\n' > "$C/loadlint.toml"
run_in "$C" .
check "a code known only to another project's rules directory is unknown here" test "$RC" = 2
run_in "$C" --isolated .
check "--isolated reads none of it" test "$RC" = 1
run_in "$C" --select LL1 .
check "--select replaces the file's select: its bad code is not used, not checked" test "$RC" = 1
rm "$C/loadlint.toml" "$C/pyproject.toml"
run_in "$R" --select LL901 proj other
check "--select of a code one used configuration loads is accepted" bash -c "[ $RC = 1 ] && grep -q LL901 '$WORK/out'"
printf 'select = ["LL901"]\n' > "$R/other/loadlint.toml"
run_in "$R" proj other
check "... but that code in the other configuration is an error there" \
    bash -c "[ $RC = 2 ] && grep -q 'other/loadlint.toml:1:11: \"select\": \"LL901\" is not the code' '$WORK/err'"
rm "$R/other/loadlint.toml"

# --- issue 12: fail-on in the configuration, per file ------------------------------
F=$WORK/failon
mkdir -p "$F/strict" "$F/lax"
printf "$REDUCE" > "$F/strict/r.py"
printf "$PICKLE" > "$F/lax/a.py"
printf 'fail-on = "note"\n' > "$F/strict/loadlint.toml"
printf 'fail-on = "never"\n' > "$F/lax/loadlint.toml"
run_in "$F" strict
check "fail-on = \"note\": a note fails" test "$RC" = 1
run_in "$F" lax
check "fail-on = \"never\": a warning does not" bash -c "[ $RC = 0 ] && grep -q LL101 '$WORK/out'"
printf 'fail-on = "error"\n' > "$F/strict/loadlint.toml"
run_in "$F" strict lax
check "each finding is judged by its own file's fail-on" test "$RC" = 0
printf 'fail-on = "note"\n' > "$F/strict/loadlint.toml"
run_in "$F" strict lax
check "... a note under fail-on = note fails the run" test "$RC" = 1
run_in "$F" --fail-on error strict lax
check "--fail-on replaces every configuration's" test "$RC" = 0
printf 'fail-on = "sometimes"\n' > "$F/lax/loadlint.toml"
run_in "$F" lax
check "a bad fail-on value exits 2" test "$RC" = 2

# --- artifacts = false reaches the scan ---------------------------------------------
A=$WORK/art
mkdir -p "$A"
"$PY" -c 'import sys; sys.stdout.buffer.write(b"\x80\x02cos\nsystem\nq\x00X\x02\x00\x00\x00idq\x01\x85q\x02Rq\x03.")' > "$A/model.pkl"
run_in "$A" .
if grep -q 'model.pkl' "$WORK/out"; then
    printf 'artifacts = false\n' > "$A/loadlint.toml"
    run_in "$A" .
    check "artifacts = false: model files are not scanned" hasnt "model.pkl"
    run_in "$A" --artifacts .
    check "--artifacts turns them back on" has "model.pkl"
    rm "$A/loadlint.toml"
    run_in "$A" --no-artifacts .
    check "--no-artifacts: model files are not scanned" hasnt "model.pkl"
    run_in "$A" --no-artifacts model.pkl
    check "--no-artifacts: a named model file is read as Python only" hasnt "model.pkl:.*LL7"
else
    echo "ok - # SKIP artifacts: this build has no model-file readers (LOADLINT_SKIP_ARTIFACTS)"
fi

# --- the README's configuration example --------------------------------------------
X=$WORK/readme-example
mkdir -p "$X"
"$PY" - "$X/pyproject.toml" <<'PYX'
import re, sys
text = open("README.md").read()
m = re.search(r"### Configuration\n.*?```toml\n(.*?)```", text, re.S)
open(sys.argv[1], "w").write(m.group(1) if m else "")
PYX
grep -o '"[^"]*"' "$X/pyproject.toml" | tr -d '"' | while read -r d; do
    case "$d" in tools/*) mkdir -p "$X/$d" ;; esac
done
printf "$PICKLE" > "$X/a.py"
run_in "$X" --show-settings a.py
check "the README's configuration example is a valid configuration" test "$RC" = 0 -a -s "$X/pyproject.toml"
run_in "$X" --isolated --show-settings a.py
default_rules=$(grep '^enabled-rules' "$WORK/out")
for code in $(sed -n 's/^extend-select *= *\[\(.*\)\].*/\1/p' "$X/pyproject.toml" | tr -d '", ' | tr ',' ' '); do
    check "README example: extend-select $code is not already on by default" \
        bash -c "! grep -q '\"$code\"' <<< '$default_rules'"
done

finish
