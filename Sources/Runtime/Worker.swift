import Engagement
import Logging
import Pipeline
import RdKafka

/// A pipeline worker: one member of the pipeline's consumer group, running the synchronous batch loop of the
/// guide on the calling thread — consume a batch, process it, produce results and dead letters, next batch. It
/// commits, every `source.commit_every`, the offsets of the batches whose results and dead letters the broker has
/// all acknowledged (at-least-once), without waiting for the ones still in flight.
///
/// State is kept per assigned partition (creators are keys, so each lives in one partition). It is checkpointed to
/// the pipeline's state topic every `state.checkpoint_every` and when a partition is revoked; a worker that is
/// assigned a partition restores its newest checkpoint and resumes reading where that checkpoint ends, so results
/// after a crash or a rebalance equal those of an undisturbed run. Records between the checkpoint and the crash
/// are processed again; the results the previous owner wrote for them are read back from the output first
/// (`ResultLog`) and not written again (`ResultSink`).
public final class Worker {
    let spec: PipelineSpec
    let consumer: KafkaConsumer
    let producer: KafkaProducer
    /// The producer's `message.max.bytes`: dead letters larger than this are cut (`DeadLetterHeaders.fit`).
    let messageMaxBytes: Int
    let logger: Logger
    private var jobs: [Int32: EngagementJob] = [:]
    private var nextOffsets: [Int32: Int64] = [:]
    private var lastCheckpoint: [Int32: ContinuousClock.Instant] = [:]
    /// Next offsets of acknowledged batches, not yet committed: kept until a commit of them succeeds.
    private var acknowledged: [Int32: Int64] = [:]
    private var lastCommit = ContinuousClock.now
    /// How long to wait before retrying a commit that failed with a retriable error (zero: the last one succeeded).
    private var commitBackoff = Duration.zero
    private let deliveries = DeliveryTracker()
    private let outbox = DeadLetterOutbox()
    private let store: StateStore
    private let sink: ResultSink
    private let admin: KafkaAdmin?
    /// A client without a group for the result topics' ends: the group consumer's connections hold fetches that
    /// wait up to `fetch.wait.max.ms`, and a ListOffsets request queued behind them waits as long.
    private let outputReader: KafkaConsumer
    /// Partition counts of the result topics, for the output ends each checkpoint records.
    private var sinkPartitions: [String: Int] = [:]
    private let readerConfiguration: KafkaConfiguration
    private let resetOffset: Int64?
    /// What the worker has done so far.
    public private(set) var statistics = WorkerStatistics()
    /// The loop's state for the ops endpoint's probes.
    public let health: WorkerHealth
    private let metrics: WorkerMetrics
    private var assigned = Set<Int32>()
    /// Whether the loop ends by itself once every assigned partition is at its end (`resonance run -e`).
    private let exitsAtEnd: Bool
    /// Assigned partitions read to their end, with nothing newer read since.
    private var atEnd = Set<Int32>()

