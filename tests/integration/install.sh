#!/bin/bash
# Installation and packaging, end to end (cmake/install.cmake, packaging/):
#   install.sh LOADLINT BUILD_DIR        (run from the repository root)
# 1. cmake --install BUILD_DIR --prefix TMP: the installed binary runs and scans (also
#    found on PATH); the man page renders without warnings and documents every option
#    of --help; the bash completion parses (zsh/fish too when installed) and completes
#    `loadlint --fo<TAB>` to --format, option values and rule codes; docs and licences.
# 2. cpack -G DEB: the package's control fields; unpacked with dpkg-deb -x, it scans.
# 3. the `wheel` target: a valid wheel (RECORD hashes, WHEEL tag = file name); pip
#    installs it into a fresh `python3 -m venv`, offline, and loadlint is on the venv's
#    PATH and scans; `python -m loadlint` works; pip uninstall removes it.
# 4. pre-commit `language: python` with the wheel as additional_dependencies (Debian's
#    pre-commit, offline): a commit with a finding is refused.
# 5. a -DLOADLINT_STATIC_DEPS=ON build: its wheel is tagged manylinux_2_X, needs only
#    glibc plus the library it bundles, which the venv's binary loads from the venv.
set -u
. "$(dirname "$0")/lib.sh"
BUILD=$(cd "${2:?usage: $0 LOADLINT BUILD_DIR}" && pwd -P)
ROOT=$PWD
SYS_PY=/usr/bin/python3  # Debian's: python3-venv, and pre-commit runs on it
FIXTURE=tests/corpus/LL101-pickle-load.py
VERSION=$(sed -n 's/^CMAKE_PROJECT_VERSION:[A-Z]*=//p' "$BUILD/CMakeCache.txt")
export PIP_NO_INDEX=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1 PIP_CONFIG_FILE=/dev/null
unset PIP_FIND_LINKS PIP_INDEX_URL PIP_EXTRA_INDEX_URL

check "the build's project version is known ($VERSION)" test -n "$VERSION"

# scans BINARY: the fixture gives exit 1 and LL101 findings, from the repository root
scans() {
    local out rc=0
    # (the fixture lives under tests/: test code, whose findings are notes
    # by default; keep their grades to see the exit status of a finding)
    out=$(cd "$ROOT" && "$@" --test-severity keep "$FIXTURE" 2>/dev/null) || rc=$?
    [ "$rc" = 1 ] && printf '%s\n' "$out" | grep -q "^$FIXTURE:[0-9]*:[0-9]*: [a-z]*: .*\[LL101\]\$"
}
# version BINARY: the first line of --version is "loadlint VERSION"
version_ok() { "$@" --version 2>/dev/null | head -n 1 | grep -q "^loadlint $VERSION\\b"; }

# ------------------------------------------------------------------ 1. cmake --install
run_rc cmake --build "$BUILD" --target loadlint loadlint-docs
check "cmake --build BUILD --target loadlint loadlint-docs" test "$RC" = 0
[ "$RC" = 0 ] || cat "$WORK/out" "$WORK/err"
P=$WORK/prefix
run_rc cmake --install "$BUILD" --prefix "$P"
check "cmake --install BUILD --prefix TMP" test "$RC" = 0
[ "$RC" = 0 ] || cat "$WORK/err"
for f in bin/loadlint share/man/man1/loadlint.1 share/bash-completion/completions/loadlint \
         share/zsh/site-functions/_loadlint share/fish/vendor_completions.d/loadlint.fish \
         share/doc/loadlint/README.md share/doc/loadlint/LICENSE share/doc/loadlint/copyright \
         share/doc/loadlint/third-party/tree-sitter-python.LICENSE \
         share/doc/loadlint/third-party/tree-sitter-toml.LICENSE; do
    check "installed: $f" test -s "$P/$f"
