#!/bin/bash
# The published pre-commit hook (.pre-commit-hooks.yaml) with Debian's real
# pre-commit, offline (integrations.md §2.3): the manifest validates; a hook
# repository made from it, with the built binary's directory on PATH, blocks a
# commit with a finding and passes a clean one; `run --all-files` and `--files`
# work; 300 files (several parallel loadlint processes) give whole lines only.
set -u
. "$(dirname "$0")/lib.sh"
ROOT=$PWD
BIN_DIR=$(cd "$(dirname "$LOADLINT")" && pwd)

if ! command -v pre-commit >/dev/null 2>&1 || ! command -v git >/dev/null 2>&1; then
    echo "not ok - pre-commit and git are needed (apt-get install -y pre-commit git)"
    exit 1
fi
if [ "$(basename "$LOADLINT")" != loadlint ]; then
    echo "not ok - the binary must be named loadlint (the hook's entry runs 'loadlint')"
    exit 1
fi

# an isolated, offline environment: no user git config or hooks, a private cache
export HOME=$WORK/home PRE_COMMIT_HOME=$WORK/cache PATH="$BIN_DIR:$PATH"
export GIT_CONFIG_NOSYSTEM=1 GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.invalid
export GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@example.invalid
unset PRE_COMMIT_COLOR GIT_DIR GIT_WORK_TREE
mkdir -p "$HOME"
git config --global init.defaultBranch main
git config --global advice.detachedHead false

run_rc pre-commit validate-manifest "$ROOT/.pre-commit-hooks.yaml"
check "pre-commit validate-manifest accepts .pre-commit-hooks.yaml" test "$RC" = 0

check "the manifest publishes the hook as designed" "$PY" - "$ROOT/.pre-commit-hooks.yaml" <<'EOF'
import sys, yaml
hooks = yaml.safe_load(open(sys.argv[1]))
h = {x["id"]: x for x in hooks}["loadlint"]
want = {"entry": "loadlint --force-exclude", "language": "system",
        "types_or": ["python", "pyi"], "require_serial": False}
bad = {k: h.get(k) for k, v in want.items() if h.get(k) != v}
if bad or not h.get("description") or not h.get("name"):
    print(bad); sys.exit(1)
EOF

# --- the hook repository, made from this repository's manifest ---------------------------------
HOOKS=$WORK/hookrepo
mkdir -p "$HOOKS"
cp "$ROOT/.pre-commit-hooks.yaml" "$HOOKS/"
check "the binary has the manifest entry's --force-exclude" \
    bash -c "'$LOADLINT' --help | grep -q -- --force-exclude"
(cd "$HOOKS" && git init -q && git add -A && git commit -qm hooks)
REV=$(git -C "$HOOKS" rev-parse HEAD)

# --- a project using it ------------------------------------------------------------------------------
P=$WORK/proj
mkdir -p "$P/pkg"
cd "$P" || exit 1
git init -q
printf 'import pickle\n\ndef handle(blob):\n    return pickle.loads(blob)\n' > "$WORK/bad.py"
printf 'import json\n\ndef load(text):\n    return json.loads(text)\n' > good.py
printf 'import json\nx: int\n' > pkg/types.pyi
printf 'pickle.loads(blob)\n' > notes.txt # not Python: never passed to the hook
cat > .pre-commit-config.yaml <<EOF
repos:
- repo: $HOOKS
  rev: $REV
  hooks:
  - id: loadlint
EOF
run_rc pre-commit validate-config .pre-commit-config.yaml
check "pre-commit validate-config accepts a config using the hook" test "$RC" = 0

run_rc pre-commit install
check "pre-commit install" test "$RC" = 0
git add -A
run_rc git commit -qm clean
check "a clean commit passes the hook" test "$RC" = 0
check "the clean commit was made" test "$(git rev-list --count HEAD 2>/dev/null)" = 1

cp "$WORK/bad.py" pkg/bad.py
git add pkg/bad.py
run_rc git commit -qm bad
check "a commit with a finding is blocked (non-zero)" test "$RC" != 0
# (git shows a hook's standard output on its standard error)
check "the blocked commit shows the finding" \
    grep -q '^pkg/bad.py:4:12: warning: .*\[LL101\]$' "$WORK/out" "$WORK/err"
check "the blocked commit was not made" test "$(git rev-list --count HEAD)" = 1

run_rc pre-commit run --all-files --color=never
check "pre-commit run --all-files exits 1 on findings" test "$RC" = 1
check "run --all-files reports the finding" grep -q '^pkg/bad.py:4:12: warning: ' "$WORK/out"
check "only Python files are passed (notes.txt is not)" bash -c "! grep -q notes.txt '$WORK/out'"
run_rc pre-commit run --files good.py pkg/types.pyi --color=never
check "pre-commit run --files on clean files exits 0" test "$RC" = 0
run_rc pre-commit run --files pkg/bad.py --color=never
check "pre-commit run --files on a bad file exits 1" test "$RC" = 1
# --force-exclude in the entry: a file the configuration excludes stays
# excluded even though pre-commit names it
mkdir -p generated
cp "$WORK/bad.py" generated/gen.py
printf '[tool.loadlint]\nexclude = ["generated"]\n' > pyproject.toml
git add generated/gen.py pyproject.toml
run_rc pre-commit run --files generated/gen.py --color=never
check "an excluded file named by pre-commit is not scanned (--force-exclude)" test "$RC" = 0
run_rc "$LOADLINT" generated/gen.py
check "...while loadlint alone, without --force-exclude, scans it" test "$RC" = 1
git rm -q -f generated/gen.py pyproject.toml
run_rc pre-commit try-repo "$HOOKS" loadlint --ref "$REV" --files pkg/bad.py --color=never
check "pre-commit try-repo runs the hook (exit 1 on findings)" test "$RC" = 1

# --- 300 files: parallel batches, whole lines ----------------------------------------------------------
git rm -q -f pkg/bad.py
mkdir -p many
for i in $(seq 1 300); do
    printf 'import pickle, yaml\n\ndef f%d(b, s):\n    x = pickle.loads(b)\n    return yaml.load(s), x\n' "$i" > "many/m$i.py"
done
git add -A
run_rc pre-commit run --all-files --color=never
check "300 files: exit 1" test "$RC" = 1
# the hooks' output without pre-commit's framing and loadlint's summary lines
# (pre-commit merges each process's stderr into its output)
grep -v -e '^loadlint\.\.\.' -e '^- hook id: ' -e '^- exit code: ' -e '^$' \
    -e '^loadlint: [0-9]* findings\? (' "$WORK/out" > "$WORK/hook.txt"
if [ "$(nproc)" -ge 2 ]; then
    check "300 files: several loadlint processes ran (one summary each)" \
        test "$(grep -c '^loadlint: [0-9]* findings\? (' "$WORK/out")" -ge 2
else
    echo "# SKIP one CPU: pre-commit runs a single loadlint process"
fi
check "300 files: every output line is a whole finding line" \
    bash -c "! grep -qvE '^many/m[0-9]+\\.py:[0-9]+:[0-9]+: (error|warning|note): .+ \\[LL[0-9]+\\]\$' '$WORK/hook.txt'"
(cd "$P" && "$LOADLINT" --color never -q many | sort) > "$WORK/direct.txt"
sort "$WORK/hook.txt" > "$WORK/hook-sorted.txt"
check "300 files: exactly the lines one loadlint run gives (600)" \
    bash -c "test \$(wc -l < '$WORK/direct.txt') = 600 && diff -q '$WORK/direct.txt' '$WORK/hook-sorted.txt' >/dev/null"

finish
