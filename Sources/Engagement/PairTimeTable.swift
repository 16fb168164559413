/// Latest event time per (creator, user) pair, for activity horizons: a `PairTable` of whole seconds since 2000 (good
/// until 2068), 16 to 32 bytes per pair.
public struct PairTimeTable: Sendable {
    var table = PairTable()
    private static let epoch: Int64 = 946_684_800_000  // 2000-01-01, milliseconds

    /// Creates an empty table.
    public init() {}

    /// The number of pairs held.
    public var count: Int { table.count }

    /// The latest time recorded for the pair, in epoch milliseconds rounded down to the second, or nil.
    public func time(creator: UInt32, user: UInt32) -> Int64? {
        table.value(creator: creator, user: user).map(Self.milliseconds)
    }

    /// Records `time` for the pair unless a later time is already recorded.
    public mutating func record(creator: UInt32, user: UInt32, time: Int64) {
        let seconds = Self.seconds(time)
        table.update(creator: creator, user: user) { old in max(old ?? .min, seconds) }
    }

    /// Drops pairs last seen before `cutoff` (epoch ms), shrinking the table when it became mostly empty.
    public mutating func forget(before cutoff: Int64) {
        let limit = Self.seconds(cutoff)
        table.filter { $0 >= limit }
    }

    /// Renumbers pairs after creator or user ids were compacted (`mapping[old]` = new id, `UInt32.max` = dropped).
    public mutating func remap(creators: [UInt32]?, users: [UInt32]?) {
        table.remap(creators: creators, users: users)
    }

    @inline(__always)
    static func seconds(_ milliseconds: Int64) -> Int32 {
        let offset = milliseconds - epoch
        return Int32(clamping: offset >= 0 ? offset / 1000 : (offset - 999) / 1000)
    }

    static func milliseconds(_ seconds: Int32) -> Int64 { Int64(seconds) * 1000 + epoch }
}
