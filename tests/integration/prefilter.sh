#!/bin/bash
# The pre-filter is exact: the same findings with it on and off, with one
# and two jobs; it parses only the files that can hold a finding or whose
# functions' results reach a loader; duplicate module names converge.
set -u
. "$(dirname "$0")/lib.sh"
LOADLINT=$(cd "$(dirname "$LOADLINT")" && pwd)/$(basename "$LOADLINT") # runs from other directories

# results (not errors: files the pre-filter skips are not parsed, so their
# syntax errors are not reported) of one run as canonical JSON
results() { # results OUT ARGS...
    local out=$1
    shift
    "$LOADLINT" -q --exit-zero -f json "$@" >"$WORK/raw.json" 2>/dev/null
    "$PY" -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1]))["results"], sort_keys=True, indent=0))' \
        "$WORK/raw.json" >"$out"
}
parsed() { # parsed ARGS... : the "N parsed" of the summary line
    "$LOADLINT" --exit-zero "$@" 2>&1 >/dev/null | sed -n 's/.*(\([0-9]*\) parsed.*/\1/p'
}

# 1. the corpus: every fixture, every flow across files
results "$WORK/on1.json" -j1 tests/corpus
results "$WORK/off1.json" -j1 --no-prefilter tests/corpus
results "$WORK/on2.json" -j2 tests/corpus
results "$WORK/off2.json" -j2 --no-prefilter tests/corpus
check "corpus: findings exist" grep -q '"rule_id"' "$WORK/on1.json"
check "corpus: same findings with and without the pre-filter" cmp -s "$WORK/on1.json" "$WORK/off1.json"
check "corpus: same findings with -j1 and -j2" cmp -s "$WORK/on1.json" "$WORK/on2.json"
check "corpus: same without the pre-filter, -j2" cmp -s "$WORK/on1.json" "$WORK/off2.json"

# 2. a skipped file is parsed only when a result of one of its functions
#    reaches a loader; naming a source is not enough
P=$WORK/proj
mkdir -p "$P"
printf 'import pickle\nimport helpers\nimport other\n\ndata = helpers.fetch()\npickle.loads(data)\nother.unrelated()\n' >"$P/app.py"
printf 'import sys\n\n\ndef fetch():\n    return sys.argv[1].encode()\n' >"$P/helpers.py"
printf 'import os\n\n\ndef unrelated():\n    return os.environ["HOME"]\n' >"$P/other.py"
printf 'def nothing():\n    return 1\n' >"$P/plain.py"
(cd "$P" && "$LOADLINT" . >"$WORK/proj.txt" 2>/dev/null)
check "the load is graded by the source in the other file" \
    grep -q '^app.py:6:1: error: .*untrusted sys.argv (helpers.py:5)' "$WORK/proj.txt"
check "two of four files parsed (app.py, and helpers.py for what fetch returns)" \
    test "$(parsed "$P")" = 2
"$LOADLINT" --exit-zero --no-prefilter "$P" 2>"$WORK/np.err" >/dev/null
check "without the pre-filter every file is parsed" grep -q 'in 4 files$' "$WORK/np.err"
results "$WORK/p_on.json" "$P"
results "$WORK/p_off.json" --no-prefilter "$P"
check "the project's findings do not depend on the pre-filter" cmp -s "$WORK/p_on.json" "$WORK/p_off.json"

# 3. two roots with the same module names (a monorepo, copies of a tree):
#    each main.py reaches the store.py of its own root, whatever the order of
#    the roots, and the summaries settle instead of taking turns
for r in r1 r2; do
    mkdir -p "$P/$r"
    printf 'import pickle\n\n\ndef load_it(blob):\n    return pickle.loads(blob)\n' >"$P/$r/store.py"
    printf 'import sys\nimport store\n\nstore.load_it(sys.argv[1].encode())\n' >"$P/$r/main.py"
done
(cd "$P" && "$LOADLINT" r1 r2 >"$WORK/roots.txt" 2>/dev/null)
check "r1/main.py reaches the store.py of its own root" \
    grep -q '^r1/store.py:5:12: error: .*called at r1/main.py:4' "$WORK/roots.txt"
check "r2/main.py reaches the store.py of its own root" \
    grep -q '^r2/store.py:5:12: error: .*called at r2/main.py:4' "$WORK/roots.txt"
(cd "$P" && "$LOADLINT" r2 r1 >"$WORK/roots-rev.txt" 2>/dev/null)
check "the order of the roots does not change the findings" cmp -s "$WORK/roots.txt" "$WORK/roots-rev.txt"
(cd "$P" && "$LOADLINT" r2 >"$WORK/roots-r2.txt" 2>/dev/null)
check "r2 alone gives the same findings as with r1" \
    cmp -s "$WORK/roots-r2.txt" <(grep '^r2/' "$WORK/roots.txt")