done
check "installed: bin/loadlint is executable" test -x "$P/bin/loadlint"
n_src=$(find docs/rules -name '*.md' | wc -l)
n_inst=$(find "$P/share/doc/loadlint/rules" -name '*.md' 2>/dev/null | wc -l)
check "installed: every rule page ($n_inst of $n_src)" test "$n_src" -gt 0 -a "$n_inst" = "$n_src"
check "LICENSE is the Apache License 2.0" grep -q "Apache License" LICENSE
check "the installed binary prints its version" version_ok "$P/bin/loadlint"
check "the installed binary scans $FIXTURE (LL101, exit 1)" scans "$P/bin/loadlint"
check "with PREFIX/bin on PATH, 'loadlint' is the installed one" \
    test "$(PATH="$P/bin:$PATH" command -v loadlint)" = "$P/bin/loadlint"

# the man page: renders without warnings; documents every option of --help
MAN=$P/share/man/man1/loadlint.1
if command -v man >/dev/null 2>&1; then
    MANWIDTH=100 LC_ALL=C.UTF-8 man --warnings -l "$MAN" >"$WORK/man.txt" 2>"$WORK/man.err"
    RC=$?
    check "man --warnings -l renders the man page" test "$RC" = 0 -a -s "$WORK/man.txt"
    check "man reports no warnings" test ! -s "$WORK/man.err"
    [ -s "$WORK/man.err" ] && head "$WORK/man.err"
else
    groff -man -Tutf8 -ww "$MAN" >"$WORK/man.txt" 2>"$WORK/man.err"
    check "groff -man -ww renders the man page without warnings" test ! -s "$WORK/man.err"
fi
for s in NAME SYNOPSIS DESCRIPTION OPTIONS "EXIT STATUS"; do
    check "man page section $s" grep -q "^$s" "$WORK/man.txt"
done
"$LOADLINT" --help | grep -oE -- '(^|[ ,(])--[a-z][a-z0-9-]+' | grep -oE -- '--[a-z0-9-]+' \
    | sort -u >"$WORK/help-opts"
missing=$(while read -r o; do grep -qe "$o" "$WORK/man.txt" || printf '%s ' "$o"; done <"$WORK/help-opts")
check "the man page has every option of --help ($(wc -l <"$WORK/help-opts") options)${missing:+; missing: $missing}" \
    test -s "$WORK/help-opts" -a -z "$missing"

# the completions: syntax, then completion in bash (and fish when installed)
COMP=$P/share/bash-completion/completions/loadlint
check "bash -n on the bash completion" bash -n "$COMP"
if command -v zsh >/dev/null 2>&1; then
    check "zsh -n on the zsh completion" zsh -n "$P/share/zsh/site-functions/_loadlint"
else
    echo "ok - zsh -n # SKIP zsh is not installed"
fi
if command -v fish >/dev/null 2>&1; then
    check "fish -n on the fish completion" fish -n "$P/share/fish/vendor_completions.d/loadlint.fish"
fi
complete_bash() { # complete_bash WORD...: COMPREPLY for the last word, one per line
    PATH="$P/bin:$PATH" bash -c '. "$1"; shift
        COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
        COMPREPLY=(); _loadlint; printf "%s\n" "${COMPREPLY[@]}"' _ "$COMP" "$@" 2>&1
}
check "bash: loadlint --fo<TAB> offers --format" bash -c "[[ \$'\n'\"\$1\"\$'\n' == *$'\n'--format$'\n'* ]]" _ \
    "$(complete_bash loadlint --fo)"
check "bash: loadlint --format <TAB> offers text json sarif" \
    test "$(complete_bash loadlint --format '' | grep -cxE 'text|json|sarif')" = 3
check "bash: loadlint --color=<TAB> offers auto always never" \
    test "$(complete_bash loadlint --color = '' | sort | tr '\n' ' ')" = "always auto never "
check "bash: loadlint --min-severity w<TAB> gives warning" \
    test "$(complete_bash loadlint --min-severity w)" = warning
check "bash: loadlint --select LL1,LL10<TAB> offers LL1,LL101" \
    bash -c 'grep -qx "LL1,LL101" <<<"$1"' _ "$(complete_bash loadlint --select LL1,LL10)"
check "bash: loadlint --rules <TAB> offers directories only" \
    bash -c '[ -n "$1" ] && ! grep -qx "README.md" <<<"$1" && grep -qx docs <<<"$1"' _ \
    "$(cd "$ROOT" && complete_bash loadlint --rules '')"
