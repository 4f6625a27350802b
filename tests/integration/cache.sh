#!/bin/bash
# The result cache (src/rcache/, src/lib/scan_cache.c) through the real
# binary: a re-run equals a cold run and writes nothing; where the cache
# lives (project root by configuration or .git, --cache-dir, cache = false,
# --no-cache) and that git and the walk ignore it; four runs at once leave
# a usable cache; a damaged cache is reported, not trusted, and rebuilt; a
# pre-commit style run on three named files gives exactly the findings a
# whole-project scan gives them (severities and messages from flows
# through other modules included), with a cold cache and with a warm one.
#
#   tests/integration/cache.sh path/to/loadlint
set -u
. "$(dirname "$0")/lib.sh"
LOADLINT=$(cd "$(dirname "$LOADLINT")" && pwd)/$(basename "$LOADLINT")
# the places this test chooses, not the suite's (tests/CMakeLists.txt)
unset LOADLINT_RESULT_CACHE_DIR LOADLINT_NO_CACHE

# The project: a package whose loader is reached from other modules, and
# files of the test corpus (many rules, some with syntax errors).
P=$WORK/proj
mkdir -p "$P/pkg/sub" "$P/scripts"
cp -r tests/corpus/dataflow "$P/corpus_dataflow"
cp tests/corpus/LL101-pickle-load.py tests/corpus/LL201-torch-load-without-weights-only.py "$P/"
: >"$P/pkg/__init__.py"
: >"$P/pkg/sub/__init__.py"
cat >"$P/pkg/store.py" <<'EOF'
import pickle
import torch


def load_blob(data):
    return pickle.loads(data)


def load_model(path):
    return torch.load(path)
EOF
cat >"$P/pkg/sub/web.py" <<'EOF'
from flask import request

from pkg.store import load_blob


def handler():
    return load_blob(request.data)
EOF
cat >"$P/scripts/cli.py" <<'EOF'
import sys

from pkg.store import load_model

load_model(sys.argv[1])
EOF
cat >"$P/pkg/compat.py" <<'EOF'
import pickle as _pickle

loads = _pickle.loads
EOF
cat >"$P/scripts/uses_compat.py" <<'EOF'
from pkg.compat import loads


def read(b):
    return loads(b)
EOF
git -C "$P" init -q
CACHE=$P/.loadlint_cache
# files written just before a run are read and digested at the next run
# (the stat of a file changed in the same clock tick proves nothing), and
# then stored again with their stat: put the files in the past, so that
# whether a run writes the cache does not depend on the clock
past() { find "$P" -name .loadlint_cache -prune -o -type f -exec touch -d '-1 hour' {} +; }
past

json() { # json OUT ARGS... : the JSON report of a run from the project root
    local out=$1
    shift
    (cd "$P" && "$LOADLINT" -q --exit-zero -f json "$@" >"$out" 2>"$out.err")
}
results() { # results JSON [PATH...]: its findings (of those paths), canonical
    "$PY" - "$@" <<'EOF'
import json, sys
doc = json.load(open(sys.argv[1]))
keep = set(sys.argv[2:])
res = [r for r in doc["results"] if not keep or r["path"] in keep]
print(json.dumps(res, sort_keys=True, indent=0))
EOF
}
pack_stamp() { stat -c '%i %Y %s' "$CACHE"/v*/pack-* 2>/dev/null; }

# 1. cold (builds the cache) and warm runs equal a run without the cache
json "$WORK/nocache.json" --no-cache
check "--no-cache makes no cache directory" test ! -e "$CACHE"
json "$WORK/first.json"
check "the first run equals a run without the cache" cmp -s "$WORK/first.json" "$WORK/nocache.json"
check "the cache is in the project root (.git): .loadlint_cache" test -d "$CACHE"
check "it holds a .gitignore of '*'" grep -qx '\*' "$CACHE/.gitignore"
check "and a cache-directory tag" grep -q '^Signature: 8a477f597d28d172789f06886806bc55' "$CACHE/CACHEDIR.TAG"
check "git sees nothing of it" test -z "$(git -C "$P" status --porcelain --untracked-files=all | grep loadlint_cache)"
stamp=$(pack_stamp)
json "$WORK/warm.json"
check "an unchanged re-run equals a cold run, byte for byte" cmp -s "$WORK/warm.json" "$WORK/nocache.json"
check "an unchanged re-run writes nothing" test "$(pack_stamp)" = "$stamp"
check "findings across modules are there (error through pkg.store.load_blob)" \
    grep -q 'through pkg.store.load_blob() (called at pkg/sub/web.py:7)' "$WORK/warm.json"
(cd "$P" && "$LOADLINT" -v --exit-zero . >/dev/null 2>"$WORK/verbose.err")
check "the walk does not look into the cache" test -z "$(grep 'loadlint_cache/' "$WORK/verbose.err")"

