/// A forward-only JSON tokenizer over raw bytes: validates syntax and hands out byte ranges, never allocating.
struct JSONScanner {
    let bytes: UnsafeRawBufferPointer
    var index = 0
    static let maxDepth = 32

    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    var atEnd: Bool { index >= bytes.count }

    @inline(__always)
    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    /// Consumes `byte` (after whitespace) if it is next.
    @inline(__always)
    mutating func consume(_ byte: UInt8) -> Bool {
        skipWhitespace()
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    /// The next non-whitespace byte, not consumed.
    @inline(__always)
    mutating func peek() -> UInt8? {
        skipWhitespace()
        return index < bytes.count ? bytes[index] : nil
    }

    /// Scans a string starting at `"`: returns the range of its raw contents and whether it has escapes.
    @inline(__always)
    mutating func string() -> (range: Range<Int>, escaped: Bool)? {
        guard consume(UInt8(ascii: "\"")) else { return nil }
        let start = index
        var escaped = false
        // Jump 8 bytes at a time to the first quote, backslash or control character.
        while index + 8 <= bytes.count {
            let mask = Self.attentionMask(bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self))
            if mask == 0 {
                index += 8
            } else {
                index += mask.trailingZeroBitCount >> 3
                break
            }
        }
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                index += 1
                return (start..<(index - 1), escaped)
            }
            if byte == UInt8(ascii: "\\") {
                escaped = true
                index += 1
                guard index < bytes.count else { return nil }
                switch bytes[index] {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                    UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    index += 1
                case UInt8(ascii: "u"):
                    guard let unit = codeUnit(at: index + 1) else { return nil }
                    index += 5
                    // UTF-16 surrogates come in pairs (RFC 8259 §8.2): a high one followed by an escaped low one.
                    if unit & 0xFC00 == 0xDC00 { return nil }
                    if unit & 0xFC00 == 0xD800 {
                        guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"),
                            bytes[index + 1] == UInt8(ascii: "u"), let low = codeUnit(at: index + 2),
                            low & 0xFC00 == 0xDC00
                        else { return nil }
                        index += 6
                    }
                default: return nil
                }
                continue
            }
            if byte < 0x20 { return nil }
            index += 1
        }
        return nil
    }

    /// The UTF-16 code unit of the four hex digits at `position`, or nil.
    private func codeUnit(at position: Int) -> UInt32? {
        guard position + 4 <= bytes.count else { return nil }
        var unit: UInt32 = 0
        for offset in 0..<4 {
            guard let digit = Self.hexValue(bytes[position + offset]) else { return nil }
            unit = unit << 4 | digit
        }
        return unit
    }

    /// Scans a number; returns its range and whether it is an integer literal (no fraction or exponent). A leading
    /// zero stands alone (RFC 8259 §6: `0`, `0.5`, never `01`).
    @inline(__always)
    mutating func number() -> (range: Range<Int>, integer: Bool)? {
        skipWhitespace()
        let start = index
        var integer = true
        if index < bytes.count && bytes[index] == UInt8(ascii: "-") { index += 1 }
        let firstDigit = index
        guard digits() else { return nil }
        if bytes[firstDigit] == UInt8(ascii: "0") && index - firstDigit > 1 { return nil }
        if index < bytes.count && bytes[index] == UInt8(ascii: ".") {
            integer = false
            index += 1
            guard digits() else { return nil }
        }
        if index < bytes.count && (bytes[index] | 0x20) == UInt8(ascii: "e") {
            integer = false
            index += 1
            if index < bytes.count && (bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-")) {
                index += 1
            }
            guard digits() else { return nil }
        }
        return (start..<index, integer)
    }

    @inline(__always)
    private mutating func digits() -> Bool {
        let start = index
        while index < bytes.count && bytes[index] &- UInt8(ascii: "0") < 10 { index += 1 }
        return index > start
    }

    /// Skips any value, validating it; false on a syntax error or nesting deeper than `maxDepth`.
    mutating func skipValue(depth: Int = 0) -> Bool {
        guard depth < Self.maxDepth, let next = peek() else { return false }
        switch next {
        case UInt8(ascii: "\""): return string() != nil
        case UInt8(ascii: "{"):
            index += 1
            if consume(UInt8(ascii: "}")) { return true }
            repeat {
                guard string() != nil, consume(UInt8(ascii: ":")), skipValue(depth: depth + 1) else { return false }
            } while consume(UInt8(ascii: ","))
            return consume(UInt8(ascii: "}"))
        case UInt8(ascii: "["):
            index += 1
            if consume(UInt8(ascii: "]")) { return true }
            repeat {
                guard skipValue(depth: depth + 1) else { return false }
            } while consume(UInt8(ascii: ","))
            return consume(UInt8(ascii: "]"))
        case UInt8(ascii: "t"): return literal("true")
        case UInt8(ascii: "f"): return literal("false")
        case UInt8(ascii: "n"): return literal("null")
        default: return number() != nil
        }
    }

    mutating func literal(_ word: StaticString) -> Bool {
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count else { return false }
        for offset in 0..<count where bytes[index + offset] != word.utf8Start[offset] { return false }
        index += count
        return true
    }

    /// High bits set at bytes that are `"`, `\\` or below 0x20 (SWAR zero-byte tests). Bits above the lowest
    /// set one may be spurious (borrows), so only the lowest is used.
    @inline(__always)
    static func attentionMask(_ word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let quote = word ^ (ones &* 0x22)
        let backslash = word ^ (ones &* 0x5C)
        return ((quote &- ones) & ~quote | (backslash &- ones) & ~backslash | (word &- ones &* 0x20) & ~word) & highs
    }

    static func hexValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }
}
