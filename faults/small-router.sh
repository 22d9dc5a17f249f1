# Sourced by faults/hostile.sh and faults/trickle.sh: installs wrk if missing, builds the jar if it is older than the
# sources, and starts it on a fresh embedded H2 with the README's small-footprint JVM flags (idle timeout 5 s), with
# the bench-* secrets of bench/GenerateRequests.java. Defines $work (removed on exit), $PORT, $MGMT_PORT, $JAVA_OPTS
# and the helpers metric, full_gcs and ooms. Extra router environment: ROUTER_ENV ("NAME=value ...").
command -v wrk >/dev/null || { apt-get install -y -qq wrk >/dev/null 2>&1 || { echo "install wrk (apt-get install wrk)"; exit 1; }; }
if [ ! -f target/kyc-webhook-router.jar ] || [ -n "$(find src pom.xml -newer target/kyc-webhook-router.jar -type f 2>/dev/null | head -1)" ]; then
  mvn -B -q -DskipTests clean package
fi

work=$(mktemp -d)
cleanup() {
  [ -f "$work/router.pid" ] && kill "$(cat "$work/router.pid")" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
PORT=18080; MGMT_PORT=19876
JAVA_OPTS="-Xmx112m -Xmn64m -XX:SurvivorRatio=4 -XX:+UseSerialGC -XX:TrimNativeHeapInterval=5000"

# shellcheck disable=SC2086
env KYC_HTTP_PORT=$PORT KYC_MANAGEMENT_PORT=$MGMT_PORT KYC_DB_URL="jdbc:h2:file:$work/kyc;DB_CLOSE_ON_EXIT=FALSE" KYC_LOG_LEVEL=WARN \
  KYC_IDLE_TIMEOUT_MS=5000 \
  KYC_SUMSUB_SECRET=bench-sumsub KYC_DIDIT_SECRET=bench-didit KYC_DIDIT_TIMESTAMP_TOLERANCE=86400 KYC_TREEZOR_SECRET=bench-treezor \
  KYC_ARGOS_TOKEN=bench-argos KYC_VERATAD_USER=bench KYC_VERATAD_PASSWORD=bench-veratad ${ROUTER_ENV:-} \
  MALLOC_ARENA_MAX=2 java -XX:SharedArchiveFile=target/kyc-webhook-router.jsa $JAVA_OPTS -Xlog:gc:file="$work/gc.log" \
  -jar target/kyc-webhook-router.jar > "$work/router.log" 2>&1 & echo $! > "$work/router.pid"
until curl -s -o /dev/null "http://127.0.0.1:$MGMT_PORT/observe/health/ready"; do
  kill -0 "$(cat "$work/router.pid")" 2>/dev/null || { echo "the router did not start:"; tail -20 "$work/router.log"; exit 1; }
  sleep 0.1
done

metric() { curl -s "http://127.0.0.1:$MGMT_PORT/observe/metrics" | awk -v m="$1" 'index($0, m) == 1 {s += $NF} END {printf "%.0f", s}'; }
full_gcs() { grep -c 'Pause Full' "$work/gc.log" || true; }
ooms() { grep -c 'OutOfMemoryError' "$work/router.log" || true; }
