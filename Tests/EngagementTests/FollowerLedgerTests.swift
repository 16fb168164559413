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
        // Without a snapshot the stranger's unfollow has nobody to remove: counted as unmatched, not subtracted.
        #expect(health.first?.followers == 2)
        #expect(health.first?.unmatchedUnfollows == 1)
    }

    /// The follower count, step by step: each row is an event and the count and unmatched unfollows after it.
    @Test("worked example: the follower count is a fact, never negative")
    func followerCount() {
        let rows: [(kind: InteractionKind, user: UInt32, count: Int64, followers: Int64, unmatched: Int64)] = [
            (.unfollow, 9, 0, 0, 1),      // nobody to unfollow: unmatched, not -1
            (.follow, 1, 0, 1, 1),
            (.follow, 1, 0, 1, 1),        // a repeated follow changes nothing
            (.followers, 0, 3, 3, 1),     // a snapshot: 3 followers, one of them known by name
            (.unfollow, 8, 0, 2, 1),      // a stranger: one of the two followers not known by name leaves
            (.unfollow, 7, 0, 1, 1),
            (.unfollow, 6, 0, 1, 2),      // only the known follower is left: unmatched
            (.unfollow, 1, 0, 0, 2),
            (.followers, 0, 0, 0, 2),
            (.follow, 2, 0, 1, 2),
            (.followers, 0, 0, 1, 2),     // a snapshot below the followers known by name: they still count
        ]
        var ledger = FollowerLedger(dormantAfter: 30 * Self.day)
        for (index, row) in rows.enumerated() {
            let user = row.kind == .followers ? InteractionEvent.none : row.user
            ledger.apply(InteractionEvent(timestamp: Self.t0 + Int64(index), creator: 0, user: user, kind: row.kind, count: row.count))
            #expect(ledger.followers(of: 0) == row.followers, "row \(index)")
            #expect(ledger.unmatchedUnfollows(of: 0) == row.unmatched, "row \(index)")
        }
    }

    @Test("without followers by name the ledger only counts: never negative, unmatched below zero")
    func countsOnly() {
        var ledger = FollowerLedger(dormantAfter: 30 * Self.day, tracksFollowers: false)
        ledger.unfollow(creator: 0, user: 1, at: Self.t0)
        ledger.follow(creator: 0, user: 1, at: Self.t0)
        ledger.follow(creator: 0, user: 2, at: Self.t0)
        ledger.unfollow(creator: 0, user: 3, at: Self.t0)
        #expect(ledger.followers(of: 0) == 1)
        #expect(ledger.unmatchedUnfollows(of: 0) == 1)
        #expect(ledger.pairs == 0)
        let known = ledger.engage(creator: 0, user: 2, at: Self.t0)
        #expect(!known)
    }

    @Test("the community view: engaged followers over 7 and 30 days, their shares, and changes since the last report")
    func communityView() {
        var ledger = FollowerLedger(dormantAfter: 30 * Self.day)
        ledger.snapshot(creator: 0, count: 8, at: Self.t0)
        for user: UInt32 in 0..<4 { ledger.follow(creator: 0, user: user, at: Self.t0) }  // 12 followers, 4 by name
        ledger.apply(InteractionEvent(timestamp: Self.t0 + Self.day, creator: 0, user: 0, kind: .like))
        ledger.apply(InteractionEvent(timestamp: Self.t0 + 20 * Self.day, creator: 0, user: 1, kind: .comment))
        ledger.apply(InteractionEvent(timestamp: Self.t0 + 20 * Self.day, creator: 0, user: 2, kind: .view))  // reach only
        let first = ledger.report(asOf: Self.t0 + 25 * Self.day)
        #expect(first.first.map { [$0.engagedFollowers7d, $0.engagedFollowers30d] } == [1, 2])
        #expect(first.first?.engagedShare7d == 1.0 / 12)
        #expect(first.first?.engagedShare30d == 2.0 / 12)
        #expect(first.first?.previous == nil)
        ledger.unfollow(creator: 0, user: 3, at: Self.t0 + 30 * Self.day)
        let second = ledger.report(asOf: Self.t0 + 35 * Self.day)  // user 0's like is now 34 days old
        #expect(second.first.map { [$0.engagedFollowers7d, $0.engagedFollowers30d] } == [0, 1])
        #expect(second.first?.previous?.followers == 12)
        #expect(second.first?.followers == 11)
        #expect(second.first?.previous?.engagedFollowers30d == 2)
    }

    @Test("property: for any snapshots, follows, unfollows and engagement, followers ≥ 0 and engaged follower share in [0, 1]")
    func neverNegative() throws {
        var random = RandomStream(state: 99)
        let windows = try #require(HoppingWindows(size: 20_000, advance: 10_000, grace: 0))
        for round in 0..<300 {
            var ledger = FollowerLedger(dormantAfter: Self.day, tracksFollowers: round % 3 != 0)
            var aggregator = HoppingWindowAggregator(windows: windows, scope: .key)
            var results: [WindowAggregate] = []
            var time = Self.t0
            for _ in 0..<(50 + random.next(400)) {
                time += Int64(random.next(3_000))
                let creator = UInt32(random.next(3))
                let kind: InteractionKind = [.follow, .unfollow, .unfollow, .followers, .like, .comment, .view][random.next(7)]
                let event = kind == .followers
                    ? InteractionEvent(timestamp: time, creator: creator, user: InteractionEvent.none, kind: kind, count: Int64(random.next(6)))
                    : InteractionEvent(timestamp: time, creator: creator, user: UInt32(random.next(12)), kind: kind)
                aggregator.add(event, followers: &ledger) { results.append($0) }
                #expect(ledger.followers(of: creator) >= 0, "round \(round)")
            }
            for result in results {
                #expect(result.followers >= 0, "round \(round)")
                if let share = result.engagedFollowerShare { #expect(share >= 0 && share <= 1, "round \(round)") }
                #expect(result.engagedFollowers.map { $0 <= result.engagedUsers } ?? true)
            }
            for health in ledger.report(asOf: time) {
                #expect(health.followers >= 0)
                for share in [health.engagedShare7d, health.engagedShare30d].compactMap({ $0 }) { #expect(share >= 0 && share <= 1) }
            }
        }
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
