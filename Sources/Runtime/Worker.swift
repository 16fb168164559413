import Engagement
import Logging
import Pipeline
import RdKafka

/// A pipeline worker: one member of the pipeline's consumer group, running the synchronous batch loop of the
/// guide on the calling thread — consume a batch, process it, produce results and dead letters, wait for the
/// broker to acknowledge them, then commit the batch's offsets (at-least-once).
///
/// State is kept per assigned partition (creators are keys, so each lives in one partition) and dropped when a
/// partition is revoked or lost.
public final class Worker {
    let spec: PipelineSpec
    let consumer: KafkaConsumer
    let producer: KafkaProducer
    let logger: Logger
    private var jobs: [Int32: EngagementJob] = [:]
    private let deliveries = DeliveryTracker()
    /// What the worker has done so far.
    public private(set) var statistics = WorkerStatistics()

    /// Creates a worker for `spec`, connecting with `configuration` (the pipeline's `kafka:` map is applied first,
    /// the caller's `-X` properties win).
    public init(spec: PipelineSpec, configuration: KafkaConfiguration, logger: Logger) throws {
        self.spec = spec
        self.logger = logger
        var merged = configuration
        merged.properties = spec.kafka.merging(configuration.properties) { _, flag in flag }
        var consumerConfiguration = merged
        consumerConfiguration.groupID = configuration.groupID ?? spec.group
        consumer = try KafkaConsumer(configuration: consumerConfiguration, logger: logger)
        producer = try KafkaProducer(configuration: merged, logger: logger) { [deliveries] report in
            if let error = report.error { deliveries.failed(error) }
        }
        consumer.onRebalance = { [unowned self] event in self.rebalanced(event) }
    }

    /// Runs until `shouldStop` returns true, then finishes the batch in hand, commits and leaves the group.
    /// - Throws: a fatal `KafkaError`, or a delivery failure (the batch is then not committed).
    public func run(shouldStop: () -> Bool) throws {
        try consumer.subscribe([spec.sourceTopic])
        let results = try producer.topic(spec.sinks.aggregates)
        let deadLetters = try producer.topic(spec.sinks.deadLetters)
        var output: [UInt8] = []
        var key: [UInt8] = []
        var closed: [WindowAggregate] = []
        var lastLog = ContinuousClock.now
        while !shouldStop() {
            if let fatal = consumer.fatalError ?? producer.fatalError { throw fatal }
            var nextOffsets: [Int32: Int64] = [:]
            var topicName: String?
            try consumer.consumeBatch(timeout: .milliseconds(100)) { batch throws in
                // Batches arrive in runs of one partition: its job is taken out once per run, not per record.
                var partition: Int32 = -1
                var job = EngagementJob(settings: spec.job)
                defer { if partition >= 0 { jobs[partition] = job } }
                for record in batch where !record.isError {
                    statistics.recordsIn += 1
                    nextOffsets[record.partition] = record.offset + 1
                    if topicName == nil { topicName = record.topic }
                    if record.partition != partition {
                        if partition >= 0 { jobs[partition] = job }
                        partition = record.partition
                        job = jobs.removeValue(forKey: partition) ?? EngagementJob(settings: spec.job)
                    }
                    let lateBefore = job.lateEvents
                    closed.removeAll(keepingCapacity: true)
                    let rejection = job.process(record.value, partition: record.partition) { closed.append($0) }
                    for aggregate in closed {
                        output.removeAll(keepingCapacity: true)
                        key.removeAll(keepingCapacity: true)
                        AggregateJSON.append(aggregate, creators: job.decoder.creators, to: &output)
                        job.decoder.creators.appendBytes(aggregate.creator, to: &key)
                        try key.withUnsafeBytes { keyBytes in
                            try output.withUnsafeBytes { valueBytes in
                                _ = try producer.send(to: results, key: keyBytes, value: valueBytes)
                            }
                        }
                        statistics.resultsOut += 1
                    }
                    statistics.lateEvents += job.lateEvents - lateBefore
                    if let rejection {
                        let headers = DeadLetterHeaders.make(rejection, topic: record.topic, partition: record.partition, offset: record.offset, pipeline: spec.name)
                        try producer.send(to: deadLetters, key: record.key, value: record.value, headers: headers)
                        statistics.deadLetters += 1
                    }
                }
            }
            guard let topic = topicName else { continue }
            try acknowledgeAndCommit(nextOffsets.map { KafkaTopicPartition(topic: topic, partition: $0.key, offset: $0.value) })
            if ContinuousClock.now - lastLog > .seconds(10) {
                lastLog = ContinuousClock.now
                logger.info("\(statistics)")
            }
        }
        try consumer.close()
        try producer.flush(timeout: .seconds(30))
    }

    /// Waits until the broker has every result and dead letter of the batch, then commits the batch's offsets.
    private func acknowledgeAndCommit(_ offsets: [KafkaTopicPartition]) throws {
        try producer.flush(timeout: .seconds(60))
        if let failure = deliveries.firstFailure { throw failure }
        try consumer.store(offsets)
        try consumer.commit()
        statistics.commits += 1
    }

    private func rebalanced(_ event: KafkaRebalanceEvent) {
        statistics.rebalances += 1
        logger.info("rebalance: \(event)")
        switch event {
        case .assigned: break
        case .revoked(let partitions), .lost(let partitions):
            // Everything consumed so far was committed at the end of its batch; the partition's state goes with it.
            for partition in partitions { jobs[partition.partition] = nil }
        }
    }
}

/// Delivery failures reported by the producer's callback, which runs on the worker's own thread inside `send`
/// and `flush`.
final class DeliveryTracker: @unchecked Sendable {
    private(set) var firstFailure: KafkaError?

    func failed(_ error: KafkaError) {
        if firstFailure == nil { firstFailure = error }
    }
}
