#!/usr/bin/env bash
# Builds the libFuzzer targets (preset `fuzz`, build/fuzz) and runs each one: first its
# regression inputs (fuzz/regressions/<target>/, each must pass), then fuzzing for a bounded
# time from its seed corpus (fuzz/corpus/<target>/). Fails if any target crashes, leaks, times
# out or runs out of memory; the input that did it is left in build/fuzz/artifacts/<target>/.
#
#   scripts/fuzz.sh                       20 s per target, 2 at a time (make test-fuzz)
#   scripts/fuzz.sh --seconds 3600        long run (make fuzz-long FUZZ_SECONDS=3600)
#   options: --seconds N  --jobs N  --targets "iati_fuzz query_fuzz"  --summary FILE
#            --no-build   --rss-mb N (default 2048)
#
# New inputs a run finds go to build/fuzz/corpus/<target>/ (kept between runs, never into the
# repository); `--summary FILE` writes a Markdown table of executions, coverage and crashes.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=20
jobs=2
targets=""
summary=""
build=1
rss_mb=2048
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    --targets) targets=$2; shift 2 ;;
    --summary) summary=$2; shift 2 ;;
    --rss-mb) rss_mb=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    *) echo "fuzz.sh: unknown option $1" >&2; exit 2 ;;
  esac
done

out=build/fuzz
# Stacks for UBSan reports too; a report of either sanitizer is a crash.
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
if [ "$build" = 1 ]; then
  cmake --preset fuzz ${GMG_UNITY:+-DGMG_UNITY=$GMG_UNITY} >/dev/null
  cmake --build --preset fuzz
fi
if [ -z "$targets" ]; then
  for f in fuzz/*_fuzz.cc; do
    t=$(basename "$f" .cc)
    [ -x "$out/fuzz/$t" ] && targets="$targets $t"
  done
fi
[ -n "${targets// /}" ] || { echo "fuzz.sh: no fuzz targets built in $out/fuzz" >&2; exit 1; }

# Regressions: every input that once failed a target is run again, once each. A target that
# fails one is not fuzzed (it would stop on the same input); the others still are.
regressions_failed=""
fuzz_targets=""
for t in $targets; do
  dir=fuzz/regressions/$t
  if [ -d "$dir" ] && [ -n "$(ls -A "$dir")" ]; then
    echo "== $t: regression inputs in $dir"
    mkdir -p "$out/artifacts/$t"
    if ! "$out/fuzz/$t" -rss_limit_mb="$rss_mb" -artifact_prefix="$out/artifacts/$t/regression-" \
      "$dir"/* >"$out/$t.regressions.log" 2>&1; then
      grep -E 'Running:|fuzz check failed|runtime error|ERROR: AddressSanitizer|SUMMARY' \
        "$out/$t.regressions.log" | tail -6
      echo "FAIL: $t fails on a regression input (log: $out/$t.regressions.log)" >&2
      regressions_failed="$regressions_failed $t"
      continue
    fi
  fi
  fuzz_targets="$fuzz_targets $t"
done
targets=$fuzz_targets

# One target for the given time; its log is $out/<target>.log.
run_one() {
  local t=$1 dict="" max_len=4096
  mkdir -p "$out/corpus/$t" "$out/artifacts/$t"
  [ -f "fuzz/${t%_fuzz}.dict" ] && dict="-dict=fuzz/${t%_fuzz}.dict"
  [ "$t" = iati_fuzz ] && max_len=32768  # whole activities, as the seeds have them
  nice "$out/fuzz/$t" -max_total_time="$seconds" -rss_limit_mb="$rss_mb" -timeout=10 \
    -max_len="$max_len" -print_final_stats=1 $dict -artifact_prefix="$out/artifacts/$t/" \
    "$out/corpus/$t" "fuzz/corpus/$t" >"$out/$t.log" 2>&1
}

echo "== fuzzing $targets for ${seconds}s each, $jobs at a time"
declare -A pid_of
failed=""
running=0
for t in $targets; do
  run_one "$t" &
  pid_of[$t]=$!
  running=$((running + 1))
  if [ "$running" -ge "$jobs" ]; then
    wait -n || true
    running=$((running - 1))
  fi
done
for t in $targets; do
  if ! wait "${pid_of[$t]}"; then failed="$failed $t"; fi
done

# Figures from each log: the last status line (cov, ft, corp) and the final stats.
stat() { grep -m1 "^stat::$2:" "$out/$1.log" | awk '{print $2}'; }
report() {
  echo "| target | seconds | execs | execs/s | cov | ft | corpus | new units | peak RSS MB | crashes |"
  echo "|---|---|---|---|---|---|---|---|---|---|"
  for t in $targets; do
    local last cov ft corp crashes
    last=$(grep -E '^#[0-9]+' "$out/$t.log" | tail -1)
    cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
    ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
    corp=$(sed -n 's/.* corp: \([0-9]*\/[0-9]*[a-zA-Z]*\).*/\1/p' <<<"$last")
    crashes=$(ls "$out/artifacts/$t" 2>/dev/null | grep -cE '^(crash|leak|timeout|oom)-' || true)
    echo "| $t | $seconds | $(stat "$t" number_of_executed_units) | $(stat "$t" average_exec_per_sec) |" \
      "$cov | $ft | $corp | $(stat "$t" new_units_added) | $(stat "$t" peak_rss_mb) | $crashes |"
  done
}
report
[ -n "$summary" ] && { mkdir -p "$(dirname "$summary")"; report >"$summary"; echo "summary: $summary"; }

for t in $failed; do
  echo "---- $t ($out/$t.log):"
  grep -E 'ERROR|SUMMARY|fuzz check failed|Test unit written|runtime error' "$out/$t.log" | head -20
done
if [ -n "$failed$regressions_failed" ]; then
  [ -n "$regressions_failed" ] && echo "FAIL: regression inputs failed:$regressions_failed" >&2
  [ -n "$failed" ] && echo "FAIL: fuzzing found a failure in:$failed" >&2
  exit 1
fi
echo "OK: no crash in$targets"
