import CRdKafka

/// The broker's verdict on one produced message, handed to the producer's delivery handler.
public struct KafkaDeliveryReport: Sendable {
    /// The identifier `KafkaProducer.send` returned for the message.
    public var messageID: UInt64
    /// The partition the message went to (-1 when unknown after a failure).
    public var partition: Int32
    /// The offset the broker assigned, or a negative value when not delivered.
    public var offset: Int64
    /// Why delivery failed; nil when the broker acknowledged the message.
    public var error: KafkaError?

    /// Creates a report (tests, replays of delivery outcomes).
    public init(messageID: UInt64, partition: Int32, offset: Int64, error: KafkaError? = nil) {
        self.messageID = messageID
        self.partition = partition
        self.offset = offset
        self.error = error
    }

    init(_ message: rd_kafka_message_t) {
        messageID = UInt64(UInt(bitPattern: message._private))
        partition = message.partition
        offset = message.offset
        error = message.err == RD_KAFKA_RESP_ERR_NO_ERROR ? nil : KafkaError(message.err, "delivery")
        if error != nil { error?.code = .deliveryFailed }
    }
}
