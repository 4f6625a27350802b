#!/bin/bash
# The corpus's SARIF through real validators (SARIF 2.1.0 JSON schema with
# URI formats, ajv, and Sarif.Multitool's "Sarif;Gh" rules) plus the GitHub
# ingestion rules checked field by field.
set -u
. "$(dirname "$0")/lib.sh"

# tests/corpus is test code (test-paths): keep its grades, to see all three
run_rc "$LOADLINT" --test-severity keep -f sarif -o "$WORK/corpus.sarif" tests/corpus
check "corpus scan exits 1 (findings)" test "$RC" = 1
check "validators accept the corpus SARIF" bash tests/tools/sarif-validate.sh "$WORK/corpus.sarif"

# A clean run still lists every enabled rule and an empty results array.
printf 'import json\n' > "$WORK/clean.py"
"$LOADLINT" -f sarif "$WORK/clean.py" > "$WORK/clean.sarif" 2>/dev/null
check "validators accept a clean run's SARIF" bash tests/tools/sarif-validate.sh "$WORK/clean.sarif"

# File names that need percent-encoding.
mkdir -p "$WORK/enc/sub dir"
printf 'import pickle\npickle.loads(x)\n' > "$WORK/enc/sub dir/my model%#é.py"
(cd "$WORK/enc" && "$LOADLINT" -f sarif . > "$WORK/enc.sarif" 2>/dev/null)
check "validators accept percent-encoded URIs" bash tests/tools/sarif-validate.sh "$WORK/enc.sarif"
check "URI is relative and percent-encoded" "$PY" -c '
import json,sys
r=json.load(open(sys.argv[1]))["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
sys.exit(0 if r=={"uri":"sub%20dir/my%20model%25%23%C3%A9.py","uriBaseId":"%SRCROOT%"} else 1)' "$WORK/enc.sarif"

check "GitHub ingestion rules hold field by field" "$PY" - "$WORK/corpus.sarif" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
assert doc["version"] == "2.1.0" and len(doc["runs"]) == 1
run = doc["runs"][0]
rules = run["tool"]["driver"]["rules"]
assert len(rules) >= 28, len(rules)
for r in rules:
    assert r["help"]["text"] and r["help"]["markdown"], r["id"]
    assert r["shortDescription"]["text"] and r["fullDescription"]["text"], r["id"]
    assert len(r["fullDescription"]["text"]) <= 1024
    tags = r["properties"]["tags"]
    assert "security" in tags and any(t.startswith("external/cwe/cwe-") for t in tags), (r["id"], tags)
    assert len(tags) <= 10
    assert 0 < float(r["properties"]["security-severity"]) <= 10
    assert r["properties"]["precision"] in ("very-high", "high", "medium", "low")
    assert "helpUri" not in r or r["helpUri"].startswith("https://")
assert run["columnKind"] == "unicodeCodePoints"
# GitHub reads security-severity from the descriptor only: a result uses
# the descriptor of its grade, and a note never looks Critical
ids = [r["id"] for r in rules]
assert len(ids) == len(set(ids)), "descriptor ids are unique"
levels = set()
for res in run["results"]:
    d = rules[res["ruleIndex"]]
    sev = float(d["properties"]["security-severity"])
    levels.add(res["level"])
    if res["level"] == "note":
        assert sev < 4.0, (res["ruleId"], sev)
    elif res["level"] == "warning":
        assert sev < 7.0 or d["id"] == res["ruleId"].split("/")[0], (res["ruleId"], sev)
    if "/" in res["ruleId"]:
        base, grade = res["ruleId"].split("/")
        assert grade == res["level"] and base in ids, res["ruleId"]
        assert d["properties"]["loadlint/rule"] == base
    assert res["properties"]["loadlint/context"] in ("library", "test", "example")
assert {"note", "warning", "error"} <= levels, levels
assert run["automationDetails"]["id"] == "loadlint/"
assert run["results"], "no results"
for res in run["results"]:
    assert rules[res["ruleIndex"]]["id"] == res["ruleId"]
    assert res["level"] in ("note", "warning", "error")
    assert res["message"]["text"]
    assert len(res["locations"]) == 1
    pl = res["locations"][0]["physicalLocation"]
    assert pl["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
    assert not pl["artifactLocation"]["uri"].startswith("/")
    reg = pl["region"]
    assert {"startLine", "startColumn", "endLine", "endColumn"} <= reg.keys()
    assert (reg["endLine"], reg["endColumn"]) > (reg["startLine"], reg["startColumn"])
    assert "primaryLocationLineHash" not in res.get("partialFingerprints", {})
PY

# A two-function, two-file data flow, step by step: request data in
# server.py passed to loaders.load_blob(), which unpickles it.
(cd tests/corpus/dataflow && "$LOADLINT" -f sarif xmod > "$WORK/xmod.sarif" 2>/dev/null)
check "validators accept cross-file code flows" bash tests/tools/sarif-validate.sh "$WORK/xmod.sarif"
check "cross-file code flow goes source -> call -> parameter -> sink" "$PY" - "$WORK/xmod.sarif" <<'PY'
import json, sys
run = json.load(open(sys.argv[1]))["runs"][0]
res = [r for r in run["results"] if r["ruleId"] == "LL101"]
assert len(res) == 1, res
r = res[0]
loc = r["locations"][0]["physicalLocation"]
assert loc["artifactLocation"]["uri"] == "xmod/loaders.py" and loc["region"]["startLine"] == 10
assert r["level"] == "error"
steps = [(l["location"]["physicalLocation"]["artifactLocation"]["uri"],
          l["location"]["physicalLocation"]["region"]["startLine"],
          l["location"]["message"]["text"])
         for l in r["codeFlows"][0]["threadFlows"][0]["locations"]]
want = [("xmod/server.py", 12, "untrusted source flask.request.args"),
        ("xmod/server.py", 12, "flows into request.args[\"p\"]"),
        ("xmod/server.py", 12, "passed to xmod.loaders.load_blob() as path"),
        ("xmod/loaders.py", 8, "passed through open(): path"),
        ("xmod/loaders.py", 8, "assigned to fh: open(path, \"rb\")"),
        ("xmod/loaders.py", 10, "flows into fh"),
        ("xmod/loaders.py", 10, "reaches pickle.load")]
assert steps == want, steps
rel = r["relatedLocations"][0]
assert rel["id"] == 1 and rel["physicalLocation"]["artifactLocation"]["uri"] == "xmod/server.py"
assert "[the untrusted source](1)" in r["message"]["text"]
assert "flask.request.args" in r["message"]["text"]
PY

run_rc "$LOADLINT" -f sarif --sarif-category backend tests/corpus/LL101-pickle-load.py
check "--sarif-category sets automationDetails.id" "$PY" -c '
import json,sys; sys.exit(0 if json.load(open(sys.argv[1]))["runs"][0]["automationDetails"]["id"]=="backend/" else 1)' "$WORK/out"

finish
