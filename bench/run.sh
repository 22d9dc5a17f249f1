#!/usr/bin/env bash
# Benchmark (not a test; prints figures). Starts the jar on a fresh embedded H2 database (or, with --postgres, a
# fresh database on the PostgreSQL at 127.0.0.1:5432) with one HTTP notifier target (bench/LagReceiver.java) and
# extra routes in a routes folder: a bare platform-http route that answers 200 with no work (the ceiling of this
# stack on this machine) and the naive route a team would write by hand (bench/naive.yaml: HMAC check, JSONPath
# choice, one JDBC INSERT through a pool), twice, on databases of their own: not durable (H2's default write delay;
# PostgreSQL: synchronous_commit=off) and durable (WRITE_DELAY=0; PostgreSQL: synchronous_commit=on).
# Then, in the same run, over loopback, and prints each target of issue 17 as MET or NOT MET:
#   1. closed loop (wrk) at --connections (64), each route after its own warm-up until its rate is stable: bare
#      route, full pipeline, both naive routes: requests/s, p50/p99/p99.9, and the router's CPU time per request
#      (in total and by thread kind: where the cost of a request lies); the full pipeline's settled rate is the
#      saturation rate
#   2. open loop (bench/FixedRateSender.java): a constant half of the saturation rate, latency from each request's
#      intended send time, and the router's CPU per delivery at that rate
#   3. delivery lag from ingress to the notifier target's 2xx under a steady load (200 webhooks/s): p50/p99
#   4. disk per delivery accepted (database files, or on PostgreSQL the tables, after the 1 KB runs), and the growth
#      per delivery during the full pipeline's measured run alone (past the warm-up: what a long run adds)
#   5. scaling curve (skipped with --quick): 1, 8, 64, 256 connections; bodies of 1 KB, 10 KB, 100 KB
#   6. start-up time to the first 200, resident memory after the full pipeline's runs (the target) and after the whole
#      run (the naive routes' two H2 databases, with their caches, live in the same process)
# The full pipeline is: authenticate (each vendor's own scheme), parse, commit to the inbox (group commit),
# answer; then map, store event + state + outbox (group commit), deliver to the target. Payloads are signed
# webhooks of all five vendors in a realistic mix, each a new event (bench/GenerateRequests.java); the naive routes
# get Sumsub webhooks of the same size (the scheme they check).
#
#   bench/run.sh [--postgres] [--quick] [--connections N] [--seconds S]
#
# Knobs (environment): BENCH_WARMUP_MIN_SECONDS (120) and BENCH_WARMUP_SECONDS (180) bound every warm-up;
# BENCH_OPEN_SECONDS (30) the open loop, after BENCH_OPEN_WARMUP_SECONDS (5) of the same rate to the bare route, not
# counted (the sender's own JIT warm-up; the pipeline still starts from idle); BENCH_KEEP=1 keeps the work folder; BENCH_JAVA_OPTS the router's flags;
# BENCH_PROFILE=<file.jfr> records the full pipeline's measured run with JFR (read it with bench/Hotspots.java).
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
WARMUP_MIN="${BENCH_WARMUP_MIN_SECONDS:-120}"; WARMUP_MAX="${BENCH_WARMUP_SECONDS:-180}"
OPEN_SECONDS="${BENCH_OPEN_SECONDS:-30}"; OPEN_WARMUP="${BENCH_OPEN_WARMUP_SECONDS:-5}"
command -v wrk >/dev/null || { apt-get install -y -qq wrk >/dev/null 2>&1 || { echo "install wrk (apt-get install wrk)"; exit 1; }; }
if [ ! -f target/kyc-webhook-router.jar ] || [ ! -f target/kyc-webhook-router.jsa ] || [ -n "$(find src pom.xml -newer target/kyc-webhook-router.jar -type f 2>/dev/null | head -1)" ]; then
  mvn -B -q -DskipTests clean package
fi
JAR="$PWD/target/kyc-webhook-router.jar"

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

# ---- the extra routes, their beans and databases --------------------------------------------------------------
# Both are files of a routes folder, loaded beside the router's routes (README, "Configuration"), so that every
# route runs in the same process on the same HTTP server and is measured the same way.
mkdir -p "$work/routes" "$work/beans" "$work/sender"
cat > "$work/routes/bare.yaml" <<'YAML'
- route:
    id: bench-bare
    from:
      uri: platform-http:/bench/bare
      steps:
        - setBody:
            constant: '{"status":"ok"}'
