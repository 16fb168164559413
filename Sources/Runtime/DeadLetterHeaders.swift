import Engagement
import RdKafka

/// The headers a dead letter carries next to the original key and value: why it was rejected and where it came
/// from, so it can be inspected and replayed. A dead letter always fits: a value the producer could not send (past
/// `message.max.bytes`) is cut to a prefix, and the headers say so, with the whole value's size and SHA-256.
enum DeadLetterHeaders {
    /// Room left in a record for the key, the headers and librdkafka's framing.
    static let headroom = 16_384

    /// How many bytes of `value` a dead letter carries: all of them when the record fits in `messageMaxBytes`,
    /// else the first `prefix`; and the headers telling a cut value from a whole one.
    static func fit(_ value: UnsafeRawBufferPointer?, messageMaxBytes: Int, prefix: Int) -> (length: Int?, headers: [KafkaHeader]) {
        guard let value, value.count > messageMaxBytes - headroom else { return (nil, []) }
        let length = min(prefix, value.count, max(messageMaxBytes - headroom, 0))
        return (length, [
            KafkaHeader("resonance.truncated", "true"),
            KafkaHeader("resonance.source.size", String(value.count)),
            KafkaHeader("resonance.source.sha256", SHA256.hex(value)),
        ])
    }

    static func make(_ rejection: Rejection, topic: String, partition: Int32, offset: Int64, pipeline: String) -> [KafkaHeader] {
        var headers = [
            KafkaHeader("resonance.reason", rejection.reason.rawValue),
            KafkaHeader("resonance.source.topic", topic),
            KafkaHeader("resonance.source.partition", String(partition)),
            KafkaHeader("resonance.source.offset", String(offset)),
            KafkaHeader("resonance.pipeline", pipeline),
        ]
        if let field = rejection.field { headers.append(KafkaHeader("resonance.field", field)) }
        return headers
    }
}
