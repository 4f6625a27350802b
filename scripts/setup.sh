#!/usr/bin/env bash
# Set up loadlint on Debian 12 (bookworm), from a bare minbase system up, then scan.
#
#   scripts/setup.sh [--deps-only] [--no-install] [--no-scan] [--] [PATH...]
#
# 1. Installs what is missing with apt-get (as root, or through sudo): the build
#    dependencies (compiler, cmake, pkg-config, git, node + npm for the tree-sitter-python
#    grammar, libtree-sitter-dev, libpcre2-dev, libcjson-dev, libcriterion-dev, and zlib, liblzma,
#    libbz2 and libyaml for model files and dependency files; python3 generates the man
#    page and shell completions), the packaging tools (dpkg-dev and file for
#    `cpack -G DEB`, python3-venv for the wheel's test) and the test tools
#    (python3-jsonschema + python3-rfc3987, pre-commit, jq, vim, man-db, valgrind, clang +
#    libclang-rt-14-dev). When dpkg-query shows everything installed and node/npm are on
#    PATH, apt-get is not run at all.
# 2. Builds:  cmake -S . -B build -DCMAKE_BUILD_TYPE=Release && cmake --build build
# 3. Installs: cmake --install build   (into /usr/local: bin/loadlint, the man page, the
#    bash/zsh/fish completions, the docs; as root, or through sudo), then checks that
#    `loadlint --version` works from PATH
# 4. Scans:   loadlint PATH...   (default: the bundled examples/vulnerable-app)
#
# Options:
#   --deps-only   step 1 only (no build, no install, no scan)
#   --no-install  no step 3; step 4 runs build/loadlint
#   --no-scan     no step 4
#
# Exit status:
#   0   everything ran. For the default example, loadlint's exit 1 ("findings found")
#       is the expected outcome and counts as success: the example is vulnerable on
#       purpose. (If the example gives no findings at all, a warning is printed.)
#   With PATH arguments, loadlint's own exit code is passed through unchanged:
#       0 no findings, 1 findings, 2 loadlint error (usage, I/O, internal).
#   2 or more from loadlint in any case (error, crash) is passed through.
#   10  installing packages failed;  11 the build failed;  12 bad usage of this script;
#   13  installing loadlint (cmake --install) failed, or it does not run from PATH.
set -eu

me=${0##*/}
say() { printf '%s: %s\n' "$me" "$*" >&2; }
die() { local rc=$1; shift; printf '%s: error: %s\n' "$me" "$*" >&2; exit "$rc"; }

ROOT=$(cd "$(dirname "$0")/.." && pwd -P)

deps_only=0 no_scan=0 no_install=0
while [ "$#" -gt 0 ]; do
  case "$1" in
    --deps-only) deps_only=1; shift ;;
    --no-install) no_install=1; shift ;;
    --no-scan) no_scan=1; shift ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    --) shift; break ;;
    -*) die 12 "unknown option: $1 (see $me --help)" ;;
    *) break ;;
  esac
done

# ------------------------------------------------------------------ 1. dependencies
# Debian package names. A group "a|b" is satisfied by any one of them; the first is
# what gets installed.
PACKAGES="
ca-certificates
build-essential
cmake
pkg-config
git
libtree-sitter-dev
libpcre2-dev
libcjson-dev
libcriterion-dev
zlib1g-dev
liblzma-dev
libbz2-dev
libyaml-dev
python3
dpkg-dev
file
python3-venv
python3-jsonschema
python3-rfc3987
pre-commit
jq
vim|vim-nox|vim-gtk3|vim-motif
man-db
valgrind
clang
libclang-rt-14-dev
"

is_installed() { # $1 = package; true when dpkg says "installed"
  [ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null || true)" = installed ]
}

