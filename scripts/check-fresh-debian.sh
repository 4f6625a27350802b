#!/usr/bin/env bash
# Prove that the README's two commands work on a fresh Debian 12: build a
# `debootstrap --variant=minbase bookworm` chroot, copy the repo into it, and run
# scripts/setup.sh then scripts/test.sh inside, as root, with CI=true and no stdin.
#
#   scripts/check-fresh-debian.sh [--deps-only] [--refresh] [--clean] [--env NAME=VALUE]... [DIR]
#
# DIR (default /tmp/ll-chroot) holds:
#   base.tar   the pristine minbase system, made by debootstrap once and reused
#              (--refresh makes it again); every run unpacks it anew, so each run
#              starts from a clean minbase
#   root/      the chroot of this run (left in place for inspection; --clean removes it)
#   root-deb/  the pristine chroot the .deb is installed into (likewise)
#   logs/      one log per step
# The repo copy is what a fresh clone of the committed tree plus your uncommitted work
# would hold: git's tracked and untracked-but-not-ignored files (build/, caches and
# anything .gitignore'd stay out), committed into a new .git inside the chroot.
#
# Steps run inside the chroot (in /root/loadlint):
#   default:      scripts/setup.sh (the README's quick start: it ends with loadlint installed
#                 in /usr/local), then, in a new shell started from /: `loadlint --version`
#                 from PATH, `man -w loadlint` and the bash completion in place; then
#                 scripts/test.sh; then the Debian package: `cpack -G DEB` in the build,
#                 and `apt-get install ./loadlint_*.deb` in a second, pristine minbase
#                 (root-deb/), where /usr/bin/loadlint must run and scan
#   --deps-only:  scripts/setup.sh --deps-only --no-scan, then the steps that do not
#                 need the C code: tests/tools/install-sarif-tools.sh and
#                 tests/tools/test-sarif-validator.sh
# The steps run with a clean environment (HOME=/root, LANG=C.UTF-8, CI=true, PATH);
# --env NAME=VALUE adds a variable to it (e.g. --env CFLAGS=-Wno-error=... to get past a
# compiler warning and see the later steps).
# Needs root on the host (debootstrap, chroot, mount). Mounts /proc, /sys, a /dev/shm
# and the host's /dev/pts into the chroot (its other device nodes are debootstrap's)
# and always unmounts them on exit. Copies the host's
# /etc/resolv.conf and local CA certificates (/usr/local/share/ca-certificates) so
# the chroot reaches the registries the way the host does; nothing else of the host's.
# Exit status: 0 all steps passed; 1 a step failed; 2 the chroot could not be made.
set -eu -o pipefail

me=${0##*/}
say() { printf '%s: %s\n' "$me" "$*" >&2; }
die() { printf '%s: error: %s\n' "$me" "$*" >&2; exit 2; }

ROOT=$(cd "$(dirname "$0")/.." && pwd -P)
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
SECURITY_MIRROR=${DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}

deps_only=0 refresh=0 clean=0
extra_env=()
while [ "$#" -gt 0 ]; do
  case "$1" in
    --deps-only) deps_only=1; shift ;;
    --refresh) refresh=1; shift ;;
    --clean) clean=1; shift ;;
    --env)
      [ "$#" -ge 2 ] || die "--env needs NAME=VALUE"
      case "$2" in [A-Za-z_]*=*) ;; *) die "--env needs NAME=VALUE, got: $2" ;; esac
      extra_env+=("$2"); shift 2 ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    --) shift; break ;;
    -*) die "unknown option: $1 (see $me --help)" ;;
    *) break ;;
  esac
done
[ "$#" -le 1 ] || die "usage: $me [--deps-only] [--refresh] [--clean] [--env NAME=VALUE]... [DIR]"
DIR=${1:-/tmp/ll-chroot}

