@testable import Engagement

/// The brute-force definition of hopping-window results: every window of every event kept as its own explicit
/// list of events, closed by scanning all windows after each event; followers as a plain set per creator. Slow and
/// obviously right.
struct WindowOracle {
    struct Key: Hashable { var creator: UInt32; var start: Int64 }
    struct Entry { var kind: InteractionKind; var user: UInt32; var follower: Bool }
    struct Window { var entries: [Entry] = [] }

    let windows: HoppingWindows
    let scope: StreamTimeScope
    var engagedKinds = EngagedKinds.standard
    var streamTime: [Int64: Int64] = [:]  // clock id (creator or partition) → max ts
    var open: [Key: Window] = [:]
    var closed: Set<Key> = []
    var partitionOf: [UInt32: Int32] = [:]
    var emitted: [WindowAggregate] = []
    var followers: [UInt32: FollowerOracle] = [:]
    var horizon: Int64?
    var engagedPanes: [Key: [Int64]] = [:]  // (creator, user as start) → pane starts of every engaged event seen
    var late = 0

    init(windows: HoppingWindows, scope: StreamTimeScope) {
        self.windows = windows
        self.scope = scope
    }

    func clock(_ creator: UInt32, _ partition: Int32) -> Int64 {
        scope == .key ? Int64(creator) : Int64(partition)
    }

    func isClosed(_ start: Int64, at time: Int64) -> Bool {
        time >= start + windows.size + windows.grace
    }

    mutating func add(_ event: InteractionEvent, partition: Int32) {
        partitionOf[event.creator] = partition
        let id = clock(event.creator, partition)
        let time = max(streamTime[id] ?? .min, event.timestamp)
        streamTime[id] = time
        defer { followers[event.creator, default: FollowerOracle()].apply(event) }
        if event.kind == .followers {
            closeAll()
            return
        }
        let engaged = engagedKinds.contains(event.kind)
        // Follows and unfollows are never an engaged follower's engagement, even where they count as engaged.
        let follower = engaged && !event.kind.changesFollowers
            && followers[event.creator, default: FollowerOracle()].names.contains(event.user)
        defer {
            let pane = event.timestamp - ((event.timestamp % windows.advance) + windows.advance) % windows.advance
            if engaged { engagedPanes[Key(creator: event.creator, start: Int64(event.user)), default: []].append(pane) }
        }
        var added = false
        // Every aligned start s with ts - size < s <= ts.
        var start = event.timestamp - ((event.timestamp % windows.advance) + windows.advance) % windows.advance
        while start > event.timestamp - windows.size {
            let key = Key(creator: event.creator, start: start)
            if !isClosed(start, at: time) && !closed.contains(key) {
                open[key, default: Window()].entries.append(Entry(kind: event.kind, user: event.user, follower: follower))
                added = true
            }
            start -= windows.advance
        }
        if !added { late += 1 }
        closeAll()
    }

    mutating func closeAll() {
        for (key, window) in open {
            let id = clock(key.creator, partitionOf[key.creator] ?? 0)
            guard isClosed(key.start, at: streamTime[id] ?? .min) else { continue }
            var counts = KindCounts()
            for entry in window.entries { counts.add(entry.kind) }
            let named = window.entries.filter { $0.user != InteractionEvent.none }
            let engagedUsers = Set(named.filter { engagedKinds.contains($0.kind) }.map(\.user))
            let audience = AudienceCounts(
                users: Set(named.map(\.user)).count, engaged: engagedUsers.count,
                reach: Set(named.filter { $0.kind != .follow && $0.kind != .unfollow }.map(\.user)).count,
                engagedFollowers: Set(named.filter { engagedKinds.contains($0.kind) && $0.follower }.map(\.user)).count)
            let returning = horizon.map { horizon in
                engagedUsers.filter { user in
                    engagedPanes[Key(creator: key.creator, start: Int64(user)), default: []]
                        .contains { $0 >= key.start - horizon && $0 < key.start }
                }.count
            }
            emitted.append(WindowAggregate(
                creator: key.creator, start: key.start, end: key.start + windows.size, counts: counts,
                audience: audience, score: EngagementWeights.standard.score(counts),
                followers: followers[key.creator]?.count ?? 0, followersKnown: true, returningUsers: returning))
            open[key] = nil
            closed.insert(key)
        }
    }
}

/// The follower rule of `FollowerLedger` stated with a set: the last snapshot plus follows minus unfollows since,
/// never below zero nor below the followers known by name; a repeated follow changes nothing; an unfollow of an
/// unknown user is absorbed by followers not known by name, or else counted as unmatched.
struct FollowerOracle {
    var names: Set<UInt32> = []
    var snapshot: Int64?
    var net: Int64 = 0
    var unmatched: Int64 = 0

    var count: Int64 { max((snapshot ?? 0) + net, Int64(names.count), 0) }

    mutating func apply(_ event: InteractionEvent) {
        switch event.kind {
        case .follow:
            if names.insert(event.user).inserted { net += 1 }
        case .unfollow:
            if names.remove(event.user) != nil || count > Int64(names.count) { net -= 1 } else { unmatched += 1 }
        case .followers:
            snapshot = event.count
            net = 0
        default:
            break
        }
    }
}

/// A seeded generator of out-of-order event streams with late events and many creators.
struct RandomStream {
    var state: UInt64

    mutating func next(_ bound: Int) -> Int {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Int((state >> 33) % UInt64(bound))
    }

    /// Events with partitions; creators map to fixed partitions as Kafka keys do.
    mutating func events(count: Int, creators: Int, users: Int, partitions: Int, maxLateness: Int64) -> [(InteractionEvent, Int32)] {
        var time: Int64 = Int64(next(1_000_000)) - 500_000
        return (0..<count).map { _ in
            time += Int64(next(2_000))
            var ts = time
            switch next(100) {
            case 0..<10: ts -= Int64(next(Int(maxLateness)))            // out of order
            case 10..<13: ts -= Int64(next(Int(maxLateness) * 4))       // very late
            default: break
            }
            let creator = UInt32(next(creators))
            let kind = InteractionKind.allCases[next(InteractionKind.allCases.count)]
            let event = kind == .followers
                ? InteractionEvent(timestamp: ts, creator: creator, user: InteractionEvent.none, kind: kind, count: Int64(next(500)))
                : InteractionEvent(timestamp: ts, creator: creator, user: UInt32(next(users)), kind: kind)
            return (event, Int32(creator) % Int32(partitions))
        }
    }
}