    /// Creates a worker for `spec`, connecting with `configuration` (the pipeline's `kafka:` map is applied first,
    /// the caller's `-X` properties win). Metrics go to whatever backend swift-metrics was bootstrapped with. With
    /// `exitsAtEnd`, `run` also returns once every partition assigned to it has been read to its end (a bounded run:
    /// a backfill, a benchmark), after the usual acknowledgements, checkpoints and commit.
    public init(
        spec: PipelineSpec, configuration: KafkaConfiguration, logger: Logger, health: WorkerHealth = WorkerHealth(),
        exitsAtEnd: Bool = false
    ) throws {
        self.spec = spec
        self.exitsAtEnd = exitsAtEnd
        self.logger = logger
        self.health = health
        let metrics = WorkerMetrics(pipeline: spec.name, sourceTopic: spec.sourceTopic)
        self.metrics = metrics
        let merged = configuration.with(spec.kafka)
        messageMaxBytes = merged.properties["message.max.bytes"].flatMap { Int($0) } ?? 1_000_000
        var consumerConfiguration = merged
        // librdkafka 2.0.2 stops fetching once the consumer's queue holds queued.min.messages (100,000 by default)
        // or queued.max.messages.kbytes (64 MB), until the broker thread next wakes. Raising the message threshold
        // leaves the byte limit as the only bound; the consumer wakes the broker thread when its queue runs low
        // (`FetchWaker`), so a small limit bounds memory without idling the worker: see `consumerDefaults`.
        for (key, value) in Self.consumerDefaults where consumerConfiguration.properties[key] == nil {
            consumerConfiguration.properties[key] = value
        }
        if exitsAtEnd {
            consumerConfiguration.properties["enable.partition.eof"] = "true"
            // The broker answers a fetch at a partition's end only after fetch.wait.max.ms (500 ms by default): that
            // is how long the end takes to be noticed. A bounded run stops there, so its empty fetches cost nothing.
            if consumerConfiguration.properties["fetch.wait.max.ms"] == nil {
                consumerConfiguration.properties["fetch.wait.max.ms"] = Self.boundedFetchWaitMilliseconds
            }
        }
        consumerConfiguration.groupID = configuration.groupID ?? spec.group
        consumer = try KafkaConsumer(configuration: consumerConfiguration, logger: logger) { statistics in
            metrics.consumerLag(ConsumerLag.parse(statistics: statistics))
        }
        producer = try KafkaProducer(configuration: merged, logger: logger) { [deliveries, outbox] report in
            if !outbox.intercept(report) { deliveries.delivered(report) }
        }
        let admin = try? KafkaAdmin(configuration: merged, logger: logger)
        self.admin = admin
        sink = try ResultSink(spec: spec, producer: producer)
        var groupless = merged
        groupless.groupID = nil
        outputReader = try KafkaConsumer(configuration: groupless, maxBatchSize: 1, logger: logger)
        let metadata = try? admin?.metadata()
        let sourcePartitions = metadata?.topics[spec.sourceTopic]?.partitions.count
        store = StateStore.prepare(
            topic: spec.state.topic ?? "\(consumerConfiguration.groupID ?? spec.group)-state",
            sourcePartitions: sourcePartitions ?? 1, admin: admin, logger: logger)
        readerConfiguration = merged
        resetOffset = consumerConfiguration.resetOffset
        learnSinkPartitions(metadata)
        consumer.onRebalance = { [weak self] event in self?.rebalanced(event) }
        consumer.startOffsets = { [weak self] partitions in self?.restore(partitions) ?? partitions }
    }