[ "$(id -u)" = 0 ] || die "must run as root (debootstrap, chroot and mount need it)"
mkdir -p "$DIR" || die "cannot create $DIR"
DIR=$(cd "$DIR" && pwd -P)
case "$DIR" in
  /|/bin|/boot|/dev|/etc|/home|/lib|/lib64|/proc|/root|/run|/sbin|/sys|/tmp|/usr|/var|"$ROOT"|"$ROOT"/*)
    die "refusing to use $DIR as the chroot folder" ;;
esac
R=$DIR/root
R2=$DIR/root-deb
LOGS=$DIR/logs
export LC_ALL=C

# ------------------------------------------------------------------ mounts (safety first)
mounts_under() { # prints mount points at or under $1, deepest first
  awk -v p="$1" '$2 == p || index($2, p "/") == 1 { print $2 }' /proc/self/mounts | sort -r
}

unmount_all() {
  local m
  for m in $(mounts_under "$R") $(mounts_under "$R2"); do
    umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || say "warning: could not unmount $m"
  done
}

remove_root() { # $1 = the chroot folder (default $R)
  local root=${1:-$R}
  [ -e "$root" ] || return 0
  unmount_all
  if [ -n "$(mounts_under "$root")" ]; then
    die "something is still mounted under $root; not deleting it"
  fi
  rm -rf --one-file-system "$root"
}

trap 'unmount_all' EXIT
trap 'exit 130' INT TERM

# ------------------------------------------------------------------ base system
if ! command -v debootstrap >/dev/null 2>&1; then
  say "installing debootstrap"
  DEBIAN_FRONTEND=noninteractive apt-get update -q </dev/null || die "apt-get update failed"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends debootstrap </dev/null \
    || die "apt-get install debootstrap failed"
fi

mkdir -p "$LOGS"
if [ "$refresh" = 1 ] || [ ! -s "$DIR/base.tar" ]; then
  say "debootstrap --variant=minbase bookworm (from $MIRROR; a few minutes)"
  remove_root
  rm -f "$DIR/base.tar"
  start=$(date +%s)
  if ! debootstrap --variant=minbase bookworm "$R" "$MIRROR" >"$LOGS/debootstrap.log" 2>&1; then
    tail -n 30 "$LOGS/debootstrap.log" >&2
    die "debootstrap failed (log: $LOGS/debootstrap.log)"
  fi
  # A fresh Debian 12 install also has the updates and security suites.
  cat >"$R/etc/apt/sources.list" <<EOF
deb $MIRROR bookworm main
deb $MIRROR bookworm-updates main
deb $SECURITY_MIRROR bookworm-security main
EOF
  rm -rf --one-file-system "$R"/var/cache/apt/archives/*.deb
  tar -C "$R" --one-file-system -cf "$DIR/base.tar.tmp" . || die "cannot save the base system"
  mv "$DIR/base.tar.tmp" "$DIR/base.tar"
  say "base system ready in $(( $(date +%s) - start )) s ($(du -sh "$DIR/base.tar" | cut -f1))"
fi

say "unpacking a fresh minbase into $R"
remove_root
mkdir -p "$R"
tar -C "$R" -xf "$DIR/base.tar" || die "cannot unpack $DIR/base.tar"

# No daemons from package installs inside the chroot.
printf '#!/bin/sh\nexit 101\n' >"$R/usr/sbin/policy-rc.d"
chmod 755 "$R/usr/sbin/policy-rc.d"
cp -L /etc/resolv.conf "$R/etc/resolv.conf" || die "cannot copy /etc/resolv.conf"
# The host's network, not its software: local CA certificates (e.g. a TLS-intercepting
# egress proxy's CA, without which npm fails with SELF_SIGNED_CERT_IN_CHAIN). They wait in
# /usr/local/share/ca-certificates until setup.sh installs ca-certificates, whose
# update-ca-certificates adds them to the system bundle that Debian's node uses.
# On a machine with a direct connection there are none and this copies nothing.
for crt in /usr/local/share/ca-certificates/*.crt; do
  [ -f "$crt" ] || continue
  mkdir -p "$R/usr/local/share/ca-certificates"
  cp -L "$crt" "$R/usr/local/share/ca-certificates/" || die "cannot copy $crt"
  say "using the host's local CA certificate ${crt##*/}"
done

# ------------------------------------------------------------------ the repo
dest=$R/root/loadlint
mkdir -p "$dest"
if git -C "$ROOT" rev-parse --git-dir >/dev/null 2>&1; then
  say "copying the repo (tracked + untracked, not ignored) to /root/loadlint"
  (cd "$ROOT" && git ls-files -z --cached --others --exclude-standard \
     | while IFS= read -r -d '' f; do [ -e "$f" ] || [ -L "$f" ] && printf '%s\0' "$f"; done \
     | tar --null -T - -cf -) | tar -C "$dest" -xf - || die "copying the repo failed"
  git -C "$dest" init -q -b main
  git -C "$dest" add -A
  git -C "$dest" -c user.name=check-fresh-debian -c user.email=check@localhost \
    commit -q --no-verify -m "working tree snapshot" || die "git commit of the snapshot failed"
else
  say "copying the working tree (no git) to /root/loadlint"
  tar -C "$ROOT" --exclude=./build --exclude=./.git --exclude=node_modules --exclude=__pycache__ \
    -cf - . | tar -C "$dest" -xf - || die "copying the repo failed"
fi

mount -t proc proc "$R/proc" || die "mount proc failed"
mount -t sysfs sysfs "$R/sys" || die "mount sysfs failed"
# /dev: the device nodes debootstrap made (null, zero, urandom, tty, ptmx...),
# not the host's /dev: on some hosts (sandboxes) a process that is not root
# may not open the host's device nodes, and apt's _apt user then fails on
# /dev/null. Terminals (tests drive script(1)) come from the host's /dev/pts.
mount -t tmpfs -o mode=1777 shm "$R/dev/shm" || die "mount /dev/shm failed"
mount --bind /dev/pts "$R/dev/pts" || die "bind-mount /dev/pts failed"

