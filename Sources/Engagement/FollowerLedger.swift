import CPrefetch

/// Per creator, the follower count and — when it tracks followers by name — each follower's last engagement, to
/// tell engaged, active and dormant followers apart.
///
/// The count is a fact, not a guess: the last `followers` snapshot plus follows minus unfollows since, never below
/// zero and never below the followers known by name. An unfollow of a follower the ledger does not know is absorbed
/// by the snapshot's anonymous followers when there are any; otherwise it is counted as *unmatched*, not subtracted.
/// A repeated follow of a known follower changes nothing.
///
/// Tracking by name (`tracksFollowers`) keeps one `PairTable` entry per (creator, follower): minutes since 2000 of
/// the follow or last engagement, shifted left once, with the low bit set once the follower engaged after following;
/// 16 to 32 bytes per pair. A follower is dormant after `dormantAfter` without an engaged-kind event (the follow
/// itself starts the clock); views alone keep nobody active. Pure: time comes from the events and the caller.
public struct FollowerLedger: Sendable, Equatable {
    /// How long a follower may go without engaging before counting as dormant, milliseconds.
    public let dormantAfter: Int64
    /// The kinds that count as engagement.
    public let engagedKinds: EngagedKinds
    /// Whether followers are known by name (pairs), or only counted.
    public let tracksFollowers: Bool
    var table = PairTable()
    var creators: [CreatorFollowers] = []
    var lastReport: Int64?
    /// Each reported creator's figures in its previous report, for the next one's changes.
    var previousReports: [UInt32: FollowerHealth.Figures] = [:]

    /// Fields ordered widest first, so they leave no padding (48 bytes a creator).
    struct CreatorFollowers: Sendable, Equatable {
        var netSinceSnapshot: Int64 = 0
        var unmatched: Int64 = 0
        var firstSeen: Int64 = .max
        var snapshot: Int64?
        var tracked: Int32 = 0
        var reactivated: Int32 = 0

        /// The follower count: never negative, never below the followers known by name.
        var followers: Int64 { max((snapshot ?? 0) + netSinceSnapshot, Int64(tracked), 0) }
    }

    /// Creates an empty ledger; `tracksFollowers` false keeps counts only (no pairs: no engaged followers, no
    /// dormancy, repeated follows counted).
    public init(dormantAfter: Int64, engagedKinds: EngagedKinds = .standard, tracksFollowers: Bool = true) {
        self.dormantAfter = max(dormantAfter, 60_000)
        self.engagedKinds = engagedKinds
        self.tracksFollowers = tracksFollowers
    }

    /// (creator, follower) pairs held.
    public var pairs: Int { table.count }
    /// Bytes held by the pair table and the per-creator counters.
    public var storageBytes: Int { table.storageBytes + creators.count * MemoryLayout<CreatorFollowers>.stride }

    /// When the ledger first saw `creator` (epoch ms), or nil.
    public func firstSeen(creator: UInt32) -> Int64? {
        Int(creator) < creators.count && creators[Int(creator)].firstSeen != .max ? creators[Int(creator)].firstSeen : nil
    }

    /// Starts loading `creator`'s counters for an event a few records ahead (its windows' results read the count);
    /// changes nothing.
    @inline(__always)
    public func prefetch(creator: UInt32) {
        creators.withUnsafeBufferPointer { all in
            guard Int(creator) < all.count else { return }
            let first = UnsafeRawPointer(all.baseAddress! + Int(creator))
            resonance_prefetch(first)
            resonance_prefetch(first + (MemoryLayout<CreatorFollowers>.size - 1))
        }
    }

    /// `creator`'s follower count now (0 for a creator never seen).
    @inline(__always)
    public func followers(of creator: UInt32) -> Int64 {
        Int(creator) < creators.count ? creators[Int(creator)].followers : 0
    }

    /// Unfollows of `creator` that no known follower and no snapshot could absorb.
    public func unmatchedUnfollows(of creator: UInt32) -> Int64 {
        Int(creator) < creators.count ? creators[Int(creator)].unmatched : 0
    }

