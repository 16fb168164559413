import Logging
import RdKafka

/// Checkpoints of per-partition job state on a Kafka topic, so a partition's windows, follower counts and activity
/// survive a crash or a move to another worker (the role of a Kafka Streams changelog, as periodic snapshots).
///
/// A checkpoint of source partition P is written as chunks (≤ 512 KiB each, under librdkafka's default
/// `message.max.bytes`) keyed `P/chunk` to partition 0 of the state topic, with headers naming the source offset it
/// resumes at and the chunk's place. Restoring reads the state partition to its end and keeps the newest complete
/// checkpoint of each source partition. On a real Kafka the state topic should be compacted
/// (`cleanup.policy=compact`, as docker-compose.yml creates it): one key per chunk keeps every chunk of the newest
/// checkpoint, and leftovers of an older, longer one carry another offset and are skipped. The dev broker does not
/// compact and keeps about 5 MiB per partition, so only recent checkpoints survive there (all a restore needs).
struct StateStore {
    static let chunkSize = 512 * 1024
    let topic: String

    /// A checkpoint read back: the state bytes and the next source offset to read after it.
    struct Checkpoint {
        var state: [UInt8]
        var nextOffset: Int64
    }

    /// Enqueues the chunks of one checkpoint on `producer`; they are acknowledged with the batch they follow.
    func write(_ state: [UInt8], partition: Int32, nextOffset: Int64, producer: KafkaProducer) throws {
        let target = try producer.topic(topic)
        let chunks = max(1, (state.count + Self.chunkSize - 1) / Self.chunkSize)
        for chunk in 0..<chunks {
            let key = Array("\(partition)/\(chunk)".utf8)
            let range = (chunk * Self.chunkSize)..<min(state.count, (chunk + 1) * Self.chunkSize)
            let headers = [
                KafkaHeader("resonance.checkpoint", String(nextOffset)),
                KafkaHeader("resonance.chunk", "\(chunk)/\(chunks)"),
            ]
            try key.withUnsafeBytes { keyBytes in
                try state[range].withUnsafeBytes { valueBytes in
                    _ = try producer.send(to: target, partition: 0, key: keyBytes, value: valueBytes, headers: headers)
                }
            }
        }
    }

    /// The newest complete checkpoint of each of `partitions`, read from the state topic's beginning to its end.
    func read(partitions: Set<Int32>, configuration: KafkaConfiguration, logger: Logger) throws -> [Int32: Checkpoint] {
        guard !partitions.isEmpty else { return [:] }
        var reader = configuration
        reader.groupID = nil
        let consumer = try KafkaConsumer(configuration: reader, logger: logger)
        guard let high = try? consumer.watermarks(topic: topic, partition: 0, timeout: .seconds(10)).high, high > 0 else {
            return [:]
        }
        try consumer.assign([KafkaTopicPartition(topic: topic, partition: 0, offset: KafkaTopicPartition.beginningOffset)])
        var assembling: [Int32: (offset: Int64, chunks: Int, data: [UInt8], next: Int)] = [:]
        var complete: [Int32: Checkpoint] = [:]
        var position: Int64 = 0
        let deadline = ContinuousClock.now + .seconds(60)
        while position < high && ContinuousClock.now < deadline {
            consumer.consumeBatch(timeout: .milliseconds(200)) { batch in
                for record in batch where !record.isError {
                    position = record.offset + 1
                    guard let key = record.key.flatMap({ Int32($0.utf8String.prefix { $0 != "/" }) }), partitions.contains(key),
                        let offset = record.headers.value(named: "resonance.checkpoint").flatMap({ Int64($0.utf8String) }),
                        let place = record.headers.value(named: "resonance.chunk")?.utf8String.split(separator: "/"),
                        place.count == 2, let chunk = Int(place[0]), let chunks = Int(place[1])
                    else { continue }
                    if chunk == 0 { assembling[key] = (offset, chunks, [], 0) }
                    guard var entry = assembling[key], entry.offset == offset, entry.next == chunk else {
                        assembling[key] = nil  // a chunk went missing (retention): wait for the next checkpoint
                        continue
                    }
                    entry.data += record.value.map(Array.init) ?? []
                    entry.next += 1
                    assembling[key] = entry
                    if entry.next == entry.chunks { complete[key] = Checkpoint(state: entry.data, nextOffset: offset) }
                }
            }
        }
        try consumer.close()
        return complete
    }
}
