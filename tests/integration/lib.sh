# Shared helpers for the integration tests: run from the repository root with
# the loadlint binary as $1. Each check prints "ok - name" or "not ok - name"
# and the script ends with "N passed, M failed".
LOADLINT=${1:?usage: $0 path/to/loadlint}
PY=${LOADLINT_PYTHON:-/usr/bin/python3} # Debian's: it has python3-jsonschema
PASS=0
FAIL=0
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

check() { # check NAME COMMAND...
    local name=$1
    shift
    if "$@"; then
        PASS=$((PASS + 1))
        echo "ok - $name"
    else
        FAIL=$((FAIL + 1))
        echo "not ok - $name"
    fi
}

# status CMD...: runs CMD, prints nothing, sets $RC
run_rc() { RC=0; "$@" >"$WORK/out" 2>"$WORK/err" || RC=$?; }

finish() {
    echo "$PASS passed, $FAIL failed"
    [ "$FAIL" = 0 ]
}
