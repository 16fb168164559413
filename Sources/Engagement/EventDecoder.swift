/// Decodes interaction events (schema v1, `Schemas/interaction-event.v1.json`) from raw JSON bytes.
///
/// No Foundation, no `String` per event: ids are interned from the bytes (escaped ids are unescaped into a reused
/// scratch buffer first). Unknown fields are validated and ignored. Time is not checked here: stream-time bounds
/// are the window stage's business (`timestamp_out_of_range`).
public struct EventDecoder: Sendable {
    /// Largest accepted record, in bytes.
    public var maxEventBytes: Int
    /// Whether `post_id`s are interned; pipelines that never look at posts turn this off to save a lookup.
    public var decodesPosts = true
    /// Interned `creator_id`s.
    public internal(set) var creators = Interner()
    /// Interned `user_id`s.
    public internal(set) var users = Interner()
    /// Interned `post_id`s.
    public var posts = Interner()
    /// Interned `community` tags.
    public var communities = Interner()
    private var scratch: [UInt8] = []

    /// Replaces the creator and user interners with compacted ones (see `Interner.compacted`).
    public mutating func replaceInterners(creators: Interner? = nil, users: Interner? = nil) {
        if let creators { self.creators = creators }
        if let users { self.users = users }
    }

    /// Creates a decoder rejecting records over `maxEventBytes` (default 64 KiB).
    public init(maxEventBytes: Int = 64 * 1024) {
        self.maxEventBytes = maxEventBytes
    }

    /// Decodes one record value; nil `bytes` (a tombstone) is an empty payload.
    public mutating func decode(_ bytes: UnsafeRawBufferPointer?) -> DecodeOutcome {
        guard let bytes, !bytes.isEmpty else { return .rejected(Rejection(.emptyPayload)) }
        guard bytes.count <= maxEventBytes else { return .rejected(Rejection(.oversize)) }
        guard UTF8Validation.isValid(bytes) else { return .rejected(Rejection(.invalidUTF8)) }
        var fields = Fields()
        if Self.compactFields(bytes, into: &fields) { return finish(fields, bytes) }
        return decodeGeneral(bytes)
    }

    /// A hint for a record that will be decoded soon: starts loading the creator and user tables' slots for its
    /// `creator_id` and `user_id` (see `Interner.probe`, `Interner.prefetch`) and returns the creator's probe, which
    /// `creators.probableID` resolves a few records later — once that slot is in cache — so the caller can then start
    /// loading the creator's state too. A quick scan of compact JSON for the two keys; anything else is left alone
    /// (nil). Changes nothing.
    public func prefetch(_ bytes: UnsafeRawBufferPointer?) -> Interner.Probe? {
        guard let bytes, bytes.count <= maxEventBytes else { return nil }
        var creator: Interner.Probe?
        var quote = Self.nextQuote(bytes, from: 0)
        while let start = quote, start + 14 <= bytes.count {
            let head = bytes.loadUnaligned(fromByteOffset: start, as: UInt64.self)
            if head == Self.userKeyHead, bytes.loadUnaligned(fromByteOffset: start + 7, as: UInt32.self) == Self.userKeyTail {
                if let end = Self.nextQuote(bytes, from: start + 11) {
                    users.prefetch(UnsafeRawBufferPointer(rebasing: bytes[(start + 11)..<end]))
                }
                return creator
            }
            if head == Self.creatorKeyHead, bytes.loadUnaligned(fromByteOffset: start + 6, as: UInt64.self) == Self.creatorKeyTail,
                let end = Self.nextQuote(bytes, from: start + 14)
            {
                creator = creators.probe(UnsafeRawBufferPointer(rebasing: bytes[(start + 14)..<end]))
                quote = Self.nextQuote(bytes, from: end + 1)
            } else {
                quote = Self.nextQuote(bytes, from: start + 1)
            }
        }
        return creator
    }

