import Engagement
import Testing

@Suite("Follower ledger")
struct FollowerLedgerTests {
    static let day: Int64 = 86_400_000
    static let t0: Int64 = 1_700_000_000_000 / day * day

    @Test("followers go dormant after dormant_after without engagement; engagement keeps or brings them back")
    func dormancy() {
        var ledger = FollowerLedger(dormantAfter: 30 * Self.day)
        for user: UInt32 in 0..<10 { ledger.follow(creator: 1, user: user, at: Self.t0) }
        ledger.engage(creator: 1, user: 0, at: Self.t0 + 20 * Self.day)
        ledger.engage(creator: 1, user: 99, at: Self.t0 + 20 * Self.day)  // not a follower: ignored
        ledger.apply(InteractionEvent(timestamp: Self.t0 + 25 * Self.day, creator: 1, user: 1, kind: .view))  // views are not engagement
        let first = ledger.report(asOf: Self.t0 + 29 * Self.day)
        #expect(first.count == 1)
        #expect(first.first.map { [$0.trackedFollowers, $0.active, $0.dormant, $0.engaged] } == [10, 10, 0, 1])
        let second = ledger.report(asOf: Self.t0 + 31 * Self.day)
        #expect(second.first.map { [$0.active, $0.dormant, $0.newlyDormant] } == [1, 9, 9])
        #expect(second.first?.dormantShare == 0.9)
        ledger.engage(creator: 1, user: 5, at: Self.t0 + 32 * Self.day)  // dormant, now back
        let third = ledger.report(asOf: Self.t0 + 33 * Self.day)
        #expect(third.first.map { [$0.active, $0.dormant, $0.newlyDormant, $0.reactivated, $0.engaged] } == [2, 8, 0, 1, 1])
        #expect(ledger.report(asOf: Self.t0 + 34 * Self.day).first?.reactivated == 0)
    }

    @Test("a follower who unfollows and follows again is one fresh follower; unfollowing a stranger changes nothing tracked")
    func unfollowAndFollowAgain() {
        var ledger = FollowerLedger(dormantAfter: 30 * Self.day)
        ledger.follow(creator: 2, user: 7, at: Self.t0)
        ledger.follow(creator: 2, user: 8, at: Self.t0)
        ledger.unfollow(creator: 2, user: 7, at: Self.t0 + Self.day)
        ledger.unfollow(creator: 2, user: 42, at: Self.t0 + Self.day)
        #expect(ledger.pairs == 1)
        ledger.follow(creator: 2, user: 7, at: Self.t0 + 40 * Self.day)
        let health = ledger.report(asOf: Self.t0 + 41 * Self.day)
        #expect(health.first.map { [$0.trackedFollowers, $0.active, $0.dormant] } == [2, 1, 1])
        // The live count follows every follow and unfollow seen, the stranger's included.
        #expect(health.first?.followers == 2)
    }

    @Test("a followers snapshot sets the live count; later follows and unfollows move it")
    func snapshot() {
        var ledger = FollowerLedger(dormantAfter: Self.day)
        ledger.snapshot(creator: 0, count: 1000, at: Self.t0)
        ledger.follow(creator: 0, user: 1, at: Self.t0 + 1)
        ledger.follow(creator: 0, user: 2, at: Self.t0 + 2)
        ledger.unfollow(creator: 0, user: 1, at: Self.t0 + 3)
        let health = ledger.report(asOf: Self.t0 + 10)
        #expect(health.first.map { [Int($0.followers), $0.trackedFollowers] } == [1001, 1])
    }

    @Test("the pair table agrees with a dictionary under random follows, unfollows and engagement")
    func pairTableOracle() {
        var table = PairTable()
        var oracle: [UInt64: Int32] = [:]
        var state: UInt64 = 17
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        for step in 0..<200_000 {
            let creator = UInt32(next(50)), user = UInt32(next(2000)), key = UInt64(creator) << 32 | UInt64(user)
            switch next(3) {
            case 0:
                table.update(creator: creator, user: user) { _ in Int32(step) }
                oracle[key] = Int32(step)
            case 1:
                #expect(table.remove(creator: creator, user: user) == oracle.removeValue(forKey: key))
            default:
                #expect(table.value(creator: creator, user: user) == oracle[key])
            }
        }
        #expect(table.count == oracle.count)
        var seen = 0
        table.forEach { creator, user, value in
            seen += 1
            if oracle[UInt64(creator) << 32 | UInt64(user)] != value { Issue.record("pair \(creator)/\(user) differs") }
        }
        #expect(seen == oracle.count)
    }

    @Test("at scale the ledger costs at most 32 bytes per (creator, follower) pair", arguments: [100_000, 1_000_000])
    func bytesPerPair(pairs: Int) {
        var ledger = FollowerLedger(dormantAfter: 30 * Self.day)
        for index in 0..<pairs {
            ledger.follow(creator: UInt32(index % 1000), user: UInt32(index / 1000), at: Self.t0 + Int64(index))
        }
        #expect(ledger.pairs == pairs)
        #expect(Double(ledger.storageBytes) / Double(pairs) <= 32)
    }
}