check "bash: loadlint READ<TAB> completes files" test "$(cd "$ROOT" && complete_bash loadlint READ)" = README.md
if command -v fish >/dev/null 2>&1; then
    fish_out=$(PATH="$P/bin:$PATH" fish -c 'source $argv[1]; complete -C "loadlint --fo"; complete -C "loadlint --format "' \
        "$P/share/fish/vendor_completions.d/loadlint.fish" 2>&1 | cut -f1)
    check "fish: loadlint --fo<TAB> offers --format, --format <TAB> offers json" \
        bash -c 'grep -qx -- --format <<<"$1" && grep -qx json <<<"$1"' _ "$fish_out"
fi

# one source: an option added to --help reaches the completions and the man page with
# nothing else edited (a stand-in binary prints the real help plus two new options)
mkdir -p "$WORK/fake"
cat >"$WORK/fake/loadlint" <<EOF
#!/bin/sh
# the real binary, with two more options in --help (before its first option)
case "\$1" in
--help) "$LOADLINT" --help | awk '!done && /^ +-/ {
            print "      --frobnicate MODE     how to frobnicate: fast, slow (default) or auto"
            print "  -Z, --zap-file FILE       also zap FILE"; done = 1 } { print }' ;;
*) exec "$LOADLINT" "\$@" ;;
esac
EOF
chmod +x "$WORK/fake/loadlint"
run_rc "$SYS_PY" packaging/gen_from_help.py --binary "$WORK/fake/loadlint" --bash "$WORK/fake/c.bash" --man "$WORK/fake/l.1"
check "the generator reads a --help with new options" test "$RC" = 0 -a -s "$WORK/fake/c.bash"
[ "$RC" = 0 ] || cat "$WORK/err"
fake_complete() { bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); COMPREPLY=(); _loadlint
    printf "%s\n" "${COMPREPLY[@]}"' _ "$WORK/fake/c.bash" "$@" 2>&1; }
check "a new option is completed (--frob<TAB>)" test "$(fake_complete loadlint --frob)" = --frobnicate
check "its values are completed (--frobnicate <TAB>: fast slow auto)" \
    test "$(fake_complete loadlint --frobnicate '' | tr '\n' ' ')" = "fast slow auto "
check "a new FILE option completes files (-Z READ<TAB>)" test "$(cd "$ROOT" && fake_complete loadlint -Z READ)" = README.md
check "the man page documents the new options" bash -c 'grep -qF "frobnicate" "$1" && grep -qF "zap\\-file" "$1"' _ "$WORK/fake/l.1"

# ------------------------------------------------------------------ 2. the Debian package
run_rc bash -c "cd '$BUILD' && cpack -G DEB -B '$WORK/deb'"
check "cpack -G DEB" test "$RC" = 0
[ "$RC" = 0 ] || tail -n 20 "$WORK/out" "$WORK/err"
DEB=$(ls "$WORK"/deb/loadlint_"$VERSION"_*.deb 2>/dev/null | head -n 1)
check "the .deb is named loadlint_${VERSION}_ARCH.deb" test -n "$DEB"
if [ -n "$DEB" ]; then
    field() { dpkg-deb -f "$DEB" "$1"; }
    check "Package: loadlint" test "$(field Package)" = loadlint
    check "Version: $VERSION" test "$(field Version)" = "$VERSION"
    check "Section: devel" test "$(field Section)" = devel
    check "Architecture: $(dpkg --print-architecture)" test "$(field Architecture)" = "$(dpkg --print-architecture)"
    check "Maintainer: loadlint authors" test "$(field Maintainer)" = "loadlint authors"
    deps=$(field Depends)
    check "Depends (dpkg-shlibdeps) names libc6: $deps" bash -c 'grep -q "libc6 (>=" <<<"$1"' _ "$deps"
    # every library the binary needs comes from a package the Depends line names
    unmet=""
    for so in $(readelf -d "$LOADLINT" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
        f=$(ldconfig -p | awk -v s="$so" '$1 == s { print $NF; exit }')
        pkg=$(dpkg -S "$f" 2>/dev/null | head -n 1 | cut -d: -f1)
        [ -z "$pkg" ] && pkg=$(dpkg -S "$(readlink -f "$f")" 2>/dev/null | head -n 1 | cut -d: -f1)
        case ", $deps" in *", $pkg "*|*", $pkg,"*|*", $pkg") ;; *) unmet="$unmet $so($pkg)" ;; esac
    done
    check "Depends covers every library the binary needs${unmet:+; not:$unmet}" test -z "$unmet"
    check "the .deb has the description" bash -c 'dpkg-deb -f "$1" Description | grep -q "never imports or runs"' _ "$DEB"
    R=$WORK/debroot
    run_rc dpkg-deb -x "$DEB" "$R"
    check "dpkg-deb -x unpacks it" test "$RC" = 0
    for f in usr/bin/loadlint usr/share/man/man1/loadlint.1 usr/share/bash-completion/completions/loadlint \
             usr/share/zsh/vendor-completions/_loadlint usr/share/fish/vendor_completions.d/loadlint.fish \
             usr/share/doc/loadlint/copyright usr/share/doc/loadlint/rules/LL101-pickle-load.md; do
        check "the .deb has /$f" test -s "$R/$f"
    done
    check "the unpacked binary prints its version" version_ok "$R/usr/bin/loadlint"
    check "the unpacked binary scans $FIXTURE" scans "$R/usr/bin/loadlint"
    check "the packaged binary is stripped" bash -c '! readelf -S "$1" | grep -q "\.symtab"' _ "$R/usr/bin/loadlint"