# ------------------------------------------------------------------ steps
in_chroot() { # $1 = step name, rest = command run by bash -c inside /root/loadlint
  local name=$1 cmd=$2 rc=0 start
  start=$(date +%s)
  say "[$name] $cmd"
  chroot "$R" /usr/bin/env -i HOME=/root LANG=C.UTF-8 TERM=dumb CI=true \
      PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin ${extra_env[@]+"${extra_env[@]}"} \
      bash -c "cd /root/loadlint && $cmd" </dev/null 2>&1 | tee "$LOGS/$name.log" || rc=$?
  results+=("$(printf '%-28s %s  (%d s)' "$name" "$([ "$rc" = 0 ] && echo PASS || echo "FAIL (exit $rc)")" $(( $(date +%s) - start )))")
  [ "$rc" = 0 ] || failed=$((failed + 1))
  return "$rc"
}

[ "${#extra_env[@]}" = 0 ] || say "extra environment for the steps: ${extra_env[*]}"
results=()
failed=0
if [ "$deps_only" = 1 ]; then
  if in_chroot setup-deps-only 'scripts/setup.sh --deps-only --no-scan'; then
    if in_chroot install-sarif-tools 'tests/tools/install-sarif-tools.sh'; then
      in_chroot test-sarif-validator 'tests/tools/test-sarif-validator.sh' || true
    fi
  fi
else
  # test.sh runs even when setup.sh failed: it installs and builds on its own, and its
  # result tells more than the first failure alone.
  in_chroot setup 'scripts/setup.sh' || true
  # what the quick start promises: loadlint on PATH, for any shell, from anywhere
  in_chroot on-path 'cd / && bash -lc "command -v loadlint && loadlint --version && man -w loadlint && test -s /usr/local/share/bash-completion/completions/loadlint"' || true
  in_chroot test 'scripts/test.sh' || true
  # The Debian package, built here and installed with apt-get into a pristine minbase:
  # its Depends pull in exactly what it needs, and the installed binary runs.
  if in_chroot deb-build 'rm -rf /tmp/deb && cmake --build build -j"$(nproc)" >/dev/null && (cd build && cpack -G DEB -B /tmp/deb >/dev/null) && ls /tmp/deb/loadlint_*.deb'; then
    deb=$(ls "$R"/tmp/deb/loadlint_*.deb | head -n 1)
    remove_root "$R2"
    mkdir -p "$R2"
    tar -C "$R2" -xf "$DIR/base.tar" || die "cannot unpack $DIR/base.tar"
    cp "$R/usr/sbin/policy-rc.d" "$R2/usr/sbin/policy-rc.d"
    cp -L /etc/resolv.conf "$R2/etc/resolv.conf" || die "cannot copy /etc/resolv.conf"
    cp "$deb" "$R2/root/" || die "cannot copy $deb"
    mount -t proc proc "$R2/proc" || die "mount proc failed"
    start=$(date +%s) rc=0
    say "[deb-install] apt-get install ./${deb##*/} in a pristine minbase, then loadlint"
    chroot "$R2" /usr/bin/env -i HOME=/root LANG=C.UTF-8 TERM=dumb DEBIAN_FRONTEND=noninteractive \
        PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin bash -c '
      set -e
      cd /root
      apt-get update -q
      apt-get install -y -q --no-install-recommends ./loadlint_*.deb
      dpkg -s loadlint | grep -E "^(Status|Version|Depends):"
      test "$(command -v loadlint)" = /usr/bin/loadlint
      loadlint --version
      test -s /usr/share/man/man1/loadlint.1 && test -s /usr/share/doc/loadlint/copyright
      printf "import pickle\n\ndef f(b):\n    return pickle.loads(b)\n" > /tmp/t.py
      rc=0; loadlint /tmp/t.py || rc=$?
      test "$rc" = 1
      apt-get remove -y -q loadlint >/dev/null
      test ! -e /usr/bin/loadlint' </dev/null 2>&1 | tee "$LOGS/deb-install.log" || rc=$?
    results+=("$(printf '%-28s %s  (%d s)' deb-install "$([ "$rc" = 0 ] && echo PASS || echo "FAIL (exit $rc)")" $(( $(date +%s) - start )))")
    [ "$rc" = 0 ] || failed=$((failed + 1))
  fi
fi

unmount_all
[ "$clean" = 0 ] || { remove_root; remove_root "$R2"; }

say "summary (logs in $LOGS):"
for line in "${results[@]}"; do printf '  %s\n' "$line" >&2; done
if [ "$failed" = 0 ]; then
  say "PASS: fresh Debian 12 minbase"
  exit 0
fi
say "FAIL: fresh Debian 12 minbase"
exit 1
