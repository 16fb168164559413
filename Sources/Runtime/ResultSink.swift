import Engagement
import Pipeline
import RdKafka

/// Where a worker's results go: each window aggregate and detector result is written as JSON to its sink topic,
/// keyed by creator (librdkafka's partitioner keeps a creator's results in one partition, in order), with two
/// headers: `resonance.id`, the result's identity (`ResultIdentity`), and `resonance.source`, the source partition
/// it came from (`TOPIC/PARTITION`).
///
/// After a takeover, the partition's new owner hands `suppress` the identities its previous owner wrote after the
/// checkpoint it resumes from (`ResultLog`); replaying the records since that checkpoint then writes only what is
/// not in the output yet, so a crash or a rebalance leaves no duplicate behind. The buffers are reused from one
/// result to the next.
final class ResultSink {
    private let producer: KafkaProducer
    private let sourceTopic: String
    private let aggregates: KafkaTopic
    private var signalTopics: [String: KafkaTopic] = [:]
    private let sinks: PipelineSpec.Sinks
    private var value: [UInt8] = []
    private var key: [UInt8] = []
    private var identity: [UInt8] = []
    private var sourceHeaders: [Int32: KafkaHeader] = [:]
    /// Identities already in the output, per source partition, not yet met again, with the output ends they were
    /// read from.
    private var written: [Int32: (identities: Set<[UInt8]>, since: [KafkaTopicPartition])] = [:]
    /// Results not sent because the output already held them.
    private(set) var suppressed = 0

    /// A sink for `spec`'s result topics on `producer`.
    init(spec: PipelineSpec, producer: KafkaProducer) throws {
        self.producer = producer
        sourceTopic = spec.sourceTopic
        sinks = spec.sinks
        aggregates = try producer.topic(spec.sinks.aggregates)
        for name in [spec.sinks.spikes, spec.sinks.followerHealth, spec.sinks.followerDrift].compactMap({ $0 }) {
            signalTopics[name] = try producer.topic(name)
        }
    }

    /// Every topic results go to.
    var topics: [String] { [aggregates.name] + signalTopics.keys.sorted() }

    /// Writes a closed window of source partition `partition`; returns whether it was sent (not suppressed).
    @discardableResult
    func send(_ aggregate: WindowAggregate, from partition: Int32, decoder: EventDecoder) throws -> Bool {
        identity.removeAll(keepingCapacity: true)
        ResultIdentity.append(aggregate, creators: decoder.creators, to: &identity)
        guard !alreadyWritten(partition) else { return false }
        value.removeAll(keepingCapacity: true)
        key.removeAll(keepingCapacity: true)
        AggregateJSON.append(aggregate, creators: decoder.creators, to: &value)
        decoder.creators.appendBytes(aggregate.creator, to: &key)
        try write(to: aggregates, from: partition)
        return true
    }

    /// Writes a detector result of source partition `partition` to its sink; returns the sink's name when it was
    /// sent, nil when the pipeline has no sink for it or the output already holds it.
    func send(_ signal: JobSignal, from partition: Int32, decoder: EventDecoder) throws -> String? {
        guard let topic = sinks.topic(for: signal).flatMap({ signalTopics[$0] }) else { return nil }
        identity.removeAll(keepingCapacity: true)
        ResultIdentity.append(signal, decoder: decoder, to: &identity)
        guard !alreadyWritten(partition) else { return nil }
        value.removeAll(keepingCapacity: true)
        key.removeAll(keepingCapacity: true)
        SignalJSON.append(signal, decoder: decoder, to: &value)
        decoder.creators.appendBytes(SignalJSON.creator(of: signal), to: &key)
        try write(to: topic, from: partition)
        return topic.name
    }

    /// Results of source partition `partition` with these identities, read from the output since `since`, are in
    /// the output already: they are not sent again when the replay since the checkpoint computes them.
    func suppress(_ identities: Set<[UInt8]>, since: [KafkaTopicPartition], for partition: Int32) {
        written[partition] = identities.isEmpty ? nil : (identities, since)
    }

    /// The output ends a checkpoint of `partition` must record while results read back are still to be met: those
    /// they were read from, so that if the partition moves on before its replay meets them all, its next owner
    /// reads them back too (nil when none are pending: the current ends will do).
    func pendingSince(_ partition: Int32) -> [KafkaTopicPartition]? { written[partition]?.since }

    /// Drops what is known of a partition that moved away.
    func forget(_ partition: Int32) {
        written[partition] = nil
    }

    /// Whether the current identity is one of `partition`'s results already in the output (then it is met, and
    /// forgotten: each is suppressed once).
    private func alreadyWritten(_ partition: Int32) -> Bool {
        guard written[partition] != nil, written[partition]!.identities.remove(identity) != nil else { return false }
        if written[partition]!.identities.isEmpty { written[partition] = nil }
        suppressed += 1
        return true
    }

    private func write(to topic: KafkaTopic, from partition: Int32) throws {
        let source = sourceHeader(partition)
        let headers = [KafkaHeader(ResultLog.identityHeader, identity), source]
        try key.withUnsafeBytes { keyBytes in
            try value.withUnsafeBytes { valueBytes in
                _ = try producer.send(to: topic, key: keyBytes, value: valueBytes, headers: headers)
            }
        }
    }

    private func sourceHeader(_ partition: Int32) -> KafkaHeader {
        if let header = sourceHeaders[partition] { return header }
        let header = KafkaHeader(ResultLog.sourceHeader, ResultLog.source(topic: sourceTopic, partition: partition))
        sourceHeaders[partition] = header
        return header
    }
}
