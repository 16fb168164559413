@testable import Engagement
import Testing

@Suite("Hopping windows")
struct HoppingWindowTests {
    struct Canonical: Hashable {
        var creator: UInt32, start: Int64, end: Int64, counts: [Int], distinct: Int, score: Double, followers: Int64
        var engaged: Int, reach: Int, engagedFollowers: Int?
        var returning: Int?
        init(_ a: WindowAggregate) {
            creator = a.creator; start = a.start; end = a.end
            counts = InteractionKind.counted.map { a.counts[$0] }
            distinct = a.distinctUsers; score = a.score; followers = a.followers; returning = a.returningUsers
            engaged = a.engagedUsers; reach = a.reach; engagedFollowers = a.engagedFollowers
        }
    }

    static func multiset(_ aggregates: [WindowAggregate]) -> [Canonical: Int] {
        aggregates.reduce(into: [:]) { $0[Canonical($1), default: 0] += 1 }
    }

    @Test("equals the brute-force oracle on thousands of random streams", arguments: [StreamTimeScope.key, .partition])
    func oracle(scope: StreamTimeScope) throws {
        var random = RandomStream(state: scope == .key ? 1 : 2)
        for round in 0..<1500 {
            let advance = Int64([1, 2, 5, 10][random.next(4)] * 1000)
            let size = advance * Int64(1 + random.next(6))
            let grace = Int64(random.next(4)) * 1500
            let windows = try #require(HoppingWindows(size: size, advance: advance, grace: grace))
            let stream = random.events(count: 20 + random.next(180), creators: 1 + random.next(12), users: 1 + random.next(40),
                                       partitions: 1 + random.next(3), maxLateness: size + grace)
            let horizon: Int64? = [nil, 5_000, 30_000, 120_000][random.next(4)]
            let engagedKinds = [EngagedKinds.standard, .all, EngagedKinds([.view, .follow])][random.next(3)]
            var aggregator = HoppingWindowAggregator(
                windows: windows, scope: scope, engagedKinds: engagedKinds, activityHorizon: horizon)
            var ledger = FollowerLedger(dormantAfter: 86_400_000, engagedKinds: engagedKinds)
            var oracle = WindowOracle(windows: windows, scope: scope)
            oracle.horizon = horizon
            oracle.engagedKinds = engagedKinds
            var ours: [WindowAggregate] = []
            for (event, partition) in stream {
                aggregator.add(event, partition: partition, followers: &ledger) { ours.append($0) }
                oracle.add(event, partition: partition)
            }
            let same = Self.multiset(ours) == Self.multiset(oracle.emitted)
            #expect(same, "round \(round): size \(size) advance \(advance) grace \(grace): \(ours.count) vs \(oracle.emitted.count) results")
            #expect(aggregator.lateEvents == oracle.late, "round \(round)")
            if !same { return }
        }
    }

    /// A worked example (per-key stream time, 10 s windows advancing 5 s, grace 2 s), as a table: each row is an
    /// event and the windows it closes, as (start, events, distinct users). A window [s, s+10) closes when stream
    /// time reaches s + 12.
    @Test("worked example: hopping 10 s / 5 s, grace 2 s")
    func workedExample() throws {
        let windows = try #require(HoppingWindows(size: 10_000, advance: 5_000, grace: 2_000))
        let rows: [(ts: Int64, user: UInt32, emits: [(start: Int64, count: Int, distinct: Int)], late: Bool)] = [
            (1_000, 1, [], false),                               // into [-5,5) and [0,10)
            (6_000, 2, [], false),                               // into [0,10) and [5,15)
            (4_000, 1, [], false),                               // out of order, both windows open
            (12_000, 3, [(-5_000, 2, 1), (0, 3, 2)], false),     // stream time 12 closes [-5,5) (7) and [0,10) (12)
            (3_000, 4, [], true),                                // both its windows closed: late, dropped
            (17_000, 5, [(5_000, 2, 2)], false),                 // closes [5,15) (17)
            (30_000, 6, [(10_000, 2, 2), (15_000, 1, 1)], false), // closes [10,20) and [15,25); [20,30) stays open (32)
        ]
        var aggregator = HoppingWindowAggregator(windows: windows, scope: .key)
        var ledger = FollowerLedger(dormantAfter: 86_400_000)
        for (index, row) in rows.enumerated() {
            let lateBefore = aggregator.lateEvents
            var emitted: [WindowAggregate] = []
            let event = InteractionEvent(timestamp: row.ts, creator: 0, user: row.user, kind: .like)
            aggregator.add(event, followers: &ledger) { emitted.append($0) }
            #expect((aggregator.lateEvents > lateBefore) == row.late, "row \(index)")
            #expect(emitted.map(\.start) == row.emits.map(\.start), "row \(index)")
            #expect(emitted.map(\.counts.total) == row.emits.map(\.count), "row \(index)")
            #expect(emitted.map(\.distinctUsers) == row.emits.map(\.distinct), "row \(index)")
        }
    }

    @Test("onUpdate emits every changed window's running value; the last update of a window equals its final")
    func onUpdate() throws {
        let windows = try #require(HoppingWindows(size: 20_000, advance: 10_000, grace: 0))
        var random = RandomStream(state: 7)
        let stream = random.events(count: 400, creators: 3, users: 10, partitions: 1, maxLateness: 20_000)
        var final = HoppingWindowAggregator(windows: windows, scope: .key)
        var updating = HoppingWindowAggregator(windows: windows, scope: .key, emission: .onUpdate)
        var finals: [WindowAggregate] = []
        var updates: [WindowAggregate] = []
        var lateSeen = 0
        var ledgers = (FollowerLedger(dormantAfter: 86_400_000), FollowerLedger(dormantAfter: 86_400_000))
        for (event, partition) in stream {
            final.add(event, partition: partition, followers: &ledgers.0) { finals.append($0) }
            updating.add(
                event, partition: partition, followers: &ledgers.1, emit: { updates.append($0) },
                late: { _ in lateSeen += 1 })
        }
        #expect(lateSeen == updating.lateEvents)
        var lastUpdate: [WindowOracle.Key: WindowAggregate] = [:]
        for update in updates { lastUpdate[WindowOracle.Key(creator: update.creator, start: update.start)] = update }
        for result in finals {
            let last = lastUpdate[WindowOracle.Key(creator: result.creator, start: result.start)]
            #expect(last?.counts == result.counts)
            #expect(last?.distinctUsers == result.distinctUsers)
        }
        #expect(updates.count > finals.count)
    }

    @Test("tumbling windows are hopping windows with advance == size; invalid specs are refused")
    func specs() {
        #expect(HoppingWindows.tumbling(size: 60_000, grace: 0) == HoppingWindows(size: 60_000, advance: 60_000, grace: 0))
        #expect(HoppingWindows(size: 60_000, advance: 7_000, grace: 0) == nil)
        #expect(HoppingWindows(size: 60_000, advance: 0, grace: 0) == nil)
        #expect(HoppingWindows(size: 60_000, advance: 10_000, grace: -1) == nil)
    }
}
