#!/usr/bin/env bash
# Model files through the real CLI: `loadlint tests/corpus/artifacts` must
# report every finding tests/corpus/artifacts/expected.json (pickle family)
# and tests/corpus/artifacts/keras/expected.json (Keras, TensorFlow,
# safetensors, GGUF, ONNX) expect, under the rule that names the check
# (rules/*.json "match": {"artifact": [...]}), with its member chain,
# subject and severity, and nothing else: no finding on the files those
# lists give no finding (the benign ones). Then the same scan in every
# output format, rule selection (select / ignore / per-file-ignores),
# allowed-globals, `artifacts = false` / --no-artifacts, and the problems a
# model file can have (unreadable, LFS pointer, renamed).
#   bash tests/integration/artifacts.sh build/loadlint   (from the repository root)
set -u
. "$(dirname "$0")/lib.sh"

CORPUS=tests/corpus/artifacts
# test code would be graded one step down (test-severity): keep severities
printf 'test-severity = "keep"\n' >"$WORK/keep.toml"

run_rc "$LOADLINT" --config "$WORK/keep.toml" -f json --exit-zero "$CORPUS"
cp "$WORK/out" "$WORK/corpus.json"
cp "$WORK/err" "$WORK/corpus.err"
check "the corpus scan succeeds (exit 0 with --exit-zero)" test "$RC" = 0
check "no check lacks a rule (no 'internal' diagnostic)" bash -c "! grep -q 'internal' '$WORK/corpus.err'"

"$PY" - "$WORK/corpus.json" "$CORPUS" <<'PYEOF' >"$WORK/compare.txt" 2>&1
import collections, glob, json, os, sys

report = json.load(open(sys.argv[1]))
corpus = sys.argv[2]

# check -> rule codes, from the rule files
codes = collections.defaultdict(set)
for path in glob.glob("rules/*.json"):
    rule = json.load(open(path))
    for check in rule.get("match", {}).get("artifact", []):
        codes[check].add(rule["code"])

# what the readers' headers document as each check's severity (keras.h,
# hdf5.h, savedmodel.h, gguf.h, onnx.h, safetensors.h): the Keras list
# records checks and subjects only
KERAS_SEVERITY = {
    "keras-lambda": {"error"}, "keras-dangerous-target": {"error"},
    "keras-unsafe-deserialization": {"error"}, "keras-custom-object": {"warning"},
    "keras-savedmodel-layer": {"warning"}, "keras-file-reference": {"warning"},
    "keras-shared-object-mismatch": {"warning"}, "keras-h5-legacy": {"note"},
    "tf-python-op": {"error"}, "tf-file-write-op": {"error"}, "tf-file-read-op": {"warning"},
    "tf-network-op": {"warning"}, "tf-literal-path": {"warning"},
    "gguf-chat-template-injection": {"error"}, "onnx-external-data-path": {"error"},
    "onnx-external-data-key": {"warning"}, "onnx-custom-op-domain": {"note"},
    "malformed": {"warning"}, "limit": {"warning", "note"},
}

findings = report.get("findings", report.get("results"))
got = collections.defaultdict(list)  # path -> findings
for f in findings:
    got[f["path"]].append(f)

errors = []
listed = set()
expected_findings = 0
matched = set()

def match(path, want):
    """Takes the reported finding that `want` describes out of got[path].
    The run reports one finding per rule and byte range: a second reader
    finding of the same check and subject at the same place (a Lambda
    layer with bytecode in `function` and in `output_shape`) is the one
    already matched."""
    callee = want["subject"] if want["subject"] is not None else want["check"]
    for i, f in enumerate(got[path]):
        if (f["rule_id"] in codes[want["check"]] and f["members"] == want["members"]
                and f["callee"] == callee and f["severity"] in want["severity"] and f["bytes"] is not None):
            matched.add((path, f["rule_id"], tuple(f["members"]), callee))
            del got[path][i]
            return True
    return any((path, c, tuple(want["members"]), callee) in matched for c in codes[want["check"]])

# files the Keras reader test hands to a reader by their name, which the
# scan (claiming by bytes) rightly does not take for model files
NOT_MODEL_BYTES = {"h5/not_hdf5.h5"}  # text named .h5: no HDF5 signature

