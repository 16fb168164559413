/// One generated or converted interaction: its key (creator id), JSON value and event time (epoch ms).
public struct TrafficRecord: Sendable {
    public var key: String
    public var value: String
    public var timestamp: Int64

    /// Creates a record.
    public init(key: String, value: String, timestamp: Int64) {
        self.key = key
        self.value = value
        self.timestamp = timestamp
    }
}
