import Engagement

#if canImport(Glibc)
    import Glibc
#else
    import Darwin
#endif

/// Seeded synthetic social traffic in event time, with named scenarios that inject what the detectors look for.
///
/// Creators have Zipf-distributed popularity; each starts with a following, announced as a platform's export would:
/// the roster of its followers as follow events (the ledger can tell a dormant follower only by name), then a
/// `followers` snapshot with its size. Part of the following never engages (lurkers: from 20 % to 80 % of it, a
/// share fixed per creator, so follower count and engaged community rank creators differently); of the engagers a
/// fifth are habitual, producing most interactions, the rest casual.
/// Traffic follows a daily cycle (peak 14:00 UTC); now and then a new user follows (and lurks) and a lurker
/// unfollows. Scenarios:
/// - `viral-post`: for two hours a post draws 30 times the creator's usual traffic from new users (shares, likes,
///   comments; they do not follow, so the spike leaves the follower health alone);
/// - `giveaway`: for three hours 20 times the usual traffic, entrants who follow and comment and never engage again
///   (a spike, and a dormancy drift one `dormant_after` later);
/// - `collab`: for two hours another creator's audience engages at 15 times the usual rate;
/// - `dormancy`: from one moment most of a creator's engagers stop engaging (a drift one `dormant_after` later);
/// - `mix`: each affected creator gets one of the above.
/// Pure and deterministic: the same settings give the same events; `injections` is the ground truth.
public struct SocialTraffic: Sequence, IteratorProtocol {
    /// A named scenario.
    public enum Scenario: String, CaseIterable, Sendable {
        case viralPost = "viral-post"
        case giveaway, collab, dormancy, mix
    }

    /// Traffic shape.
    public struct Settings: Sendable {
        public var seed: UInt64 = 42
        public var creators = 50
        /// Event time of the first event, epoch milliseconds (midnight UTC by default).
        public var start: Int64 = 1_732_665_600_000
        /// Interactions per second of event time over all creators, at the daily average.
        public var eventsPerSecond = 1.0
        /// How much event time to generate, milliseconds.
        public var duration: Int64 = 7 * 86_400_000
        /// The scenario to inject, if any.
        public var scenario: Scenario?
        /// Share of creators (at least one) that get the scenario.
        public var affectedShare = 0.5
        /// Earliest injection, after the start (the detectors need to learn the creators first).
        public var earliestInjection: Int64 = 86_400_000
        /// Earliest drift injection after the start, nil for a third of `dormantAfter`: the ledger's own start-up
        /// step (every initial follower who never engages turns dormant at once, `dormantAfter` after the start) must
        /// have settled before a drift can show.
        public var earliestDrift: Int64?
        /// Followers over all creators at the start (each creator has at least 20 and at most 5,000), shared out by
        /// popularity.
        public var followers = 2000
        /// The follower dormancy threshold the drift scenarios are laid out for.
        public var dormantAfter: Int64 = 30 * 86_400_000

        /// Creates default settings.
        public init() {}
    }

    /// One injected scenario: the ground truth an evaluation scores against.
    public struct Injection: Sendable, Equatable {
        public var creator: String
        public var scenario: Scenario
        /// When the injected behaviour starts and ends (epoch ms).
        public var start: Int64
        public var end: Int64
        /// For drift scenarios, when the dormant share can start rising (the first quitters cross dormant_after).
        public var driftFrom: Int64?
        /// Whether it should raise a spike.
        public var isSpike: Bool { scenario != .dormancy }
    }

    /// One generated event.
    public typealias Record = TrafficRecord

    public let settings: Settings
    /// The injected scenarios, by creator.
    public private(set) var injections: [Injection] = []
    private var random: SplitMix
    private var time: Int64
    private let end: Int64
    private let weights: [Double]
    private let followers: [Int]
    private let engagers: [Int]
    private var pendingFollows: [(creator: Int, user: Int)] = []
    private var followCursor = 0
    private var snapshotCursor = 0
    private var sequence = 0
    private var entrants = 0
    private let injectionByCreator: [Int: Int]