fi

# ------------------------------------------------------------------ 3. the wheel
# check_wheel WHEEL: the wheel is well-formed (stdlib zipfile: RECORD, WHEEL, METADATA)
check_wheel() {
    "$SYS_PY" - "$1" "$VERSION" <<'EOF'
import base64, hashlib, os, re, sys, zipfile
path, version = sys.argv[1], sys.argv[2]
m = re.fullmatch(r"loadlint-([^-]+)-py3-none-([a-z0-9_]+)\.whl", os.path.basename(path))
assert m and m.group(1) == version, "bad file name %s" % path
z = zipfile.ZipFile(path)
info = "loadlint-%s.dist-info/" % version
names = z.namelist()
rec = [l.rsplit(",", 2) for l in z.read(info + "RECORD").decode().splitlines() if l]
listed = {r[0] for r in rec}
assert listed == set(names), "RECORD != zip entries: %s" % (listed ^ set(names))
for name, h, size in rec:
    if name == info + "RECORD":
        assert h == "" and size == "", "RECORD lists a hash for itself"
        continue
    data = z.read(name)
    want = "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    assert h == want and int(size) == len(data), "bad hash or size: %s" % name
wheel = z.read(info + "WHEEL").decode()
assert "Wheel-Version: 1.0" in wheel and "Root-Is-Purelib: false" in wheel, wheel
assert "Tag: py3-none-%s\n" % m.group(2) in wheel, "WHEEL tag != file name tag"
meta = z.read(info + "METADATA").decode()
assert "\nName: loadlint\n" in meta and "\nVersion: %s\n" % version in meta, "METADATA"
assert "License: Apache-2.0" in meta
s = z.getinfo("loadlint-%s.data/scripts/loadlint" % version)
assert (s.external_attr >> 16) & 0o111, "the binary is not executable in the zip"
assert names[-1] == info + "RECORD", "RECORD is not the last entry"
print(m.group(2))
EOF
}
# venv_scans WHEEL DIR: a fresh venv in DIR, pip install (offline), loadlint on its PATH
venv_scans() {
    local whl=$1 v=$2
    run_rc "$SYS_PY" -m venv "$v"
    check "python3 -m venv" test "$RC" = 0
    [ "$RC" = 0 ] || { cat "$WORK/err"; return; }
    run_rc bash -c "cd '$(dirname "$whl")/..' && '$v/bin/pip' install ./dist/$(basename "$whl")"
    check "pip install ./dist/$(basename "$whl") into the venv (no index)" test "$RC" = 0
    [ "$RC" = 0 ] || { tail -n 20 "$WORK/out" "$WORK/err"; return; }
    check "the venv's PATH has loadlint" test "$(PATH="$v/bin:/usr/bin:/bin" command -v loadlint)" = "$v/bin/loadlint"
    check "the venv's loadlint prints its version" version_ok env PATH="$v/bin:/usr/bin:/bin" loadlint
    check "the venv's loadlint scans $FIXTURE" scans env PATH="$v/bin:/usr/bin:/bin" loadlint
    check "python -m loadlint --version runs the binary" version_ok "$v/bin/python" -m loadlint
    check "pip put the man page in the venv" test -s "$v/share/man/man1/loadlint.1"
}