missing_packages() { # prints the packages to install, one per line
  local group alt found
  for group in $PACKAGES; do
    found=0
    for alt in ${group//|/ }; do
      if is_installed "$alt"; then found=1; break; fi
    done
    [ "$found" = 1 ] || printf '%s\n' "${group%%|*}"
  done
  # node + npm: this may be NodeSource's nodejs, which bundles npm; Debian's npm
  # package would conflict with it, so only ask for nodejs + npm when npm is missing.
  if ! command -v npm >/dev/null 2>&1 || ! command -v node >/dev/null 2>&1; then
    printf '%s\n' nodejs npm
  fi
}

install_deps() {
  command -v dpkg-query >/dev/null 2>&1 || die 10 "dpkg-query not found: this script is for Debian 12 (bookworm)"
  local missing
  missing=$(missing_packages | tr '\n' ' ')
  missing=${missing% }
  if [ -z "$missing" ]; then
    say "all packages are installed; skipping apt-get"
    return 0
  fi
  say "installing: $missing"
  local sudo=
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null 2>&1 || die 10 "not root and no sudo: run as root, or install: $missing"
    sudo="sudo -n"
  fi
  export DEBIAN_FRONTEND=noninteractive
  # shellcheck disable=SC2086 # word splitting of $sudo / $missing is intended
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q </dev/null \
    || die 10 "apt-get update failed (is a Debian mirror reachable?)"
  # shellcheck disable=SC2086
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing </dev/null \
    || die 10 "apt-get install failed for: $missing"
  hash -r
  missing=$(missing_packages | tr '\n' ' ')
  [ -z "${missing% }" ] || die 10 "still missing after apt-get install: $missing"
  say "dependencies installed"
}

install_deps
[ "$deps_only" = 0 ] || exit 0

# ------------------------------------------------------------------ 2. build
say "building into $ROOT/build"
cmake -S "$ROOT" -B "$ROOT/build" -DCMAKE_BUILD_TYPE=Release || die 11 "cmake configure failed"
cmake --build "$ROOT/build" -j"$(nproc)" || die 11 "build failed"
[ -x "$ROOT/build/loadlint" ] || die 11 "the build did not produce $ROOT/build/loadlint"

# ------------------------------------------------------------------ 3. install
loadlint="$ROOT/build/loadlint"
if [ "$no_install" = 0 ]; then
  sudo=
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null 2>&1 \
      || die 13 "not root and no sudo: run as root, or use --no-install (build/loadlint works in place)"
    sudo="sudo -n"
  fi
  say "installing: cmake --install build (prefix /usr/local)"
  # shellcheck disable=SC2086 # word splitting of $sudo is intended
  $sudo cmake --install "$ROOT/build" --prefix /usr/local >/dev/null \
    || die 13 "cmake --install build failed (${sudo:+sudo may need a password: run as root, or }use --no-install to keep build/loadlint only)"
  hash -r
  installed=$(command -v loadlint 2>/dev/null || true)
  [ -n "$installed" ] || die 13 "loadlint is installed in /usr/local/bin, which is not on PATH ($PATH)"
  if [ "$installed" != /usr/local/bin/loadlint ]; then
    say "warning: PATH finds $installed before /usr/local/bin/loadlint"
  fi
  version=$(/usr/local/bin/loadlint --version 2>&1) \
    || die 13 "the installed loadlint --version failed: $version"
  say "installed /usr/local/bin/loadlint: $(printf '%s' "$version" | head -n 1)"
  loadlint=/usr/local/bin/loadlint
fi
[ "$no_scan" = 0 ] || exit 0

# ------------------------------------------------------------------ 4. scan
rc=0
if [ "$#" -eq 0 ]; then
  say "scanning the example project: $loadlint examples/vulnerable-app"
  (cd "$ROOT" && "$loadlint" examples/vulnerable-app) || rc=$?
  case "$rc" in
    0) say "warning: loadlint found nothing in examples/vulnerable-app, which is vulnerable on purpose"
       exit 0 ;;
    1) say "findings reported, as expected for the example project"
       exit 0 ;;
    *) die "$rc" "loadlint failed with exit code $rc" ;;
  esac
fi
say "scanning: $*"
"$loadlint" "$@" || rc=$?
case "$rc" in
  0|1) exit "$rc" ;;
  *) die "$rc" "loadlint failed with exit code $rc" ;;
esac
