#!/usr/bin/env bash
# Runs lanes of make targets at the same time: each argument is one lane, its targets run one
# after the other (a lane stops at its first failure). Each lane's output goes to
# build/lane-<n>.log and is printed when every lane has ended, with each target's time; exits
# non-zero when any target failed.
#
#   scripts/lanes.sh test-e2e test-e2e-postgres      (make test-e2e-both)
set -uo pipefail
cd "$(dirname "$0")/.."
[ $# -gt 0 ] || { echo "usage: scripts/lanes.sh \"target …\" \"target …\" …" >&2; exit 2; }
mkdir -p build

# One lane: its targets in order; each one's time on stderr (in the lane's log).
lane() {
  local target start
  for target in $1; do
    start=$SECONDS
    "${MAKE:-make}" --no-print-directory "$target" || { echo "== $target: FAILED after $((SECONDS - start)) s" >&2; return 1; }
    echo "== $target: $((SECONDS - start)) s" >&2
  done
}

pids=()
n=0
for targets in "$@"; do
  n=$((n + 1))
  lane "$targets" > "build/lane-$n.log" 2>&1 &
  pids+=("$!")
done

failed=0
n=0
for targets in "$@"; do
  wait "${pids[$n]}"
  rc=$?
  n=$((n + 1))
  echo "== lane $n ($targets): exit $rc"
  cat "build/lane-$n.log"
  [ "$rc" -eq 0 ] || failed=1
done
exit "$failed"
