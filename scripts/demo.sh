#!/usr/bin/env bash
# make demo: an embedded broker, two pipeline workers, live synthetic traffic, and a live view of the results.
# Every child is started here and ended by PID; Ctrl-C stops everything. DURATION (seconds) bounds the run.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.build/release/resonance
DURATION="${DURATION:-120}"
WORK="$(mktemp -d /tmp/resonance-demo.XXXXXX)"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  [ -n "${DEMO_KEEP:-}" ] || rm -rf "$WORK"
}
trap cleanup EXIT
trap 'echo; echo "== stopping"; exit 0' INT TERM
# The dev broker waits session.timeout.ms − 1 s per rebalance round: keep it short (README, "The dev broker").
GROUP_FLAGS=(-X session.timeout.ms=4000 -X heartbeat.interval.ms=500)

"$BIN" dev-broker --addr-file "$WORK/broker.addr" >/dev/null 2>"$WORK/broker.log" &
PIDS+=($!)
for _ in $(seq 100); do [ -s "$WORK/broker.addr" ] && break; sleep 0.1; done
export KAFKA_BOOTSTRAP_SERVERS="$(cat "$WORK/broker.addr")"
echo "== dev broker at $KAFKA_BOOTSTRAP_SERVERS (pid ${PIDS[0]})"

"$BIN" dashboard --port "${DASHBOARD_PORT:-8787}" >"$WORK/dashboard.out" 2>"$WORK/dashboard.log" &
PIDS+=($!)
for _ in $(seq 50); do grep -q '^dashboard: ' "$WORK/dashboard.out" 2>/dev/null && break; sleep 0.1; done
if grep -q '^dashboard: ' "$WORK/dashboard.out"; then
  echo "== dashboard: open $(grep -o 'http://[^ ]*' "$WORK/dashboard.out") in a browser (pid $!; DASHBOARD_PORT picks the port)"
else
  echo "== dashboard did not start: $(tail -n 1 "$WORK/dashboard.log")"
fi

for worker in 1 2; do
  "$BIN" run Pipelines/demo.yaml "${GROUP_FLAGS[@]}" --ops-port 0 2>"$WORK/worker-$worker.log" &
  PIDS+=($!)
  echo "== worker $worker running Pipelines/demo.yaml (pid $!, log $WORK/worker-$worker.log)"
done

# Five simulated days of 30 creators (about 254,000 interactions) with a mix of viral posts, giveaways, collabs and
# dormancy, paced to fill most of the run. demo.yaml compresses follower dormancy to 2 days, so drifts show too.
RATE=$(( 260000 / (DURATION > 40 ? DURATION - 20 : 20) ))
"$BIN" produce --creators 30 --event-rate 0.5 --span 5d --scenario mix --affected-share 0.3 --inject-after 6h \
  --dormant-after 2d --seed 7 --rate "$RATE" 2>"$WORK/producer.log" &
PIDS+=($!)
echo "== producer: 5 simulated days of 30 creators with injected scenarios at $RATE events/s (pid $!, log $WORK/producer.log)"
# The producer opens with each creator's follower roster and a followers snapshot (no engagement yet): sample the
# aggregates once live traffic flows, from the topic's end.
sleep 8
echo "== a sample of live engagement-aggregates (engaged users, reach, engagement rate and engaged-follower share)"
timeout 20 "$BIN" consume engagement-aggregates -o end -c 12 --format table 2>/dev/null || true
echo "== live view of community-spikes and follower-drift (Ctrl-C to stop)"
timeout $(( DURATION > 10 ? DURATION - 5 : 5 )) "$BIN" consume community-spikes follower-drift --format table 2>/dev/null \
  | tee "$WORK/alerts.txt" || true
echo
echo "== demo saw: $(grep -c ' SPIKE: ' "$WORK/alerts.txt" || true) spike_started, $(grep -c ' DRIFT: ' "$WORK/alerts.txt" || true) follower_drift"
echo "== scenarios the producer injected (ground truth)"
grep '^scenario' "$WORK/producer.log" || true
echo "== creators by engaged community (followers who engaged in 30 days) next to their rank by followers"
timeout 30 "$BIN" community --top 10 2>/dev/null || true
echo "== ops endpoints (Prometheus /metrics, /healthz, /readyz) and what they counted"
for log in "$WORK"/worker-*.log; do
  url=$(grep -o 'ops endpoint: http://[0-9.:]*/metrics' "$log" | head -n 1 | cut -d' ' -f3)
  [ -n "$url" ] || continue
  echo "$url"
  if command -v curl >/dev/null; then
    curl -s "$url" | grep -E '^resonance_(events_in|results_out|detector_results)_total' \
      | awk '{ split($1, name, "{"); sum[name[1]] += $2 } END { for (n in sum) printf "  %s %d\n", n, sum[n] }' | sort
  fi
done
echo "== worker summaries"
for pid in "${PIDS[@]:2:2}"; do kill -TERM "$pid" 2>/dev/null || true; done
for pid in "${PIDS[@]:2:2}"; do wait "$pid" 2>/dev/null || true; done
tail -n 1 "$WORK"/worker-*.log
