import CPrefetch

#if canImport(Glibc)
    #if canImport(Glibc)
        import Glibc
    #else
        import Darwin
    #endif
#elseif canImport(Darwin)
    import Darwin
#endif

/// Maps byte strings (creator, user, post ids) to dense `UInt32` ids without allocating per lookup.
///
/// Open addressing over a power-of-two table whose slots hold the hash and the id together, so a probe touches one
/// cache line before the bytes are compared; the bytes live once in an arena. The table is filled up to three
/// quarters: linear probes stay short with the hash in the slot, and a sparser table of a million users costs tens
/// of MB. Ids are assigned in first-seen order and never reused, so they index side arrays directly. Ids are exact:
/// two different strings never share one.
public struct Interner: Sendable {
    /// A table slot: the full hash, the string's first bytes inline, and its id. Strings of at most 7 bytes carry
    /// their length in the prefix's last byte, strings of exactly 8 bytes a flag; both compare without touching
    /// the arena.
    struct Slot {
        var prefix: UInt64 = 0
        var hash: UInt32 = 0
        var reference: UInt32 = 0  // 0 = empty, else (id + 1) | length class (long or eight-byte flag)
    }

    private static let longFlag: UInt32 = 1 << 31
    private static let eightFlag: UInt32 = 1 << 30
    private static let flags = longFlag | eightFlag

    @inline(__always)
    static func lengthClass(_ count: Int) -> UInt32 {
        count > 8 ? longFlag : count == 8 ? eightFlag : 0
    }
    var arena: [UInt8] = []
    var offsets: [UInt32] = [0]  // id i spans arena[span(i)]; 32 bits: an interner holds at most 4 GiB of id bytes
    private var slots: [Slot]

    /// Creates an empty interner.
    public init() { slots = Array(repeating: Slot(), count: 1 << 12) }

    /// The number of distinct strings seen.
    public var count: Int { offsets.count - 1 }

    /// The id of `bytes`, assigning the next one when new.
    public mutating func intern(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        intern(bytes, probe: Probe(bytes))
    }

    /// The id of `bytes`, assigning the next one when new, with their probe computed earlier (`probe(_:)`): the same
    /// as `intern(bytes)` without hashing them again. `probe` must be of these bytes.
    public mutating func intern(_ bytes: UnsafeRawBufferPointer, probe: Probe) -> UInt32 {
        let (found, slot) = lookup(bytes, prefix: probe.prefix, hash: probe.hash)
        if let found { return found }
        let id = count
        arena.append(contentsOf: bytes)
        offsets.append(UInt32(arena.count))
        slots[slot] = Slot(
            prefix: probe.prefix, hash: probe.hash, reference: UInt32(id + 1) | Self.lengthClass(bytes.count))
        if count * 4 > slots.count * 3 { grow() }
        return UInt32(id)
    }

    @inline(__always)
    private func prefetchSlot(hash: UInt32) {
        slots.withUnsafeBufferPointer { slots in
            if let base = slots.baseAddress { resonance_prefetch(base + (Int(hash) & (slots.count - 1))) }
        }
    }

    /// The id of `text`, assigning the next one when new.
    public mutating func intern(_ text: String) -> UInt32 {
        var copy = text
        return copy.withUTF8 { intern(UnsafeRawBufferPointer($0)) }
    }

    /// A new interner holding only `ids` (ascending), numbered 0…; and for every old id its new id, or
    /// `UInt32.max` when dropped. Used to bound memory after idle state is evicted.
    public func compacted(keeping ids: [UInt32]) -> (Interner, [UInt32]) {
        var result = Interner()
        var mapping = [UInt32](repeating: .max, count: count)
        arena.withUnsafeBytes { arena in
            for id in ids {
                let bytes = UnsafeRawBufferPointer(rebasing: arena[span(id)])
                mapping[Int(id)] = result.intern(bytes)
            }
        }
        return (result, mapping)
    }

    /// What a lookup of some bytes compares first — their hash, slot prefix and length class. It depends on the bytes
    /// alone, not on the table, so a hash taken when a record is scanned still serves a lookup a few records later,
    /// after the table has grown or been compacted.
    public struct Probe: Sendable {
        let prefix: UInt64
        let hash: UInt32
        let lengthClass: UInt32

        /// The probe of `bytes`.
        @inline(__always)
        init(_ bytes: UnsafeRawBufferPointer) { self.init(bytes, hash: Interner.hash(bytes)) }

        /// The probe of `bytes`, whose hash was computed before.
        @inline(__always)
        init(_ bytes: UnsafeRawBufferPointer, hash: UInt32) {
            prefix = Interner.slotPrefix(bytes)
            self.hash = hash
            lengthClass = Interner.lengthClass(bytes.count)
        }
    }

