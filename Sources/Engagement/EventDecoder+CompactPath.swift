extension EventDecoder {
    /// The fast path for the layout producers emit: compact JSON (no whitespace), the schema's keys once each,
    /// string and integer values, no escapes. Fills `fields` and returns true, or returns false for anything else, which the general path then
    /// decodes (and rejects with a precise reason when bad). On inputs it accepts it agrees with the general path.
    /// Sets `nonASCII` when a string holds a byte over 0x7F: only then does an accepted record need its UTF-8 checked.
    static func compactFields(_ bytes: UnsafeRawBufferPointer, into fields: inout Fields, nonASCII: inout Bool) -> Bool
    {
        let count = bytes.count
        guard count >= 2, let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self),
            base[0] == UInt8(ascii: "{"), base[count - 1] == UInt8(ascii: "}")
        else { return false }
        var index = 1
        if base[1] == UInt8(ascii: "}") { return count == 2 }
        while true {
            let field: Field
            if let (known, valueStart) = schemaKey(bytes, at: index) {
                field = known
                index = valueStart
            } else {
                guard index < count, base[index] == UInt8(ascii: "\""),
                    let keyEnd = plainStringEnd(bytes, from: index + 1, nonASCII: &nonASCII), keyEnd + 2 < count,
                    base[keyEnd + 1] == UInt8(ascii: ":")
                else { return false }
                field = Field(UnsafeRawBufferPointer(start: base + index + 1, count: keyEnd - index - 1))
                index = keyEnd + 2
            }
            // Keys outside the schema, and any key met twice, are checked for repeats by the general path.
            guard field != .other, fields.firstSight(of: field) else { return false }
            let first = base[index]
            if first == UInt8(ascii: "\"") {
                guard let valueEnd = plainStringEnd(bytes, from: index + 1, nonASCII: &nonASCII) else { return false }
                let text = Text(range: (index + 1)..<valueEnd, escaped: false)
                switch field {
                case .eventID: fields.hasEventID = true
                case .creatorID: fields.creator = text
                case .userID: fields.user = text
                case .kind: fields.kind = text
                case .postID: fields.post = text
                case .community: fields.community = text
                case .ts, .count, .other: return false  // RFC 3339 times and type errors: the general path
                }
                index = valueEnd + 1
            } else {
                guard let (value, end) = integer(bytes, from: index) else { return false }
                switch field {
                case .ts: fields.ts = value
                case .count: fields.count = value
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

    /// A key of the schema read whole — quotes and colon included — in two word compares instead of a scan: the field
    /// and the index of its value; nil for any other key, or one too near the end, which is then scanned.
    @inline(__always)
    private static func schemaKey(_ bytes: UnsafeRawBufferPointer, at index: Int) -> (Field, Int)? {
        guard index + 14 <= bytes.count else { return nil }
        let head = bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self)
        // The literal's first eight bytes (fewer masked) and, past eight, its last eight, as little-endian words.
        let field: Field
        let length: Int
        let first: UInt64
        let last: UInt64
        switch UInt32(truncatingIfNeeded: head) {
        case 0x2273_7422: (field, length, first, last) = (.ts, 5, 0x3A_2273_7422, 0)  // "ts":
        case 0x6E69_6B22: (field, length, first, last) = (.kind, 7, 0x3A_2264_6E69_6B22, 0)  // "kind":
        case 0x756F_6322:  // "count":
            (field, length, first, last) = (.count, 8, 0x3A22_746E_756F_6322, 0x3A22_746E_756F_6322)
        case 0x6573_7522:  // "user_id":
            (field, length, first, last) = (.userID, 10, 0x6469_5F72_6573_7522, 0x3A22_6469_5F72_6573)
        case 0x736F_7022:  // "post_id":
            (field, length, first, last) = (.postID, 10, 0x6469_5F74_736F_7022, 0x3A22_6469_5F74_736F)
        case 0x6576_6522:  // "event_id":
            (field, length, first, last) = (.eventID, 11, 0x695F_746E_6576_6522, 0x3A22_6469_5F74_6E65)
        case 0x6D6F_6322:  // "community":
            (field, length, first, last) = (.community, 12, 0x696E_756D_6D6F_6322, 0x3A22_7974_696E_756D)
        case 0x6572_6322:  // "creator_id":
            (field, length, first, last) = (.creatorID, 13, 0x726F_7461_6572_6322, 0x3A22_6469_5F72_6F74)
        default: return nil
        }
        if length < 8 {
            guard head & (1 << (8 * UInt64(length)) - 1) == first else { return nil }
        } else {
            guard head == first, bytes.loadUnaligned(fromByteOffset: index + length - 8, as: UInt64.self) == last else {
                return nil
            }
        }
        return (field, index + length)
    }

    /// The index of the quote closing a string whose contents start at `start`, or nil when an escape or a control
    /// character comes first, or the input ends. Sets `nonASCII` if a byte over 0x7F comes before the quote.
    @inline(__always)
    private static func plainStringEnd(_ bytes: UnsafeRawBufferPointer, from start: Int, nonASCII: inout Bool) -> Int? {
        var index = start
        while index + 8 <= bytes.count {
            let word = bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            let mask = JSONScanner.attentionMask(word) | word & 0x8080_8080_8080_8080
            if mask == 0 {
                index += 8
                continue
            }
            index += mask.trailingZeroBitCount >> 3
            if bytes[index] == UInt8(ascii: "\"") { return index }
            guard bytes[index] >= 0x80 else { return nil }
            nonASCII = true
            index += 1
        }
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") { return index }
            if byte == UInt8(ascii: "\\") || byte < 0x20 { return nil }
            if byte >= 0x80 { nonASCII = true }
            index += 1
        }
        return nil
    }

    /// An integer of at most 18 digits (so it cannot overflow) ending before `,` or `}`; nil otherwise. Digits are
    /// read eight bytes at a time while eight can be loaded (`leadingDigits`, `digitsValue`), then one by one.
    @inline(__always)
    private static func integer(_ bytes: UnsafeRawBufferPointer, from start: Int) -> (Int64, Int)? {
        var index = start
        let negative = bytes[index] == UInt8(ascii: "-")
        if negative { index += 1 }
        let digitsStart = index
        var value: Int64 = 0
        while index + 8 <= bytes.count {
            let word = bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            let digits = leadingDigits(word)
            guard digits > 0 else { break }
            value = value &* powersOfTen[digits] &+ digitsValue(word, count: digits)
            index += digits
            if digits < 8 { break }
        }
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

    private static let powersOfTen: [Int64] = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000]

    /// How many of the eight bytes of `word` (first byte lowest) are ASCII digits before the first that is not.
    @inline(__always)
    static func leadingDigits(_ word: UInt64) -> Int {
        let highNibbles: UInt64 = 0xF0F0_F0F0_F0F0_F0F0
        let zeros: UInt64 = 0x3030_3030_3030_3030
        // A digit byte has high nibble 3, and still 3 after adding 6; a carry out of a byte that is no digit only
        // disturbs bytes after it, which are not counted.
        let notDigit = (word & highNibbles ^ zeros) | ((word &+ 0x0606_0606_0606_0606) & highNibbles ^ zeros)
        return notDigit == 0 ? 8 : notDigit.trailingZeroBitCount >> 3
    }

    /// The value of the first `count` (1...8) bytes of `word`, all ASCII digits, the first the most significant:
    /// shifted to the top of the word over zero bytes, then combined pairwise in three multiplications.
    @inline(__always)
    static func digitsValue(_ word: UInt64, count: Int) -> Int64 {
        var value = (word &<< UInt64(8 * (8 - count))) & 0x0F0F_0F0F_0F0F_0F0F
        value = (value &* (1 + 10 << 8)) >> 8 & 0x00FF_00FF_00FF_00FF
        value = (value &* (1 + 100 << 16)) >> 16 & 0x0000_FFFF_0000_FFFF
        value = (value &* (1 + 10_000 << 32)) >> 32
        return Int64(value)
    }
}
