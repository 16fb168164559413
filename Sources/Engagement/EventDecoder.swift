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
    /// Hashes of the top-level keys the schema does not know, in the record being decoded (reused: no allocation
    /// once it has grown to the largest record's key count).
    private var otherKeys = Set<UInt64>()

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
        decode(scan(bytes))
    }

    /// Reads a record value without changing anything: checks its size and UTF-8, locates the fields of compact
    /// JSON, and hashes its creator and user ids, starting to load the table slots their lookups will need. Done a
    /// few records ahead of `decode(_:)`, it leaves that call no byte to scan twice and no lookup waiting on memory.
    public func scan(_ value: UnsafeRawBufferPointer?) -> ScannedRecord {
        guard let bytes = value, !bytes.isEmpty else { return Self.rejected(value, .emptyPayload) }
        // Field positions are 32-bit: no configuration lets a larger record through.
        guard bytes.count <= min(maxEventBytes, Int(UInt32.max)) else { return Self.rejected(value, .oversize) }
        var fields = Fields()
        var nonASCII = false
        let isCompact = Self.compactFields(bytes, into: &fields, nonASCII: &nonASCII)
        // A compact record seen to be all ASCII is valid UTF-8; anything else is checked.
        guard isCompact && !nonASCII || UTF8Validation.isValid(bytes) else { return Self.rejected(value, .invalidUTF8) }
        guard isCompact else {
            return ScannedRecord(
                value: value, rejection: nil, isCompact: false, fields: Fields(), creatorHash: 0, userHash: 0)
        }
        // The compact path never holds escapes: its ids are the bytes themselves.
        let creator =
            fields.creator.map { creators.prefetchedHash(UnsafeRawBufferPointer(rebasing: bytes[$0.range])) } ?? 0
        let user = fields.user.map { users.prefetchedHash(UnsafeRawBufferPointer(rebasing: bytes[$0.range])) } ?? 0
        return ScannedRecord(
            value: value, rejection: nil, isCompact: true, fields: fields, creatorHash: creator, userHash: user)
    }

    private static func rejected(_ value: UnsafeRawBufferPointer?, _ reason: RejectionReason) -> ScannedRecord {
        ScannedRecord(value: value, rejection: reason, isCompact: false, fields: Fields(), creatorHash: 0, userHash: 0)
    }

    /// Decodes a record scanned earlier by this decoder or one with the same limits (its bytes unchanged since).
    public mutating func decode(_ record: ScannedRecord) -> DecodeOutcome {
        if let reason = record.rejection { return .rejected(Rejection(reason)) }
        guard record.isCompact else { return decodeGeneral(record.value!) }
        return finish(record.fields, record.value!, creatorHash: record.creatorHash, userHash: record.userHash)
    }

    /// The general path: any valid JSON layout, precise rejections. A key may appear once: a repeated one makes the
    /// record ambiguous (RFC 8259 §4 leaves its meaning to the parser) and is rejected `duplicate_field` (keys are
    /// compared as written, escapes not resolved).
    mutating func generalFields(_ bytes: UnsafeRawBufferPointer) -> Result<Fields, Rejection> {
        var fields = Fields()
        otherKeys.removeAll(keepingCapacity: true)
        var scanner = JSONScanner(bytes)
        guard scanner.consume(UInt8(ascii: "{")) else { return .failure(Rejection(.invalidJSON)) }
        if !scanner.consume(UInt8(ascii: "}")) {
            repeat {
                guard let name = scanner.string(), scanner.consume(UInt8(ascii: ":")) else {
                    return .failure(Rejection(.invalidJSON))
                }
                let key = UnsafeRawBufferPointer(rebasing: bytes[name.range])
                let field = Field(key)
                guard field == .other ? otherKeys.insert(Self.hash(key)).inserted : fields.firstSight(of: field) else {
                    return .failure(Rejection(.duplicateField, field: String(decoding: key.prefix(64), as: UTF8.self)))
                }
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
        case .success(let fields): finish(fields, bytes, creatorHash: nil, userHash: nil)
        case .failure(let rejection): .rejected(rejection)
        }
    }

    enum Field: UInt8 {
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

    /// A string field's raw contents and whether it holds escapes; positions are 32-bit (records are smaller).
    struct Text: Equatable {
        private var start: UInt32
        private var end: UInt32
        var escaped: Bool

        init(range: Range<Int>, escaped: Bool) {
            start = UInt32(range.lowerBound)
            end = UInt32(range.upperBound)
            self.escaped = escaped
        }

        var range: Range<Int> { Int(start)..<Int(end) }
    }

    /// The fields of one record as located in its bytes: small, plain data (a scanned record carries it).
    struct Fields: Equatable {
        var ts: Int64?
        var count: Int64?
        var creator: Text?
        var user: Text?
        var kind: Text?
        var post: Text?
        var community: Text?
        var hasEventID = false
        /// The schema's fields met so far, one bit each.
        var seen: UInt8 = 0

        /// Marks `field` (one of the schema's) as met; false when it was met before.
        @inline(__always)
        mutating func firstSight(of field: Field) -> Bool {
            let bit: UInt8 = 1 << field.rawValue
            defer { seen |= bit }
            return seen & bit == 0
        }
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
                guard !string.escaped,
                    let ms = RFC3339.milliseconds(UnsafeRawBufferPointer(rebasing: scanner.bytes[string.range]))
                else {
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
        guard number.integer, let value = Self.parseInt64(UnsafeRawBufferPointer(rebasing: scanner.bytes[number.range]))
        else {
            return Rejection(.wrongType, field: name)
        }
        slot = value
        return nil
    }

    /// Builds the event from located fields; the hashes, when given, are those of its (unescaped) creator and user ids.
    private mutating func finish(
        _ fields: Fields, _ bytes: UnsafeRawBufferPointer, creatorHash: UInt32?, userHash: UInt32?
    ) -> DecodeOutcome {
        guard fields.hasEventID else { return .rejected(Rejection(.missingField, field: "event_id")) }
        guard let ts = fields.ts else { return .rejected(Rejection(.missingField, field: "ts")) }
        guard let creatorField = fields.creator, !creatorField.range.isEmpty else {
            return .rejected(Rejection(.missingField, field: "creator_id"))
        }
        guard let kindField = fields.kind else { return .rejected(Rejection(.missingField, field: "kind")) }
        let creator = Self.intern(creatorField, bytes, hash: creatorHash, into: &creators, scratch: &scratch)
        guard !kindField.escaped,
            let kind = InteractionKind(bytes: UnsafeRawBufferPointer(rebasing: bytes[kindField.range]))
        else {
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
            event.user = Self.intern(userField, bytes, hash: userHash, into: &users, scratch: &scratch)
        }
        if decodesPosts, let post = fields.post {
            event.post = Self.intern(post, bytes, hash: nil, into: &posts, scratch: &scratch)
        }
        if let community = fields.community {
            event.community = Self.intern(community, bytes, hash: nil, into: &communities, scratch: &scratch)
        }
        return .event(event)
    }

    @inline(__always)
    private static func intern(
        _ field: Text, _ bytes: UnsafeRawBufferPointer, hash: UInt32?, into interner: inout Interner,
        scratch: inout [UInt8]
    ) -> UInt32 {
        let raw = UnsafeRawBufferPointer(rebasing: bytes[field.range])
        if let hash { return interner.intern(raw, probe: Interner.Probe(raw, hash: hash)) }
        guard field.escaped else { return interner.intern(raw) }
        scratch.removeAll(keepingCapacity: true)
        JSONUnescape.append(raw, to: &scratch)
        return scratch.withUnsafeBytes { interner.intern($0) }
    }

    /// FNV-1a, 64 bits: equal keys hash equal; two different keys collide with odds of about 2⁻⁶⁴.
    static func hash(_ key: UnsafeRawBufferPointer) -> UInt64 {
        key.reduce(0xCBF2_9CE4_8422_2325) { ($0 ^ UInt64($1)) &* 0x100_0000_01B3 }
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
