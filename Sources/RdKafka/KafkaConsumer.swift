import CRdKafka
import Logging

/// A group consumer that hands out messages in batches, without copying payloads.
///
/// Thread rule: one owner thread calls every method except `wakeUp`; the rebalance handler runs on that thread,
/// inside `consumeBatch`, `poll` or `close`. Offsets are stored only when the caller says so (`store`) and committed
/// only by `commit`, so a crash re-reads at most what was consumed after the last commit.
public final class KafkaConsumer: @unchecked Sendable {
    private let client: RDKafkaClient
    private let queue: OpaquePointer
    private let buffer: UnsafeMutableBufferPointer<UnsafeMutablePointer<rd_kafka_message_t>?>
    private var closed = false
    /// Whether `subscribe` was called, and whether the group has handed this member an assignment since.
    private var subscribed = false
    private var wasAssigned = false
    /// Whether the group may choose the cooperative-sticky assignor, when configured to (see `close`).
    private let mayUseStickyAssignor: Bool
    private let fetchWaker: FetchWaker?
    let rebalanceLogger: Logger

    /// Called on the owner thread when partitions are assigned, revoked or lost.
    ///
    /// For revocations the handler runs *before* the partitions are given up (commit there); for assignments it
    /// runs *after* they are taken (seek or restore state there).
    public var onRebalance: ((KafkaRebalanceEvent) -> Void)?

    /// Called on the owner thread with newly assigned partitions before they are taken; returns them with the
    /// offsets to start from (`invalidOffset` = the group's committed offset; `beginningOffset` and `endOffset` are
    /// resolved to real offsets before the assignment, see `assign`). Lets a caller that restores state from a
    /// checkpoint resume reading exactly where that checkpoint ends.
    public var startOffsets: (([KafkaTopicPartition]) -> [KafkaTopicPartition])?

    /// Creates a consumer. Unless overridden in `properties`: `range` assignment, manual offset store,
    /// no auto-commit.
    /// - Parameters:
    ///   - configuration: must name a `groupID` for `subscribe`.
    ///   - maxBatchSize: the most messages one `consumeBatch` returns.
    ///   - statistics: receives librdkafka's statistics JSON (STATISTICS.md) every `statistics.interval.ms`, on the
    ///     owner thread inside `consumeBatch`; the bytes are valid only during the call.
    /// - Throws: `KafkaError` with `.invalidConfiguration` or `.clientCreation`.
    public init(
        configuration: KafkaConfiguration,
        maxBatchSize: Int = 10_000,
        logger: Logger = Logger(label: "resonance.kafka.consumer"),
        statistics: ((UnsafeRawBufferPointer) -> Void)? = nil
    ) throws(KafkaError) {
        let context = RDKafkaClientContext(logger: logger)
        context.onStatistics = statistics
        client = try RDKafkaClient(configuration: configuration, role: .consumer, context: context) { conf in
            RDKafkaCallbacks.installRebalance(on: conf)
            if statistics != nil { RDKafkaCallbacks.installStatistics(on: conf) }
        }
        rd_kafka_poll_set_consumer(client.handle)
        guard let queue = rd_kafka_queue_get_consumer(client.handle) else {
            throw KafkaError(code: .clientCreation, message: "no consumer queue (is group.id set?)")
        }
        self.queue = queue
        buffer = .allocate(capacity: max(1, maxBatchSize))
        fetchWaker = FetchWaker.isNeeded ? FetchWaker(handle: client.handle) : nil
        self.rebalanceLogger = logger
        mayUseStickyAssignor =
            configuration.effectiveProperties(role: .consumer)["partition.assignment.strategy"]?.contains(
                "cooperative-sticky") ?? false
        // Weak: librdkafka may still serve a callback while this object is being torn down; the protocol is then
        // still followed, without the application's hooks.
        context.onRebalance = { [weak self] rk, err, partitions in
            if err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS { self?.wasAssigned = true }
            RebalanceProtocol.apply(
                rk, err, partitions,
                hooks: self.map {
                    RebalanceHooks(startOffsets: $0.startOffsets, notify: $0.onRebalance, logger: $0.rebalanceLogger)
                })
        }
    }

    /// How long `close` waits for a first assignment (the first join of a group takes 3 s in librdkafka 2.0.2, a
    /// later round up to `session.timeout.ms`).
    public static let firstAssignmentPatience = Duration.seconds(15)

    deinit {
        fetchWaker?.drain()
        if !closed { rd_kafka_consumer_close(client.handle) }
        rd_kafka_queue_destroy(queue)
        buffer.deallocate()
    }

    /// Joins the group and subscribes to `topics`.
    public func subscribe(_ topics: [String]) throws(KafkaError) {
        try RDTopicPartitionList.with(topics.map { KafkaTopicPartition(topic: $0, partition: RD_KAFKA_PARTITION_UA) }) {
            (list) throws(KafkaError) in
            let err = rd_kafka_subscribe(client.handle, list)
            if err != RD_KAFKA_RESP_ERR_NO_ERROR { throw KafkaError(err, "subscribe \(topics)") }
        }
        subscribed = true
    }