    /// The index of the next `"` at or after `start`, eight bytes at a time.
    @inline(__always)
    private static func nextQuote(_ bytes: UnsafeRawBufferPointer, from start: Int) -> Int? {
        var index = start
        while index + 8 <= bytes.count {
            let word = bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self) ^ 0x2222_2222_2222_2222
            let found = (word &- 0x0101_0101_0101_0101) & ~word & 0x8080_8080_8080_8080
            if found != 0 { return index + found.trailingZeroBitCount >> 3 }
            index += 8
        }
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "\"") { return index }
            index += 1
        }
        return nil
    }

    /// `"user_id` and `d":"` as little-endian words.
    private static let userKeyHead = UInt64(littleEndian: 0x6469_5F72_6573_7522)
    private static let userKeyTail = UInt32(littleEndian: 0x223A_2264)
    /// `"creator` and `or_id":"` (the key's first and last eight bytes) as little-endian words.
    private static let creatorKeyHead = UInt64(littleEndian: 0x726F_7461_6572_6322)
    private static let creatorKeyTail = UInt64(littleEndian: 0x223A_2264_695F_726F)

    /// The general path: any valid JSON layout, precise rejections.
    func generalFields(_ bytes: UnsafeRawBufferPointer) -> Result<Fields, Rejection> {
        var fields = Fields()
        var scanner = JSONScanner(bytes)
        guard scanner.consume(UInt8(ascii: "{")) else { return .failure(Rejection(.invalidJSON)) }
        if !scanner.consume(UInt8(ascii: "}")) {
            repeat {
                guard let name = scanner.string(), scanner.consume(UInt8(ascii: ":")) else {
                    return .failure(Rejection(.invalidJSON))
                }
                let field = Field(UnsafeRawBufferPointer(rebasing: bytes[name.range]))
                if let problem = read(field, &scanner, &fields) { return .failure(problem) }
            } while scanner.consume(UInt8(ascii: ","))
            guard scanner.consume(UInt8(ascii: "}")) else { return .failure(Rejection(.invalidJSON)) }
        }
        scanner.skipWhitespace()
        guard scanner.atEnd else { return .failure(Rejection(.invalidJSON)) }
        return .success(fields)
    }

    private mutating func decodeGeneral(_ bytes: UnsafeRawBufferPointer) -> DecodeOutcome {
        switch generalFields(bytes) {
        case .success(let fields): finish(fields, bytes)
        case .failure(let rejection): .rejected(rejection)
        }
    }

    enum Field {
        case eventID, ts, creatorID, userID, kind, postID, community, count, other
        /// Matches a field name by length and its bytes read as little-endian integers (`ByteWords`).
        init(_ name: UnsafeRawBufferPointer) {
            switch (name.count, ByteWords.head(name)) {
            case (2, 0x7374): self = .ts
            case (4, 0x646E_696B): self = .kind
            case (5, 0x74_6E75_6F63): self = .count
            case (7, 0x64_695F_7265_7375): self = .userID
            case (7, 0x64_695F_7473_6F70): self = .postID
            case (8, 0x6469_5F74_6E65_7665): self = .eventID
            case (9, 0x7469_6E75_6D6D_6F63) where name[8] == 0x79: self = .community
            case (10, 0x5F72_6F74_6165_7263) where name[8] == 0x69 && name[9] == 0x64: self = .creatorID
            default: self = .other
            }
        }
    }

    /// A string field's raw contents and whether it holds escapes.
    struct Text {
        var range: Range<Int>
        var escaped: Bool
    }

    struct Fields {
        var hasEventID = false
        var ts: Int64?
        var creator: Text?
        var user: Text?
        var kind: Text?
        var post: Text?
        var community: Text?
        var count: Int64?
    }

    @inline(__always)
    private func read(_ field: Field, _ scanner: inout JSONScanner, _ fields: inout Fields) -> Rejection? {
        switch field {
        case .eventID:
            var ignored: Text?
            fields.hasEventID = true
            return requiredText("event_id", &scanner, into: &ignored)
        case .creatorID: return requiredText("creator_id", &scanner, into: &fields.creator)
        case .userID: return requiredText("user_id", &scanner, into: &fields.user)
        case .kind: return requiredText("kind", &scanner, into: &fields.kind)
        case .postID: return optionalText("post_id", &scanner, into: &fields.post)
        case .community: return optionalText("community", &scanner, into: &fields.community)
        case .ts:
            if scanner.peek() == UInt8(ascii: "\"") {
                guard let string = scanner.string() else { return Rejection(.invalidJSON) }
                guard !string.escaped, let ms = RFC3339.milliseconds(UnsafeRawBufferPointer(rebasing: scanner.bytes[string.range])) else {
                    return Rejection(.wrongType, field: "ts")
                }
                fields.ts = ms
                return nil
            }
            return integer("ts", &scanner, into: &fields.ts)
        case .count: return integer("count", &scanner, into: &fields.count)
        case .other: return scanner.skipValue() ? nil : Rejection(.invalidJSON)
        }
    }

    @inline(__always)
    private func requiredText(_ name: String, _ scanner: inout JSONScanner, into slot: inout Text?) -> Rejection? {
        guard scanner.peek() == UInt8(ascii: "\"") else {
            return scanner.skipValue() ? Rejection(.wrongType, field: name) : Rejection(.invalidJSON)
        }
        guard let string = scanner.string() else { return Rejection(.invalidJSON) }
        slot = Text(range: string.range, escaped: string.escaped)
        return nil
    }

    private func optionalText(_ name: String, _ scanner: inout JSONScanner, into slot: inout Text?) -> Rejection? {
        if scanner.peek() == UInt8(ascii: "n") { return scanner.literal("null") ? nil : Rejection(.invalidJSON) }
        return requiredText(name, &scanner, into: &slot)
    }

    @inline(__always)
    private func integer(_ name: String, _ scanner: inout JSONScanner, into slot: inout Int64?) -> Rejection? {
        guard let next = scanner.peek() else { return Rejection(.invalidJSON) }
        guard next == UInt8(ascii: "-") || next &- UInt8(ascii: "0") < 10 else {
            return scanner.skipValue() ? Rejection(.wrongType, field: name) : Rejection(.invalidJSON)
        }
        guard let number = scanner.number() else { return Rejection(.invalidJSON) }
        guard number.integer, let value = Self.parseInt64(UnsafeRawBufferPointer(rebasing: scanner.bytes[number.range])) else {
            return Rejection(.wrongType, field: name)
        }
        slot = value
        return nil
    }

    private mutating func finish(_ fields: Fields, _ bytes: UnsafeRawBufferPointer) -> DecodeOutcome {
        guard fields.hasEventID else { return .rejected(Rejection(.missingField, field: "event_id")) }
        guard let ts = fields.ts else { return .rejected(Rejection(.missingField, field: "ts")) }
        guard let creatorField = fields.creator, !creatorField.range.isEmpty else {
            return .rejected(Rejection(.missingField, field: "creator_id"))
        }
        guard let kindField = fields.kind else { return .rejected(Rejection(.missingField, field: "kind")) }
        let creator = Self.intern(creatorField, bytes, into: &creators, scratch: &scratch)
        guard !kindField.escaped, let kind = InteractionKind(bytes: UnsafeRawBufferPointer(rebasing: bytes[kindField.range])) else {
            return .unknownKind(timestamp: ts, creator: creator)
        }
        var event = InteractionEvent(timestamp: ts, creator: creator, user: InteractionEvent.none, kind: kind)
        if kind == .followers {
            guard let count = fields.count else { return .rejected(Rejection(.missingField, field: "count")) }
            guard count >= 0 else { return .rejected(Rejection(.wrongType, field: "count")) }
            event.count = count
        } else {
            guard let userField = fields.user, !userField.range.isEmpty else {
                return .rejected(Rejection(.missingField, field: "user_id"))
            }
            event.user = Self.intern(userField, bytes, into: &users, scratch: &scratch)
        }
        if decodesPosts, let post = fields.post { event.post = Self.intern(post, bytes, into: &posts, scratch: &scratch) }
        if let community = fields.community { event.community = Self.intern(community, bytes, into: &communities, scratch: &scratch) }
        return .event(event)
    }

    @inline(__always)
    private static func intern(_ field: Text, _ bytes: UnsafeRawBufferPointer, into interner: inout Interner, scratch: inout [UInt8]) -> UInt32 {
        let raw = UnsafeRawBufferPointer(rebasing: bytes[field.range])
        guard field.escaped else { return interner.intern(raw) }
        scratch.removeAll(keepingCapacity: true)
        JSONUnescape.append(raw, to: &scratch)
        return scratch.withUnsafeBytes { interner.intern($0) }
    }

    static func parseInt64(_ digits: UnsafeRawBufferPointer) -> Int64? {
        var index = 0
        let negative = digits.first == UInt8(ascii: "-")
        if negative { index = 1 }
        var value: Int64 = 0
        while index < digits.count {
            let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times.addingReportingOverflow(Int64(digits[index] - UInt8(ascii: "0")))
            if overflow1 || overflow2 { return nil }
            value = sum
            index += 1
        }
        return negative ? -value : value
    }
}
