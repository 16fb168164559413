/// Where the dashboard's reading of the result topics stands, shown at the top of the page.
public enum FeedStatus: Sendable, Equatable {
    /// Looking for the broker and the topics.
    case connecting
    /// The broker did not answer; the reason is librdkafka's.
    case unreachable(String)
    /// None of the result topics exists yet.
    case waitingForTopics([String])
    /// Reading; `missing` lists result topics that do not exist (yet).
    case live(missing: [String])

    /// The state's name for the page: `connecting`, `unreachable`, `waiting` or `live`.
    public var name: String {
        switch self {
        case .connecting: "connecting"
        case .unreachable: "unreachable"
        case .waitingForTopics: "waiting"
        case .live: "live"
        }
    }

    /// A sentence for people.
    public var message: String {
        switch self {
        case .connecting: "Connecting to the broker…"
        case .unreachable(let reason): "The broker is unreachable: \(reason). Retrying."
        case .waitingForTopics(let topics):
            "Waiting for the result topics (\(topics.joined(separator: ", "))) to exist."
        case .live(let missing) where missing.isEmpty: "Live."
        case .live(let missing): "Live; not yet created: \(missing.joined(separator: ", "))."
        }
    }
}
