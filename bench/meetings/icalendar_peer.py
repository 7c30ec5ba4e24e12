#!/usr/bin/python3
"""The peer of the iCalendar benchmark: Debian's python3-icalendar (with pytz) serialising the
same events as gmg_ical_bench (JSON lines from `gmg_ical_bench --dump-events FILE`).

Prints JSON: the best of --runs of building the Calendar objects and of to_ical(), in ms.
python3-icalendar writes no VTIMEZONE of its own (the C++ writer does), so the peer does less.
"""
import argparse
import json
import time
from datetime import datetime, timezone

import pytz
from icalendar import Calendar, Event


def build(rows):
    cal = Calendar()
    cal.add('prodid', '-//GMG Hub//Meetings//EN')
    cal.add('version', '2.0')
    cal.add('calscale', 'GREGORIAN')
    cal.add('method', 'PUBLISH')
    cal.add('x-wr-calname', 'GMG meetings')
    zones = {}
    stamp = datetime.fromtimestamp(rows[0]['last_modified'], timezone.utc)
    for r in rows:
        tz = zones.setdefault(r['zone'], pytz.timezone(r['zone']))
        e = Event()
        e.add('uid', r['uid'])
        e.add('dtstamp', stamp)
        e.add('dtstart', datetime.fromtimestamp(r['starts_at'], tz))
        e.add('dtend', datetime.fromtimestamp(r['ends_at'], tz))
        e.add('summary', r['summary'])
        e.add('location', r['location'])
        e.add('description', r['description'])
        e.add('status', 'CONFIRMED')
        e.add('sequence', 1)
        e.add('last-modified', stamp)
        e.add('x-gmg-chair', r['chair'])
        cal.add_component(e)
    return cal


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('events')
    ap.add_argument('--runs', type=int, default=3)
    a = ap.parse_args()
    with open(a.events, encoding='utf-8') as f:
        rows = [json.loads(line) for line in f]
    best_build = best_write = float('inf')
    size = 0
    for _ in range(a.runs):
        t0 = time.perf_counter()
        cal = build(rows)
        t1 = time.perf_counter()
        out = cal.to_ical()
        t2 = time.perf_counter()
        best_build = min(best_build, (t1 - t0) * 1000)
        best_write = min(best_write, (t2 - t1) * 1000)
        size = len(out)
    print(json.dumps({'events': len(rows), 'build_ms': best_build, 'to_ical_ms': best_write,
                      'bytes': size}))


if __name__ == '__main__':
    main()
