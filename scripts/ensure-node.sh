#!/usr/bin/env bash
# Prints the directory whose `node` the web toolchain and the Node tests must run with; the
# Makefile puts it first on PATH. The web toolchain (vite 8, rolldown, playwright-core,
# TypeScript 7) needs Node >= 20, and Debian 12's apt offers Node 18.
#   - system node >= 20 (e.g. 20 or 22): prints its directory; downloads nothing.
#   - otherwise: a pinned Node 22 from the npm registry (package node-linux-<arch>, fetched with
#     the system npm, checked against the sha512 below) is unpacked once into .tools/node/bin and
#     printed; later runs find it there and need no network.
# Messages go to stderr; stdout carries only the directory. Exits non-zero when no usable Node
# can be had (no npm, unsupported CPU, download or checksum failure).
set -euo pipefail

readonly min_major=20
readonly version=22.23.5
# sha512 of https://registry.npmjs.org/node-linux-<arch>/-/node-linux-<arch>-$version.tgz
readonly sha512_x64=de3842fb07285b1299c5c46a176b144a5d1cf47117167babfe7b883f1e8ee8258a5748ce516426ec7b70e52b97aaa94c084862d1c26ac9b14f11be6185c06233
readonly sha512_arm64=7b52ce506295aee3c6b8b56eb67f3e0a09b9a48d403e6e0abe1fb36dbfea7bf6690fdb3e4d06f2e6252064e5a63e96d22a98f44ddf033f53743449d76ac1e2ce

root=$(cd "$(dirname "$0")/.." && pwd)
dest=$root/.tools/node

# The major version of the node at $1, or nothing when it does not run.
major_of() {
  local v
  v=$("$1" --version 2>/dev/null) || return 0
  v=${v#v}
  echo "${v%%.*}"
}

system_node=$(command -v node || true)
major=
if [ -n "$system_node" ]; then
  major=$(major_of "$system_node")
  if [ -n "$major" ] && [ "$major" -ge "$min_major" ]; then
    dirname "$system_node"
    exit 0
  fi
fi

if [ "$("$dest/bin/node" --version 2>/dev/null || true)" = "v$version" ]; then
  echo "$dest/bin"
  exit 0
fi

case "$(uname -m)" in
  x86_64) arch=x64 sha512=$sha512_x64 ;;
  aarch64) arch=arm64 sha512=$sha512_arm64 ;;
  *) echo "ensure-node: no pinned Node for $(uname -m); install Node >= $min_major" >&2; exit 1 ;;
esac
if ! command -v npm >/dev/null 2>&1; then
  echo "ensure-node: Node >= $min_major is needed and npm is missing (apt-get install npm)" >&2
  exit 1
fi

echo "ensure-node: the system's node (${system_node:-none}${major:+, major $major}) is older than $min_major;" \
  "fetching Node $version from the npm registry into .tools/node (once)" >&2
mkdir -p "$root/.tools"
tmp=$(mktemp -d "$root/.tools/node-download.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --loglevel=error "node-linux-$arch@$version" >/dev/null)
tarball=$tmp/node-linux-$arch-$version.tgz
actual=$(sha512sum "$tarball" | cut -d' ' -f1)
if [ "$actual" != "$sha512" ]; then
  echo "ensure-node: checksum mismatch for $(basename "$tarball"): got $actual" >&2
  exit 1
fi
tar -xzf "$tarball" -C "$tmp" package/bin/node package/LICENSE
if [ "$("$tmp/package/bin/node" --version)" != "v$version" ]; then
  echo "ensure-node: the downloaded node does not run here" >&2
  exit 1
fi
rm -rf "$dest"
mkdir -p "$dest/bin"
mv "$tmp/package/LICENSE" "$dest/LICENSE"
mv "$tmp/package/bin/node" "$dest/bin/node"
echo "$dest/bin"