    /// Reads partitions directly, without a group (offsets as given; `invalidOffset` means committed-or-reset).
    ///
    /// `beginningOffset` and `endOffset` are resolved to real offsets first, in one ListOffsets round trip:
    /// librdkafka 2.0.2 otherwise looks each one up after a delay (`LogicalOffsets`).
    public func assign(_ partitions: [KafkaTopicPartition]) throws(KafkaError) {
        try RDTopicPartitionList.with(LogicalOffsets.resolved(partitions, client: client.handle)) {
            (list) throws(KafkaError) in
            if let error = rd_kafka_incremental_assign(client.handle, list) {
                throw KafkaError(consuming: error, "assign")
            }
        }
    }

    /// Waits up to `timeout` for messages and runs `body` over at most `maxBatchSize` of them: over what is queued
    /// at once, or as soon as the first message arrives with whatever came with it — never holding a partial batch
    /// back for more (librdkafka's batch call waits out its whole timeout unless the batch fills, which delayed every
    /// record of a quiet stream, and the end of every stream, by up to `timeout`).
    ///
    /// The records are views valid only inside `body`. Rebalance events are delivered to `onRebalance` before
    /// this returns. Entries with `isError` set report partition EOF or fetch errors; they carry no data.
    /// - Returns: what `body` returned (called with an empty batch when nothing arrived).
    /// - Throws: `KafkaError` when the client hit a fatal error, or what `body` throws.
    public func consumeBatch<R, E: Error>(
        timeout: Duration,
        _ body: (KafkaRecordBatch) throws(E) -> R
    ) throws(E) -> R {
        var received = rd_kafka_consume_batch_queue(queue, 0, buffer.baseAddress, buffer.count)
        if received == 0, timeout > .zero, let first = rd_kafka_consume_queue(queue, Int32(timeout.milliseconds)) {
            buffer[0] = first
            received = 1
            if buffer.count > 1 {
                received += max(0, rd_kafka_consume_batch_queue(queue, 0, buffer.baseAddress! + 1, buffer.count - 1))
            }
        }
        let count = max(0, received)
        // Draining a backlog and fewer than a batch left: make sure fetching goes on (see `FetchWaker`).
        if count > 0, let fetchWaker, rd_kafka_queue_length(queue) < buffer.count {
            fetchWaker.wake(afterFullBatch: count == buffer.count)
        }
        defer {
            for index in 0..<count { rd_kafka_message_destroy(buffer[index]) }
        }
        return try body(KafkaRecordBatch(messages: UnsafeMutableBufferPointer(rebasing: buffer[0..<count])))
    }

    /// The fatal error raised on this consumer, if any: the consumer must then be closed and recreated.
    public var fatalError: KafkaError? { client.fatalError() }

    /// Marks `record` as processed: its offset + 1 will be committed by the next `commit`.
    public func store(_ record: KafkaRecord) throws(KafkaError) {
        guard let rkt = record.topicHandle else { return }
        let err = rd_kafka_offset_store(rkt, record.partition, record.offset)
        if err != RD_KAFKA_RESP_ERR_NO_ERROR { throw KafkaError(err, "store offset") }
    }

    /// Marks the given next-offsets-to-read as processed, for the next `commit`.
    public func store(_ offsets: [KafkaTopicPartition]) throws(KafkaError) {
        guard !offsets.isEmpty else { return }
        try RDTopicPartitionList.with(offsets) { (list) throws(KafkaError) in
            let err = rd_kafka_offsets_store(client.handle, list)
            if let partitionError = RDTopicPartitionList.firstError(list) { throw partitionError }
            if err != RD_KAFKA_RESP_ERR_NO_ERROR { throw KafkaError(err, "store offsets") }
        }
    }

    /// Commits every stored offset synchronously. Nothing stored is not an error.
    public func commit() throws(KafkaError) {
        let err = rd_kafka_commit(client.handle, nil, 0)
        if err != RD_KAFKA_RESP_ERR_NO_ERROR && err != RD_KAFKA_RESP_ERR__NO_OFFSET {
            throw KafkaError(err, "commit")
        }
    }

    /// The group's committed offsets for `partitions` (offset `invalidOffset` where none is committed).
    /// - Throws: `KafkaError` when the request fails or any partition's offset could not be read, so that
    ///   `invalidOffset` always means "none committed".
    public func committed(_ partitions: [KafkaTopicPartition], timeout: Duration) throws(KafkaError)
        -> [KafkaTopicPartition]
    {
        try RDTopicPartitionList.with(partitions) { (list) throws(KafkaError) in
            let err = rd_kafka_committed(client.handle, list, timeout.milliseconds)
            if err != RD_KAFKA_RESP_ERR_NO_ERROR { throw KafkaError(err, "committed") }
            if let partitionError = RDTopicPartitionList.firstError(list) { throw partitionError }
            return RDTopicPartitionList.read(list)
        }
    }

