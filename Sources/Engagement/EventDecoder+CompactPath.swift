extension EventDecoder {
    /// The fast path for the layout producers emit: compact JSON (no whitespace), string and integer values, no
    /// escapes. Fills `fields` and returns true, or returns false for anything else, which the general path then
    /// decodes (and rejects with a precise reason when bad). On inputs it accepts it agrees with the general path.
    static func compactFields(_ bytes: UnsafeRawBufferPointer, into fields: inout Fields) -> Bool {
        let count = bytes.count
        guard count >= 2, let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self),
            base[0] == UInt8(ascii: "{"), base[count - 1] == UInt8(ascii: "}")
        else { return false }
        var index = 1
        if base[1] == UInt8(ascii: "}") { return count == 2 }
        while true {
            guard index < count, base[index] == UInt8(ascii: "\""),
                let keyEnd = plainStringEnd(bytes, from: index + 1), keyEnd + 2 < count,
                base[keyEnd + 1] == UInt8(ascii: ":")
            else { return false }
            let field = Field(UnsafeRawBufferPointer(start: base + index + 1, count: keyEnd - index - 1))
            index = keyEnd + 2
            let first = base[index]
            if first == UInt8(ascii: "\"") {
                guard let valueEnd = plainStringEnd(bytes, from: index + 1) else { return false }
                let text = Text(range: (index + 1)..<valueEnd, escaped: false)
                switch field {
                case .eventID: fields.hasEventID = true
                case .creatorID: fields.creator = text
                case .userID: fields.user = text
                case .kind: fields.kind = text
                case .postID: fields.post = text
                case .community: fields.community = text
                case .ts, .count: return false  // RFC 3339 times and type errors: the general path
                case .other: break
                }
                index = valueEnd + 1
            } else {
                guard let (value, end) = integer(bytes, from: index) else { return false }
                switch field {
                case .ts: fields.ts = value
                case .count: fields.count = value
                case .other: break
                default: return false
                }
                index = end
            }
            guard index < count else { return false }
            if base[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            return index == count - 1
        }
    }

    /// The index of the quote closing a string whose contents start at `start`, or nil when an escape or a control
    /// character comes first, or the input ends.
    @inline(__always)
    private static func plainStringEnd(_ bytes: UnsafeRawBufferPointer, from start: Int) -> Int? {
        var index = start
        while index + 8 <= bytes.count {
            let mask = JSONScanner.attentionMask(bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self))
            if mask != 0 {
                index += mask.trailingZeroBitCount >> 3
                return bytes[index] == UInt8(ascii: "\"") ? index : nil
            }
            index += 8
        }
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") { return index }
            if byte == UInt8(ascii: "\\") || byte < 0x20 { return nil }
            index += 1
        }
        return nil
    }

    /// An integer of at most 18 digits (so it cannot overflow) ending before `,` or `}`; nil otherwise.
    @inline(__always)
    private static func integer(_ bytes: UnsafeRawBufferPointer, from start: Int) -> (Int64, Int)? {
        var index = start
        let negative = bytes[index] == UInt8(ascii: "-")
        if negative { index += 1 }
        let digitsStart = index
        var value: Int64 = 0
        while index < bytes.count {
            let digit = bytes[index] &- UInt8(ascii: "0")
            guard digit < 10 else { break }
            value = value &* 10 &+ Int64(digit)
            index += 1
        }
        let digits = index - digitsStart
        guard digits > 0, digits <= 18, index < bytes.count,
            bytes[index] == UInt8(ascii: ",") || bytes[index] == UInt8(ascii: "}"),
            !(digits > 1 && bytes[digitsStart] == UInt8(ascii: "0"))
        else { return nil }
        return (negative ? -value : value, index)
    }
}