    /// Creates a generator.
    public init(settings: Settings) {
        self.settings = settings
        random = SplitMix(seed: settings.seed)
        time = settings.start
        end = settings.start + Swift.max(settings.duration, 0)
        let count = Swift.max(settings.creators, 1)
        var raw = (0..<count).map { 1 / Double($0 + 1) }
        let total = raw.reduce(0, +)
        raw = raw.map { $0 / total }
        weights = raw
        let following = raw.map { Swift.min(5000, Swift.max(100, Int($0 * Double(settings.followers)))) }
        followers = following
        engagers = following.indices.map { Self.engagers(following: following[$0], creator: $0) }
        for creator in 0..<count {
            for user in 0..<followers[creator] { pendingFollows.append((creator, user)) }
        }
        var byCreator: [Int: Int] = [:]
        if let scenario = settings.scenario {
            let affected = Swift.max(1, Int((Double(count) * settings.affectedShare).rounded()))
            var order = Array(0..<count)
            for index in order.indices.reversed() { order.swapAt(index, random.below(index + 1)) }
            for creator in order.prefix(affected).sorted() {
                let chosen =
                    scenario == .mix ? [Scenario.viralPost, .giveaway, .collab, .dormancy][random.below(4)] : scenario
                byCreator[creator] = injections.count
                injections.append(Self.plan(chosen, creator: creator, settings: settings, random: &random))
            }
        }
        injectionByCreator = byCreator
    }

    private static func plan(_ scenario: Scenario, creator: Int, settings: Settings, random: inout SplitMix)
        -> Injection
    {
        let hour: Int64 = 3_600_000
        let isDrift = scenario == .dormancy || scenario == .giveaway
        // Drifts need dormant_after and a settling time to show before the end; spikes a few hours.
        let settle = settings.earliestDrift ?? settings.dormantAfter / 3
        let latest = settings.start + settings.duration - (isDrift ? settings.dormantAfter + settle : 6 * hour)
        let earliest =
            settings.start + (isDrift ? Swift.max(settings.earliestInjection, settle) : settings.earliestInjection)
        let start = earliest + Int64(random.unit() * Double(Swift.max(latest - earliest, 0)))
        let length: Int64 =
            switch scenario {
            case .viralPost, .collab: 2 * hour
            case .giveaway: 3 * hour
            case .dormancy, .mix: settings.duration
            }
        let end = Swift.min(start + length, settings.start + settings.duration)
        let driftFrom: Int64? =
            switch scenario {
            case .giveaway: end + settings.dormantAfter
            case .dormancy: start + settings.dormantAfter
            default: nil
            }
        return Injection(creator: "c\(creator)", scenario: scenario, start: start, end: end, driftFrom: driftFrom)
    }

    /// The next record, or nil past the duration. The followings come first: the rosters (one follow per
    /// millisecond), then a snapshot of each creator's whole following.
    public mutating func next() -> Record? {
        if followCursor < pendingFollows.count {
            let (creator, user) = pendingFollows[followCursor]
            followCursor += 1
            return record(
                creator: creator, user: "u\(creator)-\(user)", kind: .follow, post: nil,
                at: settings.start + Int64(followCursor))
        }
        if snapshotCursor < followers.count {
            snapshotCursor += 1
            return snapshot(creator: snapshotCursor - 1, at: settings.start + Int64(followCursor + snapshotCursor))
        }
        // Poisson arrivals at the current rate: the daily cycle times the base rate, plus injected bursts.
        let base = settings.eventsPerSecond * Self.dailyCycle(time)
        let bursts = activeBursts()
        let rate = base + bursts.reduce(0) { $0 + $1.rate }
        time += Int64(Swift.max(-log(Swift.max(random.unit(), 1e-12)) / rate * 1000, 1))
        guard time < end else { return nil }
        var pick = random.unit() * rate
        for burst in bursts {
            pick -= burst.rate
            if pick < 0 { return burstEvent(injections[burst.index]) }
        }
        return baseEvent()
    }

    /// Activity relative to the daily average: 0.4 at 02:00 UTC rising to 1.6 at 14:00.
    static func dailyCycle(_ time: Int64) -> Double {
        let hour = Double(((time % 86_400_000) + 86_400_000) % 86_400_000) / 3_600_000
        return 1 + 0.6 * cos((hour - 14) / 24 * 2 * Double.pi)
    }

    private func activeBursts() -> [(index: Int, rate: Double)] {
        injections.indices.compactMap { index in
            let injection = injections[index]
            guard time >= injection.start, time < injection.end, let creator = Int(injection.creator.dropFirst()) else {
                return nil
            }
            // A burst of a multiple of the creator's own daily-average rate, and at least 60 interactions an hour.
            let multiple: Double =
                switch injection.scenario {
                case .viralPost: 30
                case .giveaway: 20
                case .collab: 15
                case .dormancy, .mix: 0
                }
            guard multiple > 0 else { return nil }
            return (index, Swift.max(multiple * weights[creator] * settings.eventsPerSecond, 60.0 / 3600))
        }
    }

