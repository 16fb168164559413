import Engagement
import Metrics

/// A worker's metrics, recorded through swift-metrics (the `resonance` CLI bootstraps a Prometheus backend and the
/// ops endpoint serves it). Names follow Prometheus conventions; labels are pipeline, topic, partition and a few
/// closed sets (dead-letter reason, rebalance event) — never creator or user ids, whose number is unbounded.
///
/// Recorded once per batch or per scrape interval from the worker's own thread, never per event: the loop counts
/// into plain integers and hands the totals over here. Handles are created on first use and kept.
final class WorkerMetrics {
    private let pipeline: String
    private var eventsIn: [Int32: Counter] = [:]
    private var resultsOut: [String: Counter] = [:]
    private var deadLetters: [RejectionReason: Counter] = [:]
    private var lag: [Int32: Gauge] = [:]
    private var rebalances: [String: Counter] = [:]
    private var deadLetterFailures: [String: Counter] = [:]
    private var signals: [String: Counter] = [:]
    private let sourceTopic: String
    private let lateEvents: Counter
    private let evictedCreators: Counter
    private let commits: Counter
    private let commitFailures: Counter
    private let checkpoints: Counter
    private let batchSize: Recorder
    private let batchProcessing: Timer
    private let resultLatency: Timer
    private let openWindows: Gauge
    private let ledgerPairs: Gauge
    private let ledgerBytes: Gauge
    private let unmatchedUnfollows: Gauge
    private let assignedPartitions: Gauge

    /// Metric names with their help text, as the README's metrics list shows them.
    static let catalogue: [(name: String, help: String)] = [
        ("resonance_events_in_total", "records consumed from the source topic, per partition"),
        ("resonance_results_out_total", "records produced to a sink topic (aggregates, spikes, health, drift)"),
        (
            "resonance_detector_results_total",
            "detector results by type: spike_started, spike_ended, follower_health, follower_drift"
        ),
        ("resonance_dead_letters_total", "records sent to the dead-letter topic, by reason"),
        ("resonance_late_events_total", "events later than every window they belonged to (after grace)"),
        (
            "resonance_consumer_lag_messages",
            "high watermark minus committed offset, per partition (librdkafka statistics)"
        ),
        ("resonance_batch_size_events", "histogram of records per consumed batch"),
        ("resonance_batch_processing_seconds", "histogram of decode + windows + detectors + produce time per batch"),
        (
            "resonance_window_result_latency_seconds",
            "histogram of the time from a batch closing windows until the worker sees the broker acknowledge its results"
        ),
        (
            "resonance_open_windows",
            "open window state: panes of hopping windows, creators with an open sliding/session window"
        ),
        ("resonance_ledger_pairs", "(creator, follower) pairs in the follower ledger"),
        ("resonance_ledger_bytes", "memory held by the follower ledger"),
        (
            "resonance_unmatched_unfollows",
            "unfollows no known follower or follower snapshot could absorb, held by this worker's partitions"
        ),
        ("resonance_evicted_creators_total", "creators whose state was evicted after state.ttl of silence"),
        ("resonance_assigned_partitions", "source partitions assigned to this worker"),
        ("resonance_rebalances_total", "rebalance events, by event (assigned, revoked, lost)"),
        ("resonance_commits_total", "batches whose offsets were committed"),
        ("resonance_commit_failures_total", "commits deferred because a rebalance raced them"),
        ("resonance_checkpoints_total", "state checkpoints written to the state topic"),
    ]

    init(pipeline: String, sourceTopic: String) {
        self.pipeline = pipeline
        self.sourceTopic = sourceTopic
        let labels = [("pipeline", pipeline)]
        lateEvents = Counter(label: "resonance_late_events_total", dimensions: labels + [("topic", sourceTopic)])
        evictedCreators = Counter(label: "resonance_evicted_creators_total", dimensions: labels)
        commits = Counter(label: "resonance_commits_total", dimensions: labels)
        commitFailures = Counter(label: "resonance_commit_failures_total", dimensions: labels)
        checkpoints = Counter(label: "resonance_checkpoints_total", dimensions: labels)
        batchSize = Recorder(label: "resonance_batch_size_events", dimensions: labels, aggregate: true)
        batchProcessing = Timer(label: "resonance_batch_processing_seconds", dimensions: labels)
        resultLatency = Timer(label: "resonance_window_result_latency_seconds", dimensions: labels)
        openWindows = Gauge(label: "resonance_open_windows", dimensions: labels)
        ledgerPairs = Gauge(label: "resonance_ledger_pairs", dimensions: labels)
        ledgerBytes = Gauge(label: "resonance_ledger_bytes", dimensions: labels)
        unmatchedUnfollows = Gauge(label: "resonance_unmatched_unfollows", dimensions: labels)
        assignedPartitions = Gauge(label: "resonance_assigned_partitions", dimensions: labels)
    }