# the pickle family: severity, members and subject per finding
for entry in json.load(open(os.path.join(corpus, "expected.json")))["files"]:
    path = os.path.join(corpus, entry["path"])
    listed.add(path)
    for x in entry["findings"]:
        expected_findings += 1
        want = {"check": x["check"], "members": x["members"], "subject": x["subject"],
                "severity": {x["severity"]}}
        if not codes[x["check"]]:
            errors.append("no rule names the check %s" % x["check"])
        elif not match(path, want):
            errors.append("MISSING %s: %s %s %s %s" % (path, x["check"], x["severity"], x["members"], x["subject"]))

# the Keras and safe-format readers: checks and subjects, per member for .keras zips
kdir = os.path.join(corpus, "keras")
for rel, entry in json.load(open(os.path.join(kdir, "expected.json")))["files"].items():
    path = os.path.join(kdir, rel)
    listed.add(path)
    if rel in NOT_MODEL_BYTES:
        continue  # and it must have no finding (below)
    parts = [([m], e) for m, e in entry["members"].items()] if "members" in entry else [([], entry)]
    for members, e in parts:
        for check, subject in e["checks"]:
            expected_findings += 1
            want = {"check": check, "members": members, "subject": subject,
                    "severity": KERAS_SEVERITY.get(check, set())}
            if not codes[check]:
                errors.append("no rule names the check %s" % check)
            elif not match(path, want):
                errors.append("MISSING %s: %s %s %s" % (path, check, members, subject))

# nothing else: no extra finding, and none on a file the lists give none
for path, rest in sorted(got.items()):
    for f in rest:
        errors.append("EXTRA %s: %s %s %s %s" % (path, f["rule_id"], f["severity"], f["members"], f["message"]))

# every file of the corpus is listed in one of the two
for root, _, names in os.walk(corpus):
    for n in names:
        p = os.path.join(root, n)
        if n != "expected.json" and p not in listed:
            errors.append("UNLISTED %s (add it to an expected.json)" % p)

print("%d expected findings, %d reported" % (expected_findings, len(findings)))
for e in errors:
    print(e)
sys.exit(1 if errors else 0)
PYEOF
RC=$?
check "every expected model-file finding, with rule, members, subject and severity; nothing else" test "$RC" = 0
[ "$RC" = 0 ] || cat "$WORK/compare.txt"
head -1 "$WORK/compare.txt"

# ---- output formats ---------------------------------------------------
run_rc "$LOADLINT" --config "$WORK/keep.toml" "$CORPUS/malicious/torch_zip_data_pkl.pt" "$CORPUS/malicious/os_system_proto0.pkl"
check "text: path:member:@offset: severity: message [CODE]" \
    grep -Eq '^tests/corpus/artifacts/malicious/torch_zip_data_pkl\.pt:[^:]+/data\.pkl:@[0-9]+: error: code-execution import in a model file \(pytorch-zip\): .*\[LL910\]$' "$WORK/out"
check "text: a finding outside archive members is path:@offset" \
    grep -Eq '^tests/corpus/artifacts/malicious/os_system_proto0\.pkl:@[0-9]+: error: .*\[LL910\]$' "$WORK/out"
check "exit status 1 with model-file findings" test "$RC" = 1

run_rc "$LOADLINT" --config "$WORK/keep.toml" -f sarif "$CORPUS/malicious/npz_in_zip.zip"
"$PY" - "$WORK/out" <<'PYEOF'
import json, sys
run = json.load(open(sys.argv[1]))["runs"][0]
res = [r for r in run["results"] if r["ruleId"] == "LL910"]
assert res, "no LL910 result"
r = res[0]
loc = r["locations"][0]["physicalLocation"]
assert loc["artifactLocation"]["uri"].endswith("npz_in_zip.zip"), loc
assert loc["region"]["startLine"] == 1, loc
rel = r["relatedLocations"][0]["physicalLocation"]
assert "byteOffset" in rel["region"] and "byteLength" in rel["region"], rel
arts = run["artifacts"]
inner = arts[rel["artifactLocation"]["index"]]
assert inner["location"]["uri"] == "evil.npy", inner
mid = arts[inner["parentIndex"]]
assert mid["location"]["uri"] == "weights/inner.npz", mid
assert "parentIndex" in mid and "parentIndex" not in arts[mid["parentIndex"]], arts
rules = {x["id"]: x for x in run["tool"]["driver"]["rules"]}
assert rules["LL910"]["properties"]["security-severity"] == "9.8"
PYEOF
check "sarif: byte range in the innermost member, members as nested artifacts (parentIndex)" test $? = 0