# 2. an edit: only what changed is analysed again, and the result is a cold run's
printf '\n\ndef load_other(x):\n    return pickle.loads(x)\n' >>"$P/pkg/store.py"
json "$WORK/edit.json"
json "$WORK/edit_cold.json" --no-cache
check "after an edit the cached run equals a cold run" cmp -s "$WORK/edit.json" "$WORK/edit_cold.json"
check "and the edit shows" grep -q '"line": 14' "$WORK/edit.json"

# 3. four runs at once on a cold cache, then a run from what they left
rm -rf "$CACHE"
past
for i in 1 2 3 4; do
    (cd "$P" && "$LOADLINT" -q --exit-zero -f json >"$WORK/par$i.json" 2>"$WORK/par$i.err") &
done
wait
ok=true
for i in 1 2 3 4; do cmp -s "$WORK/par$i.json" "$WORK/edit_cold.json" || ok=false; done
check "four runs at once each give the cold run's report" $ok
check "none of them met a damaged entry" test -z "$(cat "$WORK"/par*.err)"
check "no temporary file is left behind" test -z "$(find "$CACHE" -name '.tmp-*')"
stamp=$(pack_stamp)
json "$WORK/after_par.json"
check "the cache they left gives the cold run's report" cmp -s "$WORK/after_par.json" "$WORK/edit_cold.json"
check "and is whole: the run after them analysed nothing again" test "$(pack_stamp)" = "$stamp"

# 4. a damaged cache: reported, not trusted, rebuilt. The cache is made
#    again by one run first: the four runs above may each have written the
#    entries, and a byte damaged in a copy no index points to is never read
#    (how many copies depends on how the runs overlapped)
rm -rf "$CACHE"
json "$WORK/single.json"
pack=$(ls "$CACHE"/v*/pack-*)
size=$(stat -c %s "$pack")
printf 'XXXXXXXX' | dd of="$pack" bs=1 seek=$((size / 2)) conv=notrunc 2>/dev/null
(cd "$P" && "$LOADLINT" --exit-zero -f json >"$WORK/dmg.json" 2>"$WORK/dmg.err")
check "a damaged entry is reported, naming the file and the pack" \
    grep -q "the cache entry of .* is damaged .*$(basename "$pack").*\(analysed\|made\) again" "$WORK/dmg.err"
check "its findings are still those of a cold run" cmp -s <(results "$WORK/dmg.json") <(results "$WORK/edit_cold.json")
json "$WORK/rebuilt.json"
check "the next run: no warning, the cold run's report (rebuilt)" cmp -s "$WORK/rebuilt.json" "$WORK/edit_cold.json"
printf 'not a pack at all, only some text that is long enough to be read\n' >"$pack"
(cd "$P" && "$LOADLINT" --exit-zero -f json >"$WORK/foreign.json" 2>"$WORK/foreign.err")
check "a foreign file in the pack's place is reported" grep -q "not a loadlint cache pack" "$WORK/foreign.err"
check "and not trusted" cmp -s <(results "$WORK/foreign.json") <(results "$WORK/edit_cold.json")
head -c 100 "$WORK/edit_cold.json" >"$pack" # a truncated file
(cd "$P" && "$LOADLINT" --exit-zero -f json >"$WORK/trunc.json" 2>"$WORK/trunc.err")
check "a truncated pack is reported" grep -q "cache pack .*\(truncated\|not a loadlint\)" "$WORK/trunc.err"
printf 'garbage' >"$CACHE/key"
(cd "$P" && "$LOADLINT" --exit-zero -f json >"$WORK/key.json" 2>"$WORK/key.err")
check "a damaged key is reported and replaced" grep -q "cache key .* is damaged: a new one is made" "$WORK/key.err"
check "and the results stay a cold run's" cmp -s <(results "$WORK/key.json") <(results "$WORK/edit_cold.json")

# 5. where the cache is: --cache-dir, cache = false, the nearest
#    configuration file, a directory that cannot be made
json "$WORK/cd.json" --cache-dir "$WORK/elsewhere"
check "--cache-dir puts it there" test -n "$(ls "$WORK/elsewhere"/v*/pack-* 2>/dev/null)"
check "--cache-dir: the cold run's report" cmp -s "$WORK/cd.json" "$WORK/edit_cold.json"
printf '[tool.loadlint]\ncache = false\n' >"$P/scripts/pyproject.toml"
(cd "$P/scripts" && "$LOADLINT" -q --exit-zero . >/dev/null 2>&1)
check "cache = false: no cache in the configuration's directory" test ! -e "$P/scripts/.loadlint_cache"
printf '[tool.loadlint]\nignore = []\n' >"$P/scripts/pyproject.toml"
(cd "$P/scripts" && "$LOADLINT" -q --exit-zero . >/dev/null 2>&1)
check "a configuration file nearer than .git is the project root" test -d "$P/scripts/.loadlint_cache"
rm -rf "$P/scripts/pyproject.toml" "$P/scripts/.loadlint_cache"
json "$WORK/ro.json" --cache-dir /proc/loadlint-no-such-dir/cache
check "a cache directory that cannot be made is reported" \
    grep -q 'the cache directory /proc/loadlint-no-such-dir/cache cannot be used' "$WORK/ro.json"
