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

for worker in 1 2; do
  "$BIN" run Pipelines/engagement.yaml "${GROUP_FLAGS[@]}" 2>"$WORK/worker-$worker.log" &
  PIDS+=($!)
  echo "== worker $worker running Pipelines/engagement.yaml (pid $!, log $WORK/worker-$worker.log)"
done

# 20 interactions per second of event time, sent 50× faster than real time: a minute of the demo is ~50 minutes
# of a community's life, so 60 s windows close while you watch.
"$BIN" produce --count $(( DURATION * 1000 )) --event-rate 20 --rate 1000 --seed 7 2>"$WORK/producer.log" &
PIDS+=($!)
echo "== producer: seeded synthetic traffic, 50 creators (pid $!)"
echo "== live view of engagement-aggregates (Ctrl-C to stop)"
timeout "$DURATION" "$BIN" consume engagement-aggregates --format table 2>/dev/null || true
echo
echo "== worker summaries"
for pid in "${PIDS[@]:1:2}"; do kill -TERM "$pid" 2>/dev/null || true; done
for pid in "${PIDS[@]:1:2}"; do wait "$pid" 2>/dev/null || true; done
tail -n 1 "$WORK"/worker-*.log
