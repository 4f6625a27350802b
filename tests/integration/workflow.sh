#!/bin/bash
# Suppressions, baselines, GitHub annotations and statistics through the CLI.
set -u
. "$(dirname "$0")/lib.sh"
cd "$WORK"

# --- inline suppressions -------------------------------------------------
cat > sup.py <<'X'
import pickle
import torch
import yaml

a = pickle.loads(x)  # loadlint: ignore[LL101]
b = torch.load(  # loadlint: ignore[LL201]
    path,
)
c = torch.load(
    path,  # loadlint: ignore[LL201]
)
d = torch.load(
    path,
)  # loadlint: ignore[LL201]
e = pickle.loads(x)  # nosec B301
f = pickle.loads(x)  # noqa: S301
g = yaml.load(s)  # noqa: S506
h = pickle.loads(x)  # loadlint: ignore[LL201]
i = pickle.loads(x)
X
run_rc "$LOADLINT" sup.py
check "suppressed findings are not reported" diff -u - out <<'X'
sup.py:18:5: warning: `pickle.loads` unpickles its input, which runs any code the data asks for [LL101]
sup.py:19:5: warning: `pickle.loads` unpickles its input, which runs any code the data asks for [LL101]
X
check "suppressed findings are counted on stderr" grep -q "; 7 suppressed" err
run_rc "$LOADLINT" --report-unused-suppressions sup.py
check "an ignore that matches nothing is reported when asked" \
    grep -q "sup.py:18:.*unused suppression: ignore\[LL201\]" err
printf '[tool.loadlint]\nhonor-noqa = false\n' > pyproject.toml
run_rc "$LOADLINT" sup.py
check "honor-noqa = false makes nosec/noqa count for nothing" test "$(wc -l < out)" = 5
rm pyproject.toml
printf '# loadlint: ignore-file[LL101]\nimport pickle\npickle.loads(x)\n' > whole.py
run_rc "$LOADLINT" whole.py
check "ignore-file suppresses the whole file" test "$RC" = 0
"$LOADLINT" -f sarif sup.py > sup.sarif 2>/dev/null
check "suppressed findings are left out of SARIF" "$PY" -c '
import json,sys; r=json.load(open(sys.argv[1]))["runs"][0]["results"]; sys.exit(0 if len(r)==2 else 1)' sup.sarif
"$LOADLINT" -f sarif --sarif-include-suppressed sup.py > supall.sarif 2>/dev/null
check "--sarif-include-suppressed adds them as suppressed" "$PY" -c '
import json,sys; r=json.load(open(sys.argv[1]))["runs"][0]["results"]
s=[x for x in r if x.get("suppressions")]
sys.exit(0 if len(r)==9 and len(s)==7 and s[0]["suppressions"][0]["kind"]=="inSource" else 1)' supall.sarif

# --- baselines (integrations.md R-C4) -----------------------------------
printf 'import pickle\npickle.loads(x)\n' > base.py
run_rc "$LOADLINT" --write-baseline base.json base.py
check "--write-baseline writes the baseline and exits 0 (issue 15)" test "$RC" = 0 -a -s base.json
check "... printing no report, and saying what it wrote" \
    bash -c "[ ! -s out ] && grep -q 'wrote 1 finding to the baseline base.json' err"
RC=0
"$LOADLINT" --write-baseline base2.json base.py >/dev/null 2>&1 && git_add_ran=yes || git_add_ran=no
check "loadlint --write-baseline b.json . && git add b.json runs the second command" test "$git_add_ran" = yes
run_rc "$LOADLINT" --write-baseline base3.json base.py missing.py
check "--write-baseline with an unreadable path exits 2 (the baseline may lack findings)" test "$RC" = 2
run_rc "$LOADLINT" --baseline base.json base.py
check "a baselined finding is not reported" test "$RC" = 0 -a ! -s out
printf 'import pickle\npickle.loads(x)\npickle.loads(x)\n' > base.py
run_rc "$LOADLINT" --baseline base.json base.py
check "a duplicated line gives exactly one new finding" test "$RC" = 1 -a "$(wc -l < out)" = 1
printf 'import pickle\n\n\n\n\n\n\n\n\n\n\npickle.loads(x)\n' > base.py
run_rc "$LOADLINT" --baseline base.json base.py
check "moving the finding 10 lines down keeps it known" test "$RC" = 0
check "the baseline count is on stderr" grep -q "1 in the baseline" err
check "a baseline that matches is not warned about" bash -c "! grep -q 'matches none' err"
mkdir -p elsewhere
cp base.py elsewhere/
run_rc "$LOADLINT" --baseline base.json elsewhere/base.py
check "a baseline that matches nothing (other paths) gets a warning, and the finding is reported" \
    bash -c "[ $RC = 1 ] && grep -q 'warning: the baseline base.json matches none of the findings (it holds 1)' err"
printf 'x = 1\n' > fixed.py
run_rc "$LOADLINT" --baseline base.json fixed.py
check "... also when everything it lists is fixed (exit 0)" \
    bash -c "[ $RC = 0 ] && grep -q 'baseline base.json matches none' err"
printf '{"version": 1, "findings": [' > bad.json
run_rc "$LOADLINT" --baseline bad.json base.py
check "a malformed baseline exits 2 naming the file" bash -c "[ $RC = 2 ] && grep -q 'bad.json:1:' err"

# --- GitHub workflow commands and statistics ------------------------------
mkdir -p 'src'
printf 'import pickle\npickle.loads(x)\n' > 'src/a,b:c.py'
run_rc "$LOADLINT" -f github 'src/a,b:c.py'
check "--format github escapes file names as actions/toolkit does" \
    grep -q '^::warning file=src/a%2Cb%3Ac.py,line=2,col=1,endLine=2,endColumn=16,title=LL101' out
run_rc "$LOADLINT" --statistics sup.py base.py
check "--statistics counts per rule" grep -qP '^3\tLL101\tpickle-load$' out
run_rc "$LOADLINT" --statistics -f json sup.py
check "--statistics -f json is JSON" "$PY" -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if d[0]["code"]=="LL101" else 1)' out

# --- SARIF result cap: at most 25,000, the most severe first ------------------
"$PY" - <<'X'
with open("many.py", "w") as f:
    f.write("import pickle, sys\n")
    for i in range(25000):
        f.write("pickle.loads(x)\n")
    f.write("pickle.loads(sys.argv[1])\n")
X
run_rc "$LOADLINT" -f sarif --max-findings-per-file 30000 -o many.sarif many.py
check "SARIF is capped at 25,000 results with a warning" grep -q "holds the 25000 most severe of 25001" err
check "the capped SARIF keeps the most severe result" "$PY" -c '
import json,sys
run=json.load(open(sys.argv[1]))["runs"][0]
lv=[r["level"] for r in run["results"]]
notes=run["invocations"][0]["toolExecutionNotifications"]
sys.exit(0 if len(lv)==25000 and lv.count("error")==1 and any("left out" in n["message"]["text"] for n in notes) else 1)' many.sarif

finish
