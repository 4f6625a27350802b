#!/usr/bin/env bash
# Install the SARIF validation tools (pinned) into a cache folder outside the repo.
#
#   tests/tools/install-sarif-tools.sh [DIR]
#
# DIR defaults to $LOADLINT_SARIF_TOOLS, else
# ${LOADLINT_CACHE_DIR:-$HOME/.cache/loadlint}/sarif-tools.
# It ends up holding node_modules/ with:
#   @microsoft/sarif-multitool@5.7.0 (+ @microsoft/sarif-multitool-linux@5.7.0, which
#   ships the Sarif.Multitool binary and the sarif-2.1.0.json schema), ajv-cli@5.0.0,
#   ajv-formats@3.0.1.
# Idempotent: when every package is present at its pinned version and the schema's
# sha256 matches, nothing is downloaded. The only line on stdout is DIR (npm's output
# goes to stderr), so callers can do: TOOLS=$(tests/tools/install-sarif-tools.sh).
# Exit status: 0 ok, 1 install or verification failed.
set -eu

MULTITOOL_VERSION=5.7.0
AJV_CLI_VERSION=5.0.0
AJV_FORMATS_VERSION=3.0.1
# sha256 of node_modules/@microsoft/sarif-multitool-linux/sarif-2.1.0.json (5.7.0, 114228 bytes)
SCHEMA_SHA256=1c49a0f2b60444c71bb14878e21e0d882198eff4c539861b133093ad89ed798c
SCHEMA_REL=node_modules/@microsoft/sarif-multitool-linux/sarif-2.1.0.json
MULTITOOL_REL=node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool

me=${0##*/}
die() { printf '%s: error: %s\n' "$me" "$*" >&2; exit 1; }
log() { printf '%s: %s\n' "$me" "$*" >&2; }

case "${1:-}" in
  -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
esac
[ "$#" -le 1 ] || die "usage: $me [DIR]"

if [ "$#" -eq 1 ]; then
  DIR=$1
elif [ -n "${LOADLINT_SARIF_TOOLS:-}" ]; then
  DIR=$LOADLINT_SARIF_TOOLS
else
  DIR=${LOADLINT_CACHE_DIR:-${HOME:-/root}/.cache/loadlint}/sarif-tools
fi

command -v node >/dev/null 2>&1 || die "node is not on PATH (install nodejs, e.g. scripts/setup.sh --deps-only)"
command -v npm >/dev/null 2>&1 || die "npm is not on PATH (install npm, e.g. scripts/setup.sh --deps-only)"
command -v sha256sum >/dev/null 2>&1 || die "sha256sum (coreutils) is not on PATH"

mkdir -p "$DIR" || die "cannot create $DIR"
DIR=$(cd "$DIR" && pwd -P)

# pkg@version pairs that must be present; the -linux package is pinned explicitly because
# @microsoft/sarif-multitool only asks for it as an optional dependency "^5.7.0".
PINS="@microsoft/sarif-multitool@$MULTITOOL_VERSION
@microsoft/sarif-multitool-linux@$MULTITOOL_VERSION
ajv-cli@$AJV_CLI_VERSION
ajv-formats@$AJV_FORMATS_VERSION"

installed_version() { # $1 = package name; prints its version or nothing
  local pj="$DIR/node_modules/$1/package.json"
  [ -f "$pj" ] || return 0
  node -e 'try { process.stdout.write(String(require(process.argv[1]).version)) } catch (e) {}' "$pj"
}

# Prints what is wrong (one line each) and returns 1, or returns 0 when all is in place.
check_tools() {
  local bad=0 pin name want have
  while IFS= read -r pin; do
    name=${pin%@*}; want=${pin##*@}
    have=$(installed_version "$name")
    if [ "$have" != "$want" ]; then
      echo "$name: want $want, have ${have:-nothing}"; bad=1
    fi
  done <<EOF_PINS
$PINS
EOF_PINS
  [ -e "$DIR/node_modules/.bin/ajv" ] || { echo "node_modules/.bin/ajv is missing"; bad=1; }
  [ -f "$DIR/$MULTITOOL_REL" ] || { echo "$MULTITOOL_REL is missing"; bad=1; }
  if [ -f "$DIR/$SCHEMA_REL" ]; then
    have=$(sha256sum "$DIR/$SCHEMA_REL" | cut -d' ' -f1)
    [ "$have" = "$SCHEMA_SHA256" ] || { echo "$SCHEMA_REL: sha256 $have, want $SCHEMA_SHA256"; bad=1; }
  else
    echo "$SCHEMA_REL is missing"; bad=1
  fi
  return "$bad"
}

# npm 11 skips the package's "postinstall: chmod u+x Sarif.Multitool" (allowScripts);
# the file ships as 0744, but make sure anyway.
fix_mode() {
  if [ -f "$DIR/$MULTITOOL_REL" ] && [ ! -x "$DIR/$MULTITOOL_REL" ]; then
    chmod u+x "$DIR/$MULTITOOL_REL"
  fi
}

install_tools() {
  if problems=$(check_tools); then
    fix_mode
    return 0
  fi
  log "installing SARIF tools into $DIR:"
  printf '%s\n' "$problems" | sed 's/^/  /' >&2
  cat >"$DIR/package.json" <<EOF_PJ
{
  "name": "loadlint-sarif-tools",
  "private": true,
  "description": "SARIF validators for loadlint's tests (written by tests/tools/install-sarif-tools.sh)",
  "dependencies": {
    "@microsoft/sarif-multitool": "$MULTITOOL_VERSION",
    "@microsoft/sarif-multitool-linux": "$MULTITOOL_VERSION",
    "ajv-cli": "$AJV_CLI_VERSION",
    "ajv-formats": "$AJV_FORMATS_VERSION"
  }
}
EOF_PJ
  # Start clean: npm would not repair a tampered file inside an installed package.
  rm -rf "$DIR/node_modules" "$DIR/package-lock.json"
  # --no-audit/--no-fund: no extra registry calls; output to stderr so stdout stays DIR.
  if ! (cd "$DIR" && npm install --no-audit --no-fund --loglevel=warn 1>&2); then
    die "npm install failed in $DIR (is the npm registry reachable?)"
  fi
  fix_mode
  if ! problems=$(check_tools); then
    printf '%s\n' "$problems" | sed 's/^/  /' >&2
    die "SARIF tools in $DIR are not as pinned after npm install"
  fi
  log "installed: $(printf '%s\n' "$PINS" | tr '\n' ' ')"
}

# Serialize concurrent runs (e.g. parallel ctest jobs) on the same DIR.
if command -v flock >/dev/null 2>&1; then
  exec 9>"$DIR/.install.lock"
  flock 9 || die "cannot lock $DIR/.install.lock"
fi
install_tools
printf '%s\n' "$DIR"
