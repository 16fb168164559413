import Logging
import RdKafka

/// The result topics as a record of what was written, for results that are written once: every checkpoint records
/// where each output partition ended when it was written (`ends`); a worker that restores that checkpoint reads the
/// output from there (`identities`) and learns which results of its partition the previous owner wrote after it.
///
/// The ends are the partitions' high watermarks, read after everything the worker produced was acknowledged and
/// before it produces anything newer, so every result written after the checkpoint lies at or past them.
enum ResultLog {
    /// The header holding a result's identity (`ResultIdentity`).
    static let identityHeader = "resonance.id"
    /// The header naming a result's source partition, `TOPIC/PARTITION`.
    static let sourceHeader = "resonance.source"

    /// The `resonance.source` value of `partition` of `topic`.
    static func source(topic: String, partition: Int32) -> String { "\(topic)/\(partition)" }

    /// The high watermark of every partition of `topics` (partition counts from `partitionCounts`), in one
    /// ListOffsets round trip; nil when a count is unknown or a leader does not answer within `timeout`, and the
    /// checkpoint then goes without them.
    static func ends(
        of topics: [String], partitionCounts: [String: Int], consumer: KafkaConsumer, timeout: Duration
    ) -> [KafkaTopicPartition]? {
        var partitions: [KafkaTopicPartition] = []
        for topic in topics {
            guard let count = partitionCounts[topic], count > 0 else { return nil }
            partitions += (0..<Int32(count)).map { KafkaTopicPartition(topic: topic, partition: $0) }
        }
        return try? consumer.endOffsets(of: partitions, timeout: timeout)
    }

    /// `topic:partition:offset` entries joined by `,` (Kafka topic names hold no `:` or `,`).
    static func encode(_ ends: [KafkaTopicPartition]) -> String {
        ends.map { "\($0.topic):\($0.partition):\($0.offset)" }.joined(separator: ",")
    }

    /// The ends `encode` wrote, nil when `text` is not such a list.
    static func decode(_ text: String) -> [KafkaTopicPartition]? {
        var ends: [KafkaTopicPartition] = []
        for entry in text.split(separator: ",") {
            let fields = entry.split(separator: ":")
            guard fields.count == 3, let partition = Int32(fields[1]), let offset = Int64(fields[2]) else { return nil }
            ends.append(KafkaTopicPartition(topic: String(fields[0]), partition: partition, offset: offset))
        }
        return ends
    }

    /// For each source partition of `sourceTopic` in `since`, the identities of its results written at or after
    /// the output positions its checkpoint recorded, read from those positions to the partitions' current ends.
    static func identities(
        since: [Int32: [KafkaTopicPartition]], sourceTopic: String, configuration: KafkaConfiguration, logger: Logger
    ) throws -> [Int32: Set<[UInt8]>] {
        var from: [KafkaTopicPartition: Int64] = [:]
        var starts: [Int32: [KafkaTopicPartition: Int64]] = [:]
        for (partition, ends) in since {
            for end in ends {
                let output = KafkaTopicPartition(topic: end.topic, partition: end.partition)
                from[output] = min(from[output] ?? .max, end.offset)
                starts[partition, default: [:]][output] = end.offset
            }
        }
        guard !from.isEmpty else { return [:] }
        var reader = configuration
        reader.groupID = nil
        let consumer = try KafkaConsumer(configuration: reader, logger: logger)
        defer { try? consumer.close() }
        var highs: [KafkaTopicPartition: Int64] = [:]
        for end in try consumer.endOffsets(of: Array(from.keys), timeout: .seconds(10)) {
            let output = KafkaTopicPartition(topic: end.topic, partition: end.partition)
            if end.offset > from[output] ?? .max { highs[output] = end.offset }
        }
        guard !highs.isEmpty else { return [:] }
        try consumer.assign(
            highs.keys.map { KafkaTopicPartition(topic: $0.topic, partition: $0.partition, offset: from[$0]!) })
        let sources = Dictionary(
            uniqueKeysWithValues: since.keys.map { (source(topic: sourceTopic, partition: $0), $0) })
        var found: [Int32: Set<[UInt8]>] = [:]
        var positions: [KafkaTopicPartition: Int64] = [:]
        let deadline = ContinuousClock.now + .seconds(60)
        while highs.contains(where: { positions[$0.key, default: 0] < $0.value }) {
            guard ContinuousClock.now < deadline else {
                logger.warning("results since the checkpoint not read to their end within 60 s: some may repeat")
                break
            }
            consumer.consumeBatch(timeout: .milliseconds(200)) { batch in
                for record in batch where !record.isError {
                    let output = KafkaTopicPartition(topic: record.topic, partition: record.partition)
                    positions[output] = record.offset + 1
                    guard let source = record.headers.value(named: sourceHeader).map({ $0.utf8String }),
                        let partition = sources[source], record.offset >= starts[partition]?[output] ?? .max,
                        let identity = record.headers.value(named: identityHeader)
                    else { continue }
                    found[partition, default: []].insert(Array(identity))
                }
            }
        }
        return found
    }
}