check "and the findings are a cold run's" cmp -s <(results "$WORK/ro.json") <(results "$WORK/edit_cold.json")

# 6. the stat: the same bytes under a new mtime are not analysed again;
#    other bytes of the same size under the old mtime are seen (ctime moved)
past
json "$WORK/s0.json"
stamp=$(pack_stamp)
touch "$P/pkg/compat.py"
json "$WORK/s1.json" -v
check "a touched file (same bytes): the same report" cmp -s "$WORK/s1.json" "$WORK/s0.json"
# (its entry may be stored again with the new stat when the run comes 2 s
# after the touch: what -v counts is what tells)
check "a touched file (same bytes): nothing analysed again" \
    grep -q "note: the result cache .*: \([0-9]*\) of \1 analyses taken from it, 0 analysed again" "$WORK/s1.json.err"
old_mtime=$(stat -c %y "$P/pkg/store.py")
sed -i 's/return torch.load(path)/return torch.lxad(path)/' "$P/pkg/store.py"
touch -d "$old_mtime" "$P/pkg/store.py"
json "$WORK/s2.json"
json "$WORK/s2_cold.json" --no-cache
check "other bytes, same size and mtime: seen (the cold run's report)" cmp -s "$WORK/s2.json" "$WORK/s2_cold.json"
check "other bytes, same size and mtime: the finding is gone" test "$(grep -c torch.load "$WORK/s2.json")" -lt "$(grep -c torch.load "$WORK/s0.json")"
sed -i 's/return torch.lxad(path)/return torch.load(path)/' "$P/pkg/store.py"

# 7. pre-commit: three named files get what the whole-project scan gives
#    them, first with no cache (it is built from the rest of the project),
#    then warm, then after an edit of one of them
NAMED=(pkg/store.py scripts/uses_compat.py LL101-pickle-load.py)
json "$WORK/full.json" --no-cache
results "$WORK/full.json" "${NAMED[@]}" >"$WORK/full_named.txt"
check "the whole project's findings in pkg/store.py include the error from pkg/sub/web.py" \
    grep -q '"severity": "error"' <(results "$WORK/full.json" pkg/store.py)
rm -rf "$CACHE"
json "$WORK/pc_cold.json" --force-exclude "${NAMED[@]}"
check "pre-commit, cold cache: the named files' findings are the whole scan's" \
    cmp -s <(results "$WORK/pc_cold.json") "$WORK/full_named.txt"
check "pre-commit reports the named files only" \
    test "$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["summary"]["files"])' "$WORK/pc_cold.json")" = 3
json "$WORK/pc_warm.json" --force-exclude "${NAMED[@]}"
check "pre-commit, warm: the same" cmp -s "$WORK/pc_warm.json" "$WORK/pc_cold.json"
(cd "$P" && "$LOADLINT" --no-cache -q --exit-zero -f json pkg/store.py >"$WORK/alone.json" 2>/dev/null)
check "(scanned alone, without its project, it would not be an error: the case pre-commit fixes)" \
    test -z "$(grep '"severity": "error"' "$WORK/alone.json")"
printf '\n\ndef load_third(y):\n    import yaml\n    return yaml.load(y)\n' >>"$P/pkg/store.py"
json "$WORK/full2.json" --no-cache
json "$WORK/pc_edit.json" --force-exclude "${NAMED[@]}"
check "pre-commit after an edit of a named file: the whole scan's findings" \
    cmp -s <(results "$WORK/pc_edit.json") <(results "$WORK/full2.json" "${NAMED[@]}")
json "$WORK/pc_sub.json" --force-exclude pkg/sub/web.py
check "pre-commit on a caller: its own findings are the whole scan's (none here)" \
    cmp -s <(results "$WORK/pc_sub.json") <(results "$WORK/full2.json" pkg/sub/web.py)
