/// Writes state snapshots: little-endian integers and length-prefixed arrays, nothing else.
public struct SnapshotWriter {
    /// The bytes written so far.
    public private(set) var bytes: [UInt8] = []

    /// Creates an empty writer.
    public init() {}

    public mutating func write<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    public mutating func write(_ value: Bool) { write(UInt8(value ? 1 : 0)) }

    public mutating func write<T: FixedWidthInteger>(_ values: [T]) {
        write(UInt64(values.count))
        for value in values { write(value) }
    }

    public mutating func write(_ value: Double) { write(value.bitPattern) }

    public mutating func write(_ values: [Double]) { write(values.map(\.bitPattern)) }

    public mutating func write(_ values: [Float]) { write(values.map(\.bitPattern)) }

    /// Writes an optional as a presence flag and, when present, the value.
    public mutating func write<T: FixedWidthInteger>(_ value: T?) {
        write(value != nil)
        if let value { write(value) }
    }

    public mutating func write(bytes values: [UInt8]) {
        write(UInt64(values.count))
        bytes.append(contentsOf: values)
    }
}

/// Reads what `SnapshotWriter` wrote; every read is bounds-checked and a short or corrupt snapshot is an error.
public struct SnapshotReader {
    let bytes: [UInt8]
    var position = 0

    /// Creates a reader over `bytes`.
    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// Whether every byte was consumed.
    public var atEnd: Bool { position == bytes.count }

    public mutating func read<T: FixedWidthInteger>(_: T.Type = T.self) throws(SnapshotError) -> T {
        let size = MemoryLayout<T>.size
        guard position + size <= bytes.count else { throw SnapshotError.truncated }
        var value = T.zero
        withUnsafeMutableBytes(of: &value) { target in
            bytes.withUnsafeBytes { source in
                target.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[position..<(position + size)]))
            }
        }
        position += size
        return T(littleEndian: value)
    }

    public mutating func readBool() throws(SnapshotError) -> Bool { try read(UInt8.self) != 0 }

    public mutating func readArray<T: FixedWidthInteger>(_: T.Type = T.self) throws(SnapshotError) -> [T] {
        let count = try readCount(elementSize: MemoryLayout<T>.size)
        var values: [T] = []
        values.reserveCapacity(count)
        for _ in 0..<count { values.append(try read(T.self)) }
        return values
    }

    public mutating func readDouble() throws(SnapshotError) -> Double { Double(bitPattern: try read(UInt64.self)) }

    public mutating func readDoubles() throws(SnapshotError) -> [Double] { try readArray(UInt64.self).map(Double.init(bitPattern:)) }

    public mutating func readFloats() throws(SnapshotError) -> [Float] { try readArray(UInt32.self).map(Float.init(bitPattern:)) }

    /// Reads what `write(_: T?)` wrote.
    public mutating func readOptional<T: FixedWidthInteger>(_: T.Type = T.self) throws(SnapshotError) -> T? {
        try readBool() ? try read(T.self) : nil
    }

    public mutating func readBytes() throws(SnapshotError) -> [UInt8] {
        let count = try readCount(elementSize: 1)
        defer { position += count }
        return Array(bytes[position..<(position + count)])
    }

    /// A collection length, refused when the remaining bytes could not possibly hold it.
    public mutating func readCount(elementSize: Int) throws(SnapshotError) -> Int {
        let count = try read(UInt64.self)
        guard count <= UInt64(bytes.count - position) / UInt64(max(elementSize, 1)) else { throw SnapshotError.truncated }
        return Int(count)
    }
}

/// A snapshot that cannot be restored.
public enum SnapshotError: Error, Sendable, Equatable {
    /// It ends early or claims more data than it holds.
    case truncated
    /// It is not a snapshot of this kind or version.
    case incompatible(String)
}
