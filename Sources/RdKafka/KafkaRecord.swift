import CRdKafka

/// A read-only view of one consumed message, valid only inside the `consumeBatch` body that produced it.
///
/// Nothing is copied: `key` and `value` point into librdkafka's buffers. Copy what must outlive the batch.
/// A null key or value (a tombstone) is `nil`; an empty one is an empty buffer.
public struct KafkaRecord {
    let message: UnsafeMutablePointer<rd_kafka_message_t>

    /// True when this entry reports an error (partition EOF, a fetch error) rather than carrying data.
    public var isError: Bool { message.pointee.err != RD_KAFKA_RESP_ERR_NO_ERROR }

    /// True when this entry marks that the consumer reached the end of a partition (`enable.partition.eof`).
    public var isPartitionEOF: Bool { message.pointee.err == RD_KAFKA_RESP_ERR__PARTITION_EOF }

    /// The error this entry reports, or nil for a data record.
    public var error: KafkaError? {
        isError ? KafkaError(message.pointee.err, "consume \(topic)[\(partition)]") : nil
    }

    /// The topic name (allocates a `String`; prefer comparing handles on hot paths).
    public var topic: String {
        guard let rkt = message.pointee.rkt else { return "" }
        return String(cString: rd_kafka_topic_name(rkt))
    }

    /// The partition the record came from.
    public var partition: Int32 { message.pointee.partition }

    /// The record's offset in its partition.
    public var offset: Int64 { message.pointee.offset }

    /// The key bytes, or nil for a null key.
    public var key: UnsafeRawBufferPointer? {
        guard let pointer = message.pointee.key else { return nil }
        return UnsafeRawBufferPointer(start: pointer, count: message.pointee.key_len)
    }

    /// The value bytes, or nil for a null value (a tombstone). Never nil-checked by the wrapper: both are normal.
    public var value: UnsafeRawBufferPointer? {
        guard let pointer = message.pointee.payload else { return nil }
        return UnsafeRawBufferPointer(start: pointer, count: message.pointee.len)
    }

    /// The record timestamp in epoch milliseconds and its kind, or nil when the record has none.
    public var timestamp: (milliseconds: Int64, type: KafkaTimestampType)? {
        var type = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE
        let milliseconds = rd_kafka_message_timestamp(message, &type)
        switch type {
        case RD_KAFKA_TIMESTAMP_CREATE_TIME: return (milliseconds, .createTime)
        case RD_KAFKA_TIMESTAMP_LOG_APPEND_TIME: return (milliseconds, .logAppendTime)
        default: return nil
        }
    }

    /// The record's headers (parsed lazily by librdkafka on first access).
    public var headers: KafkaHeaders {
        var headers: OpaquePointer?
        guard rd_kafka_message_headers(message, &headers) == RD_KAFKA_RESP_ERR_NO_ERROR, let headers else {
            return KafkaHeaders(list: nil)
        }
        return KafkaHeaders(list: headers)
    }

    /// The record's topic handle, for cheap identity comparisons and offset storing.
    var topicHandle: OpaquePointer? { message.pointee.rkt }
}

/// How a record's timestamp was assigned.
public enum KafkaTimestampType: Sendable {
    /// Set by the producer.
    case createTime
    /// Set by the broker on append.
    case logAppendTime
}

extension UnsafeRawBufferPointer {
    /// The bytes as a `String`, decoding invalid UTF-8 with replacement characters.
    public var utf8String: String { String(decoding: self, as: UTF8.self) }
}
