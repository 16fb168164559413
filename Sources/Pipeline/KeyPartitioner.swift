/// librdkafka's default partitioner (`consistent_random`): the CRC-32 (IEEE) of the record key modulo the partition
/// count, so `resonance replay --partitions N` splits events over per-partition jobs exactly as workers see them.
/// (librdkafka spreads empty keys at random; here they go to partition 0.)
public struct KeyPartitioner: Sendable {
    /// The partition count.
    public let partitions: Int
    private static let table: [UInt32] = (0..<256).map { index in
        var value = UInt32(index)
        for _ in 0..<8 { value = value & 1 == 1 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1 }
        return value
    }

    /// A partitioner over `partitions` partitions.
    public init(partitions: Int) { self.partitions = max(partitions, 1) }

    /// The CRC-32 of `bytes`.
    public static func crc32(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }

    /// The partition of a record with `key`.
    public func partition(of key: UnsafeRawBufferPointer) -> Int {
        key.isEmpty ? 0 : Int(Self.crc32(key) % UInt32(partitions))
    }
}
