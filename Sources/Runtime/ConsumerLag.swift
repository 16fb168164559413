import Foundation

/// How far a consumer is behind one partition, as librdkafka's statistics report it
/// (`topics.<topic>.partitions.<id>.consumer_lag`: the high watermark minus the committed offset).
struct ConsumerLag: Equatable, Sendable {
    var topic: String
    var partition: Int32
    var messages: Int64

    /// Reads every known partition lag from one statistics JSON document (librdkafka's STATISTICS.md). Skips the
    /// internal partition -1 and lags librdkafka does not know yet (-1). Unreadable JSON yields nothing: statistics
    /// are advisory.
    static func parse(statistics json: UnsafeRawBufferPointer) -> [ConsumerLag] {
        guard let root = try? JSONSerialization.jsonObject(with: Data(json)) as? [String: Any],
            let topics = root["topics"] as? [String: Any]
        else { return [] }
        var lags: [ConsumerLag] = []
        for (topic, value) in topics {
            guard let partitions = (value as? [String: Any])?["partitions"] as? [String: Any] else { continue }
            for (id, entry) in partitions {
                guard let partition = Int32(id), partition >= 0,
                    let lag = ((entry as? [String: Any])?["consumer_lag"] as? NSNumber)?.int64Value, lag >= 0
                else { continue }
                lags.append(ConsumerLag(topic: topic, partition: partition, messages: lag))
            }
        }
        return lags.sorted { ($0.topic, $0.partition) < ($1.topic, $1.partition) }
    }
}
