/// Reads short byte strings as little-endian integers, so names and ids compare as one or two integer compares.
enum ByteWords {
    /// The first 8 bytes (fewer zero-padded) as a little-endian `UInt64`, read with at most two loads.
    @inline(__always)
    static func head(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        let count = bytes.count
        switch count {
        case 8...: return bytes.loadUnaligned(as: UInt64.self)
        case 4...7:
            let low = UInt64(bytes.loadUnaligned(as: UInt32.self))
            let high = UInt64(bytes.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self))
            return low | high << (8 * UInt64(count - 4))
        case 2...3:
            let low = UInt64(bytes.loadUnaligned(as: UInt16.self))
            let high = UInt64(bytes.loadUnaligned(fromByteOffset: count - 2, as: UInt16.self))
            return low | high << (8 * UInt64(count - 2))
        case 1: return UInt64(bytes[0])
        default: return 0
        }
    }
}
