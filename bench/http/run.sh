#!/usr/bin/env bash
# HTTP benchmark driver: GMG Hub vs. nginx serving the same JSON bytes.
#
# Starts `gmg serve` on a fresh temporary database and, in the same run, nginx serving the exact
# body of GET /api/v1/organizations as a static file; loads both with wrk on loopback with the
# same threads, connections and duration; prints a Markdown report on stdout (progress goes to
# stderr).
#
# Issue target: cached GET /api/v1/organizations at >= 50% of nginx's requests/s, p99 < 10 ms at
# 64 connections; idle RSS < 50 MB. The report shows whether each target is met, but the script
# only measures: it exits non-zero on a setup failure, never on a slow result.
#
# Environment (all optional):
#   GMG_BIN        gmg binary                      (default: <repo>/build/release/gmg)
#   DURATION       wrk duration per target         (default: 10s)
#   CONNECTIONS    wrk connections                 (default: 64)
#   THREADS        wrk threads                     (default: 2)
#   WARMUP         wrk warm-up duration per target (default: 2s; 0 = no warm-up)
#   ROUNDS         measured rounds, each gmg then nginx, and as many of each variant below
#                  (default: 1); the summary takes medians
#   GMG_THREADS    passed to `gmg serve --threads` (default: unset = the server's default)
#   NGINX_BIN      nginx binary                    (default: /usr/sbin/nginx, else from PATH)
#   WRK_BIN        wrk binary                      (default: wrk from PATH)
#   STARTUP_TIMEOUT seconds to wait for either server (default: 30)
#   KEEP_TMP=1     keep the temporary directory (logs, db, nginx.conf, wrk output)
#   PG             auto (default): also measure two instances behind nginx on PostgreSQL when
#                  this gmg has the engine and PostgreSQL 15 is installed; off: skip that
#   GMG_BENCH_PG_URL an admin URL of an existing PostgreSQL (default: a throwaway cluster that
#                  scripts/pg-cluster.sh starts in a temporary folder and stops at the end)
#   WRITE_DURATION wrk duration of the write runs (default: DURATION)
#   WRITE_CONNECTIONS wrk connections of the write runs (default: 16)
#
# Variants, same run: cached reads and concurrent activity writes (POST /api/v1/activities with
# a bearer token, bench/http/post-activity.lua) on one instance on SQLite, and on two instances
# on one PostgreSQL database behind nginx (round-robin upstream): req/s, writes/s, p99, ratios.
#
# Usage: bench/http/run.sh            (or `make bench`)
#        DURATION=30s CONNECTIONS=128 bench/http/run.sh > result.md
set -euo pipefail

script_dir=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
repo_root=$(cd -- "$script_dir/../.." && pwd)

GMG_BIN=${GMG_BIN:-$repo_root/build/release/gmg}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
WARMUP=${WARMUP:-2s}
ROUNDS=${ROUNDS:-1}
GMG_THREADS=${GMG_THREADS:-}
STARTUP_TIMEOUT=${STARTUP_TIMEOUT:-30}
KEEP_TMP=${KEEP_TMP:-0}
PG=${PG:-auto}
WRITE_DURATION=${WRITE_DURATION:-$DURATION}
WRITE_CONNECTIONS=${WRITE_CONNECTIONS:-16}
if [[ -z ${NGINX_BIN:-} ]]; then
    if [[ -x /usr/sbin/nginx ]]; then NGINX_BIN=/usr/sbin/nginx; else NGINX_BIN=$(command -v nginx || true); fi
fi
WRK_BIN=${WRK_BIN:-$(command -v wrk || true)}

API_PATH=/api/v1/organizations

log() { printf '[bench] %s\n' "$*" >&2; }
die() { printf '[bench] setup failure: %s\n' "$*" >&2; exit 2; }

# ---------------------------------------------------------------------------------------------
# Preconditions
[[ -x $GMG_BIN ]] || die "gmg binary not found or not executable: $GMG_BIN (run \`make build\` or set GMG_BIN)"
[[ -n $NGINX_BIN && -x $NGINX_BIN ]] || die "nginx not found (Debian: apt-get install nginx-light)"
[[ -n $WRK_BIN && -x $WRK_BIN ]] || die "wrk not found (Debian: apt-get install wrk)"
command -v curl >/dev/null || die "curl not found"
[[ $CONNECTIONS =~ ^[0-9]+$ && $CONNECTIONS -ge 1 ]] || die "CONNECTIONS must be a positive integer"
[[ $THREADS =~ ^[0-9]+$ && $THREADS -ge 1 ]] || die "THREADS must be a positive integer"
[[ $ROUNDS =~ ^[0-9]+$ && $ROUNDS -ge 1 ]] || die "ROUNDS must be a positive integer"
((THREADS <= CONNECTIONS)) || die "THREADS ($THREADS) must not exceed CONNECTIONS ($CONNECTIONS) (wrk rule)"
[[ -z $GMG_THREADS || $GMG_THREADS =~ ^[0-9]+$ ]] || die "GMG_THREADS must be an integer"