    /// Unfollows no known follower and no snapshot could absorb, over all creators.
    public var unmatchedUnfollows: Int64 { creators.reduce(0) { $0 + $1.unmatched } }

    /// Applies an event: follows and unfollows change the follower set and count, engaged-kind events by a follower
    /// refresh them, `followers` snapshots reset the count. Returns whether an engaged-kind event came from a
    /// follower known by name (false for every other event).
    @discardableResult
    public mutating func apply(_ event: InteractionEvent) -> Bool {
        switch event.kind {
        case .follow: follow(creator: event.creator, user: event.user, at: event.timestamp)
        case .unfollow: unfollow(creator: event.creator, user: event.user, at: event.timestamp)
        case .followers: snapshot(creator: event.creator, count: event.count, at: event.timestamp)
        default:
            if engagedKinds.contains(event.kind) { return engage(creator: event.creator, user: event.user, at: event.timestamp) }
        }
        return false
    }

    /// `user` follows `creator` from `time`.
    public mutating func follow(creator: UInt32, user: UInt32, at time: Int64) {
        touch(creator, at: time)
        guard tracksFollowers else {
            creators[Int(creator)].netSinceSnapshot += 1
            return
        }
        let stamp = Self.stamp(time, engaged: false)
        let old = table.update(creator: creator, user: user) { old in old.map { max($0 >> 1, stamp >> 1) << 1 | $0 & 1 } ?? stamp }
        guard old == nil else { return }  // a repeated follow
        creators[Int(creator)].tracked += 1
        creators[Int(creator)].netSinceSnapshot += 1
    }

    /// `user` stops following `creator`.
    public mutating func unfollow(creator: UInt32, user: UInt32, at time: Int64) {
        touch(creator, at: time)
        let index = Int(creator)
        if tracksFollowers, table.remove(creator: creator, user: user) != nil {
            creators[index].tracked -= 1
            creators[index].netSinceSnapshot -= 1
        } else if creators[index].followers > Int64(creators[index].tracked) {
            creators[index].netSinceSnapshot -= 1  // one of the followers not known by name
        } else {
            creators[index].unmatched += 1
        }
    }

    /// `creator` reports `count` followers at `time`.
    public mutating func snapshot(creator: UInt32, count: Int64, at time: Int64) {
        touch(creator, at: time)
        creators[Int(creator)].snapshot = count
        creators[Int(creator)].netSinceSnapshot = 0
    }

    /// `user` engaged with `creator` at `time`; counts only when `user` is a follower known by name, and returns
    /// whether they are.
    @discardableResult
    public mutating func engage(creator: UInt32, user: UInt32, at time: Int64) -> Bool {
        guard tracksFollowers, Int(creator) < creators.count, creators[Int(creator)].tracked > 0 else { return false }
        let stamp = Self.stamp(time, engaged: true)
        var wasDormant = false
        var follows = false
        let dormantBefore = Self.minutes(time - dormantAfter)
        table.updateIfPresent(creator: creator, user: user) { old in
            follows = true
            wasDormant = Self.minutes(of: old) < dormantBefore
            return max(old, stamp) | 1
        }
        if wasDormant { creators[Int(creator)].reactivated += 1 }
        return follows
    }

    private mutating func touch(_ creator: UInt32, at time: Int64) {
        let index = Int(creator)
        if index >= creators.count { creators += repeatElement(CreatorFollowers(), count: index + 1 - creators.count) }
        creators[index].firstSeen = min(creators[index].firstSeen, time)
    }

