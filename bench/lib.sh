# bench/lib.sh - shared by bench/run.sh and bench/parity.sh; sourced, never run.
#
# Defines the paths, the pinned ast-grep, the Debian packages behind the
# corpora and the functions that install them and build the corpora, so the
# benchmark and the parity check scan exactly the same files. Sourcing it has
# no effect beyond defining variables and functions; the caller runs
#   bench_install_missing [CMD:DEBIAN_PACKAGE...]   commands and corpus packages
#   bench_ensure_ast_grep                            sets AST_GREP
#   bench_build_corpora NAME...                      fills CPATHS[NAME]
# Corpora (all under $CORPORA, rebuilt when their signature changes):
#   stdlib      *.py/*.pyi of Debian's Python 3.11 standard library (with test/, tkinter, idlelib)
#   stdlib-x8   8 copies of stdlib (c1..c8); stdlib-x2/-x4 are the first copies
#   ml          the *.py/*.pyi files that dpkg lists under /usr/lib/python3/dist-packages for
#               the sixteen packages of ML_DEBS (and their -lib companions), at their
#               dist-packages-relative paths (numpy/, scipy/, pandas/, sklearn/, torch/,
#               functorch/, torchgen/, skimage/, doc/ (skimage's doc/ext), joblib/, dill/,
#               cloudpickle/, nltk/, networkx/, matplotlib/, mpl_toolkits/, pylab.py, dask/,
#               distributed/, numba/, tables/); ml/.packages.tsv says which package gave what
#   dense       *.py of the diffusers snapshot $BENCH_DENSE_SRC (default /work/corpora/diffusers)
#   keras       *.py of the Keras snapshot $BENCH_KERAS_SRC (default /work/corpora/keras)
# dense and keras are optional: when their source directory is missing they are
# skipped with a message and left out of CPATHS.
# Environment: LOADLINT_CACHE_DIR (default ~/.cache/loadlint), BENCH_DENSE_SRC, BENCH_KERAS_SRC.

BENCH_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE=${LOADLINT_CACHE_DIR:-$HOME/.cache/loadlint}
TOOLS=$CACHE/bench-tools
CORPORA=$CACHE/bench-corpora
AST_GREP_VERSION=0.51.1
PY=/usr/bin/python3 # Debian's python3: its stdlib is a corpus, and it runs the helpers
DIST=/usr/lib/python3/dist-packages
# The ML corpus: Debian 12 package names (python3-X installs module X unless the
# list above says otherwise; -lib companions hold the compiled parts).
ML_DEBS=(python3-numpy python3-scipy python3-pandas python3-sklearn python3-torch python3-skimage
    python3-joblib python3-dill python3-cloudpickle python3-nltk python3-networkx python3-matplotlib
    python3-dask python3-distributed python3-numba python3-tables)
STDLIB_DEBS=(python3 libpython3.11-testsuite python3-tk idle-python3.11)
BENCH_DENSE_SRC=${BENCH_DENSE_SRC:-/work/corpora/diffusers}
BENCH_KERAS_SRC=${BENCH_KERAS_SRC:-/work/corpora/keras}
declare -A CPATHS

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
        echo "bench: need root (or sudo) to run: $*" >&2
        exit 2
    fi
}
apt_has_candidate() { # (no grep -q on the pipe: with pipefail, apt-cache's SIGPIPE would fail it)
    local pol
    pol=$(apt-cache policy "$1" 2>/dev/null) || return 1
    [[ $pol == *"Candidate: "[0-9]* ]]
}