results "$WORK/r_on.json" "$P/r1" "$P/r2"
results "$WORK/r_off.json" --no-prefilter -j1 "$P/r1" "$P/r2"
check "duplicate module names: same findings with and without the pre-filter" \
    cmp -s "$WORK/r_on.json" "$WORK/r_off.json"

# 4. parsing in part (split.h): in a large module only the definitions a
#    finding can need are parsed; the findings are those of whole parses,
#    including a definition that matters only after a pass finds that the
#    function it calls in another file reaches a loader
S=$WORK/split
mkdir -p "$S"
printf 'import pickle\n\n\ndef load_blob(blob):\n    return pickle.loads(blob)\n' >"$S/store.py"
{
    printf 'import pickle\nfrom store import load_blob\n\nCACHE = "/var/cache/app.pkl"\n\n\n'
    printf 'def fixed_path():\n    return CACHE\n\n\n'
    printf 'def read_fixed():\n    with open(fixed_path(), "rb") as f:\n        return pickle.load(f)\n\n\n'
    printf 'def forward(data):\n    return load_blob(data)\n\n\n'
    for i in $(seq 1 60); do
        printf 'def filler_%02d(values):\n    total = 0\n    for v in values:\n        total += v * %d\n    return total\n\n\n' "$i" "$i"
    done
} >"$S/app.py"
printf 'import sys\nimport app\n\napp.forward(sys.argv[1].encode())\napp.read_fixed()\n' >"$S/main.py"
"$LOADLINT" --no-cache --exit-zero "$S" 2>"$WORK/split.err" >"$WORK/split.txt"
check "the large module is parsed in part" grep -q '(1 parsed in part: [0-9.]* kB of definitions left out)' "$WORK/split.err"
check "the flow through a definition that mattered only after a pass is found" \
    grep -q 'store.py:5:12: error: .*through app.forward() (called at .*main.py:4)' "$WORK/split.txt"
results "$WORK/s_on.json" --no-cache -j1 "$S"
results "$WORK/s_on2.json" --no-cache -j2 "$S"
results "$WORK/s_off.json" --no-cache --no-prefilter "$S"
check "split: findings exist" grep -q '"rule_id"' "$WORK/s_on.json"
check "split: same findings as whole parses (--no-prefilter)" cmp -s "$WORK/s_on.json" "$WORK/s_off.json"
check "split: same findings with -j2" cmp -s "$WORK/s_on.json" "$WORK/s_on2.json"
results "$WORK/s_c1.json" --cache-dir "$WORK/split-cache" "$S"
results "$WORK/s_c2.json" --cache-dir "$WORK/split-cache" "$S"
check "split: the same findings from the cache" cmp -s "$WORK/s_c2.json" "$WORK/s_on.json"
check "split: the same findings when filling the cache" cmp -s "$WORK/s_c1.json" "$WORK/s_on.json"

# 5. reproducers of plans that once left out what a finding needed
#    (f-strings nesting their own quotes, a docstring never closed, a line
#    continued at the margin, a Django request parameter, a hash updated in
#    another definition, a name a fix would write, import * in a def, a
#    noqa comment in a definition left out...)
#    Each case marks with a line "#@FILLER" where 40 unrelated definitions
#    go (about 4 KiB), so that its file is large enough to be split, and
#    with "    #@METHODS" where 30 unrelated methods go (in a class).
filler() {
    for i in $(seq 0 39); do
        printf 'def filler_%d(a, b):\n    c = a + b * %d\n    d = [c for _ in range(3)]\n    return sum(d) + len(str(a))\n\n\n' "$i" "$i"
    done
}
methods() {
    for i in $(seq 0 29); do
        printf '    def method_%d(self, a, b):\n        c = a + b * %d\n        self.total = [c for _ in range(3)]\n        return sum(self.total) + len(str(a))\n\n' "$i" "$i"
    done
}
filler >"$WORK/filler.txt"
methods >"$WORK/methods.txt"
for src in "$(dirname "$0")"/split-cases/*/; do
    name=$(basename "$src")
    d=$WORK/cases/$name
    mkdir -p "$d"
    for f in "$src"*.py; do
        awk -v fill="$WORK/filler.txt" -v meth="$WORK/methods.txt" '
            $0 == "#@FILLER" { while ((getline l < fill) > 0) print l; close(fill); next }
            $0 == "    #@METHODS" { while ((getline l < meth) > 0) print l; close(meth); next }
            { print }' "$f" >"$d/$(basename "$f")"
    done
    check "split case $name: a file large enough to be split" \
        sh -c 'find "$1" -name "*.py" -size +4095c | grep -q .' sh "$d"
    results "$WORK/case_on.json" --no-cache "$d"
    results "$WORK/case_off.json" --no-cache --no-prefilter "$d"
    check "split case $name: same results as whole parses" cmp -s "$WORK/case_on.json" "$WORK/case_off.json"
done

finish