    /// The health of every creator with followers as of `time`, in creator order; starts the next reporting period
    /// (newly dormant, reactivated and engaged count from the previous report, changes against it).
    public mutating func report(asOf time: Int64) -> [FollowerHealth] {
        let previous = lastReport ?? .min
        lastReport = time
        let dormantBefore = Self.minutes(time - dormantAfter)
        let wasDormantBefore = previous == .min ? Int32.min : Self.minutes(previous - dormantAfter)
        let periodStart = previous == .min ? Int32.min : Self.minutes(previous)
        let weekStart = Self.minutes(time - 7 * Self.day), monthStart = Self.minutes(time - 30 * Self.day)
        var dormant = [Int](repeating: 0, count: creators.count)
        var newlyDormant = dormant, engaged = dormant, engagedWeek = dormant, engagedMonth = dormant
        table.forEach { creator, _, value in
            let minutes = Self.minutes(of: value), index = Int(creator)
            if minutes < dormantBefore {
                dormant[index] += 1
                if minutes >= wasDormantBefore { newlyDormant[index] += 1 }
            }
            guard value & 1 == 1 else { return }
            if minutes >= periodStart { engaged[index] += 1 }
            if minutes >= weekStart { engagedWeek[index] += 1 }
            if minutes >= monthStart { engagedMonth[index] += 1 }
        }
        var reports: [FollowerHealth] = []
        for index in creators.indices where creators[index].tracked > 0 || creators[index].snapshot != nil {
            let counters = creators[index]
            let tracked = Int(counters.tracked)
            let figures = FollowerHealth.Figures(
                followers: counters.followers, engagedFollowers7d: engagedWeek[index],
                engagedFollowers30d: engagedMonth[index], dormantShare: tracked > 0 ? Double(dormant[index]) / Double(tracked) : nil)
            reports.append(FollowerHealth(
                creator: UInt32(index), asOf: time, followers: counters.followers,
                trackedFollowers: tracked, active: tracked - dormant[index], dormant: dormant[index],
                newlyDormant: newlyDormant[index], reactivated: Int(counters.reactivated), engaged: engaged[index],
                engagedFollowers7d: engagedWeek[index], engagedFollowers30d: engagedMonth[index],
                unmatchedUnfollows: counters.unmatched, previous: previousReports[UInt32(index)]))
            creators[index].reactivated = 0
            previousReports[UInt32(index)] = figures
        }
        return reports
    }

    /// Creators with a follower count or followers (their ids must survive interner compaction).
    public var liveCreators: [UInt32] {
        creators.indices.filter {
            creators[$0].tracked > 0 || creators[$0].snapshot != nil || creators[$0].netSinceSnapshot != 0 || creators[$0].unmatched != 0
        }.map(UInt32.init)
    }

    /// Users who follow someone (their ids must survive interner compaction).
    public var liveUsers: [UInt32] {
        var users: [UInt32] = []
        users.reserveCapacity(table.count)
        table.forEach { _, user, _ in users.append(user) }
        return users
    }

    /// Renumbers creators and users after their interners were compacted (`mapping[old]` = new id, `UInt32.max` =
    /// dropped).
    public mutating func remap(creators creatorMapping: [UInt32]?, users userMapping: [UInt32]?) {
        table.remap(creators: creatorMapping, users: userMapping)
        guard let creatorMapping else { return }
        var moved = [CreatorFollowers](repeating: CreatorFollowers(), count: (creatorMapping.max().map { Int($0 == .max ? 0 : $0) } ?? 0) + 1)
        for (old, new) in creatorMapping.enumerated() where new != .max && old < creators.count {
            moved[Int(new)] = creators[old]
        }
        creators = moved
        previousReports = Dictionary(uniqueKeysWithValues: previousReports.compactMap { creator, figures in
            Int(creator) < creatorMapping.count && creatorMapping[Int(creator)] != .max ? (creatorMapping[Int(creator)], figures) : nil
        })
        var tracked = [Int32](repeating: 0, count: creators.count)
        table.forEach { creator, _, _ in tracked[Int(creator)] += 1 }
        for index in creators.indices { creators[index].tracked = tracked[index] }
    }

    private static let epoch: Int64 = 946_684_800_000  // 2000-01-01, milliseconds
    private static let day: Int64 = 86_400_000

    static func minutes(_ time: Int64) -> Int32 {
        let offset = time - epoch
        return Int32(clamping: offset >= 0 ? offset / 60_000 : (offset - 59_999) / 60_000)
    }

    static func stamp(_ time: Int64, engaged: Bool) -> Int32 {
        Int32(clamping: Int64(minutes(time)) << 1) | (engaged ? 1 : 0)
    }

    static func minutes(of stamp: Int32) -> Int32 { stamp >> 1 }
}
