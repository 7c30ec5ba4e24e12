#!/usr/bin/env python3
"""Activity-map benchmark (issue: 100,000 activities).

1. Generates an IATI 2.03 file of N migration-related activities (deterministic).
2. Times `xmllint --noout` on it and `gmg import iati` of it (parse + map + store), in one run.
3. Starts `gmg serve` on the imported database and, from a client on loopback, times a
   filtered list page and a full-text search (signed in with an API token, so answers come from
   the database, not the anonymous response cache), N requests each, with varying filters;
   also the first search (it loads the search catalog) and the server's memory.
4. Measures the peak memory of `gmg export iati` (streamed) for all N activities.

Prints a Markdown report. Measures only; exits non-zero only when it cannot set up.
With --engine postgres or both, the same steps on a fresh PostgreSQL database made beside the
admin URL given by --pg-url (or GMG_TEST_PG_URL); both prints them side by side with ratios.
Usage: bench/activities/run.py [--count 100000] [--requests 300] [--gmg build/release/gmg]
                               [--engine sqlite|postgres|both] [--pg-url postgresql://…/postgres]
       bench/activities/run.py --serve-only DB [--requests 300]   (pages of an existing database)
"""
import argparse
import http.client
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

ORGS = [("XM-DAC-41302", "ILO"), ("XM-DAC-47066", "IOM"), ("XM-DAC-41112", "UNCTAD"), ("XM-DAC-41114", "UNDP"),
        ("XM-DAC-41119", "UNFPA"), ("XM-DAC-41313", "OHCHR"), ("XM-DAC-41121", "UNHCR"), ("XM-DAC-41128", "UNODC"),
        ("44000", "World Bank"), ("XM-DAC-21020", "A partner NGO"), ("GB-CHC-1234567", "A charity")]
SECTORS = ["15190", "15136", "24050", "72010", "93010", "13096", "16070"]
OTHER_SECTORS = ["11110", "12220", "15110", "31120", "43010"]
COUNTRIES = ["MX", "GT", "HN", "SV", "NP", "BD", "QA", "KW", "PH", "LK", "LY", "NE", "ML", "SN", "GH", "NG", "KE", "ET",
             "SO", "AF", "IQ", "SY", "TR", "JO", "LB", "CO", "VE", "EC", "PE", "MA", "TN", "EG", "UA", "MD", "MM", "TH"]
# Text: word frequencies follow Zipf's law over common English words, then the domain's terms,
# then a long tail, as real descriptions do; queries use domain terms (what people search for).
FILLER = ("the of and to in for on with by from at as is are this that will be an or its their these through "
          "support programme project national local regional new help people services access improve strengthen "
          "provide country countries government partners work including also more all between within").split()
WORDS = ("migrant workers recruitment remittances corridor protection asylum return reintegration diaspora skills "
         "trafficking smuggling border data census survey refugees displacement labour rights health women youth "
         "training research dialogue policy capacity governance municipal services integration community livelihoods "
         "resilience climate mobility statelessness documentation legal aid employment social protection").split()


def zipf_vocabulary(rnd):
    tail = ["".join(rnd.choice("abcdefghijklmnoprstuvw") for _ in range(rnd.randint(5, 10))) for _ in range(3000)]
    vocab = FILLER + WORDS + tail
    weights = [1.0 / (rank + 1) ** 1.05 for rank in range(len(vocab))]
    return vocab, weights