    /// Runs until `shouldStop` returns true (or, when it exits at end, every assigned partition is read to its end),
    /// then finishes the batch in hand, commits and leaves the group.
    /// - Throws: a fatal `KafkaError`, or a delivery failure (the batch is then not committed).
    public func run(shouldStop: () -> Bool) throws {
        try consumer.subscribe([spec.sourceTopic])
        health.started()
        // Leave the group however the loop ends, so the partitions move on without waiting for a session timeout.
        defer {
            try? consumer.close()
            health.stopped()
        }
        let deadLetters = try producer.topic(spec.sinks.deadLetters)
        var closed: [WindowAggregate] = []
        var signals: [JobSignal] = []
        var lookahead = RecordLookahead()
        var lastLog = ContinuousClock.now
        var lastGauges = ContinuousClock.now
        while !shouldStop() && !(exitsAtEnd && !assigned.isEmpty && assigned.isSubset(of: atEnd)) {
            health.beat()
            if let fatal = consumer.fatalError ?? producer.fatalError { throw fatal }
            var touched: [Int32: Int64] = [:]
            var firstClose: ContinuousClock.Instant?
            let before = statistics
            try consumer.consumeBatch(timeout: .milliseconds(100)) { batch throws in
                let started = ContinuousClock.now
                var perPartition: [Int32: Int] = [:]
                defer {
                    if !batch.isEmpty {
                        metrics.batch(events: batch.count, perPartition: perPartition, processing: .now - started)
                    }
                }
                // Batches arrive in runs of one partition: its job is taken out of the table once per run and held in
                // a plain local while the run's records go through it, so no record pays for a lookup or a copy.
                var runStart = batch.startIndex
                while runStart < batch.endIndex {
                    guard !batch[runStart].isError else {
                        if batch[runStart].isPartitionEOF {
                            atEnd.insert(batch[runStart].partition)
                        } else if let error = batch[runStart].error {
                            logger.warning("\(error)")
                        }
                        runStart += 1
                        continue
                    }
                    let partition = batch[runStart].partition
                    atEnd.remove(partition)
                    var runEnd = runStart + 1
                    while runEnd < batch.endIndex && batch[runEnd].partition == partition && !batch[runEnd].isError {
                        runEnd += 1
                    }
                    defer { runStart = runEnd }
                    var job = jobs.removeValue(forKey: partition) ?? EngagementJob(settings: spec.job)
                    defer { jobs[partition] = job }
                    let evictedBefore = job.evictedCreators
                    let lateBefore = job.lateEvents
                    var runLength = 0
                    var nextOffset: Int64?
                    lookahead.begin(count: runEnd - runStart)
                    for index in runStart..<runEnd {
                        let record = batch[index]
                        runLength += 1
                        nextOffset = record.offset + 1
                        let scanned = lookahead.take(index - runStart, job: &job) { batch[runStart + $0].value }
                        closed.removeAll(keepingCapacity: true)
                        signals.removeAll(keepingCapacity: true)
                        let rejection = job.process(
                            scanned, partition: partition, recordTime: record.timestamp?.milliseconds,
                            emit: { closed.append($0) }, signal: { signals.append($0) })
                        for signal in signals {
                            guard let sent = try sink.send(signal, from: partition, decoder: job.decoder) else {
                                continue
                            }
                            statistics.signalsOutBySink[sent, default: 0] += 1
                            metrics.detectorResult(SignalJSON.type(of: signal))
                        }
                        if firstClose == nil, !closed.isEmpty { firstClose = .now }
                        for aggregate in closed {
                            if try sink.send(aggregate, from: partition, decoder: job.decoder) {
                                statistics.resultsOut += 1
                            }
                        }
                        if let rejection {
                            let fitted = DeadLetterHeaders.fit(
                                record.value, messageMaxBytes: messageMaxBytes, prefix: spec.job.maxEventBytes)
                            let headers =
                                DeadLetterHeaders.make(
                                    rejection, topic: record.topic, partition: record.partition, offset: record.offset,
                                    pipeline: spec.name) + fitted.headers
                            let value =
                                fitted.length.map { UnsafeRawBufferPointer(rebasing: record.value![..<$0]) }
                                ?? record.value
                            let id = try producer.send(to: deadLetters, key: record.key, value: value, headers: headers)
                            outbox.track(
                                id,
                                DeadLetterOutbox.Letter(
                                    key: record.key.map(Array.init), value: value.map(Array.init), headers: headers))
                            statistics.deadLetters += 1
                            metrics.deadLettered(rejection.reason)
                        }
                    }
                    metrics.evicted(job.evictedCreators - evictedBefore)
                    statistics.suppressedResults = sink.suppressed
                    statistics.lateEvents += job.lateEvents - lateBefore
                    statistics.recordsIn += runLength
                    perPartition[partition, default: 0] += runLength
                    if let nextOffset { touched[partition] = nextOffset }
                }
            }
            if ContinuousClock.now - lastGauges > .seconds(5) {
                lastGauges = ContinuousClock.now
                recordStateGauges()
            }
            if !touched.isEmpty {
                nextOffsets.merge(touched) { _, new in new }
                deliveries.batchEnded(lastID: producer.lastMessageID, offsets: touched, firstClose: firstClose)
            }
            if touched.keys.contains(where: checkpointDue) {
                try settle()
            } else {
                producer.poll()
                try commitAcknowledged()
            }
            guard !touched.isEmpty else { continue }
            metrics.resultsProduced(statistics.resultsOut - before.resultsOut, topic: spec.sinks.aggregates)
            for (sink, count) in statistics.signalsOutBySink {
                metrics.resultsProduced(count - before.signalsOutBySink[sink, default: 0], topic: sink)
            }
            metrics.late(statistics.lateEvents - before.lateEvents)
            if ContinuousClock.now - lastLog > .seconds(10) {
                lastLog = ContinuousClock.now
                logger.info("\(statistics)")
            }
        }
        try settle()
        try commitBeforeLeaving()
        try consumer.close()
        try producer.flush(timeout: .seconds(30))
    }

    /// Retries a deferred commit, with its backoff, for up to `shutdownCommitPatience`: a worker that stops leaves
    /// committed what it processed unless the group stays unreachable that long.
    private func commitBeforeLeaving() throws {
        let deadline = ContinuousClock.now + Self.shutdownCommitPatience
        while !acknowledged.isEmpty && ContinuousClock.now + commitBackoff < deadline {
            _ = producer.poll(timeout: commitBackoff)  // serves delivery reports while it waits
            try commit()
        }
        if !acknowledged.isEmpty {
            logger.error(
                "leaving with offsets uncommitted for \(acknowledged.count) partitions: the next owner replays from them"
            )
        }
    }