YAML
cp bench/naive.yaml "$work/routes/naive.yaml"
# the naive route's HMAC check is a plain class put beside the jar (the router is started with -cp, not -jar)
javac -cp "$JAR" -d "$work/beans" bench/NaiveHmac.java
javac -cp "$JAR" -d "$work/sender" bench/FixedRateSender.java
cp config/application.properties "$work/application.properties"
cat >> "$work/application.properties" <<PROPERTIES
kyc.notify.targets = bench
kyc.notify.target.bench.type = http
kyc.notify.target.bench.url = http://127.0.0.1:$RECEIVER_PORT/hook
kyc.notify.target.bench.secret = bench-notify-secret-of-24-bytes
camel.beans.naiveHmac = #class:NaiveHmac
camel.beans.naiveHmac.secret = bench-sumsub
PROPERTIES
# one HikariCP pool per naive route, defined as Camel Main beans; the same pool size as the router's own
naive_pool() { # bean jdbc-url user
  cat >> "$work/application.properties" <<PROPERTIES
camel.beans.$1 = #class:com.zaxxer.hikari.HikariDataSource
camel.beans.$1.jdbcUrl = $2
camel.beans.$1.username = $3
camel.beans.$1.maximumPoolSize = 10
camel.beans.$1.poolName = $1
PROPERTIES
}
NAIVE_COLUMNS="id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, vendor_id VARCHAR(200), event_type VARCHAR(100), status VARCHAR(40), received_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP, body VARCHAR"
if [ -n "$PG" ]; then
  psql -q -h 127.0.0.1 -U postgres -d test -c "create database $PGDB" >/dev/null
  DB_URL="jdbc:postgresql://127.0.0.1:5432/$PGDB"; DB_USER=postgres; DB_NAME="PostgreSQL"
  # a schema of their own: the router's migrations want the public schema to themselves
  psql -q -h 127.0.0.1 -U postgres -d "$PGDB" -c "create schema bench_naive; create table bench_naive.naive_fast ($NAIVE_COLUMNS);
    create table bench_naive.naive_durable ($NAIVE_COLUMNS)" >/dev/null
  # PostgreSQL's counterpart of H2's write delay: a commit answered before its WAL is flushed
  naive_pool naiveFast "$DB_URL?options=-c%20synchronous_commit%3Doff" postgres
  naive_pool naiveDurable "$DB_URL" postgres
  printf 'camel.beans.naiveFast.schema = bench_naive\ncamel.beans.naiveDurable.schema = bench_naive\n' >> "$work/application.properties"
  NAIVE_FAST="naive, synchronous_commit=off"; NAIVE_DURABLE="naive, synchronous_commit=on"
else
  DB_URL="jdbc:h2:file:$work/kyc;DB_CLOSE_ON_EXIT=FALSE"; DB_USER=sa; DB_NAME="H2 (embedded)"
  naive_pool naiveFast "jdbc:h2:file:$work/naive-fast;INIT=CREATE TABLE IF NOT EXISTS naive_fast ($NAIVE_COLUMNS)" sa
  naive_pool naiveDurable "jdbc:h2:file:$work/naive-durable;WRITE_DELAY=0;INIT=CREATE TABLE IF NOT EXISTS naive_durable ($NAIVE_COLUMNS)" sa
  NAIVE_FAST="naive, H2 default write delay"; NAIVE_DURABLE="naive, H2 WRITE_DELAY=0"
fi

# ---- requests, generated first so that generating them does not compete with the router for the cores ----------
gen() { java -Xmx4g -cp "$JAR" bench/GenerateRequests.java "$@"; }
cat > "$work/tail.lua" <<'LUA'
init = function(args)
  if args[1] then counter = tonumber(args[1]) + (tid or 0) end
  if args[2] then path_override = args[2] end
end
done = function(summary, latency, requests)
  for _, p in pairs({50, 99, 99.9}) do io.write(string.format("%g%% %.2fms\n", p, latency:percentile(p) / 1000)) end