# ---------------------------------------------------------------------------------------------
# Temporary directory and cleanup
tmp=$(mktemp -d "${TMPDIR:-/tmp}/gmg-bench.XXXXXX")
gmg_pid=
nginx_pid=
wrk_pid=
extra_pids=()    # the variants' gmg instances and nginx
pg_cluster_dir=  # a throwaway cluster this script started

stop_pid() { # stop_pid PID SIGNAL: signal, wait up to 5 s, then SIGKILL
    local pid=$1 sig=$2 i
    [[ -n $pid ]] || return 0
    kill -0 "$pid" 2>/dev/null || return 0
    kill "-$sig" "$pid" 2>/dev/null || true
    for ((i = 0; i < 50; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
        log "process $pid did not stop on SIG$sig within 5 s; sending SIGKILL"
        kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
}

# shellcheck disable=SC2317  # invoked by the EXIT trap
cleanup() {
    local rc=$?
    stop_pid "$wrk_pid" TERM
    stop_pid "$gmg_pid" TERM
    stop_pid "$nginx_pid" QUIT
    local p
    for p in "${extra_pids[@]}"; do stop_pid "$p" TERM; done
    if [[ -n ${pg_db:-} && -n ${pg_url:-} ]]; then # a run that stopped halfway leaves no database
        psql "$pg_url" -qc "DROP DATABASE IF EXISTS $pg_db WITH (FORCE)" >/dev/null 2>&1 || true
    fi
    if [[ -n $pg_cluster_dir ]]; then "$repo_root/scripts/pg-cluster.sh" stop "$pg_cluster_dir" || true; fi
    if [[ $KEEP_TMP == 1 ]]; then
        log "kept temporary directory $tmp"
    else
        rm -rf -- "$tmp"
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------------------------------------
# Helpers
rss_kb() { # VmRSS (or another /proc status field) of PID in kB
    awk -v f="${2:-VmRSS}:" '$1 == f { print $2 }' "/proc/$1/status"
}
# cpu_sample: "total idle" jiffies of all CPUs; cpu_busy S1 S2: % of CPU time not idle between
cpu_sample() { awk '$1 == "cpu" { t = 0; for (i = 2; i <= 9; i++) t += $i; print t, $5 + $6 }' /proc/stat; }
cpu_busy() {
    awk -v a="$1" -v b="$2" 'BEGIN { split(a, x, " "); split(b, y, " "); dt = y[1] - x[1]; di = y[2] - x[2]
        if (dt > 0) printf "%.0f", 100 * (dt - di) / dt; else print "?" }'
}
median() { printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END {
    if (NR % 2) print a[(NR + 1) / 2]; else printf "%.2f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
kb_to_mb() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }

free_port() {
    if command -v python3 >/dev/null; then
        python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
        return
    fi
    local p
    for ((p = 20000 + RANDOM % 20000; p < 65000; p++)); do
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
            echo "$p"
            return
        fi
    done
    return 1
}

# wrk prints latencies as e.g. 812.00us, 1.23ms, 1.05s, 2.00m -> milliseconds
to_ms() {
    awk -v v="$1" 'BEGIN {
        n = v; sub(/[a-z]+$/, "", n); u = v; sub(/^[0-9.]+/, "", u)
        f = (u == "us") ? 0.001 : (u == "ms") ? 1 : (u == "s") ? 1000 : (u == "m") ? 60000 : (u == "h") ? 3600000 : -1
        if (f < 0 || n == "") { print "n/a"; exit }
        printf "%.2f", n * f }'
}

# parse_wrk FILE -> sets W_RPS W_P50 W_P99 W_REQS W_NON2XX W_SOCKERR
parse_wrk() {
    local f=$1
    W_RPS=$(awk '/^Requests\/sec:/ { print $2 }' "$f")
    W_P50=$(awk '$1 == "50%" { print $2 }' "$f")
    W_P99=$(awk '$1 == "99%" { print $2 }' "$f")
    W_REQS=$(awk '/requests in/ { print $1 }' "$f")
    W_NON2XX=$(awk '/Non-2xx or 3xx responses:/ { print $NF }' "$f")
    W_SOCKERR=$(awk '/Socket errors:/ { sub(/^ *Socket errors: */, ""); print }' "$f")
    W_NON2XX=${W_NON2XX:-0}
    W_SOCKERR=${W_SOCKERR:-none}
    [[ -n $W_RPS && -n $W_P50 && -n $W_P99 ]] || die "could not parse wrk output $f: $(cat "$f")"
    W_P50=$(to_ms "$W_P50")
    W_P99=$(to_ms "$W_P99")
}

# run_wrk OUTFILE ARGS...: wrk in the background + wait, so that INT/TERM traps fire at once
run_wrk() {
    local out=$1 rc=0
    shift
    "$WRK_BIN" "$@" >"$out" 2>&1 </dev/null &
    wrk_pid=$!
    wait "$wrk_pid" || rc=$?
    wrk_pid=
    return "$rc"
}

wait_http_ok() { # wait_http_ok URL PID NAME
    local url=$1 pid=$2 name=$3 deadline=$((SECONDS + STARTUP_TIMEOUT))
    while ((SECONDS < deadline)); do
        kill -0 "$pid" 2>/dev/null || return 1
        if curl -fsS -o /dev/null --max-time 2 "$url" 2>/dev/null; then return 0; fi
        sleep 0.1
    done
    log "$name did not answer $url within ${STARTUP_TIMEOUT}s"
    return 1
}

# ---------------------------------------------------------------------------------------------
# 1. gmg
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
# The write quota off: the POST benchmark writes as fast as it can (docs/security.md).
gmg_cmd=("$GMG_BIN" serve --db "$tmp/gmg.db" --port 0 --bind 127.0.0.1 --writes-per-minute 0)
[[ -n $GMG_THREADS ]] && gmg_cmd+=(--threads "$GMG_THREADS")
log "starting: ${gmg_cmd[*]}"
# A throwaway first-run admin password, so the server does not print a generated one.
bench_admin_pw=${GMG_ADMIN_PASSWORD:-bench-$RANDOM-$RANDOM-$RANDOM}
: >"$tmp/gmg.out" # exists before the child opens it: the wait loop's sed must not race it (pipefail)
GMG_ADMIN_PASSWORD=$bench_admin_pw \
    "${gmg_cmd[@]}" >"$tmp/gmg.out" 2>"$tmp/gmg.err" </dev/null &
gmg_pid=$!
started=$SECONDS
started_ns=$(date +%s%N)
gmg_url=
while ((SECONDS - started < STARTUP_TIMEOUT)); do
    if ! kill -0 "$gmg_pid" 2>/dev/null; then
        wait "$gmg_pid" && rc=0 || rc=$?
        gmg_pid=
        die "gmg exited (status $rc) before listening; stderr: $(tail -n 20 "$tmp/gmg.err")"
    fi
    gmg_url=$(sed -n 's#^listening on \(http://[^[:space:]]*\).*#\1#p' "$tmp/gmg.out" | head -n 1)
    [[ -n $gmg_url ]] && break
    sleep 0.05
done
[[ -n $gmg_url ]] || die "gmg printed no 'listening on http://…' line within ${STARTUP_TIMEOUT}s; stdout: $(head -c 2000 "$tmp/gmg.out")"
gmg_url=${gmg_url%/}
startup_s=$(awk -v a="$started_ns" -v b="$(date +%s%N)" 'BEGIN { printf "%.2f", (b - a) / 1e9 }')
log "gmg (pid $gmg_pid) listening on $gmg_url"

# 2. Idle RSS: after ~1 s of idleness, before any request (and how busy the machine is meanwhile)
cpu0=$(cpu_sample)
sleep 1
busy_before=$(cpu_busy "$cpu0" "$(cpu_sample)")
idle_rss_kb=$(rss_kb "$gmg_pid")
log "gmg idle RSS: $(kb_to_mb "$idle_rss_kb") MB"

# 3. The body nginx will serve: exactly the bytes gmg answers
body=$tmp/organizations.json
gmg_status=$(curl -sS --max-time 10 -D "$tmp/gmg.headers" -o "$body" -w '%{http_code}' "$gmg_url$API_PATH") ||
    die "curl $gmg_url$API_PATH failed"
[[ $gmg_status == 200 ]] || die "GET $API_PATH answered $gmg_status: $(head -c 500 "$body")"
gmg_ctype=$(awk -F': *' 'tolower($1) == "content-type" { sub(/\r$/, "", $2); print $2 }' "$tmp/gmg.headers")
if command -v python3 >/dev/null; then
    n_items=$(python3 -c '
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
if not isinstance(d, dict) or not isinstance(d.get("items"), list):
    sys.exit("body is JSON but has no \"items\" list")
print(len(d["items"]))' "$body") || die "GET $API_PATH did not return a JSON object with items: $(head -c 500 "$body")"
else
    grep -q '"items"[[:space:]]*:[[:space:]]*\[' "$body" || die "GET $API_PATH has no \"items\" array"
    n_items='?'
fi
body_bytes=$(wc -c <"$body")
log "body: $body_bytes bytes, $n_items items, Content-Type: ${gmg_ctype:-none}"
[[ $n_items == 10 ]] || log "note: expected the 10 seeded members, got $n_items items"

# 4. nginx serving the same file
nginx_port=$(free_port) || die "no free port for nginx"
mkdir -p "$tmp/nginx"
temp_paths=
for kind in client_body proxy fastcgi uwsgi scgi; do
    flag=${kind/client_body/client-body}
    if "$NGINX_BIN" -V 2>&1 | grep -q -- "--http-$flag-temp-path"; then
        temp_paths+="    ${kind}_temp_path $tmp/nginx/$kind;"$'\n'
    fi
done
user_line=
[[ $EUID -eq 0 ]] && user_line='user root;' # workers must read the 0700 temp directory
cat >"$tmp/nginx.conf" <<EOF
# generated by bench/http/run.sh
$user_line
daemon off;
master_process on;
worker_processes auto;
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/error.log warn;
events {
    worker_connections 4096;
}
http {
    access_log off;
$temp_paths
    sendfile on;
    tcp_nopush on;
    tcp_nodelay on;
    keepalive_timeout 65s;
    keepalive_requests 1000000;
    server_tokens off;
    server {
        listen 127.0.0.1:$nginx_port;
        server_name localhost;
        location = $API_PATH {
            types { }
            default_type "application/json; charset=utf-8";
            alias $body;
        }
    }
}
EOF
"$NGINX_BIN" -t -q -p "$tmp/nginx/" -c "$tmp/nginx.conf" >"$tmp/nginx-test.log" 2>&1 ||
    die "nginx rejected the generated config: $(cat "$tmp/nginx-test.log")"
nginx_cmd=("$NGINX_BIN" -p "$tmp/nginx/" -c "$tmp/nginx.conf")
log "starting: ${nginx_cmd[*]}"
"${nginx_cmd[@]}" >"$tmp/nginx.out" 2>&1 </dev/null &
nginx_pid=$!
nginx_url=http://127.0.0.1:$nginx_port
wait_http_ok "$nginx_url$API_PATH" "$nginx_pid" nginx ||
    die "nginx did not start: $(cat "$tmp/nginx.out" "$tmp/nginx/error.log" 2>/dev/null | tail -n 20)"
curl -fsS -o "$tmp/nginx-body.json" "$nginx_url$API_PATH" || die "could not fetch the nginx copy"
cmp -s "$body" "$tmp/nginx-body.json" || die "nginx does not serve the same bytes as gmg"
log "nginx (pid $nginx_pid) serving the same $body_bytes bytes on $nginx_url"

# 5. Warm-up, then the measured runs: same wrk threads, connections and duration for both
wrk_args=(-t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency)
if [[ $WARMUP != 0 && $WARMUP != 0s ]]; then
    for url in "$gmg_url" "$nginx_url"; do
        log "warm-up: wrk -t$THREADS -c$CONNECTIONS -d$WARMUP $url$API_PATH"
        run_wrk /dev/null -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" "$url$API_PATH" ||
            die "wrk warm-up against $url failed"
    done
fi

G_RPS=() G_P50=() G_P99=() G_REQS=() N_RPS=() N_P50=() N_P99=() N_REQS=() RATIO=()
g_non2xx=0 n_non2xx=0 g_sockerr=none n_sockerr=none
load_rss_kb=0
for ((r = 1; r <= ROUNDS; r++)); do
    log "round $r/$ROUNDS: measuring gmg: wrk ${wrk_args[*]} $gmg_url$API_PATH"
    run_wrk "$tmp/wrk-gmg-$r.txt" "${wrk_args[@]}" "$gmg_url$API_PATH" ||
        die "wrk against gmg failed: $(cat "$tmp/wrk-gmg-$r.txt")"
    kill -0 "$gmg_pid" 2>/dev/null || die "gmg died under load; stderr: $(tail -n 20 "$tmp/gmg.err")"
    rss=$(rss_kb "$gmg_pid")
    if ((rss > load_rss_kb)); then load_rss_kb=$rss; fi
    parse_wrk "$tmp/wrk-gmg-$r.txt"
    G_RPS+=("$W_RPS") G_P50+=("$W_P50") G_P99+=("$W_P99") G_REQS+=("$W_REQS")
    g_non2xx=$((g_non2xx + W_NON2XX))
    [[ $W_SOCKERR == none ]] || g_sockerr="round $r: $W_SOCKERR"

    log "round $r/$ROUNDS: measuring nginx: wrk ${wrk_args[*]} $nginx_url$API_PATH"
    run_wrk "$tmp/wrk-nginx-$r.txt" "${wrk_args[@]}" "$nginx_url$API_PATH" ||
        die "wrk against nginx failed: $(cat "$tmp/wrk-nginx-$r.txt")"
    parse_wrk "$tmp/wrk-nginx-$r.txt"
    N_RPS+=("$W_RPS") N_P50+=("$W_P50") N_P99+=("$W_P99") N_REQS+=("$W_REQS")
    n_non2xx=$((n_non2xx + W_NON2XX))
    [[ $W_SOCKERR == none ]] || n_sockerr="round $r: $W_SOCKERR"
    RATIO+=("$(awk -v g="${G_RPS[-1]}" -v n="$W_RPS" 'BEGIN { if (n > 0) printf "%.1f", 100 * g / n; else print 0 }')")
    log "round $r/$ROUNDS: gmg ${G_RPS[-1]} req/s p99 ${G_P99[-1]} ms; nginx $W_RPS req/s p99 $W_P99 ms; ratio ${RATIO[-1]} %"
done
g_rps=$(median "${G_RPS[@]}") g_p50=$(median "${G_P50[@]}") g_p99=$(median "${G_P99[@]}")
n_rps=$(median "${N_RPS[@]}") n_p50=$(median "${N_P50[@]}") n_p99=$(median "${N_P99[@]}")
ratio=$(median "${RATIO[@]}")

# RSS once the load is over and the server had ~1 s to settle
cpu0=$(cpu_sample)
sleep 1
busy_after=$(cpu_busy "$cpu0" "$(cpu_sample)")
settled_rss_kb=$(rss_kb "$gmg_pid")
peak_rss_kb=$(rss_kb "$gmg_pid" VmHWM)
for v in "$load_rss_kb" "$settled_rss_kb"; do if ((v > peak_rss_kb)); then peak_rss_kb=$v; fi; done
threads_after=$(rss_kb "$gmg_pid" Threads)

# 6. Graceful stop of gmg on SIGTERM (reported, not judged)
stop_start=$(date +%s.%N)
kill -TERM "$gmg_pid"
stopped=no
for ((i = 0; i < 100; i++)); do
    kill -0 "$gmg_pid" 2>/dev/null || { stopped=yes; break; }
    sleep 0.05
done
if [[ $stopped == yes ]]; then
    wait "$gmg_pid" && gmg_exit=0 || gmg_exit=$?
    stop_s=$(awk -v a="$stop_start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')
    sigterm_note="stopped in ${stop_s} s, exit status $gmg_exit"
else
    sigterm_note="still running 5 s after SIGTERM (killed)"
fi
gmg_pid_done=$gmg_pid
stop_pid "$gmg_pid_done" KILL
gmg_pid=

# ---------------------------------------------------------------------------------------------
# 6b. Variants: one instance on SQLite vs two instances on PostgreSQL behind nginx
# launch_gmg NAME ARGS...: starts `gmg serve ARGS --port 0` in the background; sets L_PID, L_URL
launch_gmg() {
    local name=$1 t0=$SECONDS url=
    shift
    : >"$tmp/$name.out" # as for gmg.out above
    GMG_ADMIN_PASSWORD=$bench_admin_pw "$GMG_BIN" serve --port 0 --bind 127.0.0.1 "$@" \
        >"$tmp/$name.out" 2>"$tmp/$name.err" </dev/null &
    L_PID=$!
    extra_pids+=("$L_PID")
    while ((SECONDS - t0 < STARTUP_TIMEOUT)); do
        kill -0 "$L_PID" 2>/dev/null || die "$name exited before listening: $(tail -n 20 "$tmp/$name.err")"
        url=$(sed -n 's#^listening on \(http://[^[:space:]]*\).*#\1#p' "$tmp/$name.out" | head -n 1)
        [[ -n $url ]] && break
        sleep 0.05
    done
    [[ -n $url ]] || die "$name did not listen within ${STARTUP_TIMEOUT}s"
    L_URL=${url%/}
}
# bearer_token URL: signs in as the first administrator and prints a new API token
bearer_token() {
    local url=$1 jar=$tmp/cookies.$RANDOM csrf token
    csrf=$(curl -fsS -c "$jar" -H 'content-type: application/json' \
        -d "{\"email\":\"admin@localhost\",\"password\":\"$bench_admin_pw\"}" "$url/api/v1/session" |
        sed -n 's/.*"csrf_token":"\([^"]*\)".*/\1/p') || die "sign-in at $url failed"
    token=$(curl -fsS -b "$jar" -H 'content-type: application/json' -H "x-csrf-token: $csrf" \
        -d '{"name":"bench"}' "$url/api/v1/tokens" | sed -n 's/.*"token":"\([^"]*\)".*/\1/p') ||
        die "token at $url failed"
    [[ -n $token ]] || die "no token from $url"
    echo "$token"
}
# measure_writes URL TOKEN LABEL: wrk POSTing activities; sets W_* as parse_wrk does
measure_writes() {
    log "writes: wrk -t$THREADS -c$WRITE_CONNECTIONS -d$WRITE_DURATION -s post-activity.lua $1 ($3)"
    GMG_TOKEN=$2 run_wrk "$tmp/wrk-writes-$3.txt" -t"$THREADS" -c"$WRITE_CONNECTIONS" -d"$WRITE_DURATION" \
        --latency -s "$script_dir/post-activity.lua" "$1/api/v1/activities" ||
        die "wrk writes against $1 failed: $(cat "$tmp/wrk-writes-$3.txt")"
    parse_wrk "$tmp/wrk-writes-$3.txt"
}
ratio_pct() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1f", 100 * a / b; else print "n/a" }'; }
# lb_config PORT BACKEND...: nginx.conf of a round-robin upstream over the gmg instances
lb_config() {
    local port=$1 b
    shift
    echo "# generated by bench/http/run.sh: gmg instances behind one round-robin upstream"
    echo "$user_line"
    echo "daemon off; master_process on; worker_processes auto;"
    echo "pid $tmp/lb/nginx.pid; error_log $tmp/lb/error.log warn;"
    echo "events { worker_connections 4096; }"
    echo "http {"
    echo "    access_log off;"
    printf '%s' "${temp_paths//$tmp\/nginx/$tmp/lb}"
    echo "    upstream gmg {"
    for b in "$@"; do echo "        server ${b#http://};"; done
    echo "        keepalive 128;"
    echo "    }"
    echo "    server {"
    echo "        listen 127.0.0.1:$port;"
    echo "        location / {"
    echo "            proxy_pass http://gmg;"
    echo "            proxy_http_version 1.1;"
    echo "            proxy_set_header Connection \"\";"
    echo "            proxy_set_header Host \$host;"
    echo "            proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;"
    echo "            proxy_set_header X-Forwarded-Proto \$scheme;"
    echo "        }"
    echo "    }"
    echo "}"
}

# One instance on SQLite: writes (its cached reads are the gmg figures above).
launch_gmg gmg-sqlite-writes --db "$tmp/writes.db" --writes-per-minute 0 ${GMG_THREADS:+--threads "$GMG_THREADS"}
sqlite_pid=$L_PID
sqlite_token=$(bearer_token "$L_URL")
SW_RPS=() SW_P50=() SW_P99=() sw_non2xx=0
for ((r = 1; r <= ROUNDS; r++)); do
    measure_writes "$L_URL" "$sqlite_token" "sqlite-$r"
    SW_RPS+=("$W_RPS") SW_P50+=("$W_P50") SW_P99+=("$W_P99") sw_non2xx=$((sw_non2xx + W_NON2XX))
done
sw_rps=$(median "${SW_RPS[@]}") sw_p50=$(median "${SW_P50[@]}") sw_p99=$(median "${SW_P99[@]}")
stop_pid "$sqlite_pid" TERM
extra_pids=()

# Two instances on PostgreSQL behind nginx.
pg_note=
pg_url=
if [[ $PG == off ]]; then
    pg_note="not measured (PG=off)"
elif [[ -n ${GMG_BENCH_PG_URL:-} ]]; then
    pg_url=$GMG_BENCH_PG_URL
elif [[ -x /usr/lib/postgresql/15/bin/initdb ]] && command -v psql >/dev/null; then
    pg_cluster_dir=$(mktemp -d "${TMPDIR:-/tmp}/gmg-bench-pg.XXXXXX")
    line=$("$repo_root/scripts/pg-cluster.sh" start "$pg_cluster_dir" "$(free_port)") ||
        die "could not start a PostgreSQL cluster"
    pg_url=${line#export GMG_TEST_PG_URL=}
    log "PostgreSQL 15: a throwaway cluster in $pg_cluster_dir"
else
    pg_note="not measured (no PostgreSQL 15: apt-get install postgresql-15, or set GMG_BENCH_PG_URL)"
fi
if [[ -n $pg_url ]]; then
    pg_db="gmg_bench_$$"
    psql "$pg_url" -v ON_ERROR_STOP=1 -qc "CREATE DATABASE $pg_db" >/dev/null || die "CREATE DATABASE failed"
    bench_db_url=${pg_url%/*}/$pg_db
    if ! "$GMG_BIN" migrate --db "$bench_db_url" >"$tmp/pg-migrate.log" 2>&1; then
        pg_note="not measured: this gmg cannot migrate a PostgreSQL database ($(tail -n 1 "$tmp/pg-migrate.log" | sed 's#://[^@ ]*@#://…@#g'))"
        psql "$pg_url" -qc "DROP DATABASE IF EXISTS $pg_db" >/dev/null 2>&1 || true
        pg_url=
    fi
fi
if [[ -n $pg_url ]]; then
    launch_gmg gmg-pg-a --db "$bench_db_url" --trusted-proxy 127.0.0.1 --writes-per-minute 0 ${GMG_THREADS:+--threads "$GMG_THREADS"}
    pg_a_url=$L_URL
    launch_gmg gmg-pg-b --db "$bench_db_url" --trusted-proxy 127.0.0.1 --writes-per-minute 0 ${GMG_THREADS:+--threads "$GMG_THREADS"}
    pg_b_url=$L_URL
    lb_port=$(free_port) || die "no free port for the load balancer"
    mkdir -p "$tmp/lb"
    for kind in client_body proxy fastcgi uwsgi scgi; do mkdir -p "$tmp/lb/$kind"; done
    lb_config "$lb_port" "$pg_a_url" "$pg_b_url" >"$tmp/lb.conf"
    "$NGINX_BIN" -t -q -p "$tmp/lb/" -c "$tmp/lb.conf" >"$tmp/lb-test.log" 2>&1 ||
        die "nginx rejected the load balancer config: $(cat "$tmp/lb-test.log")"
    "$NGINX_BIN" -p "$tmp/lb/" -c "$tmp/lb.conf" >"$tmp/lb.out" 2>&1 </dev/null &
    lb_pid=$!
    extra_pids+=("$lb_pid")
    lb_url=http://127.0.0.1:$lb_port
    wait_http_ok "$lb_url/healthz" "$lb_pid" "nginx load balancer" || die "the load balancer did not start"
    if [[ $WARMUP != 0 && $WARMUP != 0s ]]; then
        run_wrk /dev/null -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" "$lb_url$API_PATH" || die "warm-up failed"
    fi
    lb_token=$(bearer_token "$lb_url")
    PR_RPS=() PR_P50=() PR_P99=() PW_RPS=() PW_P50=() PW_P99=() pr_non2xx=0 pw_non2xx=0
    for ((r = 1; r <= ROUNDS; r++)); do
        log "round $r/$ROUNDS: reads: wrk ${wrk_args[*]} $lb_url$API_PATH (two instances on PostgreSQL)"
        run_wrk "$tmp/wrk-pg-reads-$r.txt" "${wrk_args[@]}" "$lb_url$API_PATH" ||
            die "wrk against the load balancer failed: $(cat "$tmp/wrk-pg-reads-$r.txt")"
        parse_wrk "$tmp/wrk-pg-reads-$r.txt"
        PR_RPS+=("$W_RPS") PR_P50+=("$W_P50") PR_P99+=("$W_P99") pr_non2xx=$((pr_non2xx + W_NON2XX))
        measure_writes "$lb_url" "$lb_token" "pg-$r"
        PW_RPS+=("$W_RPS") PW_P50+=("$W_P50") PW_P99+=("$W_P99") pw_non2xx=$((pw_non2xx + W_NON2XX))
    done
    pr_rps=$(median "${PR_RPS[@]}") pr_p50=$(median "${PR_P50[@]}") pr_p99=$(median "${PR_P99[@]}")
    pw_rps=$(median "${PW_RPS[@]}") pw_p50=$(median "${PW_P50[@]}") pw_p99=$(median "${PW_P99[@]}")
    stop_pid "$lb_pid" QUIT
    for p in "${extra_pids[@]}"; do stop_pid "$p" TERM; done
    extra_pids=()
    psql "$pg_url" -qc "DROP DATABASE IF EXISTS $pg_db WITH (FORCE)" >/dev/null 2>&1 || true
fi

paste_rounds() { # paste_rounds RATES P99S: "r1/p1, r2/p2, …" of two arrays named by the caller
    local -n a=$1 b=$2
    local i out=
    for ((i = 0; i < ${#a[@]}; i++)); do out+="${out:+, }${a[i]} / ${b[i]}"; done
    echo "$out"
}
variants_table() {
    echo "| variant | cached reads req/s | reads p50 (ms) | reads p99 (ms) | writes/s | writes p50 (ms) | writes p99 (ms) | non-2xx |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|"
    echo "| one instance on SQLite | $g_rps | $g_p50 | $g_p99 | $sw_rps | $sw_p50 | $sw_p99 | $((g_non2xx + sw_non2xx)) |"
    if [[ -z $pg_note ]]; then
        echo "| two instances on PostgreSQL behind nginx | $pr_rps | $pr_p50 | $pr_p99 | $pw_rps | $pw_p50 | $pw_p99 | $((pr_non2xx + pw_non2xx)) |"
        echo "| ratio (PostgreSQL pair / SQLite one) | $(ratio_pct "$pr_rps" "$g_rps") % | | | $(ratio_pct "$pw_rps" "$sw_rps") % | | | |"
    else
        echo "| two instances on PostgreSQL behind nginx | $pg_note | | | | | | |"
    fi
    ((ROUNDS > 1)) || return 0
    echo
    local line
    line="Per round (reads req/s / p99 ms; writes/s / p99 ms): SQLite reads $(paste_rounds G_RPS G_P99),"
    line+=" writes $(paste_rounds SW_RPS SW_P99)"
    [[ -n $pg_note ]] || line+="; PostgreSQL pair reads $(paste_rounds PR_RPS PR_P99), writes $(paste_rounds PW_RPS PW_P99)"
    echo "$line."
}

# ---------------------------------------------------------------------------------------------
# 7. Report
yesno() { awk "BEGIN { print ($1) ? \"met\" : \"**not met**\" }"; }
t_ratio=$(yesno "$ratio >= 50")
t_p99=$(yesno "$g_p99 < 10")
t_rss=$(yesno "$idle_rss_kb < 50 * 1024")
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
cpu_model=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo)
kernel=$(uname -r)
now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
git_rev=$(git -C "$repo_root" rev-parse --short HEAD 2>/dev/null || echo "no commit")
gmg_version=$("$GMG_BIN" --version 2>/dev/null | head -n 1 || true)
nginx_version=$({ "$NGINX_BIN" -v 2>&1 || true; } | sed 's/^nginx version: //')
wrk_version=$({ "$WRK_BIN" -v 2>&1 || true; } | awk 'NR == 1 { print $2 }')
invocation="GMG_BIN=$GMG_BIN DURATION=$DURATION CONNECTIONS=$CONNECTIONS THREADS=$THREADS WARMUP=$WARMUP ROUNDS=$ROUNDS"
[[ -n $GMG_THREADS ]] && invocation+=" GMG_THREADS=$GMG_THREADS"
invocation+=" bench/http/run.sh"

table_rows() {
    local i
    if ((ROUNDS == 1)); then
        echo "| gmg | $g_rps | $g_p50 | $g_p99 | ${G_REQS[0]} |"
        echo "| nginx (static file) | $n_rps | $n_p50 | $n_p99 | ${N_REQS[0]} |"
        return
    fi
    for ((i = 0; i < ROUNDS; i++)); do
        echo "| gmg, round $((i + 1)) | ${G_RPS[i]} | ${G_P50[i]} | ${G_P99[i]} | ${G_REQS[i]} |"
        echo "| nginx, round $((i + 1)) | ${N_RPS[i]} | ${N_P50[i]} | ${N_P99[i]} | ${N_REQS[i]} |"
    done
    echo "| **gmg, median** | **$g_rps** | **$g_p50** | **$g_p99** | |"
    echo "| **nginx, median** | **$n_rps** | **$n_p50** | **$n_p99** | |"
}
rounds_note=
rss_rounds_note=
((ROUNDS > 1)) && rss_rounds_note=" (largest over the rounds)"
warmup_note="after a $WARMUP warm-up of each"
[[ $WARMUP == 0 || $WARMUP == 0s ]] && warmup_note="no warm-up"
((ROUNDS > 1)) && rounds_note=" ($ROUNDS rounds, each gmg then nginx; medians; the ratio is the median of the per-round ratios)"

cat <<EOF
## GMG Hub HTTP benchmark — $now

\`GET $API_PATH\` (body $body_bytes bytes, $n_items items, \`${gmg_ctype:-?}\`), wrk on loopback,
$THREADS wrk threads, $CONNECTIONS connections, $DURATION per target, $warmup_note$rounds_note.
Responses other than 2xx/3xx: gmg $g_non2xx, nginx $n_non2xx; socket errors: gmg $g_sockerr, nginx $n_sockerr.

| target | req/s | p50 (ms) | p99 (ms) | requests |
|---|---:|---:|---:|---:|
$(table_rows)

| measure | value | target | |
|---|---:|---|---|
| gmg / nginx req/s | ${ratio} % | ≥ 50 % | $t_ratio |
| gmg p99 at $CONNECTIONS connections | $g_p99 ms | < 10 ms | $t_p99 |
| gmg idle RSS (1 s after start, before any request) | $(kb_to_mb "$idle_rss_kb") MB | < 50 MB | $t_rss |
| gmg RSS right after load${rss_rounds_note} | $(kb_to_mb "$load_rss_kb") MB | — | |
| gmg RSS 1 s after load | $(kb_to_mb "$settled_rss_kb") MB | — | |
| gmg peak RSS (VmHWM, whole life incl. first-run seeding) | $(kb_to_mb "$peak_rss_kb") MB | — | |
| gmg start-up on a fresh db (to \`listening on\`) | ${startup_s} s | — | |
| gmg on SIGTERM | $sigterm_note | — | |

- invocation: \`$invocation\`
- gmg: \`${gmg_cmd[*]}\`${gmg_version:+ ($gmg_version)}
- nginx: \`${nginx_cmd[*]}\` ($nginx_version, worker_processes auto)
- wrk: \`wrk ${wrk_args[*]} $gmg_url$API_PATH\` then \`wrk ${wrk_args[*]} $nginx_url$API_PATH\` (wrk $wrk_version)
- machine: nproc $(nproc), $cpu_model, Linux $kernel; repo $git_rev; $(date -u)
- the measured servers and wrk share the same $(nproc) CPUs; gmg had $threads_after OS threads after the load
- other load on the machine: CPU ${busy_before} % busy in the idle second before the load, ${busy_after} % in the second after it; load average (1/5/15 min) before $load_before, after $load_after. Anything else running shares the CPUs with the servers and wrk and shows up mostly in p99.

### One instance on SQLite vs two instances behind nginx on PostgreSQL

Cached reads: \`GET $API_PATH\` as above (the SQLite row is the gmg run above). Writes: \`POST /api/v1/activities\`
with a bearer token (bench/http/post-activity.lua), $THREADS wrk threads, $WRITE_CONNECTIONS connections, $WRITE_DURATION,
each engine on a fresh database; with ROUNDS > 1 every variant is measured ROUNDS times and the table shows medians. PostgreSQL: two \`gmg serve\` on one database behind nginx (round robin, keep-alive
upstream), on the same machine as the cluster, nginx and wrk.

$(variants_table)

<details><summary>gmg response headers</summary>

\`\`\`
$(tr -d '\r' <"$tmp/gmg.headers")
\`\`\`
</details>
EOF
if [[ $busy_before != "?" ]] && ((busy_before > 20 || busy_after > 20)); then
    echo
    echo "**Warning:** the machine was busy with other work (CPU ${busy_before} % before, ${busy_after} % after, while both servers were idle); req/s and especially p99 are unreliable — rerun on a quiet machine."
fi
if [[ $g_non2xx != 0 || $g_sockerr != none ]]; then
    echo
    echo "**Warning:** gmg had $g_non2xx non-2xx/3xx responses and socket errors: $g_sockerr — its req/s is not comparable."
fi
if [[ -z $pg_note ]] && ((pr_non2xx + pw_non2xx + sw_non2xx > 0)); then
    echo
    echo "**Warning:** the variants had non-2xx answers (SQLite writes $sw_non2xx, PostgreSQL reads $pr_non2xx, writes $pw_non2xx): their rates are not comparable; see the gmg logs in a KEEP_TMP=1 run."
fi
if [[ $n_non2xx != 0 || $n_sockerr != none ]]; then
    echo
    echo "**Warning:** nginx had $n_non2xx non-2xx/3xx responses and socket errors: $n_sockerr."
fi
exit 0