    /// How long a stopping worker keeps retrying a failed commit.
    static let shutdownCommitPatience = Duration.seconds(20)

    /// Whether `partition` needs a checkpoint: it has none yet (its first comes before its first commit), or its
    /// last is `state.checkpoint_every` old.
    private func checkpointDue(_ partition: Int32) -> Bool {
        guard let last = lastCheckpoint[partition] else { return true }
        return ContinuousClock.now - last >= .milliseconds(spec.state.checkpointEvery)
    }

    /// Commits the offsets of the batches the broker has fully acknowledged, at most once per `source.commit_every`
    /// (or, after a failed commit, once its backoff has passed, with records or without); never waits for messages
    /// in flight.
    private func commitAcknowledged() throws {
        try takeAcknowledged()
        guard ContinuousClock.now - lastCommit >= max(.milliseconds(spec.commitEvery), commitBackoff) else { return }
        try commit()
    }

    /// Waits until the broker has acknowledged everything produced so far, writes the checkpoints that are due,
    /// then commits every batch consumed. A checkpoint is written only once everything before it is acknowledged,
    /// so a checkpoint that outlives a crash never skips a result.
    private func settle() throws {
        try producer.flush(timeout: .seconds(60))
        try takeAcknowledged()
        if try checkpoint(acknowledged.keys.filter(checkpointDue)) > 0 {
            try producer.flush(timeout: .seconds(60))
            try takeAcknowledged()
        }
        try commit()
    }

    /// Moves the offsets of fully acknowledged batches into `acknowledged`, recording how long their results took.
    private func takeAcknowledged() throws {
        resendFailedDeadLetters()
        if let failure = deliveries.firstFailure { throw failure }
        let (offsets, firstClose) = deliveries.releaseAcknowledged()
        if let firstClose { metrics.resultsAcknowledged(after: .now - firstClose) }
        acknowledged.merge(offsets) { _, newer in newer }
    }

    /// Sends failed dead letters again, parks them, or gives them up (`DeadLetterOutbox`), logging each with its
    /// source coordinates.
    private func resendFailedDeadLetters() {
        guard !outbox.failures.isEmpty else { return }
        outbox.retry(
            send: { letter throws(KafkaError) in
                try producer.send(
                    topic: spec.sinks.deadLetters, key: letter.key, value: letter.value, headers: letter.headers)
            },
            replaced: deliveries.replace, settled: deliveries.settle,
            report: { outcome, failure in
                metrics.deadLetterFailed(outcome.rawValue)
                let source = failure.letter.headers.filter {
                    $0.name.hasPrefix("resonance.source.") || $0.name == "resonance.reason"
                }
                .map { "\($0.name.dropFirst("resonance.".count))=\(String(decoding: $0.value ?? [], as: UTF8.self))" }
                .joined(separator: " ")
                let message: Logger.Message =
                    "dead letter (\(source)) not delivered (\(failure.error)): \(outcome.rawValue)"
                if outcome == .lost { logger.error(message) } else { logger.warning(message) }
            })
    }

    /// Stores and commits `acknowledged`, and forgets the offsets only once the commit succeeded. A retriable
    /// failure (the coordinator moving, a broker down, a timeout) or a rebalance racing the commit keeps them for the
    /// next attempt after a backoff that doubles up to 10 s, logged once per episode; any other failure is fatal.
    private func commit() throws {
        lastCommit = .now
        guard !acknowledged.isEmpty else { return }
        let offsets = acknowledged.map {
            KafkaTopicPartition(topic: spec.sourceTopic, partition: $0.key, offset: $0.value)
        }
        do {
            try consumer.store(offsets)
            try consumer.commit()
        } catch {
            guard error.isRetriable || error.isRebalanceRace else { throw error }
            statistics.commitFailures += 1
            metrics.commitDeferred()
            if commitBackoff == .zero { logger.warning("commit deferred, retrying with backoff: \(error)") }
            commitBackoff = min(max(commitBackoff * 2, .milliseconds(100)), .seconds(10))
            return
        }
        if commitBackoff != .zero { logger.info("commit succeeded again") }
        commitBackoff = .zero
        for offset in offsets where acknowledged[offset.partition] == offset.offset {
            acknowledged[offset.partition] = nil
        }
        statistics.commits += 1
        metrics.committed()
    }

