#!/usr/bin/env bash
# The iCalendar benchmark (issue 12, docs/performance.md "Meetings and positions (issue 12)"):
# build/release/gmg_ical_bench (the feed of 10,000 meetings from SQLite, and the writer alone)
# and, in the same run, the peer: Debian's python3-icalendar serialising the same 10,000 events
# (bench/meetings/icalendar_peer.py). Prints a Markdown table with the ratio.
#
#   bench/meetings/run.sh [--no-build]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
if [ "${1:-}" != --no-build ]; then
  (cd "$root" && cmake --preset release >/dev/null &&
    nice cmake --build --preset release --target gmg_ical_bench >/dev/null)
fi
out=$(mktemp -d "${TMPDIR:-/tmp}/gmg-ical-bench.XXXXXX")
trap 'rm -rf "$out"' EXIT
bin=$root/build/release/gmg_ical_bench
"$bin" --benchmark_min_time=0.5 --benchmark_repetitions=5 --benchmark_report_aggregates_only=true \
  --benchmark_out="$out/gmg.json" --benchmark_out_format=json
"$bin" --dump-events "$out/events.jsonl"
/usr/bin/python3 "$root/bench/meetings/icalendar_peer.py" "$out/events.jsonl" > "$out/peer.json"
/usr/bin/python3 - "$out/gmg.json" "$out/peer.json" <<'PY'
import json, sys
gmg = json.load(open(sys.argv[1]))
peer = json.load(open(sys.argv[2]))
med = {b['run_name']: b for b in gmg['benchmarks'] if b.get('aggregate_name') == 'median'}
feed, writer = med['BM_IcalFeed'], med['BM_IcalWriter']
def ms(b):
    return b['real_time'] * {'ms': 1, 'us': 1e-3, 'ns': 1e-6}[b['time_unit']]
print('| 10,000 meetings, one range | median ms | bytes | target |')
print('|---|---:|---:|---|')
print(f"| GMG feed (SQLite read + writer) | {ms(feed):.2f} | {int(feed['bytes'])} | < 20 ms |")
print(f"| GMG writer alone | {ms(writer):.2f} | {int(writer['bytes'])} | |")
print(f"| python3-icalendar to_ical() (peer, no VTIMEZONE) | {peer['to_ical_ms']:.1f} | {peer['bytes']} | |")
print(f"| python3-icalendar building the objects + to_ical() | {peer['build_ms'] + peer['to_ical_ms']:.1f} | | |")
print(f"\nRatio: the peer's to_ical() takes {peer['to_ical_ms'] / ms(writer):.0f}x the GMG writer's time; "
      f"the whole GMG feed is {peer['to_ical_ms'] / ms(feed):.0f}x faster than the peer's serialisation alone.")
PY