    /// The probe of `bytes`, having started to load the table slot it looks at first, so a lookup of them shortly
    /// after finds it in cache instead of waiting on memory: a large table is probed at random.
    @inline(__always)
    public func probe(_ bytes: UnsafeRawBufferPointer) -> Probe {
        let probe = Probe(bytes)
        prefetchSlot(hash: probe.hash)
        return probe
    }

    /// The hash of `bytes` (a probe's, without the rest), having started to load the table slot it looks at first.
    @inline(__always)
    public func prefetchedHash(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        let hash = Self.hash(bytes)
        prefetchSlot(hash: hash)
        return hash
    }

    /// The id whose hash, slot prefix and length class match `probe`: the id of the probed bytes if they were
    /// interned (or, for strings over eight bytes sharing all three, rarely another one). For hints, never for answers.
    public func probableID(_ probe: Probe) -> UInt32? {
        let lengthClass = probe.lengthClass
        return slots.withUnsafeBufferPointer { slots in
            let mask = slots.count - 1
            var index = Int(probe.hash) & mask
            while true {
                let slot = slots[index]
                if slot.reference == 0 { return nil }
                if slot.hash == probe.hash && slot.prefix == probe.prefix && slot.reference & Self.flags == lengthClass
                {
                    return (slot.reference & ~Self.flags) - 1
                }
                index = (index + 1) & mask
            }
        }
    }

    /// Where the bytes of id `id` lie in the arena.
    @inline(__always)
    private func span(_ id: UInt32) -> Range<Int> { Int(offsets[Int(id)])..<Int(offsets[Int(id) + 1]) }

    /// The string with id `id`.
    public func string(_ id: UInt32) -> String {
        String(decoding: arena[span(id)], as: UTF8.self)
    }

    /// Appends the bytes of id `id` to `output`.
    public func appendBytes(_ id: UInt32, to output: inout [UInt8]) {
        output.append(contentsOf: arena[span(id)])
    }

    /// The id of `bytes` if present; otherwise the empty slot where it belongs.
    private func lookup(_ bytes: UnsafeRawBufferPointer, prefix: UInt64, hash: UInt32) -> (UInt32?, Int) {
        let lengthClass = Self.lengthClass(bytes.count)
        return slots.withUnsafeBufferPointer { slots in
            let mask = slots.count - 1
            var index = Int(hash) & mask
            while true {
                let slot = slots[index]
                if slot.reference == 0 { return (nil, index) }
                if slot.hash == hash && slot.prefix == prefix && slot.reference & Self.flags == lengthClass {
                    let id = Int(slot.reference & ~Self.flags) - 1
                    if lengthClass != Self.longFlag || restMatches(id, bytes) { return (UInt32(id), index) }
                }
                index = (index + 1) & mask
            }
        }
    }

    private func restMatches(_ id: Int, _ bytes: UnsafeRawBufferPointer) -> Bool {
        let start = Int(offsets[id])
        guard Int(offsets[id + 1]) - start == bytes.count else { return false }
        return arena.withUnsafeBufferPointer { arena in
            memcmp(arena.baseAddress! + start + 8, bytes.baseAddress! + 8, bytes.count - 8) == 0
        }
    }

    private mutating func grow() {
        var newSlots = HugePages.array(repeating: Slot(), count: slots.count * 2)
        let mask = newSlots.count - 1
        for slot in slots where slot.reference != 0 {
            var index = Int(slot.hash) & mask
            while newSlots[index].reference != 0 { index = (index + 1) & mask }
            newSlots[index] = slot
        }
        slots = newSlots
    }

    /// The slot prefix: the first 8 bytes of a string of 8 or more; a shorter one's bytes with its length in the
    /// top byte.
    static func slotPrefix(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        bytes.count > 7 ? ByteWords.head(bytes) : ByteWords.head(bytes) | UInt64(bytes.count) << 56
    }

    /// A fast 32-bit hash of short byte strings: 8 bytes at a time, multiply-xorshift mixing.
    static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(bytes.count)
        var index = 0
        while index + 8 <= bytes.count {
            h = (h ^ bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self)) &* 0xBF58_476D_1CE4_E5B9
            h ^= h >> 31
            index += 8
        }
        if index < bytes.count {
            let tail = ByteWords.head(UnsafeRawBufferPointer(rebasing: bytes[index...]))
            h = (h ^ tail) &* 0x94D0_49BB_1331_11EB
            h ^= h >> 29
        }
        h = (h ^ (h >> 32)) &* 0xD6E8_FEB8_6659_FD93
        return UInt32(truncatingIfNeeded: h ^ (h >> 32))
    }
}
