#!/bin/bash
# Versions (README "Versions", engine/versions.h): the projects of
# tests/corpus/deps and tests/corpus/versions scanned whole, each its own
# git root: findings judged against the versions the nearest dependency
# files allow (a lock wins over declarations), the finding on the
# dependency line only where the code makes the call (reachability), with
# the calls as related locations in text, JSON and SARIF; bad dependency
# files named with their line; assume-versions; the fix that needs
# torch >= 1.13; --explain.
set -u
. "$(dirname "$0")/lib.sh"
LOADLINT=$(cd "$(dirname "$LOADLINT")" && pwd)/$(basename "$LOADLINT") # runs from other directories

P=$WORK/p
mkdir -p "$P"
cp -r tests/corpus/deps/. tests/corpus/versions/. "$P/"
for d in "$P"/*/; do mkdir "$d.git"; done
scan() { # scan PROJECT ARGS... : text report in $WORK/<project>.txt, stderr in .err
    local p=$1
    shift
    (cd "$P/$p" && "$LOADLINT" --exit-zero "$@" . >"$WORK/$p.txt" 2>"$WORK/$p.err")
}
has() { grep -q -- "$2" "$WORK/$1.txt"; }
hasnt() { ! grep -q -- "$2" "$WORK/$1.txt"; }

# 1. each version case (requirements.txt)
scan req-pinned-below
check "pinned below: the call, every allowed version affected, the line to raise" \
    has req-pinned-below '^app.py:12:12: warning: .*CVE-2025-32434.*the project allows torch ==2.4.0 (requirements.txt:1), every one of them affected (<2.6); raise the floor to torch>=2.6.0 in requirements.txt:1 (>=2.10.0 also fixes CVE-2026-24747) \[LL206\]'
check "pinned below: the dependency line, reached by the call" \
    has req-pinned-below '^requirements.txt:1:1: warning: `torch==2.4.0` allows versions affected by CVE-2025-32434 .*at app.py:12 (1 call); raise the floor to torch>=2.6.0 \[LL206\]'
check "pinned below: numpy>=1.26 on line 2 is no finding" hasnt req-pinned-below '^requirements.txt:2:'
scan req-pinned-between
check "pinned between the fixes: CVE-2026-24747 only" \
    has req-pinned-between '^app.py:12:12: warning: .*CVE-2026-24747.*==2.6.0.*every one of them affected (<2.10).*\[LL206\]'
check "pinned between the fixes: not CVE-2025-32434" hasnt req-pinned-between 'CVE-2025-32434'
scan req-pinned-above
check "pinned above both fixes: no LL206 at all" hasnt req-pinned-above 'LL206'
scan req-range-straddling
check "a range straddling the fix: some allowed versions affected" \
    has req-range-straddling '^app.py:12:12: warning: .*the project allows torch >=2.0 (requirements.txt:1), some of them affected (<2.6); raise the floor to torch>=2.6.0 in requirements.txt:1'
check "a range straddling the fix: the dependency line" has req-range-straddling '^requirements.txt:1:1: warning: `torch>=2.0` allows versions'
scan req-range-above
check "a range above 2.6 and below 2.10: a note for CVE-2026-24747" \
    has req-range-above '^app.py:12:12: note: .*CVE-2026-24747.*some of them affected (<2.10)'
scan req-unpinned
check "unpinned torch: every version allowed, some affected" has req-unpinned '^app.py:12:12: warning: .*some of them affected (<2.6)'
scan no-file
check "no dependency file: the call is left alone, as without versions" hasnt no-file 'LL206'
check "no dependency file: the other findings as ever" has no-file '^app.py:17:.*\[LL101\]'
scan req-git
check "a git requirement states no version: unknown, left alone" hasnt req-git 'LL206'

# 2. each file format: the deciding line is the one reported
fmt() { # fmt PROJECT FILE:LINE WORD
    scan "$1"
    check "$1: the finding names $2" has "$1" "^app.py:12:12: .*$3 .*($2).*\[LL206\]"
    check "$1: the dependency line $2 is a finding" has "$1" "^$2:[0-9]*: .*at app.py:12 (1 call).*\[LL206\]"
}
fmt poetry-lock poetry.lock:4 'the project locks torch'
fmt uv-lock uv.lock:11 'the project locks torch'
fmt pipfile-lock Pipfile.lock:6 'the project locks torch'
fmt setupcfg setup.cfg:6 'the project allows torch'
fmt conda-env environment.yml:7 'the project allows torch'
fmt conda-pip environment.yml:6 'the project allows torch'
fmt pyproject-pep621 pyproject.toml:5 'the project allows torch'
fmt pyproject-poetry pyproject.toml:7 'the project allows torch'
check "poetry.lock wins over pyproject's ^2.1: no finding on pyproject.toml" hasnt poetry-lock '^pyproject.toml:'
check "uv.lock wins over [project] torch>=2.0: no finding on pyproject.toml" hasnt uv-lock '^pyproject.toml:'
scan req-includes
check "-r and -c: the include and the constraint together allow only affected versions" \
    has req-includes 'the project allows torch >=2.0, <2.6 (requirements/base.txt:1, constraints.txt:1), every one of them affected'
# files read only through -r / -c are not in the scan (their names are no
# dependency file's): the call's finding names their lines, they get none
check "-r and -c: the included files get no finding of their own" \
    sh -c "! grep -Eq '^(constraints.txt|requirements/base.txt):' '$WORK/req-includes.txt'"
scan uv-workspace
check "a workspace member is judged by the root's uv.lock" has uv-workspace '^member/app.py:12:12: .*the project locks torch'
check "the workspace lock line lists both calls" has uv-workspace '^uv.lock:9:.*at app.py:12, member/app.py:12 (2 calls)'
scan nested
check "nested: the nearest requirements.txt decides for service/" has nested '^service/worker.py:12:12: note: .*(service/requirements.txt:1)'
check "nested: the outer pin for app.py" has nested '^app.py:12:12: warning: .*(requirements.txt:1)'

# 3. reachability: a vulnerable pin without a call is no finding
scan no-call
check "vulnerable pins without a call: nothing on the dependency lines" hasnt no-call '^requirements.txt'
check "vulnerable pins without a call: no version finding" sh -c "! grep -Eq 'LL(116|206|306|506)' '$WORK/no-call.txt'"
scan old-pins
for spec in 'requirements.txt:2:1: .*`numpy==1.16.0`.*CVE-2019-6446.*at app.py:13, app.py:19 (2 calls).*\[LL116\]' \
    'requirements.txt:3:1: .*`pyyaml==5.3`.*CVE-2020-14343.*\[LL506\]' \
    'requirements.txt:4:1: .*`keras==3.8.0`.*CVE-2025-9905.*at app.py:39 (1 call).*\[LL306\]' \
    'requirements.txt:5:1: .*`torch==1.12.1`.*CVE-2025-32434.*\[LL206\]'; do
    check "old pins: $(echo "$spec" | cut -c1-24)" has old-pins "^$spec"
done
scan tensorflow-brings-keras
check "tensorflow>=2.16 brings Keras 3: the .h5 load is judged" \
    has tensorflow-brings-keras '^app.py:7:10: warning: .*the project allows keras >=3, brought by tensorflow (requirements.txt:2), some of them affected (<3.11.3); require keras>=3.11.3 \[LL306\]'
check "... and the tensorflow line asks for keras>=3.11.3 next to it" \
    has tensorflow-brings-keras '^requirements.txt:2:1: warning: `tensorflow>=2.16,<2.18` allows versions affected by CVE-2025-9905 .*require keras>=3.11.3 next to it \[LL306\]'
check "a conda alias (pytorch=2.4) is a pin of torch" has conda-env '^environment.yml:7:5: warning: `pytorch=2.4` allows .*raise the floor to torch>=2.6.0 \[LL206\]'
scan fixed-pins
check "the first fixed versions: no version finding, no dependency line" \
    sh -c "! grep -Eq 'LL(116|206|306|506)|^requirements' '$WORK/fixed-pins.txt'"
check "the first fixed versions: LL502 reports full_load as ever" has fixed-pins '^app.py:17:.*\[LL502\]'
scan old-pins --no-artifacts
check "--no-artifacts still reads the dependency files" has old-pins '^requirements.txt:5:1: .*\[LL206\]'
(cd "$P/old-pins" && "$LOADLINT" --exit-zero app.py >"$WORK/named.txt" 2>&1)
check "a file named alone is judged by the requirements.txt beside it" grep -q '^app.py:[0-9]*:12: .*\[LL206\]' "$WORK/named.txt"
check "... whose lines are not in the scan, so not reported" sh -c "! grep -q '^requirements.txt' '$WORK/named.txt'"

"$LOADLINT" --exit-zero -q --test-severity lower tests/corpus/versions/old-pins >"$WORK/lower.txt" 2>&1
check "test code, test-severity lower: the call graded one step down (error -> warning)" \
    grep -q '^tests/corpus/versions/old-pins/app.py:19:12: warning: .*\[LL116\]' "$WORK/lower.txt"
check "... and its dependency line once, not twice" \
    grep -q '^tests/corpus/versions/old-pins/requirements.txt:2:1: warning: .*\[LL116\]' "$WORK/lower.txt"

sed -i 's/weights_only=True)$/weights_only=True)  # loadlint: ignore[LL206]/' "$P/req-range-straddling/app.py"
scan req-range-straddling
check "a call suppressed by a comment reaches no dependency line" \
    sh -c "! grep -q 'LL206' '$WORK/req-range-straddling.txt'"

# 4. related locations: JSON and SARIF
(cd "$P/req-pinned-below" && "$LOADLINT" --exit-zero -f json . >"$WORK/j.json" 2>/dev/null)
check "JSON: the dependency line's related locations are the calls" "$PY" -c '
import json, sys
d = json.load(open(sys.argv[1]))
r = [x for x in d["results"] if x["path"] == "requirements.txt"]
assert len(r) == 1 and r[0]["rule_id"] == "LL206" and r[0]["flow"] == [], r
rel = r[0]["related"]
assert [(x["path"], x["start"]["line"]) for x in rel] == [("app.py", 12)], rel
assert all(x["related"] == [] for x in d["results"] if x["path"] != "requirements.txt")
' "$WORK/j.json"
(cd "$P/req-pinned-below" && "$LOADLINT" --exit-zero -f sarif . >"$WORK/s.sarif" 2>/dev/null)
check "SARIF: relatedLocations of the dependency line, no code flow" "$PY" -c '
import json, sys
d = json.load(open(sys.argv[1]))
res = d["runs"][0]["results"]
r = [x for x in res if x["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "requirements.txt"]
assert len(r) == 1 and r[0]["ruleId"].startswith("LL206"), r
rl = r[0]["relatedLocations"]
assert [(x["id"], x["physicalLocation"]["artifactLocation"]["uri"], x["physicalLocation"]["region"]["startLine"]) for x in rl] == [(1, "app.py", 12)], rl
assert "codeFlows" not in r[0] and "[app.py:12](1)" in r[0]["message"]["text"], r[0]
' "$WORK/s.sarif"
P7=$WORK/fallback
mkdir -p "$P7"
printf 'import pickle\nimport torch\n\n\ndef load(path):\n    try:\n        return torch.load(path, weights_only=True)\n    except pickle.UnpicklingError:\n        return torch.load(path, weights_only=False)\n' >"$P7/app.py"
(cd "$P7" && "$LOADLINT" --exit-zero . >"$WORK/fb.txt" 2>&1 && "$LOADLINT" --exit-zero -f sarif . >"$WORK/fb.sarif" 2>/dev/null)
check "the fallback: one finding, LL207, naming the safe load" \
    sh -c "grep -c 'app.py:9:' '$WORK/fb.txt' | grep -qx 1 && grep -q '^app.py:9:16: error: .*load at line 7 raises.*\[LL207\]' '$WORK/fb.txt'"
check "the fallback: SARIF relatedLocations is the safe load" "$PY" -c '
import json, sys
r = [x for x in json.load(open(sys.argv[1]))["runs"][0]["results"] if x["ruleId"] == "LL207"]
assert len(r) == 1 and [x["physicalLocation"]["region"]["startLine"] for x in r[0]["relatedLocations"]] == [7], r
' "$WORK/fb.sarif"

# 5. bad dependency files: a diagnostic naming file and line, no crash
for spec in 'broken-requirements requirements.txt:2:13' 'broken-poetry-lock poetry.lock:3:1' \
    'broken-environment environment.yml:4:5'; do
    set -- $spec
    scan "$1"
    check "$1: a diagnostic at $2" grep -q "$2: warning: " "$WORK/$1.err"
    check "$1: the scan goes on (LL101 reported)" has "$1" '\[LL101\]'
done
check "broken-poetry-lock: the declared range still judges the call" has broken-poetry-lock '^app.py:12:12: note: .*CVE-2026-24747'
printf 'torch>=2.0,<<3\n' >"$P/no-call/requirements.txt"
scan no-call
check "an unknown specifier is a diagnostic even where no call needs the file" grep -q 'requirements.txt:1:.*warning' "$WORK/no-call.err"

# 6. assume-versions, on the command line and in the configuration
scan no-file --assume-version torch==2.4.0
check "--assume-version torch==2.4.0 judges the call" has no-file '^app.py:11:12: warning: .*assume-versions says torch ==2.4.0'
printf '[tool.loadlint]\nassume-versions = {torch = "2.10.0"}\n' >"$P/req-pinned-below/pyproject.toml"
scan req-pinned-below
check "assume-versions in the configuration wins over requirements.txt" hasnt req-pinned-below 'LL206'

# 7. the fix that adds weights_only=True needs torch >= 1.13
F=$WORK/fix
mkdir -p "$F/.git"
printf 'import torch\n\n\ndef restore(model, path):\n    model.load_state_dict(torch.load(path))\n' >"$F/app.py"
printf 'torch==1.12.1\n' >"$F/requirements.txt"
(cd "$F" && "$LOADLINT" --exit-zero -f json . >"$WORK/fix_old.json" 2>/dev/null)
check "torch 1.12 pinned: no fix, and the reason says why" "$PY" -c '
import json, sys
r = [x for x in json.load(open(sys.argv[1]))["results"] if x["rule_id"] == "LL201"]
assert len(r) == 1 and r[0]["fix"]["applicability"] == "none" and ">=1.13" in r[0]["fix"]["reason"], r
' "$WORK/fix_old.json"
printf 'torch>=2.0\n' >"$F/requirements.txt"
(cd "$F" && "$LOADLINT" --exit-zero -f json . >"$WORK/fix_new.json" 2>/dev/null)
check "torch>=2.0: the fix is offered" "$PY" -c '
import json, sys
r = [x for x in json.load(open(sys.argv[1]))["results"] if x["rule_id"] == "LL201"]
assert len(r) == 1 and r[0]["fix"]["applicability"] == "safe", r
' "$WORK/fix_new.json"
rm "$F/requirements.txt"
(cd "$F" && "$LOADLINT" --exit-zero -f json . >"$WORK/fix_none.json" 2>/dev/null)
check "no torch version known: the fix is offered, as before" cmp -s <("$PY" -c 'import json,sys; print([x["fix"]["applicability"] for x in json.load(open(sys.argv[1]))["results"]])' "$WORK/fix_none.json") <(echo "['safe']")

# 8. --explain says how to pin
"$LOADLINT" --explain LL206 >"$WORK/explain.md"
check "--explain LL206: the ranges and how to state a version" \
    sh -c "grep -q '^## Versions' '$WORK/explain.md' && grep -q 'CVE-2025-32434' '$WORK/explain.md' && grep -q 'assume-versions = {torch' '$WORK/explain.md' && grep -q -- '--assume-version torch==' '$WORK/explain.md'"
finish
