#!/usr/bin/env bash
# Installs what GMG Hub needs from Debian 12's archive, only what is missing.
#   scripts/install-deps.sh build   compilers and libraries (make build / make run)
#   scripts/install-deps.sh test    the above, plus Chromium, nginx, wrk, xmllint, and clang with
#                                   its libFuzzer/sanitizer runtimes (make test, make bench)
# Never installs libboost-dev (it pulls Boost 1.74, which conflicts with 1.81).
set -euo pipefail

what=${1:-build}
build_pkgs=(g++ cmake ninja-build ccache pkg-config make
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libsqlite3-dev libsodium-dev libcli11-dev libfmt-dev libpugixml-dev libxlsxwriter-dev libjemalloc-dev zlib1g-dev
  libgtest-dev libgmock-dev libbenchmark-dev libpq-dev)
# libclang-rt-14-dev (libFuzzer) is only a recommendation of clang, which --no-install-recommends skips.
test_pkgs=(chromium nginx-light wrk libxml2-utils curl sqlite3 time strace clang libclang-rt-14-dev)

pkgs=("${build_pkgs[@]}")
[ "$what" = test ] && pkgs+=("${test_pkgs[@]}")
command -v node >/dev/null 2>&1 || pkgs+=(nodejs npm)

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "installing: ${missing[*]}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo=sudo
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