def generate(path, n, seed=7):
    rnd = random.Random(seed)
    vocab, weights = zipf_vocabulary(rnd)
    with open(path, "w", encoding="utf-8") as f:
        f.write('<?xml version="1.0" encoding="UTF-8"?>\n<iati-activities version="2.03" generated-datetime="2026-11-28T00:00:00Z">\n')
        for i in range(n):
            ref, name = ORGS[i % len(ORGS)]
            # Titles: two domain terms among Zipf-distributed words, like real project titles.
            title = " ".join(rnd.sample(WORDS, 2) + rnd.choices(vocab, weights, k=5)).capitalize() + f" {i}"
            desc = " ".join(rnd.choices(vocab, weights, k=45)).capitalize() + "."
            start = rnd.randint(2005, 2028)
            countries = rnd.sample(COUNTRIES, rnd.randint(1, 3))
            sectors = rnd.sample(SECTORS, rnd.randint(1, 2))
            f.write(f'<iati-activity default-currency="USD" last-updated-datetime="2026-01-01T00:00:00Z">'
                    f'<iati-identifier>{ref}-BENCH-{i}</iati-identifier>'
                    f'<reporting-org ref="{ref}" type="40"><narrative>{name}</narrative></reporting-org>'
                    f'<title><narrative>{title}</narrative></title>'
                    f'<description type="1"><narrative>{desc}</narrative></description>'
                    f'<participating-org role="4" ref="{ref}"><narrative>{name}</narrative></participating-org>'
                    f'<activity-status code="{rnd.randint(1, 4)}"/>'
                    f'<activity-date type="1" iso-date="{start}-01-01"/><activity-date type="3" iso-date="{start + rnd.randint(0, 4)}-12-31"/>')
            for c in countries:
                f.write(f'<recipient-country code="{c}"/>')
            for s in sectors:
                f.write(f'<sector vocabulary="1" code="{s}"/>')
            f.write(f'<sector vocabulary="1" code="{rnd.choice(OTHER_SECTORS)}"/>')
            f.write(f'<budget type="1" status="1"><period-start iso-date="{start}-01-01"/><period-end iso-date="{start}-12-31"/>'
                    f'<value value-date="{start}-01-01">{rnd.randint(10, 5000) * 1000}</value></budget>')
            f.write('</iati-activity>\n')
        f.write('</iati-activities>\n')


def timed(cmd, **kw):
    """Runs cmd; returns (seconds, peak RSS in MB of that command, completed process).
    The peak comes from GNU time (Debian package `time`)."""
    with tempfile.NamedTemporaryFile("r", suffix=".rss") as rss:
        t = time.perf_counter()
        p = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", rss.name] + cmd, capture_output=True, text=True, **kw)
        dt = time.perf_counter() - t
        if p.returncode != 0:
            sys.exit(f"failed: {' '.join(cmd)}\n{p.stderr[-2000:]}")
        return dt, int(rss.read().strip().splitlines()[-1]) / 1024, p


def latencies(port, token, paths):
    conn = http.client.HTTPConnection("127.0.0.1", port)
    out = []
    for p in paths:
        t = time.perf_counter()
        conn.request("GET", p, headers={"Authorization": f"Bearer {token}"})
        r = conn.getresponse()
        body = r.read()
        out.append((time.perf_counter() - t) * 1000)
        if r.status != 200:
            sys.exit(f"GET {p}: {r.status} {body[:300]!r}")
    return out


def pg_database(admin_url, name):
    """Creates database `name` through the admin URL (psql); returns its URL."""
    subprocess.run(["psql", "-X", "-q", admin_url, "-c", f"DROP DATABASE IF EXISTS {name}", "-c",
                    f"CREATE DATABASE {name}"], check=True, capture_output=True)
    m = re.match(r"^(postgres(?:ql)?://[^/?]*)(/[^?]*)?(\?.*)?$", admin_url)
    if not m:
        sys.exit(f"--pg-url: not a postgresql:// URL: {admin_url}")
    return f"{m.group(1)}/{name}{m.group(3) or ''}"


def wait_for_analysis(port, token):
    """Waits until the coherence analysis that a server starts over the whole map is done (at a
    million activities it keeps both cores busy for minutes); returns how long that took."""
    t = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port)
    while time.perf_counter() - t < 3600:
        conn.request("GET", "/api/v1/coherence/overlaps?limit=1", headers={"Authorization": f"Bearer {token}"})
        r = conn.getresponse()
        body = json.loads(r.read())
        if r.status != 200:
            sys.exit(f"GET /api/v1/coherence/overlaps: {r.status} {body}")
        if body["status"]["state"] == "ready":
            return time.perf_counter() - t
        time.sleep(1)
    sys.exit("the coherence analysis was not done after an hour (see the server's messages)")


