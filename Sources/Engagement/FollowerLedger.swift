/// Per creator, the followers and each one's last engagement, to tell active from dormant followers.
///
/// One `PairTable` entry per (creator, follower): minutes since 2000 of the follow or last engagement, shifted left
/// once, with the low bit set once the follower engaged after following; 16 to 32 bytes per pair. A follower is
/// dormant after `dormantAfter` without engagement (the follow itself starts the clock). Views are not engagement;
/// follows, unfollows and snapshots are bookkeeping. Pure: time comes from the events and the caller.
public struct FollowerLedger: Sendable, Equatable {
    /// How long a follower may go without engaging before counting as dormant, milliseconds.
    public let dormantAfter: Int64
    var table = PairTable()
    var creators: [CreatorFollowers] = []
    var lastReport: Int64?

    struct CreatorFollowers: Sendable, Equatable {
        var tracked: Int32 = 0
        var snapshot: Int64?
        var netSinceSnapshot: Int64 = 0
        var reactivated: Int32 = 0
        var firstSeen: Int64 = .max
    }

    /// Creates an empty ledger.
    public init(dormantAfter: Int64) { self.dormantAfter = max(dormantAfter, 60_000) }

    /// (creator, follower) pairs held.
    public var pairs: Int { table.count }
    /// Bytes held by the pair table and the per-creator counters.
    public var storageBytes: Int { table.storageBytes + creators.count * MemoryLayout<CreatorFollowers>.stride }

    /// When the ledger first saw `creator` (epoch ms), or nil.
    public func firstSeen(creator: UInt32) -> Int64? {
        Int(creator) < creators.count && creators[Int(creator)].firstSeen != .max ? creators[Int(creator)].firstSeen : nil
    }

    /// Applies an event: follows and unfollows change the follower set, engagement by a follower refreshes them,
    /// `followers` snapshots reset the live count.
    public mutating func apply(_ event: InteractionEvent) {
        switch event.kind {
        case .follow: follow(creator: event.creator, user: event.user, at: event.timestamp)
        case .unfollow: unfollow(creator: event.creator, user: event.user, at: event.timestamp)
        case .followers: snapshot(creator: event.creator, count: event.count, at: event.timestamp)
        case .view: break
        default: engage(creator: event.creator, user: event.user, at: event.timestamp)
        }
    }

    /// `user` follows `creator` from `time`.
    public mutating func follow(creator: UInt32, user: UInt32, at time: Int64) {
        touch(creator, at: time)
        let stamp = Self.stamp(time, engaged: false)
        let old = table.update(creator: creator, user: user) { old in old.map { max($0, stamp) } ?? stamp }
        if old == nil { creators[Int(creator)].tracked += 1 }
        creators[Int(creator)].netSinceSnapshot += 1
    }

    /// `user` stops following `creator`.
    public mutating func unfollow(creator: UInt32, user: UInt32, at time: Int64) {
        touch(creator, at: time)
        if table.remove(creator: creator, user: user) != nil { creators[Int(creator)].tracked -= 1 }
        creators[Int(creator)].netSinceSnapshot -= 1
    }

    /// `creator` reports `count` followers at `time`.
    public mutating func snapshot(creator: UInt32, count: Int64, at time: Int64) {
        touch(creator, at: time)
        creators[Int(creator)].snapshot = count
        creators[Int(creator)].netSinceSnapshot = 0
    }

    /// `user` engaged with `creator` at `time`; counts only when `user` is a tracked follower.
    public mutating func engage(creator: UInt32, user: UInt32, at time: Int64) {
        let stamp = Self.stamp(time, engaged: true)
        var wasDormant = false
        let dormantBefore = Self.minutes(time - dormantAfter)
        table.updateIfPresent(creator: creator, user: user) { old in
            wasDormant = Self.minutes(of: old) < dormantBefore
            return max(old, stamp) | 1
        }
        if wasDormant { creators[Int(creator)].reactivated += 1 }
    }

    private mutating func touch(_ creator: UInt32, at time: Int64) {
        let index = Int(creator)
        if index >= creators.count { creators += repeatElement(CreatorFollowers(), count: index + 1 - creators.count) }
        creators[index].firstSeen = min(creators[index].firstSeen, time)
    }

    /// The health of every creator with followers as of `time`, in creator order; starts the next reporting period
    /// (newly dormant, reactivated and engaged count from the previous report).
    public mutating func report(asOf time: Int64) -> [FollowerHealth] {
        let previous = lastReport ?? .min
        lastReport = time
        let dormantBefore = Self.minutes(time - dormantAfter)
        let wasDormantBefore = previous == .min ? Int32.min : Self.minutes(previous - dormantAfter)
        let periodStart = previous == .min ? Int32.min : Self.minutes(previous)
        var dormant = [Int](repeating: 0, count: creators.count)
        var newlyDormant = dormant, engaged = dormant
        table.forEach { creator, _, value in
            let minutes = Self.minutes(of: value), index = Int(creator)
            if minutes < dormantBefore {
                dormant[index] += 1
                if minutes >= wasDormantBefore { newlyDormant[index] += 1 }
            } else if value & 1 == 1 && minutes >= periodStart {
                engaged[index] += 1
            }
        }
        var reports: [FollowerHealth] = []
        for index in creators.indices where creators[index].tracked > 0 || creators[index].snapshot != nil {
            let counters = creators[index]
            let tracked = Int(counters.tracked)
            reports.append(FollowerHealth(
                creator: UInt32(index), asOf: time,
                followers: counters.snapshot.map { $0 + counters.netSinceSnapshot } ?? Int64(tracked),
                trackedFollowers: tracked, active: tracked - dormant[index], dormant: dormant[index],
                newlyDormant: newlyDormant[index], reactivated: Int(counters.reactivated), engaged: engaged[index]))
            creators[index].reactivated = 0
        }
        return reports
    }

    /// Creators with followers (their ids must survive interner compaction).
    public var liveCreators: [UInt32] {
        creators.indices.filter { creators[$0].tracked > 0 || creators[$0].snapshot != nil }.map(UInt32.init)
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
        var tracked = [Int32](repeating: 0, count: creators.count)
        table.forEach { creator, _, _ in tracked[Int(creator)] += 1 }
        for index in creators.indices { creators[index].tracked = tracked[index] }
    }

    private static let epoch: Int64 = 946_684_800_000  // 2000-01-01, milliseconds

    static func minutes(_ time: Int64) -> Int32 {
        let offset = time - epoch
        return Int32(clamping: offset >= 0 ? offset / 60_000 : (offset - 59_999) / 60_000)
    }

    static func stamp(_ time: Int64, engaged: Bool) -> Int32 {
        Int32(clamping: Int64(minutes(time)) << 1) | (engaged ? 1 : 0)
    }

    static func minutes(of stamp: Int32) -> Int32 { stamp >> 1 }
}