    /// `statistics.interval.ms`: librdkafka's statistics feed the consumer-lag gauges. `queued.max.messages.kbytes`:
    /// 4 MB of prefetched messages in the consumer's queue instead of 64 MB (a fetch may overshoot it by up to
    /// `fetch.message.max.bytes` per partition) — on the shared benchmark the same throughput for half the
    /// memory (README, "Benchmarks"); a pipeline's `kafka:` map or `-X` overrides it.
    static let consumerDefaults = [
        "queued.min.messages": "1000000", "queued.max.messages.kbytes": "4096", "statistics.interval.ms": "5000",
    ]

    /// `fetch.wait.max.ms` of a worker that exits at the end of its input, unless configured.
    static let boundedFetchWaitMilliseconds = "10"

    /// Writes a checkpoint of each of `partitions` this worker holds state for; returns how many it wrote.
    @discardableResult
    private func checkpoint(_ partitions: some Sequence<Int32>) throws -> Int {
        let now = ContinuousClock.now
        var written = 0
        var outputs: [KafkaTopicPartition]??
        for partition in partitions {
            guard let job = jobs[partition], let next = nextOffsets[partition] else { continue }
            if outputs == nil { outputs = outputEnds() }
            let state = job.snapshot()
            try store.write(
                state, partition: partition, nextOffset: next, outputs: sink.pendingSince(partition) ?? outputs!,
                producer: producer)
            lastCheckpoint[partition] = now
            statistics.checkpoints += 1
            metrics.checkpointed()
            written += 1
        }
        return written
    }

    /// Where the result topics' partitions end now (read once everything produced is acknowledged): recorded with
    /// a checkpoint, so the partition's next owner knows where the results written after it begin. Nil when the
    /// result topics' partitions or their ends cannot be learned: that checkpoint's successor may then repeat
    /// results (at-least-once).
    private func outputEnds() -> [KafkaTopicPartition]? {
        if sink.topics.contains(where: { sinkPartitions[$0] == nil }) { learnSinkPartitions(try? admin?.metadata()) }
        let ends = ResultLog.ends(
            of: sink.topics, partitionCounts: sinkPartitions, consumer: outputReader, timeout: .seconds(2))
        if ends == nil { logger.warning("result topics' ends unknown: a checkpoint goes without them") }
        return ends
    }

    private func learnSinkPartitions(_ metadata: KafkaClusterMetadata?) {
        for topic in sink.topics {
            if let described = metadata?.topics[topic], described.error == 0, !described.partitions.isEmpty {
                sinkPartitions[topic] = described.partitions.count
            }
        }
    }

    /// Hands the sink, for each restored partition whose checkpoint knows the output's ends, the identities of the
    /// results written since: the replay from the checkpoint does not write them again.
    private func suppressWritten(_ checkpoints: [Int32: StateStore.Checkpoint]) {
        let since = checkpoints.compactMapValues(\.outputs)
        guard !since.isEmpty else { return }
        do {
            let written = try ResultLog.identities(
                since: since, sourceTopic: spec.sourceTopic, configuration: readerConfiguration, logger: logger)
            for (partition, identities) in written {
                sink.suppress(identities, since: since[partition] ?? [], for: partition)
                logger.info(
                    "\(identities.count) results of partition \(partition) were written after its checkpoint: not writing them again"
                )
            }
        } catch {
            logger.warning("cannot read the results written since the checkpoints (\(error)): some may repeat")
        }
    }

