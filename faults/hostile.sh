#!/usr/bin/env bash
# What hostile senders can do to the router on its small-footprint settings (prints figures; not part of the tests,
# which check the same limits with small numbers: BodyMemoryTest, SlowSenderTest). Starts the jar on a fresh
# embedded H2 with the README's JVM flags, then, over loopback:
#   1. signed webhooks of all five vendors at 8 connections, alone: the rate to compare with
#   2. the same while 64 connections post unsigned 1 MB bodies as fast as they can: the signed rate and answers, the
#      flood's answers, OutOfMemoryErrors and full collections in the router, requests shed by the body budget
#   3. idle connections, never used and kept alive after one request: how many the server closed after the idle
#      timeout (KYC_IDLE_TIMEOUT_MS, shortened here to 5 s) and the file descriptors the router holds
#
#   faults/hostile.sh [--flood-seconds 20] [--idle N]
#
# Needs wrk (Debian package "wrk"; installed with apt-get when missing and running as root).
set -euo pipefail
cd "$(dirname "$0")/.."
FLOOD_SECONDS=20; IDLE=5000
while [ $# -gt 0 ]; do
  case "$1" in
    --flood-seconds) FLOOD_SECONDS="$2"; shift ;;
    --idle) IDLE="$2"; shift ;;
    *) echo "usage: faults/hostile.sh [--flood-seconds S] [--idle N]"; exit 2 ;;
  esac
  shift
done
source faults/small-router.sh

# distinct events for each run (warm-up from 0, then 100,000 and 150,000): a duplicate would be answered cheaply
java -Xmx3g -cp target/kyc-webhook-router.jar bench/GenerateRequests.java 200000 1024 "$work/signed.lua" h >/dev/null
cat > "$work/flood.lua" <<'LUA'
wrk.method = "POST"
wrk.body = '{"type":"applicantReviewed","applicantId":"' .. string.rep("x", 1048500) .. '"}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-Payload-Digest"] = "forged"
LUA

rate() { awk '/Requests\/sec/ {print $2}' "$1"; }
non2xx() { awk '/Non-2xx/ {print $5}' "$1" | grep . || echo 0; }

echo "kyc-webhook-router against hostile senders: H2 (embedded), $JAVA_OPTS, wrk on the same $(nproc) cores, loopback"
wrk -t1 -c8 -d20s -s "$work/signed.lua" "http://127.0.0.1:$PORT" -- 0 > /dev/null # warm-up
wrk -t1 -c8 -d10s -s "$work/signed.lua" "http://127.0.0.1:$PORT" -- 100000 > "$work/alone.txt"
echo "signed webhooks alone, 8 connections:                 $(rate "$work/alone.txt") req/s, non-2xx $(non2xx "$work/alone.txt")"

gcs0=$(full_gcs); shed0=$(metric 'kyc_ingress_shed_total')
wrk -t1 -c64 -d"${FLOOD_SECONDS}s" -s "$work/flood.lua" "http://127.0.0.1:$PORT/webhooks/sumsub" > "$work/flood.txt" &
flood=$!
sleep 5
wrk -t1 -c8 -d10s -s "$work/signed.lua" "http://127.0.0.1:$PORT" -- 150000 > "$work/beside.txt"
wait "$flood" || true
echo "signed webhooks beside the flood, 8 connections:     $(rate "$work/beside.txt") req/s, non-2xx $(non2xx "$work/beside.txt")"
echo "the flood, 64 connections of unsigned 1 MB bodies:   $(awk '/requests in/ {print $1}' "$work/flood.txt") answered in ${FLOOD_SECONDS} s, $(non2xx "$work/flood.txt") of them non-2xx (401, or 503 shed by the body budget as the body arrived: $(( $(metric 'kyc_ingress_shed_total') - shed0 )))"
echo "in the router meanwhile:                              $(ooms) OutOfMemoryError, $(( $(full_gcs) - gcs0 )) full collections"
echo "webhooks accepted, all of them signed ones:           $(( $(metric 'kyc_webhooks_received_total{outcome="accepted"') + 0 ))"

fds() { ls /proc/"$(cat "$work/router.pid")"/fd | wc -l; }
echo "file descriptors of the router before the idle connections: $(fds)"
java faults/IdleSockets.java $PORT "$IDLE" 12 idle > "$work/idle.txt" & idle=$!
java faults/IdleSockets.java $PORT $(( IDLE / 5 )) 12 keepalive > "$work/keepalive.txt" & keepalive=$!
sleep 6; echo "file descriptors of the router while they are open:         $(fds)"
wait "$idle" "$keepalive"
sed 's/^/  /' "$work/idle.txt" "$work/keepalive.txt"
echo "file descriptors of the router after the idle timeout (5 s):  $(fds)"
echo "router log: $(grep -c ' ERROR ' "$work/router.log" || true) ERROR lines"