end
LUA
gen "${BENCH_REQUESTS:-300000}" 1024 "$work/mix-1k.lua" a
cat "$work/tail.lua" >> "$work/mix-1k.lua"
# the warm-up has events of its own (another run id), so the measured runs still send only new events
gen "${BENCH_WARMUP_REQUESTS:-400000}" 1024 "$work/mix-warm.lua" w
cat "$work/tail.lua" >> "$work/mix-warm.lua"
# the open loop's events, one request per line for the fixed-rate sender: enough for half of any rate seen so far
gen "${BENCH_OPEN_REQUESTS:-150000}" 1024 "$work/open.jsonl" o
# the naive routes have no dedupe: the same Sumsub webhooks may come round again
gen "${BENCH_NAIVE_REQUESTS:-50000}" 1024 "$work/naive.lua" n sumsub
cat "$work/tail.lua" >> "$work/naive.lua"
if [ -z "$QUICK" ]; then
  gen 24000 10240 "$work/mix-10k.lua" b; cat "$work/tail.lua" >> "$work/mix-10k.lua"
  gen 4000 102400 "$work/mix-100k.lua" c; cat "$work/tail.lua" >> "$work/mix-100k.lua"
fi
{ echo 'wrk.method = "POST"; wrk.body = string.rep("x", 1024); wrk.headers["Content-Type"] = "application/json"'; cat "$work/tail.lua"; } > "$work/bare.lua"

# ---- start ---------------------------------------------------------------------------------------------------
java bench/LagReceiver.java "$RECEIVER_PORT" > "$work/receiver.log" 2>&1 & echo $! > "$work/receiver.pid"
# the receiver compiles itself at launch: let it finish before the router's start-up is timed
until (exec 3<>/dev/tcp/127.0.0.1/$RECEIVER_PORT) 2>/dev/null; do
  kill -0 "$(cat "$work/receiver.pid")" 2>/dev/null || { echo "the receiver did not start:"; cat "$work/receiver.log"; exit 1; }
  sleep 0.05
done
start=$(date +%s%N)
# -cp instead of -jar only to add the naive route's bean class; the archive still applies (its class path is a prefix)
KYC_CONFIG="$work/application.properties" KYC_ROUTES_DIR="$work/routes" KYC_HTTP_PORT=$ROUTER_PORT KYC_MANAGEMENT_PORT=$MGMT_PORT \
KYC_DB_URL="$DB_URL" KYC_DB_USER="$DB_USER" KYC_LOG_LEVEL=WARN \
KYC_SUMSUB_SECRET=bench-sumsub KYC_DIDIT_SECRET=bench-didit KYC_DIDIT_TIMESTAMP_TOLERANCE=86400 KYC_TREEZOR_SECRET=bench-treezor \
KYC_ARGOS_TOKEN=bench-argos KYC_VERATAD_USER=bench KYC_VERATAD_PASSWORD=bench-veratad \
  MALLOC_ARENA_MAX=2 java -XX:SharedArchiveFile=target/kyc-webhook-router.jsa $JAVA_OPTS -cp "$JAR:$work/beans" io.kycrouter.KycWebhookRouter \
  > "$work/router.log" 2>&1 & echo $! > "$work/router.pid"
until curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$ROUTER_PORT/bench/bare" 2>/dev/null | grep -q 200; do
  kill -0 "$(cat "$work/router.pid")" 2>/dev/null || { echo "the router did not start:"; tail -20 "$work/router.log"; exit 1; }
  sleep 0.02
done
STARTUP_MS=$(( ($(date +%s%N) - start) / 1000000 ))

# ---- measuring -----------------------------------------------------------------------------------------------
TARGETS=()  # one line per target of issue 17, printed together at the end
met() { awk "BEGIN {exit !($1)}" && echo MET || echo "NOT MET"; } # a condition on numbers, in awk's syntax
target() { TARGETS+=("$1: $(met "$2")"); echo "$1: $(met "$2")"; } # description, condition

