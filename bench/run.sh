#!/usr/bin/env bash
# Benchmark (not a test; prints figures). Starts the jar on a fresh embedded H2 database (or, with --postgres, a
# fresh database on the PostgreSQL at 127.0.0.1:5432) with one HTTP notifier target (bench/LagReceiver.java) and
# one extra bare platform-http route that answers 200 with no work: the ceiling of this stack on this machine.
# Then, in the same run, over loopback with wrk:
#   1. bare route and full pipeline at --connections (64): requests/s, p50/p99/p99.9, ratio full/bare, and the
#      router's CPU time per request for each (in total and by thread kind: where the cost of a request lies)
#   2. delivery lag from ingress to the notifier target's 2xx under a steady load (200 webhooks/s): p50/p99
#   3. scaling curve (skipped with --quick): 1, 8, 64, 256 connections; bodies of 1 KB, 10 KB, 100 KB
#   4. start-up time to the first 200, resident memory after the run
# The full pipeline is: authenticate (each vendor's own scheme), parse, commit to the inbox (group commit),
# answer; then map, store event + state + outbox (group commit), deliver to the target. Payloads are signed
# webhooks of all five vendors in a realistic mix, each a new event (bench/GenerateRequests.java).
#
#   bench/run.sh [--postgres] [--quick] [--connections N] [--seconds S]
#
# Needs wrk (Debian package "wrk"; installed with apt-get when missing and running as root).
set -euo pipefail
cd "$(dirname "$0")/.."
PG=""; QUICK=""; CONNECTIONS=64; SECONDS_RUN=15
while [ $# -gt 0 ]; do
  case "$1" in
    --postgres) PG=1 ;;
    --quick) QUICK=1 ;;
    --connections) CONNECTIONS="$2"; shift ;;
    --seconds) SECONDS_RUN="$2"; shift ;;
    *) echo "usage: bench/run.sh [--postgres] [--quick] [--connections N] [--seconds S]"; exit 2 ;;
  esac
  shift
done
command -v wrk >/dev/null || { apt-get install -y -qq wrk >/dev/null 2>&1 || { echo "install wrk (apt-get install wrk)"; exit 1; }; }
if [ ! -f target/kyc-webhook-router.jar ] || [ ! -f target/kyc-webhook-router.jsa ] || [ -n "$(find src pom.xml -newer target/kyc-webhook-router.jar -type f 2>/dev/null | head -1)" ]; then
  mvn -B -q -DskipTests clean package
fi