def overlaps_total(port, token):
    """How many findings the administrator sees (all of them)."""
    conn = http.client.HTTPConnection("127.0.0.1", port)
    conn.request("GET", "/api/v1/coherence/overlaps?limit=1", headers={"Authorization": f"Bearer {token}"})
    return json.loads(conn.getresponse().read())["total"]


def run_engine(args, xml, db):
    """Import, serve and query, export on one database (a file path or a postgresql:// URL)."""
    out = {}
    subprocess.run([args.gmg, "migrate", "--db", db], check=True, capture_output=True)
    out["import_s"], out["import_rss"], imp = timed([args.gmg, "import", "iati", "--db", db, xml])
    summary = imp.stdout.strip().splitlines()[-1]
    out["created"] = int(re.search(r"created (\d+)", summary).group(1))
    out.update(serve_and_query(args, db))
    out["export_s"], out["export_rss"], _ = timed([args.gmg, "export", "iati", "--db", db, "--out", os.devnull])
    return out


def serve_and_query(args, db):
    """Starts `gmg serve` on db and times the pages (see the module's comment)."""
    out = {}
    env = dict(os.environ, GMG_ADMIN_PASSWORD="bench-admin-password")
    srv = subprocess.Popen([args.gmg, "serve", "--db", db, "--port", "0"], env=env, stdout=subprocess.PIPE, text=True)
    try:
        port = None
        for line in srv.stdout:
            m = re.search(r"listening on http://[^:]+:(\d+)", line)
            if m:
                port = int(m.group(1))
                break
        conn = http.client.HTTPConnection("127.0.0.1", port)
        conn.request("POST", "/api/v1/session", json.dumps({"email": "admin@localhost", "password": "bench-admin-password"}),
                     {"Content-Type": "application/json"})
        r = conn.getresponse()
        session = json.loads(r.read())
        cookie = r.getheader("Set-Cookie").split(";")[0]
        conn.request("POST", "/api/v1/tokens", json.dumps({"name": "bench"}),
                     {"Content-Type": "application/json", "Cookie": cookie, "X-CSRF-Token": session["csrf_token"]})
        token = json.loads(conn.getresponse().read())["token"]

        rnd = random.Random(3)
        themes = ["remittances", "migration-data", "labour-migration", "refugee-protection", "migration-management"]
        list_paths = [f"/api/v1/activities?theme={rnd.choice(themes)}&country={rnd.choice(COUNTRIES)}"
                      f"&from={rnd.randint(2005, 2025)}-01-01&limit=50&sort=-starts_on" for _ in range(args.requests)]
        search_paths = [f"/api/v1/search?q={rnd.choice(WORDS)}+{rnd.choice(WORDS)}&limit=20&literal=1" for _ in range(args.requests)]
        broad_paths = [f"/api/v1/search?q={rnd.choice(WORDS)}&limit=20&literal=1" for _ in range(args.requests)]
        # A list page filtered by words (the catalog's text filter: every match, not 20).
        worded_paths = [f"/api/v1/activities?q={rnd.choice(WORDS)}+{rnd.choice(WORDS)}&limit=50&sort=-starts_on"
                        for _ in range(args.requests)]
        # The first search after start loads the search catalog (what ranking and facets read).
        out["first"] = latencies(port, token, search_paths[:1])[0]
        # The pages are timed on a quiet server, once the coherence analysis it started is done.
        out["analysis_s"] = wait_for_analysis(port, token)
        latencies(port, token, list_paths[:20] + search_paths[:20])  # warm-up
        out["list"] = latencies(port, token, list_paths)
        out["search"] = latencies(port, token, search_paths)
        out["broad"] = latencies(port, token, broad_paths)
        out["plain"] = latencies(port, token, ["/api/v1/activities?limit=50"] * args.requests)
        out["worded"] = latencies(port, token, worded_paths)
        out["map_all"] = latencies(port, token, ["/api/v1/activities/map"] * args.requests)
        out["map_filtered"] = latencies(port, token, [p.replace("/api/v1/activities?", "/api/v1/activities/map?")
                                                      for p in list_paths])
        # The coherence findings' list (every finding filtered per viewer and request), fewer
        # requests: at a million activities each walks millions of findings.
        n = max(5, args.requests // 10)
        out["overlaps"] = latencies(port, token, ["/api/v1/coherence/overlaps?limit=50"] * n)
        out["overlaps_filtered"] = latencies(port, token, [
            f"/api/v1/coherence/overlaps?limit=50&country={rnd.choice(COUNTRIES)}&min_score=0.9" for _ in range(n)])
        out["findings"] = overlaps_total(port, token)
        with open(f"/proc/{srv.pid}/status") as status:
            out["rss"] = {k: int(v.split()[0]) / 1024 for k, v in (line.split(":", 1) for line in status)
                          if k in ("VmRSS", "VmHWM", "RssAnon", "RssFile")}
    finally:
        srv.terminate()
        srv.wait()
    return out


def p50(v):
    return statistics.median(v)


def p95(v):
    v = sorted(v)
    return v[max(0, int(len(v) * 0.95) - 1)]


def report_one(args, engine, r):
    def stats(v):
        return f"{p50(v):.2f} ms | {p95(v):.2f} ms"

    print(f"### {engine}\n")
    if "created" in r:
        created = r["created"]
        print("| step | time | rate | peak RSS |\n|---|---:|---:|---:|")
        print(f"| `gmg import iati` (parse, map, store, index) | {r['import_s']:.2f} s | {created / r['import_s']:,.0f} activities/s | {r['import_rss']:.0f} MB |")
        print(f"| `gmg export iati` (streamed) | {r['export_s']:.2f} s | {created / r['export_s']:,.0f} activities/s | {r['export_rss']:.0f} MB |")
    print(f"\nClient latency over {args.requests} sequential keep-alive requests each, signed in (Bearer token, no cache):\n")
    print("| request | median | p95 |\n|---|---:|---:|")
    print(f"| filtered list page (theme + country + period, 50 rows, sorted) | {stats(r['list'])} |")
    print(f"| full-text search (two domain words, 20 hits, with facet counts) | {stats(r['search'])} |")
    print(f"| unfiltered list page (50 rows, newest first) | {stats(r['plain'])} |")
    print(f"| list page filtered by two domain words (50 rows, newest first) | {stats(r['worded'])} |")
    print(f"| broad search (one domain word: thousands of matches, 20 hits, facets) | {stats(r['broad'])} |")
    print(f"| world map counts, all activities | {stats(r['map_all'])} |")
    print(f"| world map counts, filtered as the list page | {stats(r['map_filtered'])} |")
    print(f"| coherence findings, first 50 of {r['findings']:,} ({len(r['overlaps'])} requests) | {stats(r['overlaps'])} |")
    print(f"| coherence findings, one country, score ≥ 0.9, 50 ({len(r['overlaps_filtered'])} requests) | "
          f"{stats(r['overlaps_filtered'])} |")
    rss = r["rss"]
    print(f"\nFirst search after start (loads the search catalog): {r['first']:.1f} ms. "
          f"The pages were timed once the coherence analysis the server starts was done, "
          f"{r['analysis_s']:.0f} s after the first search. "
          f"Server memory after the queries: {rss['VmRSS']:.0f} MB resident (peak {rss['VmHWM']:.0f} MB), of which "
          f"{rss['RssFile']:.0f} MB are pages of memory-mapped files and {rss['RssAnon']:.0f} MB the process's own.\n")


def report_side_by_side(args, s, p):
    print("### SQLite and PostgreSQL side by side (ratio = PostgreSQL / SQLite; for rates > 1 is faster, "
          "for times < 1 is faster)\n")
    print("| measure | SQLite | PostgreSQL | ratio |\n|---|---:|---:|---:|")
    rows = [("import (activities/s)", s["created"] / s["import_s"], p["created"] / p["import_s"], "{:,.0f}")]
    for name, key in [("filtered list p50 (ms)", "list"), ("two-word search p50 (ms)", "search"),
                      ("one-word search p50 (ms)", "broad"), ("unfiltered list p50 (ms)", "plain"),
                      ("list filtered by words p50 (ms)", "worded"),
                      ("map counts, all, p50 (ms)", "map_all"), ("map counts, filtered, p50 (ms)", "map_filtered"),
                      ("coherence findings, first 50, p50 (ms)", "overlaps")]:
        rows.append((name, p50(s[key]), p50(p[key]), "{:.2f}"))
    rows.append(("first search after start (ms)", s["first"], p["first"], "{:.1f}"))
    rows.append(("export (s)", s["export_s"], p["export_s"], "{:.2f}"))
    for name, a, b, fmt in rows:
        print(f"| {name} | {fmt.format(a)} | {fmt.format(b)} | {b / a:.2f} |")
    print()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--count", type=int, default=100_000)
    ap.add_argument("--requests", type=int, default=300)
    ap.add_argument("--gmg", default=os.path.join(ROOT, "build/release/gmg"))
    ap.add_argument("--engine", choices=["sqlite", "postgres", "both"], default="sqlite")
    ap.add_argument("--pg-url", default=os.environ.get("GMG_TEST_PG_URL", ""),
                    help="PostgreSQL admin URL (a database is created beside it); default GMG_TEST_PG_URL")
    ap.add_argument("--serve-only", metavar="DB",
                    help="only serve and time the pages of an existing database (a file or a postgresql:// URL): "
                         "no generation, import or export")
    args = ap.parse_args()
    if args.serve_only:
        report_one(args, args.serve_only.split("@")[-1], serve_and_query(args, args.serve_only))
        return
    if args.engine != "sqlite" and not args.pg_url:
        sys.exit("--engine postgres/both needs --pg-url or GMG_TEST_PG_URL")
    tmp = tempfile.mkdtemp(prefix="gmg-act-bench-")
    xml = os.path.join(tmp, "activities.xml")
    t = time.perf_counter()
    generate(xml, args.count)
    gen_s = time.perf_counter() - t
    size_mb = os.path.getsize(xml) / 1e6
    lint_s, lint_rss, _ = timed(["xmllint", "--noout", "--huge", xml])

    results = {}
    if args.engine in ("sqlite", "both"):
        results["SQLite"] = run_engine(args, xml, os.path.join(tmp, "gmg.db"))
    if args.engine in ("postgres", "both"):
        results["PostgreSQL"] = run_engine(args, xml, pg_database(args.pg_url, f"gmg_bench_{os.getpid()}"))

    print(f"## GMG Hub activity-map benchmark — {time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())}\n")
    print(f"{args.count} generated IATI activities ({size_mb:.0f} MB, generated in {gen_s:.1f} s); "
          f"machine: nproc {os.cpu_count()}; gmg: `{args.gmg}`. "
          f"`xmllint --noout` (parse only): {lint_s:.2f} s, {args.count / lint_s:,.0f} activities/s, {lint_rss:.0f} MB.\n")
    if len(results) == 2:
        report_side_by_side(args, results["SQLite"], results["PostgreSQL"])
    for engine, r in results.items():
        report_one(args, engine, r)
    print(f"command: `bench/activities/run.py --count {args.count} --requests {args.requests} --engine {args.engine}`")


if __name__ == "__main__":
    main()
