import Engagement

/// Seeded synthetic social traffic: Zipf-popular creators, a daily cycle, habitual and casual engagers.
/// The same seed gives the same events. Pure: event times are computed from `start` and `rate`, not read from a clock.
public struct SyntheticTraffic: Sequence, IteratorProtocol {
    /// Traffic shape.
    public struct Settings: Sendable {
        public var seed: UInt64 = 42
        public var creators = 50
        public var usersPerCreator = 400
        /// Events per second of event time.
        public var rate = 200
        /// Event time of the first event, epoch milliseconds.
        public var start: Int64 = 1_732_665_600_000
        public var count = 10_000

        /// Creates default settings.
        public init() {}
    }

    /// One generated event: its key (creator id) and JSON value.
    public struct Record: Sendable {
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

    let settings: Settings
    var state: UInt64
    var index = 0
    let cumulative: [Double]

    /// Creates a generator.
    public init(settings: Settings) {
        self.settings = settings
        state = settings.seed &* 0x9E37_79B9_7F4A_7C15 | 1
        var total = 0.0
        cumulative = (0..<Swift.max(1, settings.creators)).map { rank in total += 1 / Double(rank + 1); return total }
    }

    mutating func uniform() -> Double {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return Double(state >> 11) / Double(1 << 53)
    }

    /// The kind mix of an active moment, as cumulative shares.
    static let kinds: [(below: Double, kind: InteractionKind)] = [
        (0.45, .view), (0.70, .like), (0.78, .comment), (0.82, .reply), (0.86, .share), (0.89, .save),
        (0.91, .mention), (0.97, .follow),
    ]

    /// The next record, or nil after `count`. The first `creators` records are follower-count snapshots: every
    /// creator starts with twice its engaging audience as followers, so half of a following never engages.
    public mutating func next() -> Record? {
        guard index < settings.count else { return nil }
        defer { index += 1 }
        if index < cumulative.count {
            let followers = 2 * Swift.max(1, settings.usersPerCreator)
            let value = #"{"event_id":"s\#(settings.seed)-f\#(index)","ts":\#(settings.start),"creator_id":"c\#(index)","kind":"followers","count":\#(followers)}"#
            return Record(key: "c\(index)", value: value, timestamp: settings.start)
        }
        let timestamp = settings.start + Int64(index) * 1000 / Int64(Swift.max(1, settings.rate))
        // A daily cycle peaking at 14:00 UTC: in quiet hours most interactions are passive views.
        let hour = Double((timestamp / 1000) % 86_400) / 3600
        let activity = 0.3 + 0.7 * (1 - abs(hour - 14) / 14)
        let pick = uniform() * cumulative[cumulative.count - 1]
        let creator = cumulative.firstIndex { $0 >= pick } ?? 0
        // 20 % of a creator's audience are habitual engagers and produce 70 % of its interactions.
        let habitual = uniform() < 0.7
        let audience = Swift.max(1, settings.usersPerCreator)
        let user = habitual ? Int(uniform() * Double(Swift.max(1, audience / 5))) : Int(uniform() * Double(audience))
        let roll = uniform()
        let kind = roll > activity ? .view : Self.kinds.first { roll < $0.below * activity }?.kind ?? .unfollow
        let post = Int(uniform() * 20)
        let value = #"{"event_id":"s\#(settings.seed)-\#(index)","ts":\#(timestamp),"creator_id":"c\#(creator)","user_id":"u\#(creator)-\#(user)","kind":"\#(kind.name)","post_id":"p\#(creator)-\#(post)"}"#
        return Record(key: "c\(creator)", value: value, timestamp: timestamp)
    }
}
