#!/bin/bash
# The result cache is exact under edits: ROUNDS (default 100) rounds of
# random edits on a copy of a small corpus (tests/corpus, examples/, the
# Debian packages joblib and cloudpickle when installed, without their tests
# and joblib's vendored copies: a cold scan per round is most of the test's
# time, about 0.3 s of CPU), and a small package of cross-module flows this
# test rewrites: loaders behind
# functions, untrusted data passed to them from other modules, re-exports in
# __init__.py, added and removed modules), each round comparing the cached
# re-scan with a cold scan (--no-cache), JSON byte for byte, and every fifth
# round a pre-commit style run on three files with the whole scan's
# findings for them. The edits are
# drawn from a seed (printed; LOADLINT_RCACHE_SEED picks one), so a failing
# round can be replayed; the round's edits and both outputs are kept in
# $LOADLINT_RCACHE_KEEP when set.
#
#   tests/integration/cache_random.sh path/to/loadlint
set -u
. "$(dirname "$0")/lib.sh"
LOADLINT=$(cd "$(dirname "$LOADLINT")" && pwd)/$(basename "$LOADLINT")
# the places this test chooses, not the suite's (tests/CMakeLists.txt)
unset LOADLINT_RESULT_CACHE_DIR LOADLINT_NO_CACHE
ROUNDS=${LOADLINT_RCACHE_ROUNDS:-100}
SEED=${LOADLINT_RCACHE_SEED:-$(date +%s)}
echo "# seed $SEED ($ROUNDS rounds; LOADLINT_RCACHE_SEED=$SEED replays them)"

P=$WORK/proj
mkdir -p "$P"
cp -r tests/corpus "$P/corpus"
cp -r examples "$P/examples"
for pkg in joblib cloudpickle; do
    [ -d "/usr/lib/python3/dist-packages/$pkg" ] &&
        (cd /usr/lib/python3/dist-packages && find "$pkg" -path '*/tests' -prune -o -path '*/test' -prune -o \
            -path '*/externals' -prune -o -name '*.py' -print0 |
            tar --null -T - -cf - | tar -xf - -C "$P")
done
# the package the edits play with: modules with and without loaders
mkdir -p "$P/rcpkg"
: >"$P/rcpkg/__init__.py"
for i in 0 1 2 3 4; do
    printf 'import os\n\n\ndef helper%d(x):\n    return x\n' "$i" >"$P/rcpkg/mod$i.py"
done
git -C "$P" init -q 2>/dev/null || true
CACHE=$WORK/cache

scan() { # scan OUT [ARGS...]
    local out=$1
    shift
    (cd "$P" && "$LOADLINT" -q --exit-zero -f json "$@" . >"$out" 2>"$out.err")
}

