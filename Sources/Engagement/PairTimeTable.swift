/// Latest event time per (creator, user) pair, for activity horizons: open addressing over two parallel arrays
/// (the pair as one `UInt64` key, the time in whole seconds since 2000 as an `Int32`, good until 2068: 12 bytes a
/// slot). The table grows past 75 % load, so it holds between 16 and 32 bytes per pair.
public struct PairTimeTable: Sendable {
    private static let empty = UInt64.max
    var keys = [UInt64](repeating: PairTimeTable.empty, count: 1 << 10)
    var seconds = [Int32](repeating: 0, count: 1 << 10)
    private static let epoch: Int64 = 946_684_800_000  // 2000-01-01, milliseconds
    /// The number of pairs held.
    public internal(set) var count = 0

    /// Creates an empty table.
    public init() {}

    /// The latest time recorded for the pair, in epoch milliseconds rounded down to the second, or nil.
    public func time(creator: UInt32, user: UInt32) -> Int64? {
        let key = Self.key(creator, user)
        var index = Self.slot(key, mask: keys.count - 1)
        while keys[index] != Self.empty {
            if keys[index] == key { return Self.milliseconds(seconds[index]) }
            index = (index + 1) & (keys.count - 1)
        }
        return nil
    }

    /// Records `time` for the pair unless a later time is already recorded.
    public mutating func record(creator: UInt32, user: UInt32, time: Int64) {
        insert(Self.key(creator, user), Self.seconds(time))
    }

    private mutating func insert(_ key: UInt64, _ value: Int32) {
        var index = Self.slot(key, mask: keys.count - 1)
        while keys[index] != Self.empty {
            if keys[index] == key {
                if value > seconds[index] { seconds[index] = value }
                return
            }
            index = (index + 1) & (keys.count - 1)
        }
        keys[index] = key
        seconds[index] = value
        count += 1
        if count * 4 > keys.count * 3 { rebuild(capacity: keys.count * 2) { _ in true } }
    }

    /// Drops pairs last seen before `cutoff` (epoch ms), shrinking the table when it became mostly empty.
    public mutating func forget(before cutoff: Int64) {
        let limit = Self.seconds(cutoff)
        let kept = seconds.indices.reduce(0) { $0 + (keys[$1] != Self.empty && seconds[$1] >= limit ? 1 : 0) }
        var capacity = keys.count
        while capacity > 1 << 10 && kept * 4 < capacity { capacity /= 2 }
        rebuild(capacity: capacity) { $0 >= limit }
    }

    /// Renumbers pairs after creator or user ids were compacted (`mapping[old]` = new id, `UInt32.max` = dropped).
    public mutating func remap(creators: [UInt32]?, users: [UInt32]?) {
        let oldKeys = keys, oldMinutes = seconds
        keys = [UInt64](repeating: Self.empty, count: oldKeys.count)
        seconds = [Int32](repeating: 0, count: oldKeys.count)
        count = 0
        for index in oldKeys.indices where oldKeys[index] != Self.empty {
            let creator = Int(oldKeys[index] >> 32), user = Int(oldKeys[index] & 0xFFFF_FFFF)
            let newCreator = creators.map { creator < $0.count ? $0[creator] : .max } ?? UInt32(creator)
            let newUser = users.map { user < $0.count ? $0[user] : .max } ?? UInt32(user)
            if newCreator != .max && newUser != .max { insert(Self.key(newCreator, newUser), oldMinutes[index]) }
        }
    }

    private mutating func rebuild(capacity: Int, keeping: (Int32) -> Bool) {
        let oldKeys = keys, oldMinutes = seconds
        keys = [UInt64](repeating: Self.empty, count: capacity)
        seconds = [Int32](repeating: 0, count: capacity)
        count = 0
        for index in oldKeys.indices where oldKeys[index] != Self.empty && keeping(oldMinutes[index]) {
            var slot = Self.slot(oldKeys[index], mask: capacity - 1)
            while keys[slot] != Self.empty { slot = (slot + 1) & (capacity - 1) }
            keys[slot] = oldKeys[index]
            seconds[slot] = oldMinutes[index]
            count += 1
        }
    }

    @inline(__always)
    static func seconds(_ milliseconds: Int64) -> Int32 {
        let offset = milliseconds - epoch
        return Int32(clamping: offset >= 0 ? offset / 1000 : (offset - 999) / 1000)
    }

    static func milliseconds(_ seconds: Int32) -> Int64 { Int64(seconds) * 1000 + epoch }

    @inline(__always)
    static func key(_ creator: UInt32, _ user: UInt32) -> UInt64 { UInt64(creator) << 32 | UInt64(user) }

    @inline(__always)
    static func slot(_ key: UInt64, mask: Int) -> Int {
        var z = key &* 0x9E37_79B9_7F4A_7C15
        z ^= z >> 32
        return Int(truncatingIfNeeded: z) & mask
    }
}
