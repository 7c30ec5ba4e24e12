#!/usr/bin/env bash
# Installs what GMG Hub needs from Debian 12's archive, only what is missing.
#   scripts/install-deps.sh build   compilers and libraries, libpq-dev included (make build / make run)
#   scripts/install-deps.sh test    the above, plus Chromium, nginx, wrk, xmllint, clang with
#                                   its sanitizer/libFuzzer runtimes (the debug build the tests
#                                   run, and the fuzz targets), and the PostgreSQL 15 server
#                                   and psql for scripts/pg-cluster.sh (make test, make bench)
# Never installs libboost-dev (it pulls Boost 1.74, which conflicts with 1.81).
set -euo pipefail

what=${1:-build}
build_pkgs=(g++ cmake ninja-build ccache pkg-config make
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libsqlite3-dev libsodium-dev libcli11-dev libfmt-dev libpugixml-dev libxlsxwriter-dev libjemalloc-dev zlib1g-dev
  libgtest-dev libgmock-dev libbenchmark-dev libpq-dev libstemmer-dev libexpat1-dev
  libhowardhinnant-date-dev libcurl4-openssl-dev)
# libclang-rt-14-dev (libFuzzer) is only a recommendation of clang, which --no-install-recommends skips.
# postgresql-15 brings the server binaries under /usr/lib/postgresql/15/bin and psql; the tests run
# their own throwaway cluster (scripts/pg-cluster.sh), so Debian's cluster service is not needed.
# clang-format and clang-tidy: make lint. chromium-headless-shell: the browser tests' Chromium (the
# "old" headless shell, as Playwright uses; measured at less than half the CPU of `chromium --headless`).
test_pkgs=(chromium-headless-shell nginx-light wrk libxml2-utils curl sqlite3 time strace clang libclang-rt-14-dev
  clang-format clang-tidy postgresql-15 postgresql-client-15 python3-icalendar python3-aiosmtpd)

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
# In a container or chroot without an init system, invoke-rc.d cannot start Debian's own cluster
# and says so; policy-rc.d answers "not allowed" (101) so the packages install quietly. The rule is
# only added when no policy exists, and removed afterwards.
policy=/usr/sbin/policy-rc.d
added_policy=
if [ ! -e /run/systemd/system ] && [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null && $sudo chmod +x "$policy"
  added_policy=1
fi
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" ||
  { rc=$?; [ -z "$added_policy" ] || $sudo rm -f "$policy"; exit $rc; }
[ -z "$added_policy" ] || $sudo rm -f "$policy"
