#!/usr/bin/env bash
# make demo: an embedded broker, live synthetic traffic through it, and the engagement job over what arrived.
# Every child is started here and ended by PID; Ctrl-C stops everything. DURATION (seconds) caps the producer.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.build/release/resonance
DURATION="${DURATION:-30}"
WORK="$(mktemp -d /tmp/resonance-demo.XXXXXX)"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

"$BIN" dev-broker --addr-file "$WORK/broker.addr" >/dev/null 2>"$WORK/broker.log" &
PIDS+=($!)
for _ in $(seq 100); do [ -s "$WORK/broker.addr" ] && break; sleep 0.1; done
export KAFKA_BOOTSTRAP_SERVERS="$(cat "$WORK/broker.addr")"
echo "== dev broker at $KAFKA_BOOTSTRAP_SERVERS (pid ${PIDS[0]})"

EVENTS=$(( DURATION * 400 ))
echo "== producing $EVENTS seeded events (50 creators, 20 events per event-time second) for up to ${DURATION}s"
timeout "$DURATION" "$BIN" produce --count "$EVENTS" --event-rate 20 --rate 800 --seed 7 || true

echo "== reading interactions back and running the engagement job (60 s windows hopping 10 s, grace 5 s)"
"$BIN" consume interactions -e > "$WORK/events.jsonl"
"$BIN" replay "$WORK/events.jsonl" > "$WORK/aggregates.jsonl"
echo "== the 10 most engaged creator-windows"
python3 - "$WORK/aggregates.jsonl" <<'PY'
import json, sys, datetime
rows = [json.loads(l) for l in open(sys.argv[1])]
rows.sort(key=lambda r: -r["score"])
print(f"{'creator':>8} {'window (UTC)':>20} {'views':>6} {'likes':>6} {'comments':>8} {'shares':>6} {'users':>6} {'score':>7}")
for r in rows[:10]:
    t = datetime.datetime.fromtimestamp(r["window_start"] / 1000, datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S")
    print(f"{r['creator_id']:>8} {t:>20} {r['view']:>6} {r['like']:>6} {r['comment']:>8} {r['share']:>6} {r['distinct_users']:>6} {r['score']:>7.1f}")
print(f"{len(rows)} closed windows")
PY
