import CRdKafka

/// A partition of a topic, optionally with an offset (meaning depends on the call: next offset to read for commits
/// and seeks, committed offset for `committed`).
public struct KafkaTopicPartition: Hashable, Sendable, CustomStringConvertible {
    /// The topic name.
    public var topic: String
    /// The partition number.
    public var partition: Int32
    /// An offset, or `KafkaTopicPartition.invalidOffset` when none applies.
    public var offset: Int64

    /// librdkafka's "no offset" marker (`RD_KAFKA_OFFSET_INVALID`).
    public static let invalidOffset: Int64 = -1001
    /// The logical offset "beginning of partition" (`RD_KAFKA_OFFSET_BEGINNING`).
    public static let beginningOffset: Int64 = -2
    /// The logical offset "end of partition" (`RD_KAFKA_OFFSET_END`).
    public static let endOffset: Int64 = -1

    /// Creates a topic partition.
    public init(topic: String, partition: Int32, offset: Int64 = KafkaTopicPartition.invalidOffset) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
    }

    public var description: String { offset == Self.invalidOffset ? "\(topic)[\(partition)]" : "\(topic)[\(partition)]@\(offset)" }
}

/// Conversions between Swift arrays and `rd_kafka_topic_partition_list_t`.
enum RDTopicPartitionList {
    /// Builds a native list; the caller destroys it with `rd_kafka_topic_partition_list_destroy`.
    static func make(_ partitions: [KafkaTopicPartition]) -> UnsafeMutablePointer<rd_kafka_topic_partition_list_t> {
        let list = rd_kafka_topic_partition_list_new(Int32(partitions.count))!
        for item in partitions {
            rd_kafka_topic_partition_list_add(list, item.topic, item.partition).pointee.offset = item.offset
        }
        return list
    }

    /// Builds a native list, runs `body` with it and destroys it.
    static func with<R>(
        _ partitions: [KafkaTopicPartition],
        _ body: (UnsafeMutablePointer<rd_kafka_topic_partition_list_t>) throws(KafkaError) -> R
    ) throws(KafkaError) -> R {
        let list = make(partitions)
        defer { rd_kafka_topic_partition_list_destroy(list) }
        return try body(list)
    }

    /// Reads a native list into Swift values.
    static func read(_ list: UnsafePointer<rd_kafka_topic_partition_list_t>) -> [KafkaTopicPartition] {
        let count = Int(list.pointee.cnt)
        guard count > 0, let elements = list.pointee.elems else { return [] }
        return (0..<count).map { index in
            let element = elements[index]
            return KafkaTopicPartition(
                topic: String(cString: element.topic),
                partition: element.partition,
                offset: element.offset
            )
        }
    }

    /// The first per-partition error in a list returned by librdkafka, if any.
    static func firstError(_ list: UnsafePointer<rd_kafka_topic_partition_list_t>) -> KafkaError? {
        let count = Int(list.pointee.cnt)
        guard count > 0, let elements = list.pointee.elems else { return nil }
        for index in 0..<count where elements[index].err != RD_KAFKA_RESP_ERR_NO_ERROR {
            let element = elements[index]
            return KafkaError(element.err, "\(String(cString: element.topic))[\(element.partition)]")
        }
        return nil
    }
}
