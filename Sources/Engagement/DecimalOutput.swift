extension Array where Element == UInt8 {
    /// Appends `value` in decimal ASCII, without the `String` a conversion through `description` builds: result
    /// records carry a dozen integers each, and the worker writes them on its hot path.
    public mutating func appendDecimal(_ value: some BinaryInteger) {
        if value < 0 { append(UInt8(ascii: "-")) }
        var rest = UInt64(value.magnitude)
        var digits = 1
        var scale: UInt64 = 10
        while digits < 20 && rest >= scale {
            digits += 1
            scale = scale &* 10
        }
        let end = count + digits
        append(contentsOf: repeatElement(UInt8(ascii: "0"), count: digits))
        withUnsafeMutableBufferPointer { buffer in
            var index = end
            repeat {
                index -= 1
                buffer[index] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: rest % 10)
                rest /= 10
            } while rest > 0
        }
    }

    /// Appends `value` spelled as `value.description` spells it — the shortest digits that read back as the same
    /// `Double` — formatted straight into the bytes: through `description`, a ratio such as 0.012345678901234567
    /// (over 15 characters) costs a heap-allocated `String` per result field.
    public mutating func appendShortest(_ value: Double) {
        var appender = ASCIIAppender()
        swap(&appender.bytes, &self)
        value.write(to: &appender)
        swap(&appender.bytes, &self)
    }
}

/// A text output stream onto bytes that takes the ASCII of number formatting as it comes (`_writeASCII`), without
/// wrapping it in a `String` first.
private struct ASCIIAppender: TextOutputStream {
    var bytes: [UInt8] = []

    mutating func write(_ string: String) { bytes.append(contentsOf: string.utf8) }

    mutating func _writeASCII(_ buffer: UnsafeBufferPointer<UInt8>) { bytes.append(contentsOf: buffer) }
}
