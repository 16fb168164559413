import TestSupport
import RdKafka

/// An owned copy of a consumed record, for assertions after the batch is gone.
struct CapturedRecord: Hashable {
    var topic: String
    var partition: Int32
    var offset: Int64
    var key: [UInt8]?
    var value: [UInt8]?
    var headers: [KafkaHeader]
    var timestamp: Int64?

    init(_ record: KafkaRecord) {
        topic = record.topic
        partition = record.partition
        offset = record.offset
        key = record.key.map(Array.init)
        value = record.value.map(Array.init)
        headers = record.headers.map { KafkaHeader($0.name, $0.value.map(Array.init)) }
        timestamp = record.timestamp?.milliseconds
    }
}

extension KafkaConsumer {
    /// Consumes until `count` data records arrived or `timeout` passed.
    func collect(_ count: Int, timeout: Duration) -> [CapturedRecord] {
        var records: [CapturedRecord] = []
        let deadline = ContinuousClock.now + timeout
        while records.count < count && ContinuousClock.now < deadline {
            consumeBatch(timeout: .milliseconds(100)) { batch in
                for record in batch where !record.isError { records.append(CapturedRecord(record)) }
            }
        }
        return records
    }
}

/// Assigns every partition of `topic` from the beginning (no group, so no join delay).
func assignAll(_ consumer: KafkaConsumer, topic: String, partitions: Int32) throws {
    try consumer.assign((0..<partitions).map { KafkaTopicPartition(topic: topic, partition: $0, offset: KafkaTopicPartition.beginningOffset) })
}
