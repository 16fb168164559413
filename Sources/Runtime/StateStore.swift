import Logging
import RdKafka

/// Checkpoints of per-partition job state on a Kafka topic, so a partition's windows, follower counts and activity
/// survive a crash or a move to another worker (the role of a Kafka Streams changelog, as periodic snapshots).
///
/// A checkpoint of source partition P is written as chunks (≤ 512 KiB each, under librdkafka's default
/// `message.max.bytes`) keyed `P/chunk` to partition P mod N of the state topic (N: its partition count when the
/// worker started), with headers naming the source offset it resumes at and the chunk's place. Restoring reads the
/// state partitions of the partitions it takes, to their ends, and keeps the newest complete checkpoint of each
/// (the one resuming furthest). A worker creates the state topic compacted (`cleanup.policy=compact`), with as many
/// partitions as the source, where the broker can create topics: one key per chunk keeps every chunk of the
/// newest checkpoint, and leftovers of an older, longer one carry another offset and are skipped. The dev broker
/// cannot (it auto-creates the topic on first use), does not compact and keeps about 5 MiB per partition, so only
/// recent checkpoints survive there (all a restore needs).
struct StateStore {
    static let chunkSize = 512 * 1024
    let topic: String
    /// The state topic's partition count (1 when it could not be learned: every checkpoint then goes to partition 0,
    /// which is among the partitions any later count covers).
    let partitions: Int32

    /// The store on `topic`, created compacted with `sourcePartitions` partitions where the broker can create
    /// topics and it does not exist yet.
    static func prepare(topic: String, sourcePartitions: Int, admin: KafkaAdmin?, logger: Logger) -> StateStore {
        guard let admin else { return StateStore(topic: topic, partitions: 1) }
        if let existing = (try? admin.metadata())?.topics[topic], existing.error == 0, !existing.partitions.isEmpty {
            return StateStore(topic: topic, partitions: Int32(existing.partitions.count))
        }
        let count = max(sourcePartitions, 1)
        do {
            try admin.createTopics([
                KafkaTopicSpec(name: topic, partitions: count, configs: ["cleanup.policy": "compact"])
            ])
            logger.info("created the state topic \(topic): \(count) partitions, compacted")
            return StateStore(topic: topic, partitions: Int32(count))
        } catch {
            logger.info("state topic \(topic) not created (\(error)); checkpoints go to its partition 0")
            return StateStore(topic: topic, partitions: 1)
        }
    }

    /// The state partition holding the checkpoints of source partition `partition`.
    func statePartition(of partition: Int32) -> Int32 { partition % partitions }

    /// A checkpoint read back: the state bytes, the next source offset to read after it, and where the result
    /// topics' partitions ended when it was written (nil when unknown: `ResultLog`).
    struct Checkpoint {
        var state: [UInt8]
        var nextOffset: Int64
        var outputs: [KafkaTopicPartition]?
    }

    /// Enqueues the chunks of one checkpoint on `producer`; they are acknowledged with the batch they follow.
    /// `outputs`, the result partitions' ends, go in a `resonance.outputs` header of the first chunk.
    func write(
        _ state: [UInt8], partition: Int32, nextOffset: Int64, outputs: [KafkaTopicPartition]?,
        producer: KafkaProducer
    ) throws {
        let target = try producer.topic(topic)
        let chunks = max(1, (state.count + Self.chunkSize - 1) / Self.chunkSize)
        for chunk in 0..<chunks {
            let key = Array("\(partition)/\(chunk)".utf8)
            let range = (chunk * Self.chunkSize)..<min(state.count, (chunk + 1) * Self.chunkSize)
            var headers = [
                KafkaHeader("resonance.checkpoint", String(nextOffset)),
                KafkaHeader("resonance.chunk", "\(chunk)/\(chunks)"),
            ]
            if chunk == 0, let outputs { headers.append(KafkaHeader("resonance.outputs", ResultLog.encode(outputs))) }
            try key.withUnsafeBytes { keyBytes in
                try state[range].withUnsafeBytes { valueBytes in
                    _ = try producer.send(
                        to: target, partition: statePartition(of: partition), key: keyBytes, value: valueBytes,
                        headers: headers)
                }
            }
        }
    }

    /// The newest complete checkpoint of each of `partitions`, read from their state partitions' beginnings to
    /// their ends.
    func read(partitions: Set<Int32>, configuration: KafkaConfiguration, logger: Logger) throws -> [Int32: Checkpoint] {
        guard !partitions.isEmpty else { return [:] }
        var reader = configuration
        reader.groupID = nil
        let consumer = try KafkaConsumer(configuration: reader, logger: logger)
        var ends: [Int32: Int64] = [:]
        // Partition 0 too: it held every checkpoint while the state topic's partition count was unknown.
        for statePartition in Set(partitions.map(statePartition(of:))).union([0]) {
            if let high = try? consumer.watermarks(topic: topic, partition: statePartition, timeout: .seconds(10)).high,
                high > 0
            {
                ends[statePartition] = high
            }
        }
        guard !ends.isEmpty else { return [:] }
        try consumer.assign(
            ends.keys.map {
                KafkaTopicPartition(topic: topic, partition: $0, offset: KafkaTopicPartition.beginningOffset)
            })
        var assembling:
            [Int32: (offset: Int64, chunks: Int, data: [UInt8], next: Int, outputs: [KafkaTopicPartition]?)] =
                [:]
        var complete: [Int32: Checkpoint] = [:]
        var positions: [Int32: Int64] = [:]
        let deadline = ContinuousClock.now + .seconds(60)
        while ends.contains(where: { positions[$0.key, default: 0] < $0.value }) && ContinuousClock.now < deadline {
            consumer.consumeBatch(timeout: .milliseconds(200)) { batch in
                for record in batch where !record.isError {
                    positions[record.partition] = record.offset + 1
                    guard let key = record.key.flatMap({ Int32($0.utf8String.prefix { $0 != "/" }) }),
                        partitions.contains(key),
                        let offset = record.headers.value(named: "resonance.checkpoint").flatMap({
                            Int64($0.utf8String)
                        }),
                        let place = record.headers.value(named: "resonance.chunk")?.utf8String.split(separator: "/"),
                        place.count == 2, let chunk = Int(place[0]), let chunks = Int(place[1])
                    else { continue }
                    if chunk == 0 {
                        let outputs = record.headers.value(named: "resonance.outputs").flatMap {
                            ResultLog.decode($0.utf8String)
                        }
                        assembling[key] = (offset, chunks, [], 0, outputs)
                    }
                    guard var entry = assembling[key], entry.offset == offset, entry.next == chunk else {
                        assembling[key] = nil  // a chunk went missing (retention): wait for the next checkpoint
                        continue
                    }
                    entry.data += record.value.map(Array.init) ?? []
                    entry.next += 1
                    assembling[key] = entry
                    // Written before the state topic grew, an older checkpoint may sit in another partition.
                    if entry.next == entry.chunks && offset >= complete[key]?.nextOffset ?? .min {
                        complete[key] = Checkpoint(state: entry.data, nextOffset: offset, outputs: entry.outputs)
                    }
                }
            }
        }
        try consumer.close()
        return complete
    }
}