run_rc "$LOADLINT" --config "$WORK/keep.toml" -f json "$CORPUS/malicious/npz_in_zip.zip"
"$PY" - "$WORK/out" <<'PYEOF'
import json, sys
doc = json.load(open(sys.argv[1]))
f = [x for x in doc.get("findings", doc.get("results")) if x["rule_id"] == "LL910"][0]
assert f["members"] == ["weights/inner.npz", "evil.npy"], f["members"]
assert f["bytes"]["offset"] > 0 and f["bytes"]["length"] > 0, f["bytes"]
assert f["callee"] == "posix.system", f["callee"]
assert f["start"]["line"] == 1, f
PYEOF
check "json: bytes {offset, length}, members, the import as callee" test $? = 0

# ---- selection ---------------------------------------------------------
run_rc "$LOADLINT" --config "$WORK/keep.toml" --ignore LL910 "$CORPUS/malicious/os_system_proto0.pkl"
check "--ignore LL910 drops the model-file finding" bash -c "! grep -q LL910 '$WORK/out' && [ $RC = 0 ]"
run_rc "$LOADLINT" --config "$WORK/keep.toml" --select LL911 "$CORPUS/malicious/build_global_mutation.pkl"
check "--select LL911 keeps LL911 only" bash -c "grep -q LL911 '$WORK/out' && ! grep -q LL914 '$WORK/out'"
mkdir -p "$WORK/pfi/models"
cp "$CORPUS/malicious/os_system_proto0.pkl" "$WORK/pfi/models/a.pkl"
cp "$CORPUS/malicious/os_system_proto0.pkl" "$WORK/pfi/models/b.pkl"
printf '[tool.loadlint.per-file-ignores]\n"models/a.pkl" = ["LL9"]\n' >"$WORK/pfi/pyproject.toml"
run_rc "$LOADLINT" "$WORK/pfi"
check "per-file-ignores applies to model files" \
    bash -c "grep -q 'models/b.pkl.*LL910' '$WORK/out' && ! grep -q 'models/a.pkl' '$WORK/out'"

# ---- allowed-globals -----------------------------------------------------
mkdir -p "$WORK/allow/models"
# protocol 0: import mypkg.MyClass, call it with no arguments
printf 'cmypkg\nMyClass\n(tR.' >"$WORK/allow/models/obj.pkl"
cp "$CORPUS/keras/config/custom_object.json" "$WORK/allow/models/config.json"
run_rc "$LOADLINT" --isolated "$WORK/allow"
check "an import outside the allow-list is LL911" grep -q 'obj.pkl:@0: warning: import outside the pickle allow-list.*mypkg.MyClass.*\[LL911\]' "$WORK/out"
check "a Keras custom object is LL932" grep -q 'config.json:@[0-9]*: warning: .*my_pkg.layers.MyLayer.*\[LL932\]' "$WORK/out"
printf '[tool.loadlint]\nallowed-globals = ["mypkg.MyClass", "my_pkg.layers.*"]\n' >"$WORK/allow/pyproject.toml"
run_rc "$LOADLINT" "$WORK/allow"
check "allowed-globals allows the pickle global" bash -c "! grep -q 'obj.pkl' '$WORK/out'"
check "allowed-globals allows the Keras custom object (module.*)" bash -c "! grep -q 'my_pkg.layers.MyLayer' '$WORK/out'"
check "... not the others (__main__.my_activation)" grep -q '__main__.my_activation.*\[LL932\]' "$WORK/out"
printf '[tool.loadlint]\nallowed-globals = ["mypkg.*"]\n' >"$WORK/allow/pyproject.toml"
run_rc "$LOADLINT" "$WORK/allow"
check "allowed-globals module.* allows mypkg.MyClass" bash -c "! grep -q 'obj.pkl' '$WORK/out'"
printf '[tool.loadlint]\nallowed-globals = ["os.*"]\n' >"$WORK/allow/pyproject.toml"
cp "$CORPUS/malicious/os_system_proto0.pkl" "$WORK/allow/models/evil.pkl"
run_rc "$LOADLINT" "$WORK/allow"
check "allowed-globals cannot allow a code-execution callable" grep -q 'evil.pkl:@[0-9]*: error: .*\[LL910\]' "$WORK/out"

