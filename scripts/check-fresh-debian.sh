#!/usr/bin/env bash
# Developer check: does `make test` pass on a brand-new Debian 12, as a new user would try it?
# Builds a minimal bookworm with debootstrap in a temporary folder, adds only make, git and
# ca-certificates, clones this repository into it and runs `make test` inside (chroot), which
# installs everything else itself (apt, npm, and a pinned Node when apt's is too old).
#
#   sudo scripts/check-fresh-debian.sh [REF]      REF: commit or branch to test (default HEAD)
#
# Needs: root (debootstrap, chroot, mounts of /proc, /sys, /dev, /dev/pts, /dev/shm for Chromium
# and the sanitizers), network to deb.debian.org and registry.npmjs.org (behind a TLS-inspecting
# proxy: NODE_EXTRA_CA_CERTS set, kept through sudo), about 6 GB in ${TMPDIR:-/var/tmp}, and
# time: packages, a full C++ build without ccache, every test.
# Installs debootstrap on the host when missing. Every output line is stamped with UTC time;
# phase lines start with "==". Exits with make test's status. The tree is removed at the end
# unless KEEP=1. To stop it, signal its process group (kill -- -PGID): the mounts are undone.
set -euo pipefail

if [ "$(id -u)" -ne 0 ]; then
  echo "check-fresh-debian: needs root (debootstrap, chroot, mounts)" >&2
  exit 1
fi
repo=$(cd "$(dirname "$0")/.." && pwd)
ref=$(git -C "$repo" rev-parse "${1:-HEAD}")
mirror=http://deb.debian.org/debian
work=$(mktemp -d "${TMPDIR:-/var/tmp}/gmg-fresh-debian.XXXXXX")
rootfs=$work/rootfs
mounted=()

stamp() { while IFS= read -r line; do printf '[%(%H:%M:%S)T] %s\n' -1 "$line"; done; }
phase() { printf '[%(%H:%M:%S)T] == %s\n' -1 "$*"; }

cleanup() {
  local i
  for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do
    umount -l "${mounted[i]}" 2>/dev/null || true
  done
  # Never delete through a mount that is still there (a bound /dev would be the host's).
  if grep -q " $work/" /proc/mounts; then
    echo "check-fresh-debian: mounts remain under $work; not removing it" >&2
  elif [ "${KEEP:-0}" != 1 ]; then
    rm -rf "$work"
  fi
}
trap cleanup EXIT
trap 'exit 143' TERM
trap 'exit 130' INT

mount_in() {  # mount_in TARGET MOUNT-ARGS...
  local target=$rootfs$1
  shift
  mkdir -p "$target"
  mount "$@" "$target"
  mounted+=("$target")
}

phase "testing $ref of $repo in $work"
if ! command -v debootstrap >/dev/null 2>&1; then
  phase "installing debootstrap on the host"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap 2>&1 | stamp
fi

phase "debootstrap bookworm (+ make git ca-certificates)"
debootstrap --include=make,git,ca-certificates bookworm "$rootfs" "$mirror" 2>&1 | stamp
cat >"$rootfs/etc/apt/sources.list" <<EOF
deb $mirror bookworm main
deb $mirror bookworm-updates main
deb http://security.debian.org/debian-security bookworm-security main
EOF
cp /etc/resolv.conf "$rootfs/etc/resolv.conf"
# A host behind a TLS-inspecting proxy trusts its CA through NODE_EXTRA_CA_CERTS: let the
# chroot's npm trust the same bundle (apt uses plain http; nothing else goes out over TLS).
if [ -r "${NODE_EXTRA_CA_CERTS:-}" ]; then
  cp "$NODE_EXTRA_CA_CERTS" "$rootfs/etc/ssl/host-ca-certificates.crt"
  echo "cafile=/etc/ssl/host-ca-certificates.crt" >"$rootfs/root/.npmrc"
fi

mount_in /proc -t proc proc
mount_in /sys -t sysfs sysfs
mount_in /dev --bind /dev
mount_in /dev/pts --bind /dev/pts
mount_in /dev/shm -t tmpfs -o mode=1777 shm

phase "clone"
git clone -q "$repo" "$rootfs/root/gmg" 2>&1 | stamp
git -C "$rootfs/root/gmg" checkout -q "$ref" 2>&1 | stamp
# Some tests read the public reference data (IATI schema and example) from ../shared beside
# the repository, as the project's CI lays it out. SHARED_DIR (default: the ../shared beside this
# repository, when there is one) is copied beside the clone; without it those tests fail.
if [ -z "${SHARED_DIR:-}" ] && [ -d "$repo/../shared" ]; then SHARED_DIR="$repo/../shared"; fi
if [ -n "${SHARED_DIR:-}" ]; then
  phase "copying $SHARED_DIR to /root/shared (SHARED_DIR)"
  cp -r "$SHARED_DIR" "$rootfs/root/shared"
fi

phase "make test"
set +e
env -i HOME=/root TERM=dumb LANG=C.UTF-8 \
  PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  chroot "$rootfs" /bin/bash -c 'cd /root/gmg && make test' </dev/null 2>&1 | stamp
status=${PIPESTATUS[0]}
set -e
phase "make test exited with $status"
exit "$status"
