import Engagement
import RdKafka

/// The headers a dead letter carries next to the original key and value: why it was rejected and where it came
/// from, so it can be inspected and replayed.
enum DeadLetterHeaders {
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