run_rc cmake --build "$BUILD" --target wheel
check "cmake --build BUILD --target wheel" test "$RC" = 0
[ "$RC" = 0 ] || cat "$WORK/out" "$WORK/err"
WHL=$(ls "$BUILD"/dist/loadlint-"$VERSION"-py3-none-*.whl 2>/dev/null)
check "one wheel in BUILD/dist: $(basename "${WHL:-none}")" test -n "$WHL" -a "$(printf '%s\n' "$WHL" | wc -l)" = 1
if [ -n "$WHL" ]; then
    tag=$(check_wheel "$WHL" 2>"$WORK/wheel.err")
    check "the wheel is well-formed (RECORD hashes, WHEEL, METADATA)" test -n "$tag"
    [ -s "$WORK/wheel.err" ] && cat "$WORK/wheel.err"
    if "$SYS_PY" -c 'import wheel' 2>/dev/null; then
        run_rc bash -c "cd '$WORK' && '$SYS_PY' -m wheel unpack -d unpacked '$WHL'"
        check "Debian's python3-wheel unpacks it (checks every hash)" test "$RC" = 0
    fi
    # the tag says what the binary needs: glibc only -> manylinux, else linux_ARCH
    if readelf -d "$LOADLINT" | grep NEEDED | grep -qvE '\[(libc|libm|libdl|librt|libpthread)\.so'; then
        check "a binary needing more than glibc is tagged linux_ARCH ($tag)" bash -c '[[ $1 == linux_* ]]' _ "$tag"
    fi
    venv_scans "$WHL" "$WORK/venv"
    run_rc "$WORK/venv/bin/pip" uninstall -y loadlint
    check "pip uninstall removes the binary" test "$RC" = 0 -a ! -e "$WORK/venv/bin/loadlint"
fi

# ------------------------------------------------------------------ 4. pre-commit, language: python
if [ -n "$WHL" ] && command -v pre-commit >/dev/null 2>&1 && command -v git >/dev/null 2>&1; then
    (
        export HOME=$WORK/home PRE_COMMIT_HOME=$WORK/pc-cache
        export GIT_CONFIG_NOSYSTEM=1 GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.invalid
        export GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@example.invalid
        unset PRE_COMMIT_COLOR GIT_DIR GIT_WORK_TREE VIRTUAL_ENV
        # only the system's tools: the hook must get loadlint from the wheel
        export PATH=/usr/bin:/bin
        mkdir -p "$HOME" "$WORK/pcproj"
        cd "$WORK/pcproj" || exit 1
        git init -q . && git config user.name t
        cat >.pre-commit-config.yaml <<EOF
repos:
  - repo: local
    hooks:
      - id: loadlint
        name: loadlint
        entry: loadlint --force-exclude
        language: python
        additional_dependencies: ["$WHL"]
        types_or: [python, pyi]
EOF
        printf 'import json\nprint(json.loads("1"))\n' >good.py
        git add -A
        pre-commit install >"$WORK/pc.install" 2>&1 || echo "RESULT pre-commit install failed"
        rc=0; git commit -qm clean >"$WORK/pc.out" 2>&1 || rc=$?
        echo "RESULT clean $rc"
        cp "$ROOT/$FIXTURE" bad.py && git add bad.py
        rc=0; git commit -qm bad >"$WORK/pc.bad" 2>&1 || rc=$?
        echo "RESULT bad $rc"
        grep -q '^bad.py:[0-9]*:[0-9]*: .*\[LL101\]$' "$WORK/pc.bad" && echo "RESULT finding shown"
        ls "$PRE_COMMIT_HOME"/repo*/py_env-*/bin/loadlint >/dev/null 2>&1 && echo "RESULT env has loadlint"
        command -v loadlint >/dev/null 2>&1 && echo "RESULT loadlint on the system PATH"
        exit 0
    ) >"$WORK/pc.result" 2>&1
    check "pre-commit language: python + the wheel: a clean commit passes" grep -qx "RESULT clean 0" "$WORK/pc.result"
    check "pre-commit language: python + the wheel: a commit with a finding is refused" grep -qx "RESULT bad 1" "$WORK/pc.result"
    check "pre-commit language: python + the wheel: the finding is shown" grep -qx "RESULT finding shown" "$WORK/pc.result"
    check "pre-commit installed loadlint from the wheel into its environment" grep -qx "RESULT env has loadlint" "$WORK/pc.result"
    if grep -qx "RESULT loadlint on the system PATH" "$WORK/pc.result"; then
        echo "# note: a loadlint is on /usr/bin:/bin too; the hook's comes from the wheel (checked above)"
    fi
    grep -q "RESULT bad 1" "$WORK/pc.result" ||
        cat "$WORK/pc.result" "$WORK/pc.install" "$WORK/pc.out" "$WORK/pc.bad" 2>/dev/null