    /// The partitions currently assigned to this member.
    public func assignment() throws(KafkaError) -> [KafkaTopicPartition] {
        var list: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?
        let err = rd_kafka_assignment(client.handle, &list)
        guard err == RD_KAFKA_RESP_ERR_NO_ERROR, let list else { throw KafkaError(err, "assignment") }
        defer { rd_kafka_topic_partition_list_destroy(list) }
        return RDTopicPartitionList.read(list)
    }

    /// The low and high watermarks of a partition as last seen by this client, or queried when `timeout` > 0.
    public func watermarks(topic: String, partition: Int32, timeout: Duration) throws(KafkaError) -> (
        low: Int64, high: Int64
    ) {
        var low: Int64 = 0
        var high: Int64 = 0
        let err = rd_kafka_query_watermark_offsets(client.handle, topic, partition, &low, &high, timeout.milliseconds)
        if err != RD_KAFKA_RESP_ERR_NO_ERROR { throw KafkaError(err, "watermarks \(topic)[\(partition)]") }
        return (low, high)
    }

    /// The end offsets (high watermarks) of `partitions`, asked of their leaders in one ListOffsets round trip per
    /// broker (`watermarks` asks one partition at a time).
    /// - Throws: `KafkaError` when a leader does not answer within `timeout` or reports an error.
    public func endOffsets(of partitions: [KafkaTopicPartition], timeout: Duration) throws(KafkaError)
        -> [KafkaTopicPartition]
    {
        let latest = partitions.map {
            KafkaTopicPartition(topic: $0.topic, partition: $0.partition, offset: KafkaTopicPartition.endOffset)
        }
        return try RDTopicPartitionList.with(latest) { (list) throws(KafkaError) in
            let err = rd_kafka_offsets_for_times(client.handle, list, timeout.milliseconds)
            if err != RD_KAFKA_RESP_ERR_NO_ERROR { throw KafkaError(err, "end offsets") }
            if let partitionError = RDTopicPartitionList.firstError(list) { throw partitionError }
            return RDTopicPartitionList.read(list)
        }
    }

    /// Moves the read positions of assigned partitions to the given offsets.
    public func seek(_ offsets: [KafkaTopicPartition], timeout: Duration) throws(KafkaError) {
        try RDTopicPartitionList.with(offsets) { (list) throws(KafkaError) in
            if let error = rd_kafka_seek_partitions(client.handle, list, timeout.milliseconds) {
                throw KafkaError(consuming: error, "seek")
            }
            if let partitionError = RDTopicPartitionList.firstError(list) { throw partitionError }
        }
    }

    /// Stops fetching from `partitions` until `resume`.
    public func pause(_ partitions: [KafkaTopicPartition]) throws(KafkaError) {
        try RDTopicPartitionList.with(partitions) { (list) throws(KafkaError) in
            let err = rd_kafka_pause_partitions(client.handle, list)
            if err != RD_KAFKA_RESP_ERR_NO_ERROR { throw KafkaError(err, "pause") }
        }
    }

    /// Resumes fetching from paused `partitions`.
    public func resume(_ partitions: [KafkaTopicPartition]) throws(KafkaError) {
        try RDTopicPartitionList.with(partitions) { (list) throws(KafkaError) in
            let err = rd_kafka_resume_partitions(client.handle, list)
            if err != RD_KAFKA_RESP_ERR_NO_ERROR { throw KafkaError(err, "resume") }
        }
    }

    /// Makes a `consumeBatch` blocked in another thread return early. Safe from any thread.
    public func wakeUp() {
        rd_kafka_queue_yield(queue)
    }

    /// Leaves the group (revoking partitions through `onRebalance`, where the caller commits) and stops fetching.
    /// Blocks; call it from the owner thread, never from the cooperative pool.
    ///
    /// librdkafka 2.0.2 aborts (an assertion in `rd_kafka_sticky_assignor_state_destroy`) when a member of a
    /// cooperative-sticky group closes after joining and before its first assignment, which is why that assignor is
    /// not the default. Configured anyway, a subscribed consumer that has not been assigned yet first serves the
    /// group for up to `firstAssignmentPatience` (dropping any record that arrives, its offset not stored) until
    /// the assignment comes; one that never joins closes at the deadline. Later rebalance rounds can take up to
    /// `session.timeout.ms`, longer than that: the default assignor avoids the wait and the risk.
    public func close() throws(KafkaError) {
        guard !closed else { return }
        closed = true
        if subscribed && !wasAssigned && mayUseStickyAssignor {
            let deadline = ContinuousClock.now + Self.firstAssignmentPatience
            while !wasAssigned && ContinuousClock.now < deadline {
                if let message = rd_kafka_consume_queue(queue, 100) { rd_kafka_message_destroy(message) }
            }
        }
        fetchWaker?.drain()
        let err = rd_kafka_consumer_close(client.handle)
        if err != RD_KAFKA_RESP_ERR_NO_ERROR { throw KafkaError(err, "close") }
    }
}