# The edits (python3, from the seed and the round number) and the
# comparisons of pre-commit runs, in one python3 process for the whole
# test (a coprocess: a command per line in, one answer line out), so that
# a round does not pay for starting python3:
#   edit ROUND                       -> what was edited, or "error: ..."
#   same PC.json WHOLE.json PATH...  -> "same" when the pre-commit run's
#                                       findings are the whole run's of PATHs
coproc EDITOR { "$PY" -u -c "$(cat <<'EOF'
import json, os, random, sys
root, seed = sys.argv[1], int(sys.argv[2])
def pyfiles():
    out = []
    for d, dirs, files in os.walk(root):
        dirs[:] = sorted(x for x in dirs if not x.startswith('.'))
        out += [os.path.join(d, f) for f in sorted(files) if f.endswith('.py')]
    return out
def mods():
    return sorted(f[:-3] for f in os.listdir(os.path.join(root, 'rcpkg'))
                  if f.endswith('.py') and f != '__init__.py')
def append(path, text):
    with open(path, 'a', encoding='utf-8', errors='surrogateescape') as f:
        f.write(text)
def lines(path):
    with open(path, encoding='utf-8', errors='surrogateescape') as f:
        return f.read().split('\n')
def write(path, ls):
    with open(path, 'w', encoding='utf-8', errors='surrogateescape') as f:
        f.write('\n'.join(ls))
def edit(rnd):
    r = random.Random(seed * 1000003 + rnd)
    log = []
    for _ in range(r.randint(1, 3)):
        op = r.choice(['sink', 'caller', 'returns', 'reexport', 'alias', 'delete-line', 'dup-line',
                       'syntax', 'new-module', 'drop-module', 'touch', 'suppress', 'clear'])
        ms = mods()
        m = r.choice(ms)
        path = os.path.join(root, 'rcpkg', m + '.py')
        n = r.randint(0, 999)
        if op == 'sink':        # a function whose parameter reaches a loader
            loader = r.choice(['pickle.loads(data)', 'torch.load(data)', 'yaml.load(data)',
                               'numpy.load(data, allow_pickle=True)'])
            append(path, f'\n\ndef sink{n}(data):\n    import pickle, torch, yaml, numpy\n'
                         f'    return {loader}\n')
        elif op == 'caller':    # untrusted data into a function of another module
            other = r.choice(ms)
            fn = r.choice(['sink', 'helper', 'src'])
            append(path, f'\n\ndef caller{n}():\n    from flask import request\n'
                         f'    from rcpkg.{other} import {fn}{r.randint(0, 999) if fn != "helper" else r.randint(0, 4)}\n'
                         f'    return {fn}{n % 5 if fn == "helper" else n}(request.data)\n')
            append(path, f'\n\ndef caller_b{n}():\n    from rcpkg import {other}\n'
                         f'    import sys\n    {other}.helper{n % 5}(sys.argv[1])\n')
        elif op == 'returns':   # a function returning untrusted data, used elsewhere
            append(path, f'\n\ndef src{n}():\n    import sys\n    return sys.argv[1]\n')
            other = os.path.join(root, 'rcpkg', r.choice(ms) + '.py')
            append(other, f'\n\ndef use{n}():\n    import pickle\n    from rcpkg.{m} import src{n}\n'
                          f'    return pickle.loads(src{n}())\n')
        elif op == 'reexport':  # module facts: star imports and re-exports
            append(os.path.join(root, 'rcpkg', '__init__.py'),
                   r.choice([f'from .{m} import *\n', f'from pickle import loads as loads{n}\n',
                             f'from . import {m}\n', 'import pickle as compat_pickle\n']))
        elif op == 'alias':     # a module-level alias, and a use through the package
            append(path, f'\nimport pickle\nfast_loads{n} = pickle.loads\n')
            other = os.path.join(root, 'rcpkg', r.choice(ms) + '.py')
            append(other, f'\n\ndef via{n}(b):\n    from rcpkg.{m} import fast_loads{n}\n'
                          f'    return fast_loads{n}(b)\n')
        elif op in ('delete-line', 'dup-line', 'syntax', 'suppress'):
            fs = pyfiles()
            path = r.choice(fs)
            ls = lines(path)
            i = r.randrange(len(ls)) if ls else 0
            if op == 'delete-line' and ls:
                del ls[i]
            elif op == 'dup-line' and ls:
                ls.insert(i, ls[i])
            elif op == 'syntax':
                ls.insert(i, r.choice(['def broken(:', '    )', 'x = [1, 2', 'if True', '"""']))
            elif op == 'suppress' and ls:
                ls[i] = ls[i] + '  # loadlint: ignore'
            write(path, ls)
        elif op == 'new-module':
            with open(os.path.join(root, 'rcpkg', f'new{n}.py'), 'w') as f:
                f.write(f'import pickle\n\n\ndef src{n}(data):\n    return pickle.loads(data)\n')
        elif op == 'drop-module' and len(ms) > 2:
            os.unlink(path)
        elif op == 'touch':
            fs = pyfiles()
            path = r.choice(fs)
            os.utime(path)
        elif op == 'clear':     # a module back to nothing much
            write(path, ['import os', '', '', f'def helper{n % 5}(x):', '    return x', ''])
        log.append(f'{op} {os.path.relpath(path, root)}')
    return '; '.join(log)
def findings(path, keep):
    doc = json.load(open(path))
    return [x for x in doc["results"] if not keep or x["path"] in keep]
for line in sys.stdin:
    cmd = line.split()
    try:
        if cmd[0] == 'edit':
            print(edit(int(cmd[1])))
        elif cmd[0] == 'same':
            print('same' if findings(cmd[1], set()) == findings(cmd[2], set(cmd[3:])) else 'differ')
    except Exception as e:  # an answer whatever happens: the test reports it
        print('error: ' + ' '.join(str(e).split()))
EOF
)" "$P" "$SEED"; }
ask() { # ask COMMAND...: the answer of the coprocess, in $ANSWER (no subshell:
    # a coprocess's descriptors are not there in one)
    echo "$*" >&"${EDITOR[1]}"
    read -r ANSWER <&"${EDITOR[0]}" || ANSWER="error: the python3 coprocess is gone"
}


# the cache starts from a cold run (and must give what a cold run gives)
scan "$WORK/first.json" --cache-dir "$CACHE"
scan "$WORK/cold.json" --no-cache
check "the first run, building the cache, equals a cold run" cmp -s "$WORK/first.json" "$WORK/cold.json"
bad=0
start=$(date +%s)
for round in $(seq 1 "$ROUNDS"); do
    ask edit "$round"
    what=$ANSWER
    case $what in error:*)
        echo "# round $round: the edit failed ($what)"
        bad=$((bad + 1))
        continue
        ;;
    esac
    scan "$WORK/warm.json" --cache-dir "$CACHE"
    scan "$WORK/cold.json" --no-cache
    if [ $((round % 5)) = 0 ]; then
        # a pre-commit run on three files (the package's first, two others):
        # their findings are the whole scan's
        mapfile -t three < <(cd "$P" && { ls rcpkg/*.py | head -1; find corpus joblib -name '*.py' 2>/dev/null | sort |
            awk -v r="$round" 'NR % 37 == r % 37' | head -2; })
        (cd "$P" && "$LOADLINT" -q --exit-zero -f json --cache-dir "$CACHE" --force-exclude "${three[@]}" \
            >"$WORK/pc.json" 2>/dev/null)
        ask same "$WORK/pc.json" "$WORK/cold.json" "${three[@]}"
        if [ "$ANSWER" != same ]; then
            bad=$((bad + 1))
            echo "# round $round: pre-commit on ${three[*]} differs from the whole scan"
        fi
    fi
    if ! cmp -s "$WORK/warm.json" "$WORK/cold.json"; then
        bad=$((bad + 1))
        echo "# round $round ($what): the cached scan differs from a cold one"
        diff <("$PY" -m json.tool "$WORK/cold.json") <("$PY" -m json.tool "$WORK/warm.json") | head -20 | sed 's/^/#   /'
        if [ -n "${LOADLINT_RCACHE_KEEP:-}" ]; then
            mkdir -p "$LOADLINT_RCACHE_KEEP/round$round"
            cp "$WORK/warm.json" "$WORK/cold.json" "$LOADLINT_RCACHE_KEEP/round$round/"
            cp -r "$P" "$LOADLINT_RCACHE_KEEP/round$round/proj"
        fi
    fi
done
echo "# $ROUNDS rounds in $(($(date +%s) - start)) s"
check "every cached re-scan equals a cold scan ($ROUNDS rounds, seed $SEED)" test "$bad" = 0
check "the findings are not trivial (the corpus has findings)" grep -q '"rule_id"' "$WORK/cold.json"
finish