work=$(mktemp -d)
PGDB="kyc_bench_$$"
cleanup() {
  for p in router receiver; do [ -f "$work/$p.pid" ] && kill "$(cat "$work/$p.pid")" 2>/dev/null || true; done
  sleep 1
  [ -n "$PG" ] && psql -q -h 127.0.0.1 -U postgres -d test -c "drop database if exists $PGDB" >/dev/null 2>&1 || true
  if [ -n "${BENCH_KEEP:-}" ]; then echo "kept: $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

ROUTER_PORT=18080; MGMT_PORT=19876; RECEIVER_PORT=18090
# the small-footprint settings the README recommends (override with BENCH_JAVA_OPTS)
JAVA_OPTS="${BENCH_JAVA_OPTS:--Xmx112m -Xmn64m -XX:SurvivorRatio=4 -XX:+UseSerialGC -XX:TrimNativeHeapInterval=5000}"
# the bare route is a file of its own in a routes folder: loaded beside the router's routes (README, "Configuration")
mkdir -p "$work/routes"
cat > "$work/routes/bare.yaml" <<'YAML'
- route:
    id: bench-bare
    from:
      uri: platform-http:/bench/bare
      steps:
        - setBody:
            constant: '{"status":"ok"}'
YAML
cp config/application.properties "$work/application.properties"
cat >> "$work/application.properties" <<EOF
kyc.notify.targets = bench
kyc.notify.target.bench.type = http
kyc.notify.target.bench.url = http://127.0.0.1:$RECEIVER_PORT/hook
kyc.notify.target.bench.secret = bench-notify-secret-of-24-bytes
EOF
if [ -n "$PG" ]; then
  psql -q -h 127.0.0.1 -U postgres -d test -c "create database $PGDB" >/dev/null
  DB_URL="jdbc:postgresql://127.0.0.1:5432/$PGDB"; DB_USER=postgres; DB_NAME="PostgreSQL"
else
  DB_URL="jdbc:h2:file:$work/kyc;DB_CLOSE_ON_EXIT=FALSE"; DB_USER=sa; DB_NAME="H2 (embedded)"
fi

# request scripts first, so generating them does not compete with the router for the machine's cores
gen() { java -Xmx4g -cp target/kyc-webhook-router.jar bench/GenerateRequests.java "$1" "$2" "$3" "$4"; }
cat > "$work/tail.lua" <<'LUA'
init = function(args) if args[1] then counter = tonumber(args[1]) + (tid or 0) end end
done = function(summary, latency, requests)
  for _, p in pairs({50, 99, 99.9}) do io.write(string.format("%g%% %.2fms\n", p, latency:percentile(p) / 1000)) end
end
LUA
gen "${BENCH_REQUESTS:-300000}" 1024 "$work/mix-1k.lua" a
cat "$work/tail.lua" >> "$work/mix-1k.lua"
# the warm-up has events of its own (another run id), so the measured runs still send only new events
gen "${BENCH_WARMUP_REQUESTS:-400000}" 1024 "$work/mix-warm.lua" w
cat "$work/tail.lua" >> "$work/mix-warm.lua"
if [ -z "$QUICK" ]; then
  gen 24000 10240 "$work/mix-10k.lua" b; cat "$work/tail.lua" >> "$work/mix-10k.lua"
  gen 4000 102400 "$work/mix-100k.lua" c; cat "$work/tail.lua" >> "$work/mix-100k.lua"
fi
{ echo 'wrk.method = "POST"; wrk.body = string.rep("x", 1024); wrk.headers["Content-Type"] = "application/json"'; cat "$work/tail.lua"; } > "$work/bare.lua"

java bench/LagReceiver.java "$RECEIVER_PORT" > "$work/receiver.log" 2>&1 & echo $! > "$work/receiver.pid"
# the receiver compiles itself at launch: let it finish before the router's start-up is timed
until (exec 3<>/dev/tcp/127.0.0.1/$RECEIVER_PORT) 2>/dev/null; do sleep 0.05; done
start=$(date +%s%N)
KYC_CONFIG="$work/application.properties" KYC_ROUTES_DIR="$work/routes" KYC_HTTP_PORT=$ROUTER_PORT KYC_MANAGEMENT_PORT=$MGMT_PORT \
KYC_DB_URL="$DB_URL" KYC_DB_USER="$DB_USER" KYC_LOG_LEVEL=WARN \
KYC_SUMSUB_SECRET=bench-sumsub KYC_DIDIT_SECRET=bench-didit KYC_DIDIT_TIMESTAMP_TOLERANCE=86400 KYC_TREEZOR_SECRET=bench-treezor \
KYC_ARGOS_TOKEN=bench-argos KYC_VERATAD_USER=bench KYC_VERATAD_PASSWORD=bench-veratad \
  MALLOC_ARENA_MAX=2 java -XX:SharedArchiveFile=target/kyc-webhook-router.jsa $JAVA_OPTS -jar target/kyc-webhook-router.jar > "$work/router.log" 2>&1 & echo $! > "$work/router.pid"
until curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$ROUTER_PORT/bench/bare" 2>/dev/null | grep -q 200; do
  kill -0 "$(cat "$work/router.pid")" 2>/dev/null || { echo "the router did not start:"; tail -20 "$work/router.log"; exit 1; }
  sleep 0.02
done
STARTUP_MS=$(( ($(date +%s%N) - start) / 1000000 ))

OFFSET=0   # each measured run of a script starts past the events the previous runs sent: every event is new
run() { # name script url connections seconds -> $work/name.txt; the router's CPU per thread before and after
  local threads=2; [ "$4" -lt 2 ] && threads=1
  threads_cpu > "$work/$1.cpu0"
  wrk -t$threads -c"$4" -d"${5}s" -s "$2" "$3" -- "$OFFSET" > "$work/$1.txt"
  threads_cpu > "$work/$1.cpu1"
  local sent; sent=$(awk '/requests in/ {print $1}' "$work/$1.txt")
  OFFSET=$(( OFFSET + sent + sent / 3 + 64 )) # threads may send unequal shares
}
row() { # label file
  local f="$work/$2.txt"
  printf "%-28s %9s req/s  p50 %9s  p99 %9s  p99.9 %9s  non-2xx %s\n" "$1" "$(awk '/Requests\/sec/ {print $2}' "$f")" \
    "$(awk '$1=="50%" {print $2}' "$f" | tail -1)" "$(awk '$1=="99%" {print $2}' "$f" | tail -1)" \
    "$(awk '$1=="99.9%" {print $2}' "$f" | tail -1)" "$(awk '/Non-2xx/ {print $5}' "$f" | grep . || echo 0)"
}
# CPU time per thread of the router, in clock ticks, summed by thread kind (the JVM's native thread names, 15 chars)
threads_cpu() {
  for t in /proc/"$(cat "$work/router.pid")"/task/*; do
    printf '%s\t%s\n' "$(sed -E 's/[-#]?[0-9]+$//; s/ +$//' "$t/comm" 2>/dev/null)" "$(awk '{print $14 + $15}' "$t/stat" 2>/dev/null)"
  done | awk -F'\t' '$2 != "" {s[$1] += $2} END {for (k in s) print k "\t" s[k]}' | LC_ALL=C sort
}
# The router's CPU time per answered request over one run, in total and by thread kind (wrk's own is left out: its
# rusage is mostly LuaJIT loading the request script). Both cores for the router alone is the ceiling of its rate.
cpu_report() { # label before-file after-file requests
  local hz; hz=$(getconf CLK_TCK)
  LC_ALL=C join -t$'\t' -a2 -e0 -o 0,1.2,2.2 "$2" "$3" > "$work/cpu.joined"
  awk -F'\t' -v hz="$hz" -v n="$4" -v label="$1" -v cores="$(nproc)" '
    {tot += ($3 - $2) / hz}
    END {printf "%-28s %5.0f us of router CPU per request: all %s cores on the router alone would carry %.0f req/s\n",
      label, tot / n * 1e6, cores, cores / (tot / n)}' "$work/cpu.joined"
  awk -F'\t' '{d = $3 - $2; tot += d; by[$1] = d} END {for (k in by) if (by[k] / tot >= 0.02) printf "%.0f\t%s\n", by[k] * 100 / tot, k}' \
    "$work/cpu.joined" | sort -rn | awk -F'\t' '{line = line sprintf(" %s %s%%,", $2, $1)} END {sub(/,$/, "", line); print "  by thread:" line}'
}
settle() { sleep "${1:-5}"; } # let the mapping backlog of the previous run drain
pending() { curl -s "http://127.0.0.1:$MGMT_PORT/observe/metrics" | awk '/^kyc_outbox_pending\{/ {s += $2} END {print s + 0}'; }
drain() { # waits until the notifier target has every event; prints how long that took and the delivery rate
  local before t0 left; before=$(pending); t0=$(date +%s%N)
  while [ "$(pending)" != 0 ] && [ $(( ($(date +%s%N) - t0) / 1000000000 )) -lt 600 ]; do sleep 0.5; done
  left=$(pending)
  local secs; secs=$(awk -v n="$(( $(date +%s%N) - t0 ))" 'BEGIN {printf "%.1f", n / 1e9}')
  if [ "$before" -lt 1000 ]; then
    echo "notifier kept pace with the ingress: $before deliveries pending when the load stopped, $left after ${secs} s"
  else
    echo "notifier backlog of $before deliveries drained in ${secs} s ($(awk -v b="$before" -v s="$secs" 'BEGIN {printf "%.0f", (s > 0 ? b / s : 0)}') deliveries/s); left: $left"
  fi
}

echo "kyc-webhook-router benchmark: $DB_NAME, wrk on the same $(nproc) cores, loopback, $(java -version 2>&1 | head -1), $JAVA_OPTS, class-data-sharing archive"
echo "start-up to the first 200: $STARTUP_MS ms"
wrk -t2 -c"$CONNECTIONS" -d5s -s "$work/bare.lua" "http://127.0.0.1:$ROUTER_PORT/bench/bare" >/dev/null
run bare "$work/bare.lua" "http://127.0.0.1:$ROUTER_PORT/bench/bare" "$CONNECTIONS" "$SECONDS_RUN"
# The JIT keeps compiling long after the load starts, and the rate can rest on a plateau for a while before the next
# compilations land (docs/DECISIONS.md, decision 29): the measured run starts once the
# router has settled, as a long-running one would be. One wrk run of the warm-up's own events (another run id, so
# the measured runs still send only new events; past BENCH_WARMUP_REQUESTS it sends duplicates), the rate read
# from the router's own counter every 10 s, stopped once two windows in a row are within 5 % of each other after at
# least 120 s (at most BENCH_WARMUP_SECONDS, 180; a larger script of its own would cost wrk CPU: LuaJIT walks its tables).
answered() { curl -s "http://127.0.0.1:$MGMT_PORT/observe/metrics" | awk '/^kyc_webhooks_received_total\{.*outcome="(accepted|duplicate)"/ {s += $2} END {printf "%.0f", s}'; }
wrk -t2 -c"$CONNECTIONS" -d"${BENCH_WARMUP_SECONDS:-180}s" -s "$work/mix-warm.lua" "http://127.0.0.1:$ROUTER_PORT" -- 0 > "$work/warmup.txt" &
warm_pid=$!
WARMUP_CURVE=""; warm_prev=0; warm_s=0; warm_count=$(answered)
while kill -0 "$warm_pid" 2>/dev/null; do
  sleep 10; warm_s=$(( warm_s + 10 ))
  c=$(answered); warm_now=$(( (c - warm_count) / 10 )); warm_count=$c
  WARMUP_CURVE="$WARMUP_CURVE $warm_now"
  if [ "$warm_s" -ge 120 ] && awk -v a="$warm_prev" -v b="$warm_now" 'BEGIN {exit !(a > 0 && b < a * 1.05 && b > a * 0.95)}'; then
    kill "$warm_pid" 2>/dev/null; break
  fi
  warm_prev=$warm_now
done
wait "$warm_pid" 2>/dev/null || true
settle 8
run full "$work/mix-1k.lua" "http://127.0.0.1:$ROUTER_PORT" "$CONNECTIONS" "$SECONDS_RUN"
echo
echo "warm-up, webhooks answered 200 per second in each 10 s window from the start:$WARMUP_CURVE"
echo
echo "== $CONNECTIONS connections, ${SECONDS_RUN}s each, 1 KB bodies =="
row "bare route (ceiling)" bare
row "full pipeline (vendor mix)" full
awk -v f="$(awk '/Requests\/sec/ {print $2}' "$work/full.txt")" -v b="$(awk '/Requests\/sec/ {print $2}' "$work/bare.txt")" \
  'BEGIN {printf "full/bare throughput ratio: %.2f\n", f/b}'
answered_in() { awk '/requests in/ {print $1}' "$work/$1.txt"; }
echo
echo "== CPU per request, the router's threads read from /proc =="
cpu_report "bare route (ceiling)" "$work/bare.cpu0" "$work/bare.cpu1" "$(answered_in bare)"
cpu_report "full pipeline (vendor mix)" "$work/full.cpu0" "$work/full.cpu1" "$(answered_in full)"

echo
drain
lag=$(java bench/DeliveryLag.java "$ROUTER_PORT" "$RECEIVER_PORT" 200 15)
read -r sent accepted delivered p50 p99 max <<<"$lag"
echo
echo "== delivery lag, ingress commit to the target's 2xx, steady 200 webhooks/s for 15 s =="
echo "sent $sent, accepted $accepted, delivered $delivered: p50 ${p50} ms, p99 ${p99} ms, max ${max} ms"

if [ -z "$QUICK" ]; then
  echo
  echo "== scaling: full pipeline, 10 s each =="
  for c in 1 8 64 256; do
    settle 5; run "c$c" "$work/mix-1k.lua" "http://127.0.0.1:$ROUTER_PORT" "$c" 10; row "$c connections, 1 KB" "c$c"
  done
  drain >/dev/null
  OFFSET=0; settle 5; run b10k "$work/mix-10k.lua" "http://127.0.0.1:$ROUTER_PORT" 64 10; row "64 connections, 10 KB" b10k
  drain >/dev/null
  OFFSET=0; settle 5; run b100k "$work/mix-100k.lua" "http://127.0.0.1:$ROUTER_PORT" 64 10; row "64 connections, 100 KB" b100k
fi
echo
echo "resident memory after the run: $(( $(awk '/VmRSS/ {print $2}' /proc/"$(cat "$work/router.pid")"/status) / 1024 )) MB ($JAVA_OPTS, MALLOC_ARENA_MAX=2)"
errors=$(grep -c ' ERROR ' "$work/router.log" || true)
warnings=$(grep -c ' WARN ' "$work/router.log" || true)
echo "router log: $errors ERROR lines, $warnings WARN lines"
if [ "$warnings" -gt 0 ]; then
  grep ' WARN ' "$work/router.log" | sed -E 's/^[^ ]+ //; s/[0-9a-f-]{36}/<id>/g; s/[0-9]+/N/g' | cut -c1-150 | sort | uniq -c | sort -rn | head -5
fi