OFFSET=0   # each measured run of a script starts past the events the previous runs sent: every event is new
run() { # name script url connections seconds [path] -> $work/name.txt; the router's CPU per thread before and after
  local threads=2; [ "$4" -lt 2 ] && threads=1
  threads_cpu > "$work/$1.cpu0"; gc_counts > "$work/$1.gc0"
  wrk -t$threads -c"$4" -d"${5}s" -s "$2" "$3" -- "$OFFSET" ${6:-} > "$work/$1.txt"
  threads_cpu > "$work/$1.cpu1"; gc_counts > "$work/$1.gc1"
  local sent; sent=$(awk '/requests in/ {print $1}' "$work/$1.txt")
  OFFSET=$(( OFFSET + sent + sent / 3 + 64 )) # threads may send unequal shares
}
rate_of() { awk '/Requests\/sec/ {print $2}' "$work/$1.txt"; }
answered_in() { awk '/requests in/ {print $1}' "$work/$1.txt"; }
answered_2xx() { awk '/requests in/ {n = $1} /Non-2xx/ {bad = $5} END {print n - bad}' "$work/$1.txt"; }
row() { # label file
  local f="$work/$2.txt"
  printf "%-32s %9s req/s  p50 %9s  p99 %9s  p99.9 %9s  non-2xx %s\n" "$1" "$(rate_of "$2")" \
    "$(awk '$1=="50%" {print $2}' "$f" | tail -1)" "$(awk '$1=="99%" {print $2}' "$f" | tail -1)" \
    "$(awk '$1=="99.9%" {print $2}' "$f" | tail -1)" "$(awk '/Non-2xx/ {print $5}' "$f" | grep . || echo 0)"
}
# CPU time per thread of the router, in clock ticks, summed by thread kind (the JVM's native thread names, 15 chars)
threads_cpu() {
  for t in /proc/"$(cat "$work/router.pid")"/task/*; do
    printf '%s\t%s\n' "$(sed -E 's/[-#]?[0-9]+$//; s/ +$//' "$t/comm" 2>/dev/null)" "$(awk '{print $14 + $15}' "$t/stat" 2>/dev/null)"
  done | awk -F'\t' '$2 != "" {s[$1] += $2} END {for (k in s) print k "\t" s[k]}' | LC_ALL=C sort
}
# the router's collections so far: young count, young seconds, full count, full seconds (jstat, from the JDK)
gc_counts() { jstat -gc "$(cat "$work/router.pid")" 2>/dev/null | awk 'NR == 1 {for (i = 1; i <= NF; i++) c[$i] = i} NR == 2 {print $c["YGC"], $c["YGCT"], $c["FGC"], $c["FGCT"]}'; }
gc_report() { # label before-file after-file requests: the collector's stops during a run, which every request in flight waits out
  read -r y0 yt0 f0 ft0 < "$2"; read -r y1 yt1 f1 ft1 < "$3"
  awk -v l="$1" -v y="$((y1 - y0))" -v yt="$(awk -v a="$yt0" -v b="$yt1" 'BEGIN {print (b - a) * 1000}')" -v f="$((f1 - f0))" \
      -v ft="$(awk -v a="$ft0" -v b="$ft1" 'BEGIN {print (b - a) * 1000}')" -v n="$4" \
    'BEGIN {printf "%-32s collector: %d young (%.0f ms, %.1f ms per 1000 requests), %d full (%.0f ms)\n", l, y, yt, (n > 0 ? yt * 1000 / n : 0), f, ft}'
}
cpu_us() { # before-file after-file requests -> microseconds of router CPU per request (and $work/cpu.joined)
  LC_ALL=C join -t$'\t' -a2 -e0 -o 0,1.2,2.2 "$1" "$2" > "$work/cpu.joined"
  awk -F'\t' -v hz="$(getconf CLK_TCK)" -v n="$3" '{tot += ($3 - $2) / hz} END {printf "%.0f", (n > 0 ? tot / n * 1e6 : 0)}' "$work/cpu.joined"
}
# The router's CPU time per answered request over one run, in total and by thread kind (wrk's own is left out: its
# rusage is mostly LuaJIT loading the request script). Both cores for the router alone is the ceiling of its rate.
cpu_report() { # label name (the run's files) requests -> CPU_<name>
  local us; us=$(cpu_us "$work/$2.cpu0" "$work/$2.cpu1" "$3")
  printf -v "CPU_${2//-/_}" '%s' "$us"
  printf "%-32s %5s us of router CPU per request: all %s cores on the router alone would carry %.0f req/s\n" \
    "$1" "$us" "$(nproc)" "$(awk -v us="$us" -v c="$(nproc)" 'BEGIN {print (us > 0 ? c * 1e6 / us : 0)}')"
  awk -F'\t' '{d = $3 - $2; tot += d; by[$1] = d} END {for (k in by) if (tot > 0 && by[k] / tot >= 0.02) printf "%.0f\t%s\n", by[k] * 100 / tot, k}' \
    "$work/cpu.joined" | sort -rn | awk -F'\t' '{line = line sprintf(" %s %s%%,", $2, $1)} END {sub(/,$/, "", line); print "  by thread:" line}'
}
settle() { sleep "${1:-5}"; } # let the mapping backlog of the previous run drain
metric_sum() { curl -s "http://127.0.0.1:$MGMT_PORT/observe/metrics" | awk -v re="$1" '$0 ~ re {s += $NF} END {printf "%.0f", s}'; }
pending() { metric_sum '^kyc_outbox_pending[{]'; }
answered() { metric_sum '^kyc_webhooks_received_total[{].*outcome="(accepted|duplicate)"'; }
accepted() { metric_sum '^kyc_webhooks_received_total[{].*outcome="accepted"'; }
# the router's database in bytes: its files, or on PostgreSQL its tables with their indexes and TOAST (not the WAL)
disk_full() {
  if [ -n "$PG" ]; then
    psql -qtA -h 127.0.0.1 -U postgres -d "$PGDB" -c "select coalesce(sum(pg_total_relation_size(c.oid)), 0) from pg_class c
      join pg_namespace n on n.oid = c.relnamespace where c.relkind = 'r' and n.nspname not in ('pg_catalog', 'information_schema', 'bench_naive')"
  else
    # the H2 file and the delivery journal's segments (kyc.journal/)
    find "$work" -maxdepth 2 -type f \( -name 'kyc.*' -o -path "$work/kyc.journal/*" \) -printf '%s\n' 2>/dev/null \
      | awk '{s += $1} END {printf "%.0f", s}'
  fi
}
# every exchange the context completed: during the warm-up of an extra route, nearly all of them are that route's
exchanges() { metric_sum '^camel_exchanges_total[{]'; }
drain() { # waits until the notifier target has every event; prints how long that took; sets DRAIN_SECS, DRAIN_LEFT
  local before t0; before=$(pending); t0=$(date +%s%N)
  while [ "$(pending)" != 0 ] && [ $(( ($(date +%s%N) - t0) / 1000000000 )) -lt 600 ]; do sleep 0.5; done
  DRAIN_LEFT=$(pending)
  DRAIN_SECS=$(awk -v n="$(( $(date +%s%N) - t0 ))" 'BEGIN {printf "%.1f", n / 1e9}')
  if [ "$before" -lt 1000 ]; then
    echo "notifier kept pace with the ingress: $before deliveries pending when the load stopped, $DRAIN_LEFT after ${DRAIN_SECS} s"
  else
    echo "notifier backlog of $before deliveries drained in ${DRAIN_SECS} s ($(awk -v b="$before" -v s="$DRAIN_SECS" 'BEGIN {printf "%.0f", (s > 0 ? b / s : 0)}') deliveries/s); left: $DRAIN_LEFT"
  fi
}

# The JIT keeps compiling long after the load starts, and the rate can rest on a plateau for a while before the next
# compilations land (docs/DECISIONS.md, decision 29): each measured closed-loop run starts once the router has
# settled on that route, as a long-running one would be. One wrk run (of events of its own for the full pipeline,
# so that the measured runs still send only new events), its rate read from a counter of the router every 10 s,
# stopped once two windows in a row are within 5 % of each other after at least BENCH_WARMUP_MIN_SECONDS (at most
# BENCH_WARMUP_SECONDS). One run and not a series of short ones: wrk's LuaJIT takes seconds to load a large script.
# Stopped with SIGINT, so that wrk still prints how many requests it sent (the naive routes' disk per delivery).
warm_up() { # name counter script url [wrk script arguments] -> WARMUP_CURVE, $work/warm-name.txt
  local name=$1 counter=$2 script=$3 url=$4; shift 4
  wrk -t2 -c"$CONNECTIONS" -d"${WARMUP_MAX}s" -s "$script" "$url" -- "$@" > "$work/warm-$name.txt" &
  local pid=$! prev=0 secs=0 count now c
  count=$($counter); WARMUP_CURVE=""
  while kill -0 "$pid" 2>/dev/null; do
    sleep 10; secs=$(( secs + 10 ))
    kill -0 "$pid" 2>/dev/null || break # stopped at BENCH_WARMUP_SECONDS within this window: not a full window
    c=$($counter); now=$(( (c - count) / 10 )); count=$c
    WARMUP_CURVE="$WARMUP_CURVE $now"
    if [ "$secs" -ge "$WARMUP_MIN" ] && awk -v a="$prev" -v b="$now" 'BEGIN {exit !(a > 0 && b < a * 1.05 && b > a * 0.95)}'; then
      kill -INT "$pid" 2>/dev/null; break
    fi
    prev=$now
  done
  wait "$pid" 2>/dev/null || true
}

echo "kyc-webhook-router benchmark: $DB_NAME, wrk on the same $(nproc) cores, loopback, $(java -version 2>&1 | head -1), $JAVA_OPTS, class-data-sharing archive"
echo "start-up to the first 200: $STARTUP_MS ms"

# 1. closed loop, each route settled; the full pipeline's rate is the saturation rate
warm_up bare exchanges "$work/bare.lua" "http://127.0.0.1:$ROUTER_PORT/bench/bare" 0
CURVE_BARE=$WARMUP_CURVE
run bare "$work/bare.lua" "http://127.0.0.1:$ROUTER_PORT/bench/bare" "$CONNECTIONS" "$SECONDS_RUN"
warm_up full answered "$work/mix-warm.lua" "http://127.0.0.1:$ROUTER_PORT" 0
CURVE_FULL=$WARMUP_CURVE
settle 8
[ -n "${BENCH_PROFILE:-}" ] && jcmd "$(cat "$work/router.pid")" JFR.start name=full settings=profile filename="$work/full.jfr" >/dev/null
DISK_BEFORE_FULL=$(disk_full); ACCEPTED_BEFORE_FULL=$(accepted)
run full "$work/mix-1k.lua" "http://127.0.0.1:$ROUTER_PORT" "$CONNECTIONS" "$SECONDS_RUN"
DISK_AFTER_FULL=$(disk_full); ACCEPTED_AFTER_FULL=$(accepted)
if [ -n "${BENCH_PROFILE:-}" ]; then
  jcmd "$(cat "$work/router.pid")" JFR.stop name=full >/dev/null
  cp "$work/full.jfr" "$BENCH_PROFILE"
fi
echo
drain
target "backlog drained within 10 s of the load stopping (${DRAIN_SECS} s, $DRAIN_LEFT left)" "$DRAIN_LEFT == 0 && $DRAIN_SECS <= 10"
SATURATION=$(rate_of full)

# 2. delivery lag under a steady load
lag=$(java bench/DeliveryLag.java "$ROUTER_PORT" "$RECEIVER_PORT" 200 15)
read -r lag_sent lag_accepted lag_delivered lag_p50 lag_p99 lag_max <<<"$lag"
settle 3

# 3. open loop at half the saturation rate; the router's CPU read once the notifier has delivered what it accepted
OPEN_RATE=$(awk -v s="$SATURATION" 'BEGIN {printf "%.0f", s / 2}')
threads_cpu > "$work/open.cpu0"; gc_counts > "$work/open.gc0"
java -cp "$JAR:$work/sender" FixedRateSender "$ROUTER_PORT" "$work/open.jsonl" "$OPEN_RATE" "$OPEN_SECONDS" "$CONNECTIONS" "$OPEN_WARMUP" /bench/bare > "$work/open.txt"
read -r open_due open_answered open_ok open_non2xx open_errors open_secs open_rate open_p50 open_p99 open_p999 open_max open_warm_ok < "$work/open.txt"
gc_counts > "$work/open.gc1"
drain > /dev/null
threads_cpu > "$work/open.cpu1"
# the CPU read spans the sender's warm-up on the bare route too: its requests are taken out at the bare route's cost
CPU_open=$(awk -v all="$(cpu_us "$work/open.cpu0" "$work/open.cpu1" 1)" -v warm="$open_warm_ok" -v ok="$open_ok" \
  -v bare="$(cpu_us "$work/bare.cpu0" "$work/bare.cpu1" "$(answered_in bare)")" 'BEGIN {printf "%.0f", (ok > 0 ? (all - warm * bare) / ok : 0)}')

# the router's own footprint, before the naive routes open their two H2 databases (and caches) in the same process
RSS_ROUTER_MB=$(( $(awk '/VmRSS/ {print $2}' /proc/"$(cat "$work/router.pid")"/status) / 1024 ))

# 4. the naive routes, each settled
warm_up naive-fast exchanges "$work/naive.lua" "http://127.0.0.1:$ROUTER_PORT" 0 /bench/naive/fast
CURVE_NAIVE_FAST=$WARMUP_CURVE
run naive-fast "$work/naive.lua" "http://127.0.0.1:$ROUTER_PORT" "$CONNECTIONS" "$SECONDS_RUN" /bench/naive/fast
warm_up naive-durable exchanges "$work/naive.lua" "http://127.0.0.1:$ROUTER_PORT" 0 /bench/naive/durable
CURVE_NAIVE_DURABLE=$WARMUP_CURVE
run naive-durable "$work/naive.lua" "http://127.0.0.1:$ROUTER_PORT" "$CONNECTIONS" "$SECONDS_RUN" /bench/naive/durable

# 5. disk per delivery, after the 1 KB runs (the scaling curve's larger bodies would weigh on the figure)
ACCEPTED=$(accepted)
NAIVE_FAST_ROWS=$(( $(answered_2xx warm-naive-fast) + $(answered_2xx naive-fast) ))
NAIVE_DURABLE_ROWS=$(( $(answered_2xx warm-naive-durable) + $(answered_2xx naive-durable) ))
if [ -n "$PG" ]; then
  # tables with their indexes and TOAST; the write-ahead log is not counted
  pg_bytes() { psql -qtA -h 127.0.0.1 -U postgres -d "$PGDB" -c "select coalesce(sum(pg_total_relation_size(c.oid)), 0) from pg_class c
    join pg_namespace n on n.oid = c.relnamespace where c.relkind = 'r' and n.nspname not in ('pg_catalog', 'information_schema') and $1"; }
  DISK_FULL=$(disk_full); DISK_FAST=$(pg_bytes "c.relname = 'naive_fast'")
  DISK_DURABLE=$(pg_bytes "c.relname = 'naive_durable'"); DISK_WHAT="tables with their indexes"
else
  files_bytes() { stat -c %s "$@" 2>/dev/null | awk '{s += $1} END {printf "%.0f", s}'; }
  DISK_FULL=$(disk_full); DISK_FAST=$(files_bytes "$work"/naive-fast.*)
  DISK_DURABLE=$(files_bytes "$work"/naive-durable.*); DISK_WHAT="database files"
fi

echo
echo "warm-up, requests answered per second in each 10 s window from the start:"
echo "  bare route:$CURVE_BARE"
echo "  full pipeline:$CURVE_FULL"
echo "  $NAIVE_FAST:$CURVE_NAIVE_FAST"
echo "  $NAIVE_DURABLE:$CURVE_NAIVE_DURABLE"
echo
echo "== closed loop (wrk), $CONNECTIONS connections, ${SECONDS_RUN}s each, 1 KB bodies, each route settled =="
row "bare route (ceiling)" bare
row "full pipeline (vendor mix)" full
row "$NAIVE_FAST" naive-fast
row "$NAIVE_DURABLE" naive-durable
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", (b > 0 ? a / b : 0)}'; }
echo "full/bare throughput ratio: $(ratio "$(rate_of full)" "$(rate_of bare)")"
echo "full / $NAIVE_DURABLE throughput: $(ratio "$(rate_of full)" "$(rate_of naive-durable)")"
R_NAIVE=$(ratio "$(rate_of full)" "$(rate_of naive-fast)")
target "full / $NAIVE_FAST throughput = $R_NAIVE (target >= 0.5)" "$R_NAIVE >= 0.5"
echo
echo "== CPU per request, the router's threads read from /proc =="
cpu_report "bare route (ceiling)" bare "$(answered_in bare)"
cpu_report "full pipeline (vendor mix)" full "$(answered_in full)"
cpu_report "$NAIVE_FAST" naive-fast "$(answered_in naive-fast)"
cpu_report "$NAIVE_DURABLE" naive-durable "$(answered_in naive-durable)"
gc_report "full pipeline (vendor mix)" "$work/full.gc0" "$work/full.gc1" "$(answered_in full)"
R_CPU=$(awk -v f="$CPU_full" -v b="$CPU_bare" 'BEGIN {printf "%.1f", (b > 0 ? f / b : 0)}')
target "router CPU per delivery: full / bare = ${R_CPU}x (target <= 5x, goal 3x)" "$R_CPU <= 5"

echo
echo "== open loop (bench/FixedRateSender.java): $OPEN_RATE req/s, half the full pipeline's settled rate, ${OPEN_SECONDS}s (after ${OPEN_WARMUP}s of the sender warming up on the bare route), $CONNECTIONS connections; latency from each request's intended send time =="
printf "rate achieved %s req/s (%s of %s due requests answered): p50 %s ms, p99 %s ms, p99.9 %s ms, max %s ms; non-2xx %s\n" \
  "$open_rate" "$open_answered" "$open_due" "$open_p50" "$open_p99" "$open_p999" "$open_max" \
  "$(awk -v b="$(( open_non2xx + open_errors ))" -v n="$open_due" 'BEGIN {printf "%.2f %%", (n > 0 ? b * 100 / n : 0)}')"
gc_report "open loop" "$work/open.gc0" "$work/open.gc1" "$(( open_ok + open_warm_ok ))"
target "p99 at half the saturation rate, open loop = $open_p99 ms (target < 25 ms)" "$open_p99 < 25"
R_OPEN=$(awk -v o="$CPU_open" -v f="$CPU_full" 'BEGIN {printf "%.1f", (f > 0 ? o / f : 0)}')
target "router CPU per delivery at the fixed rate = $CPU_open us, ${R_OPEN}x the saturation figure of $CPU_full us (target <= 2x)" "$R_OPEN <= 2"

echo
echo "== delivery lag, ingress commit to the target's 2xx, steady 200 webhooks/s for 15 s =="
echo "sent $lag_sent, accepted $lag_accepted, delivered $lag_delivered: p50 ${lag_p50} ms, p99 ${lag_p99} ms, max ${lag_max} ms"
target "delivery lag p99 = $lag_p99 ms (target < 1 s)" "$lag_p99 < 1000"

echo
echo "== disk per delivery accepted ($DISK_WHAT, after the 1 KB runs) =="
per_delivery() { # label bytes deliveries [target]
  local kb line; kb=$(awk -v b="$2" -v n="$3" 'BEGIN {printf "%.1f", (n > 0 ? b / n / 1024 : 0)}')
  line=$(printf '%-32s %s bytes / %s deliveries = %s KB' "$1" "$2" "$3" "$kb")
  if [ -n "${4:-}" ]; then target "$line (target <= 4 KB)" "$kb <= 4"; else echo "$line"; fi
}
per_delivery "full pipeline" "$DISK_FULL" "$ACCEPTED" target
# the growth while the measured closed-loop run went on, its file past the warm-up: what a long run adds per delivery
per_delivery "full pipeline, growth in its run" "$(( DISK_AFTER_FULL - DISK_BEFORE_FULL ))" "$(( ACCEPTED_AFTER_FULL - ACCEPTED_BEFORE_FULL ))"
per_delivery "$NAIVE_FAST" "$DISK_FAST" "$NAIVE_FAST_ROWS"
per_delivery "$NAIVE_DURABLE" "$DISK_DURABLE" "$NAIVE_DURABLE_ROWS"

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
RSS_MB=$(( $(awk '/VmRSS/ {print $2}' /proc/"$(cat "$work/router.pid")"/status) / 1024 ))
echo "resident memory after the full pipeline's runs: $RSS_ROUTER_MB MB; after the whole run (the naive routes' databases too): $RSS_MB MB ($JAVA_OPTS, MALLOC_ARENA_MAX=2)"
errors=$(grep -c ' ERROR ' "$work/router.log" || true)
warnings=$(grep -c ' WARN ' "$work/router.log" || true)
echo "router log: $errors ERROR lines, $warnings WARN lines"
if [ "$warnings" -gt 0 ]; then
  grep ' WARN ' "$work/router.log" | sed -E 's/^[^ ]+ //; s/[0-9a-f-]{36}/<id>/g; s/[0-9]+/N/g' | cut -c1-150 | sort | uniq -c | sort -rn | head -5
fi
TARGETS+=("start-up to the first 200 = $STARTUP_MS ms (target < 2.5 s): $(met "$STARTUP_MS < 2500")")
TARGETS+=("resident memory of the router = $RSS_ROUTER_MB MB (target < 300 MB): $(met "$RSS_ROUTER_MB < 300")")

echo
echo "== targets (issue 17), this run =="
printf '%s\n' "${TARGETS[@]}"
