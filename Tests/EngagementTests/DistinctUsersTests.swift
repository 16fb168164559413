@testable import Engagement
import Testing

@Suite("Distinct users: exact and approximate")
struct DistinctUsersTests {
    static func window(users: Int, mode: DistinctUsersMode, repeats: Int = 2) throws -> (exact: Int, counted: Int) {
        let windows = try #require(HoppingWindows(size: 60_000, advance: 10_000, grace: 0))
        var aggregator = HoppingWindowAggregator(windows: windows, scope: .key, distinctUsers: mode)
        var random = RandomStream(state: UInt64(users))
        var ledger = FollowerLedger(dormantAfter: 86_400_000)
        var results: [WindowAggregate] = []
        // Every user engages `repeats` times, spread over the six panes of the window starting at 0.
        for round in 0..<repeats {
            for user in 0..<users {
                let ts = Int64(random.next(60_000))
                let event = InteractionEvent(timestamp: ts, creator: 0, user: UInt32(user), kind: round == 0 ? .like : .view)
                aggregator.add(event, followers: &ledger) { results.append($0) }
            }
        }
        let end = InteractionEvent(timestamp: 1_000_000, creator: 0, user: 0, kind: .like)
        aggregator.add(end, followers: &ledger) { results.append($0) }
        let window = try #require(results.first { $0.start == 0 })
        return (users, window.distinctUsers)
    }

    @Test("approximate counting stays within 2 % on large audiences", arguments: [20_000, 100_000, 400_000])
    func approximateError(users: Int) throws {
        let result = try Self.window(users: users, mode: .approximate)
        let error = abs(Double(result.counted - result.exact)) / Double(result.exact)
        #expect(error <= 0.02, "\(result.counted) for \(result.exact): \(error * 100) %")
    }

    @Test("exact below the sketch threshold in approximate mode, and always in exact mode", arguments: [1, 500, 4_000])
    func exactWhenSmall(users: Int) throws {
        #expect(try Self.window(users: users, mode: .approximate).counted == users)
        #expect(try Self.window(users: users, mode: .exact).counted == users)
    }

    @Test("HyperLogLog merge estimates the union")
    func merge() {
        var a = HyperLogLog(), b = HyperLogLog()
        for id in 0..<60_000 { a.add(hash: HyperLogLog.mix(UInt32(id))) }
        for id in 30_000..<90_000 { b.add(hash: HyperLogLog.mix(UInt32(id))) }
        a.merge(b)
        #expect(abs(Double(a.estimate) - 90_000) / 90_000 <= 0.02)
        #expect(HyperLogLog().estimate == 0)
    }
}
