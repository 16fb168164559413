import CRdKafka

/// The messages returned by one batch consume: a random-access view over librdkafka's message pointers.
///
/// Valid only inside the `KafkaConsumer.consumeBatch` body; the messages are destroyed when it returns.
public struct KafkaRecordBatch: RandomAccessCollection {
    let messages: UnsafeMutableBufferPointer<UnsafeMutablePointer<rd_kafka_message_t>?>

    public var startIndex: Int { 0 }
    public var endIndex: Int { messages.count }

    public subscript(position: Int) -> KafkaRecord {
        // librdkafka fills the first `count` slots with non-null messages.
        KafkaRecord(message: messages[position].unsafelyUnwrapped)
    }
}
