#!/bin/sh
# Fetch a pinned tree-sitter grammar from the npm registry, verify it and
# unpack its src/ into DEST.
#   usage: fetch.sh PINFILE DEST
# The tarball is cached in ${LOADLINT_CACHE_DIR:-$HOME/.cache/loadlint}/grammars
# as the file `npm pack` writes (a scoped name @scope/pkg gives scope-pkg-VERSION.tgz).
# LOADLINT_GRAMMAR_TARBALL may name local copies, separated by ':'; the one
# whose sha256 is the pinned one is used (the others are left alone, so one
# variable can serve every grammar). Offline without a cached tarball, it
# stops with a message that says what to do.
set -eu

pin=$1
dest=$2

value() { sed -n "s/^$1=//p" "$pin"; }
name=$(value name)
version=$(value version)
sha256=$(value sha256)
if [ -z "$name" ] || [ -z "$version" ] || [ -z "$sha256" ]; then
    echo "fetch.sh: $pin: needs name=, version= and sha256= lines" >&2
    exit 1
fi

stamp="$dest/.stamp"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$name@$version $sha256" ] &&
   [ -f "$dest/src/parser.c" ]; then
    exit 0
fi

cache=${LOADLINT_CACHE_DIR:-${HOME:-/tmp}/.cache/loadlint}/grammars
# what `npm pack` names the tarball: @scope/pkg -> scope-pkg-VERSION.tgz
file=$(printf '%s' "$name" | sed 's,^@,,; s,/,-,g')-$version.tgz
tarball=$cache/$file

check() {
    got=$(sha256sum "$1" | cut -d' ' -f1)
    [ "$got" = "$sha256" ]
}

if [ -n "${LOADLINT_GRAMMAR_TARBALL:-}" ]; then
    found=
    old_ifs=$IFS
    IFS=:
    for t in $LOADLINT_GRAMMAR_TARBALL; do
        if [ -f "$t" ] && check "$t"; then
            found=$t
            break
        fi
    done
    IFS=$old_ifs
    if [ -n "$found" ]; then
        tarball=$found
    else
        echo "fetch.sh: no file in LOADLINT_GRAMMAR_TARBALL matches $name@$version;" \
             "using $tarball" >&2
    fi
fi

if [ -f "$tarball" ] && ! check "$tarball"; then
    echo "fetch.sh: $tarball: sha256 mismatch, fetching again" >&2
    rm -f "$tarball"
fi
if [ ! -f "$tarball" ]; then
    if ! command -v npm >/dev/null 2>&1; then
        echo "fetch.sh: npm is not installed and $tarball is not cached;" \
             "install npm (scripts/setup.sh does) or set LOADLINT_GRAMMAR_TARBALL" >&2
        exit 1
    fi
    mkdir -p "$cache"
    tmp=$(mktemp -d "$cache/fetch.XXXXXX")
    trap 'rm -rf "$tmp"' EXIT
    echo "fetch.sh: fetching $name@$version from the npm registry" >&2
    if ! (cd "$tmp" && npm pack --silent "$name@$version" >/dev/null); then
        echo "fetch.sh: could not fetch $name@$version (offline?); put the tarball" \
             "at $tarball or set LOADLINT_GRAMMAR_TARBALL" >&2
        exit 1
    fi
    mv "$tmp/$file" "$tarball.part"
    if ! check "$tarball.part"; then
        echo "fetch.sh: $file does not match the pinned sha256 $sha256" >&2
        rm -f "$tarball.part"
        exit 1
    fi
    mv "$tarball.part" "$tarball"
fi
if ! check "$tarball"; then
    echo "fetch.sh: $tarball does not match the pinned sha256 $sha256" >&2
    exit 1
fi

rm -rf "$dest.tmp"
mkdir -p "$dest.tmp"
tar -xzf "$tarball" -C "$dest.tmp" package/src package/LICENSE
rm -rf "$dest"
mv "$dest.tmp/package" "$dest"
rmdir "$dest.tmp"
echo "$name@$version $sha256" > "$stamp"
