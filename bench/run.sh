#!/usr/bin/env bash
# Ingress benchmark (not a test): starts the jar on a fresh embedded H2 database, with one extra bare
# platform-http route that answers 200 with no work (the ceiling of this stack on this machine), and drives
# both with wrk over loopback in the same run. Prints requests/s and latency percentiles for both, the
# ratio full/bare, start-up time to the first 200 and resident memory after the run.
#
#   bench/run.sh [connections=64] [seconds=15] [body bytes=1024]
#
# Needs wrk (Debian package "wrk"; installed with apt-get when missing and running as root).
set -euo pipefail
cd "$(dirname "$0")/.."
CONNECTIONS="${1:-64}"; SECONDS_RUN="${2:-15}"; BODY="${3:-1024}"
command -v wrk >/dev/null || { apt-get install -y -qq wrk >/dev/null 2>&1 || { echo "install wrk (apt-get install wrk)"; exit 1; }; }
if [ -z "$(find target/kyc-webhook-router.jar -newer pom.xml 2>/dev/null)" ] || [ -n "$(find src -newer target/kyc-webhook-router.jar -type f 2>/dev/null | head -1)" ]; then
  mvn -B -q -DskipTests package
fi

work=$(mktemp -d); trap 'kill $(cat "$work/pid" 2>/dev/null) 2>/dev/null; rm -rf "$work"' EXIT
mkdir -p "$work/routes"; cp routes/*.yaml "$work/routes/"
cat > "$work/routes/bare.yaml" <<'YAML'
- route:
    id: bench-bare
    from:
      uri: platform-http:/bench/bare
      steps:
        - setBody:
            constant: '{"status":"ok"}'
YAML
PORT=18080
start=$(date +%s%N)
KYC_ROUTES_DIR="$work/routes" KYC_HTTP_PORT=$PORT KYC_MANAGEMENT_PORT=19876 KYC_SUMSUB_SECRET=bench-secret \
KYC_DB_URL="jdbc:h2:file:$work/kyc;DB_CLOSE_ON_EXIT=FALSE" \
  java -Xmx256m ${BENCH_JAVA_OPTS:-} -jar target/kyc-webhook-router.jar > "$work/router.log" 2>&1 & echo $! > "$work/pid"
until curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/bench/bare" 2>/dev/null | grep -q 200; do
  kill -0 "$(cat "$work/pid")" 2>/dev/null || { echo "the router did not start:"; tail -20 "$work/router.log"; exit 1; }
  sleep 0.05
done
echo "start-up to first 200: $(( ($(date +%s%N) - start) / 1000000 )) ms"

java bench/GenerateRequests.java "${BENCH_REQUESTS:-45000}" "$BODY" bench-secret "$work/sumsub.lua"
cat > "$work/bare.lua" <<'LUA'
wrk.method = "POST"; wrk.body = string.rep("x", 1024); wrk.headers["Content-Type"] = "application/json"
LUA

cat > "$work/pct.lua" <<'LUA'
done = function(summary, latency, requests)
  for _, p in pairs({50, 99, 99.9}) do io.write(string.format("%g%% %.2fms\n", p, latency:percentile(p) / 1000)) end
end
LUA
run() { # name url script
  cat "$3" "$work/pct.lua" > "$work/run.lua"
  wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_RUN}s" -s "$work/run.lua" "$2" > "$work/$1.txt"
}
# each measured after a warm-up of its own; the bare ceiling first, before the pipeline has any backlog
wrk -t2 -c"$CONNECTIONS" -d5s -s "$work/bare.lua" "http://127.0.0.1:$PORT/bench/bare" >/dev/null
run bare "http://127.0.0.1:$PORT/bench/bare" "$work/bare.lua"
wrk -t2 -c"$CONNECTIONS" -d5s -s "$work/sumsub.lua" "http://127.0.0.1:$PORT" >/dev/null
sleep 5 # let the warm-up's mapping backlog drain
run full "http://127.0.0.1:$PORT" "$work/sumsub.lua"
echo "connections $CONNECTIONS, ${SECONDS_RUN}s each, body ${BODY} bytes, H2, wrk on the same 2 cores"
for name in bare full; do
  rps=$(awk '/Requests\/sec/ {print $2}' "$work/$name.txt")
  p50=$(awk '$1=="50%" {print $2}' "$work/$name.txt" | tail -1)
  p99=$(awk '$1=="99%" {print $2}' "$work/$name.txt" | tail -1)
  p999=$(awk '$1=="99.9%" {print $2}' "$work/$name.txt" | tail -1)
  errors=$(awk '/Non-2xx/ {print $5}' "$work/$name.txt")
  printf "%-5s %10s req/s   p50 %9s   p99 %9s   p99.9 %9s   non-2xx %s\n" "$name" "$rps" "$p50" "$p99" "$p999" "${errors:-0}"
  echo "$rps" > "$work/$name.rps"
done
awk -v f="$(cat "$work/full.rps")" -v b="$(cat "$work/bare.rps")" 'BEGIN {printf "full/bare throughput ratio: %.2f\n", f/b}'
echo "resident memory after the run: $(( $(awk '/VmRSS/ {print $2}' /proc/$(cat "$work/pid")/status) / 1024 )) MB"
