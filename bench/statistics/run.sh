#!/usr/bin/env bash
# The statistics benchmark (issue 11, docs/performance.md "Statistics (issue 11)"): builds the
# release driver, starts a throwaway PostgreSQL 15 cluster (scripts/pg-cluster.sh), runs
# build/release/gmg_stats_bench on the generated dataflow and plain PostgreSQL, prints the
# Markdown table and keeps the JSON; the cluster and the generated files are removed after.
#
#   bench/statistics/run.sh [--no-build] [--no-pg] [gmg_stats_bench options…]
#   e.g. bench/statistics/run.sh --areas 50 --origins 50 --years 20   (a small run first)
#
# Environment: PG_PORT (default: the first free port from 54325), OUT (default a temporary
# folder: results.json, the generated CSV, the SQLite databases).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=1
pg=1
args=()
for a in "$@"; do
  case $a in
    --no-build) build=0 ;;
    --no-pg) pg=0 ;;
    *) args+=("$a") ;;
  esac
done
out=${OUT:-$(mktemp -d "${TMPDIR:-/tmp}/gmg-stats-bench.XXXXXX")}
mkdir -p "$out"
if [ $build = 1 ]; then
  (cd "$root" && cmake --preset release >/dev/null &&
    nice cmake --build --preset release --target gmg_stats_bench >/dev/null)
fi
cleanup() {
  [ $pg = 1 ] && "$root/scripts/pg-cluster.sh" stop "$out/pg" >/dev/null 2>&1 || true
  rm -f "$out"/*.csv "$out"/*.db "$out"/*.db-wal "$out"/*.db-shm
}
trap cleanup EXIT
pg_args=()
if [ $pg = 1 ]; then
  env_line=$("$root/scripts/pg-cluster.sh" start "$out/pg" ${PG_PORT:-})
  pg_args=(--pg "${env_line#export GMG_TEST_PG_URL=}")
fi
cmd=("$root/build/release/gmg_stats_bench" --dir "$out" --json "$out/results.json" "${args[@]}")
pg_note=""
[ $pg = 1 ] && pg_note=" --pg <cluster URL>"
echo "\$ ${cmd[*]}$pg_note   # $(nproc) cores, $(uname -r), $(date -u +%FT%TZ)" >&2
"${cmd[@]}" "${pg_args[@]}"
echo "JSON: $out/results.json" >&2
