/// Maps byte strings (creator, user, post ids) to dense `UInt32` ids without allocating per lookup.
///
/// Open addressing over a power-of-two table; the bytes live once in an arena. Ids are assigned in first-seen order
/// and never reused, so they index side arrays directly. Ids are exact: two different strings never share one.
public struct Interner: Sendable {
    private var arena: [UInt8] = []
    private var offsets: [Int] = [0]  // id i spans arena[offsets[i]..<offsets[i+1]]
    private var slots: [UInt32]       // 0 = empty, else id + 1
    private var hashes: [UInt32] = []

    /// Creates an empty interner.
    public init() { slots = Array(repeating: 0, count: 1024) }

    /// The number of distinct strings seen.
    public var count: Int { offsets.count - 1 }

    /// The id of `bytes`, assigning the next one when new.
    public mutating func intern(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        let hash = Self.hash(bytes)
        let mask = slots.count - 1
        var index = Int(hash) & mask
        while true {
            let slot = slots[index]
            if slot == 0 { break }
            let id = Int(slot - 1)
            if hashes[id] == hash && equals(id, bytes) { return UInt32(id) }
            index = (index + 1) & mask
        }
        let id = count
        arena.append(contentsOf: bytes)
        offsets.append(arena.count)
        hashes.append(hash)
        slots[index] = UInt32(id + 1)
        if count * 2 > slots.count { grow() }
        return UInt32(id)
    }

    /// The id of `text`, assigning the next one when new.
    public mutating func intern(_ text: String) -> UInt32 {
        var copy = text
        return copy.withUTF8 { intern(UnsafeRawBufferPointer($0)) }
    }

    /// The string with id `id`.
    public func string(_ id: UInt32) -> String {
        String(decoding: arena[offsets[Int(id)]..<offsets[Int(id) + 1]], as: UTF8.self)
    }

    /// Appends the bytes of id `id` to `output`.
    public func appendBytes(_ id: UInt32, to output: inout [UInt8]) {
        output.append(contentsOf: arena[offsets[Int(id)]..<offsets[Int(id) + 1]])
    }

    private func equals(_ id: Int, _ bytes: UnsafeRawBufferPointer) -> Bool {
        let start = offsets[id]
        let end = offsets[id + 1]
        guard end - start == bytes.count else { return false }
        return arena.withUnsafeBufferPointer { arenaBytes in
            var i = 0
            while i < bytes.count {
                if arenaBytes[start + i] != bytes[i] { return false }
                i += 1
            }
            return true
        }
    }

    private mutating func grow() {
        var newSlots = [UInt32](repeating: 0, count: slots.count * 2)
        let mask = newSlots.count - 1
        for id in 0..<count {
            var index = Int(hashes[id]) & mask
            while newSlots[index] != 0 { index = (index + 1) & mask }
            newSlots[index] = UInt32(id + 1)
        }
        slots = newSlots
    }

    /// FNV-1a, 32 bits: ids are short, so a simple byte loop is fast enough and well spread.
    static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        var hash: UInt32 = 2_166_136_261
        for byte in bytes { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
        return hash
    }
}
