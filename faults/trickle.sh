#!/usr/bin/env bash
# What trickling unauthenticated senders and a burst of connections do to the router on its small-footprint settings
# (prints figures; not part of the tests, which check the same guards with small numbers: TricklingSendersTest,
# EarlyRefusalsTest, RequestsInFlightTest). Starts the jar as faults/hostile.sh does (faults/small-router.sh), then,
# over loopback:
#   1. for N = 2, 16, 256: N connections trickling unauthenticated webhooks (faults/Tricklers.java: 1 MB declared,
#      one byte a second, half with a forged signature header, half with none, reconnecting when closed) beside
#      signed webhooks of all five vendors on 8 connections: the share of signed webhooks answered 200
#   2. 2,000 connections posting signed webhooks at once: their answers by status, OutOfMemoryErrors and full
#      collections in the router, requests shed
#
#   faults/trickle.sh [--seconds 30] [--burst 2000]
#
# With --seconds at least the request timeout (30 s), the tricklers with a forged signature are seen to get their 408.
#
# Needs wrk (Debian package "wrk"; installed with apt-get when missing and running as root).
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH=30; BURST=2000
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) SECONDS_EACH="$2"; shift ;;
    --burst) BURST="$2"; shift ;;
    *) echo "usage: faults/trickle.sh [--seconds S] [--burst N]"; exit 2 ;;
  esac
  shift
done
ulimit -n 20000 2>/dev/null || true
source faults/small-router.sh

# signed webhooks, a new event for each request of each run (the run's first event is wrk's argument); wrk counts
# the answers by status
java -Xmx3g -cp target/kyc-webhook-router.jar bench/GenerateRequests.java 400000 1024 "$work/signed.lua" t >/dev/null
cat >> "$work/signed.lua" <<'LUA'
local base_setup = setup
local threads = {}
function setup(thread)
  base_setup(thread)
  table.insert(threads, thread)
end
function init(args)
  if args[1] then counter = tonumber(args[1]) + (tid or 0) end
  statuses = {}
end
function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end
function done(summary, latency, requests)
  local all = {}
  for _, t in ipairs(threads) do
    for k, v in pairs(t:get("statuses")) do all[k] = (all[k] or 0) + v end
  end
  for k, v in pairs(all) do io.write(string.format("status %d %d\n", k, v)) end
  local e = summary.errors
  io.write(string.format("socket-errors %d\n", e.connect + e.read + e.write + e.timeout))
end
LUA

count() { awk -v s="$2" '$1 == "status" && $2 == s {print $3; f=1} END {if (!f) print 0}' "$1"; }
answered() { awk '$1 == "status" {s += $3} END {print s + 0}' "$1"; }
errors() { awk '$1 == "socket-errors" {print $2}' "$1"; }
statuses() { awk '$1 == "status" {printf "%s%s: %s", sep, $2, $3; sep=", "}' "$1"; }
share() { # 200s among all the requests sent (answered or lost to a socket error)
  awk -v ok="$(count "$1" 200)" -v all="$(( $(answered "$1") + $(errors "$1") ))" 'BEGIN {printf "%.1f %%", all ? 100 * ok / all : 0}'
}
load() { awk '{print $1 ", " $2 ", " $3}' /proc/loadavg; }

echo "kyc-webhook-router against trickling senders and a burst: H2 (embedded), $JAVA_OPTS, wrk on the same $(nproc) cores, loopback"
echo "load average before: $(load)"
wrk -t1 -c8 -d20s -s "$work/signed.lua" "http://127.0.0.1:$PORT" -- 0 > /dev/null # warm-up
wrk -t1 -c8 -d10s -s "$work/signed.lua" "http://127.0.0.1:$PORT" -- 60000 > "$work/alone.txt"
echo "signed webhooks alone, 8 connections: $(awk '/Requests\/sec/ {print $2}' "$work/alone.txt") req/s; 200s $(share "$work/alone.txt") ($(statuses "$work/alone.txt"); socket errors $(errors "$work/alone.txt"))"

offset=100000
for n in 2 16 256; do
  gcs0=$(full_gcs)
  java faults/Tricklers.java $PORT $n $(( SECONDS_EACH + 6 )) > "$work/tricklers-$n.txt" &
  tricklers=$!
  sleep 3 # the tricklers connected
  wrk -t1 -c8 -d"${SECONDS_EACH}s" -s "$work/signed.lua" "http://127.0.0.1:$PORT" -- $offset > "$work/beside-$n.txt" &
  signed=$!
  peak=0
  while kill -0 $signed 2>/dev/null; do # the body memory held while both run, sampled each second
    m=$(metric 'kyc_ingress_body_memory_bytes'); [ "${m:-0}" -gt "$peak" ] && peak=$m
    sleep 1
  done
  wait $signed || true
  wait $tricklers || true
  offset=$(( offset + 60000 ))
  echo "N = $n trickling unauthenticated connections: signed webhooks answered 200: $(share "$work/beside-$n.txt") of $(( $(answered "$work/beside-$n.txt") + $(errors "$work/beside-$n.txt") ))" \
       "($(statuses "$work/beside-$n.txt"); socket errors $(errors "$work/beside-$n.txt")); $(awk '/Requests\/sec/ {print $2}' "$work/beside-$n.txt") req/s"
  echo "  $(cat "$work/tricklers-$n.txt"); body memory held at most $peak bytes (sampled); $(( $(full_gcs) - gcs0 )) full collections; load $(load)"
done

gcs0=$(full_gcs); shed0=$(metric 'kyc_ingress_shed_total{reason="in_flight"')
wrk -t2 -c"$BURST" -d15s --timeout 20s -s "$work/signed.lua" "http://127.0.0.1:$PORT" -- $offset > "$work/burst.txt" || true
echo "$BURST connections posting signed webhooks for 15 s: $(statuses "$work/burst.txt"); socket errors $(errors "$work/burst.txt");" \
     "shed for requests in flight: $(( $(metric 'kyc_ingress_shed_total{reason="in_flight"') - shed0 ))"
echo "  in the router: $(ooms) OutOfMemoryError, $(( $(full_gcs) - gcs0 )) full collections, $(grep -c 'blocked for' "$work/router.log" || true) blocked-thread warnings; load $(load)"
echo "  afterwards: readiness $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$MGMT_PORT/observe/health/ready"), accepted in all $(metric 'kyc_webhooks_received_total{outcome="accepted"')"
echo "router log: $(grep -c ' ERROR ' "$work/router.log" || true) ERROR lines; the most frequent:"
grep ' ERROR ' "$work/router.log" | sed -e 's/^[^ ]* ERROR *//' -e 's/\[[^]]*\] //' | cut -c1-150 | sort | uniq -c | sort -rn | head -5 || true
