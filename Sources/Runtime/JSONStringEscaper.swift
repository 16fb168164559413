/// Appends bytes as the inside of a JSON string literal, escaping what JSON requires.
///
/// Invalid UTF-8 is passed through byte for byte only if valid; otherwise each bad byte becomes U+FFFD, so the
/// output is always valid JSON text.
enum JSONStringEscaper {
    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    static func append(_ bytes: UnsafeRawBufferPointer, to output: inout [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        var utf8 = text.utf8.makeIterator()
        while let byte = utf8.next() {
            switch byte {
            case UInt8(ascii: "\""): output.append(contentsOf: [0x5C, 0x22])
            case UInt8(ascii: "\\"): output.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: output.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0D: output.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case 0x09: output.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            case 0..<0x20:
                output.append(contentsOf: Array("\\u00".utf8))
                output.append(hex[Int(byte >> 4)])
                output.append(hex[Int(byte & 0xF)])
            default: output.append(byte)
            }
        }
    }

    static func append(_ text: String, to output: inout [UInt8]) {
        var copy = text
        copy.withUTF8 { append(UnsafeRawBufferPointer($0), to: &output) }
    }
}
