import CRdKafka

/// Turns the logical start offsets `beginningOffset` and `endOffset` into real ones with one ListOffsets round trip
/// before partitions are assigned. librdkafka 2.0.2 resolves them itself only after a delay — ~0.5 s for a direct
/// assignment, ~0.1 s after a rebalance — which a freshly started consumer spends idle.
enum LogicalOffsets {
    /// `partitions` with every logical start offset replaced by the real one; those that cannot be resolved within
    /// `timeout` (and all others) are left as they are, for librdkafka to resolve.
    static func resolved(_ partitions: [KafkaTopicPartition], client: OpaquePointer, timeout: Duration = .seconds(10))
        -> [KafkaTopicPartition]
    {
        let logical = partitions.filter { $0.offset == KafkaTopicPartition.beginningOffset || $0.offset == KafkaTopicPartition.endOffset }
        guard !logical.isEmpty else { return partitions }
        // ListOffsets takes -2 (earliest) and -1 (latest) as timestamps.
        let found = try? RDTopicPartitionList.with(logical) { (list) throws(KafkaError) in
            let err = rd_kafka_offsets_for_times(client, list, timeout.milliseconds)
            if err != RD_KAFKA_RESP_ERR_NO_ERROR { throw KafkaError(err, "offsets for times") }
            if let partitionError = RDTopicPartitionList.firstError(list) { throw partitionError }
            return RDTopicPartitionList.read(list)
        }
        guard let found else { return partitions }
        var real: [String: [Int32: Int64]] = [:]
        for entry in found where entry.offset >= 0 { real[entry.topic, default: [:]][entry.partition] = entry.offset }
        return partitions.map { original in
            guard original.offset < 0, let offset = real[original.topic]?[original.partition] else { return original }
            return KafkaTopicPartition(topic: original.topic, partition: original.partition, offset: offset)
        }
    }
}