    /// Records one consumed batch: its size, its records per partition, and how long processing it took.
    func batch(events: Int, perPartition: [Int32: Int], processing: Duration) {
        batchSize.record(events)
        batchProcessing.record(duration: processing)
        for (partition, count) in perPartition {
            cached(&eventsIn, partition) { counter("resonance_events_in_total", ("partition", String(partition))) }
                .increment(by: count)
        }
    }

    /// Records `count` results produced to the sink `topic`.
    func resultsProduced(_ count: Int, topic: String) {
        guard count > 0 else { return }
        cached(&resultsOut, topic) {
            Counter(label: "resonance_results_out_total", dimensions: [("pipeline", pipeline), ("topic", topic)])
        }.increment(by: count)
    }

    /// Records one detector result of `type` (`spike_started`, …): rare, so recorded as it happens.
    func detectorResult(_ type: String) {
        cached(&signals, type) {
            Counter(label: "resonance_detector_results_total", dimensions: [("pipeline", pipeline), ("type", type)])
        }.increment()
    }

    /// Records one dead letter.
    func deadLettered(_ reason: RejectionReason) {
        cached(&deadLetters, reason) { counter("resonance_dead_letters_total", ("reason", reason.rawValue)) }
            .increment()
    }

    /// Records the time from closing windows to the broker's acknowledgement of their results.
    func resultsAcknowledged(after latency: Duration) { resultLatency.record(duration: latency) }

    func late(_ count: Int) { if count > 0 { lateEvents.increment(by: count) } }
    func evicted(_ count: Int) { if count > 0 { evictedCreators.increment(by: count) } }
    func committed() { commits.increment() }
    func commitDeferred() { commitFailures.increment() }

    /// Counts a dead letter whose delivery failed, by what became of it (`retried`, `parked`, `lost`).
    func deadLetterFailed(_ outcome: String) {
        cached(&deadLetterFailures, outcome) { counter("resonance_dead_letter_failures_total", ("outcome", outcome)) }
            .increment()
    }
    func checkpointed() { checkpoints.increment() }

    func rebalanced(_ event: String) {
        cached(&rebalances, event) {
            Counter(label: "resonance_rebalances_total", dimensions: [("pipeline", pipeline), ("event", event)])
        }.increment()
    }

    /// Records the state gauges, summed over the worker's partitions.
    func state(
        openWindows windows: Int, ledgerPairs pairs: Int, ledgerBytes bytes: Int, unmatchedUnfollows unmatched: Int64,
        assignedPartitions assigned: Int
    ) {
        openWindows.record(windows)
        ledgerPairs.record(pairs)
        ledgerBytes.record(bytes)
        unmatchedUnfollows.record(unmatched)
        assignedPartitions.record(assigned)
    }

    /// Records the lags of the latest librdkafka statistics; partitions this worker no longer reports drop to 0.
    func consumerLag(_ lags: [ConsumerLag]) {
        var reported = Set<Int32>()
        for lag in lags where lag.topic == sourceTopic {
            reported.insert(lag.partition)
            cached(&self.lag, lag.partition) {
                gauge("resonance_consumer_lag_messages", ("partition", String(lag.partition)))
            }
            .record(lag.messages)
        }
        for (partition, gauge) in self.lag where !reported.contains(partition) { gauge.record(0) }
    }

    /// The handle stored under `key`, made and stored on first use.
    private func cached<Key: Hashable, Handle>(_ handles: inout [Key: Handle], _ key: Key, make: () -> Handle) -> Handle
    {
        if let handle = handles[key] { return handle }
        let handle = make()
        handles[key] = handle
        return handle
    }

    private func counter(_ name: String, _ label: (String, String)) -> Counter {
        Counter(label: name, dimensions: [("pipeline", pipeline), ("topic", sourceTopic), label])
    }

    private func gauge(_ name: String, _ label: (String, String)) -> Gauge {
        Gauge(label: name, dimensions: [("pipeline", pipeline), ("topic", sourceTopic), label])
    }
}
