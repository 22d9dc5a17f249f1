#!/usr/bin/env bash
# Fault suite (prints figures): runs the fault tests of src/test/java/io/kycrouter/faults with a longer load and a
# longer notifier outage than CI does, each against the real jar started as a separate process, and prints one line
# per fault: acknowledged, refused, stored, lost (must be 0), mapped, delivered, duplicated, out of order.
#   kill -9 under load                    KillUnderLoadTest
#   database unreachable under load       DatabaseOutageTest (network to the database cut, then mended)
#   slow database under load              DatabaseOutageTest (300 ms per round trip: 503s, nothing lost)
#   notifier target down, then back       TargetOutageTest
#   disk of the embedded H2 full, freed   DiskFullTest (a small tmpfs; needs root, skipped elsewhere)
#
#   faults/run.sh [--postgres] [--load-ms 10000] [--outage-ms 30000]
#
# --postgres runs them on a fresh database of the PostgreSQL at 127.0.0.1:5432 (database "test") instead of H2.
set -euo pipefail
cd "$(dirname "$0")/.."
LOAD_MS=10000; OUTAGE_MS=30000; PG=()
while [ $# -gt 0 ]; do
  case "$1" in
    --postgres) PG=(-Dkyc.test.postgres=jdbc:postgresql://127.0.0.1:5432/test) ;;
    --load-ms) LOAD_MS="$2"; shift ;;
    --outage-ms) OUTAGE_MS="$2"; shift ;;
    *) echo "usage: faults/run.sh [--postgres] [--load-ms N] [--outage-ms N]"; exit 2 ;;
  esac
  shift
done
rm -f target/surefire-reports/io.kycrouter.faults.*
status=0
mvn -B -q test -Dtest='io/kycrouter/faults/*Test' -Dsurefire.failIfNoSpecifiedTests=false \
  -Dkyc.faults.load-ms="$LOAD_MS" -Dkyc.faults.outage-ms="$OUTAGE_MS" "${PG[@]}" > target/faults.log 2>&1 || status=$?
echo "fault suite: load ${LOAD_MS} ms, notifier outage ${OUTAGE_MS} ms, $([ ${#PG[@]} -gt 0 ] && echo PostgreSQL || echo 'H2 (embedded)')"
grep -h '^FAULT' target/surefire-reports/io.kycrouter.faults.*-output.txt 2>/dev/null | sed 's/^FAULT //' || true
[ "$status" -eq 0 ] && echo "all fault tests passed" || { echo "a fault test failed: see target/faults.log"; grep -E 'FAIL|expected|but was' target/faults.log | head -10 || true; }
exit $status