    /// Restores the newest checkpoint of each newly assigned partition and starts reading where it ends.
    private func restore(_ partitions: [KafkaTopicPartition]) -> [KafkaTopicPartition] {
        let checkpoints: [Int32: StateStore.Checkpoint]
        do {
            checkpoints = try store.read(
                partitions: Set(partitions.map(\.partition)), configuration: readerConfiguration, logger: logger)
        } catch {
            logger.error("cannot read checkpoints from \(store.topic): \(error); starting these partitions afresh")
            checkpoints = [:]
        }
        for partition in partitions { sink.forget(partition.partition) }
        suppressWritten(checkpoints)
        // Partitions this group already committed but that have no checkpoint lost their state (retention, a
        // deleted state topic): those are rebuilt from the start rather than resumed with empty windows. Those known
        // to have neither start where `auto.offset.reset` says, named here so that the consumer resolves the offset
        // before taking them instead of librdkafka looking it up after a delay.
        let missing = partitions.filter { checkpoints[$0.partition] == nil }
        let committed = missing.isEmpty ? [] : try? consumer.committed(missing, timeout: .seconds(10))
        let resumable = Set((committed ?? []).filter { $0.offset >= 0 }.map(\.partition))
        let fresh = committed == nil ? [] : Set(missing.map(\.partition)).subtracting(resumable)
        return partitions.map { assigned in
            jobs[assigned.partition] = nil
            nextOffsets[assigned.partition] = nil
            // Without a usable checkpoint the state is rebuilt from the partition's first retained record: the
            // results it closes again are duplicates, never wrong ones.
            let rebuild = KafkaTopicPartition(
                topic: assigned.topic, partition: assigned.partition, offset: KafkaTopicPartition.beginningOffset)
            guard let checkpoint = checkpoints[assigned.partition] else {
                if resumable.contains(assigned.partition) {
                    logger.warning(
                        "no checkpoint of \(assigned.topic)[\(assigned.partition)] in \(store.topic) (retention?); rebuilding its state from the start"
                    )
                    return rebuild
                }
                guard fresh.contains(assigned.partition), let resetOffset else { return assigned }
                return KafkaTopicPartition(topic: assigned.topic, partition: assigned.partition, offset: resetOffset)
            }
            do {
                jobs[assigned.partition] = try EngagementJob(settings: spec.job, restoringFrom: checkpoint.state)
            } catch {
                logger.error(
                    "checkpoint of partition \(assigned.partition) unusable (\(error)); rebuilding its state from the start"
                )
                return rebuild
            }
            nextOffsets[assigned.partition] = checkpoint.nextOffset
            // Everything before the checkpoint was acknowledged when it was written: commit it even if nothing new
            // arrives (a previous owner killed before its commit would otherwise leave the group's offset behind).
            acknowledged[assigned.partition] = checkpoint.nextOffset
            lastCheckpoint[assigned.partition] = ContinuousClock.now
            statistics.restoredPartitions += 1
            logger.info(
                "restored \(assigned.topic)[\(assigned.partition)] from its checkpoint at offset \(checkpoint.nextOffset)"
            )
            return KafkaTopicPartition(
                topic: assigned.topic, partition: assigned.partition, offset: checkpoint.nextOffset)
        }
    }

    private func rebalanced(_ event: KafkaRebalanceEvent) {
        statistics.rebalances += 1
        logger.info("rebalance: \(event)")
        switch event {
        case .assigned(let partitions):
            metrics.rebalanced("assigned")
            assigned.formUnion(partitions.map(\.partition))
        case .revoked(let partitions):
            metrics.rebalanced("revoked")
            // Hand the state over through a checkpoint written once everything before it is acknowledged; the next
            // owner resumes from it. No commit from inside the rebalance callback: the loop commits the partitions
            // this worker keeps, and the revoked ones' pending offsets are dropped (the checkpoint is newer).
            do {
                try producer.flush(timeout: .seconds(30))
                try checkpoint(partitions.map(\.partition))
                try producer.flush(timeout: .seconds(30))
            } catch {
                logger.error("checkpoint on revoke failed: \(error); the next owner replays from an older one")
            }
            forget(partitions)
        case .lost(let partitions):
            metrics.rebalanced("lost")
            forget(partitions)
        }
        health.assigned(assigned.count)
        recordStateGauges()
    }

    /// Sums the state gauges over the partitions this worker holds (a pass over each job's creators: called every
    /// few seconds, not per batch).
    private func recordStateGauges() {
        var openWindows = 0
        var pairs = 0
        var bytes = 0
        var unmatched: Int64 = 0
        for job in jobs.values {
            openWindows += job.openWindows
            pairs += job.followerLedger.pairs
            bytes += job.followerLedger.storageBytes
            unmatched += job.followerLedger.unmatchedUnfollows
        }
        metrics.state(
            openWindows: openWindows, ledgerPairs: pairs, ledgerBytes: bytes, unmatchedUnfollows: unmatched,
            assignedPartitions: assigned.count)
    }

    private func forget(_ partitions: [KafkaTopicPartition]) {
        assigned.subtract(partitions.map(\.partition))
        atEnd.subtract(partitions.map(\.partition))
        deliveries.forget(partitions.map(\.partition))
        for partition in partitions {
            sink.forget(partition.partition)
            jobs[partition.partition] = nil
            nextOffsets[partition.partition] = nil
            lastCheckpoint[partition.partition] = nil
            acknowledged[partition.partition] = nil
        }
    }
}