    private mutating func baseEvent() -> Record {
        var pick = random.unit()
        var creator = 0
        while creator < weights.count - 1 && pick >= weights[creator] {
            pick -= weights[creator]
            creator += 1
        }
        let following = followers[creator]
        let roll = random.unit()
        // Lurkers never engage; of the engagers a fifth are habitual (70 % of interactions). Churn keeps the
        // dormant share steady: new followers arrive as lurkers, and lurkers are who unfollow.
        let engagers = self.engagers[creator]
        if roll < 0.001 {
            return record(
                creator: creator, user: "n\(creator)-\(random.below(1_000_000))", kind: .follow, post: nil, at: time)
        }
        if roll < 0.002 {
            return record(
                creator: creator, user: "u\(creator)-\(engagers + random.below(Swift.max(following - engagers, 1)))",
                kind: .unfollow, post: nil, at: time)
        }
        var user = random.unit() < 0.7 ? random.below(Swift.max(engagers / 5, 1)) : random.below(engagers)
        if let index = injectionByCreator[creator], injections[index].scenario == .dormancy,
            time >= injections[index].start
        {
            // Dormancy: from its start, six in ten engagers stop; the others carry on.
            var tries = 0
            while Self.quits(user) && tries < 32 {
                user = random.below(engagers)
                tries += 1
            }
        }
        let kind = Self.kind(random.unit(), cycle: Self.dailyCycle(time))
        return record(
            creator: creator, user: "u\(creator)-\(user)", kind: kind, post: "p\(creator)-\(random.below(12))", at: time
        )
    }

    /// How many of a creator's `following` engage: users 0..<engagers, from 20 % to 80 % of the following (spread
    /// over creators by the golden ratio, so no random number is drawn); the rest lurk.
    static func engagers(following: Int, creator: Int) -> Int {
        let share = 0.2 + 0.6 * (Double(creator) * 0.618_033_988_75).truncatingRemainder(dividingBy: 1)
        return Swift.max(Int(Double(following) * share), 2)
    }

    static func quits(_ user: Int) -> Bool { (user &* 2_654_435_761) % 10 < 6 }

    private mutating func burstEvent(_ injection: Injection) -> Record {
        let creator = Int(injection.creator.dropFirst()) ?? 0
        let roll = random.unit()
        switch injection.scenario {
        case .viralPost:
            let kind: InteractionKind = roll < 0.3 ? .share : roll < 0.7 ? .like : roll < 0.85 ? .comment : .view
            return record(
                creator: creator, user: "v\(creator)-\(random.below(1_000_000))", kind: kind, post: "p\(creator)-viral",
                at: time)
        case .giveaway:
            // Each entrant follows and comments once, and is never heard of again.
            entrants += roll < 0.5 ? 1 : 0
            let kind: InteractionKind = roll < 0.5 ? .follow : .comment
            return record(
                creator: creator, user: "g\(creator)-\(entrants)", kind: kind, post: "p\(creator)-giveaway", at: time)
        case .collab:
            let partner = (creator + 1) % weights.count
            let kind: InteractionKind = roll < 0.4 ? .like : roll < 0.65 ? .comment : roll < 0.85 ? .share : .view
            return record(
                creator: creator, user: "u\(partner)-\(random.below(followers[partner]))", kind: kind,
                post: "p\(creator)-collab", at: time)
        case .dormancy, .mix:
            return baseEvent()
        }
    }

    /// The kind of an everyday interaction: in quiet hours most are passive views.
    static func kind(_ roll: Double, cycle: Double) -> InteractionKind {
        let views = 0.55 - 0.25 * (cycle - 1) / 0.6
        if roll < views { return .view }
        let rest = (roll - views) / (1 - views)
        return rest < 0.55
            ? .like
            : rest < 0.70 ? .comment : rest < 0.78 ? .reply : rest < 0.88 ? .share : rest < 0.95 ? .save : .mention
    }

    private mutating func snapshot(creator: Int, at time: Int64) -> Record {
        sequence += 1
        let value =
            #"{"event_id":"s\#(settings.seed)-\#(sequence)","ts":\#(time),"creator_id":"c\#(creator)","kind":"followers","count":\#(followers[creator])}"#
        return Record(key: "c\(creator)", value: value, timestamp: time)
    }

    private mutating func record(creator: Int, user: String, kind: InteractionKind, post: String?, at time: Int64)
        -> Record
    {
        sequence += 1
        let postField = post.map { #","post_id":"\#($0)""# } ?? ""
        let value =
            #"{"event_id":"s\#(settings.seed)-\#(sequence)","ts":\#(time),"creator_id":"c\#(creator)","user_id":"\#(user)","kind":"\#(kind.name)"\#(postField)}"#
        return Record(key: "c\(creator)", value: value, timestamp: time)
    }
}
