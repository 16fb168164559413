/// Turns the raw contents of a JSON string literal (already validated by `JSONScanner`) into UTF-8 bytes.
enum JSONUnescape {
    static func append(_ raw: UnsafeRawBufferPointer, to output: inout [UInt8]) {
        var index = 0
        var pendingHighSurrogate: UInt32?
        while index < raw.count {
            let byte = raw[index]
            guard byte == UInt8(ascii: "\\") else {
                output.append(byte)
                index += 1
                continue
            }
            let escape = raw[index + 1]
            index += 2
            switch escape {
            case UInt8(ascii: "b"): output.append(0x08)
            case UInt8(ascii: "f"): output.append(0x0C)
            case UInt8(ascii: "n"): output.append(0x0A)
            case UInt8(ascii: "r"): output.append(0x0D)
            case UInt8(ascii: "t"): output.append(0x09)
            case UInt8(ascii: "u"):
                var code: UInt32 = 0
                for offset in 0..<4 { code = code << 4 | (JSONScanner.hexValue(raw[index + offset]) ?? 0) }
                index += 4
                if (0xD800..<0xDC00).contains(code) {
                    pendingHighSurrogate = code
                    continue
                }
                if let high = pendingHighSurrogate, (0xDC00..<0xE000).contains(code) {
                    code = 0x10000 + ((high - 0xD800) << 10) + (code - 0xDC00)
                }
                pendingHighSurrogate = nil
                output.append(contentsOf: String(Character(Unicode.Scalar(code) ?? "\u{FFFD}")).utf8)
            default: output.append(escape)
            }
        }
    }
}

/// Checks that bytes are valid UTF-8, with an ASCII fast path.
enum UTF8Validation {
    static func isValid(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var index = 0
        while index + 8 <= bytes.count {
            if bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { break }
            index += 8
        }
        while index < bytes.count && bytes[index] < 0x80 { index += 1 }
        guard index < bytes.count else { return true }
        return String(validating: bytes, as: UTF8.self) != nil
    }
}