# bench_install_missing [CMD:PKG...]: apt-get install the packages of the
# commands that are missing and the corpus packages (stdlib and ML) that are
# not installed. An ML package the release does not have is left out with a
# message (the ML corpus then goes without it and its signature says so).
bench_install_missing() {
    local missing=() p
    for p in "$@"; do
        command -v "${p%%:*}" >/dev/null 2>&1 || missing+=("${p#*:}")
    done
    for p in "${STDLIB_DEBS[@]}" "${ML_DEBS[@]}"; do
        dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
    done
    [ ${#missing[@]} = 0 ] && return 0
    local ok=() updated=0
    for p in "${missing[@]}"; do
        if ! apt_has_candidate "$p" && [ "$updated" = 0 ]; then
            as_root apt-get update -qq || true
            updated=1
        fi
        if apt_has_candidate "$p"; then
            ok+=("$p")
        else
            log "$p is not packaged here: left out"
        fi
    done
    [ ${#ok[@]} = 0 ] && return 0
    log "apt-get install ${ok[*]}"
    export DEBIAN_FRONTEND=noninteractive
    as_root apt-get install -y --no-install-recommends "${ok[@]}" ||
        { as_root apt-get update -qq && as_root apt-get install -y --no-install-recommends "${ok[@]}"; }
}

# bench_ensure_ast_grep: the pinned @ast-grep/cli from npm in $TOOLS; sets AST_GREP.
bench_ensure_ast_grep() {
    mkdir -p "$TOOLS"
    AST_GREP=$TOOLS/node_modules/@ast-grep/cli/ast-grep
    if ! [ -x "$AST_GREP" ] || [ "$("$AST_GREP" --version 2>/dev/null)" != "ast-grep $AST_GREP_VERSION" ]; then
        log "npm install @ast-grep/cli@$AST_GREP_VERSION into $TOOLS"
        (cd "$TOOLS" && npm install --no-audit --no-fund --save-exact "@ast-grep/cli@$AST_GREP_VERSION" >&2)
    fi
    # the platform package's binary, if npm put one there (the same program, no wrapper)
    local b
    for b in "$TOOLS"/node_modules/@ast-grep/cli-linux-*/ast-grep; do
        [ -x "$b" ] && AST_GREP=$b && break
    done
    "$AST_GREP" --version >/dev/null
}

# Only *.py / *.pyi regular files are copied, without __pycache__,
# site-packages, dist-packages or hidden directories (.github, ...), so every
# tool sees the same files.
copy_py() { # SRC DST
    mkdir -p "$2"
    (cd "$1" && find . \( -name __pycache__ -o -name site-packages -o -name dist-packages -o \
        \( -type d -name '.?*' \) \) -prune \
        -o -type f \( -name '*.py' -o -name '*.pyi' \) -print0 |
        tar --null -T - -cf -) | tar -xf - -C "$2"
}
# deb_py_files PKG...: the *.py/*.pyi files dpkg lists for PKG under $DIST,
# relative to $DIST, NUL-separated.
deb_py_files() {
    dpkg -L "$@" 2>/dev/null | grep -E "^$DIST/.+\.pyi?\$" | grep -v '/__pycache__/' | LC_ALL=C sort -u |
        while IFS= read -r f; do
            [ -f "$f" ] && printf '%s\0' "${f#"$DIST"/}"
        done
}
# the packages whose files make up ML package P: P and P-lib when installed
deb_parts() { # PKG
    printf '%s\n' "$1"
    dpkg -s "$1-lib" >/dev/null 2>&1 && printf '%s\n' "$1-lib"
    return 0
}
# a copied tree's signature: source, number of files, bytes, newest mtime
tree_sig() { # SRC
    printf '%s %s\n' "$1" "$(find "$1" \( -name __pycache__ -o \( -type d -name '.?*' \) \) -prune -o -type f \
        \( -name '*.py' -o -name '*.pyi' \) -printf '%s %T@\n' |
        awk '{ n++; b += $1; if ($2 > m) m = $2 } END { printf "files=%d bytes=%d newest=%d", n, b, m }')"
}
fresh() { [ -f "$1/.complete" ] && [ "$(cat "$1/.complete")" = "$2" ]; }

stdlib_src() { $PY -c 'import sysconfig;print(sysconfig.get_paths()["stdlib"])'; }
# ml_sig: the installed versions of the ML packages (and companions), and the layout version
ml_sig() {
    local p q
    printf 'layout=2 '
    for p in "${ML_DEBS[@]}"; do
        for q in $(deb_parts "$p"); do
            dpkg-query -W -f '${Package}=${Version} ' "$q" 2>/dev/null || true
        done
    done
}

build_corpus_stdlib() {
    local src sig
    src=$(stdlib_src)
    sig="$src $(dpkg-query -W -f '${Version} ' libpython3.11-stdlib libpython3.11-testsuite python3-tk idle-python3.11 2>/dev/null || true)"
    if ! fresh "$CORPORA/stdlib" "$sig"; then
        log "corpus stdlib <- $src"
        rm -rf "$CORPORA/stdlib" "$CORPORA/stdlib-x8"
        copy_py "$src" "$CORPORA/stdlib"
        echo "$sig" >"$CORPORA/stdlib/.complete"
    fi
    STDLIB_SRC=$src
    STDLIB_SIG=$sig
}
build_corpus_stdlib_x8() {
    build_corpus_stdlib
    if ! fresh "$CORPORA/stdlib-x8" "$STDLIB_SIG"; then
        log "corpus stdlib-x8 <- 8 copies (real files: loadlint lists a file reached twice only once)"
        rm -rf "$CORPORA/stdlib-x8"
        local i
        for i in 1 2 3 4 5 6 7 8; do
            mkdir -p "$CORPORA/stdlib-x8/c$i"
            cp -r "$CORPORA/stdlib/." "$CORPORA/stdlib-x8/c$i/"
            rm -f "$CORPORA/stdlib-x8/c$i/.complete"
        done
        echo "$STDLIB_SIG" >"$CORPORA/stdlib-x8/.complete"
    fi
}
build_corpus_ml() {
    ML_SIG=$(ml_sig)
    if ! fresh "$CORPORA/ml" "$ML_SIG"; then
        log "corpus ml <- the *.py files of ${ML_DEBS[*]}"
        rm -rf "$CORPORA/ml"
        mkdir -p "$CORPORA/ml"
        local p parts n tops
        printf 'package\tversion\tfiles\ttop-level names\n' >"$CORPORA/ml/.packages.tsv"
        for p in "${ML_DEBS[@]}"; do
            if ! dpkg -s "$p" >/dev/null 2>&1; then
                log "  $p is not installed: the ml corpus goes without it"
                continue
            fi
            mapfile -t parts < <(deb_parts "$p")
            n=$(deb_py_files "${parts[@]}" | tr -cd '\0' | wc -c)
            tops=$(deb_py_files "${parts[@]}" | tr '\0' '\n' | cut -d/ -f1 | sort -u | tr '\n' ' ')
            printf '%s\t%s\t%s\t%s\n' "$p" "$(dpkg-query -W -f '${Version}' "$p")" "$n" "${tops% }" >>"$CORPORA/ml/.packages.tsv"
            # -h: a listed file that is a symbolic link is copied as the file it points to
            deb_py_files "${parts[@]}" | (cd "$DIST" && tar --null -T - -hcf -) | tar -xf - -C "$CORPORA/ml"
        done
        echo "$ML_SIG" >"$CORPORA/ml/.complete"
    fi
}
build_corpus_copy() { # NAME SRC
    local name=$1 src=$2 sig
    if ! [ -d "$src" ]; then
        log "corpus $name: $src is missing: skipped"
        return 1
    fi
    sig=$(tree_sig "$src")
    if ! fresh "$CORPORA/$name" "$sig"; then
        log "corpus $name <- $src"
        rm -rf "${CORPORA:?}/$name"
        copy_py "$src" "$CORPORA/$name"
        echo "$sig" >"$CORPORA/$name/.complete"
    fi
}

# bench_build_corpora NAME...: builds (or reuses) the named corpora and sets
# CPATHS[NAME] (space-separated paths; stdlib-xN: the first N copies).
# An optional corpus whose source is missing is skipped and gets no CPATHS entry.
bench_build_corpora() {
    mkdir -p "$CORPORA"
    local c n i
    for c in "$@"; do
        case $c in
        stdlib)
            build_corpus_stdlib
            CPATHS[stdlib]=$CORPORA/stdlib
            ;;
        stdlib-x2 | stdlib-x4 | stdlib-x8)
            build_corpus_stdlib_x8
            n=${c#stdlib-x}
            CPATHS[$c]=$(for i in $(seq 1 "$n"); do printf '%s ' "$CORPORA/stdlib-x8/c$i"; done)
            ;;
        ml)
            build_corpus_ml
            CPATHS[ml]=$CORPORA/ml
            ;;
        dense)
            if build_corpus_copy dense "$BENCH_DENSE_SRC"; then CPATHS[dense]=$CORPORA/dense; fi
            ;;
        keras)
            if build_corpus_copy keras "$BENCH_KERAS_SRC"; then CPATHS[keras]=$CORPORA/keras; fi
            ;;
        *)
            echo "bench: unknown corpus '$c' (stdlib, stdlib-x2, stdlib-x4, stdlib-x8, ml, dense, keras)" >&2
            return 2
            ;;
        esac
    done
}
# corpus_summary NAME: "N files, B bytes" of a built corpus
corpus_summary() {
    local -a p
    read -r -a p <<<"${CPATHS[$1]}"
    find "${p[@]}" -type f \( -name '*.py' -o -name '*.pyi' \) -printf '%s\n' |
        awk '{ n++; b += $1 } END { printf "%d files, %.1f MB\n", n, b / 1e6 }'
}