# 8. --no-prefilter (the oracle of the pre-filter) is unchanged by the cache
json "$WORK/np_cold.json" --no-cache --no-prefilter
json "$WORK/np_first.json" --no-prefilter
json "$WORK/np_warm.json" --no-prefilter
check "--no-prefilter: the run that fills the cache equals a cold one" cmp -s "$WORK/np_first.json" "$WORK/np_cold.json"
check "--no-prefilter: a warm run equals a cold one" cmp -s "$WORK/np_warm.json" "$WORK/np_cold.json"
check "--no-prefilter finds what the pre-filter does" cmp -s <(results "$WORK/np_warm.json") <(results "$WORK/full2.json")

# 9. the dependency files (their versions grade findings) are part of the key
past
json "$WORK/d0.json"
stamp=$(pack_stamp)
json "$WORK/d1.json"
check "(unchanged: nothing written)" test "$(pack_stamp)" = "$stamp"
printf 'torch==2.1.0\n' >"$P/requirements.txt"
json "$WORK/d2.json"
check "a new requirements.txt in the project root: the files are analysed again" test "$(pack_stamp)" != "$stamp"
json "$WORK/d2_cold.json" --no-cache
check "and the report is a cold run's (the pin now grades findings)" cmp -s "$WORK/d2.json" "$WORK/d2_cold.json"
stamp=$(pack_stamp)
json "$WORK/d3.json"
check "(then unchanged again: nothing written)" test "$(pack_stamp)" = "$stamp"
printf 'numpy==1.26\n' >>"$P/requirements.txt"
json "$WORK/d4.json"
check "an edited requirements.txt: analysed again" test "$(pack_stamp)" != "$stamp"
rm -f "$P/requirements.txt"

# 10. the environment: LOADLINT_RESULT_CACHE_DIR places the cache (below
#     --cache-dir), LOADLINT_NO_CACHE turns it off
(cd "$P" && LOADLINT_RESULT_CACHE_DIR="$WORK/envcache" "$LOADLINT" -q --exit-zero -f json >"$WORK/env.json" 2>/dev/null)
check "LOADLINT_RESULT_CACHE_DIR puts the cache there" test -n "$(ls "$WORK/envcache"/v*/pack-* 2>/dev/null)"
check "LOADLINT_RESULT_CACHE_DIR: the cold run's report" cmp -s "$WORK/env.json" "$WORK/d0.json"
(cd "$P" && LOADLINT_RESULT_CACHE_DIR="$WORK/envcache2" "$LOADLINT" -q --exit-zero --cache-dir "$WORK/cli" . >/dev/null 2>&1)
check "--cache-dir wins over LOADLINT_RESULT_CACHE_DIR" test -d "$WORK/cli" -a ! -e "$WORK/envcache2"
(cd "$P" && LOADLINT_NO_CACHE=1 LOADLINT_RESULT_CACHE_DIR="$WORK/envcache3" "$LOADLINT" -q --exit-zero . >/dev/null 2>&1)
check "LOADLINT_NO_CACHE=1: no cache" test ! -e "$WORK/envcache3"

# 11. a project whose configurations cannot all be loaded (a whole-project
#     scan stops there): named files are scanned alone, and -v says why
mkdir -p "$P/broken"
printf '[tool.loadlint]\nrules = ["no-such-rules-dir"]\n' >"$P/broken/pyproject.toml"
printf 'x = 1\n' >"$P/broken/m.py"
(cd "$P" && "$LOADLINT" --exit-zero . >/dev/null 2>"$WORK/broken_all.err")
check "(the whole project cannot be scanned)" grep -q "no-such-rules-dir" "$WORK/broken_all.err"
(cd "$P" && "$LOADLINT" -v --exit-zero -f json pkg/store.py >"$WORK/broken_named.json" 2>"$WORK/broken_named.err")
(cd "$P" && "$LOADLINT" --no-cache -q --exit-zero -f json pkg/store.py >"$WORK/alone2.json" 2>/dev/null)
check "named files are then scanned alone" cmp -s <(results "$WORK/broken_named.json") <(results "$WORK/alone2.json")
check "and -v says why" grep -q "note: the project .* cannot be scanned (.*no-such-rules-dir.*): the named files are scanned alone" "$WORK/broken_named.err"
rm -rf "$P/broken"
# 12. fixes come with cached findings: --diff from a warm cache is the cold one
(cd "$P" && "$LOADLINT" --no-cache --unsafe-fixes --diff . >"$WORK/diff_cold.txt" 2>/dev/null)
(cd "$P" && "$LOADLINT" --unsafe-fixes --diff . >/dev/null 2>&1)
(cd "$P" && "$LOADLINT" --unsafe-fixes --diff . >"$WORK/diff_warm.txt" 2>"$WORK/diff_warm.err")
check "(there is something to fix)" grep -q 'weights_only=True' "$WORK/diff_cold.txt"
check "--diff from a warm cache equals a cold --diff" cmp -s "$WORK/diff_warm.txt" "$WORK/diff_cold.txt"
finish