else
    echo "not ok - pre-commit and git are needed for the language: python recipe (apt-get install pre-commit git)"
    FAIL=$((FAIL + 1))
fi

# ------------------------------------------------------------------ 5. the static, manylinux wheel
S=$WORK/static
run_rc cmake -S "$ROOT" -B "$S" -DCMAKE_BUILD_TYPE=Release -DLOADLINT_STATIC_DEPS=ON -DLOADLINT_TESTS=OFF
check "configure with -DLOADLINT_STATIC_DEPS=ON" test "$RC" = 0
[ "$RC" = 0 ] || tail -n 20 "$WORK/out" "$WORK/err"
run_rc cmake --build "$S" -j2 --target wheel
check "build its wheel" test "$RC" = 0
[ "$RC" = 0 ] || tail -n 20 "$WORK/out" "$WORK/err"
SWHL=$(ls "$S"/dist/loadlint-"$VERSION"-py3-none-*.whl 2>/dev/null | head -n 1)
if [ -n "$SWHL" ]; then
    stag=$(check_wheel "$SWHL" 2>"$WORK/wheel.err")
    check "the static wheel is well-formed" test -n "$stag"
    check "the static wheel is tagged manylinux_2_X_ARCH ($stag)" bash -c '[[ $1 =~ ^manylinux_2_[0-9]+_[a-z0-9_]+$ ]]' _ "$stag"
    # what the tag claims: only glibc's libraries, or a library the wheel carries
    carried=$("$SYS_PY" -c 'import sys, zipfile; print("\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))' "$SWHL" \
        | sed -n 's,^loadlint-[^/]*\.data/data/lib/loadlint/,,p')
    extra=$(readelf -d "$S/loadlint" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' \
        | grep -vxE 'lib(c|m|dl|rt|pthread)\.so\.[0-9]+' | grep -vxF -e "${carried:-none}" | tr '\n' ' ')
    check "the static binary needs only glibc and what the wheel carries (${carried:-nothing})${extra:+; also: $extra}" test -z "$extra"
    glibc=$(readelf -V --wide "$S/loadlint" | grep -oE 'GLIBC_2\.[0-9]+' | cut -d. -f2 | sort -n | tail -n 1)
    check "the tag's glibc version is the newest the binary needs (2.$glibc)" bash -c '[[ $1 == manylinux_2_${2}_* ]]' _ "$stag" "$glibc"
    venv_scans "$SWHL" "$WORK/svenv"
    if [ -n "$carried" ]; then
        check "the venv's binary loads ${carried} from the venv" bash -c \
            'ldd "$1/bin/loadlint" | grep -F "$2" | grep -qF "$1/bin/../lib/loadlint/"' _ "$WORK/svenv" "$(printf '%s' "$carried" | head -n 1)"
    fi
else
    check "the static build wrote a wheel" false
fi

finish
