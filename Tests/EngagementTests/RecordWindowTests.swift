@testable import Engagement
import Testing

@Suite("Sliding and session windows")
struct RecordWindowTests {
    typealias Canonical = HoppingWindowTests.Canonical

    static func run(_ kind: RecordWindowOracle.Kind, scope: StreamTimeScope, stream: [(InteractionEvent, Int32)])
        -> (ours: [Canonical: Int], oracle: [Canonical: Int], late: (Int, Int))
    {
        var aggregator: RecordWindowAggregator
        switch kind {
        case .sliding(let d, let grace): aggregator = RecordWindowAggregator(windows: SlidingWindows(maxDifference: d, grace: grace)!, scope: scope)
        case .session(let gap, let grace): aggregator = RecordWindowAggregator(windows: SessionWindows(gap: gap, grace: grace)!, scope: scope)
        }
        var oracle = RecordWindowOracle(kind: kind, scope: scope)
        var ledger = FollowerLedger(dormantAfter: 86_400_000)
        var ours: [WindowAggregate] = []
        for (event, partition) in stream {
            aggregator.add(event, partition: partition, followers: &ledger) { ours.append($0) }
            oracle.add(event, partition: partition)
        }
        return (HoppingWindowTests.multiset(ours), HoppingWindowTests.multiset(oracle.emitted), (aggregator.lateEvents, oracle.late))
    }

    enum Family: String, CaseIterable { case sliding, session }

    @Test("sliding and session windows equal the brute-force oracle on random streams",
          arguments: Family.allCases, [StreamTimeScope.key, .partition])
    func oracle(family: Family, scope: StreamTimeScope) {
        var random = RandomStream(state: UInt64(family == .sliding ? 10 : 20) + (scope == .key ? 1 : 2))
        for round in 0..<600 {
            let length = Int64(1 + random.next(6)) * 1000
            let grace = Int64(random.next(4)) * 700
            let kind: RecordWindowOracle.Kind = family == .sliding ? .sliding(d: length, grace: grace) : .session(gap: length / 2, grace: grace)
            let stream = random.events(count: 10 + random.next(120), creators: 1 + random.next(6), users: 1 + random.next(20),
                                       partitions: 1 + random.next(3), maxLateness: 2 * length + grace)
            let result = Self.run(kind, scope: scope, stream: stream)
            let same = result.ours == result.oracle
            #expect(same, "round \(round): \(kind): \(result.ours.count) vs \(result.oracle.count) distinct results")
            #expect(result.late.0 == result.late.1, "round \(round)")
            if !same { return }
        }
    }

    /// Sliding windows, max difference 10,000 ms, grace 0, one creator: each row is an event time (ms) and the
    /// windows it closes as (start, end exclusive, events). A window [s, s + 10,000] closes once stream time
    /// passes s + 10,000.
    @Test("worked example: sliding 10 s, grace 0")
    func slidingExample() {
        let rows: [(ts: Int64, emits: [[Int64]])] = [
            (8_000, []),                                     // creates [-2000, 8000]
            (15_000, [[-2_000, 8_001, 1]]),                  // closes it; creates [5000, 15000] and [8001, 18001]
            (20_000, [[5_000, 15_001, 2], [8_001, 18_002, 1]]),  // creates [10000, 20000] and [15001, 25001]
            (40_000, [[10_000, 20_001, 2], [15_001, 25_002, 1]]),
        ]
        var aggregator = RecordWindowAggregator(windows: SlidingWindows(maxDifference: 10_000, grace: 0)!, scope: .key)
        var ledger = FollowerLedger(dormantAfter: 86_400_000)
        for (index, row) in rows.enumerated() {
            var emitted: [WindowAggregate] = []
            let event = InteractionEvent(timestamp: row.ts, creator: 0, user: 1, kind: .like)
            aggregator.add(event, followers: &ledger) { emitted.append($0) }
            #expect(emitted.map { [$0.start, $0.end, Int64($0.counts.total)] } == row.emits, "row \(index)")
        }
    }

    /// Session windows, gap 5 s, grace 1 s, one creator: each row is an event time (s), whether it is late, and the
    /// sessions (first, last, events) it closes.
    @Test("worked example: sessions, gap 5 s, grace 1 s")
    func sessionExample() {
        let rows: [(ts: Int64, late: Bool, emits: [(first: Int64, last: Int64, count: Int)])] = [
            (0, false, []),
            (3, false, []),                // joins [0, 3]
            (20, false, [(0, 3, 2)]),      // 20 > 3 + 5 + 1 closes [0, 3]
            (8, true, []),                 // would start [8, 8], closed since 8 + 5 + 1 < 20
            (17, false, []),               // joins [17, 20]
            (12, false, []),               // 12 + 5 ≥ 17: merges into [12, 20]
            (40, false, [(12, 20, 3)]),
        ]
        var aggregator = RecordWindowAggregator(windows: SessionWindows(gap: 5_000, grace: 1_000)!, scope: .key)
        var ledger = FollowerLedger(dormantAfter: 86_400_000)
        for (index, row) in rows.enumerated() {
            let lateBefore = aggregator.lateEvents
            var emitted: [WindowAggregate] = []
            let event = InteractionEvent(timestamp: row.ts * 1000, creator: 0, user: 1, kind: .like)
            aggregator.add(event, followers: &ledger) { emitted.append($0) }
            #expect((aggregator.lateEvents > lateBefore) == row.late, "row \(index)")
            #expect(emitted.map { [$0.start, $0.end, Int64($0.counts.total)] }
                    == row.emits.map { [$0.first * 1000, $0.last * 1000 + 1, Int64($0.count)] }, "row \(index)")
        }
    }
}
