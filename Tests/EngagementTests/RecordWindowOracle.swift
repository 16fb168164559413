@testable import Engagement

/// Brute-force sliding and session windows: every decision recomputed from the raw accepted events.
struct RecordWindowOracle {
    enum Kind {
        case sliding(d: Int64, grace: Int64)
        case session(gap: Int64, grace: Int64)
    }

    let kind: Kind
    let scope: StreamTimeScope
    var clocks: [Int64: Int64] = [:]
    var partitionOf: [UInt32: Int32] = [:]
    var accepted: [UInt32: [InteractionEvent]] = [:]   // sliding: all accepted; session: accepted, not yet emitted
    var decided: [UInt32: Set<Int64>] = [:]
    var followers: [UInt32: FollowerOracle] = [:]
    var engagedKinds = EngagedKinds.standard
    var emitted: [WindowAggregate] = []
    var late = 0

    func clockID(_ creator: UInt32) -> Int64 { scope == .key ? Int64(creator) : Int64(partitionOf[creator] ?? 0) }

    mutating func add(_ event: InteractionEvent, partition: Int32) {
        partitionOf[event.creator] = partition
        let id = clockID(event.creator)
        let now = max(clocks[id] ?? .min, event.timestamp)
        clocks[id] = now
        for creator in partitionOf.keys.sorted() where clockID(creator) == id { close(creator, now: now) }
        defer { followers[event.creator, default: FollowerOracle()].apply(event) }
        guard event.kind != .followers else { return }
        // An accepted event keeps, in its otherwise unused `count`, whether its user was a follower then.
        var kept = event
        let follower = engagedKinds.contains(event.kind) && !event.kind.changesFollowers
            && followers[event.creator, default: FollowerOracle()].names.contains(event.user)
        kept.count = follower ? 1 : 0
        if accepts(kept, now: now) { accepted[event.creator, default: []].append(kept) } else { late += 1 }
    }

    func accepts(_ event: InteractionEvent, now: Int64) -> Bool {
        switch kind {
        case .sliding(_, let grace): return event.timestamp + grace >= now
        case .session(let gap, let grace):
            let cluster = Self.clusters(accepted[event.creator, default: []] + [event], gap: gap)
                .first { $0.contains { $0.timestamp == event.timestamp } }!
            return cluster.map(\.timestamp).max()! + gap + grace >= now
        }
    }

    static func clusters(_ events: [InteractionEvent], gap: Int64) -> [[InteractionEvent]] {
        var result: [[InteractionEvent]] = []
        for event in events.sorted(by: { $0.timestamp < $1.timestamp }) {
            if let last = result.last?.last, event.timestamp - last.timestamp <= gap {
                result[result.count - 1].append(event)
            } else {
                result.append([event])
            }
        }
        return result
    }

    mutating func close(_ creator: UInt32, now: Int64) {
        let events = accepted[creator, default: []]
        switch kind {
        case .sliding(let d, let grace):
            let times = Set(events.map(\.timestamp))
            let candidates = Set(events.flatMap { [$0.timestamp - d, $0.timestamp + 1] }).sorted()
            for start in candidates where now > start + d + grace && !decided[creator, default: []].contains(start) {
                decided[creator, default: []].insert(start)
                let inside = events.filter { $0.timestamp >= start && $0.timestamp <= start + d }
                let member = times.contains(start + d) || (times.contains(start - 1) && !inside.isEmpty)
                if member { emit(creator, start: start, end: start + d + 1, inside) }
            }
        case .session(let gap, let grace):
            for cluster in Self.clusters(events, gap: gap) {
                let first = cluster.map(\.timestamp).min()!, last = cluster.map(\.timestamp).max()!
                guard now > last + gap + grace else { continue }
                emit(creator, start: first, end: last + 1, cluster)
                accepted[creator]!.removeAll { event in cluster.contains { $0 == event } }
            }
        }
    }

    mutating func emit(_ creator: UInt32, start: Int64, end: Int64, _ events: [InteractionEvent]) {
        var counts = KindCounts()
        for event in events { counts.add(event.kind) }
        guard counts.total > 0 else { return }
        let named = events.filter { $0.user != InteractionEvent.none }
        let audience = AudienceCounts(
            users: Set(named.map(\.user)).count,
            engaged: Set(named.filter { engagedKinds.contains($0.kind) }.map(\.user)).count,
            reach: Set(named.filter { $0.kind != .follow && $0.kind != .unfollow }.map(\.user)).count,
            engagedFollowers: Set(named.filter { $0.count == 1 }.map(\.user)).count)
        emitted.append(WindowAggregate(
            creator: creator, start: start, end: end, counts: counts, audience: audience,
            score: EngagementWeights.standard.score(counts), followers: followers[creator]?.count ?? 0,
            followersKnown: true))
    }
}
