#!/bin/bash
# action.yml (the composite GitHub Action): its shape, and its "Run loadlint"
# step executed as the runner would (bash --noprofile --norc -eo pipefail, the
# step's env with ${{ }} expressions resolved, GITHUB_OUTPUT a file), with the
# built binary standing in for the build step's output. The install and build
# steps are only syntax-checked here (they need apt and a fresh build).
set -u
. "$(dirname "$0")/lib.sh"
ROOT=$PWD

check "action.yml is a composite action with the documented inputs" "$PY" - "$ROOT/action.yml" <<'EOF'
import sys, yaml
a = yaml.safe_load(open(sys.argv[1]))
ins = a["inputs"]
want = {"path": ".", "output": "loadlint.sarif", "category": "loadlint", "args": ""}
ok = a["runs"]["using"] == "composite" and all(ins[k].get("default") == v for k, v in want.items())
ok = ok and all(ins[k].get("description") for k in ins)
ok = ok and set(a["outputs"]) == {"sarif-file", "exit-code"}
steps = a["runs"]["steps"]
ok = ok and all(s.get("shell") == "bash" and s.get("run") for s in steps)
run = [s for s in steps if s.get("id") == "run"][0]
ok = ok and "--format sarif --output" in run["run"] and "${{" not in run["run"]
ok = ok and any("apt-get install" in s["run"] for s in steps)
ok = ok and any("cmake -S" in s["run"] and "cmake --build" in s["run"] for s in steps)
sys.exit(0 if ok else 1)
EOF

# every step's script parses
"$PY" - "$ROOT/action.yml" "$WORK" <<'EOF'
import sys, yaml
a = yaml.safe_load(open(sys.argv[1]))
for i, s in enumerate(a["runs"]["steps"]):
    open(f"{sys.argv[2]}/step{i}.sh", "w").write(s["run"])
EOF
check "every step's script is valid bash" bash -c "for f in '$WORK'/step*.sh; do bash -n \"\$f\" || exit 1; done"

# run_step NAME PATH OUTPUT CATEGORY ARGS: runs the run step in $WORK/ws; sets RC
run_step() {
    "$PY" - "$ROOT/action.yml" "$WORK/step.sh" "$WORK/step.env" "$LOADLINT" "$2" "$3" "$4" "$5" <<'EOF'
import re, shlex, sys, yaml
action, script, envfile, binary, path, output, category, args = sys.argv[1:]
a = yaml.safe_load(open(action))
step = [s for s in a["runs"]["steps"] if s.get("id") == "run"][0]
values = {"inputs.path": path, "inputs.output": output, "inputs.category": category,
          "inputs.args": args, "steps.build.outputs.bin": binary}
def resolve(v):
    return re.sub(r"\$\{\{\s*([^}]+?)\s*\}\}", lambda m: values[m.group(1)], str(v))
open(script, "w").write(step["run"])
with open(envfile, "w") as f:
    for k, v in step.get("env", {}).items():
        f.write(f"export {k}={shlex.quote(resolve(v))}\n")
EOF
    : > "$WORK/github_output"
    RC=0
    (cd "$WORK/ws" && . "$WORK/step.env" && GITHUB_OUTPUT="$WORK/github_output" \
        bash --noprofile --norc -eo pipefail "$WORK/step.sh") > "$WORK/out" 2> "$WORK/err" || RC=$?
}

mkdir -p "$WORK/ws/app" "$WORK/ws/lib" "$WORK/ws/clean"
printf 'import pickle\n\ndef f(b):\n    return pickle.loads(b)\n' > "$WORK/ws/app/a.py"
printf 'import yaml\nyaml.load(open(p))\n' > "$WORK/ws/lib/b.py"
printf 'import json\njson.loads("{}")\n' > "$WORK/ws/clean/c.py"

run_step findings "app lib" "results.sarif" "py-scan" ""
check "findings: the step succeeds so the upload can run" test "$RC" = 0
check "findings: exit-code=1 and sarif-file in GITHUB_OUTPUT" \
    bash -c "grep -qx 'exit-code=1' '$WORK/github_output' && grep -qx 'sarif-file=results.sarif' '$WORK/github_output'"
check "findings: the SARIF has both files' results and the category" "$PY" - "$WORK/ws/results.sarif" <<'EOF'
import json, sys
run = json.load(open(sys.argv[1]))["runs"][0]
uris = sorted(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"])
sys.exit(0 if uris == ["app/a.py", "lib/b.py"] and run["automationDetails"]["id"] == "py-scan/" else 1)
EOF

run_step clean "clean" "clean.sarif" "loadlint" "--exit-zero -j 2"
check "clean: exit-code=0, extra args passed" \
    bash -c "[ '$RC' = 0 ] && grep -qx 'exit-code=0' '$WORK/github_output' && test -s '$WORK/ws/clean.sarif'"
check "clean: SARIF results are empty" "$PY" -c \
    'import json,sys; sys.exit(0 if json.load(open(sys.argv[1]))["runs"][0]["results"]==[] else 1)' "$WORK/ws/clean.sarif"

run_step error "." "bad.sarif" "loadlint" "--no-such-flag"
check "usage error: the step fails with loadlint's status 2" test "$RC" = 2
check "usage error: an ::error annotation explains it" grep -q '^::error title=loadlint::' "$WORK/out"

run_step default "" "def.sarif" "loadlint" ""
check "empty path input scans the workspace" \
    bash -c "[ '$RC' = 0 ] && grep -qx 'exit-code=1' '$WORK/github_output'"

finish
