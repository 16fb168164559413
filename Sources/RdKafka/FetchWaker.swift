import CRdKafka
import Dispatch
import Synchronization

/// Keeps a consumer fetching while its application drains the prefetch queue, on librdkafka before 2.3.0.
///
/// Those versions stop fetching once the consumer's queue passes `queued.max.messages.kbytes` (or
/// `queued.min.messages`) and look again only when the broker's thread next wakes: after up to a second when
/// nothing else is in flight (librdkafka issue #2879; 2.3.0 added `fetch.queue.backoff.ms`). A consumer that drains
/// faster than that idles, so a small prefetch limit costs throughput. Any request sent through a broker's thread
/// wakes it, and it then re-checks every partition it serves; this sends a cheap one to the leader of every assigned
/// partition — a ListOffsets for their latest offsets — from a background queue, when the owner sees the queue
/// running low and some partition is known to hold records past the consumer's position (so a consumer tailing a
/// live topic sends few). At most one is in flight, at most one starts per `interval` after a full batch (a backlog
/// being drained) and per `quietInterval` after a partial one (records trickling in), and each gives up after
/// `timeout` (`rd_kafka_offsets_for_times` honours its timeout even with the broker down; a watermark query retries
/// without end while the broker's connection flaps).
final class FetchWaker: @unchecked Sendable {
    /// Whether the linked librdkafka needs this (it is older than 2.3.0).
    static let isNeeded = rd_kafka_version() < 0x0203_00FF

    private let handle: OpaquePointer
    private let interval: Duration
    private let quietInterval: Duration
    private let timeout: Duration
    private let queue = DispatchQueue(label: "resonance.fetch-waker")
    private let inFlight = Atomic<Bool>(false)
    private var lastWake = ContinuousClock.now  // owner thread only

    /// Creates a waker for the consumer `handle`, which must outlive every `wake` until `drain` returns.
    init(
        handle: OpaquePointer, interval: Duration = .milliseconds(5), quietInterval: Duration = .milliseconds(100),
        timeout: Duration = .milliseconds(500)
    ) {
        self.handle = handle
        self.interval = interval
        self.quietInterval = quietInterval
        self.timeout = timeout
    }

    /// Asks the broker threads to re-check their partitions soon, after a full batch or a partial one. Owner thread;
    /// returns at once.
    func wake(afterFullBatch: Bool) {
        let now = ContinuousClock.now
        guard now - lastWake >= (afterFullBatch ? interval : quietInterval), !inFlight.exchange(true, ordering: .acquiringAndReleasing) else { return }
        lastWake = now
        queue.async { [self] in
            defer { inFlight.store(false, ordering: .releasing) }
            askEveryLeader()
        }
    }

    /// Waits for a query in flight to finish; call before the consumer's handle is destroyed.
    func drain() {
        queue.sync {}
    }

    private func askEveryLeader() {
        var list: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?
        guard rd_kafka_assignment(handle, &list) == RD_KAFKA_RESP_ERR_NO_ERROR, let list else { return }
        defer { rd_kafka_topic_partition_list_destroy(list) }
        guard list.pointee.cnt > 0, isBehind(list) else { return }
        for index in 0..<Int(list.pointee.cnt) { list.pointee.elems[index].offset = -1 }  // ListOffsets: -1 = latest
        _ = rd_kafka_offsets_for_times(handle, list, timeout.milliseconds)
    }

    /// Whether some partition of `list` has records past the consumer's position, as far as the last fetch told
    /// (librdkafka's cached high watermark; no request). Overwrites the list's offsets with the positions.
    private func isBehind(_ list: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>) -> Bool {
        guard rd_kafka_position(handle, list) == RD_KAFKA_RESP_ERR_NO_ERROR else { return true }
        for index in 0..<Int(list.pointee.cnt) {
            let entry = list.pointee.elems[index]
            var low: Int64 = 0
            var high: Int64 = 0
            guard rd_kafka_get_watermark_offsets(handle, entry.topic, entry.partition, &low, &high) == RD_KAFKA_RESP_ERR_NO_ERROR,
                high >= 0
            else { continue }
            if high > max(entry.offset, low) { return true }
        }
        return false
    }
}
