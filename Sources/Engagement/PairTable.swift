/// An open-addressing hash map from a (creator, user) pair to an `Int32`, in two parallel arrays (the pair as one
/// `UInt64` key: 12 bytes a slot). It grows past 75 % load and shrinks when mostly empty, so it holds between 16 and
/// 32 bytes per pair. Linear probing; removal shifts the following cluster back (no tombstones).
public struct PairTable: Sendable, Equatable {
    static let empty = UInt64.max
    private(set) var keys = [UInt64](repeating: PairTable.empty, count: PairTable.minimumCapacity)
    private(set) var values = [Int32](repeating: 0, count: PairTable.minimumCapacity)
    static let minimumCapacity = 1 << 10
    /// The number of pairs held.
    public private(set) var count = 0

    /// Creates an empty table.
    public init() {}

    /// Bytes held by the table's storage.
    public var storageBytes: Int { keys.count * (MemoryLayout<UInt64>.stride + MemoryLayout<Int32>.stride) }

    /// The value of the pair, or nil.
    public func value(creator: UInt32, user: UInt32) -> Int32? {
        let index = find(Self.key(creator, user))
        return keys[index] == Self.empty ? nil : values[index]
    }

    /// Sets the pair's value to `update(old value or nil)`; returns the old value.
    @discardableResult
    public mutating func update(creator: UInt32, user: UInt32, _ update: (Int32?) -> Int32) -> Int32? {
        let key = Self.key(creator, user)
        let index = find(key)
        if keys[index] == key {
            let old = values[index]
            values[index] = update(old)
            return old
        }
        keys[index] = key
        values[index] = update(nil)
        count += 1
        if count * 4 > keys.count * 3 { rebuild(capacity: keys.count * 2) { _ in true } }
        return nil
    }

    /// Sets the pair's value to `update(old value)` when the pair is present.
    public mutating func updateIfPresent(creator: UInt32, user: UInt32, _ update: (Int32) -> Int32) {
        let index = find(Self.key(creator, user))
        if keys[index] != Self.empty { values[index] = update(values[index]) }
    }

    /// Removes the pair; returns its value, or nil when absent.
    @discardableResult
    public mutating func remove(creator: UInt32, user: UInt32) -> Int32? {
        var hole = find(Self.key(creator, user))
        guard keys[hole] != Self.empty else { return nil }
        let removed = values[hole]
        let mask = keys.count - 1
        var probe = (hole + 1) & mask
        while keys[probe] != Self.empty {
            let home = Self.slot(keys[probe], mask: mask)
            // Move the entry back when its home slot is not in the cyclic range (hole, probe].
            if (probe > hole && (home <= hole || home > probe)) || (probe < hole && home <= hole && home > probe) {
                keys[hole] = keys[probe]
                values[hole] = values[probe]
                hole = probe
            }
            probe = (probe + 1) & mask
        }
        keys[hole] = Self.empty
        count -= 1
        return removed
    }

    /// Calls `body` with every pair and its value.
    public func forEach(_ body: (_ creator: UInt32, _ user: UInt32, _ value: Int32) -> Void) {
        for index in keys.indices where keys[index] != Self.empty {
            body(UInt32(keys[index] >> 32), UInt32(keys[index] & 0xFFFF_FFFF), values[index])
        }
    }

    /// Drops the pairs whose value fails `keeping`, shrinking the table when it became mostly empty.
    public mutating func filter(_ keeping: (Int32) -> Bool) {
        let kept = keys.indices.reduce(0) { $0 + (keys[$1] != Self.empty && keeping(values[$1]) ? 1 : 0) }
        var capacity = keys.count
        while capacity > Self.minimumCapacity && kept * 4 < capacity { capacity /= 2 }
        rebuild(capacity: capacity, keeping: keeping)
    }

    /// Renumbers pairs after creator or user ids were compacted (`mapping[old]` = new id, `UInt32.max` = dropped);
    /// `merge` combines the values of pairs that become one.
    public mutating func remap(creators: [UInt32]?, users: [UInt32]?, merge: (Int32, Int32) -> Int32 = { max($0, $1) }) {
        let oldKeys = keys, oldValues = values
        keys = HugePages.array(repeating: Self.empty, count: oldKeys.count)
        values = HugePages.array(repeating: 0, count: oldKeys.count)
        count = 0
        for index in oldKeys.indices where oldKeys[index] != Self.empty {
            let creator = Int(oldKeys[index] >> 32), user = Int(oldKeys[index] & 0xFFFF_FFFF)
            let newCreator = creators.map { creator < $0.count ? $0[creator] : .max } ?? UInt32(creator)
            let newUser = users.map { user < $0.count ? $0[user] : .max } ?? UInt32(user)
            guard newCreator != .max && newUser != .max else { continue }
            let value = oldValues[index]
            update(creator: newCreator, user: newUser) { old in old.map { merge($0, value) } ?? value }
        }
    }

    private func find(_ key: UInt64) -> Int {
        let mask = keys.count - 1
        var index = Self.slot(key, mask: mask)
        while keys[index] != Self.empty && keys[index] != key { index = (index + 1) & mask }
        return index
    }

    private mutating func rebuild(capacity: Int, keeping: (Int32) -> Bool) {
        let oldKeys = keys, oldValues = values
        keys = HugePages.array(repeating: Self.empty, count: capacity)
        values = HugePages.array(repeating: 0, count: capacity)
        count = 0
        for index in oldKeys.indices where oldKeys[index] != Self.empty && keeping(oldValues[index]) {
            var slot = Self.slot(oldKeys[index], mask: capacity - 1)
            while keys[slot] != Self.empty { slot = (slot + 1) & (capacity - 1) }
            keys[slot] = oldKeys[index]
            values[slot] = oldValues[index]
            count += 1
        }
    }

    @inline(__always)
    static func key(_ creator: UInt32, _ user: UInt32) -> UInt64 { UInt64(creator) << 32 | UInt64(user) }

    @inline(__always)
    static func slot(_ key: UInt64, mask: Int) -> Int {
        var z = key &* 0x9E37_79B9_7F4A_7C15
        z ^= z >> 32
        return Int(truncatingIfNeeded: z) & mask
    }
}

extension PairTable {
    func encode(into writer: inout SnapshotWriter) {
        writer.write(keys)
        writer.write(values)
        writer.write(UInt64(count))
    }

    init(from reader: inout SnapshotReader) throws(SnapshotError) {
        self.init()
        keys = try reader.readArray(UInt64.self)
        values = try reader.readArray(Int32.self)
        count = Int(try reader.read(UInt64.self))
        guard keys.count == values.count, keys.count.nonzeroBitCount == 1, count < keys.count else {
            throw .incompatible("pair table")
        }
    }
}