# ---- on / off ------------------------------------------------------------
run_rc "$LOADLINT" --no-artifacts "$WORK/pfi"
check "--no-artifacts: no model-file finding" bash -c "! grep -q 'LL9' '$WORK/out' && [ $RC = 0 ]"
printf '[tool.loadlint]\nartifacts = false\n' >"$WORK/pfi/pyproject.toml"
run_rc "$LOADLINT" "$WORK/pfi"
check "artifacts = false: no model-file finding" bash -c "! grep -q 'LL9' '$WORK/out' && [ $RC = 0 ]"
run_rc "$LOADLINT" "$WORK/pfi/models/b.pkl"
check "artifacts = false: a file named on the command line is not read as a model file" \
    bash -c "! grep -q 'LL9' '$WORK/out'"

# ---- problems -------------------------------------------------------------
mkdir -p "$WORK/bad"
cp "$CORPUS/malicious/os_system_proto0.pkl" "$WORK/bad/locked.pkl"
chmod 000 "$WORK/bad/locked.pkl"
if [ "$(id -u)" != 0 ]; then
    run_rc "$LOADLINT" "$WORK/bad/locked.pkl"
    check "an unreadable model file is a diagnostic naming it (exit 2)" \
        bash -c "[ $RC = 2 ] && grep -q 'locked.pkl' '$WORK/err'"
fi
chmod 600 "$WORK/bad/locked.pkl"
run_rc "$LOADLINT" --isolated "$CORPUS/benign/lfs_pointer.bin"
check "a Git LFS pointer is reported as not scanned, never clean" \
    grep -q 'lfs_pointer.bin:@0: .*not scanned: a Git LFS pointer.*\[LL924\]' "$WORK/out"
run_rc "$LOADLINT" --isolated "$CORPUS/malicious/renamed"
check "a pickle renamed .safetensors / .bin / .txt is read as a pickle" \
    bash -c "[ \$(grep -c 'LL910' '$WORK/out') = 3 ]"
printf 'just text, named like a model\n' >"$WORK/bad/weights.pkl"
printf 'PK\003\004 not really a zip' >"$WORK/bad/broken.pt"
run_rc "$LOADLINT" --isolated "$WORK/bad"
check "a text file named .pkl is not a model file" bash -c "! grep -q 'weights.pkl' '$WORK/out'"
check "a truncated zip is reported unscannable (LL923)" grep -q 'broken.pt:@[0-9]*: warning: model file not fully scanned.*\[LL923\]' "$WORK/out"

# the code that loads a model file, joined with it: the path built from
# literals as Python builds it (os.path.join, pathlib, +), and not when a
# part is not a literal
mkdir -p "$WORK/joined/models"
cp "$CORPUS/malicious/posix_system_proto2.pkl" "$WORK/joined/models/x.pt"
printf 'import os\nimport sys\nfrom pathlib import Path\n\nimport torch\n\nA = torch.load(os.path.join("models", "x.pt"))\nB = torch.load(Path("models") / "x.pt")\nC = torch.load("models/" + "x.pt")\nD = torch.load(Path("models", "x.pt"))\nE = torch.load(os.path.join("models", sys.argv[1]))\n' >"$WORK/joined/app.py"
(cd "$WORK/joined" && "$LOADLINT" --no-cache --exit-zero app.py models >"$WORK/out" 2>"$WORK/err")
check "os.path.join, Path / , + and Path(a, b) of literals: joined with the malicious model file" \
    bash -c "[ \$(grep -c '^app.py:\(7\|8\|9\|10\):.*models/x.pt .*is malicious' '$WORK/out') = 4 ]"
check "... not when a part comes from elsewhere (argv)" bash -c "! grep -q '^app.py:11:.*is malicious' '$WORK/out'"

finish
